"""The expensive request shapes of issue #13, timed against an index: the worst case each.

``python -m bench.shapes --index DIR [--repeat N]`` sends each shape (as the query and as
"search within") through the web app in process (Flask's test client, rate limits off)
and prints, per shape, the HTTP status, the worst time of ``N`` runs, the total and how
many notices said what was cut. It only measures: shapes are bounded by the limits in
SECURITY.md, not by this script.
"""

from __future__ import annotations

import argparse
import itertools
import time
from pathlib import Path

from web import create_app

WORDS = (
    "harbour bridge ferry council flood river cannery levee museum festival comet glacier "
    "tunnel housing budget volunteers earthquake sensors documentary prize fishing quota "
    "dockworkers cranes market rail light eastside voters tax shutdown food bank demand "
    "maritime gallery years district thousands evacuate"
).split()

SHAPES = {
    "64 two-letter prefixes": " ".join(
        "".join(pair) + "*" for pair in list(itertools.product("abcdefg", "aeiou"))[:64]
    ),
    "45 fuzzy words": " ".join(word + "~2" for word in (WORDS * 2)[:45]),
    "39 negations": "harbour " + " ".join("-" + word for word in WORDS[:39]),
    "text range": "body:[a TO zzzz]",
    "a?* t??*": "a?* t??*",
    "flow~2/5": "flow~2/5",
    "90 ORs": " OR ".join((WORDS * 3)[:90]),
}


def measure(index: Path, repeat: int) -> list[tuple[str, str, int, float, int, int]]:
    """(shape, where, status, worst ms, total, notices) for every shape, as query and within."""
    client = create_app({"INDEX": str(index), "RATELIMIT_ENABLED": False}).test_client()
    rows = []
    for name, text in SHAPES.items():
        for where, params in (("q", {"q": text}), ("within", {"q": "harbour", "within": text})):
            worst, answer = 0.0, None
            for _ in range(repeat):
                started = time.perf_counter()
                answer = client.get("/api/search", query_string=params)
                worst = max(worst, (time.perf_counter() - started) * 1000)
            assert answer is not None
            body = answer.get_json() or {}
            rows.append(
                (name, where, answer.status_code, worst, body.get("total", 0),
                 len(body.get("notices", [])))
            )  # fmt: skip
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True, help="an index root")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print("| shape | as | status | worst ms | total | notices |")
    print("|:---|:---|---:|---:|---:|---:|")
    for name, where, status, worst, total, notices in measure(args.index, args.repeat):
        print(f"| {name} | {where} | {status} | {worst:,.0f} | {total:,} | {notices} |")


if __name__ == "__main__":
    main()
