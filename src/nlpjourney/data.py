"""Offline data: datasets bundled with the course, and real text already installed on the machine.

Every bundled dataset is a folder ``nlpjourney/data/<name>/`` holding one JSON-lines file per split and a
``DATASHEET.md`` that says what the data is, how it was made, its size, license and SHA-256 checksums.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import re
import sys
import sysconfig
from importlib import resources
from pathlib import Path
from typing import Any

_CHECKSUM = re.compile(r"^sha256 ([0-9a-f]{64})\s+(\S+)\s*$", re.MULTILINE)


class DatasetNotFoundError(KeyError):
    """An unknown bundled dataset or split; the message lists what exists."""

    def __str__(self) -> str:  # KeyError would quote the whole message
        return str(self.args[0])


def _root():
    return resources.files("nlpjourney") / "data"


def names() -> list[str]:
    """Names of the bundled datasets."""
    return sorted(p.name for p in _root().iterdir() if p.is_dir() and (p / "DATASHEET.md").is_file())


def _folder(name: str):
    if name not in names():
        raise DatasetNotFoundError(
            f"no bundled dataset {name!r}; bundled datasets: {', '.join(names()) or 'none'}"
        )
    return _root() / name


def splits(name: str) -> list[str]:
    """The splits of a bundled dataset (one ``<split>.jsonl`` file each)."""
    return sorted(p.name.removesuffix(".jsonl") for p in _folder(name).iterdir() if p.name.endswith(".jsonl"))


def datasheet(name: str) -> str:
    """The dataset's datasheet (Markdown)."""
    return (_folder(name) / "DATASHEET.md").read_text(encoding="utf-8")


