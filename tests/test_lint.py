"""Lint as part of the suite: ruff on code and notebooks, and the CI workflow against its schema (offline)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import course

BIN = Path(sys.executable).parent


def run(*cmd: str) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=course.ROOT, capture_output=True, text=True)


def test_ruff_check():
    r = run(str(BIN / "ruff"), "check", ".")
    assert r.returncode == 0, r.stdout + r.stderr


def test_ruff_format():
    r = run(str(BIN / "ruff"), "format", "--check", ".")
    assert r.returncode == 0, "run `make format`\n" + r.stdout + r.stderr


def test_workflows_match_schema():
    workflows = sorted(str(p) for p in (course.ROOT / ".github" / "workflows").glob("*.yml"))
    assert workflows, "a GitHub workflow exists"
    r = run(str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *workflows)
    assert r.returncode == 0, r.stdout + r.stderr
