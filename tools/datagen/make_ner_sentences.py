"""Write the ner_sentences dataset (template-generated BIO sentences) and print its checksums.

Everything below (name lists, templates, proportions) was written for NLP Journey; nothing is copied.
"""

import os
import random
from pathlib import Path

from jsonl import write_jsonl

OUT = Path(
    os.environ.get("NJ_DATAGEN_OUT")
    or Path(__file__).resolve().parents[2] / "src" / "nlpjourney" / "data" / "ner_sentences"
)
SEED = 2003
SIZES = {"train": 1000, "validation": 200, "test": 400}
P_NEW_NAME = 0.5  # test only: chance that an entity is drawn from the held-out pools
P_NEW_TEMPLATE = 0.5  # test only: chance that a sentence uses a held-out template
P_PREFIX, P_SUFFIX = 0.2, 0.15

# ---- names: (seen pool, held-out pool). Seen pools feed every split; held-out pools only the test split.
AMBIGUOUS = (
    "Jordan Georgia Sydney Austin Florence Victoria Paris Chelsea Madison".split()
)  # people and places
FIRST = (
    """Amara Bilal Camila Dario Elena Farah Goran Hana Ines Jonas Kenji Leila Mateo Nadia Oskar Priya Rosa Sanjay
    Tomas Vikram Wanda Xavier Yara Zoltan Aiko Bruno Dmitri Esther Felix Greta Hugo Ingrid Kofi Lucia Marek Nora
    Pablo Rania Tariq Wei Abena Arjun Beatriz Caleb Chiara Dong Emil Fatima Gustav Hiro Ivana Jakub Kamala Lars
    Leon Malik Maren Nikhil Olga Omar Petra Quinn Rafael Saanvi Sergei Signe Tobias Ulrike Valentina Wojciech
    Ximena Yosef Zofia Adaeze Bram Carmen Daniel Eszter Femi Hamid Irene Joon Katya Luis Mei Nils Oliver Pilar
    Ramon Sakura Thabo Vera Walter May April June""".split()
    + AMBIGUOUS,
    """Anouk Bogdan Chidi Dagny Eero Fumiko Gideon Halima Ilse Joaquin Kwame Lorenzo Mirela Nkechi Oisin Teodora
    Yusuf Zainab Ayumi Bartosz Cosmin Dilnoza Eamon Folasade Grigor Henrike Ikaika Jurgis Kalani Ludovica Mthunzi
    Nuno Ottilie Radek""".split(),
)
LAST = (
    """Okafor Lindqvist Moreau Tanaka Kowalski Haddad Fernandes Novak Mensah Petrov Nakamura Schultz Rossi Kaur
    Nguyen Alvarez Brennan Castillo Dubois Eriksen Fischer Gallagher Hosseini Ibrahim Jansen Larsen Mwangi Nilsson
    Park Reyes Sato Uddin Varga Weber Yilmaz Zhou Banda Costa Ito Kruger Abbott Bakker Chowdhury Demir Edwards
    Ferrari Gomez Hansen Iyer Jung Keller Lopez Muller Nowak Olsen Patel Quinn Romano Suzuki Torres Ueda Vogel Walsh
    Yamada Zhang Achebe Bianchi Cohen Dlamini Engel Fournier Garcia Horvat Ivanova Jimenez Kovacs Lehmann Mendes
    Nair Ortiz Popescu Rahman Santos Takeda Urban Vidal Wagner Young Ziegler Washington Lincoln Houston Chester
    Phoenix""".split(),
    """Achterberg Bjornsson Chukwu Dvorak Esposito Fitzgerald Grimaldi Horvath Iwasaki Jovanovic Kariuki Lombardi
    Mahlangu Oyelaran Przybylski Rautenbach Szabo Vasquez Abernathy Brankovic Cardenas Dimitriou Eklund Furtado
    Gudmundsson Hakimi Ilunga Jablonski Kouyate Lindgren Mastroianni Nwachukwu Ostrowski Pietersen""".split(),
)
ORG_STEM = (
    """Northwind Bluefin Kestrel Lumen Brightwater Ironbark Halcyon Meridian Cobalt Juniper Saffron Tidewater
    Redwood Polaris Vantage Granite Summit Pioneer Harbor Orchid Falcon Evergreen Crescent Beacon Nimbus Alder
    Bramble Cedarline Dovetail Everly Foxglove Greywind Heron Indigo Jasper Keystone Lanternfish Maple Nettle
    Oakhurst Pinecrest Quartz Riverbend Silverleaf Tamarind Umber Verdant Willowby Yarrow Zephyr Amberly Bellweather
    Copperfield Driftstone Elmstead Fairhaven Glenmoor Hollowell""".split(),
    """Quillfeather Ashgrove Stormcrest Velora Driftwood Emberline Larkspur Obsidian Thistle Wrenfield Arbutus
    Brackenridge Cinderford Dunmore Eastlake Fernhill Gorse Halloway Ivybridge Juniperhill""".split(),
)
ORG_SUFFIX = (
    "Labs Systems Group Bank Partners Motors Foods Energy Analytics Robotics Airlines Media Insurance Inc Corp".split(),
    "Logistics Biotech Capital Studios Textiles Ventures".split(),
)
ORG_ACRONYM = ("NTX QBR VKM ZPL HRT DLX FMC GTA JWR PLX SRN UBK".split(), "KWQ BXT MFR TJN YRV CQD".split())
LOC = (
    [
        *"""Lagos Nairobi Lisbon Oslo Hanoi Lima Quito Accra Dhaka Montreal Osaka Seoul Berlin Madrid Chile Peru Kenya
        Norway Vietnam Ghana Canada Japan Brazil Egypt Turkey Portugal Houston Washington Lincoln Chester Phoenix
        Ankara Bergen Cairo Dakar Dublin Geneva Hamburg Istanbul Jakarta Kyoto Lyon Manila Munich Nagoya Porto Prague
        Rotterdam Santiago Tallinn Toronto Valencia Vienna Warsaw Zagreb Zurich Finland Morocco Mexico India Poland
        Greece Ireland Colombia Tanzania Scotland Bavaria Quebec Tasmania Sicily""".split(),
        "New Delhi",
        "Buenos Aires",
        "Cape Town",
        "Rio de Janeiro",
        "Hong Kong",
        "San Diego",
        "Abu Dhabi",
        "Sri Lanka",
        "New Zealand",
        "South Korea",
        "Costa Rica",
        "Mexico City",
        "Tel Aviv",
        "Ho Chi Minh City",
        "Saudi Arabia",
        *AMBIGUOUS,
    ],
    [
        *"""Tbilisi Windhoek Ulaanbaatar Bogota Kigali Valparaiso Mombasa Reykjavik Mongolia Uruguay Namibia Bhutan
        Zambia Almaty Bishkek Cusco Gdansk Lusaka Maputo Nouakchott Plovdiv Tromso Vilnius Yerevan Zanzibar Patagonia
        Moldova""".split(),
        "Da Nang",
        "Porto Alegre",
        "Kuala Lumpur",
        "Addis Ababa",
        "Santa Cruz",
        "Puerto Montt",
        "Novi Sad",
    ],
)
MONTHS = "January February March April May June July August September October November December".split()
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
NUMBERS = "12 35 60 140 300 850 1200 1950 2000 2500".split()  # 1950 and 2000 look like years


