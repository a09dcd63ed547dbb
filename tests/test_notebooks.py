"""Every notebook, executed once by papermill in CPU mode: no error, no network, checked outputs reproduce."""

from __future__ import annotations

import pytest

from conftest import determinism_sample, run_and_check


@pytest.mark.notebook
def test_notebook_runs_offline_and_reproduces(notebook):
    if notebook in determinism_sample():
        pytest.skip("run and checked by test_determinism.py, beside a second run on a plain python3 kernel")
    run_and_check(notebook)
