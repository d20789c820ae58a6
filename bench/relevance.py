"""Relevance of Scoop's ranking on each IR test collection: nDCG@10, P@10 and MAP.

    python -m bench.relevance                       # every collection, current settings
    python -m bench.relevance --collections cran,cisi --set title=1.0 --set K1=1.5

Each collection is indexed on its own (documents without a title get an empty
one), its queries run through ``Searcher.ranked_ids`` (the search ranking
without highlighting) to depth 1000, and the measures are computed with
ir-measures over the judged queries. ``--set`` overrides a setting of
``search/ranking.py`` for this run (``title=…`` and the other field names set
field weights; ``K1`` and ``B`` the BM25 parameters), so settings can be tuned
on some collections and confirmed on the others.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from bench.corpus import COLLECTIONS, data_root, load_docs, load_qrels, load_queries

MEASURES = ("nDCG@10", "P@10", "AP@1000")
DEPTH = 1000


def _apply(settings: list[str]) -> None:
    import index.impacts as impacts
    import search.ranking as ranking

    for setting in settings:
        name, _, value = setting.partition("=")
        if name == "K1":
            impacts.BM25_K1 = float(value)
        elif name == "B":
            impacts.BM25_B = float(value)
        elif name in ranking.FIELD_WEIGHTS:
            ranking.FIELD_WEIGHTS[name] = float(value)
        else:
            raise SystemExit(f"unknown setting {name!r}: K1, B or a field of FIELD_WEIGHTS")


def evaluate(collection: str, root: Path, scratch: Path) -> dict[str, float]:
    """Index one collection in ``scratch`` and measure Scoop's ranking on its queries."""
    import ir_measures

    from index.articles import article_id
    from index.build import build_index
    from search.engine import Searcher

    docs = [d for d in load_docs(root) if d.id.startswith(f"{collection}-")]
    feed = scratch / f"{collection}.jsonl"
    with feed.open("w", encoding="utf-8") as handle:
        for d in docs:
            record = {"id": d.id, "title": d.title or "-", "authors": list(d.authors)}
            handle.write(json.dumps({**record, "body": d.text}) + "\n")
    build_index([feed], scratch / collection)
    back = {article_id(f"id:{d.id}"): d.id for d in docs}
    judged = load_qrels(root)[collection]
    searcher = Searcher(scratch / collection)
    run = {}
    for query in load_queries(root):
        if query.collection == collection and query.id in judged:
            ids = searcher.ranked_ids(query.text, DEPTH)
            run[query.id] = {back[i]: float(DEPTH - rank) for rank, i in enumerate(ids)}
    searcher.close()
    measures = [ir_measures.parse_measure(m) for m in MEASURES]
    scores = ir_measures.calc_aggregate(measures, judged, run)
    return {str(m): float(scores[m]) for m in measures}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    names = [c.name for c in COLLECTIONS]
    parser.add_argument("--collections", default=",".join(names), help="comma-separated")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--data", type=Path, default=None, help="the ir/ folder")
    args = parser.parse_args()
    _apply(args.set)
    root = args.data or data_root()
    print("| collection | " + " | ".join(MEASURES) + " |")
    print("|---|" + "---:|" * len(MEASURES))
    with tempfile.TemporaryDirectory() as scratch:
        for collection in args.collections.split(","):
            scores = evaluate(collection, root, Path(scratch))
            print(f"| {collection} | " + " | ".join(f"{scores[m]:.3f}" for m in MEASURES) + " |")


if __name__ == "__main__":
    main()
