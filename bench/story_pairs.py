"""The labelled article pairs the story-grouping threshold is measured on.

``python -m bench.story_pairs`` rewrites ``tests/fixtures/story_pairs.jsonl.gz``: gzip JSON
Lines, one pair a line, ``{"kind", "same", "a": {"title", "body": [paragraphs]}, "b",
"note"}``. ``python -m bench.stories`` measures ``index.stories`` on it and
``tests/test_story_pairs.py`` holds the measurement to its floors. Everything is made
from files committed in the project, with ``random.Random`` seeded per pair from
``SEED``, the kind and the pair's number, so a run makes the same bytes on any machine
(the gzip header carries no name and no time).

The text is real prose: the 24 Port Carrow sample articles (``samples/articles/001_…``
to ``024_…``; ``000_…`` is a copied Epoch Times article outside the samples' CC0
dedication, so it is left out), the first 4 records of ``samples/wire.jsonl``, and the
Medline, CISI and Cranfield abstracts committed in ``tests/fixtures/ir`` of at least
``LONG_WORDS`` words and four sentences (split into paragraphs of about
``PARAGRAPH_WORDS`` words at sentence ends).

Kinds, ``same`` true (one story, should be linked):

- ``edited``: the base and a copy with two to five small edits an outlet makes: a few
  words substituted, a sentence trimmed, a paragraph dropped (only when there are five
  or more) or split, a dateline or credit line added, British spelling made American,
  and usually a new headline. A third of the pairs are two outlets' edits of the base.
- ``print-online``: the print version (last one to three paragraphs cut to fit) and the
  online one (the base with one or two extra paragraphs and a "Related:" line).
- ``update``: the base and its update: an "UPDATED 3:45 p.m.:" lead prepended, one figure
  changed with a correction note appended, and 20-40% more text (paragraphs of a donor
  article: another on the same Port Carrow story where there is one, else another
  abstract of the collection) put in.
- ``rewrite``: a major rewrite: about 35-45% of the base's sentences kept, the rest of
  the new version (more than half of it) new text. Labelled the same story, so the
  report shows what shingle MinHash cannot see.

Kinds, ``same`` false (different stories, must not be linked):

- ``same-topic``: two different documents on one subject: every pair of sample articles
  of one Port Carrow story line (the bridge, the flood, the light rail, the cannery, the
  port, the comet), and pairs of abstracts judged relevant to the same query in the
  collections' judgements (``TOPIC_PAIRS``: picked by ``python -m bench.story_pairs
  --pick-topics`` from ``../shared/data/ir``, which the fixture itself does not need).
  A pair whose exact shingle Jaccard similarity exceeds ``MAX_TOPIC_JACCARD`` is left
  out: the collections hold true duplicates (``TOPIC_DUPLICATES``).
- ``template``: two stories written from one template (weather, match report, earnings
  brief, obituary, sentencing, home sales, road works): the standard paragraphs the same,
  the facts, names and figures filled in differently, and sentences of the fact
  paragraphs drawn from a few variants, so they share roughly a third to a half of their
  text.
"""

from __future__ import annotations

import argparse
import gzip
import io
import itertools
import json
import random
import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from index.articles import read_file
from index.jsonl import parse_record
from index.smart import Record, plain_id, read_records

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "story_pairs.jsonl.gz"
SAMPLES = ROOT / "samples"
IR = ROOT / "tests" / "fixtures" / "ir"
COLLECTIONS = {
    "med": "MED.ALL.gz",
    "cisi": "CISI.ALL.gz",
    "cran": "cran.all.1400.gz",
}
JUDGEMENTS = {"med": "med/MED.REL", "cisi": "cisi/CISI.REL", "cran": "cran/cranqrel"}
"""Where ``--pick-topics`` reads each collection's judgements, below ``../shared/data/ir``."""
SEED = 20261203
LONG_WORDS = 80
"""An abstract this long or longer (and of four sentences or more) is text to edit: a
base of a positive pair."""
PARAGRAPH_WORDS = 30
MAX_TOPIC_JACCARD = 0.3
SHINGLE_WORDS = 3
KINDS = ("edited", "print-online", "update", "rewrite", "same-topic", "template")
SAME = {"edited": True, "print-online": True, "update": True, "rewrite": True}
NEWS_BASES = {"edited": 16, "print-online": 16, "update": 16, "rewrite": 6}
IR_BASES = {"edited": 28, "print-online": 28, "update": 28, "rewrite": 8}
TEMPLATE_PAIRS = 7
"""Pairs per template (seven templates)."""
SHARED_TEXT = (0.3, 0.6)
"""A template pair is drawn again until the share of its text in common is in this range."""

THREADS = {
    "bridge": ("001", "002", "024"),
    "flood": ("004", "005", "008", "021"),
    "rail": ("003", "009", "016", "020"),
    "cannery": ("006", "023"),
    "port": ("012", "018"),
    "comet": ("007", "wire-2012-06-04-comet-binoculars"),
}
"""Sample articles (by file number or wire id) that report one Port Carrow story line."""
SAMPLE_VERSIONS = {
    "wire-2016-04-12-pier4-ferry-eastside-courier",
    "wire-2016-04-14-pier4-ferry-boats-ordered",
}
"""Versions of the ferry story in ``samples/wire.jsonl`` (there to show story groups),
left out: as texts of their own they would be duplicates among different stories."""

