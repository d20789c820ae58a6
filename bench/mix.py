"""Makes the archive benchmark's fixed query mix, ``bench/queries/archive_mix.json``.

    python -m bench.mix            # rewrite the committed mix (seed 1)

Run once and commit the result: every engine and every archive size then gets the
same requests. Words are chosen from the 10k archive of the seed (which every bigger
archive starts with, see ``bench.generate``): single words by their document frequency
in it (rare 2-20 articles, medium 100-1,000, common 2,000-6,000), several words and
phrases from one article so that they occur together, prefixes, misspellings for fuzzy
search, field scopes, exclusions, author and date filters, sorting, scopes, browsing,
and long natural-language questions taken from the IR collections' query files.
Each entry holds the ``SearchRequest`` parameters: ``query``, ``authors``, ``since``,
``until``, ``year``, ``sort``, ``scope`` (and its ``kind``).
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench.corpus import data_root
from bench.generate import DEFAULT_SEED, FIRST_DAY, TAIL_WORDS, article, model
from index.smart import read_records

MIX = Path(__file__).resolve().parent / "queries" / "archive_mix.json"
BAND_DOCS = 10_000
BANDS = {"rare": (2, 20), "medium": (100, 1000), "common": (2000, 6000)}
QUESTION_FILES = ("cran/cran.qry", "cisi/CISI.QRY", "med/MED.QRY")
MAX_QUERY_CHARS = 500
COUNTS = {
    "word-rare": 25,
    "word-medium": 25,
    "word-common": 25,
    "words-2to4": 40,
    "phrase": 25,
    "prefix": 20,
    "fuzzy": 20,
    "field-title": 10,
    "field-caption": 10,
    "field-author": 10,
    "exclude": 15,
    "filter-author": 15,
    "filter-date": 20,
    "sort-newest": 5,
    "scope": 10,
    "browse": 10,
    "question": 40,
}
PREFIXES_PER_LENGTH = 10


def _stop_words() -> frozenset[str]:
    from search.query import STOP_WORDS

    return STOP_WORDS


def _content(word: str, stop: frozenset[str]) -> bool:
    return len(word) >= 3 and word.lower() not in stop and word.isalpha()


def document_frequencies(seed: int, docs: int) -> Counter[str]:
    """In how many of the first ``docs`` articles each lower-cased word occurs."""
    df: Counter[str] = Counter()
    for number in range(docs):
        record, _ = article(seed, number)
        text = " ".join(
            [record["title"], *record["body"], *(c["text"] for c in record["captions"])]
        )
        df.update(set(re.findall(r"[a-z]+", text.lower())))
    return df


def _entry(kind: str, query: str = "", **params: Any) -> dict[str, Any]:
    return {
        "kind": kind,
        "query": query,
        "authors": list(params.get("authors", ())),
        "since": params.get("since"),
        "until": params.get("until"),
        "year": params.get("year"),
        "sort": params.get("sort", "relevance"),
        "scope": params.get("scope", "all"),
    }


def _typo(word: str, rng: random.Random) -> str:
    """One edit: swap two neighbours, drop, double or change a letter (not the first)."""
    i = rng.randrange(1, len(word) - 1)
    edit = rng.randrange(4)
    if edit == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if edit == 1:
        return word[:i] + word[i + 1 :]
    if edit == 2:
        return word[:i] + word[i] + word[i:]
    letters = [c for c in "aeioustrnl" if c != word[i]]
    return word[:i] + rng.choice(letters) + word[i + 1 :]


def questions(root: Path, rng: random.Random, count: int) -> list[str]:
    """``count`` IR collection questions of 20 words or more, cut below the request limit."""
    found = []
    for name in QUESTION_FILES:
        for record in read_records(root / name):
            text = " ".join(record.text.split())
            if len(text.split()) >= 20:
                if len(text) > MAX_QUERY_CHARS:
                    text = text[: MAX_QUERY_CHARS + 1].rsplit(maxsplit=1)[0]
                found.append(text)
    return rng.sample(found, count)


def make(seed: int, ir_root: Path) -> dict[str, Any]:
    rng = random.Random(seed * 7919)
    stop = _stop_words()
    m = model(seed)
    df = document_frequencies(seed, BAND_DOCS)
    spelled = {w.lower(): w for w in m.words[: len(m.words) - TAIL_WORDS]}
    bands = {
        name: sorted(
            w for w, n in df.items() if lo <= n <= hi and _content(w, stop) and w in spelled
        )
        for name, (lo, hi) in BANDS.items()
    }
    entries: list[dict[str, Any]] = []

    def articles() -> Any:
        while True:
            yield article(seed, rng.randrange(BAND_DOCS))[0]

    source = articles()

    def content_words(text: str) -> list[str]:
        return [w for w in re.findall(r"[A-Za-z]+", text) if _content(w, stop)]

    for band in ("rare", "medium", "common"):
        for word in rng.sample(bands[band], COUNTS[f"word-{band}"]):
            entries.append({**_entry(f"word-{band}", spelled[word]), "df_10k": df[word]})
    while sum(e["kind"] == "words-2to4" for e in entries) < COUNTS["words-2to4"]:
        record = next(source)
        pool = sorted(set(content_words(record["title"] + " " + " ".join(record["body"][:3]))))
        if len(pool) >= 4:
            entries.append(_entry("words-2to4", " ".join(rng.sample(pool, rng.randint(2, 4)))))
    while sum(e["kind"] == "phrase" for e in entries) < COUNTS["phrase"]:
        record = next(source)
        tokens = rng.choice(record["body"]).split()
        size = rng.choice((2, 2, 3))
        start = rng.randrange(max(1, len(tokens) - size))
        span = tokens[start : start + size]
        if (
            len(span) == size
            and all(t.isalpha() for t in span[:-1])
            and span[-1].strip(".,").isalpha()
        ):
            span[-1] = span[-1].strip(".,")
            if sum(_content(t, stop) for t in span) >= 1:
                entries.append(_entry("phrase", '"' + " ".join(span).lower() + '"'))
    long_words = [w for w in bands["medium"] + bands["common"] if len(w) >= 6]
    for word in rng.sample(long_words, COUNTS["prefix"]):
        entries.append(_entry("prefix", word[: rng.randint(3, 5)] + "*"))
    for word in rng.sample([w for w in bands["medium"] if len(w) >= 5], COUNTS["fuzzy"]):
        entries.append({**_entry("fuzzy", _typo(word, rng) + "~"), "intended": word})
    while sum(e["kind"] == "field-title" for e in entries) < COUNTS["field-title"]:
        words = content_words(next(source)["title"])
        if words:
            entries.append(_entry("field-title", "title:" + rng.choice(words).lower()))
    while sum(e["kind"] == "field-caption" for e in entries) < COUNTS["field-caption"]:
        record = next(source)
        if record["captions"]:
            words = content_words(rng.choice(record["captions"])["text"])
            if words:
                entries.append(_entry("field-caption", "caption:" + rng.choice(words).lower()))
    surnames = sorted({name.split()[-1] for name in m.authors if name.split()[-1].isalpha()})
    for surname in rng.sample(surnames, COUNTS["field-author"]):
        entries.append(_entry("field-author", "author:" + surname.lower()))
    for _ in range(COUNTS["exclude"]):
        a, b = rng.choice(bands["medium"]), rng.choice(bands["common"])
        entries.append(_entry("exclude", f"{spelled[a]} -{spelled[b]}"))
    prolific = list(m.authors[:60])
    for n in range(COUNTS["filter-author"]):
        names = rng.sample(prolific, 1 if n % 3 else 2)
        query = "" if n % 3 == 1 else spelled[rng.choice(bands["medium"] + bands["common"])]
        entries.append(_entry("filter-author", query, authors=names))
    for n in range(COUNTS["filter-date"]):
        query = " ".join(spelled[w] for w in rng.sample(bands["medium"], rng.randint(1, 2)))
        if n % 2:
            entries.append(_entry("filter-date", query, year=rng.randint(2005, 2024)))
        else:
            since = FIRST_DAY + timedelta(days=rng.randrange(6000))
            until = since + timedelta(days=rng.randint(30, 1500))
            entries.append(
                _entry("filter-date", query, since=since.isoformat(), until=until.isoformat())
            )
    for _ in range(COUNTS["sort-newest"]):
        entries.append(_entry("sort-newest", spelled[rng.choice(bands["common"])], sort="newest"))
    for n in range(COUNTS["scope"]):
        scope = ("titles", "body", "captions")[n % 3]
        query = " ".join(spelled[w] for w in rng.sample(bands["medium"], rng.randint(1, 2)))
        entries.append(_entry("scope", query, scope=scope))
    for n in range(COUNTS["browse"]):
        entries.append(
            _entry("browse") if n < 4 else _entry("browse", year=rng.randint(2005, 2024))
        )
    for text in questions(ir_root, rng, COUNTS["question"]):
        entries.append(_entry("question", text))
    for number, entry in enumerate(entries, start=1):
        entry["id"] = f"q{number:03d}"
    prefixes: list[str] = []
    typed = sorted({w.lower() for e in entries for w in re.findall(r"[A-Za-z]+", e["query"])})
    for length in (1, 2, 3, 4):
        options = sorted({w[:length] for w in typed if len(w) > length})
        prefixes += rng.sample(options, min(PREFIXES_PER_LENGTH, len(options)))
    return {
        "made_by": "python -m bench.mix",
        "seed": seed,
        "bands": {"docs": BAND_DOCS, **{k: list(v) for k, v in BANDS.items()}},
        "kinds": dict(COUNTS),
        "prefixes": prefixes,
        "queries": [{"id": e.pop("id"), **e} for e in entries],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--data", type=Path, default=None, help="the ir/ collections folder")
    parser.add_argument("--out", type=Path, default=MIX)
    args = parser.parse_args()
    mix = make(args.seed, args.data or data_root())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(mix, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(mix['queries'])} queries, {len(mix['prefixes'])} prefixes -> {args.out}")


if __name__ == "__main__":
    main()
