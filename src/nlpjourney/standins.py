"""The stand-in run: GPU mode's code path, exercised with no Hub and no GPU.

``make chapterN MODE=gpu STANDIN=1`` runs each notebook with ``MODE = "gpu"`` and ``NJ_STANDIN=1``. Then
:meth:`nlpjourney.Run.settings` hands the notebook the GPU row with

* every Hub **model** id replaced by a local stand-in of the same kind (:data:`MODELS`): a packaged model, a
  notebook's own ``tiny:`` model, or a small randomly initialized model built here;
* every number (and list of numbers) capped to the CPU row's value, so the run takes CPU-mode time, and a
  ``None`` ("all of it") replaced by the CPU row's value;
* the keys of an optional ``"standin"`` row in the notebook's table taking precedence (for settings such as
  ``torch.compile`` that cannot run at stand-in scale).

Hub **dataset** ids stay in the settings, and ``datasets.load_dataset`` answers them with a small local
dataset of the same splits, columns and features (:data:`DATASETS`), built from the standard library's
docstrings or the course's bundled data. The network stays blocked; the device is CUDA if one is visible,
else the CPU. A stand-in run checks that the GPU code runs; its numbers are not results.

To give a new Hub id a stand-in, add it to :data:`MODELS` or :data:`DATASETS` below (with its license and
download size for the GPU manifest, ``gpu-manifest.json``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

STANDIN_ENV = "NJ_STANDIN"
HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+(:[\w.-]+)?$")


class StandinError(LookupError):
    """A GPU-row Hub id without a stand-in; the message names the id and where to add one."""

    def __str__(self) -> str:  # KeyError-style quoting would hide the message's line breaks
        return str(self.args[0])


def active() -> bool:
    """True in a stand-in run (``NJ_STANDIN=1``)."""
    return os.environ.get(STANDIN_ENV) == "1"


@dataclass(frozen=True)
class Model:
    standin: str  # a settings-table model name: "packaged:...", "tiny:..." (the notebook's), "standin:..."
    kind: str
    license: str | None
    size_mb: int | None


@dataclass(frozen=True)
class Dataset:
    build: Callable[..., Any]  # (config, split) -> datasets.Dataset, or DatasetDict when split is None
    kind: str
    license: str | None
    size_mb: int | None


# ---------------------------------------------------------------- models

MODELS: dict[str, Model] = {
    "sentence-transformers/all-MiniLM-L6-v2": Model("packaged:minilm", "sentence encoder", "Apache-2.0", 91),
    "sentence-transformers/all-mpnet-base-v2": Model(
        "packaged:minilm", "sentence encoder", "Apache-2.0", 438
    ),
    "BAAI/bge-base-en-v1.5": Model("packaged:minilm", "sentence encoder", "MIT", 438),
    "google-bert/bert-base-cased": Model("packaged:minilm", "BERT encoder", "Apache-2.0", 436),
    "HuggingFaceTB/SmolLM2-135M-Instruct": Model("packaged:smollm2", "causal LM", "Apache-2.0", 270),
    "HuggingFaceTB/SmolLM2-135M": Model("packaged:smollm2", "causal LM", "Apache-2.0", 270),
    "HuggingFaceTB/SmolLM2-360M": Model("packaged:smollm2", "causal LM", "Apache-2.0", 724),
    "HuggingFaceTB/SmolLM2-360M-Instruct": Model("packaged:smollm2", "causal LM", "Apache-2.0", 724),
    "HuggingFaceTB/SmolLM2-1.7B-Instruct": Model("packaged:smollm2", "causal LM", "Apache-2.0", 3420),
    "Qwen/Qwen2.5-0.5B-Instruct": Model("packaged:smollm2", "causal LM (ChatML template)", "Apache-2.0", 988),
    "openai-community/gpt2": Model("standin:tiny-gpt2", "causal LM (GPT-2)", "MIT", 548),
    "google-bert/bert-base-uncased": Model("packaged:minilm", "BERT encoder", "Apache-2.0", 440),
    "Helsinki-NLP/opus-mt-en-de": Model("standin:tiny-seq2seq", "translation (Marian)", "CC-BY-4.0", 298),
    "Helsinki-NLP/opus-mt-de-en": Model("standin:tiny-seq2seq", "translation (Marian)", "CC-BY-4.0", 298),
    "google-t5/t5-small": Model("tiny:t5", "seq2seq (T5)", "Apache-2.0", 242),
    "facebook/bart-base": Model("tiny:bart", "seq2seq (BART)", "Apache-2.0", 558),
    "state-spaces/mamba-130m-hf": Model("tiny:mamba", "state-space LM (Mamba)", "Apache-2.0", 517),
    # chapter 5 (multimodal): GPU mode loads these; a stand-in run uses the notebook's own tiny model
    "openai/clip-vit-base-patch32": Model("tiny:clip", "image-text encoder (CLIP)", "MIT", 605),
    "google/vit-base-patch16-224-in21k": Model("tiny:vit", "image encoder (ViT)", "Apache-2.0", 346),
    "Salesforce/blip-image-captioning-base": Model(
        "tiny:captioner", "image captioner (BLIP)", "BSD-3-Clause", 990
    ),
    "HuggingFaceTB/SmolVLM-256M-Instruct": Model("tiny:vlm", "vision-language model", "Apache-2.0", 513),
    "nota-ai/bk-sdm-tiny": Model(
        "tiny:diffusion", "text-to-image (distilled Stable Diffusion)", "CreativeML-OpenRAIL-M", 1300
    ),
    "MCG-NJU/videomae-base": Model("tiny:videomae", "video encoder (VideoMAE)", "CC-BY-NC-4.0", 377),
    "Systran/faster-whisper-base.en": Model(
        "packaged:whisper-tiny.en", "speech recognizer (Whisper, CTranslate2)", "MIT", 145
    ),
}


def _save_once(target, model, tok):
    """Save a built stand-in beside its folder and rename it in place, so side-by-side runs never see half."""
    tmp = target.with_name(f".{target.name}-{os.getpid()}")
    model.save_pretrained(tmp)
    tok.save_pretrained(tmp)
    try:
        tmp.rename(target)
    except OSError:  # another process finished first
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
    return target


def tiny_seq2seq_dir():
    """A randomly initialized 1-layer BART with MiniLM's WordPiece tokenizer, saved once in the course cache.

    It stands in for translation models: the notebook's encoder-decoder branch (``AutoConfig``,
    ``AutoModelForSeq2SeqLM``, ``generate``) runs, and the text it writes is noise.
    """
    from pathlib import Path

    from .models import cache_root, minilm_dir

    target = Path(cache_root()) / "standin-tiny-seq2seq-v3"
    if (target / "config.json").exists():
        return target
    import torch
    from transformers import AutoTokenizer, BartConfig, BartForConditionalGeneration

    # like a translation model's tokenizer: input ids and attention mask, no token_type_ids
    tok = AutoTokenizer.from_pretrained(minilm_dir(), model_input_names=["input_ids", "attention_mask"])
    config = BartConfig(
        vocab_size=len(tok),
        d_model=32,
        encoder_layers=1,
        decoder_layers=1,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=64,
        decoder_ffn_dim=64,
        max_position_embeddings=512,
        pad_token_id=tok.pad_token_id,
        bos_token_id=tok.cls_token_id,
        eos_token_id=tok.sep_token_id,
        decoder_start_token_id=tok.cls_token_id,
        forced_eos_token_id=tok.sep_token_id,
    )
    torch.manual_seed(0)
    model = BartForConditionalGeneration(config)
    return _save_once(target, model, tok)


def tiny_gpt2_dir():
    """A randomly initialized 2-layer GPT-2 with SmolLM2's byte-level BPE tokenizer, saved once in the cache.

    It stands in for GPT-2 checkpoints: the same architecture class (``GPT2LMHeadModel``) and a byte-level BPE
    tokenizer of the same kind, so the notebook's GPT-2 code runs; what it writes is noise.
    """
    from pathlib import Path

    from .models import cache_root, smollm2_dir

    target = Path(cache_root()) / "standin-tiny-gpt2-v1"
    if (target / "config.json").exists():
        return target
    import torch
    from transformers import AutoTokenizer, GPT2Config, GPT2LMHeadModel

    tok = AutoTokenizer.from_pretrained(smollm2_dir())
    config = GPT2Config(
        vocab_size=len(tok),
        n_positions=512,
        n_embd=32,
        n_layer=2,
        n_head=2,
        bos_token_id=tok.bos_token_id,
        eos_token_id=tok.eos_token_id,
    )
    torch.manual_seed(0)
    model = GPT2LMHeadModel(config)
    return _save_once(target, model, tok)


BUILT_MODELS = {"standin:tiny-seq2seq": tiny_seq2seq_dir, "standin:tiny-gpt2": tiny_gpt2_dir}


# ---------------------------------------------------------------- datasets (the Hub's columns, local rows)


def _docstring_pairs(packages: list[str]) -> dict[str, list[str]]:
    from .data import docstring_records

    texts: dict[str, list[str]] = {p: [] for p in packages}
    seen = set()
    for r in docstring_records():
        if r["package"] in texts and r["text"] not in seen:
            seen.add(r["text"])
            texts[r["package"]].append(r["text"])
    return texts


def _split_rows(rows: list, split: str, test_share: float = 0.2) -> list:
    """A fixed, interleaved split: every fifth row is 'test' (or 'validation'), the rest 'train'."""
    step = round(1 / test_share)
    if split == "train":
        return [r for i, r in enumerate(rows) if i % step]
    return [r for i, r in enumerate(rows) if i % step == 0]


def _pick(build_split: Callable[[str], Any], splits: list[str], split: str | None):
    from datasets import DatasetDict

    if split is None:
        return DatasetDict({s: build_split(s) for s in splits})
    base = split.split("[", 1)[0]
    if base not in splits:
        raise ValueError(f"Unknown split {split!r}: the stand-in has {splits}")
    return build_split(base)


def _labelled_news(config: str | None, split: str | None):
    """fancyzhx/ag_news: text, label (World, Sports, Business, Sci/Tech); train and test."""
    from datasets import ClassLabel, Features, Value
    from datasets import Dataset as HFDataset

    names = ["World", "Sports", "Business", "Sci/Tech"]
    by_package = _docstring_pairs(["asyncio", "email", "logging", "unittest"])
    rows = sorted(
        ((text, i) for i, texts in enumerate(by_package.values()) for text in texts), key=lambda r: r[0]
    )
    features = Features({"text": Value("string"), "label": ClassLabel(names=names)})

    def build(s):
        part = _split_rows(rows, s)
        return HFDataset.from_dict({"text": [t for t, _ in part], "label": [y for _, y in part]}, features)

    return _pick(build, ["train", "test"], split)


def _newsgroups(config: str | None, split: str | None):
    """SetFit/20_newsgroups: text, label, label_text; train and test."""
    from datasets import Dataset as HFDataset

    packages = ["asyncio", "email", "logging", "tkinter", "unittest", "xml", "http", "importlib"]
    by_package = _docstring_pairs(packages)
    rows = sorted(((t, i, p) for i, (p, ts) in enumerate(by_package.items()) for t in ts), key=lambda r: r[0])

    def build(s):
        part = _split_rows(rows, s)
        return HFDataset.from_dict(
            {
                "text": [t for t, _, _ in part],
                "label": [y for _, y, _ in part],
                "label_text": [p for *_, p in part],
            }
        )

    return _pick(build, ["train", "test"], split)


def _wikitext(config: str | None, split: str | None):
    """Salesforce/wikitext: one `text` column of lines (headings, paragraphs, blank lines); three splits."""
    from datasets import Dataset as HFDataset

    from .data import docstring_records

    records = docstring_records()

    def build(
        s,
    ):  # train: every paragraph (the CPU corpus, in WikiText's shape); validation/test: every tenth
        lines, module = [], None
        for r in records if s == "train" else records[::10]:
            if r["module"] != module:
                module = r["module"]
                lines += ["", f" = {module} = ", ""]
            lines.append(f" {r['text']} ")
        return HFDataset.from_dict({"text": [ln + "\n" if ln else "" for ln in lines]})

    return _pick(build, ["train", "validation", "test"], split)


def _sst2(config: str | None, split: str | None):
    """stanfordnlp/sst2: idx, sentence, label (negative, positive); train, validation, test."""
    from datasets import ClassLabel, Features, Value
    from datasets import Dataset as HFDataset

    from .data import records

    features = Features(
        {
            "idx": Value("int32"),
            "sentence": Value("string"),
            "label": ClassLabel(names=["negative", "positive"]),
        }
    )
    source = {"train": records("aspect_reviews", "train"), "validation": records("aspect_reviews", "test")}
    source["test"] = source["validation"]

    def build(s):
        rows = [r for r in source[s] if r["label"] in ("negative", "positive")]
        return HFDataset.from_dict(
            {
                "idx": list(range(len(rows))),
                "sentence": [r["text"] for r in rows],
                "label": [["negative", "positive"].index(r["label"]) for r in rows],
            },
            features,
        )

    return _pick(build, ["train", "validation", "test"], split)


def _conll2003(config: str | None, split: str | None):
    """eriktks/conll2003: id, tokens, pos_tags, chunk_tags, ner_tags (CoNLL's nine IOB2 tags)."""
    from datasets import ClassLabel, Features, Sequence, Value
    from datasets import Dataset as HFDataset

    from .data import records

    tags = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]
    features = Features(
        {
            "id": Value("string"),
            "tokens": Sequence(Value("string")),
            "pos_tags": Sequence(Value("int32")),
            "chunk_tags": Sequence(Value("int32")),
            "ner_tags": Sequence(ClassLabel(names=tags)),
        }
    )

    def conll(tag):  # the bundled data's DATE entities are not a CoNLL type: they become MISC
        return tag if tag == "O" or tag[2:] in ("PER", "ORG", "LOC") else tag[:2] + "MISC"

    def build(s):
        rows = records("ner_sentences", s)
        return HFDataset.from_dict(
            {
                "id": [str(r["id"]) for r in rows],
                "tokens": [r["tokens"] for r in rows],
                "pos_tags": [[0] * len(r["tokens"]) for r in rows],
                "chunk_tags": [[0] * len(r["tokens"]) for r in rows],
                "ner_tags": [[tags.index(conll(t)) for t in r["tags"]] for r in rows],
            },
            features,
        )

    return _pick(build, ["train", "validation", "test"], split)


