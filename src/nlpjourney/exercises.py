"""Checks for the exercises at the end of each notebook.

Each check prints one line when the answer is right and raises :class:`ExerciseError` (an AssertionError)
with a hint when it is not, so a notebook that is run top to bottom stops at the first wrong answer.
:func:`check_hash` compares against a SHA-256 digest, so the notebook can check an answer without showing it.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from typing import Any

RESULTS: dict[str, bool] = {}


class ExerciseError(AssertionError):
    """A wrong exercise answer; the message carries the hint."""


def _short(value: Any, limit: int = 200) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 5] + " ...]"


def _fail(label: str, message: str, hint: str) -> None:
    RESULTS[label] = False
    raise ExerciseError(f"{label}: {message}" + (f"\nHint: {hint}" if hint else ""))


def _passed(label: str) -> None:
    RESULTS[label] = True
    print(f"✔ {label}: correct")


def _close(got: Any, expected: Any, tol: float) -> bool:
    if isinstance(expected, Mapping):
        return (
            isinstance(got, Mapping)
            and set(got) == set(expected)
            and all(_close(got[k], expected[k], tol) for k in expected)
        )
    if isinstance(expected, Sequence) and not isinstance(expected, str):
        return (
            isinstance(got, Sequence)
            and not isinstance(got, str)
            and len(got) == len(expected)
            and all(_close(g, e, tol) for g, e in zip(got, expected, strict=True))
        )
    if isinstance(expected, (int, float)) and not isinstance(expected, bool):
        try:
            return math.isclose(float(got), float(expected), rel_tol=tol, abs_tol=tol)
        except (TypeError, ValueError):
            return False
    return got == expected


def check(label: str, got: Any, expected: Any, *, tol: float = 1e-6, hint: str = "") -> None:
    """Pass when ``got`` equals ``expected`` (numbers, also inside lists and dicts, within ``tol``)."""
    if got is Ellipsis or got is None:
        _fail(label, "no answer yet: replace the placeholder with your answer", hint)
    if not _close(got, expected, tol):
        _fail(label, f"got {_short(got)}, which is not the expected answer", hint)
    _passed(label)


def check_true(label: str, condition: bool, *, hint: str = "") -> None:
    """Pass when ``condition`` holds (for answers checked by a property rather than a value)."""
    if not condition:
        _fail(label, "the condition does not hold yet", hint)
    _passed(label)


def answer_hash(value: Any) -> str:
    """SHA-256 of an answer's canonical text: strings are stripped and lower-cased, floats rounded to 4 places."""
    if isinstance(value, str):
        text = value.strip().lower()
    elif isinstance(value, float):
        text = f"{value:.4f}"
    else:
        text = repr(value)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_hash(label: str, got: Any, digest: str, *, hint: str = "") -> None:
    """Pass when ``answer_hash(got)`` equals ``digest``, without the notebook revealing the answer."""
    if got is Ellipsis or got is None:
        _fail(label, "no answer yet: replace the placeholder with your answer", hint)
    if answer_hash(got) != digest:
        _fail(label, f"{_short(got)} is not the expected answer", hint)
    _passed(label)


def summary() -> None:
    """Print one line per exercise checked so far in this kernel."""
    lines = [f"{'✔' if ok else '✘'} {label}" for label, ok in RESULTS.items()]
    print("\n".join(lines) if lines else "no exercises checked yet")
