"""Offline speech synthesis for the audio notebook (ch5/07): the espeak-ng synthesizer packaged in espeakng-loader.

``synthesize(text, voice="en-us+m3", rate=165, pitch=50)`` returns a float32 waveform in [-1, 1] at
:data:`SAMPLE_RATE` Hz. espeak-ng is a formant synthesizer: robotic, but fully deterministic and with dozens of
voices (a language voice plus an optional ``+variant`` that changes the speaker), which is what a test on
unseen voices needs. espeak-ng carries a little voicing state from one utterance to the next, so a call's samples
depend on the calls before it in the same process: the same sequence of calls in a fresh process (a notebook run
top to bottom) gives the same samples. The library is loaded through ctypes once per process; no system package is needed.
"""

from __future__ import annotations

import ctypes
import threading
from pathlib import Path

import numpy as np

from .models import CHAPTER5_INSTALL, _package_dir

SAMPLE_RATE = 22050  # espeak-ng's output rate
_SYNCHRONOUS = 2  # espeak_AUDIO_OUTPUT: synthesize inside espeak_Synth and hand the samples to the callback
_CHARS_UTF8 = 1
_POS_CHARACTER = 1
_RATE, _PITCH = 1, 3  # espeak_PARAMETER values
_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)
_state: dict = {}
_lock = threading.Lock()


def _espeak_dir() -> Path:
    """The espeakng-loader package folder (library and voice data); a clear error says how to install it."""
    return _package_dir("espeakng_loader", CHAPTER5_INSTALL)


def _library():
    if "lib" not in _state:
        import espeakng_loader

        lib = ctypes.CDLL(espeakng_loader.get_library_path())
        lib.espeak_Initialize.restype = ctypes.c_int
        rate = lib.espeak_Initialize(_SYNCHRONOUS, 0, espeakng_loader.get_data_path().encode(), 0)
        if rate != SAMPLE_RATE:
            raise RuntimeError(f"espeak-ng did not start (it returned {rate}); reinstall espeakng-loader")
        chunks: list[np.ndarray] = []

        def collect(wav, n, events):
            if n > 0:
                chunks.append(np.ctypeslib.as_array(wav, shape=(n,)).copy())
            return 0

        callback = _CALLBACK(collect)
        lib.espeak_SetSynthCallback(callback)
        _state.update(lib=lib, chunks=chunks, callback=callback)  # keep the callback alive
    return _state["lib"], _state["chunks"]


def variants() -> list[str]:
    """The speaker variants espeak-ng ships (``"m3"``, ``"f2"``, ``"klatt"``, ...), for ``voice="en-us+<variant>"``."""
    return sorted(
        p.name for p in (_espeak_dir() / "espeak-ng-data" / "voices" / "!v").iterdir() if p.is_file()
    )


def synthesize(text: str, voice: str = "en-us", rate: int = 165, pitch: int = 50) -> np.ndarray:
    """``text`` spoken by espeak-ng: float32 samples in [-1, 1] at :data:`SAMPLE_RATE` Hz.

    ``voice`` is a language voice with an optional speaker variant (``"en-us+f3"``, see :func:`variants`);
    ``rate`` is words per minute (80-450), ``pitch`` 0-99.
    """
    if not text.strip():
        raise ValueError("synthesize() needs some text to speak")
    if not 80 <= rate <= 450 or not 0 <= pitch <= 99:
        raise ValueError(
            f"rate={rate}, pitch={pitch}: espeak-ng takes a rate of 80-450 words/min, a pitch of 0-99"
        )
    _espeak_dir()
    with _lock:
        lib, chunks = _library()
        if lib.espeak_SetVoiceByName(voice.encode()) != 0:
            raise ValueError(f"espeak-ng has no voice {voice!r}: use e.g. 'en-us' or 'en-us+<variant>' with a "
                             f"variant from nlpjourney.speech.variants()")  # fmt: skip
        lib.espeak_SetParameter(_RATE, rate, 0)
        lib.espeak_SetParameter(_PITCH, pitch, 0)
        chunks.clear()
        data = text.encode()
        lib.espeak_Synth(data, len(data) + 1, 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None)
        lib.espeak_Synchronize()
        samples = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int16)
    return samples.astype(np.float32) / 32768.0
