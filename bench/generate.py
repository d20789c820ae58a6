"""A deterministic synthetic news archive for the archive-size benchmark.

    python -m bench.generate --size 10k --out DIR [--format jsonl|txt|both] [--seed 1]

Writes ``DIR/articles.jsonl`` (one JSON Lines record per article: ``id``,
``title``, ``authors``, ``published``, ``updated``, ``body``, ``captions``,
``bio``, ``url``) and/or ``DIR/txt/NNNN/NNNNNNN.txt`` (the same articles as
plain-text scrapes: headline twice, lead caption with its credit, byline,
date as ``5/4/2017`` or ``May 4, 2017``, sometimes an ``Updated:`` date,
paragraphs with captions between them, some doubled as scrapes double them,
the author bio, share-link leftovers), and ``DIR/stats.json``.

The words come from ``bench/data/vocabulary.tsv`` (see ``bench.vocabulary``)
with their observed frequencies, plus a long tail of made-up rare words
(names, places) that continues the Zipf curve, so a bigger archive has a
bigger vocabulary as real ones do. Each article also has a few topic words of
the middle band that it repeats, so words co-occur as in real text. Article
``n`` depends only on the seed and ``n`` (its own random generator): the 10k
archive is the first tenth of the 100k one, generation runs in parallel
processes, and the output is byte-identical for the same seed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from multiprocessing import Pool
from pathlib import Path
from typing import Any

from bench.vocabulary import load as load_vocabulary

SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
DEFAULT_SEED = 1
CHUNK = 500
"""Articles per unit of parallel work (and per progress line)."""
FILES_PER_FOLDER = 1000

TAIL_WORDS = 150_000
"""Made-up rare words ranked after the real vocabulary, with Zipf weights (1/rank)."""
TOPIC_BAND = (200, 6000)
"""Vocabulary ranks that topic words are drawn from."""
TOPIC_WORDS = 6
TOPIC_SHARE = 0.06
"""Share of an article's words that are its topic words."""
MIN_WORDS, MODE_WORDS, MAX_WORDS = 300, 600, 1500
"""Body length in words: a triangular distribution (mean 800)."""
AUTHORS = 300
GLUE_WORDS = 100
FIRST_DAY, DAYS = date(2005, 1, 1), 7305
"""Publication dates: 2005-01-01 to 2024-12-31, uniform."""

FIRST_NAMES = """Ana Tom Li Grace Daniel Amara Kenji Maria Lena Helen Joshua Priya Omar Sofia
Lucas Mei Ahmed Elena Noah Fatima Hugo Ingrid Mateo Yuki Chloe Dmitri Aisha Jonas Zoë Rafael
Nadia Samuel Chiara Tariq Ines Felix Hana Kwame Julia Emeka Sara Pavel Leila Marco Astrid José
Rosa Viktor Amina Oscar Ewa Diego Mariam Henrik Nora Luis Keiko Idris Clara Rahul""".split()
LAST_NAMES = """Silva Reed Wei Liang Reyes Nwosu Watanabe Okafor Ortiz Marsh Philipp Sharma
Haddad Rossi Martin Chen Hassan Popescu Walker Diallo Bernard Larsen García Tanaka Dubois Ivanov
Bello Fischer Müller Costa Novak Kowalski Moreau Jensen Santos Kim Park Nguyen O'Brien Ferreira
Lindqvist Adeyemi Mendes Barros Whitfield Lund Biggs Marchetti Zieliński Nakamura Haugen Duarte
Petrov Mensah Castillo Eriksen Brennan Yilmaz Koh Abara""".split()
AGENCIES = ("AFP/Getty Images", "Getty Images", "Reuters", "Scoop Staff", "AP")
ORGANISATIONS = ("City Archives", "the Port Authority", "the Historical Society", "the family")
BIO_STARTS = (
    "is a staff reporter who covers {a} and {b} for the Scoop.",
    "covers {a}, {b} and the city's {c} for the Scoop.",
    "writes about {a} and {b}. Before joining the Scoop she reported on {c}.",
    "reports on {a} and {b} from the newsroom. He joined the paper in {year}.",
    "has written about {a}, {b} and {c} for more than a decade.",
)
SHARE_LEFTOVERS = ("twitter", "twitter\nfacebook", "Share\nemail\nprint")
MONTHS = """January February March April May June July August September October November
December""".split()
SMALL_WORDS = frozenset("a an and as at by for from in of on or the to with".split())
_SYLLABLES = """ka lo mi ren tor vas el bri dun fen gal hal ist jor kel lun mar nor ost pel
quin ras sal tam ur vel wyn yor zan ber cor dal fir gor hin jen kor lin mor nar pol rin sor tun
vor""".split()


