"""Shared test plumbing: the --chapter option, notebook parametrization (longest first) and the report."""

from __future__ import annotations

import functools
import json
import os
import shutil
import socket
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import course  # noqa: E402

RESULTS = course.BUILD / "results"


# The browser tests drive the system Chromium (Debian's `chromium` package) through Playwright.
INSTALL_CHROMIUM = "sudo apt-get install chromium"
# Without these, Chromium tries the network at every start (updates, sync, QUIC probes).
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    """The system Chromium; without one the test is skipped with the install command, or fails where
    NJ_REQUIRE_BROWSER=1 (CI)."""
    # Debian's package, Ubuntu's, or Google Chrome (what GitHub's runners carry): Playwright drives any of them
    path = next(filter(None, map(shutil.which, ["chromium", "chromium-browser", "google-chrome"])), None)
    if path is None:
        message = f"Chromium is not installed: {INSTALL_CHROMIUM}"
        if os.environ.get("NJ_REQUIRE_BROWSER") == "1":
            pytest.fail(message + " (NJ_REQUIRE_BROWSER=1: this run must test in a browser)")
        pytest.skip(message)
    return path


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now, for a server a test starts."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pytest_addoption(parser):
    parser.addoption(
        "--chapter", action="append", default=None, help="only this chapter's notebooks (ch1 ... ch7)"
    )


def selected_notebooks(config) -> list[Path]:
    paths = course.notebooks(config.getoption("chapter"))
    durations = course.load_durations()
    # Longest first, so two workers finish together; unmeasured notebooks count as the CPU budget.
    return sorted(
        paths,
        key=lambda p: (
            -durations.get(p.as_posix(), {}).get("cpu", {}).get("wall_s", course.CPU_BUDGET["wall_s"])
        ),
    )


def pytest_generate_tests(metafunc):
    if "notebook" in metafunc.fixturenames:
        paths = selected_notebooks(metafunc.config)
        metafunc.parametrize("notebook", paths, ids=[p.as_posix() for p in paths])


def _is_controller(config) -> bool:
    return not hasattr(config, "workerinput")


# Notebooks that `make test` runs on the course kernel and again on a plain python3 kernel under another
# string-hash seed (tests/test_determinism.py); test_notebooks.py leaves them to it, so each runs twice, not thrice.
# The ones with the most set- and order-dependent output; a chapter not listed gets its shortest notebook.
DETERMINISM_SAMPLE = [
    "ch1/02_tokenization.ipynb",
    "ch2/03_topic_modeling.ipynb",
    "ch3/01_neural_networks.ipynb",
    "ch4/05_emerging_architectures.ipynb",
]


@functools.cache
def determinism_sample() -> tuple[Path, ...]:
    """DETERMINISM_SAMPLE, plus the shortest notebook of every chapter it does not cover: one per chapter."""
    listed = [Path(s) for s in DETERMINISM_SAMPLE]
    covered, durations = {p.parts[0] for p in listed}, course.load_durations()

    def wall(path: Path) -> float:
        return durations.get(path.as_posix(), {}).get("cpu", {}).get("wall_s", course.CPU_BUDGET["wall_s"])

    uncovered: dict[str, list[Path]] = {}
    for path in course.notebooks():
        if path.parts[0] not in covered:
            uncovered.setdefault(path.parts[0], []).append(path)
    return (*listed, *(min(paths, key=wall) for paths in uncovered.values()))


def record_result(notebook: Path, result: dict, variant: str = "") -> None:
    """Save one execution's result for the report: build/results/[<variant>__]<chapter>__<notebook>.json."""
    name = (f"{variant}__" if variant else "") + notebook.as_posix().replace("/", "__") + ".json"
    (RESULTS / name).write_text(json.dumps(result))


def run_and_check(notebook: Path) -> dict:
    """Execute a notebook in CPU mode on the course kernel, record it for the report, check its outputs."""
    result = course.execute(notebook, "cpu")
    record_result(notebook, result)
    assert result["status"] == "passed", course.failure_message(result)
    mismatches = course.checked_output_mismatches(notebook, course.ROOT / result["executed"])
    assert not mismatches, (
        f"{notebook}: committed outputs do not reproduce (run `make refresh`?)\n" + "\n".join(mismatches)
    )
    return result


# Kernel levels the kernel-variation tests run at (tests/test_kernel_variation.py).
VARIATION_KERNELS = ("avx2", "default")


# Test files that execute notebooks, and so need this machine's calibration.
EXECUTING = {
    "test_notebooks.py",
    "test_kernel_variation.py",
    "test_cli.py",
    "test_standin.py",
    "test_determinism.py",
}


def _runs_notebooks(config) -> bool:
    paths = [Path(str(a).split("::")[0]) for a in config.args] or [Path("tests")]
    return any(p.is_dir() or p.name in EXECUTING for p in paths)


def pytest_configure(config):
    """Before any worker starts a notebook: measure this machine once per kernel level, on a quiet machine."""
    if _is_controller(config) and not config.option.collectonly and _runs_notebooks(config):
        course.CALIBRATION_FILE.unlink(missing_ok=True)
        for kernels in dict.fromkeys([course.kernels_arg(None), *VARIATION_KERNELS]):
            course.calibrate(kernels)


def pytest_sessionstart(session):
    if _is_controller(session.config):
        shutil.rmtree(RESULTS, ignore_errors=True)
        RESULTS.mkdir(parents=True, exist_ok=True)


def pytest_sessionfinish(session):
    if not _is_controller(session.config) or not RESULTS.exists():
        return
    results = [json.loads(p.read_text()) for p in sorted(RESULTS.glob("*.json"))]
    if results:
        course.write_report(results)
        print(
            "\n\nNotebook report (build/report.md, build/report.json):\n"
            f"{course.machine_line(results)}\n{course.report_table(results)}\n"
        )
