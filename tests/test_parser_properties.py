"""Property tests of the scrape parser: any text never raises, and every line is accounted for.

Every non-blank line of the input ends up in exactly one section (headline, dek, byline,
date, caption, paragraph, bio) or in the reported junk, and its text is in that section.
Derandomised: the same examples on every run, so CI never fails on a new random draw.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import event, given, settings
from hypothesis import strategies as st

from index.articles import read_scrape
from index.model import SECTIONS, Article, Line
from index.scrape import CREDIT_OF, JUNK_CUT, Reading, parse_text
from index.sources import SourceFile
from index.text import clean_text, fold

SETTINGS = settings(max_examples=400, deadline=None, derandomize=True)

NEWS_LINES = st.sampled_from(
    [
        "Ferry Fares to Rise in January",
        "Mayor: “We Will Rebuild the Pier,” Whatever It Costs",
        'Mayor: "We Will Rebuild the Pier," Whatever It Costs',
        "By Ana Silva and Tom Reed",
        "By Ana Silva, Staff Writer",
        "Staff Writer",
        "Reuters",
        "Hannah Park",
        "By Ana Silva | December 2, 2026",
        "Tuesday, December 2, 2026",
        "December 2, 2026 8:15 AM ET",
        "Dec. 2nd, 2026",
        "12/2/26",
        "5/4/2017",
        "Updated:",
        "Updated: May 5, 2017",
        "Tue, 02 Dec 2026 08:15:00 GMT",
        "A ferry leaves Pier 4 on Dec. 1, 2026. (Photo by Lena Ortiz)",
        "A ferry leaves Pier 4 on Dec. 1, 2026.",
        "A pup is weighed. (Hannah Park for Scoop)",
        "Seals near Incheon. (Yonhap via Reuters)",
        "The new pool. Courtesy of Maren Marine Rescue Centre",
        "Photo: Lena Ortiz",
        "(GREG BAKER/AFP/Getty Images)",
        "Allies met in Brussels (NATO)",
        "Prices rose (via Bloomberg)",
        "Volunteers count seals at low tide",
        "The board voted on Monday to raise fares by 25 cents from January.",
        "Board chair Olga Petrenko said costs had risen faster than expected.",
        "a short wrapped line without a stop",
        "Park is not sure he will run again.",
        "Hannah Park is a reporter at the Scoop.",
        "Park covers food for the Scoop.",
        "Reporting by Ana Silva; Editing by Tom Reed",
        "He said. (Reporting by Ana Silva)",
        "Ana Silva is the Scoop’s transport reporter.twitter facebook",
        "Advertisement",
        "Share this article",
        "twitter",
        "facebook email print",
        "© 2026 The Scoop.",
        "São Paulo, Zürich, Kraków, Pyŏngyang",
        "",
        "   ",
        "\u00a0",
    ]
)
ANY_LINE = st.one_of(NEWS_LINES, NEWS_LINES, NEWS_LINES, st.text(max_size=80))
SCRAPES = st.lists(ANY_LINE, max_size=40).map("\n".join)


def _read(text: str) -> Reading:
    return parse_text(text, "prop.txt", "prop.txt")


def _content(article: Article, line: Line) -> bool:
    """Whether the line's text is in the section it was put in."""
    text = line.text
    if line.note.startswith(JUNK_CUT):
        text = text[: len(text) - len(line.note.removeprefix(JUNK_CUT))].rstrip()
    if line.section == "headline":
        return fold(text) == fold(article.title)
    if line.section == "dek":
        return fold(text) == fold(article.dek)
    if line.section == "paragraph":
        return line.index is not None and text in article.paragraphs[line.index - 1]
    if line.section == "caption" and line.note.startswith(CREDIT_OF):
        return line.index is not None and article.captions[line.index - 1].credit is not None
    if line.section == "caption":
        return line.index is not None and fold(article.captions[line.index - 1].text) in fold(text)
    if line.section == "bio":
        return text in article.bio
    return line.section in ("byline", "date") or (line.section == "junk" and bool(line.note))


@SETTINGS
@given(SCRAPES)
def test_any_text_never_raises_and_every_line_lands_once(text: str) -> None:
    reading = _read(text)
    if reading.article is None:
        event("not an article")
        assert reading.problem is not None and reading.problem.reason
        return
    event("article")
    numbers = [i for i, line in enumerate(text.split("\n"), start=1) if clean_text(line)]
    placed = [line.number for line in reading.lines]
    assert sorted(placed) == numbers, "each non-blank line is placed exactly once"
    for line in reading.lines:
        assert line.section in SECTIONS
        assert _content(reading.article, line), line


@SETTINGS
@given(st.binary(max_size=600))
def test_any_bytes_never_raise(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "any.txt"
        path.write_bytes(data)
        reading = read_scrape(SourceFile(path, "any.txt", str(path)))
    assert (reading.article is None) != (reading.problem is None)
