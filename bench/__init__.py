"""Benchmark of Scoop against peer search engines; run with ``python -m bench``."""
