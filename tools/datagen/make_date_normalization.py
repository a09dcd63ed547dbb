"""Seeded generator for the bundled dataset `date_normalization` (NLP Journey, chapter 3).

usage: python make_date_normalization.py [OUT_DIR]
Writes OUT_DIR/{train,validation,test}.jsonl: a calendar date written the way people write it, and the same
date in ISO 8601. No date (day, month and year) occurs in more than one split.
"""

import datetime as dt
import random
import sys
from pathlib import Path

from jsonl import write_jsonl

SEED = 2026
N = {"train": 8_000, "validation": 1_000, "test": 1_000}
FIRST, LAST = dt.date(1900, 1, 1), dt.date(2099, 12, 31)
P_LOWER = 0.15  # chance that a written date is all lower case

MONTHS = [dt.date(2000, m, 1).strftime("%B") for m in range(1, 13)]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
UNITS = "first second third fourth fifth sixth seventh eighth ninth".split()
TEENS = "tenth eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth".split()


def ordinal_suffix(d: int) -> str:
    if d in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(d % 10, "th")


def ordinal_word(d: int) -> str:
    if d < 10:
        return UNITS[d - 1]
    if d < 20:
        return TEENS[d - 10]
    tens = {20: "twentieth", 30: "thirtieth"}
    if d in tens:
        return tens[d]
    return {2: "twenty", 3: "thirty"}[d // 10] + "-" + UNITS[d % 10 - 1]


# name -> how to write a date; each takes the date and returns the text
FORMATS = {
    "month_day_year": lambda x: f"{MONTHS[x.month - 1]} {x.day}, {x.year}",
    "day_month_year": lambda x: f"{x.day} {MONTHS[x.month - 1]} {x.year}",
    "short_month": lambda x: f"{MONTHS[x.month - 1][:3]} {x.day} {x.year}",
    "ordinal_of": lambda x: f"{x.day}{ordinal_suffix(x.day)} of {MONTHS[x.month - 1]}, {x.year}",
    "weekday_long": lambda x: f"{WEEKDAYS[x.weekday()]}, {MONTHS[x.month - 1]} {x.day}, {x.year}",
    "weekday_short": lambda x: f"{WEEKDAYS[x.weekday()][:3]} {x.day} {MONTHS[x.month - 1][:3]} {x.year}",
    "us_slashes": lambda x: f"{x.month}/{x.day}/{x.year}",
    "european_dots": lambda x: f"{x.day:02d}.{x.month:02d}.{x.year}",
    "ordinal_words": lambda x: f"the {ordinal_word(x.day)} of {MONTHS[x.month - 1]} {x.year}",
    "month_ordinal_word": lambda x: f"{MONTHS[x.month - 1]} {ordinal_word(x.day)}, {x.year}",
}


def main(out: Path) -> None:
    rng = random.Random(SEED)
    days = (LAST - FIRST).days + 1
    picked = rng.sample(range(days), sum(N.values()))  # distinct dates, so the splits share none
    out.mkdir(parents=True, exist_ok=True)
    names = sorted(FORMATS)
    start = 0
    for split, n in N.items():
        rows = []
        for i, offset in enumerate(picked[start : start + n]):
            date = FIRST + dt.timedelta(days=offset)
            name = rng.choice(names)
            text = FORMATS[name](date)
            if rng.random() < P_LOWER:
                text = text.lower()
            rows.append({"id": i, "text": text, "iso": date.isoformat(), "format": name})
        write_jsonl(out / f"{split}.jsonl", rows, ascii_only=True)
        start += n
        print(split, n)


if __name__ == "__main__":
    default = Path(__file__).resolve().parents[2] / "src" / "nlpjourney" / "data" / "date_normalization"
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else default)
