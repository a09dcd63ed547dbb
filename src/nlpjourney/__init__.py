"""nlpjourney: the plumbing behind the NLP Journey notebooks.

Modes and seeds (:func:`setup`), the offline guard, bundled datasets (:mod:`nlpjourney.data`), the packaged
pretrained models (:mod:`nlpjourney.models`), the plotting style and exercise checks. Topic code lives in
the notebooks, where learners read it.
"""

from . import data, exercises, models, offline, plotting
from .exercises import check, check_hash, check_true
from .modes import MODES, ModeError, Run, setup

__version__ = "0.1.0"
__all__ = [
    "MODES",
    "ModeError",
    "Run",
    "check",
    "check_hash",
    "check_true",
    "data",
    "exercises",
    "models",
    "offline",
    "plotting",
    "setup",
]
