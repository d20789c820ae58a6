"""What story groups cost: at index time (signing every body, grouping) and per request.

    python -m bench.story_cost --index DIR [--queries FILE] [--repeat N] [--out FILE]
    python -m bench.story_cost --with-copies 0.1 --corpus FEED --build DIR [...]

On the serving generation of an index root:

1. **Index time**: reads every live document's stored body (Whoosh ``iter_docs``), times
   ``index.stories.signature(body_words(body))`` per article, then
   ``index.stories.candidate_pairs`` and ``index.stories.group`` over all of them at
   ``DEFAULT_THRESHOLD``. A generation without story arrays (built before story groups)
   gets the ones computed here written into its arrays folder, so that step 2 measures
   real grouping: meant for bench indexes (a copy), never a serving one.
2. **Per request**: ``Searcher.search`` of a stratified sample of the archive query mix
   (``bench/queries/archive_mix.json``: every ``--every``-th entry of each kind, with its
   filters, sort and scope), grouped (the default) and with ``versions=all``,
   interleaved (which goes first alternates), ``--repeat`` times after one warm-up pass;
   then ``Searcher.story`` (the article page's versions and diff) and
   ``Searcher.related`` of each query's first hit.

``--with-copies FRACTION --corpus FEED --build DIR`` first makes an index with real
near-duplicates: FEED (JSON Lines) plus, for a seeded random FRACTION of its records, an
edited copy (new id and headline, last paragraph dropped, about one word in 40 replaced
by another of the article's words, "(Distributed by Example Wire)" appended, published
0-2 days later), built with ``index.build.build_index`` into DIR (timed), then measured.

Prints a Markdown report (``--out FILE`` writes it too); progress goes to stderr.
Nothing here asserts on times.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import index as whoosh_index

from index import generations, stories
from index.build import build_index
from index.columns import column_file
from index.impacts import ARRAYS_DIR
from search.engine import Searcher
from search.request import Scope, SearchRequest, Sort, Versions

QUERIES = Path(__file__).with_name("queries") / "archive_mix.json"
EVERY = 4
"""Every fourth entry of each kind of the mix: 88 of its 375."""
WIRE_LINE = "(Distributed by Example Wire)"
REPLACED = 1 / 40
HEADLINE_LEADS = ("Wire:", "Update:", "Report:", "Latest:", "Explainer:")
STORY_FILES = (
    "signatures",
    "story_words",
    "stories",
    "story_order",
    "story_members",
    "story_starts",
)


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (what ``bench.suggest`` reports)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else math.nan


# --- step 3: an index with near-duplicates -------------------------------------------


def edited_copy(record: dict[str, Any], number: int, rng: random.Random) -> dict[str, Any]:
    """A wire copy of ``record``: new id and headline, last paragraph dropped, about one
    word in 40 replaced, the distributor's line appended, published up to 2 days later."""
    body = record.get("body") or []
    paragraphs = list(body) if isinstance(body, list) else str(body).split("\n")
    if len(paragraphs) > 1:
        paragraphs = paragraphs[:-1]
    pool = [word for paragraph in paragraphs for word in paragraph.split()] or ["wire"]
    edited = []
    for paragraph in paragraphs:
        words = paragraph.split(" ")
        for at in range(len(words)):
            if words[at] and rng.random() < REPLACED:
                words[at] = rng.choice(pool)
        edited.append(" ".join(words))
    copy = {
        **record,
        "id": f"{record['id']}-wire{number}",
        "title": f"{rng.choice(HEADLINE_LEADS)} {record.get('title', '')}".strip(),
        "body": [*edited, WIRE_LINE],
    }
    if record.get("url"):
        copy["url"] = f"{record['url']}?wire={number}"
    if record.get("published"):
        try:
            published = date.fromisoformat(str(record["published"])[:10])
            copy["published"] = (published + timedelta(days=rng.randint(0, 2))).isoformat()
        except ValueError:
            pass
    return copy