@dataclass(frozen=True)
class Model:
    """Everything an article is drawn from; made once per process from the seed."""

    seed: int
    words: tuple[str, ...]
    cum_weights: tuple[float, ...]
    topic_words: tuple[str, ...]
    authors: tuple[str, ...]
    author_weights: tuple[float, ...]
    glue: frozenset[str]
    """The commonest words, which headlines mostly leave out."""


def _made_up_word(rng: random.Random) -> str:
    word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
    return word.capitalize() if rng.random() < 0.5 else word  # half are names and places


@cache
def model(seed: int) -> Model:
    """The vocabulary with its cumulative weights, the topic band and the author pool."""
    rng = random.Random(seed)
    vocabulary = load_vocabulary()
    words = [w for w, _ in vocabulary]
    weights = [float(n) for _, n in vocabulary]
    known = {w.lower() for w in words}
    last = weights[-1] * len(words)
    tail: list[str] = []
    while len(tail) < TAIL_WORDS:
        word = _made_up_word(rng)
        if word.lower() not in known:
            known.add(word.lower())
            tail.append(word)
    words += tail
    weights += [last / (len(vocabulary) + rank) for rank in range(1, TAIL_WORDS + 1)]
    cumulative: list[float] = []
    total = 0.0
    for w in weights:
        total += w
        cumulative.append(total)
    pool: set[str] = set()
    while len(pool) < AUTHORS:
        pool.add(f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}")
    authors = sorted(pool)
    rng.shuffle(authors)  # productivity follows this order: a few authors write a lot
    return Model(
        seed=seed,
        words=tuple(words),
        cum_weights=tuple(cumulative),
        topic_words=tuple(w for w in words[TOPIC_BAND[0] : TOPIC_BAND[1]] if len(w) > 3),
        authors=tuple(authors),
        author_weights=tuple(1 / (rank**0.8) for rank in range(1, AUTHORS + 1)),
        glue=frozenset(words[:GLUE_WORDS]),
    )


def _sentence(words: list[str], rng: random.Random) -> str:
    """Words as a sentence: a capital, now and then a comma, a full stop."""
    words = list(words)
    if len(words) > 8 and rng.random() < 0.4:
        words[rng.randint(2, len(words) - 3)] += ","
    words[0] = words[0][0].upper() + words[0][1:]
    return " ".join(words) + "."


def _title_case(words: list[str]) -> str:
    out = [w if w[0].isupper() else w.capitalize() for w in words[:1]]
    out += [w if w in SMALL_WORDS or w[0].isupper() else w.capitalize() for w in words[1:]]
    return " ".join(out)


def _draw(m: Model, rng: random.Random, topic: list[str], n: int) -> list[str]:
    words = rng.choices(m.words, cum_weights=m.cum_weights, k=n)
    for i in range(n):
        if rng.random() < TOPIC_SHARE:
            words[i] = rng.choice(topic)
    return words


def _credit(rng: random.Random) -> str:
    name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    style = rng.random()
    if style < 0.45:
        return f"{name.upper()}/{rng.choice(AGENCIES)}"
    if style < 0.75:
        return f"Photo by {name}"
    if style < 0.9:
        return f"AP Photo/{name}"
    return f"Courtesy of {rng.choice(ORGANISATIONS)}"


