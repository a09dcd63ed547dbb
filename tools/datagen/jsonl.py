"""How every dataset generator here writes a split: JSON Lines in UTF-8, one object per line."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path


def write_jsonl(path: Path, rows: Iterable[dict], ascii_only: bool = False) -> str:
    """Write ``rows`` to ``path`` (its folder made if needed), one JSON object per line; return the file's sha256.

    Non-ASCII characters are written as they are unless ``ascii_only`` (then as ``\\u`` escapes).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=ascii_only) + "\n" for r in rows), encoding="utf-8")
    return hashlib.sha256(path.read_bytes()).hexdigest()