def _beir_docs():
    import hashlib

    from .data import docstring_records, records

    judged = {j["doc"] for q in records("docstring_queries", "test") for j in q["judgements"]}
    docs, seen = {}, set()
    for r in docstring_records():
        key = f"{r['module']}#{hashlib.sha256(r['text'].encode('utf-8')).hexdigest()[:10]}"
        if r["text"] not in seen:
            seen.add(r["text"])
            docs[key] = (r["module"], r["text"])
    # every judged paragraph, then the first others up to 2,000 documents
    keep = [k for k in docs if k in judged] + [k for k in docs if k not in judged][:2_000]
    return {k: docs[k] for k in keep}


def _beir_scifact(config: str | None, split: str | None):
    """BeIR/scifact: configs "corpus" (split corpus) and "queries" (split queries): _id, title, text."""
    from datasets import Dataset as HFDataset
    from datasets import DatasetDict

    from .data import records

    if config == "corpus":
        docs = _beir_docs()
        data = {
            "_id": list(docs),
            "title": [m for m, _ in docs.values()],
            "text": [t for _, t in docs.values()],
        }
    elif config == "queries":
        rows = records("docstring_queries", "test")
        data = {
            "_id": [r["qid"] for r in rows],
            "title": [""] * len(rows),
            "text": [r["query"] for r in rows],
        }
    else:
        raise ValueError(f"BeIR/scifact has the configs 'corpus' and 'queries', not {config!r}")
    ds = HFDataset.from_dict(data)
    return ds if split is not None else DatasetDict({config: ds})


