"""Progress bars that read well in a saved notebook.

In Jupyter and Colab, ``tqdm.auto`` draws live widgets. A notebook executed by the course runner is read
later, as a file (on GitHub, in ``build/executed/``): a widget's saved text is its first frame, a frozen
"0%". Under the runner, :func:`use_text_bars` makes ``tqdm.auto`` draw plain-text bars instead, without
timings (they differ on every run) and redrawn only when they start and finish; the runner keeps each line's
last frame, so the saved notebook shows every bar at its final state, the same on every run.
"""

from __future__ import annotations

import sys

_BAR_FORMAT = "{l_bar}{bar}| {n_fmt}/{total_fmt}"


def text_bar_class():
    """A ``tqdm`` class for saved notebooks: text on stdout, no rates or times, drawn at start and end."""
    from tqdm.std import tqdm as std_tqdm

    class TextBar(std_tqdm):
        def __init__(self, *args, **kwargs):
            kwargs.setdefault("file", sys.stdout)
            kwargs.setdefault("bar_format", _BAR_FORMAT if kwargs.get("total", 1) is not None else None)
            kwargs.setdefault("ncols", 80)
            kwargs["mininterval"] = float("inf")  # no frames between the first and the last
            kwargs.setdefault("disable", False)  # TQDM_DISABLE quiets the libraries' own bars, not ours
            super().__init__(*args, **kwargs)

    TextBar.__name__ = TextBar.__qualname__ = "tqdm"
    return TextBar


def use_text_bars() -> None:
    """Point ``tqdm.auto.tqdm`` and ``trange`` at :func:`text_bar_class` (later imports get the text bars)."""
    import tqdm.auto

    bar = text_bar_class()
    tqdm.auto.tqdm = bar
    tqdm.auto.trange = lambda *args, **kwargs: bar(range(*args), **kwargs)


def final_frames(text: str) -> str:
    """What a terminal shows of ``text``: each line's last carriage-return frame."""
    return "\n".join(line.rsplit("\r", 1)[-1] if "\r" in line else line for line in text.split("\n"))
