"""Property-based fuzzing of the live server from its OpenAPI document (schemathesis).

The document is read from web/openapi.json, the file the server serves (tests/test_api.py
checks they are the same). For every operation, schemathesis sends its coverage cases
(boundary and invalid values of each parameter, other methods) and then requests generated
from the document, and checks each response: no server error, a documented status, content
type and headers, and a body that fits the schema. Bounded for CI by the number of generated
requests per operation; no deadline.
"""

from __future__ import annotations

from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import Case
from schemathesis.checks import (
    allow_header_conformance,
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

OPENAPI_FILE = Path(__file__).resolve().parent.parent / "web" / "openapi.json"
GENERATED_PER_OPERATION = 150
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    unsupported_method,
    allow_header_conformance,
]

schema = schemathesis.openapi.from_path(OPENAPI_FILE)


@schema.parametrize()
@settings(
    max_examples=GENERATED_PER_OPERATION,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
def test_the_live_api_keeps_its_contract(case: Case, live_server: str) -> None:
    case.call_and_validate(base_url=live_server, checks=CHECKS)
