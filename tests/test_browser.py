"""A real browser against ch7/06's Gradio chat app: open the page, type, press Enter, wait for the answer.

The app is the code of the notebook's `%%writefile chat_app.py` cells, read from the notebook, so the test runs
exactly what the learner reads. It drives the system Chromium (Debian's `chromium` package) through Playwright;
without Chromium the test is skipped with the command that installs it, unless NJ_REQUIRE_BROWSER=1 (CI), where
a missing browser fails the run. The screenshot goes to build/browser/gradio_chat.png.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import CHROMIUM_FLAGS, chromium_path, free_port

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "ch7" / "06_web_apps_gradio_streamlit.ipynb"
SCREENSHOT = ROOT / "build" / "browser" / "gradio_chat.png"
QUESTION = "What is the capital of France?"
START_TIMEOUT_S = 180
ANSWER_TIMEOUT_S = 120


def app_source(notebook: Path = NOTEBOOK) -> str:
    """chat_app.py as the notebook writes it: its `%%writefile [-a] chat_app.py` cells, in order."""
    parts: list[str] = []
    for cell in json.loads(notebook.read_text())["cells"]:
        if cell["cell_type"] != "code":
            continue
        magic, _, body = "".join(cell["source"]).partition("\n")
        words = magic.split()
        if words[:1] == ["%%writefile"] and words[-1] == "chat_app.py":
            if "-a" not in words and "--append" not in words:
                parts = []  # a plain %%writefile starts the file again
            parts.append(body)
    assert parts, f"{notebook} has no %%writefile chat_app.py cell"
    return "\n".join(parts) + "\n"


def wait_until_serving(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    raise AssertionError(f"the chat app did not start:\n{log.read_text()[-3000:]}")


def test_gradio_chat_in_a_real_browser(request):
    chapters = request.config.getoption("chapter")
    if chapters and "ch7" not in chapters:
        pytest.skip(f"the app is ch7's; not in --chapter {chapters}")
    executable = chromium_path()
    from playwright.sync_api import expect, sync_playwright

    import nlpjourney as nj

    workdir = Path(tempfile.mkdtemp(prefix="nj-browser-"))
    (workdir / "chat_app.py").write_text(app_source())
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    env = {
        **os.environ,
        "MODEL_PATH": str(nj.models.resolve("packaged:smollm2")),
        "MAX_NEW_TOKENS": "16",
        "THREADS": "2",
        "OMP_WAIT_POLICY": "PASSIVE",
        "HF_HUB_OFFLINE": "1",
        "GRADIO_ANALYTICS_ENABLED": "False",
        "DO_NOT_TRACK": "1",
        "TOKENIZERS_PARALLELISM": "false",
    }
    log_path = workdir / "app.log"
    proc = None
    try:
        with open(log_path, "w") as log:
            proc = subprocess.Popen(
                [sys.executable, "chat_app.py", "--port", str(port)],
                cwd=workdir,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            wait_until_serving(url, proc, log_path)
            with sync_playwright() as playwright:
                context = playwright.chromium.launch_persistent_context(
                    str(workdir / "profile"),  # a fresh user-data dir
                    executable_path=executable,
                    headless=True,
                    args=CHROMIUM_FLAGS,
                    viewport={"width": 1000, "height": 600},
                )
                try:
                    page = context.new_page()
                    page.goto(url, wait_until="load")  # never "networkidle": Gradio keeps a connection open
                    box = page.get_by_role("textbox").first  # the ChatInterface's message box
                    box.wait_for(timeout=60_000)
                    box.fill(QUESTION)
                    box.press("Enter")
                    # Retry appears under the bot's message as it streams, and is enabled once the answer is complete.
                    retry = page.get_by_role("button", name="Retry")
                    expect(retry).to_be_enabled(timeout=ANSWER_TIMEOUT_S * 1000)
                    user_text = page.locator(".message.user").last.inner_text().strip()
                    reply = page.locator(".message.bot").last.inner_text().strip()
                    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(SCREENSHOT))
                finally:
                    context.close()
        assert user_text == QUESTION, user_text
        assert reply, "the bot's message is empty"
        assert SCREENSHOT.stat().st_size > 0
    finally:
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        shutil.rmtree(workdir, ignore_errors=True)


def test_app_source_is_the_notebooks_cells():
    """The extraction itself: both cells, in order, the first one starting the file."""
    source = app_source()
    assert (
        source.index("def respond(")
        < source.index("def build_app(")
        < source.index('if __name__ == "__main__":')
    )
    compile(source, "chat_app.py", "exec")
