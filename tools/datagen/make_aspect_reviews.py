"""Seeded template generator for the bundled dataset `aspect_reviews` (NLP Journey, ch2/05).

usage: python make_aspect_reviews.py OUT_DIR
Writes OUT_DIR/train.jsonl and OUT_DIR/test.jsonl. Every phrase below was written for the course.
Items in the second list of each (shared, test_only) pair appear only in the test split.
"""

import random
import re
import sys
from pathlib import Path

from jsonl import write_jsonl

SEED = 2026
N = {"train": 1500, "test": 500}
P_TEST_ONLY = 0.35  # in the test split, chance to pick a test-only alternative wherever one exists

# --- aspect terms: category -> ((shared terms), (test-only terms)); (text, plural) ----------------------------
TERMS = {
    "phone": {
        "battery": ([("battery", False), ("battery life", False)], [("runtime", False)]),
        "screen": ([("screen", False), ("display", False)], [("touchscreen", False)]),
        "camera": ([("camera", False), ("photos", True), ("lens", False)], [("pictures", True)]),
        "price": ([("price", False), ("cost", False)], [("pricing", False)]),
    },
    "restaurant": {
        "food": (
            [
                ("food", False),
                ("pasta", False),
                ("pizza", False),
                ("steak", False),
                ("soup", False),
                ("dessert", False),
            ],
            [("curry", False)],
        ),
        "service": (
            [("service", False), ("staff", False), ("waiter", False), ("waitress", False)],
            [("host", False)],
        ),
        "ambience": (
            [("ambience", False), ("atmosphere", False), ("decor", False), ("music", False)],
            [("dining room", False)],
        ),
        "price": ([("prices", True), ("bill", False)], [("pricing", False)]),
    },
}

