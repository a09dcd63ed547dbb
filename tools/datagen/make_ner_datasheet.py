"""Write DATASHEET.md for ner_sentences from the generator's own lists (so the description cannot drift)."""

import hashlib
import importlib.util
import json
from collections import Counter
from pathlib import Path

spec = importlib.util.spec_from_file_location("gen", str(Path(__file__).with_name("make_ner_sentences.py")))
g = importlib.util.module_from_spec(spec)
spec.loader.exec_module(g)
OUT = g.OUT


def pools(name, pair):
    return f"- {name}, seen ({len(pair[0])}): {', '.join(pair[0])}.\n  Held out ({len(pair[1])}): {', '.join(pair[1])}."


counts = {}
for split in g.SIZES:
    rows = [json.loads(line) for line in (OUT / f"{split}.jsonl").read_text().splitlines()]
    c = Counter(t[2:] for r in rows for t in r["tags"] if t.startswith("B-"))
    counts[split] = (len(rows), sum(len(r["tokens"]) for r in rows), c)
size = ", ".join(
    f"`{s}` ({n:,} sentences, {t:,} tokens; "
    + ", ".join(f"{k} {c[k]}" for k in ("PER", "ORG", "LOC", "DATE"))
    + ")"
    for s, (n, t, c) in counts.items()
)
total_kb = sum((OUT / f"{s}.jsonl").stat().st_size for s in g.SIZES) / 1024

sheet = f"""# Datasheet: ner_sentences

**What.** Short English sentences in news style, tokenized, with one BIO tag per token for four entity types:
`PER` (people), `ORG` (companies, universities), `LOC` (cities, countries, regions) and `DATE` (days, months,
quarters, seasons, years). Made to teach named entity recognition offline: the `test` split is deliberately
harder than `train`, with sentence templates and names that never occur in training, and with names that are
ambiguous between types (Jordan, Georgia, Sydney, Austin, Florence, Victoria, Paris, Chelsea and Madison are
first names and places; May, April and June are first names and months; Washington, Lincoln, Houston, Chester
and Phoenix are surnames and places), so that gazetteers and rules cannot reach a perfect score.

**Fields.** `id` (int, position in the split), `tokens` (list of strings), `tags` (list of strings, same
length: `O`, `B-TYPE` or `I-TYPE`), `template` (int: which template made the sentence; {len(g.TRAIN_TEMPLATES)} and above are
the test-only templates), `new_template` (bool: the template never occurs in `train` or `validation`).

**How it was made.** Generated for NLP Journey in November 2026 by a seeded Python script, `tools/datagen/make_ner_sentences.py` (`random.Random({g.SEED})`)
written by the course authors, from name lists and templates they wrote themselves; no text was copied from a
corpus. The place names are real places; the person names are common given names and surnames from many
countries combined at random, so any resemblance to a real person is accidental; the company names are
invented. The generator:

1. keeps every name list in two pools, *seen* and *held out*, and shuffles each pool once; names are then drawn
   with Zipf-like weights (1/rank), so a few names are frequent and most are rare, as in real text;
2. makes the splits in the order `train` ({g.SIZES["train"]}), `validation` ({g.SIZES["validation"]}), `test` ({g.SIZES["test"]}) from the same
   generator. A `test` sentence uses a test-only template with probability {g.P_NEW_TEMPLATE} and each of its entities comes from
   the held-out pools with probability {g.P_NEW_NAME}; `train` and `validation` use only the training templates and seen pools;
3. fills a template's slots left to right; two slots of one type in a sentence get different entities. With
   probability {g.P_PREFIX} a prefix phrase is put in front (lower-casing the template's first word unless it is a
   slot, a title or "Yesterday") and with probability {g.P_SUFFIX} a suffix phrase is put before the final full stop;
4. `PER`: first and last name (65 %), first name only (15 %) or last name only (20 %); titles (Dr., Ms., Mr.,
   Professor) belong to the template and are tagged `O`. `ORG`: stem + suffix word (60 %; for a held-out entity
   the suffix is held out with probability 0.5), stem alone (10 %), an acronym (15 %), or "University of" + a place
   (15 %). `LOC`: one place name, possibly several tokens. `DATE` in a day slot: "12 March 2021", "March 12" or a
   weekday (equally likely); in a period slot: "March 2021" or "2021" (equally likely). A held-out date uses,
   with probability 0.5, a format never seen in training, each of two equally likely: "March 12 , 2021" or
   "2021-03-12" for a day, "Q3 2021" or a season ("spring 2021", "autumn 2021") for a period. Days are 1-28,
   years 1995-2024. Numbers (`NUM` slots, tagged `O`) are drawn from: {", ".join(g.NUMBERS)}.

Name pools:

{pools("First names", g.FIRST)}
{pools("Surnames", g.LAST)}
{pools("Company stems", g.ORG_STEM)}
{pools("Company suffix words", g.ORG_SUFFIX)}
{pools("Acronyms", g.ORG_ACRONYM)}
{pools("Places", g.LOC)}

Prefixes (training / test-only): {" | ".join(g.PREFIXES[0])} / {" | ".join(g.PREFIXES[1])}. Suffixes:
{" | ".join(g.SUFFIXES[0])} / {" | ".join(g.SUFFIXES[1])}.

Training templates ({len(g.TRAIN_TEMPLATES)}; `{{DAY}}` and `{{PERIOD}}` are tagged `DATE`):
{chr(10).join("- " + t for t in g.TRAIN_TEMPLATES)}

Test-only templates ({len(g.TEST_TEMPLATES)}):
{chr(10).join("- " + t for t in g.TEST_TEMPLATES)}

The sentences are templated and much more regular than real text: use them to compare methods and to see how
they fail, not to estimate how well a tagger works on real news.

**Size.** 3 splits: {size}; {total_kb:.0f} KB in all.

**Use in the course.** `ch2/04_named_entity_recognition.ipynb` trains and compares a rule-based tagger (gazetteer and
patterns, from scratch and with spaCy's `EntityRuler`), an averaged structured perceptron and a fine-tuned
MiniLM token classifier, and measures how each copes with names unseen in training.

**License.** CC0 1.0: no rights reserved.

## Checksums
```
"""
for split in sorted(g.SIZES):
    digest = hashlib.sha256((OUT / f"{split}.jsonl").read_bytes()).hexdigest()
    sheet += f"sha256 {digest}  {split}.jsonl\n"
sheet += "```\n"
(OUT / "DATASHEET.md").write_text(sheet, encoding="utf-8")
print(sheet[:600])