def zipf_sampler(pool, rng):
    """Draw from a pool with Zipf-like weights (1/rank) over a seeded shuffle: a few common names, a long tail."""
    order = pool[:]
    rng.shuffle(order)
    weights = [1 / (rank + 1) for rank in range(len(order))]
    return lambda r: r.choices(order, weights)[0]


def make_fillers(rng):
    draw = {
        name: (zipf_sampler(seen, rng), zipf_sampler(new, rng))
        for name, (seen, new) in {
            "first": FIRST, "last": LAST, "stem": ORG_STEM, "suffix": ORG_SUFFIX, "acronym": ORG_ACRONYM, "loc": LOC,
        }.items()
    }  # fmt: skip

    def person(r, new):
        first, last = draw["first"][new](r), draw["last"][new](r)
        form = r.random()
        if form < 0.65:
            return [first, last]
        return [first] if form < 0.8 else [last]

    def location(r, new):
        return draw["loc"][new](r).split()

    def organization(r, new):
        form = r.random()
        if form < 0.6:
            suffix = draw["suffix"][new and r.random() < 0.5](r)
            return [draw["stem"][new](r), suffix]
        if form < 0.7:
            return [draw["stem"][new](r)]
        if form < 0.85:
            return [draw["acronym"][new](r)]
        return ["University", "of", *location(r, new)]

    def day(r, new):  # a date that names a day
        month, d, year = r.randrange(12), r.randint(1, 28), r.randint(1995, 2024)
        if new and r.random() < 0.5:  # formats that never occur in training
            return (
                [MONTHS[month], str(d), ",", str(year)]
                if r.random() < 0.5
                else [f"{year}-{month + 1:02d}-{d:02d}"]
            )
        return [[str(d), MONTHS[month], str(year)], [MONTHS[month], str(d)], [r.choice(WEEKDAYS)]][
            r.randrange(3)
        ]

    def period(r, new):  # a month, quarter, season or year
        month, year = r.randrange(12), r.randint(1995, 2024)
        if new and r.random() < 0.5:
            return (
                [f"Q{r.randint(1, 4)}", str(year)]
                if r.random() < 0.5
                else [r.choice(["spring", "autumn"]), str(year)]
            )
        return [[MONTHS[month], str(year)], [str(year)]][r.randrange(2)]

    return {"PER": person, "ORG": organization, "LOC": location, "DAY": day, "PERIOD": period}


