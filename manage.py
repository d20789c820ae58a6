"""Scoop's command line: build the index, search it, serve it."""

from __future__ import annotations

import functools
import itertools
import json
import logging
import shlex
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from math import ceil
from pathlib import Path
from typing import Any

import click

from index import logs, settings
from index.articles import expected_items, read_file
from index.build import BuildFailed, BuildReport, build_index
from index.explain import describe
from index.generations import (
    IndexUnavailable,
    current_generation,
    current_name,
    default_index_root,
    previous_name,
    serving_generation,
    switch_back,
)
from index.model import Article, ParseWarning, Problem
from index.scrape import Reading
from index.smart import Record, index_names, read_records, write_feed
from index.sources import READ_SUFFIXES, SourceFile, display_name, source_files
from index.update import UpdateReport, delete_articles, update_index
from index.validate import ValidationFailed
from search.check import check_index, index_stats
from search.engine import Searcher
from search.evaluation import DEPTH, Evaluation, Question, evaluate, questions_of, write_run
from search.export import ExportFormat
from search.export import lines as export_lines
from search.judgements import DESCRIPTIONS, LAYOUTS, BadJudgements, Judgements, read_judgements
from search.request import (
    DEFAULT_PER_PAGE,
    MAX_PAGE,
    MAX_QUERY_CHARS,
    InvalidRequest,
    Recency,
    Scope,
    SearchRequest,
    SearchResponse,
    Sort,
    Versions,
)
from search.serialize import article_json, response_json

PROJECT_ROOT = Path(__file__).resolve().parent
SAMPLE_ARTICLES = PROJECT_ROOT / "samples"

index_option = click.option(
    "--index",
    "index_root",
    type=click.Path(path_type=Path, file_okay=False),
    default=default_index_root,
    show_default="$SCOOP_INDEX or instance/index",
    help="Index folder (holds the generations and the CURRENT pointer).",
)

