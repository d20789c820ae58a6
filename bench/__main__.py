"""Command line: ``python -m bench [--quick] [--engines a,b] ...`` (see bench/README.md)."""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

from bench.corpus import COLLECTIONS, data_root
from bench.engines import ENGINES
from bench.report import markdown, write_json
from bench.runner import Config, run_benchmark

DEFAULT_OUTPUT = Path(__file__).resolve().parent / "results" / "latest.json"


def _engine_list(text: str) -> list[str]:
    """Parse ``a,b,c`` into engine names, rejecting unknown ones."""
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in ENGINES]
    if unknown or not names:
        known = ", ".join(ENGINES)
        raise argparse.ArgumentTypeError(f"unknown engine(s) {unknown or text!r}; known: {known}")
    return names


def _positive(text: str) -> int:
    """An integer of at least 1."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The command-line options."""
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Compare Scoop's indexing and query speed and memory with peer engines.",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke run: 1 build, every 5th query, 1 round of 1 pass, no replicated corpus",
    )
    parser.add_argument(
        "--engines",
        type=_engine_list,
        default=list(ENGINES),
        help=f"comma-separated engines (default: all: {','.join(ENGINES)})",
    )
    parser.add_argument("--builds", type=_positive, help="builds per engine (default 3; quick 1)")
    parser.add_argument(
        "--rounds", type=_positive, help="query rounds, each in new processes (default 2; quick 1)"
    )
    parser.add_argument("--passes", type=_positive, default=1, help="timed passes per round")
    parser.add_argument(
        "--replicate",
        type=_positive,
        help="copies of the corpus for one extra build per engine (default 4; quick 1 = none)",
    )
    parser.add_argument(
        "--budget",
        type=float,
        default=360.0,
        help="seconds into the run after which optional work (extra query rounds, "
        "replicated builds) is skipped",
    )
    parser.add_argument(
        "--query-cap",
        type=float,
        default=240.0,
        help="seconds after which a query round stops timing (bounds slow engines)",
    )
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per worker process")
    parser.add_argument(
        "--seed", type=int, help="seed for engine and query order (default: random)"
    )
    parser.add_argument("--baseline", default="scoop", help="engine the ratios divide by")
    parser.add_argument("--data", type=Path, default=None, help="the ir/ collections folder")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="JSON result file")
    return parser.parse_args(argv)


def config_from(args: argparse.Namespace) -> Config:
    """Fill in the defaults that depend on ``--quick``."""

    def pick(value: int | None, full: int, quick: int) -> int:
        if value is not None:
            return value
        return quick if args.quick else full

    return Config(
        engines=args.engines,
        data=args.data or data_root(),
        builds=pick(args.builds, 3, 1),
        rounds=pick(args.rounds, 2, 1),
        passes=args.passes,
        stride=5 if args.quick else 1,
        replicate=pick(args.replicate, 4, 1),
        budget_s=args.budget,
        query_cap_s=args.query_cap,
        timeout_s=args.timeout,
        seed=args.seed if args.seed is not None else random.randrange(1_000_000),
        baseline=args.baseline,
    )


def _log(message: str) -> None:
    """Progress goes to stderr so stdout holds only the report."""
    print(message, file=sys.stderr, flush=True)


def main(argv: list[str]) -> int:
    """Run the benchmark, print the Markdown report, write the JSON result."""
    args = parse_args(argv)
    config = config_from(args)
    missing = [c.docs for c in COLLECTIONS if not (config.data / c.docs).is_file()]
    if missing:
        _log(f"missing collection files under {config.data}: {', '.join(missing)} (see --data)")
        return 2
    result = run_benchmark(config, _log)
    print(markdown(result), end="")
    write_json(result, args.output)
    _log(f"result written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
