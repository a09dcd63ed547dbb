"""The course tools on a tiny fixture notebook: errors that say how to fix them, the offline rule, reports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import course

FIXTURE = Path("tests/fixtures/00_fixture.ipynb")


def run_fixture(tmp_path, **params):
    return course.execute(FIXTURE, params.pop("mode", "cpu"), out=tmp_path / "out.ipynb", params=params)


def test_fixture_runs_and_is_measured(tmp_path):
    r = run_fixture(tmp_path)
    assert r["status"] == "passed", course.failure_message(r)
    assert r["wall_s"] > 0 and r["peak_mb"] > 50
    assert not course.checked_output_mismatches(FIXTURE, tmp_path / "out.ipynb")


def test_changed_checked_output_is_reported(tmp_path):
    run_fixture(tmp_path)
    executed = nbformat.read(str(tmp_path / "out.ipynb"), as_version=4)
    checked = next(c for c in executed.cells if "NBVAL_CHECK_OUTPUT" in c.source)
    checked.outputs[0].text = "4\n"
    nbformat.write(executed, str(tmp_path / "out.ipynb"))
    problems = course.checked_output_mismatches(FIXTURE, tmp_path / "out.ipynb")
    assert len(problems) == 1 and "outputs differ" in problems[0]


def test_unknown_parameter_is_refused_before_running(tmp_path):
    with pytest.raises(course.CourseError, match=r"unknown parameter\(s\) \['MDOE'\]"):
        run_fixture(tmp_path, MDOE="gpu")


def test_unknown_parameter_injected_by_plain_papermill_fails_in_the_notebook(tmp_path, monkeypatch):
    monkeypatch.setattr(course, "check_parameters", lambda path, params: None)
    r = run_fixture(tmp_path, MDOE="gpu")
    assert r["status"] == "failed" and "unknown parameter" in r["error"]
    assert r["failed_cell"] is not None and "at cell" in course.failure_message(r)
    assert Path(course.ROOT / r["executed"]).exists(), "the executed copy is kept for inspection"


def test_unknown_mode_lists_valid_modes(tmp_path):
    r = run_fixture(tmp_path, MODE="tpu")
    assert r["status"] == "failed" and "Valid modes: 'cpu', 'gpu'" in r["error"]


def test_gpu_mode_without_cuda_says_how_to_switch(tmp_path):
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    r = run_fixture(tmp_path, mode="gpu")
    assert r["status"] == "failed" and 'MODE = \\"cpu\\"' in json.dumps(r["error"])


def test_swallowed_network_attempt_still_fails_the_run(tmp_path):
    r = run_fixture(tmp_path, NETWORK=True)
    assert r["status"] == "failed" and "tried to reach the network" in r["error"]
    assert any("example.org" in a for a in r["network_attempts"])


def test_cli_rejects_unknown_chapter_and_mode():
    tool = [sys.executable, str(course.ROOT / "tools" / "course.py")]
    r = subprocess.run([*tool, "run", "--chapter", "ch9"], capture_output=True, text=True)
    assert r.returncode == 2 and "chapters are ch1" in r.stderr
    r = subprocess.run([*tool, "run", "--mode", "tpu"], capture_output=True, text=True)
    assert r.returncode == 2 and "MODE=cpu or MODE=gpu" in r.stderr


def test_normalized_strips_execution_metadata():
    nb = nbformat.read(str(course.ROOT / FIXTURE), as_version=4)
    nb.metadata["papermill"] = {"duration": 1}
    nb.cells[2].metadata["execution"] = {"iopub.status.busy": "x"}
    bar = nbformat.v4.new_output(
        "display_data", data={course.WIDGET_VIEW: {"model_id": "x"}, "text/plain": "0%|"}
    )
    nb.cells[3].outputs.append(bar)
    frozen = nbformat.v4.new_output(
        "display_data", data={"text/plain": "Batches:   0%|          | 0/18 [00:00<?, ?it/s]"}
    )
    nb.cells[3].outputs.append(frozen)
    clean = course.normalized(nb)
    assert clean.cells[3].outputs == nb.cells[3].outputs[:1], "progress-bar widgets are dropped, text kept"
    assert clean.metadata == course.NOTEBOOK_METADATA
    assert clean.cells[1].metadata == {"tags": ["parameters"]} and clean.cells[2].metadata == {}


def test_matrix_lists_chapters_with_notebooks(capsys):
    course.cmd_matrix(None)
    chapters = json.loads(capsys.readouterr().out)
    assert sorted(chapters) == sorted({p.parts[0] for p in course.notebooks()})


def test_scaffold_holds_every_contract_cell():
    nb = course.scaffold(Path("ch3/01_neural_networks.ipynb"), "Neural networks")
    nbformat.validate(nb)
    assert nb.cells[0].source.startswith("# Neural networks")
    assert course.tagged(nb, "colab")[0].source == course.colab_cell_source("ch3")
    assert course.parameters_of(nb) == {"MODE": "cpu", "SEED": 0}
    assert "nj.setup(MODE, SEED, params=globals())" in nb.cells[3].source
    assert course.tagged(nb, "solution")[0].metadata["jupyter"] == {"source_hidden": True}
    with pytest.raises(course.CourseError, match="name a new notebook like"):
        course.scaffold(Path("ch3/neural.ipynb"), "x")


def test_new_refuses_to_overwrite(capsys):
    existing = course.notebooks()[0]
    args = type("Args", (), {"path": str(existing), "title": "x"})
    with pytest.raises(course.CourseError, match="already exists"):
        course.cmd_new(args)


def test_kernels_get_a_fixed_hash_seed_and_sleeping_openmp_threads(tmp_path):
    assert course.kernel_env("cpu")["PYTHONHASHSEED"] == "0"
    assert course.kernel_env("gpu")["OMP_WAIT_POLICY"] == "PASSIVE"
    assert course.kernel_env("cpu")["HF_HUB_OFFLINE"] == "1" and "HF_HUB_OFFLINE" not in course.KERNEL_ENV


# ---- runs as a learner would, and the calibrated budgets


@pytest.mark.notebook
def test_run_all_outside_the_course_runner_leaves_every_exercise_unanswered(tmp_path):
    """Plain papermill or Jupyter's Run all: no solution fills in, and the notebook still runs to the end."""
    notebook = Path("ch1/01_what_is_nlp.ipynb")
    out = tmp_path / notebook.name
    r = course.execute(notebook, "cpu", out=out, env={"NJ_COURSE_RUNNER": "0"})
    assert r["status"] == "passed", course.failure_message(r)
    executed = nbformat.read(str(out), as_version=4)
    checks = [c for c in executed.cells if c.cell_type == "code" and "nj.check_" in c.source]
    text = "\n".join(o.get("text", "") for c in checks for o in c.outputs)
    n_checks = sum(c.source.count("nj.check_") for c in checks)
    assert n_checks >= 2 and text.count("not answered yet") == n_checks, text
    assert "✔" not in text