force_option = click.option(
    "--force", is_flag=True, help="Switch even if the new index fails validation."
)
canary_option = click.option(
    "--canary",
    "canaries",
    multiple=True,
    metavar="WORD",
    help="A word the new index must find (repeatable; default: common headline words).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="scoop", prog_name="scoop")
def cli() -> None:
    """Scoop: full-text search for news archives."""
    try:
        logs.configure(str(settings.load()["LOG_FORMAT"]))
    except ValueError as error:
        raise click.UsageError(str(error)) from None


def _failed(command: str, message: str) -> click.ClickException:
    """The error a writer command exits with, logged first (as JSON only: click prints it)."""
    logs.event("error", message, logging.ERROR, summary=True, command=command)
    return click.ClickException(message)


def _log_progress() -> Callable[[Article | Problem], None]:
    """Plain progress lines for logs (not a terminal): one every 1000 items read."""
    done = itertools.count(1)

    def report(_item: Article | Problem) -> None:
        read = next(done)
        if read % 1000 == 0:
            logs.event("progress", f"progress: {read} read", read=read)

    return report


def _list_problems(problems: list[Problem]) -> None:
    if problems:
        logs.event("skipped", f"{len(problems)} skipped:", logging.WARNING, count=len(problems))
        for problem in problems:
            logs.event("skipped", f"  {problem}", logging.WARNING, **_where(problem))


def _where(item: Problem | ParseWarning) -> dict[str, Any]:
    return {"source": item.source, "line": item.line, "reason": item.reason}


def _count(number: int, noun: str, plural: str | None = None) -> str:
    """``1 result``, ``2 results``; ``plural`` when it is not ``noun`` + s."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def _list_warnings(report: BuildReport) -> None:
    if report.warnings:
        heading = f"{_count(len(report.warnings), 'warning')} (indexed, but read with a guess):"
        logs.event("warning", heading, logging.WARNING, count=len(report.warnings))
        for warning in report.warnings:
            logs.event("warning", f"  {warning}", logging.WARNING, **_where(warning))


def _summary(report: BuildReport) -> str:
    return (
        f"indexed {report.indexed} articles, skipped {len(report.problems)}, "
        f"{_count(len(report.warnings), 'warning')}, "
        f"in {report.seconds:.2f} s ({report.articles_per_second:.0f} articles/s); "
        f"generation {report.generation}"
    )


def _articles_missing(folder: Path) -> list[Problem] | None:
    """None when ``folder`` holds an article file, else the problems met looking for one."""
    problems = []
    for item in source_files([folder]):
        if isinstance(item, SourceFile):
            return None
        problems.append(item)
    return problems


def _require_articles(command: str, sources: list[Path], untouched: str) -> None:
    """Fail before writing when a source is missing or a folder among ``sources`` holds no
    article file (a wrong or unmounted folder would otherwise build an empty index or
    remove every article)."""
    missing = [display_name(source) for source in sources if not source.exists()]
    if missing:
        message = f"no such file or folder: {', '.join(missing)}"
        raise _failed(command, f"{command} failed, {untouched}: {message}")
    empty = []
    for source in sources:
        if source.is_dir() and (problems := _articles_missing(source)) is not None:
            _list_problems(problems)
            empty.append(display_name(source))
    if empty:
        kinds = ", ".join(sorted(READ_SUFFIXES))
        message = f"no article files found under {', '.join(empty)} (only {kinds} files are read)"
        raise _failed(command, f"{command} failed, {untouched}: {message}")


@cli.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@index_option
@force_option
@canary_option
def reindex(
    sources: tuple[Path, ...], index_root: Path, force: bool, canaries: tuple[str, ...]
) -> None:
    """Rebuild the index from SOURCES (files or folders; default: the bundled samples).

    The new index is built beside the one serving and replaces it atomically
    only when complete; on failure the old index keeps serving.
    """
    chosen = list(sources) or [SAMPLE_ARTICLES]
    _require_articles("reindex", chosen, "the previous index (if any) still serves")
    problems: list[Problem] = []
    log = _log_progress()

    def progress(item: Article | Problem, advance: Callable[[int], None] | None = None) -> None:
        if isinstance(item, Problem):
            problems.append(item)
        if advance:
            advance(1)
        else:
            log(item)

    try:
        if sys.stderr.isatty():
            with click.progressbar(
                length=expected_items(chosen), label="Indexing", file=sys.stderr, show_pos=True
            ) as bar:
                report = build_index(
                    chosen, index_root, lambda item: progress(item, bar.update), force, canaries
                )
        else:
            report = build_index(chosen, index_root, progress, force, canaries)
    except (BuildFailed, ValidationFailed, IndexUnavailable, OSError) as error:
        _list_problems(problems)
        message = f"reindex failed, the previous index (if any) still serves: {error}"
        raise _failed("reindex", message) from None
    _list_problems(problems)
    _list_warnings(report)
    click.echo(_summary(report))
    logs.event(
        "reindex",
        _summary(report),
        summary=True,
        indexed=report.indexed,
        skipped=len(report.problems),
        warnings=len(report.warnings),
        seconds=round(report.seconds, 3),
        articles_per_second=round(report.articles_per_second, 1),
        generation=report.generation,
    )


def _update_summary(report: UpdateReport) -> str:
    counts = (
        f"{report.added} added, {report.changed} changed, {report.removed} removed, "
        f"{report.unchanged} unchanged, {len(report.problems)} skipped"
    )
    if not report.touched:
        return f"{counts}; nothing to change, the index is as it was ({report.articles} articles)"
    return (
        f"{counts}; {_count(report.articles, 'article')} in generation {report.generation} "
        f"({report.seconds:.2f} s)"
    )


def _log_update(command: str, report: UpdateReport) -> None:
    logs.event(
        command,
        _update_summary(report),
        summary=True,
        added=report.added,
        changed=report.changed,
        removed=report.removed,
        unchanged=report.unchanged,
        skipped=len(report.problems),
        articles=report.articles,
        seconds=round(report.seconds, 3),
        generation=report.generation or None,
    )


@cli.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@index_option
@force_option
@canary_option
def update(
    sources: tuple[Path, ...], index_root: Path, force: bool, canaries: tuple[str, ...]
) -> None:
    """Index only what is new or changed in SOURCES (by content hash) and remove articles
    whose source file under SOURCES is gone; everything else is left untouched. Without
    SOURCES, the files and folders the serving index was built from.

    The changes are written as a new generation that replaces the serving one only when
    complete; on failure the old index keeps serving.
    """
    serving = serving_generation(index_root)
    recorded = [Path(source) for source in serving.sources] if serving else []
    _require_articles("update", list(sources) or recorded, "the index is as it was")
    try:
        report = update_index(list(sources), index_root, force=force, canaries=canaries)
    except (BuildFailed, ValidationFailed, IndexUnavailable, OSError) as error:
        raise _failed(
            "update", f"update failed, the previous index still serves: {error}"
        ) from None
    _list_problems(report.problems)
    click.echo(_update_summary(report))
    _log_update("update", report)


@cli.command()
@click.argument("ids", nargs=-1, required=True)
@index_option
@force_option
def delete(ids: tuple[str, ...], index_root: Path, force: bool) -> None:
    """Remove the articles with these IDS from the index (a new generation)."""
    try:
        report = delete_articles(ids, index_root, force)
    except (BuildFailed, ValidationFailed, IndexUnavailable, OSError) as error:
        raise _failed(
            "delete", f"delete failed, the previous index still serves: {error}"
        ) from None
    for article_id in report.unknown:
        logs.event("skipped", f"no article with id {article_id!r}", logging.WARNING, id=article_id)
    click.echo(_update_summary(report))
    _log_update("delete", report)
    if report.unknown:
        sys.exit(1)


@cli.command()
@index_option
@click.option(
    "--sample",
    default=20,
    show_default=True,
    type=click.IntRange(0, 10_000),
    help="Stored articles re-parsed from their source files.",
)
def check(index_root: Path, sample: int) -> None:
    """Verify the serving index: it opens, its counts agree, its derived arrays match the
    Whoosh postings, a canary query finds articles, and stored articles match their
    source files. Exits with 1 when anything fails."""
    report = check_index(index_root, sample)
    click.echo(f"generation {report.generation or '(none)'}")
    for finding in report.findings:
        click.echo(f"  {'ok  ' if finding.passed else 'FAIL'} {finding.what}: {finding.detail}")
    if not report.passed:
        click.echo(
            "The index fails its check: run `python manage.py reindex`"
            + (
                f", or `python manage.py rollback` to serve the previous generation {previous}"
                if (previous := previous_name(index_root))
                else ""
            ),
            err=True,
        )
        sys.exit(1)


@cli.command()
@index_option
def rollback(index_root: Path) -> None:
    """Serve the previous generation again (after a bad reindex, update or delete).

    The generation it replaces becomes the previous one, so a second rollback undoes the
    first. Workers move over on their next request, as after a reindex.
    """
    current = current_name(index_root)
    try:
        generation = switch_back(index_root)
    except IndexUnavailable as error:
        raise _failed("rollback", str(error)) from None
    message = (
        f"serving {generation.name} again ({generation.article_count:,} articles, "
        f"built {generation.created}); {current} is kept as the previous generation"
    )
    click.echo(message)
    logs.event("rollback", message, summary=True, generation=generation.name, previous=current)


@cli.command()
@index_option
def stats(index_root: Path) -> None:
    """Print the serving index's figures: articles, generation, size, terms, dates."""
    try:
        figures = index_stats(index_root)
    except IndexUnavailable as error:
        raise click.ClickException(str(error)) from None
    lines = [
        ("articles", f"{figures.articles:,}"),
        ("generation", figures.generation),
        ("previous generation", figures.previous or "(none)"),
        ("size on disk", f"{figures.bytes_on_disk / 1e6:,.1f} MB"),
        ("terms", f"{figures.terms:,}"),
        ("stories in versions", f"{figures.stories:,} ({figures.grouped:,} articles)"),
        ("oldest article", str(figures.oldest or "(undated)")),
        ("newest article", str(figures.newest or "(undated)")),
        ("last update", figures.created),
    ]
    for name, value in lines:
        click.echo(f"{name:<20} {value}")


def _reading_json(reading: Reading) -> dict[str, Any]:
    """A reading as JSON: the article as the API sends it, with its source, warnings, junk and
    where each line went; or the problem."""
    if reading.article is None:
        problem = reading.problem
        return {"source": problem.source if problem else "", "problem": str(problem)}
    article = reading.article
    return {
        "source": article.source,
        "article": article_json(article),
        "warnings": [{"line": w.line, "reason": w.reason} for w in article.warnings],
        "lines": [
            {
                "line": ln.number,
                "section": ln.section,
                "index": ln.index,
                "note": ln.note,
                "text": ln.text,
            }
            for ln in reading.lines
        ],
    }


@cli.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the reading as JSON.")
def parse(file: Path, as_json: bool) -> None:
    """Show how FILE is read before indexing it: headline, dek, authors, dates, each
    paragraph numbered, each caption with its credit, the bio, the junk and the warnings,
    each with the lines it came from. Exits with 1 when the file (or a record) cannot be read.
    """
    readings = read_file(file)
    if as_json:
        output = [_reading_json(reading) for reading in readings]
        click.echo(json.dumps(output, ensure_ascii=False, indent=2))
    else:
        for number, reading in enumerate(readings):
            if number:
                click.echo()
            click.echo("\n".join(describe(reading, str(file))))
    if any(reading.problem for reading in readings):
        sys.exit(1)


def _bold(fragment_text: str, marks: tuple[tuple[int, int], ...], color: bool) -> str:
    """The matches in bold on a terminal, in [brackets] otherwise."""
    out, cursor = [], 0
    for start, end in marks:
        match = fragment_text[start:end]
        out += [
            fragment_text[cursor:start],
            click.style(match, bold=True) if color else f"[{match}]",
        ]
        cursor = end
    return "".join([*out, fragment_text[cursor:]])


def _print_response(response: SearchResponse, color: bool) -> None:
    for notice in response.notices:
        click.echo(f"note: {notice}")
    first = (response.request.page - 1) * response.request.per_page
    total = _count(response.total, "result")
    if not response.total_exact:
        total = f"at least {total}"
    if response.articles > response.total:
        total += f" ({_count(response.articles, 'article')}, versions of a story grouped)"
    click.echo(f"{total} for {response.query!r} ({response.took_ms:.0f} ms)")
    if response.suggestion:
        click.echo(f"Did you mean: {response.suggestion}?")
    for rank, hit in enumerate(response.hits, start=first + 1):
        when = hit.published.isoformat() if hit.published else "undated"
        byline = ", ".join(hit.authors)
        click.echo()
        click.echo(f"{rank}. {click.style(hit.title, bold=True) if color else hit.title}")
        click.echo(f"   {when}  {byline}  [{hit.id}]")
        for fragment in hit.body:
            click.echo(f"   ¶{fragment.paragraph}: {_bold(fragment.text, fragment.marks, color)}")
        for caption in hit.captions:
            credit = f" ({caption.credit})" if caption.credit else ""
            click.echo(
                f"   photo {caption.index}: {_bold(caption.text, caption.marks, color)}{credit}"
            )
        if hit.more_matches:
            matches = _count(hit.more_matches, "more match", "more matches")
            click.echo(f"   {matches} in {_count(hit.more_paragraphs, 'paragraph')}")
        if hit.other_versions:
            others = ", ".join(version.id for version in hit.other_versions)
            click.echo(f"   {_count(hit.versions, 'version')} of this story; also {others}")
    if response.total and not response.hits:
        last = min(ceil(response.total / response.request.per_page), MAX_PAGE)
        raise click.ClickException(f"Page {response.request.page} is past the last page ({last}).")


def _date_option(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2017-05-04") from None


def filter_options(command: Callable[..., None]) -> Callable[..., None]:
    """The order and filters ``search`` and ``export`` share, handed to the command as
    ``filters``: the ``SearchRequest`` fields they set."""
    options = [
        click.option(
            "--sort", type=click.Choice([s.value for s in Sort]), default=Sort.RELEVANCE.value
        ),
        click.option(
            "--in", "scope", type=click.Choice([s.value for s in Scope]), default=Scope.ALL.value
        ),
        click.option(
            "--author", "authors", multiple=True, help="Only articles by this author (repeatable)."
        ),
        click.option(
            "--since", callback=lambda _c, _p, v: _date_option(v), help="Published on or after."
        ),
        click.option(
            "--until", callback=lambda _c, _p, v: _date_option(v), help="Published on or before."
        ),
        click.option(
            "--recency",
            type=click.Choice([r.value for r in Recency]),
            default=Recency.NONE.value,
            help="Favour newer articles within relevance: none, gentle or strong.",
        ),
        click.option(
            "--versions",
            type=click.Choice([v.value for v in Versions]),
            default=Versions.GROUPED.value,
            help="grouped: nearly identical articles are one story (listed once); all: each one.",
        ),
    ]

    @functools.wraps(command)
    def run(
        sort: str,
        scope: str,
        authors: tuple[str, ...],
        since: date | None,
        until: date | None,
        recency: str,
        versions: str,
        **rest: Any,
    ) -> None:
        filters = {
            "sort": Sort(sort),
            "scope": Scope(scope),
            "authors": authors,
            "since": since,
            "until": until,
            "recency": Recency(recency),
            "versions": Versions(versions),
        }
        command(filters=filters, **rest)

    wrapped: Callable[..., None] = run
    for option in reversed(options):
        wrapped = option(wrapped)
    return wrapped


@contextmanager
def _asking() -> Iterator[None]:
    """A bad request or an unavailable index as a command-line error, not a traceback."""
    try:
        yield
    except InvalidRequest as error:
        option = {"q": "QUERY", "per_page": "--limit"}.get(error.parameter, f"--{error.parameter}")
        raise click.BadParameter(error.message, param_hint=option) from None
    except IndexUnavailable as error:
        raise click.ClickException(str(error)) from None


@cli.command()
@click.argument("query")
@index_option
@click.option("--limit", default=DEFAULT_PER_PAGE, show_default=True, help="Results per page.")
@click.option("--page", default=1, show_default=True, help="Result page.")
@filter_options
@click.option("--json", "as_json", is_flag=True, help="Print the JSON endpoint's response.")
def search(
    query: str,
    index_root: Path,
    limit: int,
    page: int,
    filters: dict[str, Any],
    as_json: bool,
) -> None:
    """Search the index and print ranked, highlighted results."""
    with _asking():
        request = SearchRequest(query=query, page=page, per_page=limit, **filters)
        response = Searcher(index_root).search(request)
    if as_json:
        click.echo(json.dumps(response_json(response), ensure_ascii=False, indent=2))
    else:
        _print_response(response, color=sys.stdout.isatty())


@cli.command()
@click.argument("query")
@index_option
@click.option(
    "--format",
    "kind",
    type=click.Choice([kind.value for kind in ExportFormat]),
    default=ExportFormat.CSV.value,
    show_default=True,
)
@filter_options
def export(
    query: str,
    index_root: Path,
    kind: str,
    filters: dict[str, Any],
) -> None:
    """Print every result of a search (at most 10,000) with what a citation needs, as CSV
    or JSON Lines: the same rows as the web's /search.csv and format=jsonl."""
    with _asking():
        hits = Searcher(index_root).export(SearchRequest(query=query, **filters))
    for line in export_lines(hits, ExportFormat(kind)):
        click.echo(line, nl=False)


INPUT_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


def _evaluation_text(result: Evaluation, documents: int, seconds: float) -> str:
    lines = [
        f"{documents} documents indexed in {seconds:.1f} s; "
        f"{result.questions} judged queries run to depth {DEPTH}",
        *(f"{name:<11} {value:.4f}" for name, value in result.measures.items()),
        f"query time  mean {result.mean_ms:.1f} ms, p95 {result.p95_ms:.1f} ms",
    ]
    if result.cut:
        cut = _count(result.cut, "query", "queries")
        lines.append(f"{cut} longer than {MAX_QUERY_CHARS} characters, searched cut")
    return "\n".join(lines)


def _evaluation_json(result: Evaluation, documents: int, layout: str) -> dict[str, Any]:
    return {
        "documents": documents,
        "queries": result.questions,
        "depth": DEPTH,
        "judgements": layout,
        "measures": {name: round(value, 4) for name, value in result.measures.items()},
        "query_ms": {"mean": round(result.mean_ms, 2), "p95": round(result.p95_ms, 2)},
        "cut_queries": result.cut,
    }


def _read_collection(
    docs: Path, queries: Path, qrels: Path, layout: str | None
) -> tuple[list[Record], list[Question], Judgements]:
    """The documents, the judged questions and their judgements, or a usage error."""
    try:
        judgements = read_judgements(qrels, layout)
        questions, by_position = questions_of(read_records(queries), judgements.grades)
    except BadJudgements as error:
        raise click.BadParameter(str(error), param_hint="--qrels") from None
    documents = read_records(docs)
    if not documents:
        raise click.BadParameter("no .I records in it", param_hint="--docs")
    click.echo(f"judgements: {DESCRIPTIONS[judgements.layout]}", err=True)
    if by_position:
        click.echo("judgements number the queries 1, 2, … in file order", err=True)
    return documents, questions, judgements


@cli.command("eval")
@click.option("--docs", type=INPUT_FILE, required=True, help="Documents (SMART format).")
@click.option("--queries", type=INPUT_FILE, required=True, help="Queries (SMART format).")
@click.option("--qrels", type=INPUT_FILE, required=True, help="Relevance judgements.")
@click.option("--qrels-layout", type=click.Choice(LAYOUTS), help="Default: detected.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option(
    "--run-out", type=click.Path(dir_okay=False, path_type=Path), help="Write a TREC run file."
)
def evaluate_ranking(
    docs: Path,
    queries: Path,
    qrels: Path,
    qrels_layout: str | None,
    as_json: bool,
    run_out: Path | None,
) -> None:
    """Measure the ranking on a test collection (SMART documents and queries, qrels).

    The documents are indexed into a temporary index by the real pipeline; every judged
    query runs as typed through the search the page uses. Prints nDCG@10, MAP, P@10,
    Recall@100 and the query time.
    """
    documents, questions, judgements = _read_collection(docs, queries, qrels, qrels_layout)
    with tempfile.TemporaryDirectory(prefix="scoop-eval-") as scratch:
        feed = Path(scratch) / "documents.jsonl"
        write_feed(documents, feed)
        try:
            report = build_index([feed], Path(scratch) / "index")
        except BuildFailed as error:
            raise click.ClickException(f"cannot index the documents: {error}") from None
        _list_problems(report.problems)
        searcher = Searcher(Path(scratch) / "index")
        try:
            result = evaluate(searcher, questions, judgements.grades, index_names(documents))
        except (ValueError, ImportError) as error:
            raise click.ClickException(str(error)) from None
        finally:
            searcher.close()
    if run_out:
        with run_out.open("w", encoding="utf-8") as handle:
            write_run(result.run, handle)
    if as_json:
        click.echo(json.dumps(_evaluation_json(result, report.indexed, judgements.layout)))
    else:
        click.echo(_evaluation_text(result, report.indexed, report.seconds))


def _serving(root: Path) -> str:
    """What ``serve`` serves: the folder and what it holds, warning on standard error when
    pages will answer 503 (no index there, or one that cannot serve)."""
    if current_name(root) is None:
        click.echo(
            f"No index at {root} yet: pages answer 503 until you run "
            f"`python manage.py reindex SOURCE --index {shlex.quote(str(root))}`",
            err=True,
        )
        return f"{root} (no index yet)"
    try:
        generation = current_generation(root)
    except IndexUnavailable as error:
        click.echo(f"The index cannot serve, pages answer 503: {error}", err=True)
        return f"{root} (unusable index)"
    return f"{root} ({_count(generation.article_count, 'article')}, {generation.name})"


@cli.command()
@index_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--workers", default=2, show_default=True, type=click.IntRange(1, 64), help="Worker processes."
)
@click.option(
    "--samples-if-missing",
    is_flag=True,
    help="With no index in the folder yet, index the bundled samples into it first.",
)
@click.pass_context
def serve(
    ctx: click.Context,
    index_root: Path,
    host: str,
    port: int,
    workers: int,
    samples_if_missing: bool,
) -> None:
    """Serve the web page and JSON API with gunicorn (a pre-forking production server)."""
    from web import create_app, server

    config = {"INDEX": str(index_root), "SHOW_INDEX_FOLDER": server.is_loopback(host)}
    app = create_app(config)
    if app.debug:
        raise click.UsageError(
            "debug mode (SCOOP_DEBUG or FLASK_DEBUG) shows tracebacks to anyone and is for "
            "development only; `serve` refuses it. Unset it, or use `flask --app web run --debug`."
        )
    if problem := server.cannot_listen(host, port):
        raise click.ClickException(problem)
    if samples_if_missing and current_name(index_root) is None:
        click.echo(f"No index at {index_root} yet: indexing the bundled samples", err=True)
        ctx.invoke(reindex, index_root=index_root)
    serving = _serving(index_root)
    where = f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"

    def ready() -> None:
        click.echo(f"Serving {serving} on {where} with {workers} workers (Ctrl-C stops)")

    server.serve(app, host, port, workers, ready)


if __name__ == "__main__":
    cli()
