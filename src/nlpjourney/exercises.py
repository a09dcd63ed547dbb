"""Checks for the exercises at the end of each notebook.

An exercise is three cells: the learner's answer (``answer_k = ...`` or a function whose body is ``...``), a
collapsed cell tagged ``solution``, and a check::

    answer_1 = ...

    if nj.needs_solution(answer_1):  # solution cell: fills in only under the course runner
        answer_1 = ...

    nj.check_hash("Exercise 1", answer_1, "3b1f...", hint="...")

* The worked solution fills in only when the course runner executes the notebook (``make test``,
  ``make chapterN``, ``make refresh`` set ``NJ_COURSE_RUNNER=1``). On *Run all* in Jupyter or Colab the answer
  stays unanswered, and its check prints "not answered yet" without stopping the notebook.
* A wrong answer prints what is wrong and a hint, and *Run all* goes on (the summary marks it ✘); under the
  course runner it raises :class:`ExerciseError` (an AssertionError), since a wrong worked solution is a bug.
* Checks never show the answer: :func:`check_hash` compares against a SHA-256 digest, and
  :func:`check_function` (build and match) runs the learner's function and a reference (the library, or the
  notebook's own implementation) on the same inputs. Neither accepts a constant: a digest of a trivial answer
  and cases on which the reference gives one output for all are refused as authoring errors.
"""

from __future__ import annotations

import dis
import hashlib
import math
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np

RUNNER_ENV = "NJ_COURSE_RUNNER"
RESULTS: dict[str, bool | None] = {}
# Answers that a guess would find: a check whose answer is one of these checks nothing.
TRIVIAL_ANSWERS = (True, False, None, 0, 1, -1, 0.0, 1.0, "", "yes", "no", "true", "false", (), [])


class ExerciseError(AssertionError):
    """A wrong exercise answer; the message carries the hint."""


class ExerciseAuthoringError(ValueError):
    """A check that would accept a trivial answer or reveal its answer: the notebook must change."""


def runner() -> bool:
    """True when the course runner executes the notebook (``make test``, ``make chapterN``, ``make refresh``)."""
    return os.environ.get(RUNNER_ENV) == "1"


_NO_OP_OPS = {"RESUME", "NOP", "CACHE", "LOAD_CONST", "RETURN_VALUE", "RETURN_CONST", "POP_TOP"}


def _is_placeholder_function(fn: Callable) -> bool:
    """A function whose whole body is ``...`` (or ``pass``/a docstring): it does nothing and returns None."""
    code = getattr(fn, "__code__", None)
    if code is None:
        return False
    for ins in dis.get_instructions(code):
        if ins.opname not in _NO_OP_OPS:
            return False
        if ins.opname in ("LOAD_CONST", "RETURN_CONST") and ins.argval not in (None, Ellipsis):
            return False
    return True


def unanswered(value: Any) -> bool:
    """``...``, None, or a function whose body is still ``...``."""
    return value is Ellipsis or value is None or (callable(value) and _is_placeholder_function(value))


def needs_solution(value: Any) -> bool:
    """For the ``solution`` cell: fill in the worked solution only under the course runner, and only while
    the learner has not answered."""
    return runner() and unanswered(value)


def _short(value: Any, limit: int = 200) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 5] + " ...]"


def _fail(label: str, message: str, hint: str) -> None:
    """A wrong answer: under the course runner it stops the run (a wrong worked solution is a bug); for a
    learner it prints the message and hint in a few lines, and Run all goes on to the next exercise."""
    RESULTS[label] = False
    text = f"{label}: {message}" + (f"\nHint: {hint}" if hint else "")
    if runner():
        raise ExerciseError(text)
    print(f"✘ {text}")


def _passed(label: str, how: str = "correct") -> None:
    RESULTS[label] = True
    print(f"✔ {label}: {how}")


def _pending(label: str, where: str) -> None:
    RESULTS[label] = None
    print(f"✎ {label}: not answered yet: write your answer in `{where}` and run this cell again")


def close(got: Any, expected: Any, tol: float = 1e-6) -> bool:
    """Equal, with numbers (also inside lists, tuples, dicts and arrays) compared within ``tol``."""
    if isinstance(expected, np.ndarray) or _is_tensor(expected):
        try:
            g, e = _as_array(got), _as_array(expected)
        except (TypeError, ValueError):
            return False
        if g.shape != e.shape:
            return False
        if e.dtype.kind in "fc" or g.dtype.kind in "fc":
            return bool(np.allclose(g, e, rtol=tol, atol=tol))
        return bool(np.array_equal(g, e))
    if isinstance(expected, Mapping):
        return (
            isinstance(got, Mapping)
            and set(got) == set(expected)
            and all(close(got[k], expected[k], tol) for k in expected)
        )
    if isinstance(expected, Sequence) and not isinstance(expected, str):
        return (
            isinstance(got, Sequence)
            and not isinstance(got, str)
            and len(got) == len(expected)
            and all(close(g, e, tol) for g, e in zip(got, expected, strict=True))
        )
    if isinstance(expected, (int, float, np.number)) and not isinstance(expected, bool):
        try:
            return math.isclose(float(got), float(expected), rel_tol=tol, abs_tol=tol)
        except (TypeError, ValueError):
            return False
    return bool(got == expected)