def write_with_copies(feed: Path, fraction: float, seed: int, out: Path) -> tuple[int, int]:
    """FEED's records, then an edited copy of a seeded random ``fraction`` of them, as
    JSON Lines in ``out``; returns (records, copies)."""
    lines = [line for line in feed.read_text(encoding="utf-8").splitlines() if line.strip()]
    rng = random.Random(seed)
    chosen = sorted(rng.sample(range(len(lines)), round(fraction * len(lines))))
    with out.open("w", encoding="utf-8") as written:
        for line in lines:
            written.write(line + "\n")
        for number, at in enumerate(chosen):
            copy = edited_copy(json.loads(lines[at]), number, rng)
            written.write(json.dumps(copy, ensure_ascii=False) + "\n")
    return len(lines), len(chosen)


# --- step 1: index-time cost ----------------------------------------------------------


@dataclass
class IndexCost:
    generation: str = ""
    documents: int = 0
    live: int = 0
    signed: int = 0
    read_s: float = 0.0
    words_us: list[float] = field(default_factory=list)
    sign_us: list[float] = field(default_factory=list)
    candidates: int = 0
    candidates_s: float = 0.0
    linked: int = 0
    group_s: float = 0.0
    groups: int = 0
    grouped: int = 0
    sizes: dict[str, int] = field(default_factory=dict)
    largest: int = 0
    wrote: bool = False
    stored_groups: int | None = None
    disk_bytes: int = 0
    build_s: float | None = None
    build_note: str = ""

    @property
    def per_article_us(self) -> list[float]:
        return [a + b for a, b in zip(self.words_us, self.sign_us, strict=True)]


def index_cost(root: Path, threshold: float = stories.DEFAULT_THRESHOLD) -> IndexCost:
    """Sign every live body again (timed), group them (timed); write the story arrays
    when the generation has none."""
    generation = generations.current_generation(root)
    path = generation.path
    arrays = path / ARRAYS_DIR
    cost = IndexCost(generation=generation.name)
    _log(f"{generation.name}: signing every stored body")
    with whoosh_index.open_dir(str(path)).reader() as reader:
        size = reader.doc_count_all()
        signatures = np.full((size, stories.PERMUTATIONS), stories.UNSIGNED, dtype=np.uint32)
        words = np.zeros(size, dtype=np.int32)
        started = time.perf_counter_ns()
        for docnum, stored in reader.iter_docs():
            body = stored.get("body", "")
            before = time.perf_counter_ns()
            found = stories.body_words(body)
            between = time.perf_counter_ns()
            signatures[docnum] = stories.signature(found)
            after = time.perf_counter_ns()
            words[docnum] = len(found)
            cost.words_us.append((between - before) / 1e3)
            cost.sign_us.append((after - between) / 1e3)
            if len(cost.words_us) % 20000 == 0:
                _log(f"  signed {len(cost.words_us):,}/{size:,}")
        total_s = (time.perf_counter_ns() - started) / 1e9
    cost.documents, cost.live = size, len(cost.words_us)
    cost.read_s = total_s - (sum(cost.words_us) + sum(cost.sign_us)) / 1e6
    published = np.load(column_file(path, "published"), allow_pickle=False)
    live = np.load(column_file(path, "live"), allow_pickle=False)
    docs = np.flatnonzero(live & (signatures != stories.UNSIGNED).any(axis=1))
    cost.signed = len(docs)
    _log(f"  grouping {len(docs):,} signed articles at {threshold}")
    started = time.perf_counter_ns()
    pairs = stories.candidate_pairs(signatures, docs, threshold)
    cost.candidates_s = (time.perf_counter_ns() - started) / 1e9
    cost.candidates = len(pairs)
    cost.linked = int(
        np.count_nonzero(stories.similarity(signatures, pairs[:, 0], pairs[:, 1]) >= threshold)
    )
    started = time.perf_counter_ns()
    found_stories = stories.group(signatures, words, published, live, threshold)
    cost.group_s = (time.perf_counter_ns() - started) / 1e9
    cost.groups, cost.grouped = found_stories.count, len(found_stories.members)
    sizes = np.diff(found_stories.starts)
    cost.largest = int(sizes.max()) if len(sizes) else 0
    cost.sizes = {
        "2": int(np.count_nonzero(sizes == 2)),
        "3": int(np.count_nonzero(sizes == 3)),
        "4+": int(np.count_nonzero(sizes >= 4)),
    }
    existing = stories.read(arrays)
    if existing is None:
        _log(f"  {generation.name} has no story arrays: writing them into {arrays}")
        stories.write(arrays, signatures, words, found_stories)
        cost.wrote = True
    else:
        cost.stored_groups = existing.count
    cost.disk_bytes = sum(
        (arrays / f"{name}.npy").stat().st_size
        for name in STORY_FILES
        if (arrays / f"{name}.npy").exists()
    )
    return cost


