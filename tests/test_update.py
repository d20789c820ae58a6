"""``update`` and ``delete``: incremental changes written as a new generation, on real
indexes in temporary folders."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from whoosh import index as whoosh_index

from index import generations
from index.articles import read_changes
from index.build import BuildFailed, build_index, write_arrays
from index.columns import Sources
from index.completions import SHOWN_FILE
from index.generations import IndexUnavailable
from index.model import Article, Unchanged
from index.update import MERGE_AT_SEGMENTS, delete_articles, update_index
from search.check import check_index
from search.engine import Searcher
from search.reference import ReferenceSearcher
from search.request import SearchRequest
from tests.conftest import ROOT, SAMPLES
from tests.test_fast_path import _summary

QUERIES = ["harbour bridge", "flood*", "interpreters", '"north korea"', "cannery -flood", ""]


def _titles(root: Path, query: str) -> set[str]:
    searcher = Searcher(root)
    try:
        return {hit.title for hit in searcher.search(SearchRequest(query=query, per_page=50)).hits}
    finally:
        searcher.close()


def _same_as_reference(root: Path) -> None:
    """The derived arrays agree with the updated Whoosh segments: the fast path answers
    every query like Whoosh alone."""
    fast, reference = Searcher(root), ReferenceSearcher(root)
    try:
        for query in QUERIES:
            request = SearchRequest(query=query)
            assert _summary(fast.search(request)) == _summary(reference.search(request)), query
    finally:
        fast.close()
        reference.close()


def test_update_adds_changes_and_removes_and_a_second_run_changes_nothing(
    archive: tuple[Path, Path],
) -> None:
    source, root = archive
    before = generations.current_generation(root)
    files = sorted(source.glob("*.txt"))
    changed = files[3]
    changed_title = changed.read_text().splitlines()[0]
    changed.write_text(changed.read_text() + "\n\nA zanzibarine postscript.\n")
    gone_title = files[5].read_text().splitlines()[0]
    files[5].unlink()
    (source / "new.txt").write_text(
        "Quokka census counts record numbers\n\nBy Ana Ruiz\n\nMay 4, 2021\n\n"
        "Rangers counted more quokkas than ever on the island.\n"
    )
    report = update_index([source], root)
    assert (report.added, report.changed, report.removed) == (1, 1, 1)
    assert report.unchanged == before.article_count - 2 and not report.problems
    assert report.articles == before.article_count
    assert generations.current_name(root) == report.generation != before.name
    assert generations.previous_name(root) == before.name
    assert _titles(root, "zanzibarine") == {changed_title}  # the changed text is searched
    assert _titles(root, "quokka") == {"Quokka census counts record numbers"}
    assert gone_title not in _titles(root, "")
    _same_as_reference(root)

    again = update_index([source], root)
    assert not again.touched and again.generation == ""
    assert again.unchanged == report.articles
    assert generations.current_name(root) == report.generation


def test_update_reads_the_sources_the_index_was_built_from(tmp_path: Path) -> None:
    root = tmp_path / "index"
    build_index([SAMPLES], root)  # scrapes and the JSON Lines feed
    count = generations.current_generation(root).article_count
    for sources in ([], [SAMPLES]):
        report = update_index(sources, root)  # [] is what the generation was built from
        assert not report.touched and report.unchanged == count, sources
    assert generations.current_generation(root).sources == (str(SAMPLES),)
    with pytest.raises(BuildFailed, match=r"lies inside .*samples, which the index was built"):
        update_index([SAMPLES / "articles"], root)  # its ids would all differ


def test_an_article_whose_file_now_fails_to_parse_keeps_its_indexed_version(
    archive: tuple[Path, Path],
) -> None:
    source, root = archive
    broken = sorted(source.glob("*.txt"))[2]
    title = broken.read_text().splitlines()[0]
    broken.write_bytes(b"")
    report = update_index([source], root)
    assert report.removed == 0 and [p.source for p in report.problems] == [str(broken)]
    assert title in _titles(root, "")


def test_delete_removes_articles_and_reports_unknown_ids(archive: tuple[Path, Path]) -> None:
    _, root = archive
    searcher = Searcher(root)
    hit = searcher.search(SearchRequest(query="interpreters")).hits[0]
    searcher.close()
    count = generations.current_generation(root).article_count
    report = delete_articles([hit.id, hit.id, "0000000000000000"], root)
    assert (report.removed, report.unknown) == (1, ["0000000000000000"])
    assert report.articles == count - 1
    assert hit.title not in _titles(root, "")
    _same_as_reference(root)
    nothing = delete_articles(["0000000000000000"], root)
    assert not nothing.touched and generations.current_name(root) == report.generation


def test_update_and_delete_from_the_command_line(archive: tuple[Path, Path]) -> None:
    source, root = archive

    def manage(*arguments: str, index: Path = root) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, str(ROOT / "manage.py"), *arguments, "--index", str(index)]
        return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=120)

    sorted(source.glob("*.txt"))[0].unlink()
    updated = manage("update", str(source))
    assert updated.returncode == 0, updated.stderr
    assert "0 added, 0 changed, 1 removed" in updated.stdout
    unchanged = manage("update")  # the sources the index was built from
    assert "nothing to change" in unchanged.stdout
    unknown = manage("delete", "0000000000000000")
    assert unknown.returncode == 1 and "no article with id '0000000000000000'" in unknown.stderr
    missing = manage("update", str(source), index=root.parent / "none")
    assert missing.returncode == 1 and "update failed, the previous index still serves" in (
        missing.stderr
    )


def _arrays_equal_those_read_back(root: Path) -> None:
    """The arrays an update computed from the stored ones are byte for byte those derived
    from its Whoosh index alone."""
    served = generations.current_generation(root)
    derived = root.parent / f"derived-{served.name}"
    shutil.copytree(served.path, derived, ignore=shutil.ignore_patterns("arrays"))
    write_arrays(derived, served.article_count)
    for file in sorted((served.path / "arrays").iterdir()):
        if file.name == "fingerprints.npy":  # the index does not hold them (see below)
            continue
        if file.name == SHOWN_FILE or file.name.startswith("pairs."):
            continue  # autocomplete's word pairs are not in the index (index.completions)
        assert file.read_bytes() == (derived / "arrays" / file.name).read_bytes(), file.name


def test_updates_keep_the_arrays_without_reading_the_index_back(
    archive: tuple[Path, Path],
) -> None:
    source, root = archive
    files = sorted(source.glob("*.txt"))
    files[0].write_text(files[0].read_text(encoding="utf-8") + "\n\nA harbour correction.\n")
    (source / "new-story.txt").write_text(
        "Ferry strike ends\n\nBy Ana Lima\n\nMay 4, 2017\n\n"
        "The ferry strike at the harbour ended.\n",
        encoding="utf-8",
    )
    files[1].unlink()
    report = update_index([source], root)
    assert (report.added, report.changed, report.removed) == (1, 1, 1)
    with whoosh_index.open_dir(str(generations.current_generation(root).path)).reader() as reader:
        assert len(list(reader.leaf_readers())) == 2  # a segment added, none merged
    _arrays_equal_those_read_back(root)
    _same_as_reference(root)
    delete_articles([sorted(_ids(root))[0]], root)
    _arrays_equal_those_read_back(root)
    _same_as_reference(root)


def test_many_updates_merge_the_segments_and_stay_consistent(
    archive: tuple[Path, Path],
) -> None:
    source, root = archive
    changed = sorted(source.glob("*.txt"))[0]
    for round_ in range(MERGE_AT_SEGMENTS):
        changed.write_text(changed.read_text(encoding="utf-8") + f"\n\nNote {round_}.\n")
        update_index([source], root)
    with whoosh_index.open_dir(str(generations.current_generation(root).path)).reader() as reader:
        assert len(list(reader.leaf_readers())) < MERGE_AT_SEGMENTS
    _arrays_equal_those_read_back(root)
    _same_as_reference(root)


def _ids(root: Path) -> set[str]:
    searcher = Searcher(root)
    try:
        return {hit.id for hit in searcher.search(SearchRequest(query="", per_page=50)).hits}
    finally:
        searcher.close()


def test_an_update_parses_only_the_source_items_it_does_not_know(
    archive: tuple[Path, Path],
) -> None:
    """Every live article's source item is fingerprinted; an unchanged file is passed
    over without parsing, a changed one is parsed (and found changed or not by its hash)."""
    source, root = archive
    sources = Sources.read(generations.current_generation(root).path)
    assert sources is not None and np.all(sources.fingerprints != 0)
    known = set(sources.fingerprints.tolist())
    items = list(read_changes([source], known))
    assert all(isinstance(item, Unchanged) for item in items)
    changed = sorted(source.glob("*.txt"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\nOne more line.\n")
    (parsed,) = [item for item in read_changes([source], known) if isinstance(item, Article)]
    assert parsed.source.endswith(changed.name)
    report = update_index([source], root)
    assert (report.changed, report.unchanged, report.removed) == (1, len(items) - 1, 0)
    again = update_index([source], root)
    assert not again.touched and again.unchanged == len(items)


def test_an_update_records_true_digests_and_refuses_a_damaged_generation(
    archive: tuple[Path, Path],
) -> None:
    source, root = archive
    changed = sorted(source.glob("*.txt"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\nA second look.\n")
    before = generations.current_generation(root)
    update_index([source], root)
    after = generations.current_generation(root)
    copied = [name for name in after.files if name.endswith(".seg") and name in before.files]
    assert copied and all(after.files[name] == before.files[name] for name in copied)
    assert check_index(root, sample=0).passed  # the reused digests are the files' own
    segment = after.path / copied[0]
    segment.write_bytes(segment.read_bytes()[:-100])
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\nA third look.\n")
    with pytest.raises(IndexUnavailable, match=r"is damaged .* rollback"):
        update_index([source], root)
    assert generations.current_name(root) == after.name
