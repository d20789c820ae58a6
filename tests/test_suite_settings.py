"""The suite's own settings, as the project's test command applies them: in CI every
property test runs derandomised (the same examples every run), locally with fresh ones."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

CI_VARIABLES = (
    "CI",
    "__TOX_ENVIRONMENT_VARIABLE_ORIGINAL_CI",
    "TF_BUILD",
    "bamboo.buildKey",
    "BUILDKITE",
    "CIRCLECI",
    "CIRRUS_CI",
    "CODEBUILD_BUILD_ID",
    "GITHUB_ACTIONS",
    "GITLAB_CI",
    "HEROKU_TEST_RUN_ID",
    "TEAMCITY_VERSION",
)
"""The variables by which Hypothesis recognises a CI service (and loads its "ci" profile)."""
REPORT = """
import json, os

def pytest_collection_finish(session):
    seen = {}
    for item in session.items:
        chosen = getattr(getattr(item, "obj", None), "_hypothesis_internal_use_settings", None)
        if chosen is not None:
            seen[item.nodeid] = [chosen.derandomize, chosen.database is None]
    with open(os.environ["SETTINGS_REPORT"], "w") as out:
        json.dump(seen, out)
"""
"""A pytest plugin that records each collected property test's effective settings."""


def _collected_settings(tmp_path: Path, environment: dict[str, str]) -> dict[str, list[bool]]:
    """(derandomize, no example database) of every property test in two test files,
    collected by ``pytest`` as ``./scripts/test`` runs it, in ``environment``."""
    (tmp_path / "settings_report.py").write_text(REPORT, encoding="utf-8")
    report = tmp_path / "settings.json"
    clean = {name: value for name, value in os.environ.items() if name not in CI_VARIABLES}
    command = [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"]
    command += ["-p", "settings_report", "tests/test_properties.py", "tests/test_analysis.py"]
    collected = subprocess.run(
        command,
        cwd=ROOT,
        env={**clean, **environment, "PYTHONPATH": str(tmp_path), "SETTINGS_REPORT": str(report)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert collected.returncode == 0, collected.stdout + collected.stderr
    seen = dict(json.loads(report.read_text(encoding="utf-8")))
    assert len(seen) >= 9, seen  # the property tests of both files
    return seen


@pytest.mark.parametrize("variable", [("CI", "true"), ("CI", "1"), ("TEAMCITY_VERSION", "2024.12")])
def test_in_ci_every_property_test_is_derandomised(
    tmp_path: Path, variable: tuple[str, str]
) -> None:
    name, value = variable
    seen = _collected_settings(tmp_path, {name: value})
    assert {test: flags for test, flags in seen.items() if flags != [True, True]} == {}


def test_a_local_run_draws_new_examples(tmp_path: Path) -> None:
    seen = _collected_settings(tmp_path, {})
    derandomised = {test for test, (derandomize, _) in seen.items() if derandomize}
    # Only the scrape parser's tests pin their examples for themselves; none is here.
    assert derandomised == set()