TOPIC_PAIRS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "med": (
        ("11", "228", "444"),
        ("11", "447", "448"),
        ("11", "228", "229"),
        ("11", "148", "452"),
        ("11", "229", "441"),
        ("10", "537", "539"),
        ("8", "61", "263"),
        ("15", "104", "218"),
        ("21", "604", "626"),
        ("5", "326", "331"),
        ("11", "228", "452"),
        ("18", "514", "517"),
        ("11", "63", "452"),
        ("17", "38", "341"),
    ),
    "cisi": (
        ("30", "618", "635"),
        ("3", "133", "136"),
        ("30", "786", "1173"),
        ("92", "127", "129"),
        ("30", "580", "622"),
        ("30", "788", "1055"),
        ("16", "529", "1011"),
        ("15", "723", "1410"),
        ("11", "223", "439"),
        ("44", "10", "607"),
        ("109", "102", "113"),
        ("11", "355", "828"),
        ("44", "381", "619"),
        ("28", "703", "1120"),
    ),
    "cran": (
        ("130", "766", "858"),
        ("88", "614", "615"),
        ("88", "613", "614"),
        ("20", "88", "268"),
        ("88", "613", "615"),
        ("89", "793", "794"),
        ("13", "64", "65"),
        ("58", "786", "788"),
        ("39", "24", "79"),
        ("176", "582", "585"),
        ("219", "667", "1080"),
        ("202", "605", "1309"),
        ("220", "292", "977"),
        ("157", "122", "1106"),
    ),
}
"""(query, document, document): two abstracts both judged relevant to the query, picked
by ``pick_topics`` (``--pick-topics``): per collection the ``HARD_TOPICS`` most alike
(exact shingle Jaccard, at most ``MAX_TOPIC_JACCARD``) and ``RANDOM_TOPICS`` at random."""
HARD_TOPICS = 6
RANDOM_TOPICS = 8
TOPIC_DUPLICATES = (
    ("med", "165", "183", 0.912),
    ("cisi", "1162", "1164", 1.0),
    ("cisi", "1265", "1266", 0.31),
    ("cisi", "234", "1440", 1.0),
    ("cisi", "458", "538", 0.915),
    ("cran", "1274", "1319", 0.803),
    ("cran", "575", "656", 0.368),
    ("cran", "843", "889", 0.595),
)
"""Pairs judged relevant to one query whose exact Jaccard is above ``MAX_TOPIC_JACCARD``,
left out after reading them (``pick_topics`` prints them)."""


@dataclass(frozen=True)
class Text:
    """An article as the pairs hold it: a headline and body paragraphs."""

    title: str
    body: tuple[str, ...]
    name: str
    """Where it came from (``samples/articles/003…``, ``med 12``), for notes."""

    def as_json(self) -> dict[str, object]:
        return {"title": self.title, "body": list(self.body)}


# --- reading the bases -------------------------------------------------------------------

_SENTENCE = re.compile(r"(?<=[.!?][\"”’)])\s+|(?<=[.!?])\s+(?=[\"“‘(]?[A-Z0-9])")
_LOWER_SENTENCE = re.compile(r"(?<=\s\.)\s+")


def sentences(paragraph: str) -> list[str]:
    """A paragraph's sentences (Cranfield's lower-case text ends them with `` .``)."""
    pattern = _SENTENCE if any(c.isupper() for c in paragraph) else _LOWER_SENTENCE
    return [part for part in pattern.split(paragraph) if part.strip()]


def words_of(text: str) -> list[str]:
    """Words as ``index.stories.body_words`` finds them (kept here so the generator does
    not depend on the grouping it measures)."""
    return re.findall(r"\w+", text.casefold())


def shingles(paragraphs: Iterable[str]) -> set[str]:
    words = words_of("\n".join(paragraphs))
    return {
        " ".join(words[start : start + SHINGLE_WORDS])
        for start in range(len(words) - SHINGLE_WORDS + 1)
    }


def jaccard(first: Iterable[str], second: Iterable[str]) -> float:
    one, two = shingles(first), shingles(second)
    return len(one & two) / len(one | two) if one | two else 0.0


def shared(first: Iterable[str], second: Iterable[str]) -> float:
    """The share of the shorter text's shingles that the other has too."""
    one, two = shingles(first), shingles(second)
    return len(one & two) / min(len(one), len(two)) if one and two else 0.0


def paragraphs_of(text: str) -> tuple[str, ...]:
    """An abstract cut into news-sized paragraphs at sentence ends."""
    paragraphs: list[str] = []
    current: list[str] = []
    for sentence in sentences(text):
        current.append(sentence)
        if len(" ".join(current).split()) >= PARAGRAPH_WORDS:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        if paragraphs and len(" ".join(current).split()) < PARAGRAPH_WORDS // 2:
            paragraphs[-1] += " " + " ".join(current)
        else:
            paragraphs.append(" ".join(current))
    return tuple(paragraphs)


def news_texts() -> dict[str, Text]:
    """The sample articles (by file number) and wire records (by id)."""
    texts: dict[str, Text] = {}
    for path in sorted((SAMPLES / "articles").glob("*.txt")):
        number = path.name[:3]
        if number == "000":
            continue  # not the samples' own text (samples/README.md)
        article = read_file(path)[0].article
        assert article is not None, path
        texts[number] = Text(article.title, article.paragraphs, f"samples/articles/{path.name}")
    lines = (SAMPLES / "wire.jsonl").read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        record = json.loads(line)
        if record["id"] in SAMPLE_VERSIONS:
            continue
        article = parse_record(record, "wire.jsonl", number)  # a body may be one string
        texts[record["id"]] = Text(
            article.title, article.paragraphs, f"samples/wire.jsonl {record['id']}"
        )
    return texts


