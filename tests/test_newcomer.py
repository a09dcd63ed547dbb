"""The newcomer's path: fail fast without a GPU, study copies, a fork's Colab cells, JupyterLab, install sets."""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from importlib import metadata
from pathlib import Path

import pytest

import course
from conftest import free_port

ROOT = course.ROOT
PY = sys.executable


def test_gpu_mode_without_cuda_stops_before_installing_with_one_message():
    if course.cuda_visible():
        pytest.skip("this machine has CUDA")
    done = subprocess.run(
        ["make", "-s", "--no-print-directory", "chapter1", "MODE=gpu"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    assert done.stderr.count("needs a CUDA GPU") == 1, done.stderr
    assert "installing" not in done.stdout and "running" not in done.stdout, done.stdout


def test_study_copies_run_by_the_runner_and_are_never_overwritten(tmp_path, monkeypatch, capsys):
    study = ROOT / "build" / "test-study"
    shutil.rmtree(study, ignore_errors=True)
    monkeypatch.setattr(course, "STUDY", study)
    course.cmd_study(course.argparse.Namespace(chapter=["ch1"]))
    copies = sorted(study.glob("ch1/*.ipynb"))
    assert [p.name for p in copies] == [p.name for p in course.notebooks(["ch1"])]
    mine = copies[0]
    mine.write_text(mine.read_text().replace("answer_1 = ...", "answer_1 = 'my own answer'"))
    course.cmd_study(course.argparse.Namespace(chapter=["ch1"]))
    assert "my own answer" in mine.read_text(), "a second make study overwrote the learner's copy"
    assert "kept (yours, not overwritten)" in capsys.readouterr().out
    # the runner runs a study copy (the learner's answers are checked, the committed outputs are not compared)
    fresh = study / "ch1" / course.notebooks(["ch1"])[0].name
    fresh.unlink()
    course.cmd_study(course.argparse.Namespace(chapter=["ch1"]))
    rel = fresh.relative_to(ROOT)
    assert course.selected(course.argparse.Namespace(notebook=[str(rel)], chapter=None)) == [rel]
    result = course.execute(rel, "cpu")
    assert result["status"] == "passed", course.failure_message(result)
    shutil.rmtree(study)


def test_fork_points_badges_and_colab_cells_at_the_fork(tmp_path):
    copy = tmp_path / "fork"
    for name in ("tools", "src", "requirements", "pyproject.toml", "README.md", "durations.json", "ch1"):
        src = ROOT / name
        if src.is_dir():  # a notebook running beside this test leaves its kernel's Unix sockets in its folder
            shutil.copytree(src, copy / name, ignore=shutil.ignore_patterns("kernel-ipc-*"))
        else:
            shutil.copy(src, copy / name)
    bad = subprocess.run(
        [PY, "tools/course.py", "fork", "not a repo"], cwd=copy, capture_output=True, text=True
    )
    assert bad.returncode == 2 and "owner/name" in bad.stderr
    done = subprocess.run(
        [PY, "tools/course.py", "fork", "ada/nlp-journey", "--branch", "study"],
        cwd=copy,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert 'repository = "ada/nlp-journey"' in (copy / "pyproject.toml").read_text()
    nb = json.loads((copy / "ch1" / "01_what_is_nlp.ipynb").read_text())
    assert "github.com/ada/nlp-journey@study" in "".join(nb["cells"][1]["source"])
    assert "colab.research.google.com/github/ada/nlp-journey/blob/study/" in (copy / "README.md").read_text()
    check = subprocess.run(
        [PY, "tools/course.py", "sync", "--check"], cwd=copy, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr


def test_jupyterlab_starts_on_a_free_loopback_port_and_stops():
    port, token = free_port(), "nj-test-token"
    server = subprocess.Popen(
        [
            "make",
            "-s",
            "--no-print-directory",
            "jupyter",
            f"PORT={port}",
            f"ARGS=--IdentityProvider.token={token}",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        status, deadline = None, time.monotonic() + 90
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/kernelspecs?token={token}") as r:
                    status = json.loads(r.read())
                break
            except OSError:
                time.sleep(1)
        assert status is not None, f"JupyterLab did not answer on 127.0.0.1:{port}"
        assert {"python3", course.KERNEL} <= set(status["kernelspecs"])
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        log = server.communicate(timeout=30)[0]
    assert server.returncode is not None
    assert "Running as root is not recommended" not in log


def imported_distributions(path: Path) -> set[str]:
    """The installed distributions a notebook's code imports (standard library and the course left out)."""
    mapping = metadata.packages_distributions()
    cells = [c for c in json.loads((ROOT / path).read_text())["cells"] if c["cell_type"] == "code"]
    # modules the notebook writes itself (`%%writefile chat_app.py`) are imported from beside it, not installed
    own = {
        Path(line.split()[-1]).stem
        for c in cells
        if (line := "".join(c["source"]).split("\n", 1)[0]).startswith("%%writefile") and line.endswith(".py")
    }
    found = set()
    for cell in cells:
        source = "\n".join(
            ln for ln in "".join(cell["source"]).splitlines() if not ln.lstrip().startswith(("%", "!"))
        )
        for node in ast.walk(ast.parse(source)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top in sys.stdlib_module_names or top == "nlpjourney" or top in own:
                    continue
                found |= {course.requirement_name(d) for d in mapping.get(top, [top])}
    return found


def closure(names: set[str]) -> set[str]:
    """The distributions installing `names` brings in (their requirements, recursively)."""
    seen, todo = set(), list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        todo += [course.requirement_name(r) for r in requires if "extra ==" not in r]
    return seen


@pytest.mark.parametrize("chapter", [c for c in course.CHAPTERS if course.notebooks([c])])
def test_notebooks_import_only_their_install_set(chapter):
    sets = {course.requirement_name(x) for x in course.install_set("core") + course.install_set(chapter)}
    allowed = closure(sets | set(course.packaged_models(chapter)))
    for path in course.notebooks([chapter]):
        outside = sorted(imported_distributions(path) - allowed)
        assert not outside, (
            f"{path} imports {outside}, which `make {chapter.replace('ch', 'chapter')}` does not install: "
            f"add them to requirements/{chapter}.in (the lock already holds every set's union: `make lock` if not)"
        )


def test_install_sets_union_is_the_lock_input():
    union = {course.requirement_name(x) for n in ["core", *course.CHAPTERS] for x in course.install_set(n)}
    locked = set(re.findall(r"^([A-Za-z0-9_.-]+)==", (ROOT / "requirements" / "base.txt").read_text(), re.M))
    missing = sorted(union - {course.requirement_name(x) for x in locked})
    assert not missing, f"in an install set but not in requirements/base.txt: {missing}; run `make lock`"


def test_the_core_set_loads_the_packaged_smollm2():
    """`make chapter1` dequantizes the packaged SmolLM2 right after the core set: transformers reads a GGUF file
    with gguf and refuses to load one without accelerate, so both belong to core, not to a later chapter."""
    core = {course.requirement_name(x) for x in course.install_set("core")}
    assert {"gguf", "accelerate"} <= core, (
        f"add {sorted({'gguf', 'accelerate'} - core)} to requirements/core.in"
    )