# --- opinion adjectives: generic ones work for every aspect ----------------------------------------------------
GENERIC = {
    "positive": (
        [
            "great",
            "excellent",
            "good",
            "fantastic",
            "superb",
            "wonderful",
            "impressive",
            "lovely",
            "outstanding",
            "amazing",
            "decent",
            "brilliant",
            "nice",
            "terrific",
        ],
        ["stellar", "splendid", "marvelous", "first-rate"],
    ),
    "negative": (
        [
            "terrible",
            "awful",
            "bad",
            "poor",
            "horrible",
            "disappointing",
            "mediocre",
            "dreadful",
            "lousy",
            "pathetic",
            "weak",
            "useless",
        ],
        ["atrocious", "abysmal", "subpar", "dire"],
    ),
}
# aspect-specific adjectives (mostly missing from general-purpose lexicons)
SPECIFIC = {
    "battery": {
        "positive": (["long-lasting", "dependable", "reliable"], ["tireless"]),
        "negative": (["short-lived", "unreliable", "feeble"], ["flaky"]),
    },
    "screen": {
        "positive": (["bright", "sharp", "crisp", "vivid"], ["gorgeous"]),
        "negative": (["dim", "blurry", "grainy", "washed out"], ["murky"]),
    },
    "camera": {
        "positive": (["sharp", "detailed", "crisp"], ["stunning"]),
        "negative": (["grainy", "blurry", "noisy"], ["muddy"]),
    },
    "price": {
        "positive": (["fair", "reasonable", "affordable"], ["modest"]),
        "negative": (["steep", "outrageous", "inflated"], ["exorbitant"]),
    },
    "food": {
        "positive": (["delicious", "tasty", "fresh", "flavorful"], ["scrumptious"]),
        "negative": (["bland", "stale", "greasy", "undercooked", "salty"], ["soggy"]),
    },
    "service": {
        "positive": (["friendly", "attentive", "helpful", "quick"], ["courteous"]),
        "negative": (["rude", "slow", "careless", "inattentive"], ["curt"]),
    },
    "ambience": {
        "positive": (["cozy", "relaxing", "charming", "calm"], ["inviting"]),
        "negative": (["noisy", "cramped", "dreary", "loud"], ["gloomy"]),
    },
}
# predicates that carry the opinion without an opinion adjective (often no sentiment word at all);
# {s}/{es} are verb endings for singular subjects in the present tense, ignored for plural or past
VERB_PHRASES = {
    "battery": {
        "positive": (
            [
                "lasts all day",
                "easily lasts two days",
                "charges in under an hour",
                "keeps going until midnight",
            ],
            ["still has half left at bedtime"],
        ),
        "negative": (
            [
                "dies by lunchtime",
                "drains overnight",
                "needs a charger twice a day",
                "loses ten percent an hour",
            ],
            ["gives up before dinner"],
        ),
    },
    "screen": {
        "positive": (
            ["is easy to read in sunlight", "shows deep blacks", "looks like paper"],
            ["makes every photo pop"],
        ),
        "negative": (
            ["is hard to read outdoors", "scratches far too easily", "flickers at low brightness"],
            ["picks up every fingerprint"],
        ),
    },
    "camera": {
        "positive": (
            ["handles low light well", "focuses instantly", "captures true colors"],
            ["rivals my old DSLR"],
        ),
        "negative": (
            ["struggles in low light", "takes ages to focus", "washes out every color"],
            ["turns sunsets into mush"],
        ),
    },
    "price": {
        "positive": (
            ["is half what the rivals charge", "is a steal for what you get", "fits any student budget"],
            ["leaves money for a case"],
        ),
        "negative": (
            ["is twice what the rivals charge", "is hard to justify", "costs more than it should"],
            ["eats a month of savings"],
        ),
    },
    "food": {
        "positive": (
            ["melted in the mouth", "came out piping hot", "tasted homemade"],
            ["had us ordering seconds"],
        ),
        "negative": (
            ["came out cold", "tasted like cardboard", "sat under a heat lamp too long"],
            ["went back to the kitchen twice"],
        ),
    },
    "service": {
        "positive": (
            [
                "remembered our names",
                "refilled our water without asking",
                "checked on us at just the right moments",
            ],
            ["went out of their way for us"],
        ),
        "negative": (
            ["forgot our order twice", "kept us waiting forty minutes", "never came back to our table"],
            ["rolled their eyes at every question"],
        ),
    },
    "ambience": {
        "positive": (
            ["made it easy to talk", "felt warm and personal", "set a perfect mood"],
            ["made us stay for another hour"],
        ),
        "negative": (
            ["made it impossible to talk", "felt like a waiting room", "drowned out every conversation"],
            ["gave me a headache"],
        ),
    },
}
# "very" and "slightly" suit gradable adjectives; extreme ones (excellent, awful) take "absolutely" and co.
INTENSIFIERS = (["very", "really", "extremely", "incredibly", "so"], ["remarkably", "exceptionally"])
EXTREME_INTENSIFIERS = (["absolutely", "really", "truly"], ["utterly"])
DIMINISHERS = {
    "positive": (["fairly", "reasonably", "somewhat"], ["moderately"]),
    "negative": (["slightly", "somewhat", "a bit"], ["rather"]),
}
EXTREME = {
    "great",
    "lovely",
    "excellent",
    "fantastic",
    "superb",
    "wonderful",
    "outstanding",
    "amazing",
    "brilliant",
    "terrific",
    "stellar",
    "splendid",
    "marvelous",
    "first-rate",
    "terrible",
    "awful",
    "horrible",
    "dreadful",
    "pathetic",
    "useless",
    "atrocious",
    "abysmal",
    "dire",
    "lousy",
    "outrageous",
    "exorbitant",
    "gorgeous",
    "stunning",
    "scrumptious",
    "unbeatable",
    "ridiculous",
    "absurd",
    "crazy",
    "mediocre",
}
NOT_GRADABLE = {
    "decent",
    "subpar",
    "first-rate",
    "long-lasting",
    "short-lived",
    "washed out",
    "undercooked",
    "tireless",
    "fair",
    "inflated",
}
# the price is rarely "lovely" or "pathetic": it gets its own generic words
PRICE_GENERIC = {
    "positive": (["great", "good", "decent", "excellent", "fantastic"], ["unbeatable"]),
    "negative": (["terrible", "bad", "awful", "ridiculous", "crazy"], ["absurd"]),
}
# negated verb phrases: the opinion is the opposite of the verb's own meaning
NEVER_PHRASES = {
    "battery": {
        "positive": (["never runs out before bedtime", "never dies on me"], ["never leaves me stranded"]),
        "negative": (
            ["never lasts a full day", "never charges past eighty percent"],
            ["never survives a long trip"],
        ),
    },
    "screen": {
        "positive": (["never lags", "never shows a dead pixel"], ["never strains my eyes"]),
        "negative": (["never gets bright enough", "never responds on the first tap"], ["never looks sharp"]),
    },
    "camera": {
        "positive": (["never misses a shot", "never blurs moving kids"], ["never lets me down"]),
        "negative": (
            ["never gets the focus right", "never captures the real colors"],
            ["never works indoors"],
        ),
    },
    "price": {
        "positive": (["never felt like a burden", "never made me hesitate"], ["never hurt my wallet"]),
        "negative": (["never seemed worth it", "never matched the quality"], ["never made sense to me"]),
    },
    "food": {
        "positive": (["never disappointed", "never tasted reheated"], ["never left us hungry"]),
        "negative": (["never arrived hot", "never tasted of anything"], ["never came close to the photos"]),
    },
    "service": {
        "positive": (["never let our glasses run empty", "never rushed us"], ["never missed a beat"]),
        "negative": (["never smiled once", "never checked on us"], ["never apologized"]),
    },
    "ambience": {
        "positive": (["never felt crowded", "never got too loud"], ["never felt rushed"]),
        "negative": (["never felt welcoming", "never let us relax"], ["never felt clean"]),
    },
}
MASS_NOUNS = {
    "food",
    "service",
    "staff",
    "decor",
    "ambience",
    "atmosphere",
    "music",
    "lighting",
    "pricing",
    "runtime",
    "battery life",
    "cost",
    "curry",
}
EMOJI = {"positive": (["😍", "😀", "👍"], ["😋"]), "negative": (["😞", "👎", "😡"], ["🙄"])}
OPENERS = {
    "phone": (
        [
            "I bought this phone a month ago.",
            "Upgraded from an older model last week.",
            "Got this as a gift in March.",
            "Been using it for two weeks now.",
            "Switched to this model after my old one broke.",
        ],
        ["Ordered it online on a whim."],
    ),
    "restaurant": (
        [
            "We had dinner here on Friday.",
            "Came here for a birthday lunch.",
            "Stopped by with two coworkers.",
            "Booked a table for four on Saturday.",
            "We tried this place after a long walk.",
        ],
        ["Walked in without a reservation."],
    ),
}
VERDICTS = {
    "phone": {
        "positive": (
            ["Highly recommended.", "Would buy again.", "Five stars from me.", "Best purchase this year."],
            ["No regrets at all."],
        ),
        "negative": (
            ["Would not recommend.", "Returned it after a week.", "One star.", "Save yourself the trouble."],
            ["Back in the box it goes."],
        ),
    },
    "restaurant": {
        "positive": (
            [
                "We will definitely be back.",
                "Highly recommended.",
                "Five stars.",
                "Worth the trip across town.",
            ],
            ["Already planning our next visit."],
        ),
        "negative": (
            ["Never again.", "Would not recommend.", "One star.", "We will not be back."],
            ["Eat somewhere else."],
        ),
    },
}
NEG_OF = {"is": "isn't", "are": "aren't", "was": "wasn't", "were": "weren't"}
FLIP = {"positive": "negative", "negative": "positive"}