def ir_records() -> dict[str, dict[str, Record]]:
    """Each collection's documents by plain id."""
    records: dict[str, dict[str, Record]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        for name, file in COLLECTIONS.items():
            path = Path(scratch) / file.removesuffix(".gz")
            path.write_bytes(gzip.decompress((IR / file).read_bytes()))
            records[name] = {plain_id(r.id): r for r in read_records(path)}
    return records


def ir_text(collection: str, record: Record) -> Text:
    title = record.title or " ".join(record.text.split()[:8])
    return Text(title, paragraphs_of(record.text), f"{collection} {plain_id(record.id)}")


# --- edits -------------------------------------------------------------------------------

SUBSTITUTES = {
    "said": "says",
    "says": "said",
    "about": "around",
    "around": "about",
    "more than": "over",
    "over": "more than",
    "because": "as",
    "however": "but",
    "but": "however",
    "also": "as well",
    "large": "big",
    "big": "large",
    "small": "little",
    "show": "indicate",
    "shows": "indicates",
    "showed": "indicated",
    "began": "started",
    "start": "begin",
    "help": "assist",
    "city": "town",
    "people": "residents",
    "residents": "people",
    "used": "employed",
    "use": "employ",
    "new": "fresh",
    "several": "a number of",
    "many": "numerous",
    "important": "key",
    "major": "key",
    "problem": "issue",
    "problems": "issues",
    "found": "discovered",
    "study": "research",
    "method": "approach",
    "methods": "approaches",
    "results": "findings",
    "percent": "per cent",
    "per cent": "percent",
    "Tuesday": "on Tuesday",
}
AMERICAN = {
    "neighbourhood": "neighborhood",
    "neighbourhoods": "neighborhoods",
    "centre": "center",
    "centres": "centers",
    "colour": "color",
    "labour": "labor",
    "favour": "favor",
    "organisation": "organization",
    "organisations": "organizations",
    "programme": "program",
    "programmes": "programs",
    "travelled": "traveled",
    "catalogue": "catalog",
    "cataloguing": "cataloging",
    "defence": "defense",
    "licence": "license",
    "realised": "realized",
    "recognised": "recognized",
    "analyse": "analyze",
    "metres": "meters",
    "metre": "meter",
    "kilometres": "kilometers",
    "behaviour": "behavior",
    "harbour": "harbor",
    "theatre": "theater",
    "grey": "gray",
    "tonnes": "tons",
}
DATELINES = (
    "PORT CARROW (AP) — ",
    "PORT CARROW, {month} {day} (Reuters) - ",
    "ASHFORD — ",
    "(Scoop Wire) — ",
    "WASHINGTON (AP) — ",
)
EDITORS = (
    "Reporting by Mara Lindqvist; Editing by Tom Okafor",
    "Reporting by Daniel Reyes; additional reporting by Sunil Rao; Editing by Jane Holt",
    "Writing by Henrik Solberg; Editing by Aisha Bello and Mark Potter",
    "The Associated Press contributed to this report.",
    "Copyright Scoop Wire. All rights reserved.",
)
MONTHS = ("Jan", "Feb", "March", "April", "May", "June", "July", "Aug", "Sept", "Oct")


def _replace_words(text: str, table: dict[str, str], rng: random.Random, count: int) -> str:
    """``text`` with up to ``count`` occurrences of ``table``'s words replaced."""
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(table, key=len)[::-1])) + r")\b")
    spots = list(pattern.finditer(text))
    chosen = sorted(rng.sample(spots, min(count, len(spots))), key=lambda m: m.start())
    for match in reversed(chosen):
        text = text[: match.start()] + table[match.group(1)] + text[match.end() :]
    return text


def substitute(body: list[str], rng: random.Random) -> str:
    count = rng.randint(2, 6)
    joined = "\n".join(body)
    body[:] = _replace_words(joined, SUBSTITUTES, rng, count).split("\n")
    return f"{count} words substituted"


def americanize(body: list[str], rng: random.Random) -> str:
    joined = "\n".join(body)
    spelt = _replace_words(joined, AMERICAN, rng, 1000)
    body[:] = spelt.split("\n")
    return "American spelling" if spelt != joined else "American spelling (nothing to change)"


def trim_sentence(body: list[str], rng: random.Random) -> str:
    long = [n for n, p in enumerate(body) if len(sentences(p)) >= 2]
    if not long:
        return "no sentence to trim"
    number = rng.choice(long)
    parts = sentences(body[number])
    cut = rng.randrange(len(parts))
    body[number] = " ".join(parts[:cut] + parts[cut + 1 :])
    return f"sentence {cut + 1} of paragraph {number + 1} cut"


def drop_paragraph(body: list[str], rng: random.Random) -> str:
    if len(body) < 5:
        return trim_sentence(body, rng)
    number = rng.randrange(1, len(body))
    del body[number]
    return f"paragraph {number + 1} dropped"


def split_paragraph(body: list[str], rng: random.Random) -> str:
    long = [n for n, p in enumerate(body) if len(sentences(p)) >= 2]
    if not long:
        return "no paragraph to split"
    number = rng.choice(long)
    parts = sentences(body[number])
    cut = rng.randrange(1, len(parts))
    body[number : number + 1] = [" ".join(parts[:cut]), " ".join(parts[cut:])]
    return f"paragraph {number + 1} split"


def dateline(body: list[str], rng: random.Random) -> str:
    line = rng.choice(DATELINES).format(month=rng.choice(MONTHS), day=rng.randint(1, 28))
    body[0] = line + body[0]
    return f"dateline {line.strip()!r}"


def credit(body: list[str], rng: random.Random) -> str:
    line = rng.choice(EDITORS)
    body.append(line)
    return "credit line"


EDITS: tuple[Callable[[list[str], random.Random], str], ...] = (
    substitute,
    substitute,
    trim_sentence,
    drop_paragraph,
    split_paragraph,
    dateline,
    credit,
    americanize,
)

HEADLINE_PREFIXES = ("Update: ", "Explainer: ", "", "", "What to know: ")


def headline(text: Text, rng: random.Random) -> str:
    """A headline another desk might write for it (never the same one)."""
    written = _headline(text, rng, rng.randrange(3))
    return written if written != text.title else _headline(text, rng, 2)


def _headline(text: Text, rng: random.Random, style: int) -> str:
    if style == 0:
        return rng.choice(HEADLINE_PREFIXES) + _replace_words(text.title, SUBSTITUTES, rng, 2)
    if style == 1:
        lead = re.split(r"[,;:—]", sentences(text.body[0])[0])[0].split()[:11]
        return " ".join(word[:1].upper() + word[1:] for word in lead)
    return text.title.rstrip(" .") + rng.choice(
        (", Officials Say", " (Updated)", ": Live Updates", " — Report")
    )


