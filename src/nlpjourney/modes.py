"""Run modes: validate the parameters cell, seed everything, pick the device and guard the network.

A notebook calls :func:`setup` once, right after its ``parameters`` cell::

    run = nj.setup(MODE, SEED, params=globals())
    cfg = run.settings({"cpu": {...}, "gpu": {...}})
"""

from __future__ import annotations

import ast
import logging
import os
import random
import sys
import warnings
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from . import offline, standins
from .models import cache_root

MODES = ("cpu", "gpu")

# Environment that keeps Hugging Face libraries from trying the network in CPU mode, and keeps logs short.
OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
}
QUIET_ENV = {
    "TOKENIZERS_PARALLELISM": "false",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
}
# OpenMP threads sleep instead of spinning while they wait: on a busy 2-core machine spinning threads make
# small torch ops 30-250x slower. Read when torch loads, so setup sets it before anything imports torch.
THREAD_ENV = {"OMP_WAIT_POLICY": "PASSIVE"}


_CURRENT_MODE = "cpu"


def current_mode() -> str:
    """The mode of the last :func:`setup` in this kernel ("cpu" before any)."""
    return _CURRENT_MODE


class ModeError(ValueError):
    """A parameter value the notebook cannot run with; the message says how to fix it."""


@dataclass
class Run:
    """What :func:`setup` decided: the mode, the seed, the torch device and the thread count."""

    mode: str
    seed: int
    device: str
    threads: int
    offline: bool
    params: dict[str, Any] = field(default_factory=dict)
    standin: bool = False  # GPU mode's code path with local stand-ins for the Hub (nlpjourney.standins)

    def settings(self, table: dict[str, dict[str, Any]]) -> SimpleNamespace:
        """Pick this mode's row of a per-mode settings table, checking every mode names the same keys."""
        missing_modes = [m for m in MODES if m not in table]
        if missing_modes:
            raise ModeError(
                f"settings table has no row for mode(s) {missing_modes}; give one per mode in {MODES}"
            )
        extra = sorted(set(table) - set(MODES) - {"standin"})
        if extra:
            raise ModeError(
                f"settings table rows {extra} are not modes: use {MODES} (and 'standin' overrides)"
            )
        keys = {m: set(table[m]) for m in MODES}
        for m in MODES:
            if keys[m] != keys[MODES[0]]:
                diff = sorted(keys[m] ^ keys[MODES[0]])
                raise ModeError(
                    f"settings rows for {MODES[0]!r} and {m!r} differ in keys {diff}: give both the same keys"
                )
        if self.standin:
            return SimpleNamespace(**standins.standin_row(table))
        return SimpleNamespace(**table[self.mode])

    def __str__(self) -> str:
        net = "offline (network blocked)" if self.offline else "online"
        standin = (
            " STAND-IN (GPU code path, local stand-ins for the Hub: not a result)" if self.standin else ""
        )
        return f"mode={self.mode} seed={self.seed} device={self.device} threads={self.threads} {net}{standin}"


def validate_mode(mode: Any) -> str:
    if not isinstance(mode, str) or mode.lower() not in MODES:
        raise ModeError(
            f"MODE={mode!r} is not a mode of this course. Valid modes: {', '.join(repr(m) for m in MODES)}."
        )
    return mode.lower()


def seed_everything(seed: int) -> None:
    """Seed python, numpy and (when installed) torch, and ask torch for deterministic kernels."""
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise ModeError(f"SEED={seed!r} must be an integer, e.g. SEED = 0")
    random.seed(seed)
    os.environ["PYTHONHASHSEED"] = str(seed)
    import numpy as np

    np.random.seed(seed)
    try:
        import torch
    except ImportError:
        return
    torch.manual_seed(seed)
    deterministic_kernels(torch)
    if torch.cuda.is_available():
        torch.cuda.manual_seed_all(seed)
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")


def deterministic_kernels(torch) -> None:
    """``torch.use_deterministic_algorithms(True, warn_only=True)`` without its cost at every start.

    The public call imports torch's compiler stack (``torch._inductor``, ~1.5 s) only to set one flag there;
    inductor reads the same flag from the environment when something imports it later, so set that and the
    core flag, and fall back to the public call if the core setter is ever renamed.
    """
    os.environ["TORCHINDUCTOR_DETERMINISTIC"] = "1"
    inductor = sys.modules.get("torch._inductor.config")
    setter = getattr(torch._C, "_set_deterministic_algorithms", None)
    if inductor is not None or setter is None:
        torch.use_deterministic_algorithms(True, warn_only=True)
    else:
        setter(True, warn_only=True)