def _is_tensor(x: Any) -> bool:
    return type(x).__module__.startswith("torch") and hasattr(x, "detach")


def _as_array(x: Any) -> np.ndarray:
    if _is_tensor(x):
        return x.detach().cpu().numpy()
    return np.asarray(x)


def answer_hash(value: Any, digits: int = 4) -> str:
    """SHA-256 of an answer's canonical text.

    Strings are stripped and lower-cased; floats are rounded to ``digits`` places (so ``0.1 + 0.2`` and ``0.3``
    hash alike); numpy scalars count as Python numbers; lists and tuples hash alike, element by element.
    """
    return hashlib.sha256(_canonical(value, digits).encode("utf-8")).hexdigest()


def _canonical(value: Any, digits: int) -> str:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, str):
        return value.strip().lower()
    if isinstance(value, bool):
        return repr(value)
    if isinstance(value, float):
        rounded = round(value, digits)
        return f"{rounded + 0.0:.{digits}f}"  # + 0.0 turns -0.0 into 0.0
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_canonical(v, digits) for v in value) + "]"
    if isinstance(value, Mapping):
        items = sorted((_canonical(k, digits), _canonical(v, digits)) for k, v in value.items())
        return "{" + ", ".join(f"{k}: {v}" for k, v in items) + "}"
    return repr(value)


def _trivial_digests(digits: int) -> set[str]:
    return {answer_hash(v, digits) for v in TRIVIAL_ANSWERS}


def check_hash(
    label: str,
    got: Any,
    digest: str | Mapping[str, str],
    *,
    digits: int = 4,
    where: str | None = None,
    hint: str = "",
) -> None:
    """Pass when ``answer_hash(got, digits)`` equals ``digest``, without the notebook revealing the answer.

    ``digest`` is one SHA-256 hex string, or ``{"cpu": ..., "gpu": ...}`` when the answer depends on the mode's
    data; a mode without a digest is reported as not checked. Make a digest with
    ``nj.exercises.answer_hash(answer)``.
    """
    if isinstance(digest, Mapping):
        from .modes import current_mode
        from .standins import active as standin_run

        mode = current_mode()
        if standin_run():  # the answer depends on the mode's data, and a stand-in run's data are stand-ins
            RESULTS[label] = None
            print(f"· {label}: stand-in run, the answer depends on the data: not checked")
            return
        digest = digest.get(mode)
        if digest is None:
            RESULTS[label] = None
            print(f"· {label}: no stored answer for {mode.upper()} mode; compare with the worked solution")
            return
    if not (isinstance(digest, str) and len(digest) == 64):
        raise ExerciseAuthoringError(f"{label}: the digest must be a 64-character SHA-256 hex string")
    if digest in _trivial_digests(digits):
        raise ExerciseAuthoringError(
            f"{label}: the stored answer is a trivial constant that a guess would find; ask for something else"
        )
    if unanswered(got):
        _pending(label, where or "your answer")
        return
    if answer_hash(got, digits) != digest:
        return _fail(label, f"{_short(got)} is not the expected answer", hint)
    _passed(label)


def check_function(
    label: str,
    fn: Callable,
    reference: Callable,
    cases: Iterable[Any],
    *,
    tol: float = 1e-6,
    compare: Callable[[Any, Any], bool] | None = None,
    hint: str = "",
) -> None:
    """Build and match: ``fn`` must give what ``reference`` gives on every case.

    Each case is a tuple of positional arguments (a non-tuple is one argument). ``reference`` is the library
    or the notebook's own implementation; the cases should include inputs the notebook has not shown. Outputs
    are compared with :func:`close` (within ``tol``) unless ``compare(got, expected)`` is given. The reference
    must give at least two different outputs over the cases, so no constant function can pass.
    """
    cases = [c if isinstance(c, tuple) else (c,) for c in cases]
    if not cases:
        raise ExerciseAuthoringError(f"{label}: give at least two cases")
    if unanswered(fn):
        _pending(label, getattr(fn, "__name__", "your function"))
        return
    expected = [reference(*args) for args in cases]
    same = compare or (lambda a, b: close(a, b, tol))
    if all(same(e, expected[0]) for e in expected[1:]):
        raise ExerciseAuthoringError(
            f"{label}: the reference gives the same output on every case, so a constant would pass: add cases"
        )
    for args, want in zip(cases, expected, strict=True):
        try:
            got = fn(*args)
        except Exception as err:  # the learner's code raised: report it as a wrong answer, with the input
            return _fail(label, f"raised {type(err).__name__}: {err} on input {_short(args, 120)}", hint)
        if not same(got, want):
            return _fail(
                label, f"on input {_short(args, 120)} it gives {_short(got)}, not what is expected", hint
            )
    _passed(label, f"matches the reference on all {len(cases)} cases")


def summary() -> None:
    """Print one line per exercise checked so far in this kernel."""
    marks = {True: "✔", False: "✘", None: "✎"}
    lines = [f"{marks[ok]} {label}" for label, ok in RESULTS.items()]
    print("\n".join(lines) if lines else "no exercises checked yet")