TRAIN_TEMPLATES = """\
{PER} joined {ORG} in {PERIOD} .
{ORG} opened a new office in {LOC} on {DAY} .
According to {PER} , {ORG} will hire {NUM} engineers .
{PER} , who grew up in {LOC} , now works for {ORG} .
The meeting in {LOC} was moved to {DAY} .
Dr. {PER} presented the results at {ORG} .
{ORG} said on {DAY} that it had acquired {ORG} .
{PER} and {PER} met in {LOC} last year .
Shares of {ORG} rose after the report .
{PER} flew from {LOC} to {LOC} on {DAY} .
The {ORG} team in {LOC} has {NUM} employees .
In {PERIOD} , {PER} became chief executive of {ORG} .
{LOC} will host the conference in {PERIOD} .
Ms. {PER} thanked the staff of {ORG} .
We visited {LOC} with {PER} .
{PER} was born in {LOC} in {PERIOD} .
Talks between {ORG} and {ORG} ended on {DAY} .
Police in {LOC} said {NUM} people were evacuated .
Mr. {PER} declined to comment .
The new plant near {LOC} cost {ORG} {NUM} million dollars .
{PER} will lead the {LOC} office from {DAY} .
Reporters asked {PER} about the deal with {ORG} .
{ORG} moved its headquarters from {LOC} to {LOC} .
She met {PER} in {LOC} .
On {DAY} , {ORG} announced record profits .
{PER} wrote to {PER} on {DAY} .
The flight to {LOC} was delayed by {NUM} minutes .
{PER} studied at {ORG} before moving to {LOC} .
Analysts at {ORG} expect prices to fall .
{NUM} students from {LOC} visited {ORG} on {DAY} .
{PER} said the results were encouraging .
A spokesperson for {ORG} confirmed the news .
Heavy rain hit {LOC} on {DAY} .
Thanks to {PER} , the project finished early .
{ORG} and {PER} signed the agreement in {LOC} .
Leaders met at the summit in {LOC} on {DAY} .
{PER} bought a house in {LOC} .
The board of {ORG} met on {DAY} .
Our pioneer program in {LOC} trained {NUM} nurses .
{PER} , a lawyer from {LOC} , represented {ORG} .
The mayor of {LOC} criticized {ORG} .
{ORG} hired {PER} as its new director .
Prices in {LOC} doubled between {PERIOD} and {PERIOD} .
{PER} told {PER} that the factory would close .
Fans in {LOC} celebrated late into the night .
The museum in {LOC} reopened on {DAY} .
{PER} is the founder of {ORG} .
A court in {LOC} fined {ORG} on {DAY} .
{ORG} will sell its stake in {ORG} .
My sister {PER} moved to {LOC} in {PERIOD} .
The report by {ORG} was published in {PERIOD} .
Engineers from {ORG} arrived in {LOC} on {DAY} .
{PER} thanked {PER} for the advice .
The road between {LOC} and {LOC} was closed .
Nobody expected the vote to pass .
Prices went up again this week .
The report was published online before the holiday .""".splitlines()

