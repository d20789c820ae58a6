"""The JSON API and its contract: every response checked against web/openapi.json.

Unit-level tests use Flask's test client on a real index; HTTP-level tests talk to the real
gunicorn server (``live_server``). Responses are validated against a strict copy of the
OpenAPI document in which no object may carry an undocumented member.
"""

from __future__ import annotations

import copy
import http.client
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import jsonschema
import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from openapi_spec_validator import validate as validate_openapi
from werkzeug.datastructures import Headers

from index.build import build_index
from manage import cli
from tests.conftest import SAMPLES, index_records
from web import create_app

OPENAPI_FILE = Path(__file__).resolve().parent.parent / "web" / "openapi.json"
SPEC: dict[str, Any] = json.loads(OPENAPI_FILE.read_text(encoding="utf-8"))
REFERENCE_TITLE = "China May Be Preparing for North Korean Exodus"
ORIGIN = "https://newsroom.example"


def _strict(schema: Any) -> Any:
    """A copy in which every object schema with ``properties`` allows nothing else."""
    if isinstance(schema, list):
        return [_strict(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    strict = {key: _strict(value) for key, value in schema.items()}
    if "properties" in strict and "additionalProperties" not in strict:
        strict["additionalProperties"] = False
    return strict


STRICT_COMPONENTS = _strict(copy.deepcopy(SPEC["components"]))


def assert_valid(data: Any, schema: dict[str, Any]) -> None:
    """Validate ``data`` against a schema that may ``$ref`` the document's components."""
    jsonschema.validate(
        data,
        {**schema, "components": STRICT_COMPONENTS},
        cls=jsonschema.Draft202012Validator,
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )


@dataclass(frozen=True)
class Answer:
    """A response from either the test client or the live server."""

    status: int
    headers: Headers
    body: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "").split(";")[0].strip()

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        *_, kind, name = node["$ref"].split("/")
        node = SPEC["components"][kind][name]
    return node


def conforms(answer: Answer, path: str, method: str = "get") -> Answer:
    """Assert the answer is one the OpenAPI document promises for this operation."""
    operation = SPEC["paths"][path][method]
    assert str(answer.status) in operation["responses"], (answer.status, answer.body[:300])
    documented = _resolve(operation["responses"][str(answer.status)])
    for name, header in documented.get("headers", {}).items():
        header = _resolve(header)
        value = answer.headers.get(name)
        if header.get("required"):
            assert value is not None, f"{name} missing on {answer.status}"
        if value is not None:
            assert_valid(value, header["schema"])
    content = documented.get("content")
    if content is None:
        assert answer.body == b""
        return answer
    assert answer.content_type in content, answer.content_type
    if answer.content_type.endswith("json"):
        assert_valid(answer.json(), content[answer.content_type]["schema"])
    return answer


def is_problem(answer: Answer, status: int) -> dict[str, Any]:
    """Assert an RFC 9457 problem document with this status; return it."""
    assert answer.status == status, (answer.status, answer.body[:300])
    assert answer.content_type == "application/problem+json"
    problem = answer.json()
    assert_valid(problem, {"$ref": "#/components/schemas/Problem"})
    assert problem["status"] == status and problem["detail"]
    return dict(problem)


@pytest.fixture(scope="module")
def app(sample_index: Path) -> Flask:
    return create_app({"INDEX": str(sample_index)})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def get(client: FlaskClient, url: str, **kwargs: Any) -> Answer:
    response = client.get(url, **kwargs)
    return Answer(response.status_code, Headers(response.headers), response.get_data())


def reference_hit(response: dict[str, Any]) -> dict[str, Any]:
    [hit] = [h for h in response["hits"] if h["title"] == REFERENCE_TITLE]
    return dict(hit)


# The contract itself


def test_the_openapi_document_is_valid_openapi_3_1() -> None:
    validate_openapi(SPEC)
    assert SPEC["openapi"].startswith("3.1")


def test_the_served_document_is_the_one_in_the_repository(client: FlaskClient) -> None:
    answer = get(client, "/api/openapi.json")
    assert answer.status == 200 and answer.content_type == "application/json"
    assert answer.json() == SPEC
    assert (
        get(client, "/api/openapi.json", headers={"If-None-Match": answer.headers["ETag"]}).status
        == 304
    )


def _shape(rule: str) -> str:
    return re.sub(r"<[^>]+>|\{[^}]+\}", "{}", rule)


def test_every_api_route_is_documented_and_every_documented_path_is_routed(app: Flask) -> None:
    routed = {
        _shape(rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/") or rule.rule in {"/healthz", "/search.csv", "/search.atom"}
    }
    assert routed == {_shape(path) for path in SPEC["paths"]}
    for path, item in SPEC["paths"].items():
        assert set(item) == {"get"}, path


def test_every_schema_member_has_a_description() -> None:
    def walk(node: Any, where: str) -> Iterator[str]:
        if isinstance(node, dict):
            for name, member in node.get("properties", {}).items():
                if "description" not in member:
                    yield f"{where}.{name}"
            for key, value in node.items():
                yield from walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for item in node:
                yield from walk(item, where)

    assert list(walk(SPEC, "")) == []


# /api/search


def test_search_finds_the_reference_article_with_a_highlighted_paragraph(
    client: FlaskClient,
) -> None:
    answer = conforms(get(client, "/api/search?q=interpreters"), "/api/search")
    response = answer.json()
    assert response["query"] == "interpreters" and response["total"] >= 1
    assert (response["page"], response["per_page"], response["notices"]) == (1, 10, [])
    hit = reference_hit(response)
    assert hit["url"] == f"/articles/{hit['id']}" and hit["authors"] == ["Joshua Philipp"]
    assert hit["published"] == "2017-05-04"
    fragment = hit["highlights"]["body"][0]
    assert "<mark>interpreters</mark>" in fragment["html"] and fragment["paragraph"] >= 1
    start, end = fragment["marks"][0]
    assert fragment["text"][start:end] == "interpreters"
    assert fragment["paragraph"] in hit["match"]["paragraphs"]


def test_search_json_is_the_shape_search_json_prints(
    client: FlaskClient, sample_index: Path
) -> None:
    api = get(client, "/api/search?q=harbour+bridge&per_page=5").json()
    printed = CliRunner().invoke(
        cli, ["search", "harbour bridge", "--limit", "5", "--index", str(sample_index), "--json"]
    )
    assert printed.exit_code == 0, printed.output
    cli_json = json.loads(printed.output)
    for response in (api, cli_json):
        response.pop("took_ms")
    assert api == cli_json


@pytest.mark.parametrize(
    "query",
    [
        "q=bridge&sort=newest&per_page=3&page=2",
        "q=bridge&sort=oldest",
        "q=flood&in=titles",
        "q=bridge&in=captions&caption=true",
        "q=harbour&within=bridge",
        "q=%22harbour+bridge%22",
        "q=bridge&author=Daniel+Reyes&author=Amara+Nwosu",
        "q=bridge&since=2009-01-01&until=2009-12-31",
        "year=2018&month=12",
        "q=brigde",
        "q=",
        "",
        "q=rail*+-tax",
        "q=title:bridge+published:2009",
    ],
)
def test_search_answers_every_parameter_within_the_contract(
    client: FlaskClient, query: str
) -> None:
    conforms(get(client, f"/api/search?{query}"), "/api/search")


def test_filters_and_facets(client: FlaskClient) -> None:
    by = get(client, "/api/search?q=bridge&author=Daniel+Reyes&per_page=50").json()
    assert by["hits"] and all("Daniel Reyes" in hit["authors"] for hit in by["hits"])
    dated = get(client, "/api/search?q=bridge&since=2009-01-01&until=2009-12-31").json()
    assert dated["hits"] and all(h["published"].startswith("2009-") for h in dated["hits"])
    month = get(client, "/api/search?year=2018&month=12").json()
    assert month["total"] >= 1 and month["facets"]["month"] == [
        {"value": "2018-12", "count": month["total"], "articles": month["articles"]}
    ]
    first = get(client, "/api/search?q=bridge&per_page=2").json()
    second = get(client, "/api/search?q=bridge&per_page=2&page=2").json()
    assert {h["id"] for h in first["hits"]}.isdisjoint(h["id"] for h in second["hits"])
    assert second["page"] == 2 and first["total"] == second["total"]


def test_caption_matches_come_with_their_credit_and_position(client: FlaskClient) -> None:
    response = get(client, "/api/search?q=bridge&in=captions").json()
    captions = [c for hit in response["hits"] for c in hit["highlights"]["captions"]]
    assert captions and all(c["index"] >= 1 and "<mark>" in c["html"] for c in captions)
    assert any(c["credit"] for c in captions)


def test_a_malformed_query_is_read_as_words_with_a_notice(client: FlaskClient) -> None:
    answer = conforms(get(client, "/api/search?q=%22harbour+(bridge"), "/api/search")
    response = answer.json()
    assert response["query"] == "harbour bridge"
    assert any("read as plain words" in notice for notice in response["notices"])


def test_a_misspelling_gets_a_suggestion(client: FlaskClient) -> None:
    response = get(client, "/api/search?q=brdge").json()
    assert response["suggestion"] == "bridge"


def test_json_is_utf8_with_non_ascii_kept_readable(client: FlaskClient) -> None:
    answer = get(client, "/api/search?q=pyongyang")
    assert answer.status == 200 and answer.content_type == "application/json"
    assert "Pyŏngyang".encode() in answer.body and b"\\u" not in answer.body
    assert any("Pyŏngyang" in hit["title"] for hit in answer.json()["hits"])


# Errors


@pytest.mark.parametrize(
    ("url", "parameter", "words"),
    [
        ("/api/search?q=x&page=0", "page", "between 1 and 100"),
        ("/api/search?q=x&page=101", "page", "between 1 and 100"),
        ("/api/search?q=x&page=two", "page", "whole number"),
        ("/api/search?q=x&per_page=10000", "per_page", "between 1 and 50"),
        ("/api/search?q=x&since=2017-02-30", "since", "a date like"),
        ("/api/search?q=x&until=yesterday", "until", "a date like"),
        ("/api/search?q=x&since=2018-01-01&until=2017-01-01", "since", "after until"),
        ("/api/search?q=x&sort=best", "sort", "relevance, newest, oldest"),
        ("/api/search?q=x&in=footnotes", "in", "all, body, captions, titles"),
        ("/api/search?q=x&month=5", "month", "needs a year"),
        ("/api/search?q=x&caption=maybe", "caption", "true or false"),
        ("/api/search?" + urlencode({"q": "x" * 1001}), "q", "limit is 1000"),
        (
            "/api/search?" + urlencode({"author": [f"a{i}" for i in range(21)]}, True),
            "author",
            "20",
        ),
        ("/api/suggest?" + urlencode({"q": "x" * 1001}), "q", "limit is 1000"),
    ],
)
def test_bad_parameters_are_400_problems_naming_the_parameter(
    client: FlaskClient, url: str, parameter: str, words: str
) -> None:
    answer = get(client, url)
    problem = is_problem(answer, 400)
    assert problem["parameter"] == parameter and words in problem["detail"]
    conforms(answer, urlsplit(url).path)


def test_an_unknown_article_is_a_404_problem(client: FlaskClient) -> None:
    answer = get(client, "/api/articles/0000000000000000")
    assert "0000000000000000" in is_problem(answer, 404)["detail"]
    conforms(answer, "/api/articles/{id}")
    is_problem(get(client, "/api/articles/not-an-id"), 404)
    is_problem(get(client, "/api/articles/0000000000000000", headers={"If-None-Match": "*"}), 404)


def test_an_unknown_api_path_is_a_404_problem(client: FlaskClient) -> None:
    is_problem(get(client, "/api/nothing-here"), 404)


@pytest.mark.parametrize(
    ("method", "url"),
    [("POST", "/api/search"), ("DELETE", "/api/articles/0000000000000000"), ("PUT", "/healthz")],
)
def test_other_methods_are_405_problems_with_allow(
    client: FlaskClient, method: str, url: str
) -> None:
    response = client.open(url, method=method)
    answer = Answer(response.status_code, Headers(response.headers), response.get_data())
    problem = is_problem(answer, 405)
    assert set(answer.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert method in problem["detail"] and "GET" in problem["detail"]


def test_a_body_over_the_limit_is_a_413_problem(client: FlaskClient, app: Flask) -> None:
    body = b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post("/api/search", data=body, content_type="text/plain")
    answer = Answer(response.status_code, Headers(response.headers), response.get_data())
    assert "limit is 65536" in is_problem(answer, 413)["detail"]


def test_a_url_over_the_limit_is_a_414_problem(client: FlaskClient, app: Flask) -> None:
    answer = get(client, "/api/search?q=" + "x" * app.config["MAX_URL_CHARS"])
    assert f"limit is {app.config['MAX_URL_CHARS']}" in is_problem(answer, 414)["detail"]
    conforms(answer, "/api/search")


def test_no_index_is_a_503_problem(tmp_path: Path) -> None:
    empty = create_app({"INDEX": str(tmp_path / "none")}).test_client()
    for url, path in [("/healthz", "/healthz"), ("/api/search?q=x", "/api/search")]:
        answer = get(empty, url)
        detail = is_problem(answer, 503)["detail"]
        assert "manage.py reindex" in detail
        assert str(tmp_path) not in detail  # server paths are logged, not published
        conforms(answer, path)


# /api/suggest, /api/articles/<id>, /healthz


def test_suggest_completes_the_last_word(client: FlaskClient) -> None:
    answer = conforms(get(client, "/api/suggest?q=harbour+bri"), "/api/suggest")
    assert answer.json()["query"] == "harbour bri"
    assert "harbour bridge" in answer.json()["completions"]
    assert get(client, "/api/suggest?q=").json()["completions"] == []
    assert get(client, "/api/suggest").json() == {
        "query": "",
        "completions": [],
        "authors": [],
        "headlines": [],
    }


def test_suggest_groups_words_bylines_and_headlines(client: FlaskClient) -> None:
    """``harbour b`` completes by what follows "harbour" in the archive, not by how
    common a b-word is; names and headlines come in their own groups."""
    answer = conforms(get(client, "/api/suggest?q=harbour+b"), "/api/suggest").json()
    assert answer["completions"][0] == "harbour bridge"
    assert all("Harbour Bridge" in item["title"] for item in answer["headlines"])
    assert len(answer["headlines"]) == 3
    assert answer["headlines"][0]["url"] == f"/articles/{answer['headlines'][0]['id']}"
    assert get(client, "/api/suggest?q=light+r").json()["completions"][0] == "light rail"
    assert get(client, "/api/suggest?q=grace").json()["authors"] == ["Grace Liang"]
    assert get(client, "/api/suggest?q=herr").json()["authors"] == ["Tomás Herrera"]
    assert get(client, "/api/suggest?q=Zu").json()["completions"] == ["Zürich"]
    assert get(client, "/api/suggest?q=grace").json()["headlines"] == []


def test_article_is_the_whole_article(client: FlaskClient) -> None:
    hit = reference_hit(get(client, "/api/search?q=interpreters").json())
    answer = conforms(get(client, f"/api/articles/{hit['id']}"), "/api/articles/{id}")
    article = answer.json()
    assert (article["id"], article["title"], article["url"]) == (
        hit["id"],
        hit["title"],
        hit["url"],
    )
    assert article["published"] == "2017-05-04" and len(article["paragraphs"]) >= 9
    assert "interpreters" in article["paragraphs"][hit["highlights"]["body"][0]["paragraph"] - 1]
    assert [c["index"] for c in article["captions"]] == list(range(1, len(article["captions"]) + 1))


def test_health_names_the_generation_and_is_never_cached(
    client: FlaskClient, sample_index: Path
) -> None:
    answer = conforms(get(client, "/healthz"), "/healthz")
    health = answer.json()
    assert health["generation"] == (sample_index / "CURRENT").read_text().strip()
    assert health["articles"] == get(client, "/api/search").json()["articles"] > 20
    assert answer.headers["Cache-Control"] == "no-store" and "ETag" not in answer.headers


# Caching


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("/api/search?q=bridge", "/api/search"),
        ("/api/suggest?q=bri", "/api/suggest"),
        ("/api/articles/{id}", "/api/articles/{id}"),
    ],
)
def test_conditional_get_answers_304_without_a_body(
    client: FlaskClient, url: str, path: str
) -> None:
    article_id = reference_hit(get(client, "/api/search?q=interpreters").json())["id"]
    url = url.replace("{id}", article_id)
    first = conforms(get(client, url), path)
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "public, max-age=60"
    again = conforms(get(client, url, headers={"If-None-Match": etag}), path)
    assert again.status == 304 and again.body == b"" and again.headers["ETag"] == etag
    strong = get(client, url, headers={"If-None-Match": etag.removeprefix("W/")})
    assert strong.status == 304  # If-None-Match compares weakly
    listed = get(client, url, headers={"If-None-Match": f'"other", {etag}'})
    assert listed.status == 304
    assert get(client, url, headers={"If-None-Match": '"other"'}).status == 200


def test_different_requests_have_different_etags(client: FlaskClient) -> None:
    tags = {
        get(client, url).headers["ETag"]
        for url in (
            "/api/search?q=bridge",
            "/api/search?q=bridge&page=2",
            "/api/search?q=flood",
            "/api/suggest?q=bridge",
        )
    }
    assert len(tags) == 4


def test_a_reindex_changes_every_etag(tmp_path: Path) -> None:
    root = tmp_path / "index"
    build_index([SAMPLES], root)
    client = create_app({"INDEX": str(root)}).test_client()
    urls = ["/api/search?q=bridge", "/api/suggest?q=bri"]
    article_id = get(client, "/api/search?q=bridge").json()["hits"][0]["id"]
    urls.append(f"/api/articles/{article_id}")
    before = {url: get(client, url).headers["ETag"] for url in urls}
    build_index([SAMPLES], root)
    for url, etag in before.items():
        answer = get(client, url, headers={"If-None-Match": etag})
        assert answer.status == 200 and answer.headers["ETag"] != etag, url
    assert get(client, "/api/search?q=bridge").json()["generation"] == (
        (root / "CURRENT").read_text().strip()
    )


# CORS


def test_cors_is_off_by_default(client: FlaskClient) -> None:
    answer = get(client, "/api/search?q=bridge", headers={"Origin": ORIGIN})
    assert "Access-Control-Allow-Origin" not in answer.headers
    assert "Origin" not in answer.headers.get("Vary", "")


@pytest.fixture
def cors_client(sample_index: Path) -> FlaskClient:
    return create_app({"INDEX": str(sample_index), "CORS_ORIGINS": [ORIGIN]}).test_client()


def test_cors_allows_the_configured_origins(cors_client: FlaskClient) -> None:
    answer = get(cors_client, "/api/search?q=bridge", headers={"Origin": ORIGIN})
    assert answer.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert answer.headers["Access-Control-Expose-Headers"] == "ETag"
    assert "Origin" in answer.headers["Vary"]
    error = get(cors_client, "/api/search?page=0", headers={"Origin": ORIGIN})
    assert error.status == 400 and error.headers["Access-Control-Allow-Origin"] == ORIGIN
    other = get(cors_client, "/api/search?q=bridge", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers
    assert "Origin" in other.headers["Vary"]
    page = get(cors_client, "/search?q=bridge", headers={"Origin": ORIGIN})
    assert "Access-Control-Allow-Origin" not in page.headers


def test_cors_preflight(cors_client: FlaskClient) -> None:
    response = cors_client.options(
        "/api/search",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "GET" in response.headers["Access-Control-Allow-Methods"]
    assert response.headers["Access-Control-Allow-Headers"] == "If-None-Match"


@pytest.mark.parametrize("value", [f'["{ORIGIN}"]', ORIGIN])
def test_cors_origins_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, sample_index: Path, value: str
) -> None:
    monkeypatch.setenv("SCOOP_CORS_ORIGINS", value)
    client = create_app({"INDEX": str(sample_index)}).test_client()
    allowed = get(client, "/api/suggest?q=bri", headers={"Origin": ORIGIN})
    assert allowed.headers["Access-Control-Allow-Origin"] == ORIGIN
    prefix = get(client, "/api/suggest?q=bri", headers={"Origin": ORIGIN[:-3]})
    assert "Access-Control-Allow-Origin" not in prefix.headers


def test_cors_star_allows_any_origin(sample_index: Path) -> None:
    client = create_app({"INDEX": str(sample_index), "CORS_ORIGINS": ["*"]}).test_client()
    answer = get(client, "/healthz", headers={"Origin": "https://anyone.example"})
    assert answer.headers["Access-Control-Allow-Origin"] == "https://anyone.example"


# Over HTTP, against the real server


def fetch(
    base: str,
    path: str,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: bytes = b"",
) -> Answer:
    """One raw HTTP request to the live server (no redirects, no client-side checks)."""
    connection = http.client.HTTPConnection(urlsplit(base).netloc, timeout=30)
    try:
        connection.request(method, path, body=body or None, headers=headers or {})
        response = connection.getresponse()
        return Answer(response.status, Headers(response.getheaders()), response.read())
    finally:
        connection.close()


def test_http_search_for_interpreters_returns_the_reference_article(live_server: str) -> None:
    answer = conforms(fetch(live_server, "/api/search?q=interpreters"), "/api/search")
    assert answer.headers["Content-Type"] == "application/json"
    fragment = reference_hit(answer.json())["highlights"]["body"][0]
    assert "<mark>interpreters</mark>" in fragment["html"] and fragment["paragraph"] == 2


def test_http_every_endpoint_conforms(live_server: str) -> None:
    search = conforms(fetch(live_server, "/api/search?q=pyongyang"), "/api/search").json()
    assert "Pyŏngyang".encode() in fetch(live_server, "/api/search?q=pyongyang").body
    article_id = search["hits"][0]["id"]
    conforms(fetch(live_server, f"/api/articles/{article_id}"), "/api/articles/{id}")
    conforms(fetch(live_server, "/api/suggest?q=" + quote("pyŏ")), "/api/suggest")
    conforms(fetch(live_server, "/healthz"), "/healthz")
    assert fetch(live_server, "/api/openapi.json").json() == SPEC


def test_http_errors_are_problems(live_server: str) -> None:
    bad = fetch(live_server, "/api/search?q=x&since=2017-13-01")
    assert is_problem(bad, 400)["parameter"] == "since"
    conforms(bad, "/api/search")
    missing = fetch(live_server, "/api/articles/0000000000000000")
    is_problem(missing, 404)
    conforms(missing, "/api/articles/{id}")
    post = fetch(live_server, "/api/search", method="POST")
    is_problem(post, 405)
    assert "GET" in post.headers["Allow"]
    huge = fetch(
        live_server,
        "/api/search",
        method="POST",
        headers={"Content-Type": "application/json"},
        body=b" " * 100_000,
    )
    is_problem(huge, 413)
    long = fetch(live_server, "/api/search?q=" + "x" * 8100)
    is_problem(long, 414)
    conforms(long, "/api/search")


def test_http_conditional_get_and_no_cors_by_default(live_server: str) -> None:
    first = fetch(live_server, "/api/search?q=bridge", headers={"Origin": ORIGIN})
    assert first.status == 200 and "Access-Control-Allow-Origin" not in first.headers
    again = fetch(
        live_server, "/api/search?q=bridge", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status == 304 and again.body == b""
    conforms(again, "/api/search")


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://example.org/a", "https://example.org/a"),
        (" HTTP://example.org/b ", "HTTP://example.org/b"),
        ("javascript:alert(1)", None),
        ("JavaScript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("//example.org/c", None),
    ],
)
def test_only_web_addresses_are_handed_out_as_source_urls(
    tmp_path: Path, url: str, shown: str | None
) -> None:
    root = index_records(
        [{"id": "x", "title": "Harbour", "body": ["Harbour."], "url": url}], tmp_path
    )
    client = create_app({"INDEX": str(root)}).test_client()
    hit = client.get("/api/search?q=harbour").get_json()["hits"][0]
    article = client.get(f"/api/articles/{hit['id']}").get_json()
    page = client.get(f"/articles/{hit['id']}").get_data(as_text=True)
    assert hit["source_url"] == article["source_url"] == shown
    assert ("Originally published at" in page) == (shown is not None)
    assert "javascript:" not in page.lower() and "data:text" not in page
