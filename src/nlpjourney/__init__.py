"""nlpjourney: the plumbing behind the NLP Journey notebooks.

Modes and seeds (:func:`setup`), the offline guard, bundled datasets (:mod:`nlpjourney.data`), the packaged
pretrained models (:mod:`nlpjourney.models`), the plotting style and exercise checks. Topic code lives in
the notebooks, where learners read it.
"""

from . import data, exercises, models, offline, plotting, standins
from .exercises import check_function, check_hash, needs_solution
from .modes import MODES, ModeError, Run, assert_result, setup

__version__ = "0.1.0"
__all__ = [
    "MODES",
    "ModeError",
    "Run",
    "assert_result",
    "check_function",
    "check_hash",
    "data",
    "exercises",
    "models",
    "needs_solution",
    "offline",
    "plotting",
    "setup",
    "standins",
]