TEST_TEMPLATES = """\
Yesterday {PER} met investors from {ORG} in {LOC} .
{ORG} , based in {LOC} , was founded on {DAY} .
Speaking in {LOC} , {PER} praised {ORG} .
The contract between {ORG} and {LOC} was signed by {PER} .
{PER} 's trip to {LOC} lasted until {DAY} .
Investors cheered when {ORG} hired {PER} .
After {PERIOD} , {PER} left {LOC} for good .
Nobody at {ORG} had heard of {PER} .
{LOC} officials welcomed {PER} on {DAY} .
Professor {PER} of {ORG} spoke about {LOC} .
The deal gives {ORG} control of {NUM} stores in {LOC} .
Born in {PERIOD} , {PER} moved to {LOC} as a child .
Everyone at the harbor cheered as {PER} arrived .
Granite prices fell sharply in {PERIOD} .
{PER} , whose company {ORG} makes batteries , lives in {LOC} .
Tourists from {LOC} crowded the streets of {LOC} .
The lawsuit against {ORG} was dropped on {DAY} .
{PER} and her partner {PER} opened a bakery in {LOC} .""".splitlines()

PREFIXES = (["Last week ,", "Meanwhile ,", "In a statement ,", "As expected ,", "Later ,"],
            ["Surprisingly ,", "Earlier today ,", "By contrast ,"])  # fmt: skip
SUFFIXES = ([", sources said", ", officials said"], [", a witness said", ", the newspaper reported"])
KEEP_CASE = {"Dr.", "Mr.", "Ms.", "Professor", "Yesterday"}


def fill(template, rng, fillers, p_new, new_template):
    words = template.split()
    if rng.random() < P_PREFIX:
        first = words[0]
        if not first.startswith("{") and first not in KEEP_CASE:
            words[0] = first.lower()
        words = rng.choice(PREFIXES[new_template]).split() + words
    if rng.random() < P_SUFFIX:
        words = words[:-1] + rng.choice(SUFFIXES[new_template]).split() + words[-1:]
    tokens, tags, used = [], [], set()
    for word in words:
        slot = word[1:-1] if word.startswith("{") else None
        if slot == "NUM":
            tokens.append(rng.choice(NUMBERS))
            tags.append("O")
        elif slot:
            kind = "DATE" if slot in ("DAY", "PERIOD") else slot
            while True:  # two slots of one type in a sentence get different entities
                entity = fillers[slot](rng, rng.random() < p_new)
                if " ".join(entity) not in used:
                    break
            used.add(" ".join(entity))
            tokens += entity
            tags += [f"B-{kind}"] + [f"I-{kind}"] * (len(entity) - 1)
        else:
            tokens.append(word)
            tags.append("O")
    return tokens, tags


def generate(split, n, rng, fillers):
    rows = []
    for i in range(n):
        new_template = split == "test" and rng.random() < P_NEW_TEMPLATE
        pool = TEST_TEMPLATES if new_template else TRAIN_TEMPLATES
        k = rng.randrange(len(pool))
        tokens, tags = fill(pool[k], rng, fillers, P_NEW_NAME if split == "test" else 0.0, new_template)
        template_id = len(TRAIN_TEMPLATES) + k if new_template else k
        rows.append(
            {"id": i, "tokens": tokens, "tags": tags, "template": template_id, "new_template": new_template}
        )
    return rows


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)
    fillers = make_fillers(rng)
    digests = {}
    for split, n in SIZES.items():  # generated in this order from one generator
        rows = generate(split, n, rng, fillers)
        digests[split] = write_jsonl(OUT / f"{split}.jsonl", rows)
    for split in sorted(SIZES):
        print(f"sha256 {digests[split]}  {split}.jsonl")
    sizes = {k: len(v[0]) for k, v in {"first": FIRST, "last": LAST, "stem": ORG_STEM, "loc": LOC}.items()}
    print(
        len(TRAIN_TEMPLATES),
        "train templates,",
        len(TEST_TEMPLATES),
        "test-only templates; seen pools",
        sizes,
    )


if __name__ == "__main__":
    main()