class Picker:
    """Chooses from (shared, test_only) pairs; test-only items are reachable only in the test split."""

    def __init__(self, rng, split):
        self.rng, self.split = rng, split

    def __call__(self, pair):
        shared, test_only = pair
        if self.split == "test" and test_only and self.rng.random() < P_TEST_ONLY:
            return self.rng.choice(test_only)
        return self.rng.choice(shared)


def verb_form(vp, plural, past):
    """Our verb phrases are written for a singular subject in the present (restaurant ones in the past)."""
    first, _, rest = vp.partition(" ")
    if past:  # only the price phrases are written in the present; the restaurant ones are already past
        past_of = {
            "is": "were" if plural else "was",
            "costs": "cost",
            "fits": "fit",
            "leaves": "left",
            "eats": "ate",
        }
        return f"{past_of.get(first, first)} {rest}".strip()
    if not plural:
        return vp
    base = {
        "is": "are",
        "has": "have",
        "lasts": "last",
        "dies": "die",
        "drains": "drain",
        "needs": "need",
        "loses": "lose",
        "keeps": "keep",
        "charges": "charge",
        "shows": "show",
        "looks": "look",
        "scratches": "scratch",
        "flickers": "flicker",
        "makes": "make",
        "picks": "pick",
        "handles": "handle",
        "focuses": "focus",
        "captures": "capture",
        "rivals": "rival",
        "struggles": "struggle",
        "takes": "take",
        "washes": "wash",
        "turns": "turn",
        "fits": "fit",
        "leaves": "leave",
        "costs": "cost",
        "eats": "eat",
        "gives": "give",
        "still": "still",
        "easily": "easily",
    }.get(first, first)
    return f"{base} {rest}".strip()


