"""Build the course website (`make site`): every notebook's committed CPU-mode outputs, rendered offline.

    python tools/course_site.py            build/site/ (index.html is the landing page)

Nothing is executed: the pages show the outputs that `make refresh` committed and CI checked. The table of
contents, the chapter pages and the landing page's course map are generated from the notebooks that exist (the
same source as the README's course map), so a new notebook needs no site edit. Jupyter Book 1 (Sphinx) renders
them; it writes only under build/ (the generated sources in build/site-src/, Sphinx's work in build/site-work/,
the site in build/site/). Formulas are written as MathML at build time (tools/sphinx_mathml.py) and the Colab badge
is a local image, so a page loads nothing from another host.

A notebook the site cannot show well fails the build with a message naming it: no markdown title in its first
cell, a name the table of contents would skip, or one output over MAX_OUTPUT_MB (a page must stay light).
Solution cells (tag ``solution``) and the Colab install cell are left out of the pages; exercises stay.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import course  # noqa: E402  (the course's own tool, beside this file)
from course import BUILD, CHAPTER_TITLES, ROOT, CourseError  # noqa: E402

SRC, WORK, SITE = BUILD / "site-src", BUILD / "site-work", BUILD / "site"
MAX_OUTPUT_MB = 1.0  # one cell output larger than this fails the build: make the figure smaller or print less
LEFT_OUT_TAGS = {"solution": "remove-cell", "colab": "remove-cell"}  # source tag -> Jupyter Book tag
BADGE = re.compile(r"\[!\[Open in Colab\]\(https://colab\.research\.google\.com/assets/colab-badge\.svg\)\]")
LOCAL_BADGE = "[![Open in Colab]({prefix}_static/colab-badge.svg)]"
COLAB_SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="117" height="20" role="img" aria-label="Open in Colab">
<rect width="117" height="20" rx="3" fill="#555"/><rect x="42" width="75" height="20" rx="3" fill="#f9ab00"/>
<rect x="42" width="6" height="20" fill="#f9ab00"/>
<g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11">
<text x="7" y="14">Open</text><text x="49" y="14" fill="#222">in Colab</text></g></svg>
"""
FAVICON_SVG = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6"
fill="#1f5f8b"/><text x="16" y="22" font-family="Verdana,DejaVu Sans,sans-serif" font-size="15" fill="#fff"
text-anchor="middle">NJ</text></svg>
"""


def misnamed(where: str) -> CourseError:
    return CourseError(
        f"{where}: the site's table of contents takes notebooks named NN_topic.ipynb only, so it would "
        "leave this one out: rename it (e.g. 08_my_topic.ipynb)"
    )


def check(path: Path, nb) -> None:
    """Refuse a notebook the site cannot show well, naming it and what to change."""
    where = path.as_posix()
    if not course.NOTEBOOK_NAME.match(path.name):
        raise misnamed(where)
    first = nb.cells[0] if nb.cells else None
    if first is None or first.cell_type != "markdown" or not first.source.startswith("# "):
        raise CourseError(
            f"{where}: the first cell must be a markdown title line '# Title': the page needs it"
        )
    for number, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            size_mb = len(json.dumps(output)) / 1e6
            if size_mb > MAX_OUTPUT_MB:
                raise CourseError(
                    f"{where}, cell {number}: an output of {size_mb:.1f} MB is over the site's limit of "
                    f"{MAX_OUTPUT_MB:.0f} MB per output: draw the figure smaller (figsize, dpi) or print less, "
                    f"then `make refresh` the notebook"
                )


def page(path: Path, nb, prefix: str):
    """The notebook as the site shows it: solution and install cells left out, a local badge, a source link."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        extra = [LEFT_OUT_TAGS[t] for t in tags if t in LEFT_OUT_TAGS]
        if extra:
            cell.metadata["tags"] = list(dict.fromkeys([*tags, *extra]))
    p = course.project()
    source = f"https://github.com/{p['repository']}/blob/{p['branch']}/{path.as_posix()}"
    title = nb.cells[0]
    title.source = BADGE.sub(LOCAL_BADGE.format(prefix=prefix), title.source)
    title.source += f"\n\n[The notebook's source]({source}) · executed in CPU mode by the course's CI"
    return nb


def landing(durations: dict) -> str:
    """The landing page: what the course is, and the course map with a link to every page."""
    readme = course.README.read_text()
    intro = readme.split("<!-- course-map:start -->")[0]
    intro = "\n".join(ln for ln in intro.splitlines() if not ln.startswith("[![")).strip()
    p = course.project()
    # links to the repository's other files (not pages of the site) point at them on GitHub
    intro = re.sub(
        r"\]\((?!https?:|#|mailto:)([^)\s]+?)(?<!\.ipynb)\)",
        lambda m: f"](https://github.com/{p['repository']}/blob/{p['branch']}/{m.group(1)})",
        intro,
    )
    table = course.course_map(durations)
    table = BADGE.sub(LOCAL_BADGE.format(prefix=""), table)
    return f"{intro}\n\n## The notebooks\n\n{table}"