def thread_count() -> int:
    """Threads for this process: all cores, shared fairly when the test suite runs notebooks side by side."""
    if "NJ_THREADS" in os.environ:
        return max(1, int(os.environ["NJ_THREADS"]))
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1") or 1)
    return max(1, (os.cpu_count() or 1) // max(1, workers))


def pin_to_worker_cores(threads: int) -> set[int] | None:
    """In the test suite, keep this process on its own worker's share of the cores.

    torch and BLAS take a thread count, but JAX/XLA has none: it starts a thread per core it may run on.
    Pinning the process to ``threads`` cores chosen by the pytest-xdist worker number (gw0 the first share,
    gw1 the next) keeps a JAX notebook from slowing the notebook running beside it. Outside the suite nothing
    is pinned. Returns the cores pinned to, or None.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw") or not worker[2:].isdigit() or not hasattr(os, "sched_setaffinity"):
        return None
    allowed = sorted(os.sched_getaffinity(0))
    if threads >= len(allowed):
        return None
    start = int(worker[2:]) * threads
    cores = {allowed[(start + i) % len(allowed)] for i in range(threads)}
    os.sched_setaffinity(0, cores)
    return cores


def _cuda_available() -> bool:
    try:
        import torch
    except ImportError:
        return False
    return torch.cuda.is_available()


NO_CUDA = (
    'MODE="gpu" needs a CUDA GPU and none is visible. Run with MODE = "cpu" '
    "(the default: set it in the parameters cell, or `make chapterN` without MODE=gpu), "
    "or in Colab choose Runtime > Change runtime type > GPU."
)


def pick_device(mode: str) -> str:
    if mode == "gpu":
        if standins.active() and not _cuda_available():
            return "cpu"  # a stand-in run exercises GPU mode's code on the CPU where no GPU is visible
        if not _cuda_available():
            raise ModeError(NO_CUDA)
        return "cuda"
    return "cpu"


def declared_parameters(source: str) -> dict[str, Any]:
    """The names a parameters cell assigns, with their literal values; anything else is an error."""
    values: dict[str, Any] = {}
    for node in ast.parse(source).body:
        if not (
            isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
        ):
            raise ModeError(
                f"parameters cell must hold plain assignments only (NAME = value); found: {ast.unparse(node)}"
            )
        values[node.targets[0].id] = ast.literal_eval(node.value)
    return values


def check_injected(history: list[str]) -> None:
    """Reject parameters papermill injected that the notebook's parameters cell does not declare.

    papermill only warns about an unknown name and runs on with the default; a typo such as ``-p MDOE gpu``
    would then silently run the CPU notebook. ``history`` is IPython's ``In`` list: papermill's cell starts
    with ``# Parameters`` and follows the notebook's own parameters cell.
    """
    for i, src in enumerate(history):
        if src.lstrip().startswith("# Parameters") and i > 0:
            injected = set(declared_parameters(src))
            declared = set(declared_parameters(history[i - 1]))
            unknown = sorted(injected - declared)
            if unknown:
                raise ModeError(
                    f"unknown parameter(s) {unknown}: this notebook's parameters are {sorted(declared)}. "
                    "Check the spelling of -p/-y options (papermill itself only warns)."
                )


def limit_threads(threads: int) -> None:
    """Use ``threads`` threads in torch and in numpy's BLAS/OpenMP pools (scikit-learn, scipy).

    Without a limit, BLAS starts a thread per core in every process; notebooks running side by side then
    fight over the cores and a 1-second fit can take 20.
    """
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=threads)
    except ImportError:
        pass
    try:
        import torch

        torch.set_num_threads(threads)
    except ImportError:
        pass


def quiet_known_noise() -> None:
    """Silence log lines that are harmless on CPU and would clutter every executed notebook.

    bitsandbytes logs that its optional CPU kernels package is missing whenever it is imported (peft and
    sentence-transformers import it), and warns about a dtype cast on every 8-bit matmul.
    """
    logging.getLogger("bitsandbytes").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", message=r".*MatMul8bitLt: inputs will be cast.*")


def assert_result(condition: Any, message: str = "") -> None:
    """Assert a measured result (a model beats its baseline, a score clears a bar).

    Like ``assert`` in CPU mode and on a real GPU. In a stand-in run the models and data are stand-ins, so a
    result says nothing: it is printed as not checked instead of failing the run. Asserts of correctness (the
    from-scratch version equals the library's) stay plain ``assert``: they hold in every run.
    """
    if condition:
        return
    if standins.active():
        print(f"· stand-in run: result not checked ({message or 'assert_result'})")
        return
    raise AssertionError(message)


def setup(mode: str = "cpu", seed: int = 0, params: dict[str, Any] | None = None) -> Run:
    """Validate the parameters, seed, choose the device and threads, and in CPU mode block the network.

    ``params`` is the notebook's ``globals()``: it lets setup check papermill's injected parameters against
    the notebook's own parameters cell.
    """
    global _CURRENT_MODE
    mode = validate_mode(mode)
    _CURRENT_MODE = mode
    if params is not None:
        check_injected(list(params.get("In", [])))
    for key, value in {**THREAD_ENV, **QUIET_ENV}.items():
        os.environ.setdefault(key, value)
    device = pick_device(mode)  # imports torch in GPU mode
    threads = thread_count()
    # Keras reads ~/.keras/keras.json at import (a floatx or backend there would change results) and writes
    # one if it is missing: course runs keep their own, beside the other caches.
    os.environ.setdefault("KERAS_HOME", str(cache_root() / "keras"))
    quiet_known_noise()
    if os.environ.get("NJ_COURSE_RUNNER") == "1":  # a saved notebook shows each bar's final state
        from .progress import use_text_bars

        use_text_bars()
    standin = mode == "gpu" and standins.active()
    is_offline = mode == "cpu" or standin or os.environ.get("NJ_OFFLINE") == "1"
    if is_offline:
        os.environ.update(OFFLINE_ENV)
        offline.block_network()
    if standin:
        standins.activate()
    pin_to_worker_cores(threads)
    limit_threads(threads)
    seed_everything(seed)
    from .plotting import use_style

    use_style()
    shown = {k: v for k, v in (params or {}).items() if k.isupper() and not k.startswith("_")}
    return Run(
        mode=mode,
        seed=seed,
        device=device,
        threads=threads,
        offline=is_offline,
        params=shown,
        standin=standin,
    )
