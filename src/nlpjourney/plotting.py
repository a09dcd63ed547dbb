"""One plotting style for the whole course: readable, small files, the same in Jupyter, Colab and CI."""

from __future__ import annotations

STYLE = {
    "figure.figsize": (7.0, 4.0),
    "figure.dpi": 90,
    "savefig.dpi": 90,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titleweight": "bold",
    "font.size": 10,
    "legend.frameon": False,
    "image.cmap": "viridis",
}


def use_style() -> None:
    """Apply the course style to matplotlib (a no-op when matplotlib is missing)."""
    try:
        import matplotlib as mpl
    except ImportError:
        return
    mpl.rcParams.update(STYLE)