def _beir_qrels(config: str | None, split: str | None):
    """BeIR/scifact-qrels: query-id, corpus-id, score (the relevant pairs); split test."""
    from datasets import Dataset as HFDataset

    from .data import records

    docs = _beir_docs()
    rows = [
        (q["qid"], j["doc"], j["grade"])
        for q in records("docstring_queries", "test")
        for j in q["judgements"]
        if j["grade"] > 0 and j["doc"] in docs
    ]

    def build(s):
        return HFDataset.from_dict(
            {
                "query-id": [q for q, _, _ in rows],
                "corpus-id": [d for _, d, _ in rows],
                "score": [g for *_, g in rows],
            }
        )

    return _pick(build, ["test"], split)


def _cnn_dailymail(config: str | None, split: str | None):
    """abisee/cnn_dailymail: article, highlights, id; train, validation, test (highlights: first sentence)."""
    from datasets import Dataset as HFDataset

    from .data import docstring_records

    texts = sorted({r["text"] for r in docstring_records() if len(r["text"].split()) >= 40})
    rows = [(t, re.split(r"(?<=[.!?])\s+", t)[0]) for t in texts]

    def build(s):
        part = _split_rows(rows, "train" if s == "train" else "test")
        return HFDataset.from_dict(
            {
                "article": [a for a, _ in part],
                "highlights": [h for _, h in part],
                "id": [str(i) for i in range(len(part))],
            }
        )

    return _pick(build, ["train", "validation", "test"], split)


