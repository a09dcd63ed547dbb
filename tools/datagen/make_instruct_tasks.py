"""Seeded generator for the bundled dataset `instruct_tasks` (NLP Journey, chapter 4: post-training).

usage: python make_instruct_tasks.py [OUT_DIR]
Writes OUT_DIR/{train,validation,test}.jsonl and the checksums in OUT_DIR/DATASHEET.md. Each row is an
instruction whose answer a program can verify, the answer in the required shape, and a rejected answer that
breaks the rule the datasheet writes down (the preference pair). No prompt occurs in two splits.
"""

import json
import random
import sys
from pathlib import Path

from jsonl import write_jsonl

SEED = 4242
N = {"train": 240, "validation": 40, "test": 60}  # per task

FIRST = "Ada Bruno Chen Dara Emil Farah Goran Hana Ivo Jun Kofi Lena Mateo Nadia Omar Priya Quinn Rosa Sami Tariq Uma Vera Wen Yara Zane".split()
LAST = "Abebe Berg Costa Dubois Eze Fischer Garcia Haddad Ito Jensen Kowalski Lund Moreau Novak Okafor Petrov Quispe Rossi Sato Tanaka Ueda Varga Weber Yilmaz Zhou".split()
CITIES = "Accra Bergen Cairo Dublin Essen Florence Geneva Hanoi Izmir Jakarta Kyoto Lagos Lima Madrid Nairobi Oslo Porto Quito Riga Seoul Tunis Utrecht Vienna Warsaw Zagreb".split()
JOBS = "baker nurse pilot teacher welder chemist plumber librarian carpenter architect".split()
OPENERS = [
    "{name}, {age}, lives in {city} and works as a {job}.",
    "At {age}, {name} is a {job} based in {city}.",
    "Our new {job}, {name} ({age}), joins the {city} office next week.",
    "{name} moved to {city} last spring; the {age}-year-old {job} loves the food.",
    "Meet {name}: {job}, {age} years old, from {city}.",
]
UNITS = [  # (from, to, factor, how the prompt names them)
    ("km", "m", 1000, "kilometres", "metres"),
    ("m", "cm", 100, "metres", "centimetres"),
    ("kg", "g", 1000, "kilograms", "grams"),
    ("h", "min", 60, "hours", "minutes"),
    ("min", "s", 60, "minutes", "seconds"),
    ("L", "mL", 1000, "litres", "millilitres"),
]
FRUITS = "apple banana cherry date fig grape kiwi lemon mango melon olive peach pear plum quince".split()
MONTHS = "January February March April May June July August September October November December".split()
NUMBER_ONLY = "Answer with the number only."


def extraction(rng):
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    age, city, job = rng.randint(19, 79), rng.choice(CITIES), rng.choice(JOBS)
    text = rng.choice(OPENERS).format(name=name, age=age, city=city, job=job)
    prompt = f'Extract the person\'s name, age and city from this text as JSON with the keys "name", "age" and "city":\n{text}'
    answer = {"name": name, "age": age, "city": city}
    response = json.dumps(answer)
    rejected = rng.choice(
        [
            ("chatty", f"Sure! Here is the JSON:\n{response}"),
            ("wrong_type", json.dumps({"name": name, "age": str(age), "city": city})),
            ("missing_key", json.dumps({"name": name, "city": city})),
        ]
    )
    return prompt, response, {"kind": "json", "value": answer}, rejected


def conversion(rng):
    short, to, factor, long_from, long_to = rng.choice(UNITS)
    amount = rng.choice(
        [rng.randint(2, 60), rng.randint(2, 60) + 0.5, rng.randint(1, 9) + rng.choice([0.25, 0.75])]
    )
    value = amount * factor
    shown = f"{amount:g}"
    prompt = f"Convert {shown} {long_from} to {long_to}. {NUMBER_ONLY}"
    response = f"{value:g}"
    rejected = rng.choice(
        [
            ("chatty", f"{shown} {long_from} is {value:g} {long_to}."),
            ("wrong_value", f"{amount / factor:g}" if amount / factor != value else f"{value + factor:g}"),
        ]
    )
    return prompt, response, {"kind": "number", "value": value}, rejected