def edited(text: Text, rng: random.Random) -> tuple[Text, str]:
    """A copy of ``text`` with two to five small edits (and usually a new headline)."""
    body = list(text.body)
    notes = [edit(body, rng) for edit in rng.sample(EDITS, rng.randint(2, 5))]
    title = text.title
    if rng.random() < 0.7:
        title = headline(text, rng)
        notes.append("headline rewritten")
    return Text(title, tuple(p for p in body if p.strip()), text.name), ", ".join(notes)


ONLINE_EXTRAS = (
    "This story is part of our continuing coverage. Sign up for the morning newsletter to "
    "get the day's most important stories from Port Carrow and the region in your inbox.",
    "Have a question about this story? Our reporters will answer readers' questions in a "
    "live chat on Thursday at noon. Send yours ahead of time through the form on our "
    "contact page.",
    "A gallery of photographs from the scene, and a short video with the people involved, "
    "is on our website alongside this article.",
    "We will update this article as more information becomes available. Readers who were "
    "affected and would like to share their experience can reach the newsroom by email.",
    "Scoop's reporters have covered this subject for more than a decade. An interactive "
    "timeline of the main events since the first reports is linked below.",
)


def print_online(text: Text, donor: Text, rng: random.Random) -> tuple[Text, Text, str]:
    """The print version (cut to fit) and the online one (extra paragraphs, Related:)."""
    cut = min(rng.randint(1, 3), len(text.body) // 3)
    if cut:
        printed = Text(text.title, text.body[: len(text.body) - cut], text.name)
        what = f"last {cut} paragraph(s) cut"
    else:  # too short to lose a paragraph: the last sentence goes
        last = sentences(text.body[-1])
        kept = (*text.body[:-1], " ".join(last[:-1])) if len(last) > 1 else text.body[:-1]
        printed = Text(text.title, kept, text.name)
        what = "last sentence cut"
    extra = [rng.choice(ONLINE_EXTRAS)]
    if rng.random() < 0.5:
        extra.insert(0, rng.choice(donor.body))
    online_body = list(text.body)
    place = rng.randint(1, len(online_body))
    online_body[place:place] = extra[:1]
    online_body += extra[1:]
    online_body.append(f"Related: {donor.title}")
    online = Text(headline(text, rng) if rng.random() < 0.5 else text.title, tuple(online_body), "")
    note = f"print: {what}; online: {len(extra)} extra paragraph(s) and Related:"
    return printed, online, note


_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\w,]\d)")
TIMES = ("9:10 a.m.", "11:25 a.m.", "1:05 p.m.", "3:45 p.m.", "6:30 p.m.", "10:15 p.m.")
UPDATE_LEADS = (
    "UPDATED {time}: {sentence}",
    "UPDATED {time}: This story has been updated with new information. {sentence}",
    "Update, {time}: {sentence}",
)
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")


def changed_number(value: str, rng: random.Random) -> str:
    number = int(value.replace(",", ""))
    if 1900 <= number <= 2100:
        changed = number + rng.choice((-1, 1))
    else:
        changed = max(number + 1, round(number * rng.uniform(1.1, 1.6)))
    return f"{changed:,}" if "," in value else str(changed)


def updated(text: Text, donor: Text, rng: random.Random) -> tuple[Text, str]:
    """The update of ``text``: a new lead, a figure changed and corrected, donor text
    adding 20-40% more words."""
    body = list(text.body)
    notes = []
    spots = [(n, m) for n, p in enumerate(body) for m in _NUMBER.finditer(p)]
    if spots:
        number, match = rng.choice(spots)
        old = match.group(0)
        new = changed_number(match.group(1), rng) + old[len(match.group(1)) :]
        paragraph = body[number]
        body[number] = paragraph[: match.start()] + new + paragraph[match.end() :]
        place = ORDINALS[number] if number < len(ORDINALS) else f"{number + 1}th"
        correction = (
            f"Correction: An earlier version of this article misstated a figure in the "
            f"{place} paragraph. It is {new}, not {old}."
        )
        notes.append(f"{old} -> {new}")
    else:
        correction = (
            "Correction: An earlier version of this article misstated the name of one of "
            "the institutions involved."
        )
    target = len(words_of(" ".join(body))) * rng.uniform(0.2, 0.4)
    pool = [s for p in donor.body for s in sentences(p)]
    lead_sentence = pool.pop(0)
    added = 0
    inserted = 0
    while pool and added < target:
        take = pool[: rng.randint(2, 3)]
        del pool[: len(take)]
        paragraph = " ".join(take)
        body.insert(rng.randint(1, len(body)), paragraph)
        added += len(words_of(paragraph))
        inserted += 1
    lead = rng.choice(UPDATE_LEADS).format(time=rng.choice(TIMES), sentence=lead_sentence)
    body.insert(0, lead)
    body.append(correction)
    notes[:0] = ["new lead", f"{inserted} paragraph(s) added from {donor.name}", "correction"]
    title = text.title if rng.random() < 0.5 else headline(text, rng)
    return Text(title, tuple(body), text.name), ", ".join(notes)


def rewritten(text: Text, donors: Sequence[Text], rng: random.Random) -> tuple[Text, str]:
    """A major rewrite: about 35-45% of the sentences kept, more new text than old."""
    old = [s for p in text.body for s in sentences(p)]
    keep = max(2, round(len(old) * rng.uniform(0.35, 0.45)))
    kept = sorted(rng.sample(range(len(old)), keep))
    if 0 not in kept:
        kept = [0, *kept[1:]]
    kept_words = sum(len(words_of(old[n])) for n in kept)
    new = [s for donor in donors for p in donor.body for s in sentences(p)]
    fresh: list[str] = []
    while new and sum(len(words_of(s)) for s in fresh) < kept_words * rng.uniform(1.1, 1.4):
        fresh.append(new.pop(0))
    mixed = [old[n] for n in kept]
    for sentence in fresh:
        mixed.insert(rng.randint(1, len(mixed)), sentence)
    body = [" ".join(mixed[start : start + 3]) for start in range(0, len(mixed), 3)]
    names = ", ".join(d.name for d in donors)
    note = f"{keep} of {len(old)} sentences kept, {len(fresh)} new ones from {names}"
    return Text(headline(text, rng), tuple(body), text.name), note