# --- clause frames: each returns (clause text, phenomena) with {T} standing for the aspect's noun phrase ---------
def make_clause(pick, rng, domain, cat, pol, term, plural, split, standalone_ok=True):
    past = domain == "restaurant"
    be = ("were" if plural else "was") if past else ("are" if plural else "is")
    generic = PRICE_GENERIC if cat == "price" else GENERIC

    def adj(p, gradable=False):
        shared, test_only = generic[p][0] + SPECIFIC[cat][p][0], generic[p][1] + SPECIFIC[cat][p][1]
        if gradable:
            shared = [a for a in shared if a not in EXTREME | NOT_GRADABLE]
            test_only = [a for a in test_only if a not in EXTREME | NOT_GRADABLE]
        return pick((shared, test_only))

    frames = [
        ("plain", 12, []),
        ("found", 3, []),
        ("intensified", 6, ["intensifier"]),
        ("diminished", 2, ["diminisher"]),
        ("negated", 3, ["negation"]),
        ("negated_contraction", 2, ["negation"]),
        ("never_verb", 2, ["negation", "implicit"]),
        ("verb_phrase", 8, ["implicit"]),
        ("exclaim", 2, ["exclamation"]),
        ("emoji_extra", 2, ["emoji"]),
        ("emoji_only", 2 if standalone_ok else 0, ["emoji", "implicit"]),
        ("comparison", 2, ["comparison"]),
    ]
    if pol == "negative":
        frames += [
            ("not_very", 1.5, ["negation", "intensifier"]),
            ("sarcasm", 3 if standalone_ok else 0, ["sarcasm"]),
        ]
    else:
        frames += [
            ("litotes", 1.5, ["negation", "litotes"]),
            ("could_not_be_better", 0.5, ["negation", "idiom"]),
        ]
    frames += [("long_negation", 1.5, ["negation", "long_negation"]), ("never_such", 1, ["negation_no_flip"])]
    if split == "test":  # frames never seen in training
        frames += [("nobody_would_call", 1.5, ["negation", "long_negation"]), ("far_from", 1.5, ["negation"])]
    names, weights, tags = zip(*frames)
    k = rng.choices(range(len(names)), weights=weights)[0]
    name, tags = names[k], list(tags[k])
    T = "{T}"
    if name == "plain":
        text = f"{T} {be} {adj(pol)}"
    elif name == "found":
        text = f"I found {T} {adj(pol)}"
    elif name == "intensified":
        a = adj(pol)
        if a in NOT_GRADABLE:
            a = adj(pol, gradable=True)
        text = f"{T} {be} {pick(EXTREME_INTENSIFIERS if a in EXTREME else INTENSIFIERS)} {a}"
    elif name == "diminished":
        text = f"{T} {be} {pick(DIMINISHERS[pol])} {adj(pol, gradable=True)}"
    elif name == "negated":
        text = f"{T} {be} not {adj(FLIP[pol])}"
    elif name == "never_verb":
        text = f"{T} {pick(NEVER_PHRASES[cat][pol])}"
    elif name == "negated_contraction":
        text = f"{T} {NEG_OF[be]} {adj(FLIP[pol])}"
    elif name == "not_very":
        text = f"{T} {be} not very {adj('positive', gradable=True)}"
    elif name == "litotes":
        text = (
            f"{T} {rng.choice([be + ' not', NEG_OF[be]])} {rng.choice(['bad', 'awful', 'terrible'])} at all"
        )
    elif name == "could_not_be_better":
        text = f"{T} could not {'have been' if past else 'be'} better"
    elif name == "long_negation":
        opener = rng.choice(["I don't think", "I would not say", "I can't say"])
        text = f"{opener} {T} {be} {adj(FLIP[pol])}"
    elif name == "nobody_would_call":
        text = f"nobody would call {T} {adj(FLIP[pol])}"
    elif name == "far_from":
        text = f"{T} {be} far from {adj(FLIP[pol])}"
    elif name == "never_such":
        noun = term
        a = adj(pol)
        art = "an " if a[0] in "aeio" or a.startswith("un") else "a "
        if plural or noun in MASS_NOUNS:
            art = ""
        text = f"I have never {'had' if past else 'seen'} such {art}{a} {noun}"
    elif name == "verb_phrase":
        text = f"{T} {verb_form(pick(VERB_PHRASES[cat][pol]), plural, past)}"
    elif name == "exclaim":
        text = f"{T} {be} {adj(pol)}!"
    elif name == "emoji_extra":
        text = f"{T} {be} {adj(pol)} {pick(EMOJI[pol])}"
    elif name == "emoji_only":
        e = pick(EMOJI[pol])
        text = f"as for {T}: {e}{e}"
    elif name == "comparison":
        other = "my old phone" if domain == "phone" else "the place next door"
        text = (
            f"{T} {be} {'better' if pol == 'positive' else 'worse'} than on {other}"
            if domain == "phone"
            else (f"{T} {be} {'better' if pol == 'positive' else 'worse'} than at {other}")
        )
    elif name == "sarcasm":
        vp = verb_form(pick(VERB_PHRASES[cat]["negative"]), plural, past)
        lead = rng.choice(["oh great, {T} {vp}", "I just love how {T} {vp}", "wonderful, {T} {vp}"])
        text = lead.replace("{vp}", vp)
    else:
        raise ValueError(name)
    return text, tags


