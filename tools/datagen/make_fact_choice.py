"""Seeded generator for the bundled dataset `fact_choice` (NLP Journey, chapter 4).

usage: python make_fact_choice.py [OUT_DIR]
Writes OUT_DIR/{validation,test}.jsonl: four-choice questions whose right answer the script computes and checks
(arithmetic, unit conversion, the largest of four numbers, a written date in ISO 8601, the length of a string,
which standard-library module defines a function). No question occurs twice or in both splits.
"""

import datetime as dt
import importlib
import random
import sys
from pathlib import Path

from jsonl import write_jsonl

SEED = 1414
N_PER_KIND = {"validation": 4, "test": 12}
MONTHS = [dt.date(2000, m, 1).strftime("%B") for m in range(1, 13)]
UNITS = [  # (larger unit, smaller unit, factor)
    ("kilometres", "metres", 1000),
    ("metres", "centimetres", 100),
    ("kilograms", "grams", 1000),
    ("litres", "millilitres", 1000),
    ("hours", "minutes", 60),
    ("minutes", "seconds", 60),
]
WORDS = "apple river window planet garden yellow bottle silver dragon pencil orange mountain".split()
# (function, module that defines it): the script checks each with importlib, and that no distractor has it
FUNCTIONS = [
    ("getcwd", "os"),
    ("sqrt", "math"),
    ("loads", "json"),
    ("shuffle", "random"),
    ("findall", "re"),
    ("deepcopy", "copy"),
    ("heappush", "heapq"),
    ("bisect_left", "bisect"),
    ("dedent", "textwrap"),
    ("median", "statistics"),
    ("isleap", "calendar"),
    ("b64encode", "base64"),
    ("sha256", "hashlib"),
    ("rmtree", "shutil"),
    ("fnmatch", "fnmatch"),
    ("permutations", "itertools"),
    ("reduce", "functools"),
    ("perf_counter", "time"),
]
MODULES = sorted({m for _, m in FUNCTIONS})


def arithmetic(rng):
    a, b = rng.randint(12, 89), rng.randint(12, 89)
    right = a + b
    wrong = [right + 1, right - 10, right + 10, right - 1, right + 2]
    return f"What is the sum of {a} and {b}?", str(right), [str(w) for w in wrong]


def unit_conversion(rng):
    big, small, factor = rng.choice(UNITS)
    x = rng.randint(2, 9)
    right = x * factor
    wrong = [right // 10, right * 10, x * 100 if factor != 100 else x * 1000, x + factor]
    return f"How many {small} are there in {x} {big}?", str(right), [str(w) for w in wrong]


def largest(rng):
    nums = rng.sample(range(100, 1000), 4)
    text = ", ".join(str(n) for n in nums)
    right = max(nums)
    return f"Which of these numbers is the largest: {text}?", str(right), [str(n) for n in nums if n != right]


def iso_date(rng):
    day = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(365 * 70))
    while day.day > 12 or day.day == day.month:  # so that swapping day and month gives another valid date
        day = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(365 * 70))
    right = day.isoformat()
    swapped = f"{day.year}-{day.day:02d}-{day.month:02d}"
    wrong = [
        swapped,
        (day + dt.timedelta(days=1)).isoformat(),
        f"{day.year + 1}-{day.month:02d}-{day.day:02d}",
    ]
    return f"How is the date {day.day} {MONTHS[day.month - 1]} {day.year} written in ISO 8601?", right, wrong


def string_length(rng):
    word = "".join(rng.sample(WORDS, 2))
    right = len(word)
    wrong = [right - 1, right + 1, right + 2, right - 2]
    return f'How many characters are in the string "{word}"?', str(right), [str(w) for w in wrong]


def stdlib_module(rng):
    name, module = rng.choice(FUNCTIONS)
    assert hasattr(importlib.import_module(module), name)
    others = [m for m in MODULES if m != module and not hasattr(importlib.import_module(m), name)]
    return f"Which Python standard-library module defines the function {name}?", module, rng.sample(others, 3)


KINDS = {
    "arithmetic": arithmetic,
    "unit_conversion": unit_conversion,
    "largest": largest,
    "iso_date": iso_date,
    "string_length": string_length,
    "stdlib_module": stdlib_module,
}


def main(out: Path) -> None:
    rng = random.Random(SEED)
    seen = set()
    for split, n in N_PER_KIND.items():
        rows = []
        for kind, make in KINDS.items():
            made = 0
            while made < n:
                question, right, wrong = make(rng)
                wrong = [w for w in dict.fromkeys(wrong) if w != right][:3]
                if question in seen or len(wrong) < 3:
                    continue
                seen.add(question)
                label = rng.randrange(4)
                choices = wrong[:label] + [right] + wrong[label:]
                rows.append({"kind": kind, "question": question, "choices": choices, "label": label})
                made += 1
        rng.shuffle(rows)
        out.mkdir(parents=True, exist_ok=True)
        write_jsonl(out / f"{split}.jsonl", [{"id": i, **row} for i, row in enumerate(rows)])


if __name__ == "__main__":
    main(
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else Path(__file__).parents[2] / "src/nlpjourney/data/fact_choice"
    )