# --- templates ---------------------------------------------------------------------------

FIRST = (
    "Mara", "Daniel", "Aisha", "Henrik", "Lena", "Tomás", "Grace", "Sunil", "Ingrid", "Omar",
    "Ruth", "Kenji", "Beatriz", "Walter", "Nadia", "Colin", "Freya", "Arturo", "Helen", "Piotr",
)  # fmt: skip
LAST = (
    "Lindqvist", "Okafor", "Brandt", "Marsh", "Solberg", "Ortiz", "Whitcombe", "Rao",
    "Halvorsen", "Bello", "Castillo", "Nakamura", "Dunmore", "Keane", "Petrov", "Amsel",
    "Fairweather", "Moreau", "Quist", "Abernathy",
)  # fmt: skip
TOWNS = (
    "Port Carrow", "Ashford", "Millbrook", "Lowtown", "Hillcrest", "Brennan Falls",
    "Kestrel Bay", "Oakhurst", "Eastside", "Marlow Heath",
)  # fmt: skip
TEAMS = (
    "Port Carrow Mariners", "Ashford Rovers", "Millbrook Athletic", "Kestrel Bay United",
    "Hillcrest Wanderers", "Oakhurst Town", "Brennan Falls City", "Lowtown Harriers",
)  # fmt: skip
COMPANIES = (
    ("Halvorsen Foods", "packaged seafood"), ("Carrow Logistics", "freight forwarding"),
    ("Maren Energy", "wind and solar power"), ("Brightwater Systems", "water meters"),
    ("Kestrel Software", "payroll software"), ("Northgate Retail", "discount stores"),
    ("Ashford Cement", "building materials"), ("Tidewell Pharma", "generic medicines"),
)  # fmt: skip
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
STREETS = (
    "Foundry Street", "Harbour Road", "Millbrook Avenue", "Quay Lane", "Station Road",
    "Old Market Street", "Elm Drive", "Riverside Parade",
)  # fmt: skip


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def weather(rng: random.Random) -> Text:
    town, day = rng.choice(TOWNS), rng.choice(DAYS)
    high = rng.randint(2, 31)
    low = high - rng.randint(4, 11)
    sky = rng.choice(
        ("heavy rain", "sunshine and scattered clouds", "snow showers", "fog that lifts by noon")
    )
    wind = rng.choice(("north", "southwest", "east", "west"))
    speed = rng.randint(10, 60)
    forecaster = _person(rng)
    body = [
        rng.choice(
            (
                f"{town} can expect {sky} on {day}, with highs near {high} degrees and lows "
                f"around {low}, the regional weather office said in its morning forecast.",
                f"Forecasters are calling for {sky} across {town} on {day}. Temperatures "
                f"should peak at about {high} degrees in the afternoon and fall to {low} "
                "overnight.",
            )
        ),
        f"Winds from the {wind} will reach {speed} kilometres an hour along the coast, "
        + rng.choice(
            (
                f"and gusts could be stronger on exposed ridges, said {forecaster}, a "
                "meteorologist with the weather office.",
                f"according to {forecaster}, the duty forecaster, who said conditions "
                f"should ease by {rng.choice(DAYS)}.",
            )
        ),
        "Forecasts are issued four times a day and can change quickly when fronts move in "
        "from the sea. Residents are encouraged to check the latest update before setting "
        "out, especially on mountain passes and exposed stretches of highway.",
        "The weather office reminds drivers to slow down on wet or icy roads, keep a safe "
        "distance from snowploughs and carry water, a blanket and a charged phone on longer "
        "trips. Power cuts should be reported to the utility, not to the emergency number.",
        rng.choice(
            (
                "Looking ahead, the weekend should bring "
                f"{rng.choice(('drier', 'colder', 'milder', 'windier'))} "
                f"weather, with highs between {high - 3} and {high + 4} degrees.",
                "The longer-range outlook suggests a "
                f"{rng.choice(('settled', 'changeable', 'wet'))} week, and the chance of frost "
                f"in low-lying areas is {rng.randint(10, 70)} percent.",
            )
        ),
        "Radar images, air-quality readings and tide tables are updated every hour on the "
        "weather page of our website.",
    ]
    return Text(f"{town} Weather: {sky.capitalize()} on {day}", tuple(body), "template weather")


def _verdict(goals: int, against: int) -> str:
    return "beat" if goals > against else "drew with" if goals == against else "lost to"


def match_report(rng: random.Random) -> Text:
    home, away = rng.sample(TEAMS, 2)
    goals_home, goals_away = rng.randint(0, 4), rng.randint(0, 4)
    scorer, keeper, coach = _person(rng), _person(rng), _person(rng)
    minute = rng.randint(5, 88)
    crowd = rng.randint(2000, 14000)
    body = [
        f"The {home} {_verdict(goals_home, goals_away)} "
        f"the {away} {goals_home}-{goals_away} on {rng.choice(DAYS)} in front of a crowd of "
        f"{crowd:,}.",
        rng.choice(
            (
                f"{scorer} opened the scoring in the {minute}th minute with a low shot from "
                f"the edge of the area, and {keeper} made {rng.randint(2, 9)} saves to keep "
                "the visitors in the game.",
                f"The decisive moment came in the {minute}th minute, when {scorer} headed in "
                f"a corner. {keeper} was booked for time-wasting late in the second half.",
            )
        ),
        f"“{rng.choice(('We were sharper today', 'It was a hard afternoon', 'We kept running'))},” "
        f"said coach {coach}. “"
        + rng.choice(
            ("The players deserve this", "We have to learn from it", "There is a lot to play for")
        )
        + ".”",
        "The league table, full results and the schedule for the rest of the season are on "
        "the sports pages of our website, which also carry a highlights video of every match.",
        "Tickets for the next home game go on sale on Monday at the club's box office and "
        "online. Season-ticket holders can pass unused seats to friends and family through "
        "the club's app until noon on match day.",
        f"The result leaves the {home} in {rng.choice(ORDINALS)} place with "
        f"{rng.randint(3, 40)} points from {rng.randint(5, 20)} games.",
    ]
    return Text(f"{home} {goals_home}, {away} {goals_away}", tuple(body), "template match")