def _gsm8k(config: str | None, split: str | None):
    """openai/gsm8k (main): question, answer; train, test. The answer is worked steps with calculator notes
    (``<<25+71=96>>``), then ``#### <number>``; the stand-in's problems are the bundled two-number sums."""
    from datasets import Dataset as HFDataset

    from .data import records

    def build(s):
        questions, answers = [], []
        for r in records("instruct_tasks", s):
            match = re.fullmatch(r"What is (\d+) ([-+*]) (\d+)\? Answer with the number only\.", r["prompt"])
            if r["task"] == "arithmetic" and match:
                a, op, b = match.groups()
                questions.append(f"What is {a} {op} {b}?")
                answers.append(
                    f"{a} {op} {b} = <<{a}{op}{b}={r['response']}>>{r['response']}\n#### {r['response']}"
                )
        return HFDataset.from_dict({"question": questions, "answer": answers})

    return _pick(build, ["train", "test"], split)


DATASETS: dict[str, Dataset] = {
    "abisee/cnn_dailymail": Dataset(_cnn_dailymail, "summarization (news)", "Apache-2.0", 585),
    "fancyzhx/ag_news": Dataset(_labelled_news, "text classification", None, 19),
    "SetFit/20_newsgroups": Dataset(_newsgroups, "text classification", None, 15),
    "Salesforce/wikitext": Dataset(_wikitext, "language-model corpus", "CC-BY-SA-3.0", 310),
    "wikimedia/wikipedia": Dataset(_wikitext, "untokenized article text", "CC-BY-SA-3.0", 300),  # streamed
    "stanfordnlp/sst2": Dataset(_sst2, "sentiment classification", None, 5),
    "eriktks/conll2003": Dataset(_conll2003, "named entity recognition", None, 1),
    "BeIR/scifact": Dataset(_beir_scifact, "retrieval corpus and queries", "CC-BY-SA-4.0", 8),
    "BeIR/scifact-qrels": Dataset(_beir_qrels, "retrieval judgements", "CC-BY-SA-4.0", 1),
    "openai/gsm8k": Dataset(_gsm8k, "math word problems (verifiable answers)", "MIT", 5),
}


