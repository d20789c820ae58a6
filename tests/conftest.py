"""Shared test fixtures: paths to bundled data and real indexes built in temp folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.build import build_index

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
REFERENCE = SAMPLES / "articles" / "000_a3014da985c4d46f.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real index of the bundled samples, built once per test session (read-only)."""
    root = tmp_path_factory.mktemp("sample-index")
    build_index([SAMPLES], root)
    return root