def earnings(rng: random.Random) -> Text:
    company, business = rng.choice(COMPANIES)
    quarter = rng.choice(("first", "second", "third", "fourth"))
    revenue = rng.randint(40, 900)
    change = rng.randint(1, 25)
    direction = rng.choice(("up", "down"))
    profit = rng.randint(2, 90)
    chief = _person(rng)
    body = [
        f"{company}, the {business} group based in {rng.choice(TOWNS)}, reported "
        f"{quarter}-quarter revenue of ${revenue} million on {rng.choice(DAYS)}, {direction} "
        f"{change} percent from a year earlier.",
        rng.choice(
            (
                f"Net profit was ${profit} million, or {rng.randint(5, 99)} cents a share, "
                f"compared with ${rng.randint(2, 90)} million in the same quarter last year.",
                f"The company earned ${profit} million after tax. Analysts had expected "
                f"about ${rng.randint(2, 90)} million.",
            )
        ),
        f"Chief executive {chief} said demand had been "
        f"{rng.choice(('stronger than expected', 'uneven', 'soft in the spring'))} and that the "
        "company would "
        + rng.choice(("keep investing in new plants", "cut costs", "raise prices modestly"))
        + ".",
        "This brief is based on the company's quarterly filing and its earnings call with "
        "analysts. It includes forward-looking statements, which involve risks and "
        "uncertainties; actual results may differ materially from those expected.",
        "Figures are unaudited and in U.S. dollars unless stated otherwise. Per-share "
        "amounts are diluted. Comparisons are with the same period a year earlier.",
        f"Shares {rng.choice(('rose', 'fell'))} {rng.randint(1, 12)} percent in early trading.",
    ]
    return Text(f"{company} {quarter.capitalize()}-Quarter Revenue {direction.title()} {change}%",
                tuple(body), "template earnings")  # fmt: skip


def obituary(rng: random.Random) -> Text:
    name = _person(rng)
    age = rng.randint(58, 101)
    town = rng.choice(TOWNS)
    work = rng.choice(
        (
            "taught mathematics at Port Carrow High School for 34 years",
            "ran the hardware store on Foundry Street",
            "worked as a ship's engineer and later as harbour master",
            "was a nurse at St. Brigid's Hospital",
            "founded the Millbrook community choir",
            "served two terms on the city council",
        )
    )
    survivors = (
        f"{rng.choice(('his', 'her'))} {rng.choice(('wife', 'husband', 'partner'))}, {_person(rng)}"
    )
    children = rng.randint(1, 5)
    body = [
        f"{name}, who {work}, died on {rng.choice(DAYS)} at "
        f"{rng.choice(('home', 'a hospice in Ashford', 'the age of ' + str(age)))}. "
        f"{name.split()[0]} was {age} and had lived in {town} for most of "
        f"{rng.choice(('a lifetime', 'six decades', 'forty years'))}.",
        rng.choice(
            (
                f"Born in {rng.choice(TOWNS)}, {name.split()[0]} was the "
                f"{rng.choice(ORDINALS[:4])} of {rng.randint(2, 8)} children and left school at "
                f"{rng.randint(15, 18)} to work.",
                f"Friends remembered {name.split()[0]} as "
                f"{rng.choice(('generous', 'stubborn and kind', 'funny'))} "
                f"and devoted to {rng.choice(('the garden', 'sailing', 'the local library'))}.",
            )
        ),
        f"Survivors include {survivors}, {children} children and "
        f"{rng.randint(0, 12)} grandchildren.",
        "A memorial service will be held at eleven in the morning at the Harbour Chapel, "
        "followed by a reception in the church hall. All are welcome. In lieu of flowers, "
        "the family asks that donations be made to a local charity of the donor's choice.",
        "Funeral arrangements are being handled by Lindqvist and Sons. Condolences may be "
        "left on the funeral home's website, where a livestream of the service will also be "
        "available for those unable to attend.",
    ]
    return Text(f"{name}, {age}, Who {work.split(' ')[0].capitalize()} in {town}", tuple(body),
                "template obituary")  # fmt: skip


def sentencing(rng: random.Random) -> Text:
    name, judge = _person(rng), _person(rng)
    crime = rng.choice(
        (
            "burglary of three homes in Hillcrest",
            "fraud against elderly customers",
            "arson at a warehouse on the waterfront",
            "dangerous driving that injured a cyclist",
            "theft of copper cable from the rail yard",
        )
    )
    years = rng.randint(1, 12)
    age = rng.randint(19, 64)
    body = [
        f"{name}, {age}, of {rng.choice(TOWNS)}, was sentenced on {rng.choice(DAYS)} to {years} "
        f"years in prison for {crime}.",
        rng.choice(
            (
                f"Judge {judge} said the offence had caused real fear and ordered "
                f"{name.split()[1]} "
                f"to pay ${rng.randint(1, 90) * 1000:,} in compensation.",
                f"{name.split()[1]} pleaded guilty in {rng.choice(MONTHS)}. Judge {judge} "
                f"reduced the sentence by a third for the early plea.",
            )
        ),
        f"Prosecutors said the crimes took place over {rng.randint(2, 30)} months and that "
        f"{rng.choice(('the victims', 'the owners', 'the families'))} had lost "
        f"{rng.choice(('savings', 'sleep', 'work'))} as a result.",
        "Sentences in the district court can be appealed within 28 days. Anyone affected by "
        "crime can get free and confidential support from the Victim Support line, open "
        "every day from eight in the morning until eight at night.",
        "Court reports are based on proceedings in open court and on documents the court has "
        "made public. People charged with a crime are presumed innocent unless proven guilty.",
    ]
    return Text(f"{name} Jailed for {years} Years", tuple(body), "template sentencing")


