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


def test_colab_cell_is_generated(nb, nb_path):
    cells = course.tagged(nb, "colab")
    assert len(cells) == 1 and nb.cells[1] is cells[0], "the second cell is the Colab cell, tagged 'colab'"
    expected = course.colab_cell_source(nb_path.parts[0])
    assert cells[0].source == expected, "the Colab cell is stale: run `make sync`"


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
    assert len(re.findall(r"\bnj\.check_(?:hash|function)\(", src)) >= 2, (
        "at least two exercises checked with nj.check_hash / nj.check_function"
    )
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


# ---- exercises: the learner does them, checks hide the answer and refuse constants (CONTRIBUTING.md, 11)

HEX64 = re.compile(r"^[0-9a-f]{64}$")


def calls(source: str, name: str) -> list[ast.Call]:
    """Calls of ``nj.<name>(...)`` in a code cell (cells with IPython magics are skipped)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    return [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute)
        and n.func.attr == name
        and isinstance(n.func.value, ast.Name)
        and n.func.value.id == "nj"
    ]


def test_solutions_fill_in_only_under_the_course_runner(nb):
    solutions = course.tagged(nb, "solution")
    assert solutions, "exercises need worked solutions in cells tagged 'solution'"
    for cell in solutions:
        assert cell.source.lstrip().startswith("if nj.needs_solution("), (
            "a solution cell starts with `if nj.needs_solution(answer_k):` so that it fills in only under the "
            f"course runner and only while the learner has not answered:\n{cell.source[:200]}"
        )
    plain = [
        c.source
        for c in nb.cells
        if c.cell_type == "code" and re.search(r"^if answer_\d+ is \.\.\.", c.source, re.M)
    ]
    assert not plain, f"`if answer_k is ...` fills in on Run all: use nj.needs_solution: {plain[:1]}"


def test_checks_hide_the_answer_and_refuse_constants(nb):
    src = code(nb)
    banned = re.findall(r"\bnj\.(?:check|check_true)\(|\bexercises\.(?:check|check_true)\(", src)
    assert not banned, (
        "nj.check / nj.check_true show the answer or accept a constant: use nj.check_hash (a hidden value) "
        "or nj.check_function (build and match)"
    )
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for call in calls(cell.source, "check_hash"):
            digest = call.args[2] if len(call.args) > 2 else None
            literal = isinstance(digest, ast.Constant) and HEX64.match(str(digest.value))
            per_mode = isinstance(digest, ast.Dict) and all(
                isinstance(v, ast.Constant) and HEX64.match(str(v.value)) for v in digest.values
            )
            assert literal or per_mode, (
                "nj.check_hash takes the digest as a literal (64 hex digits, or {'cpu': ..., 'gpu': ...}), "
                f"never computed in the notebook: {ast.unparse(call)[:160]}"
            )


def test_has_a_build_and_match_exercise(nb):
    assert any(calls(c.source, "check_function") for c in nb.cells if c.cell_type == "code"), (
        "at least one build-and-match exercise: the learner writes a function and nj.check_function matches "
        "it against the library or the notebook's reference"
    )


# ---- floats: the same results on every CPU (CONTRIBUTING.md, "The same results on every CPU")

EXACT_FLOAT_EQUALITY = re.compile(r"torch\.equal\(|np\.array_equal\(|numpy\.array_equal\(")


def test_exact_equality_only_where_exact_by_construction(nb):
    flagged = [
        line.strip()
        for c in nb.cells
        if c.cell_type == "code"
        for line in c.source.splitlines()
        if EXACT_FLOAT_EQUALITY.search(line) and "# exact:" not in line
    ]
    assert not flagged, (
        "exact equality can differ between CPUs for floats: use torch.testing.assert_close / "
        "np.testing.assert_allclose with a tolerance, or mark a comparison that is exact by construction "
        f"(integers, ids, a copy) with '# exact: <why>': {flagged[:3]}"
    )


def test_gpu_manifest_lists_what_gpu_mode_downloads():
    """gpu-manifest.json is generated from the notebooks' GPU rows; every Hub id there has a stand-in."""
    import json

    assert course.MANIFEST.exists(), "gpu-manifest.json is missing: run `make manifest`"
    assert json.loads(course.MANIFEST.read_text()) == course.manifest(), (
        "gpu-manifest.json is out of date: run `make manifest`"
    )
