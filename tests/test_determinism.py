"""The same output at a fixed seed, whatever kernel runs the notebook.

A learner runs a notebook on the course kernel (`make chapterN`), on a plain `python3` kernel (JupyterLab,
Colab, papermill by hand), or twice in a row: what it prints must not change. The course kernel fixes
`PYTHONHASHSEED=0`; a plain kernel draws a new string-hash seed each start, which reorders sets and dict
keys built from them. `make test` runs one notebook per chapter (conftest's determinism_sample) on the
course kernel (that run is also its test_notebooks run: checked outputs compared) and on a plain `python3`
kernel with hash seed 1; `make determinism` (the scheduled workflow) runs every notebook on two plain kernels,
hash seeds 1 and 2. Every code cell's text output is compared, streams whole, with printed durations masked
(cells marked `# NBVAL_IGNORE_OUTPUT` print timings and are skipped).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import course
from conftest import determinism_sample, record_result, run_and_check


def chosen() -> list[Path]:
    if os.environ.get("NJ_DETERMINISM") == "all":
        return course.notebooks()
    return list(determinism_sample())


@pytest.mark.notebook
@pytest.mark.parametrize("path", chosen(), ids=lambda p: p.as_posix())
def test_output_does_not_depend_on_kernel_or_hash_seed(path, request):
    chapters = request.config.getoption("chapter")
    if chapters and path.parts[0] not in chapters:
        pytest.skip(f"not in --chapter {chapters}")
    outs = []
    if os.environ.get("NJ_DETERMINISM") == "all":  # `make determinism`: two plain kernels, hash seeds 1 and 2
        runs = [{"NJ_KERNEL": "python3", "PYTHONHASHSEED": seed} for seed in ("1", "2")]
    else:  # `make test`: this run is the notebook's test_notebooks run too (the course kernel, hash seed 0)
        outs.append(course.ROOT / run_and_check(path)["executed"])
        runs = [{"NJ_KERNEL": "python3", "PYTHONHASHSEED": "1"}]
    for env in runs:
        seed = env["PYTHONHASHSEED"]
        out = course.BUILD / f"executed-hashseed-{seed}" / path
        result = course.execute(path, "cpu", out=out, env=env)
        result["variant"] = f"python3-hashseed{seed}"
        record_result(path, result, f"hashseed{seed}")
        assert result["status"] == "passed", course.failure_message(result)
        outs.append(out)
    differ = course.determinism_mismatches(*outs)
    assert not differ, (
        f"{path}: the output changes between two runs at the same seed on two kernels with different "
        "string-hash seeds. Sort what comes from a set or a Counter tie, seed every generator, "
        "and mark a cell that prints timings `# NBVAL_IGNORE_OUTPUT`:\n" + "\n".join(differ)
    )