def home_sales(rng: random.Random) -> Text:
    town = rng.choice(TOWNS)
    month = rng.choice(MONTHS)
    sales = rng.randint(80, 900)
    price = rng.randint(210, 890)
    change = rng.randint(1, 14)
    agent = _person(rng)
    body = [
        f"Homes in {town} sold for a median price of ${price},000 in {month}, "
        f"{rng.choice(('up', 'down'))} {change} percent from a year earlier, according to the "
        "regional association of estate agents.",
        rng.choice(
            (
                f"A total of {sales} homes changed hands, and the typical listing was on the "
                f"market for {rng.randint(9, 80)} days.",
                f"Sales fell to {sales} from {sales + rng.randint(5, 90)}, and "
                f"{rng.randint(10, 60)} percent of homes sold above the asking price.",
            )
        ),
        "“"
        + rng.choice(("Buyers are cautious", "The spring market came early", "Rates are the story"))
        + ",” "
        f"said {agent}, who sells homes in {town}.",
        "The figures cover detached houses, townhouses and flats sold through member agents "
        "and exclude new-build sales made directly by developers. Monthly numbers can swing "
        "widely in small markets, so the association also publishes a rolling 12-month "
        "median.",
        "Mortgage rates quoted by the largest lenders are listed every Friday on the "
        "property pages, together with a calculator for monthly repayments.",
    ]
    return Text(
        f"{town} Home Prices {month}: Median ${price},000", tuple(body), "template home sales"
    )


def road_works(rng: random.Random) -> Text:
    street = rng.choice(STREETS)
    town = rng.choice(TOWNS)
    weeks = rng.randint(2, 20)
    engineer = _person(rng)
    work = rng.choice(
        (
            "replace a water main",
            "resurface the road",
            "lay fibre-optic cable",
            "rebuild a culvert",
            "install new traffic lights",
        )
    )
    body = [
        f"{street} in {town} will be closed between {rng.choice(STREETS)} and "
        f"{rng.choice(STREETS)} from {rng.choice(DAYS)} for {weeks} weeks while crews {work}.",
        rng.choice(
            (
                f"Traffic will be diverted along {rng.choice(STREETS)}, and buses on routes "
                f"{rng.randint(1, 40)} and {rng.randint(41, 90)} will skip "
                f"{rng.randint(2, 6)} stops.",
                f"Drivers should expect delays of up to {rng.randint(5, 30)} minutes at peak "
                f"times, said {engineer}, the city's project engineer.",
            )
        ),
        f"The work will cost ${rng.randint(1, 12)}.{rng.randint(0, 9)} million and is "
        + rng.choice(
            ("paid for by the water utility", "part of the roads plan", "funded by a state grant")
        )
        + ".",
        "Work will take place from seven in the morning until six in the evening on "
        "weekdays. Pedestrian access to homes and businesses will be kept open at all times, "
        "and residents will receive a letter before any interruption to their water supply.",
        "Closures and diversions across the city are shown on the live traffic map, and "
        "questions can be sent to the public works hotline.",
    ]
    return Text(f"{street} Closed for {weeks} Weeks", tuple(body), "template road works")


TEMPLATES = (weather, match_report, earnings, obituary, sentencing, home_sales, road_works)
BOILERPLATE = {"weather": (2, 3, 5)}
"""The standard paragraphs of each template (numbers 3 and 4 where not listed)."""
KEEP_BOILERPLATE = 0.55
"""How likely each standard paragraph is to be kept (one always is): desks cut them."""


def _cut_boilerplate(text: Text, make: Callable, rng: random.Random) -> Text:
    standard = BOILERPLATE.get(make.__name__, (3, 4))
    kept = [n for n in standard if rng.random() < KEEP_BOILERPLATE] or [rng.choice(standard)]
    body = tuple(p for n, p in enumerate(text.body) if n not in standard or n in kept)
    return Text(text.title, body, text.name)


# --- pairs -------------------------------------------------------------------------------


def _rng(kind: str, number: int) -> random.Random:
    return random.Random(f"{SEED}:{kind}:{number}")


def _pair(kind: str, a: Text, b: Text, note: str) -> dict[str, object]:
    return {
        "kind": kind,
        "same": SAME.get(kind, False),
        "a": a.as_json(),
        "b": b.as_json(),
        "note": note,
    }


def _thread_of(key: str) -> tuple[str, ...]:
    return next((members for members in THREADS.values() if key in members), ())