# ---------------------------------------------------------------- the settings row and the patched loader


def _missing(hub_id: str) -> StandinError:
    return StandinError(
        f"the GPU row names {hub_id!r}, which has no stand-in: add it to MODELS or DATASETS in "
        "src/nlpjourney/standins.py (a packaged model of the same kind, a bundled dataset with the same "
        "columns, or a small randomly initialized model of the same architecture)"
    )


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_label_key(key: str | None) -> bool:
    """Keys whose strings are class names ("Sci/Tech"), never Hub ids."""
    return key is not None and "label" in key


def standin_value(gpu: Any, cpu: Any, key: str | None = None) -> Any:
    """One GPU-row value for the stand-in run: Hub models swapped, sizes capped by the CPU row's value."""
    if _is_label_key(key):  # the stand-in datasets carry the Hub's class names; None means all of them
        return gpu
    if isinstance(gpu, str):
        name = gpu.partition(":")[0] if ":" in gpu and "/" in gpu.partition(":")[0] else gpu
        if gpu in MODELS:
            return MODELS[gpu].standin
        if name in DATASETS:
            return gpu  # datasets.load_dataset answers it (see activate)
        if HUB_ID.match(gpu):
            raise _missing(gpu)
        return gpu
    if _is_number(gpu) and _is_number(cpu):
        return cpu
    if gpu is None:
        return cpu
    if isinstance(gpu, list) and (not gpu or all(_is_number(v) for v in gpu)):
        return cpu if isinstance(cpu, list) else gpu
    if isinstance(gpu, list):
        return [standin_value(v, None) for v in gpu]
    if isinstance(gpu, dict):
        cpu = cpu if isinstance(cpu, dict) else {}
        return {k: standin_value(v, cpu.get(k), k) for k, v in gpu.items()}
    return gpu