# --- step 2: per-request cost ---------------------------------------------------------


def sample(mix: Path, every: int = EVERY) -> list[dict[str, Any]]:
    """Every ``every``-th entry of each kind of the mix (at least one of each)."""
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for entry in json.loads(mix.read_text(encoding="utf-8"))["queries"]:
        by_kind[entry["kind"]].append(entry)
    return [entry for kind in by_kind for entry in by_kind[kind][::every]]


def request_of(entry: dict[str, Any]) -> SearchRequest:
    """The grouped ``SearchRequest`` of a mix entry (as ``bench.archive_engines`` builds
    it, at the default page size)."""
    return SearchRequest(
        query=entry["query"],
        authors=tuple(entry.get("authors") or ()),
        since=date.fromisoformat(entry["since"]) if entry.get("since") else None,
        until=date.fromisoformat(entry["until"]) if entry.get("until") else None,
        year=entry.get("year"),
        sort=Sort(entry.get("sort", "relevance")),
        scope=Scope(entry.get("scope", "all")),
    )


@dataclass
class RequestCost:
    articles: int = 0
    queries: int = 0
    grouped: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    every: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    kinds: dict[str, str] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    collapsed: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Per query: (grouped total, every-version total)."""
    cut_short: dict[str, int] = field(default_factory=lambda: {"grouped": 0, "all": 0})
    story_ms: list[float] = field(default_factory=list)
    story_versions_ms: list[float] = field(default_factory=list)
    related_ms: list[float] = field(default_factory=list)
    pages: int = 0
    with_versions: int = 0


def _timed(searcher: Searcher, request: SearchRequest) -> tuple[float, Any]:
    started = time.perf_counter_ns()
    response = searcher.search(request)
    return (time.perf_counter_ns() - started) / 1e6, response


def _ran_out(response: Any) -> bool:
    return any("time limit" in notice for notice in response.notices)


def request_cost(root: Path, entries: list[dict[str, Any]], repeat: int) -> RequestCost:
    """Grouped and every-version searches of ``entries`` interleaved, ``repeat`` times
    after a warm-up pass; then the story and related articles of each first hit."""
    searcher = Searcher(root)
    cost = RequestCost(articles=searcher.generation.article_count, queries=len(entries))
    pairs = []
    for number, entry in enumerate(entries):
        grouped = request_of(entry)
        key = f"{number:03d}"
        cost.kinds[key] = entry["kind"]
        cost.texts[key] = entry["query"]
        pairs.append((key, grouped, replace(grouped, versions=Versions.ALL)))
    _log(f"  warm-up: {len(pairs)} queries, grouped and all")
    first_hits: list[str] = []
    for key, grouped, every in pairs:
        _, shown = _timed(searcher, grouped)
        _, all_shown = _timed(searcher, every)
        cost.collapsed[key] = (shown.total, all_shown.total)
        if shown.hits and shown.hits[0].id not in first_hits:
            first_hits.append(shown.hits[0].id)
    for round_number in range(repeat):
        _log(f"  round {round_number + 1}/{repeat}")
        for at, (key, grouped, every) in enumerate(pairs):
            order = [("grouped", grouped), ("all", every)]
            if (at + round_number) % 2:
                order.reverse()
            for mode, request in order:
                ms, response = _timed(searcher, request)
                (cost.grouped if mode == "grouped" else cost.every)[key].append(ms)
                cost.cut_short[mode] += _ran_out(response)
    _log(f"  story and related articles of {len(first_hits)} first hits")
    for article_id in first_hits:  # warm-up
        searcher.story(article_id)
        searcher.related(article_id)
    cost.pages = len(first_hits)
    for _ in range(repeat):
        for article_id in first_hits:
            started = time.perf_counter_ns()
            versions = searcher.story(article_id)
            ms = (time.perf_counter_ns() - started) / 1e6
            cost.story_ms.append(ms)
            if versions is not None:
                cost.story_versions_ms.append(ms)
            started = time.perf_counter_ns()
            searcher.related(article_id)
            cost.related_ms.append((time.perf_counter_ns() - started) / 1e6)
    cost.with_versions = len(cost.story_versions_ms) // max(repeat, 1)
    searcher.close()
    return cost


# --- the report -----------------------------------------------------------------------


def _ms(values: Sequence[float]) -> str:
    if not values:
        return "- | - | -"
    return (
        f"{statistics.median(values):.1f} | {percentile(values, 0.95):.1f} | "
        f"{percentile(values, 0.99):.1f}"
    )


def _shown(query: str) -> str:
    return f"`{query[:60]}`" if query else "(no query)"


def _flat(by_query: dict[str, list[float]]) -> list[float]:
    return [ms for times in by_query.values() for ms in times]


def report(root: Path, index: IndexCost, requests: RequestCost, repeat: int) -> str:
    per_article = index.per_article_us
    sign_s = sum(per_article) / 1e6
    bands, rows = stories.bands(stories.DEFAULT_THRESHOLD)
    lines = [
        f"## Story groups cost: `{root}` ({index.generation}, {index.live:,} live articles)",
        "",
    ]
    if index.wrote:
        lines += [
            "The generation had no story arrays (built before story groups): the ones "
            "computed here were written into its arrays folder (meant for bench indexes).",
            "",
        ]
    elif index.stored_groups is not None and index.stored_groups != index.groups:
        lines += [
            f"Note: the generation stores {index.stored_groups:,} groups, this run found "
            f"{index.groups:,} (the stored ones serve step 2).",
            "",
        ]
    lines += ["### Index time", "", "| what | cost |", "|---|---|"]
    if index.build_s is not None:
        lines.append(f"| build_index (whole build, {index.build_note}) | {index.build_s:.1f} s |")
    lines += [
        f"| read stored bodies (`iter_docs`, not part of a build) | {index.read_s:.1f} s |",
        f"| body_words + signature per article: median / p95 / p99 | "
        f"{statistics.median(per_article):.0f} / {percentile(per_article, 0.95):.0f} / "
        f"{percentile(per_article, 0.99):.0f} µs |",
        f"| of which body_words (median) / signature (median) | "
        f"{statistics.median(index.words_us):.0f} / {statistics.median(index.sign_us):.0f} µs |",
        f"| signing all {index.live:,} articles (one core) | {sign_s:.1f} s |",
        f"| signed (≥ {stories.MIN_SHINGLES} shingles) | {index.signed:,} |",
        f"| candidate_pairs ({bands} bands × {rows} rows) | {index.candidates_s:.2f} s, "
        f"{index.candidates:,} pairs |",
        f"| pairs linked at {stories.DEFAULT_THRESHOLD} | {index.linked:,} |",
        f"| group() (candidates, similarity, components) | {index.group_s:.2f} s |",
        f"| groups / articles in them | {index.groups:,} / {index.grouped:,} |",
        f"| group sizes 2 / 3 / 4+ (largest) | {index.sizes.get('2', 0):,} / "
        f"{index.sizes.get('3', 0):,} / {index.sizes.get('4+', 0):,} ({index.largest}) |",
        f"| story arrays on disk | {index.disk_bytes / 1e6:.1f} MB |",
        "",
        "### Per request",
        "",
        f"{requests.queries} queries of the archive mix, grouped and `versions=all` "
        f"interleaved, {repeat} timed rounds after a warm-up; {requests.pages} first hits "
        f"for the article-page calls ({requests.with_versions} with other versions).",
        "",
        "| call | timed | median ms | p95 ms | p99 ms |",
        "|---|---|---|---|---|",
    ]
    grouped, every = _flat(requests.grouped), _flat(requests.every)
    lines += [
        f"| search, grouped (default) | {len(grouped)} | {_ms(grouped)} |",
        f"| search, versions=all | {len(every)} | {_ms(every)} |",
        f"| story(id), all first hits | {len(requests.story_ms)} | {_ms(requests.story_ms)} |",
        f"| story(id), with versions | {len(requests.story_versions_ms)} | "
        f"{_ms(requests.story_versions_ms)} |",
        f"| related(id) | {len(requests.related_ms)} | {_ms(requests.related_ms)} |",
        "",
    ]
    ratio = statistics.median(grouped) / statistics.median(every)
    medians = {
        key: (statistics.median(requests.grouped[key]), statistics.median(requests.every[key]))
        for key in requests.grouped
    }
    per_query = {key: g / a for key, (g, a) in medians.items()}
    shrank = sum(g < a for g, a in requests.collapsed.values())
    lines += [
        f"Grouped/all: {ratio:.2f} of the medians; per query (median of each) "
        f"median {statistics.median(per_query.values()):.2f}, "
        f"max {max(per_query.values()):.2f}. "
        f"Queries whose total shrank when grouped: {shrank} of {requests.queries}. "
        f"Searches cut by the time budget: grouped {requests.cut_short['grouped']}, "
        f"all {requests.cut_short['all']}.",
        "",
        "Most slowed by grouping (grouped vs all, median ms; stories of articles):",
        "",
    ]
    for key in sorted(per_query, key=per_query.__getitem__, reverse=True)[:3]:
        (g, a), (shown, every_total) = medians[key], requests.collapsed[key]
        lines.append(
            f"- {requests.kinds[key]} {_shown(requests.texts[key])}: {g:.1f} vs {a:.1f} "
            f"({per_query[key]:.2f}); {shown:,} of {every_total:,}"
        )
    lines += [
        "",
        "| kind | queries | grouped median ms | all median ms | grouped/all | total shrank |",
        "|---|---|---|---|---|---|",
    ]
    kinds: dict[str, list[str]] = defaultdict(list)
    for key, kind in requests.kinds.items():
        kinds[kind].append(key)
    for kind, keys in kinds.items():
        g = [ms for key in keys for ms in requests.grouped[key]]
        a = [ms for key in keys for ms in requests.every[key]]
        fewer = sum(requests.collapsed[key][0] < requests.collapsed[key][1] for key in keys)
        lines.append(
            f"| {kind} | {len(keys)} | {statistics.median(g):.1f} | {statistics.median(a):.1f}"
            f" | {statistics.median(g) / statistics.median(a):.2f} | {fewer} |"
        )
    lines.append("")
    return "\n".join(lines)


# --- command line ---------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, help="an index root to measure")
    parser.add_argument("--queries", type=Path, default=QUERIES, help="a query mix (JSON)")
    parser.add_argument("--every", type=int, default=EVERY, help="every Nth entry per kind")
    parser.add_argument("--repeat", type=int, default=3, help="timed rounds (default 3)")
    parser.add_argument("--out", type=Path, help="also write the Markdown report here")
    parser.add_argument("--with-copies", type=float, metavar="FRACTION")
    parser.add_argument("--corpus", type=Path, metavar="FEED", help="JSON Lines to copy from")
    parser.add_argument("--build", type=Path, metavar="DIR", help="index root to build into")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.with_copies is not None:
        if not args.corpus or not args.build:
            parser.error("--with-copies needs --corpus FEED and --build DIR")
        if not 0 <= args.with_copies <= 1:
            parser.error("--with-copies is a fraction from 0 to 1")
        if args.build.exists() and any(args.build.iterdir()):
            parser.error(f"--build {args.build} is not empty")
    elif not args.index:
        parser.error("give --index DIR, or --with-copies FRACTION --corpus FEED --build DIR")
    if args.repeat < 1 or args.every < 1:
        parser.error("--repeat and --every are at least 1")
    return args


def built(args: argparse.Namespace) -> tuple[float, str]:
    """Write the corpus with its copies to a temporary feed and build it into
    ``args.build``; returns the build's seconds and what it held."""
    with tempfile.TemporaryDirectory(prefix="story-cost-") as folder:
        feed = Path(folder) / "with-copies.jsonl"
        records, copies = write_with_copies(args.corpus, args.with_copies, args.seed, feed)
        _log(f"{records:,} records + {copies:,} edited copies; building {args.build}")
        started = time.perf_counter()
        report = build_index([feed], args.build)
        seconds = time.perf_counter() - started
    _log(f"  built {report.indexed:,} articles in {seconds:.1f} s")
    return seconds, f"{records:,} + {copies:,} copies, {report.indexed:,} indexed"


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    root = args.index
    build: tuple[float, str] | None = None
    if args.with_copies is not None:
        build = built(args)
        root = args.build
    index = index_cost(root)
    if build is not None:
        index.build_s, index.build_note = build
    _log(f"{index.groups:,} groups of {index.grouped:,} articles; timing requests")
    requests = request_cost(root, sample(args.queries, args.every), args.repeat)
    text = report(root, index, requests, args.repeat)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