@dataclass(frozen=True)
class Bases:
    news: dict[str, Text]
    ir: dict[str, dict[str, Text]]
    """Collection -> id -> the long abstracts."""

    def pick(self, kind: str) -> list[tuple[str, Text]]:
        """The bases of ``kind``'s pairs: news articles, then abstracts of each collection
        in turn, chosen at random."""
        rng = _rng(kind, -1)
        news = rng.sample(sorted(self.news), NEWS_BASES[kind])
        picked = [(key, self.news[key]) for key in news]
        names = list(self.ir)
        chosen = {
            name: rng.sample(sorted(self.ir[name], key=int), IR_BASES[kind]) for name in names
        }
        for number in range(IR_BASES[kind]):
            name = names[number % len(names)]
            key = chosen[name][number // len(names)]
            picked.append((f"{name} {key}", self.ir[name][key]))
        return picked

    def donor(self, key: str, rng: random.Random) -> Text:
        """Text on the same story line when there is one, else another of the same source."""
        if " " in key:
            name, own = key.split(" ")
            return self.ir[name][
                rng.choice([k for k in sorted(self.ir[name], key=int) if k != own])
            ]
        others = [k for k in _thread_of(key) if k != key] or [
            k for k in sorted(self.news) if k != key
        ]
        return self.news[rng.choice(others)]


def positive_pairs(bases: Bases) -> list[dict[str, object]]:
    pairs = []
    for kind in ("edited", "print-online", "update", "rewrite"):
        for number, (key, text) in enumerate(bases.pick(kind)):
            rng = _rng(kind, number)
            if kind == "edited":
                first, note_a = edited(text, rng) if rng.random() < 1 / 3 else (text, "original")
                second, note_b = edited(text, rng)
                pairs.append(_pair(kind, first, second, f"{text.name}; a: {note_a}; b: {note_b}"))
            elif kind == "print-online":
                printed, online, note = print_online(text, bases.donor(key, rng), rng)
                pairs.append(_pair(kind, printed, online, f"{text.name}; {note}"))
            elif kind == "update":
                update, note = updated(text, bases.donor(key, rng), rng)
                pairs.append(_pair(kind, text, update, f"{text.name}; update: {note}"))
            else:
                donors = [bases.donor(key, rng)]
                if " " not in key:
                    donors.append(bases.donor(key, rng))
                new, note = rewritten(text, donors, rng)
                pairs.append(_pair(kind, text, new, f"{text.name}; rewrite: {note}"))
    return pairs


def topic_pairs(bases: Bases, records: dict[str, dict[str, Record]]) -> list[dict[str, object]]:
    pairs = []
    for thread, members in THREADS.items():
        for first, second in itertools.combinations(members, 2):
            a, b = bases.news[first], bases.news[second]
            similar = jaccard(a.body, b.body)
            if similar <= MAX_TOPIC_JACCARD:
                note = f"{thread} story line: {a.name} / {b.name} (exact Jaccard {similar:.3f})"
                pairs.append(_pair("same-topic", a, b, note))
    for name, chosen in TOPIC_PAIRS.items():
        for query, first, second in chosen:
            a = ir_text(name, records[name][first])
            b = ir_text(name, records[name][second])
            similar = jaccard(a.body, b.body)
            if similar <= MAX_TOPIC_JACCARD:
                note = (
                    f"{name}: both judged relevant to query {query} (exact Jaccard {similar:.3f})"
                )
                pairs.append(_pair("same-topic", a, b, note))
    return pairs


def template_pairs() -> list[dict[str, object]]:
    pairs = []
    for make in TEMPLATES:
        for number in range(TEMPLATE_PAIRS):
            rng = _rng(f"template-{make.__name__}", number)
            for _ in range(100):
                a = _cut_boilerplate(make(rng), make, rng)
                b = _cut_boilerplate(make(rng), make, rng)
                if SHARED_TEXT[0] <= shared(a.body, b.body) <= SHARED_TEXT[1]:
                    break
            note = (
                f"{a.name}, two fill-ins ({shared(a.body, b.body):.0%} of the shorter's "
                f"shingles shared, exact Jaccard {jaccard(a.body, b.body):.3f})"
            )
            pairs.append(_pair("template", a, b, note))
    return pairs


def generate() -> list[dict[str, object]]:
    """Every pair, kind by kind."""
    records = ir_records()
    long = {
        name: {
            key: ir_text(name, record)
            for key, record in docs.items()
            if len(words_of(record.text)) >= LONG_WORDS and len(sentences(record.text)) >= 4
        }
        for name, docs in records.items()
    }
    bases = Bases(news_texts(), long)
    return positive_pairs(bases) + topic_pairs(bases, records) + template_pairs()


def encoded(pairs: Iterable[dict[str, object]]) -> bytes:
    """The fixture's bytes: JSON Lines, gzipped with no name and no time in the header."""
    text = "".join(json.dumps(pair, ensure_ascii=False) + "\n" for pair in pairs)
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as out:
        out.write(text.encode("utf-8"))
    return buffer.getvalue()


def write(path: Path = FIXTURE) -> int:
    pairs = generate()
    path.write_bytes(encoded(pairs))
    return len(pairs)


def read_pairs(path: Path = FIXTURE) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


# --- picking the same-topic abstracts (needs ../shared/data/ir) --------------------------


def pick_topics(data: Path) -> tuple[dict[str, list[tuple[str, str, str]]], list[tuple]]:
    """Per collection, pairs of long abstracts judged relevant to one query: the
    ``HARD_TOPICS`` most alike at most ``MAX_TOPIC_JACCARD``, then ``RANDOM_TOPICS`` more
    at random; and the pairs left out for being more alike than that."""
    from search.judgements import read_judgements

    records = ir_records()
    picked: dict[str, list[tuple[str, str, str]]] = {}
    duplicates = []
    for name, docs in records.items():
        grades = read_judgements(data / JUDGEMENTS[name]).grades
        long = {k for k, r in docs.items() if len(words_of(r.text)) >= LONG_WORDS}
        candidates: dict[tuple[str, str], str] = {}
        for query in sorted(grades, key=int):
            relevant = sorted((d for d, g in grades[query].items() if g > 0 and d in long), key=int)
            for pair in itertools.combinations(relevant, 2):
                candidates.setdefault(pair, query)
        scored = []
        for (first, second), query in sorted(candidates.items()):
            similar = jaccard([docs[first].text], [docs[second].text])
            if similar > MAX_TOPIC_JACCARD:
                duplicates.append((name, first, second, round(similar, 3)))
            else:
                scored.append((similar, query, first, second))
        scored.sort(key=lambda item: (-item[0], int(item[2]), int(item[3])))
        hard = scored[:HARD_TOPICS]
        rest = random.Random(f"{SEED}:topics:{name}").sample(scored[HARD_TOPICS:], RANDOM_TOPICS)
        picked[name] = [(q, a, b) for _, q, a, b in hard + rest]
    return picked, duplicates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=FIXTURE, help="where to write the pairs")
    parser.add_argument(
        "--pick-topics",
        type=Path,
        nargs="?",
        const=ROOT.parent / "shared" / "data" / "ir",
        help="print TOPIC_PAIRS picked from the judgements under this folder instead",
    )
    arguments = parser.parse_args()
    if arguments.pick_topics:
        picked, duplicates = pick_topics(arguments.pick_topics)
        print("TOPIC_PAIRS = {")
        for name, pairs in picked.items():
            print(f"    {name!r}: (")
            for pair in pairs:
                print(f"        {pair!r},")
            print("    ),")
        print("}")
        print(f"TOPIC_DUPLICATES = {tuple(duplicates)!r}")
        return
    count = write(arguments.out)
    print(f"{count} pairs written to {arguments.out}")


if __name__ == "__main__":
    main()