def test_kernel_levels_and_bad_kernels_value(monkeypatch):
    assert course.kernel_env("cpu", kernels="avx2")["ATEN_CPU_CAPABILITY"] == "avx2"
    assert "ATEN_CPU_CAPABILITY" not in course.KERNEL_LEVELS["native"]
    with pytest.raises(course.CourseError, match="use one of native, avx2, default"):
        course.kernels_arg("avx9000")
    monkeypatch.setenv("NJ_KERNELS", "default")
    assert course.kernels_arg(None) == "default"


def test_calibration_normalizes_wall_time_and_names_the_machine(tmp_path):
    cal = course.calibration("native")
    assert 0.05 < cal["speed"] < 20 and "cores" in cal["machine"]
    r = run_fixture(tmp_path)
    assert r["wall_s"] == round(r["raw_wall_s"] * cal["speed"], 1)
    assert r["machine"] == cal["machine"] and r["kernels"] == "native"
    assert "speed" in course.machine_line([r])


def test_standin_needs_gpu_mode_and_is_never_recorded(tmp_path):
    with pytest.raises(course.CourseError, match="use MODE=gpu with STANDIN=1"):
        course.execute(FIXTURE, "cpu", out=tmp_path / "x.ipynb", standin=True)
    fake = {"notebook": "ch1/01_what_is_nlp.ipynb", "mode": "gpu-standin", "status": "passed", "wall_s": 1.0,
            "peak_mb": 1.0, "standin": True}  # fmt: skip
    before = course.load_durations()
    try:
        assert course.record_durations([fake]) == before
    finally:
        course.save_durations(before)


def test_settings_table_is_read_without_running_the_notebook():
    table = course.settings_table(course.read_nb(Path("ch3/06_attention_seq2seq.ipynb")))
    assert set(table) >= {"cpu", "gpu"} and table["cpu"].keys() == table["gpu"].keys()


def test_checked_outputs_are_not_compared_on_another_python(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(course, "OUTPUTS_PYTHON", (2, 7))
    assert course.checked_output_mismatches(FIXTURE, tmp_path / "missing.ipynb") == []
    assert "not compared" in capsys.readouterr().err


def test_determinism_compares_whole_streams_and_skips_timing_cells(tmp_path):
    def notebook(name, chunks, timing):
        nb = nbformat.v4.new_notebook()
        cell = nbformat.v4.new_code_cell("print('a'); print('b')", id="table")
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=t) for t in chunks]
        timed = nbformat.v4.new_code_cell(f"{course.TIMING_MARK}: prints timings", id="timed")
        timed.outputs = [nbformat.v4.new_output("stream", name="stdout", text=f"{timing} ms\n")]
        nb.cells = [cell, timed]
        path = tmp_path / name
        nbformat.write(nb, str(path))
        return path

    one = notebook("one.ipynb", ["a\n", "b\n", "fitted in 0.9 s (5× faster)\n"], 17)
    two = notebook("two.ipynb", ["a\nb", "\nfitted in 1.4 s (4× faster)\n"], 11)
    assert course.determinism_mismatches(one, two) == []
    three = notebook("three.ipynb", ["a\n", "c\n", "fitted in 0.9 s (5× faster)\n"], 17)
    assert course.determinism_mismatches(one, three) == ["  cell table, line 3: 'b' vs 'c'"]


def test_pip_sources_pass_on_pip_mirrors_and_skip_missing_ones(tmp_path, monkeypatch, capsys):
    """uv reads no pip configuration: `make setup` hands it pip's sources, minus folders that do not exist."""
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)  # no pip.conf of this machine
    monkeypatch.setenv("PIP_FIND_LINKS", f"{tmp_path} {tmp_path / 'gone'}")
    monkeypatch.setenv("PIP_EXTRA_INDEX_URL", f"file://{tmp_path / 'gone'} https://mirror.invalid/simple")
    monkeypatch.delenv("PIP_INDEX_URL", raising=False)
    assert course.pip_sources() == {
        "index-url": [],
        "extra-index-url": ["https://mirror.invalid/simple"],
        "find-links": [str(tmp_path)],
    }
    assert course.main(["pip-sources"]) == 0
    flags = capsys.readouterr().out.split()
    pypi = "https://pypi.org/simple"  # first: uv takes a version's files from the first index listing it
    assert flags == [
        "--index-strategy",
        "unsafe-best-match",
        "--index",
        pypi,
        "--index",
        "https://mirror.invalid/simple",
        "--find-links",
        str(tmp_path),
        "--default-index",
        pypi,
    ]