def standin_row(table: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The row a stand-in run uses: the GPU row through :func:`standin_value`, then the ``standin`` overrides."""
    cpu, gpu = table["cpu"], table["gpu"]
    row = {k: standin_value(v, cpu.get(k), k) for k, v in gpu.items()}
    overrides = table.get("standin", {})
    unknown = sorted(set(overrides) - set(gpu))
    if unknown:
        raise ValueError(f"the 'standin' row names keys the GPU row lacks: {unknown}")
    row.update(overrides)
    return row


def hub_ids(value: Any, key: str | None = None) -> list[str]:
    """The Hub ids a settings value names (owner/name or owner/name:config; class names under label keys
    are not ids)."""
    if _is_label_key(key):
        return []
    if isinstance(value, str):
        return [value] if HUB_ID.match(value) else []
    if isinstance(value, dict):
        return [i for k, v in value.items() for i in hub_ids(v, k)]
    if isinstance(value, (list, tuple)):
        return [i for v in value for i in hub_ids(v)]
    return []


_ORIGINAL_LOAD_DATASET = None


def load_dataset(path: str, name: str | None = None, *args: Any, split: str | None = None, **kwargs: Any):
    """``datasets.load_dataset`` in a stand-in run: Hub ids get their stand-in, local files load as usual."""
    path_id, _, config = path.partition(":") if "/" in path.partition(":")[0] else (path, "", "")
    if path_id in DATASETS:
        streaming = kwargs.get("streaming", False)
        ds = DATASETS[path_id].build(name or config or None, split)
        return ds.to_iterable_dataset() if streaming and hasattr(ds, "to_iterable_dataset") else ds
    if HUB_ID.match(path) and not os.path.exists(path):
        raise _missing(path)
    return _ORIGINAL_LOAD_DATASET(path, name, *args, split=split, **kwargs)


def activate() -> None:
    """Route ``datasets.load_dataset`` (also ``from datasets import load_dataset`` done later) to the stand-ins."""
    global _ORIGINAL_LOAD_DATASET
    import datasets

    if _ORIGINAL_LOAD_DATASET is None:
        _ORIGINAL_LOAD_DATASET = datasets.load_dataset
    datasets.load_dataset = load_dataset
