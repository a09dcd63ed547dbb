"""The course site (`make site`) in a real browser, and the build's refusals of notebooks it cannot show.

The site is built by tools/course_site.py from the committed notebooks (offline, nothing executed), served by Python's
HTTP server on 127.0.0.1 and opened in the system Chromium through Playwright: the landing page and one notebook
page per chapter load with no console error and no request to another host; every internal link on those pages
resolves; the chapter pages list exactly the chapter's notebooks; a page with plots shows its images, the course
map and a notebook's markdown table are rendered tables, math is typeset, and search finds a word of a chapter
page. A chapter page's screenshot goes to build/browser/site_ch3.png. The site covers the whole course, so a run
limited by --chapter skips the browser test.
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urldefrag, urlparse

import nbformat
import pytest

import course
from conftest import CHROMIUM_FLAGS, chromium_path, free_port

SCREENSHOT = course.BUILD / "browser" / "site_ch3.png"
PLOT_PAGE = "ch2/02_text_clustering.html"  # figures in its outputs
TABLE_PAGE = "ch1/01_what_is_nlp.html"  # a markdown table in its text
MATH_PAGE = "ch1/02_tokenization.html"  # display math in its text
SEARCH = ("lemmatization", "ch1/")  # a word, and the chapter whose pages must be among its results


def load_site_tool():
    import course_site  # tools/ is on the path (conftest), as for course.py

    return course_site


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):  # a browser that drops a connection is no error
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@pytest.fixture(scope="module")
def site_url(request):
    chapters = request.config.getoption("chapter")
    if chapters:
        pytest.skip(f"the site covers every chapter; not built in a run limited to --chapter {chapters}")
    tool = load_site_tool()
    site = tool.build()
    server = QuietServer(("127.0.0.1", free_port()), functools.partial(QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def first_notebook_pages() -> list[str]:
    pages = {}
    for path in course.notebooks():
        pages.setdefault(path.parts[0], path.with_suffix(".html").as_posix())
    return list(pages.values())


def test_site_in_a_real_browser(site_url):
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    errors, elsewhere, links = [], [], set()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_FLAGS)
        try:
            context = browser.new_context(viewport={"width": 1200, "height": 800})

            def guard(route):  # a page must load nothing from another host
                if urlparse(route.request.url).hostname == "127.0.0.1":
                    route.continue_()
                else:
                    elsewhere.append(route.request.url)
                    route.abort()

            context.route("**/*", guard)
            page = context.new_page()
            page.on(
                "console", lambda m: errors.append(f"{page.url}: {m.text}") if m.type == "error" else None
            )
            page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
            visited = ["index.html", *first_notebook_pages()]
            for chapter in course.CHAPTERS:
                if course.notebooks([chapter]):
                    visited.append(f"{chapter}/index.html")
            for name in visited:
                response = page.goto(site_url + name, wait_until="load")
                assert response is not None and response.status == 200, name
                page.wait_for_load_state("networkidle")
                hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
                links |= {urldefrag(h).url for h in hrefs if h.startswith(site_url)}
                if name.endswith("/index.html"):  # a chapter page lists exactly its notebooks
                    chapter = name.split("/")[0]
                    listed = page.eval_on_selector_all(
                        "article a.reference.internal", "els => els.map(e => e.getAttribute('href'))"
                    )
                    wanted = [p.with_suffix(".html").name for p in course.notebooks([chapter])]
                    assert [h for h in listed if h in wanted] == wanted, (name, listed)

            page.goto(site_url + "index.html")
            rows = page.locator("article table").last.locator("tbody tr").count()  # the course map
            assert rows == len(course.notebooks()), f"the course map has {rows} rows"
            page.goto(site_url + TABLE_PAGE)
            assert page.locator("article table").count() >= 1, f"no rendered table on {TABLE_PAGE}"
            page.goto(site_url + PLOT_PAGE)
            images = page.locator(".cell_output img")
            assert images.count() >= 1, f"no plot on {PLOT_PAGE}"
            widths = images.evaluate_all("imgs => imgs.map(i => i.complete ? i.naturalWidth : 0)")
            assert min(widths) > 0, f"a plot on {PLOT_PAGE} did not load: {widths}"
            page.goto(site_url + MATH_PAGE)
            formulas = page.locator("article math")  # MathML, drawn by the browser itself
            assert formulas.count() >= 1, f"no formula on {MATH_PAGE}"
            assert formulas.first.bounding_box()["width"] > 10, "a formula was not drawn"
            word, chapter = SEARCH
            page.goto(f"{site_url}search.html?q={word}")
            page.wait_for_selector("#search-results ul.search li", timeout=30_000)
            found = page.eval_on_selector_all("#search-results ul.search li a", "els => els.map(e => e.href)")
            assert any(f"/{chapter}" in h for h in found), f"search for {word!r} found {found}"
            page.goto(site_url + first_notebook_pages()[2])
            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOT), full_page=False)
        finally:
            browser.close()
    assert not elsewhere, f"pages asked another host for: {sorted(set(elsewhere))[:10]}"
    assert not errors, "console errors:\n" + "\n".join(errors[:20])
    broken = []
    for link in sorted(links):
        try:
            with urllib.request.urlopen(link, timeout=10) as answer:
                if answer.status != 200:
                    broken.append(f"{link}: {answer.status}")
        except urllib.error.HTTPError as err:
            broken.append(f"{link}: {err.code}")
    assert not broken, "broken internal links:\n" + "\n".join(broken)
    assert len(links) > 3 * len(visited), f"only {len(links)} internal links found"
    assert SCREENSHOT.stat().st_size > 10_000


def notebook(first: str, output_bytes: int = 0):
    nb = nbformat.v4.new_notebook()
    code = nbformat.v4.new_code_cell("print('x')")
    if output_bytes:
        code.outputs = [nbformat.v4.new_output("stream", name="stdout", text="x" * output_bytes)]
    nb.cells = [nbformat.v4.new_markdown_cell(first), code]
    return nb


def test_the_build_refuses_what_the_site_cannot_show_and_names_the_notebook(tmp_path):
    tool = load_site_tool()
    tool.check(Path("ch2/03_topic.ipynb"), notebook("# A title"))  # a good one passes
    with pytest.raises(
        course.CourseError, match=r"ch2/03_topic.ipynb: the first cell must be a markdown title"
    ):
        tool.check(Path("ch2/03_topic.ipynb"), notebook("No title here"))
    big = int(tool.MAX_OUTPUT_MB * 1e6) + 1000
    with pytest.raises(course.CourseError, match=r"ch2/03_topic.ipynb, cell 1: an output of 1.0 MB is over"):
        tool.check(Path("ch2/03_topic.ipynb"), notebook("# A title", output_bytes=big))
    with pytest.raises(course.CourseError, match=r"ch2/Topic.ipynb: the site's table of contents takes"):
        tool.check(Path("ch2/Topic.ipynb"), notebook("# A title"))
    (tmp_path / "ch3").mkdir()
    (tmp_path / "ch3" / "01_fine.ipynb").write_text("{}")
    (tmp_path / "ch3" / "draft.ipynb").write_text("{}")
    assert tool.unlisted(tmp_path) == ["ch3/draft.ipynb"]


def test_the_table_of_contents_lists_every_notebook_in_course_order():
    tool = load_site_tool()
    chapters = {}
    for path in course.notebooks():
        chapters.setdefault(path.parts[0], []).append(path)
    toc = tool.toc(chapters)
    files = [ln.split("file: ")[1] for ln in toc.splitlines() if "file: " in ln]
    expected = []
    for chapter, paths in chapters.items():
        expected += [f"{chapter}/index", *(f"{chapter}/{p.stem}" for p in paths)]
    assert files == expected
