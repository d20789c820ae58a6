"""The word-frequency list the archive corpus generator draws from.

    python -m bench.vocabulary          # rewrite bench/data/vocabulary.tsv

The list is made once from the bundled sample articles (``samples/``, read with
Scoop's own parser: headlines, paragraphs and captions, no bylines or credits; weighted
up so that news words are not drowned out) and the documents of the IR test
collections in ``../shared/data/ir/`` (Cranfield, CISI, Medline, ADI), and
committed, so the generator needs neither and produces the same bytes on every
machine. Each line is ``word<TAB>count``, most frequent first; a word keeps the
spelling it has most often in the texts (``China``, ``said``).
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

from bench.corpus import data_root
from bench.machine import REPO
from index.smart import iter_records

VOCABULARY = Path(__file__).resolve().parent / "data" / "vocabulary.tsv"
SAMPLES_WEIGHT = 10
"""Each word of a sample article counts this many times (25 articles against ~4,000 abstracts)."""
MIN_PROPER_COUNT = 5
"""A capitalised spelling is kept only for words seen at least this often."""
IR_FILES = ("cran/cran.all.1400", "cisi/CISI.ALL", "med/MED.ALL", "adi/ADI.ALL")
_WORD = re.compile(r"[A-Za-z]+")


def _count(text: str, weight: int, surface: Counter[str], counts: Counter[str]) -> None:
    for word in _WORD.findall(text):
        if len(word) == 1 and word.lower() not in ("a", "i"):
            continue
        counts[word.lower()] += weight
        surface[word] += weight


def build(samples: Path, ir_root: Path) -> list[tuple[str, int]]:
    """(word, count) pairs, most frequent first, ties by word."""
    surface: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    from index.articles import read_articles
    from index.model import Article

    for article in read_articles([samples]):  # headline, body and captions; no credits, bylines
        if isinstance(article, Article):
            text = " ".join(
                [article.title, *article.paragraphs, *(c.text for c in article.captions)]
            )
            _count(text, SAMPLES_WEIGHT, surface, counts)
    for name in IR_FILES:
        for record in iter_records(ir_root / name):
            _count(f"{record.title} {record.text}", 1, surface, counts)
    forms: dict[str, list[tuple[int, str]]] = {}
    for form, n in surface.items():
        forms.setdefault(form.lower(), []).append((n, form))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [(_spelling(word, forms[word]), n) for word, n in ranked]


def _spelling(word: str, forms: list[tuple[int, str]]) -> str:
    """The commonest form, but lower case when that is common too (a capital that only
    starts sentences or a title does not make a proper noun) or the word is rare."""
    lower = sum(n for n, form in forms if form == word)
    n, form = max(forms, key=lambda item: (item[0], item[1] == word))
    return word if lower * 3 >= n or n < MIN_PROPER_COUNT else form


def load(path: Path = VOCABULARY) -> list[tuple[str, int]]:
    """The committed (word, count) list."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        word, count = line.split("\t")
        rows.append((word, int(count)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="the ir/ collections folder")
    parser.add_argument("--out", type=Path, default=VOCABULARY)
    args = parser.parse_args()
    rows = build(REPO / "samples", args.data or data_root())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("".join(f"{w}\t{n}\n" for w, n in rows), encoding="utf-8")
    print(f"{len(rows)} words, {sum(n for _, n in rows)} tokens -> {args.out}")


if __name__ == "__main__":
    main()
