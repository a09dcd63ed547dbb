"""The same output at a fixed seed, whatever kernel runs the notebook.

A learner runs a notebook on the course kernel (`make chapterN`), on a plain `python3` kernel (JupyterLab,
Colab, papermill by hand), or twice in a row: what it prints must not change. The course kernel fixes
`PYTHONHASHSEED=0`; a plain kernel draws a new string-hash seed each start, which reorders sets and dict
keys built from them. This test runs a notebook twice on the plain `python3` kernel under two different hash
seeds and compares every code cell's text output (cells marked `# NBVAL_IGNORE_OUTPUT` print timings and are
skipped). `make test` checks the notebooks in SAMPLE; `make determinism` (the scheduled workflow) checks all.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import course
from conftest import RESULTS

# In `make test`: notebooks whose output was checked to repeat under two hash seeds. ch1/02's sampled
# SentencePiece segmentations still change with the hash seed (an open defect): the weekly run reports it.
SAMPLE = [
    "ch1/02_tokenization.ipynb",
    "ch2/03_topic_modeling.ipynb",
    "ch4/05_emerging_architectures.ipynb",
]


def chosen() -> list[Path]:
    if os.environ.get("NJ_DETERMINISM") == "all":
        return course.notebooks()
    return [Path(s) for s in SAMPLE]


@pytest.mark.notebook
@pytest.mark.parametrize("path", chosen(), ids=lambda p: p.as_posix())
def test_output_does_not_depend_on_kernel_or_hash_seed(path, request):
    chapters = request.config.getoption("chapter")
    if chapters and path.parts[0] not in chapters:
        pytest.skip(f"not in --chapter {chapters}")
    outs = []
    for seed in ("1", "2"):
        out = course.BUILD / f"executed-hashseed-{seed}" / path
        result = course.execute(path, "cpu", out=out, env={"NJ_KERNEL": "python3", "PYTHONHASHSEED": seed})
        result["variant"] = f"python3-hashseed{seed}"
        name = f"hashseed{seed}__" + path.as_posix().replace("/", "__") + ".json"
        (RESULTS / name).write_text(json.dumps(result))
        assert result["status"] == "passed", course.failure_message(result)
        outs.append(out)
    differ = course.determinism_mismatches(*outs)
    assert not differ, (
        f"{path}: the output changes between two runs at the same seed on the plain python3 kernel "
        "(different string-hash seeds). Sort what comes from a set or a Counter tie, seed every generator, "
        "and mark a cell that prints timings `# NBVAL_IGNORE_OUTPUT`:\n" + "\n".join(differ)
    )