def chapter_page(chapter: str, paths: list[Path], durations: dict) -> str:
    lines = [f"# Chapter {chapter[2:]}: {CHAPTER_TITLES[chapter]}", ""]
    for path in paths:
        cpu = durations.get(path.as_posix(), {}).get("cpu", {})
        lines.append(
            f"- [{course.title_of(course.read_nb(path))}]({path.name}): "
            f"{course.fmt_seconds(cpu.get('wall_s'))} in CPU mode"
        )
    return "\n".join(lines) + "\n"


def config() -> str:
    p = course.project()
    return f"""\
title: NLP Journey
author: the NLP Journey authors
copyright: "2026"
only_build_toc_files: true
execute:
  execute_notebooks: "off"
parse:
  myst_enable_extensions: [dollarmath, amsmath, colon_fence, linkify]
sphinx:
  local_extensions:
    sphinx_mathml: {Path(__file__).resolve().parent}
  config:
    # Jupyter Book's list without thebe (live kernels need a server and the network),
    # plus the MathML renderer
    extensions: [sphinx_togglebutton, sphinx_copybutton, myst_nb, jupyter_book, sphinx_comments, sphinx_external_toc,
                 sphinx_design, sphinx_book_theme, sphinx_mathml]
    html_theme_options:
      repository_url: https://github.com/{p["repository"]}
      repository_branch: {p["branch"]}
      use_repository_button: true
      use_download_button: false
      home_page_in_toc: true
      search_bar_text: Search the course...
    html_math_renderer: mathml  # tools/sphinx_mathml.py: MathML written at build time, no MathJax
    html_context: {{default_mode: light}}  # the theme logs an error on a first visit without a mode
    html_favicon: _static/favicon.svg
    html_show_copyright: false
    html_copy_source: false  # each page links its notebook on GitHub
    html_last_updated_fmt: ""
    nb_merge_streams: true
    suppress_warnings: ["mystnb.unknown_mime_type"]
"""


def toc(chapters: dict[str, list[Path]]) -> str:
    lines = ["format: jb-book", "root: index", "chapters:"]
    for chapter, paths in chapters.items():
        lines.append(f"- file: {chapter}/index")
        lines.append("  sections:")
        lines += [f"  - file: {chapter}/{path.stem}" for path in paths]
    return "\n".join(lines) + "\n"


def unlisted(root: Path = ROOT) -> list[str]:
    """Notebooks in a chapter folder that the table of contents would skip (not named NN_topic.ipynb)."""
    return sorted(
        p.relative_to(root).as_posix()
        for chapter in course.CHAPTERS
        for p in (root / chapter).glob("*.ipynb")
        if not course.NOTEBOOK_NAME.match(p.name)
    )


def write_sources() -> dict[str, list[Path]]:
    """build/site-src/: the pages, table of contents and configuration; returns the chapters and notebooks."""
    import nbformat

    durations = course.load_durations()
    stray = unlisted()
    if stray:
        raise misnamed(stray[0])
    chapters: dict[str, list[Path]] = {}
    for path in course.notebooks():
        chapters.setdefault(path.parts[0], []).append(path)
    shutil.rmtree(SRC, ignore_errors=True)
    (SRC / "_static").mkdir(parents=True)
    for chapter, paths in chapters.items():
        (SRC / chapter).mkdir()
        (SRC / chapter / "index.md").write_text(chapter_page(chapter, paths, durations))
        for path in paths:
            nb = course.read_nb(path)
            check(path, nb)
            nbformat.write(page(path, nb, prefix="../"), str(SRC / path))
    (SRC / "index.md").write_text(landing(durations))
    (SRC / "_toc.yml").write_text(toc(chapters))
    (SRC / "_config.yml").write_text(config())
    (SRC / "_static" / "colab-badge.svg").write_text(COLAB_SVG)
    (SRC / "_static" / "favicon.svg").write_text(FAVICON_SVG)
    return chapters


def build() -> Path:
    chapters = write_sources()
    shutil.rmtree(WORK, ignore_errors=True)
    # -W: a warning (a broken internal link, a missing page) fails the build; -n: nitpicky about references
    command = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(SRC), "--path-output", str(WORK), "-W", "-n",
               "--keep-going", "--quiet"]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if done.returncode:
        found = [ln for ln in (done.stdout + done.stderr).splitlines() if "WARNING" in ln or "ERROR" in ln]
        raise CourseError(
            "the site did not build; Sphinx said:\n"
            + "\n".join((found or (done.stdout + done.stderr).splitlines())[-30:]).replace(str(SRC) + "/", "")
        )
    shutil.rmtree(SITE, ignore_errors=True)
    shutil.move(str(WORK / "_build" / "html"), str(SITE))
    shutil.rmtree(WORK, ignore_errors=True)
    missing = [
        p.as_posix()
        for paths in chapters.values()
        for p in paths
        if not (SITE / p.with_suffix(".html")).exists()
    ]
    if missing:
        raise CourseError(f"the site has no page for {', '.join(missing)}: see build/site-src/_toc.yml")
    return SITE


def main() -> int:
    try:
        site = build()
    except CourseError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    size = sum(f.stat().st_size for f in site.rglob("*") if f.is_file()) / 1e6
    pages = len(list(site.rglob("*.html")))
    print(
        f"built {site.relative_to(ROOT)}/ ({pages} pages, {size:.0f} MB): open {site.relative_to(ROOT)}/index.html"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