def records(name: str, split: str = "train") -> list[dict[str, Any]]:
    """A split as a list of dicts, without needing the ``datasets`` library."""
    if split not in splits(name):
        raise DatasetNotFoundError(
            f"dataset {name!r} has no split {split!r}; its splits: {', '.join(splits(name))}"
        )
    text = (_folder(name) / f"{split}.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def load(name: str, split: str | None = None):
    """A bundled dataset as a ``datasets.Dataset`` (one split) or ``DatasetDict`` (all splits)."""
    from datasets import Dataset, DatasetDict

    if split is not None:
        return Dataset.from_list(records(name, split))
    return DatasetDict({s: Dataset.from_list(records(name, s)) for s in splits(name)})


def checksums(name: str) -> dict[str, str]:
    """The SHA-256 checksums the datasheet records, by file name."""
    return {file: digest for digest, file in _CHECKSUM.findall(datasheet(name))}


def verify(name: str) -> None:
    """Raise ``ValueError`` unless every data file matches the checksum in its datasheet."""
    recorded = checksums(name)
    files = sorted(p.name for p in _folder(name).iterdir() if p.name.endswith(".jsonl"))
    if sorted(recorded) != files:
        raise ValueError(
            f"{name}: datasheet lists checksums for {sorted(recorded)} but the data files are {files}"
        )
    for file, digest in recorded.items():
        actual = hashlib.sha256((_folder(name) / file).read_bytes()).hexdigest()
        if actual != digest:
            raise ValueError(f"{name}/{file}: sha256 {actual} does not match the datasheet's {digest}")


def docstring_records(min_words: int = 5) -> list[dict[str, str]]:
    """Paragraphs of the standard library's docstrings with where they come from.

    Each record is ``{"text", "module", "package"}``: ``module`` is the dotted module name
    (``email.mime.text``), ``package`` its top-level package (``email``), a natural label for classification
    and clustering. Read from the source files with ``ast`` (nothing is imported), in a fixed order. The text
    is the Python documentation's, under the PSF license; it is read at run time, never bundled.
    """
    # Parsing the whole standard library takes seconds; the result depends only on the Python installation,
    # so it is cached once per interpreter in the course's cache folder.
    from .models import cache_root

    key = hashlib.sha256(
        f"{sys.version}|{sysconfig.get_paths()['stdlib']}|{min_words}|v1".encode()
    ).hexdigest()[:16]
    cache = cache_root() / f"docstrings-{key}.json"
    if cache.exists():
        return json.loads(cache.read_text(encoding="utf-8"))
    rows = list(_iter_docstring_records(min_words))
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    tmp.replace(cache)  # atomic: notebooks running side by side never read half a file
    return rows


def _iter_docstring_records(min_words: int):
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    skip = {"test", "tests", "idlelib", "lib2to3", "site-packages", "ensurepip", "turtledemo", "__pycache__"}
    for path in sorted(stdlib.rglob("*.py")):
        parts = path.relative_to(stdlib).with_suffix("").parts
        if skip & set(parts):
            continue
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (SyntaxError, UnicodeDecodeError, ValueError):
            continue
        module = ".".join(p for p in parts if p != "__init__")
        for node in ast.walk(tree):
            if not isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for para in (ast.get_docstring(node) or "").split("\n\n"):
                para = " ".join(para.split())
                if len(para.split()) >= min_words and not para.startswith((">>>", "...")):
                    yield {"text": para, "module": module, "package": module.split(".")[0]}


def docstrings(max_chars: int | None = None, min_words: int = 5) -> list[str]:
    """Real English prose that every Python install has: the paragraphs of :func:`docstring_records`."""
    # docstring_records is cached: parsing the standard library takes seconds
    return _up_to_chars((row["text"] for row in docstring_records(min_words)), max_chars)


def _up_to_chars(paragraphs, max_chars: int | None) -> list[str]:
    """Paragraphs in order until their characters add up to ``max_chars`` (the last one included)."""
    taken: list[str] = []
    total = 0
    for para in paragraphs:
        taken.append(para)
        total += len(para)
        if max_chars is not None and total >= max_chars:
            break
    return taken


def corpus(name: str, max_chars: int | None = None, min_words: int = 5) -> list[str]:
    """Paragraphs of real text by name: ``"docstrings"`` offline, or a Hub dataset ``"path:config"`` (GPU mode).

    A Hub dataset's ``train`` split is read through ``datasets.load_dataset`` and cut into paragraphs of at
    least ``min_words`` words, up to ``max_chars`` characters in all.
    """
    if name == "docstrings":
        return docstrings(max_chars=max_chars, min_words=min_words)
    from datasets import load_dataset

    path, _, config = name.partition(":")
    rows = load_dataset(path, config or None, split="train", streaming=True)
    texts = (" ".join(str(row.get("text", "")).split()) for row in rows)
    return _up_to_chars(
        (t for t in texts if len(t.split()) >= min_words and not t.startswith("=")), max_chars
    )


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def check_reply(record: dict[str, Any], reply: str) -> bool:
    """Whether a model's reply passes a graded record's ``check`` (``instruct_tasks``): the exact shape asked for.

    ``json``: the reply parses as JSON equal to the value (types included); ``number``: the reply is one number
    equal to the value; ``exact``: the reply is the value. Surrounding whitespace is ignored, anything else is not.
    """
    kind, value, reply = record["check"]["kind"], record["check"]["value"], reply.strip()
    if kind == "json":
        try:
            return json.loads(reply) == value
        except ValueError:
            return False
    if kind == "number":
        return bool(_NUMBER.fullmatch(reply)) and abs(float(reply) - value) < 1e-9
    if kind == "exact":
        return reply == value
    raise ValueError(f"unknown check kind {kind!r}: expected json, number or exact")


# The sentence rule of `reference_questions` (its datasheet): paragraphs are separated by blank lines; inside one, a
# sentence ends at ".", "!" or "?" (and an optional closing quote or bracket) followed by white space and a capital
# letter, a quote or "("; a candidate end after fewer than two words ("1.", "e.g.") is not one.
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_SENTENCE_END = re.compile(r"[.!?][\"\u201d)]?(\s+)(?=[A-Z\"\u201c(])")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of the sentences of ``text`` by the rule of ``reference_questions``, white space trimmed."""
    pieces, start = [], 0
    breaks = [(m.start(), m.end()) for m in _PARAGRAPH_BREAK.finditer(text)] + [(len(text), len(text))]
    for b0, b1 in breaks:
        a = start
        for m in _SENTENCE_END.finditer(text, start, b0):
            if len(text[a : m.start(1)].split()) >= 2:
                pieces.append((a, m.start(1)))
                a = m.end(1)
        pieces.append((a, b0))
        start = b1
    spans = []
    for a, b in pieces:
        piece = text[a:b]
        a2, b2 = a + len(piece) - len(piece.lstrip()), b - (len(piece) - len(piece.rstrip()))
        if b2 > a2:
            spans.append((a2, b2))
    return spans


def sentence_key(sentence: str) -> str:
    """A sentence's evidence key: the first 12 hex digits of the SHA-256 of its text, white space collapsed."""
    return hashlib.sha256(" ".join(sentence.split()).encode("utf-8")).hexdigest()[:12]


def evidence_spans(texts: dict[str, str]) -> dict[str, list[tuple[str, int, int]]]:
    """Evidence key -> every ``(name, start, end)`` of ``texts`` (name -> text) where a sentence with that key lies.

    ``reference_questions`` stores keys, not the documentation's text: this finds each key's sentence in the
    ``pydoc_data.topics`` of the Python that runs it (a sentence a later release rewords no longer resolves).
    """
    where: dict[str, list[tuple[str, int, int]]] = {}
    for name, text in texts.items():
        for a, b in sentence_spans(text):
            where.setdefault(sentence_key(text[a:b]), []).append((name, a, b))
    return where


def holds_evidence(
    texts: dict[str, str], where: dict, question: dict[str, Any], name: str, start: int, end: int
) -> bool:
    """Does ``texts[name][start:end]`` contain the part of one of ``question``'s evidence sentences (``where`` from
    :func:`evidence_spans`) in which its answer occurs? Case and white space are ignored (a line break may fall
    inside a multi-word answer); a chunk that holds only the half of a split sentence without the answer does not."""
    for topic, a, b in where.get(question["evidence"], ()):
        if topic == name:
            inside = " ".join(texts[topic][max(a, start) : min(b, end)].split())
            if question["answer"].lower() in inside.lower():
                return True
    return False


def labelled(source: str, test_size: float = 0.25, seed: int = 0):
    """A text-classification task, deduplicated and split the same way by every notebook that uses it.

    ``source`` is ``"docstrings:email,asyncio,..."`` (docstring paragraphs labelled by the package they
    document, offline) or a Hub dataset with ``text`` and ``label`` columns (GPU mode), whose splits are pooled
    and split again. Texts that are equal up to white space count once; a text seen under two labels is
    dropped. The split is stratified and seeded. Returns a namespace with ``train_texts``, ``test_texts``,
    ``y_train``, ``y_test`` (numpy int arrays), ``names`` (label names by id), ``total`` (labelled texts read)
    and ``conflicts`` (texts dropped for having two labels).
    """
    from types import SimpleNamespace

    import numpy as np
    from sklearn.model_selection import train_test_split

    if source.startswith("docstrings:"):
        names = source.removeprefix("docstrings:").split(",")
        records = docstring_records()
        unknown = sorted(set(names) - {r["package"] for r in records})
        if unknown:
            raise ValueError(
                f"no docstring paragraphs for {unknown}; packages are the stdlib's top-level names"
            )
        pairs = [(r["text"], names.index(r["package"])) for r in records if r["package"] in names]
    else:
        from datasets import load_dataset

        parts = load_dataset(source)
        names = parts["train"].features["label"].names
        pairs = [pair for part in parts.values() for pair in zip(part["text"], part["label"])]
    labels_of: dict[str, set[int]] = {}
    for text, label in pairs:
        labels_of.setdefault(" ".join(text.split()), set()).add(label)
    kept = [(text, min(labels)) for text, labels in labels_of.items() if len(labels) == 1]
    texts, y = [text for text, _ in kept], np.array([label for _, label in kept])
    train_texts, test_texts, y_train, y_test = train_test_split(
        texts, y, test_size=test_size, stratify=y, random_state=seed
    )
    return SimpleNamespace(
        train_texts=train_texts,
        test_texts=test_texts,
        y_train=y_train,
        y_test=y_test,
        names=names,
        total=len(pairs),
        conflicts=len(labels_of) - len(kept),
    )
