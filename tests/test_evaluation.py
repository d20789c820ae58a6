"""Relevance evaluation: judgement layouts, the measures against a hand computation, and
``manage.py eval`` end to end on the ADI collection."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from index.build import build_index
from index.smart import index_names, read_records, write_feed
from search.engine import Searcher
from search.evaluation import Question, evaluate, measure, questions_of
from search.judgements import BadJudgements, query_numbers, read_judgements
from search.request import MAX_QUERY_CHARS, SearchRequest
from tests.conftest import FIXTURES
from tests.test_cli import manage

ADI = FIXTURES / "adi"


def _file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_measures_match_a_hand_computation() -> None:
    # q1: relevant d1 (gain 2), d3 and d9 (gain 1), d5 judged not relevant; run d3 d2 d1.
    # q2: relevant d4, nothing found: scores 0 everywhere and still counts in the mean.
    grades = {"q1": {"d1": 2, "d3": 1, "d5": 0, "d9": 1}, "q2": {"d4": 1}}
    scores = measure({"q1": ["d3", "d2", "d1"], "q2": []}, grades)
    dcg = 1 / math.log2(2) + 2 / math.log2(4)
    ideal = 2 / math.log2(2) + 1 / math.log2(3) + 1 / math.log2(4)
    assert scores["nDCG@10"] == pytest.approx(dcg / ideal / 2, abs=1e-4)
    assert scores["MAP"] == pytest.approx((1 / 1 + 2 / 3) / 3 / 2, abs=1e-4)
    assert scores["P@10"] == pytest.approx(2 / 10 / 2, abs=1e-4)
    assert scores["Recall@100"] == pytest.approx(2 / 3 / 2, abs=1e-4)


def test_a_run_without_any_judged_question_is_refused() -> None:
    with pytest.raises(ValueError, match="none of the questions"):
        measure({"q7": ["d1"]}, {"q1": {"d1": 1}})


@pytest.mark.parametrize(
    ("text", "layout", "grades"),
    [
        ("1 0 13 1\n1 0 14 2\n2 Q0 3 0\n", "trec", {"1": {"13": 1, "14": 2}, "2": {"3": 0}}),
        ("  1   17   0   0.000000\n1 46 0 0.0\n", "smart", {"1": {"17": 1, "46": 1}}),
        ("1 184 2\n1 29 -1\n001 31 4\n", "cranfield", {"1": {"184": 3, "29": 0, "31": 1}}),
    ],
)
def test_judgement_layouts_are_detected(
    tmp_path: Path, text: str, layout: str, grades: dict[str, dict[str, int]]
) -> None:
    judgements = read_judgements(_file(tmp_path, "qrels", text))
    assert judgements.layout == layout
    assert judgements.grades == grades


def test_the_layout_can_be_named_instead_of_detected(tmp_path: Path) -> None:
    path = _file(tmp_path, "qrels", "1 2 3\n")
    assert read_judgements(path, "cranfield").grades == {"1": {"2": 2}}
    with pytest.raises(BadJudgements, match="line 1: '1 2 3' is not TREC"):
        read_judgements(path, "trec")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no judgements"),
        ("1 2\n", "line 1: '1 2' fits none"),
        ("1 0 13 1\n1 0 14\n", "line 2: '1 0 14' fits none"),
        ("q1 d1 relevant\n", "line 1: 'q1 d1 relevant' fits none"),
    ],
)
def test_bad_judgements_say_which_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(BadJudgements, match=message):
        read_judgements(_file(tmp_path, "qrels", text))


def test_queries_are_numbered_by_position_only_when_their_ids_do_not_fit() -> None:
    assert query_numbers(["001", "002", "004"], {"1": {}, "4": {}}) == (["1", "2", "4"], False)
    assert query_numbers(["001", "002", "004"], {"3": {}}) == (["1", "2", "3"], True)
    with pytest.raises(BadJudgements, match="does not have: 9"):
        query_numbers(["1", "2"], {"9": {}})


def test_a_query_with_a_title_is_asked_with_it(tmp_path: Path) -> None:
    path = _file(tmp_path, "q", ".I 1\n.T\nLibrary networks\n.A\nAvram\n.W\nWhere are they?\n")
    [question], _ = questions_of(read_records(path), {"1": {"3": 1}})
    assert question == Question("1", "Library networks Where are they?")


@pytest.fixture(scope="module")
def adi_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("adi")
    write_feed(read_records(ADI / "ADI.ALL"), folder / "adi.jsonl")
    build_index([folder / "adi.jsonl"], folder / "index")
    return folder / "index"


def test_evaluation_ranks_as_the_search_page_does(adi_index: Path) -> None:
    searcher = Searcher(adi_index)
    for record in read_records(ADI / "ADI.QRY"):
        text = record.question[:MAX_QUERY_CHARS]
        page = searcher.search(SearchRequest(query=text, per_page=10))
        assert searcher.ranked_ids(text, 10) == [hit.id for hit in page.hits], text
    searcher.close()


def test_adi_is_measured_over_every_judged_query(adi_index: Path) -> None:
    judgements = read_judgements(ADI / "ADI.REL")
    questions, by_position = questions_of(read_records(ADI / "ADI.QRY"), judgements.grades)
    searcher = Searcher(adi_index)
    result = evaluate(
        searcher, questions, judgements.grades, index_names(read_records(ADI / "ADI.ALL"))
    )
    searcher.close()
    assert not by_position and result.questions == len(judgements.grades) == 35
    assert set(result.run) == set(judgements.grades)
    assert all(len(ids) == len(set(ids)) <= 82 for ids in result.run.values())
    # Far above chance (about 0.05 for nDCG@10 with 82 documents and ~5 relevant each).
    assert result.measures["nDCG@10"] > 0.3 and result.measures["Recall@100"] > 0.8


def test_manage_eval_on_adi_prints_the_measures_and_writes_a_run(tmp_path: Path) -> None:
    run_file = tmp_path / "adi.run"
    args = ["--docs", str(ADI / "ADI.ALL"), "--queries", str(ADI / "ADI.QRY")]
    result = manage(
        "eval", *args, "--qrels", str(ADI / "ADI.REL"), "--json", "--run-out", str(run_file)
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["documents"] == 82 and figures["queries"] == 35
    assert figures["judgements"] == "smart"
    assert set(figures["measures"]) == {"nDCG@10", "MAP", "P@10", "Recall@100"}
    assert figures["query_ms"]["p95"] >= figures["query_ms"]["mean"] > 0
    lines = run_file.read_text().splitlines()
    _query, q0, doc, rank, _score, tag = lines[0].split()
    assert (q0, rank, tag) == ("Q0", "1", "scoop") and doc.isdigit()
    assert {line.split()[0] for line in lines} == {str(n) for n in range(1, 36)}
    text = manage("eval", *args, "--qrels", str(ADI / "ADI.REL"))
    assert text.returncode == 0, text.stderr
    assert "nDCG@10" in text.stdout and "query time" in text.stdout
    assert f"{figures['measures']['MAP']:.4f}" in text.stdout


def test_manage_eval_reports_bad_files_without_a_traceback(tmp_path: Path) -> None:
    docs, queries = str(ADI / "ADI.ALL"), str(ADI / "ADI.QRY")
    garbage = _file(tmp_path, "qrels", "not judgements at all\n")
    result = manage("eval", "--docs", docs, "--queries", queries, "--qrels", str(garbage))
    assert result.returncode == 2 and "fits none of the layouts" in result.stderr
    foreign = _file(tmp_path, "foreign", "900 3 0 0.0\n")
    result = manage("eval", "--docs", docs, "--queries", queries, "--qrels", str(foreign))
    assert result.returncode == 2 and "does not have: 900" in result.stderr
    empty = _file(tmp_path, "empty.all", "no records here\n")
    result = manage("eval", "--docs", str(empty), "--queries", queries, "--qrels", str(garbage))
    assert result.returncode == 2
    result = manage(
        "eval", "--docs", str(empty), "--queries", queries, "--qrels", str(ADI / "ADI.REL")
    )
    assert result.returncode == 2 and "no .I records" in result.stderr
    assert "Traceback" not in result.stderr


def test_untitled_and_bodiless_documents_are_indexed(tmp_path: Path) -> None:
    path = _file(tmp_path, "docs", ".I 1\n.W\nfluid flow past a plate\n.I 2\n.T\nPlate flow\n")
    write_feed(read_records(path), tmp_path / "docs.jsonl")
    report = build_index([tmp_path / "docs.jsonl"], tmp_path / "index")
    assert report.indexed == 2 and not report.problems
    searcher = Searcher(tmp_path / "index")
    names = index_names(read_records(path))
    assert sorted(names[i] for i in searcher.ranked_ids("plate")) == ["1", "2"]
    searcher.close()
