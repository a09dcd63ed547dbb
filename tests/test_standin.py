"""The stand-in run: one notebook per chapter executes GPU mode's code path offline, on the CPU.

``make chapterN MODE=gpu STANDIN=1`` runs a whole chapter this way, and the scheduled workflow runs them all.
A stand-in run swaps every Hub id of the GPU row for a local stand-in and caps every size to the CPU row's
(``nlpjourney.standins``); it checks that GPU mode's code runs, not what it measures.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import course
from conftest import record_result

# chosen for what their GPU rows load: a Hub corpus and two Hub models; a Hub sentiment dataset with other
# column names; a Hub classification dataset through nj.data.labelled
STANDIN_NOTEBOOKS = [
    "ch1/02_tokenization.ipynb",
    "ch2/05_sentiment_analysis.ipynb",
    "ch3/01_neural_networks.ipynb",
]


@pytest.mark.notebook
@pytest.mark.parametrize("path", [Path(p) for p in STANDIN_NOTEBOOKS], ids=STANDIN_NOTEBOOKS)
def test_gpu_code_path_runs_with_standins(path):
    notebook = path
    result = course.execute(notebook, "gpu", standin=True)
    record_result(notebook, result, "standin")
    assert result["status"] == "passed", course.failure_message(result)
    assert result["mode"] == "gpu-standin"