def _long_date(day: date) -> str:
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def article(seed: int, number: int) -> tuple[dict[str, Any], Layout]:
    """Article ``number`` of the archive of ``seed``: its JSON Lines record and scrape layout."""
    m = model(seed)
    rng = random.Random((seed << 32) | number)
    topic = rng.sample(m.topic_words, TOPIC_WORDS)
    published = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
    updated = published + timedelta(days=rng.randint(0, 4)) if rng.random() < 0.35 else None
    count = rng.choices((1, 2, 3), weights=(75, 20, 5))[0]
    authors: list[str] = []
    while len(authors) < count:
        name = rng.choices(m.authors, weights=m.author_weights)[0]
        if name not in authors:
            authors.append(name)

    title_words = [
        w if w not in m.glue or rng.random() < 0.3 else rng.choice(topic)
        for w in _draw(m, rng, topic, rng.randint(4, 11))
    ]
    title_words[rng.randrange(len(title_words))] = rng.choice(topic)
    title = _title_case(title_words)

    pool = _draw(m, rng, topic, int(rng.triangular(MIN_WORDS, MAX_WORDS, MODE_WORDS)))
    body: list[str] = []
    at = 0
    while at < len(pool):
        sentences = []
        for _ in range(rng.randint(1, 5)):
            if at >= len(pool):
                break
            size = rng.randint(6, 28)
            sentences.append(_sentence(pool[at : at + size], rng))
            at += size
        body.append(" ".join(sentences))

    captions = []
    for _ in range(rng.choices((0, 1, 2, 3, 4), weights=(25, 30, 25, 12, 8))[0]):
        text = _sentence(_draw(m, rng, topic, rng.randint(8, 22)), rng)
        if rng.random() < 0.5:
            shown = published - timedelta(days=rng.randint(0, 3))
            text = f"{text[:-1]} on {_long_date(shown)}."
        captions.append({"text": text, "credit": _credit(rng)})

    bio = ""
    if rng.random() < 0.85:
        a, b, c = rng.sample(topic, 3)
        start = rng.choice(BIO_STARTS).format(
            a=a, b=b, c=c, year=published.year - rng.randint(1, 9)
        )
        bio = f"{authors[0]} {start}"
    ident = f"a{number:07d}"
    slug = "-".join(w.lower() for w in title_words[:6])
    record = {
        "id": ident,
        "title": title,
        "authors": authors,
        "published": published.isoformat(),
        "updated": updated.isoformat() if updated else None,
        "body": body,
        "captions": captions,
        "bio": bio,
        "url": f"https://news.example.org/{published:%Y/%m/%d}/{slug}-{ident}",
    }
    slots = max(len(body) - 1, 1)
    layout = Layout(
        after=tuple(sorted(rng.choices(range(slots), k=max(len(captions) - 1, 0)))),
        doubled=tuple(rng.random() < 0.3 for _ in captions),
        long_date=rng.random() < 0.4,
        updated_inline=rng.random() < 0.5,
        by=rng.random() < 0.2,
        leftover=rng.choice(("", *SHARE_LEFTOVERS)),
    )
    return record, layout


@dataclass(frozen=True)
class Layout:
    """How the scrape of an article prints it (the JSON record does not say)."""

    after: tuple[int, ...]
    """For each caption but the lead one, the paragraph (0-based) it follows."""
    doubled: tuple[bool, ...]
    """Which captions the scrape prints twice in a row."""
    long_date: bool
    """``May 4, 2017`` instead of ``5/4/2017``."""
    updated_inline: bool
    """``Updated: 5/5/2017`` on one line instead of two."""
    by: bool
    """``By`` before the byline."""
    leftover: str
    """Share-link leftovers after the bio."""


def _byline(authors: list[str], by: bool) -> str:
    names = authors[0] if len(authors) == 1 else ", ".join(authors[:-1]) + " and " + authors[-1]
    return f"By {names}" if by else names


def _printed(day: date, long: bool) -> str:
    return _long_date(day) if long else f"{day.month}/{day.day}/{day.year}"


def scrape(record: dict[str, Any], layout: Layout) -> str:
    """The plain-text scrape of an article."""

    def caption_lines(index: int) -> list[str]:
        caption = record["captions"][index]
        line = f"{caption['text']} ({caption['credit']})"
        return [line, line] if layout.doubled[index] else [line]

    published = date.fromisoformat(record["published"])
    lines = [record["title"], "", record["title"]]
    if record["captions"]:
        lines += caption_lines(0)[:1]
    lines += [_byline(record["authors"], layout.by), _printed(published, layout.long_date)]
    if record["updated"]:
        updated = _printed(date.fromisoformat(record["updated"]), layout.long_date)
        lines += [f"Updated: {updated}"] if layout.updated_inline else ["Updated:", updated]
    following: dict[int, list[int]] = {}
    for caption, paragraph in enumerate(layout.after, start=1):
        following.setdefault(paragraph, []).append(caption)
    for number, paragraph in enumerate(record["body"]):
        lines += ["", paragraph]
        for caption in following.get(number, []):
            lines += ["", *caption_lines(caption)]
    if record["bio"]:
        lines += ["", record["bio"]]
    if layout.leftover:
        lines += layout.leftover.split("\n")
    return "\n".join(lines) + "\n"


