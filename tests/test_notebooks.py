"""Every notebook, executed once by papermill in CPU mode: no error, no network, checked outputs reproduce."""

from __future__ import annotations

import json

import pytest

import course
from conftest import RESULTS


@pytest.mark.notebook
def test_notebook_runs_offline_and_reproduces(notebook):
    result = course.execute(notebook, "cpu")
    (RESULTS / (notebook.as_posix().replace("/", "__") + ".json")).write_text(json.dumps(result))
    assert result["status"] == "passed", course.failure_message(result)
    mismatches = course.checked_output_mismatches(notebook, course.ROOT / result["executed"])
    assert not mismatches, (
        f"{notebook}: committed outputs do not reproduce (run `make refresh`?)\n" + "\n".join(mismatches)
    )
