"""The notebook contract (CONTRIBUTING.md), checked on every source notebook without executing it."""

from __future__ import annotations

import ast
import re

import nbformat
import pytest

import course

PATHS = course.notebooks()
ids = [p.as_posix() for p in PATHS]


@pytest.fixture(params=PATHS, ids=ids)
def nb_path(request):
    return request.param


@pytest.fixture
def nb(nb_path):
    return course.read_nb(nb_path)


def code(nb) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "code")


def markdown(nb) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def test_file_name_and_format(nb_path, nb):
    assert course.NOTEBOOK_NAME.match(nb_path.name), (
        f"{nb_path}: name notebooks NN_topic.ipynb (two digits, lower case)"
    )
    nbformat.validate(nb)
    assert all(c.get("id") for c in nb.cells), (
        "every cell needs an id (nbformat 4.5): open and save it in Jupyter"
    )


def test_title_cell(nb_path, nb):
    first = nb.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# "), (
        "first cell: a markdown title '# ...'"
    )
    assert "**Measured runtime:**" in first.source, "the title cell needs the runtime line: run `make sync`"
    assert re.search(r"(?i)you will|what you", first.source), (
        "the title cell says what the learner builds and learns"
    )


def test_colab_cell_is_generated(nb):
    cells = course.tagged(nb, "colab")
    assert len(cells) == 1 and nb.cells[1] is cells[0], "the second cell is the Colab cell, tagged 'colab'"
    assert cells[0].source == course.colab_cell_source(), "the Colab cell is stale: run `make sync`"


def test_parameters_cell(nb):
    cells = course.tagged(nb, "parameters")
    assert len(cells) == 1, "exactly one cell tagged 'parameters'"
    tree = ast.parse(cells[0].source)
    names = [n.targets[0].id for n in tree.body]  # declared_parameters below rejects anything but assignments
    params = course.parameters_of(nb)
    assert names[:2] == ["MODE", "SEED"], "the parameters cell starts with MODE, then SEED"
    assert params["MODE"] == "cpu", 'MODE = "cpu" is the default'
    assert isinstance(params["SEED"], int)
    assert all(n.isupper() for n in names), f"parameter names are UPPER_CASE: {names}"


def test_setup_follows_parameters(nb):
    index = nb.cells.index(course.tagged(nb, "parameters")[0])
    after = nb.cells[index + 1].source
    assert "nj.setup(MODE, SEED, params=globals())" in after, (
        "the cell after the parameters calls nj.setup(...)"
    )
    assert ".settings(" in after, "the cell after the parameters derives settings from a per-mode table"


def test_teaching_contract(nb):
    src, md = code(nb), markdown(nb)
    assert re.search(r"^assert ", src, re.MULTILINE), (
        "assert the from-scratch version agrees with the library"
    )
    assert re.search(r"plt\.|\.plot\(", src), "show at least one plot"
    assert re.search(r"^## Exercises", md, re.MULTILINE), "an '## Exercises' section"
    assert len(re.findall(r"\bnj\.check\w*\(", src)) >= 2, "at least two exercises checked with nj.check*"
    assert re.search(r"^## Sources", md, re.MULTILINE), "a '## Sources' section"


def test_outputs_committed_from_a_clean_cpu_run(nb):
    cells = [c for c in nb.cells if c.cell_type == "code"]
    assert any(c.outputs for c in cells), "commit the outputs of a CPU-mode run (`make refresh`)"
    errors = [o for c in cells for o in c.outputs if o.output_type == "error"]
    assert not errors, "committed outputs contain an error: `make refresh`"
    counts = [c.execution_count for c in cells if c.execution_count is not None]
    assert counts == sorted(counts), "outputs come from a top-to-bottom run: `make refresh`"


def test_metadata_normalized(nb):
    assert nb.metadata == course.NOTEBOOK_METADATA, (
        "notebook metadata not normalized: `make refresh` or `make hooks`"
    )
    extra = [c.metadata for c in nb.cells if set(c.metadata) - {"tags", "jupyter"}]
    assert not extra, f"cell metadata beyond tags: {extra[:2]}"
    for cell in nb.cells:
        hidden = cell.metadata.get("jupyter", {}).get("source_hidden", False)
        assert hidden == ("solution" in cell.metadata.get("tags", [])), (
            "only solution cells are collapsed: `make refresh`"
        )


def test_runtime_recorded(nb_path):
    assert "cpu" in course.load_durations().get(nb_path.as_posix(), {}), (
        "no CPU runtime in durations.json: `make refresh`"
    )


def test_readme_and_notebooks_in_sync():
    durations = course.load_durations()
    old, new = course.synced_readme(durations)
    assert old == new, "README course map is stale: run `make sync`"
    listed = re.findall(r"\]\((ch\d/\d\d_[a-z0-9_]+\.ipynb)\)", old)
    assert listed == [p.as_posix() for p in PATHS], (
        "the README course map lists exactly the notebooks that exist"
    )
    for path in PATHS:
        before, after = course.synced_notebook(path, durations)
        assert before == after, f"{path}: badge or runtime line is stale: run `make sync`"


def test_durations_name_existing_notebooks():
    stale = sorted(set(course.load_durations()) - {p.as_posix() for p in PATHS})
    assert not stale, f"durations.json lists notebooks that do not exist: {stale}"