def json_line(record: dict[str, Any]) -> str:
    """One line of the JSON Lines form."""
    return json.dumps(record, ensure_ascii=False) + "\n"


def _chunk(
    task: tuple[int, int, int, bool, bool],
) -> tuple[str, list[tuple[str, str]], dict[str, int]]:
    """Articles ``start`` to ``stop`` as JSON Lines text, scrapes and counts."""
    seed, start, stop, want_jsonl, want_txt = task
    lines: list[str] = []
    files: list[tuple[str, str]] = []
    counts = dict.fromkeys(("articles", "words", "paragraphs", "captions", "authors", "bios"), 0)
    counts["updated"] = 0
    for number in range(start, stop):
        record, layout = article(seed, number)
        if want_jsonl:
            lines.append(json_line(record))
        if want_txt:
            files.append((txt_path(number), scrape(record, layout)))
        counts["articles"] += 1
        counts["words"] += sum(len(p.split()) for p in record["body"])
        counts["paragraphs"] += len(record["body"])
        counts["captions"] += len(record["captions"])
        counts["authors"] += len(record["authors"])
        counts["bios"] += bool(record["bio"])
        counts["updated"] += bool(record["updated"])
    return "".join(lines), files, counts


def txt_path(number: int) -> str:
    """Where article ``number``'s scrape goes below ``txt/``."""
    return f"{number // FILES_PER_FOLDER:04d}/{number:07d}.txt"


def parse_size(text: str) -> int:
    """``10k``, ``100k``, ``1m`` or a plain number of articles."""
    value = SIZES.get(text.lower())
    if value is None:
        value = int(text.lower().replace("k", "000").replace("m", "000000"))
    if value < 1:
        raise ValueError(f"size must be at least 1, got {text!r}")
    return value


def size_label(size: int) -> str:
    """The short name of a size (``10k``) for folder and result names."""
    for label, value in SIZES.items():
        if value == size:
            return label
    return f"{size // 1000}k" if size % 1000 == 0 and size < 1_000_000 else str(size)


def _tasks(
    seed: int, size: int, jsonl: bool, txt: bool
) -> Iterator[tuple[int, int, int, bool, bool]]:
    for start in range(0, size, CHUNK):
        yield seed, start, min(size, start + CHUNK), jsonl, txt


def generate(
    out: Path,
    size: int,
    seed: int = DEFAULT_SEED,
    formats: tuple[str, ...] = ("jsonl",),
    jobs: int | None = None,
    log: Any = None,
) -> dict[str, Any]:
    """Write the archive of ``size`` articles into ``out``; return its statistics.

    The JSON Lines file is written as ``articles.jsonl.partial`` and renamed
    when complete, so an interrupted run never leaves a short corpus behind.
    Articles are made ``CHUNK`` at a time in ``jobs`` processes, in order, and
    never all held in memory.
    """
    out.mkdir(parents=True, exist_ok=True)
    want_jsonl, want_txt = "jsonl" in formats, "txt" in formats
    jobs = jobs or min(os.cpu_count() or 1, 8)
    started = time.perf_counter()
    totals: dict[str, int] = {}
    partial = out / "articles.jsonl.partial"
    handle = partial.open("w", encoding="utf-8") if want_jsonl else None
    made_folders: set[str] = set()
    try:
        with Pool(jobs, initializer=model, initargs=(seed,)) as pool:
            for text, files, counts in pool.imap(_chunk, _tasks(seed, size, want_jsonl, want_txt)):
                if handle is not None:
                    handle.write(text)
                for relative, content in files:
                    folder = relative.split("/")[0]
                    if folder not in made_folders:
                        (out / "txt" / folder).mkdir(parents=True, exist_ok=True)
                        made_folders.add(folder)
                    (out / "txt" / relative).write_text(content, encoding="utf-8")
                for key, value in counts.items():
                    totals[key] = totals.get(key, 0) + value
                done = totals["articles"]
                if log and (done % 10_000 == 0 or done == size):
                    rate = done / (time.perf_counter() - started)
                    log(f"generate: {done:,}/{size:,} articles ({rate:,.0f}/s)")
    finally:
        if handle is not None:
            handle.close()
    if want_jsonl:
        os.replace(partial, out / "articles.jsonl")
    n = totals["articles"]
    stats: dict[str, Any] = {
        "seed": seed,
        "articles": n,
        "formats": sorted(formats),
        "body_words": totals["words"],
        "mean_body_words": totals["words"] / n,
        "mean_paragraphs": totals["paragraphs"] / n,
        "captions": totals["captions"],
        "mean_captions": totals["captions"] / n,
        "mean_authors": totals["authors"] / n,
        "author_pool": AUTHORS,
        "with_bio": totals["bios"],
        "with_updated": totals["updated"],
        "dates": [FIRST_DAY.isoformat(), (FIRST_DAY + timedelta(days=DAYS - 1)).isoformat()],
        "vocabulary": {"real_words": len(load_vocabulary()), "made_up_tail": TAIL_WORDS},
        "seconds": time.perf_counter() - started,
    }
    if want_jsonl:
        stats["jsonl_bytes"] = (out / "articles.jsonl").stat().st_size
    (out / "stats.json").write_text(json.dumps(stats, indent=2) + "\n", encoding="utf-8")
    return stats