def arithmetic(rng):
    a, b = rng.randint(12, 98), rng.randint(12, 98)
    op = rng.choice(["+", "-", "*"])
    value = {"+": a + b, "-": a - b, "*": a * b}[op]
    prompt = f"What is {a} {op} {b}? {NUMBER_ONLY}"
    rejected = rng.choice(
        [
            ("chatty", f"{a} {op} {b} = {value}"),
            ("wrong_value", str(value + rng.choice([-10, -1, 1, 10]))),
        ]
    )
    return prompt, str(value), {"kind": "number", "value": value}, rejected


def iso_date(rng):
    year, month, day = rng.randint(1950, 2049), rng.randint(1, 12), rng.randint(1, 28)
    written = rng.choice(
        [
            f"{MONTHS[month - 1]} {day}, {year}",
            f"{day} {MONTHS[month - 1]} {year}",
            f"{MONTHS[month - 1][:3]} {day} {year}",
        ]
    )
    value = f"{year:04d}-{month:02d}-{day:02d}"
    prompt = f"Write the date {written} in ISO 8601 form (YYYY-MM-DD). Reply with the date only."
    rejected = rng.choice(
        [("chatty", f"The date is {value}."), ("wrong_order", f"{year:04d}-{day:02d}-{month:02d}")]
    )
    if rejected[1] == value:  # day == month: the swap changes nothing
        rejected = ("chatty", f"The date is {value}.")
    return prompt, value, {"kind": "exact", "value": value}, rejected


def sorted_list(rng):
    items = rng.sample(FRUITS, rng.randint(3, 5))
    value = ", ".join(sorted(items))
    prompt = f"Sort these words alphabetically and reply with them separated by commas: {' '.join(items)}"
    rejected = rng.choice([("chatty", f"Here they are in order: {value}"), ("unsorted", ", ".join(items))])
    if rejected[1] == value:
        rejected = ("chatty", f"Here they are in order: {value}")
    return prompt, value, {"kind": "exact", "value": value}, rejected


def snake_case(rng):
    words = rng.sample(
        "user account id total price order date first name shipping address item count".split(), 3
    )
    phrase = " ".join(w.capitalize() if rng.random() < 0.5 else w for w in words)
    value = "_".join(w.lower() for w in words)
    prompt = f'Convert "{phrase}" to snake_case. Reply with the identifier only.'
    rejected = rng.choice(
        [
            ("chatty", f"In snake_case: {value}"),
            ("camel_case", words[0].lower() + "".join(w.capitalize() for w in words[1:])),
        ]
    )
    return prompt, value, {"kind": "exact", "value": value}, rejected


TASKS = {
    "json_extraction": extraction,
    "unit_conversion": conversion,
    "arithmetic": arithmetic,
    "iso_date": iso_date,
    "sort_words": sorted_list,
    "snake_case": snake_case,
}


def main(out: Path) -> None:
    rng = random.Random(SEED)
    rows = {split: [] for split in N}
    for task, make in TASKS.items():
        seen = set()
        for split, n in N.items():
            while sum(r["task"] == task for r in rows[split]) < n:
                prompt, response, check, (kind, rejected) = make(rng)
                if prompt in seen:  # every prompt once, in one split
                    continue
                seen.add(prompt)
                rows[split].append(
                    {"task": task, "prompt": prompt, "response": response, "check": check,
                     "rejected": rejected, "rejected_kind": kind}
                )  # fmt: skip
    out.mkdir(parents=True, exist_ok=True)
    sums = []
    for split, items in rows.items():
        rng.shuffle(items)
        path = out / f"{split}.jsonl"
        digest = write_jsonl(path, [{"id": i, **row} for i, row in enumerate(items)])
        sums.append(f"sha256 {digest}  {path.name}")
        print(split, len(items))
    sheet = out / "DATASHEET.md"  # written by hand; the generator only rewrites its checksums section
    text = sheet.read_text(encoding="utf-8").split("## Checksums")[0].rstrip() + "\n\n"
    sheet.write_text(
        text + "## Checksums\n```\n" + "\n".join(sorted(sums, key=lambda s: s.split()[-1])) + "\n```\n"
    )


if __name__ == "__main__":
    default = Path(__file__).resolve().parents[2] / "src" / "nlpjourney" / "data" / "instruct_tasks"
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else default)
