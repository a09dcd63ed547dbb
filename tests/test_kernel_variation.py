"""The same checked outputs at every kernel level and thread count.

torch, oneDNN, MKL, OpenBLAS and numpy pick kernels by CPU feature, so a float result can differ in its last
bits between an AVX-512 machine, an AVX2 laptop and an old CPU, and between one thread and two. Checked outputs
must not depend on that (CONTRIBUTING.md, "The same results on every CPU"). These tests re-run a few of the
most float-sensitive notebooks with the kernels capped, and one with two threads instead of the suite's one,
and compare their checked outputs with the committed ones. The scheduled workflow runs every notebook at each
kernel level (`make test KERNELS=avx2`, `make test KERNELS=default`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import course
from conftest import record_result

VARIANTS = [
    # (notebook, kernel level, extra kernel environment)
    ("ch3/05_cnns_for_text.ipynb", "avx2", {}),  # float features compared after masking; convolutions
    ("ch3/01_neural_networks.ipynb", "default", {}),  # from-scratch autodiff compared with torch autograd
    ("ch1/02_tokenization.ipynb", "native", {"NJ_THREADS": "2"}),  # two threads instead of one
]


@pytest.mark.notebook
@pytest.mark.parametrize(
    ("path", "kernels", "env"),
    [(Path(nb), k, e) for nb, k, e in VARIANTS],
    ids=[f"{nb}[{k}{'-2threads' if e else ''}]" for nb, k, e in VARIANTS],
)
def test_checked_outputs_do_not_depend_on_kernels_or_threads(path, kernels, env):
    notebook = path
    variant = f"{kernels}-threads{env.get('NJ_THREADS', '1')}"
    out = course.BUILD / f"executed-variant-{variant}" / notebook
    result = course.execute(notebook, "cpu", out=out, kernels=kernels, env=env)
    result["variant"] = variant
    record_result(notebook, result, variant)
    assert result["status"] == "passed", course.failure_message(result)
    mismatches = course.checked_output_mismatches(notebook, out)
    assert not mismatches, (
        f"{notebook}: checked outputs differ with kernels={kernels} {env or ''} from the committed ones: "
        "round them to what is stable, or break float ties explicitly (CONTRIBUTING.md)\n"
        + "\n".join(mismatches)
    )