def check_scrapes(out: Path, seed: int, numbers: list[int]) -> list[str]:
    """Read the scrapes of ``numbers`` with Scoop's parser and compare them with the records.

    Returns one message per difference (empty when the parser reads every
    headline, byline, date, caption, paragraph and bio as generated).
    """
    from index.articles import read_articles
    from index.model import Article

    problems: list[str] = []
    for number in numbers:
        record, _ = article(seed, number)
        path = out / "txt" / txt_path(number)
        parsed = list(read_articles([path]))
        if len(parsed) != 1 or not isinstance(parsed[0], Article):
            problems.append(f"{path}: not read as one article: {parsed}")
            continue
        got = parsed[0]
        expected = {
            "title": record["title"],
            "authors": tuple(record["authors"]),
            "published": record["published"],
            "updated": record["updated"],
            "paragraphs": tuple(record["body"]),
            "captions": tuple((c["text"], c["credit"]) for c in record["captions"]),
            "bio": record["bio"],
        }
        actual = {
            "title": got.title,
            "authors": got.authors,
            "published": got.published.isoformat() if got.published else None,
            "updated": got.updated.isoformat() if got.updated else None,
            "paragraphs": got.paragraphs,
            "captions": tuple((c.text, c.credit) for c in got.captions),
            "bio": got.bio,
        }
        for key, value in expected.items():
            if actual[key] != value:
                problems.append(f"{path}: {key}: parsed {actual[key]!r}, generated {value!r}")
    return problems


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.generate", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--size", default="10k", help="10k, 100k, 1m or a number of articles")
    parser.add_argument("--out", type=Path, required=True, help="folder to write into")
    parser.add_argument("--format", choices=("jsonl", "txt", "both"), default="both")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--jobs", type=int, default=None, help="processes (default: CPU count)")
    parser.add_argument(
        "--check", type=int, default=50, help="scrapes to re-read with Scoop's parser (0: none)"
    )
    args = parser.parse_args(argv)
    size = parse_size(args.size)
    formats = ("jsonl", "txt") if args.format == "both" else (args.format,)
    stats = generate(args.out, size, args.seed, formats, args.jobs, _log)
    _log(
        f"generate: {stats['articles']:,} articles, {stats['body_words']:,} body words "
        f"in {stats['seconds']:.1f} s -> {args.out}"
    )
    if "txt" in formats and args.check:
        step = max(1, size // args.check)
        numbers = list(range(0, size, step))[: args.check]
        problems = check_scrapes(args.out, args.seed, numbers)
        for problem in problems[:20]:
            _log(f"parser check: {problem}")
        wrong = len({problem.split(": ")[0] for problem in problems})
        _log(f"parser check: {len(numbers) - wrong}/{len(numbers)} scrapes read as generated")
        if problems:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