def capitalize(s):
    return s[0].upper() + s[1:] if s else s


def make_review(rng, split, idx):
    pick = Picker(rng, split)
    domain = rng.choice(["phone", "restaurant"])
    y = rng.choice(["positive", "negative"])
    k = rng.choices([1, 2, 3], weights=[4, 4, 2])[0]
    cats = rng.sample(list(TERMS[domain]), k)
    mixed = k >= 2 and rng.random() < 0.35
    joined = k >= 2 and not mixed and rng.random() < 0.35
    pols = [y] * k
    if mixed:
        pols[0] = FLIP[y]  # the first aspect disagrees; the structure below makes the last word y's
    clauses, phenomena, aspects = [], set(), []
    for cat, pol in zip(cats, pols):
        term, plural = pick(TERMS[domain][cat])
        text, tags = make_clause(pick, rng, domain, cat, pol, term, plural, split, not (mixed or joined))
        phenomena.update(tags)
        np_ = "the " + term
        text = text.replace("{T}", np_)
        clauses.append(text)
        aspects.append({"category": cat, "term": term, "polarity": pol})
    # glue the clauses into sentences
    if mixed:
        phenomena.add("mixed")
        first, rest = clauses[0], clauses[1:]
        bang = any(c.endswith("!") for c in clauses)
        first, rest = first.rstrip("!"), [c.rstrip("!") for c in rest]
        second = ", and ".join(rest) if len(rest) > 1 else rest[0]
        connectives = [
            ("{a}, but {b}.", 4),
            ("{a} but {b}.", 2),
            ("Although {a}, {b}.", 2),
            ("{a}; however, {b}.", 2),
        ]
        if split == "test":
            connectives += [("{b}, even though {a}.", 3), ("While {a}, {b}.", 2)]
        shapes, w = zip(*connectives)
        shape = rng.choices(shapes, weights=w)[0]
        body = shape.replace("{a}", first).replace("{b}", second)
        if shape.startswith("{b}"):
            phenomena.add("contrast_main_first")
        phenomena.add("contrast")
        sentences = [capitalize(body[:-1] + "!" if bang else body)]
    elif joined:
        bang = any(c.endswith("!") for c in clauses)
        sentences = [capitalize(", and ".join(c.rstrip("!") for c in clauses)) + ("!" if bang else ".")]
    else:
        sentences = [capitalize(c) + "." for c in clauses]
    sentences = [re.sub(r"([!.?])\.$", r"\1", s).replace("!.", "!") for s in sentences]
    if rng.random() < 0.35:
        sentences.insert(0, pick(OPENERS[domain]))
    if rng.random() < 0.3:
        sentences.append(pick(VERDICTS[domain][y]))
        phenomena.add("verdict")
    text = " ".join(sentences)
    lower = text.lower()
    for a in aspects:
        spans = [m.span() for m in re.finditer(r"\b" + re.escape(a["term"]) + r"\b", lower)]
        assert len(spans) == 1, (text, a)
        a["from"], a["to"] = spans[0]
    return {
        "id": idx,
        "domain": domain,
        "text": text,
        "label": y,
        "aspects": [{k: a[k] for k in ("category", "term", "from", "to", "polarity")} for a in aspects],
        "phenomena": sorted(phenomena),
    }


def main(out):
    rng = random.Random(SEED)
    seen = set()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for split in ("train", "test"):
        rows = []
        while len(rows) < N[split]:
            r = make_review(rng, split, len(rows))
            if r["text"] in seen:
                continue
            seen.add(r["text"])
            rows.append(r)
        write_jsonl(Path(out) / f"{split}.jsonl", rows)
        print(split, len(rows))


if __name__ == "__main__":
    main(
        sys.argv[1]
        if len(sys.argv) > 1
        else Path(__file__).resolve().parents[2] / "src" / "nlpjourney" / "data" / "aspect_reviews"
    )
