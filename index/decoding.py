"""From file bytes to text, one line at a time: UTF-8 where it is UTF-8, a fallback where not.

A scrape that is UTF-8 except for one stray byte keeps its UTF-8 everywhere else,
even on that byte's line (no "SÃ£o" for "São"); only the bytes that are not UTF-8 are
read as Windows-1252, and the lines that needed it are reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LINE_BREAK = re.compile(rb"\r\n|\r|\n")
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
"""Control characters (Unicode category Cc) other than tab, line feed and form feed."""
_BOM = b"\xef\xbb\xbf"
BINARY_SAMPLE = 8192
"""Bytes looked at to tell text from binary data."""


@dataclass(frozen=True)
class Decoded:
    """Text with ``\\n`` line endings, and the (1-based) lines that were not UTF-8."""

    text: str
    cp1252_lines: tuple[int, ...] = ()
    """Lines with bytes that are not UTF-8, read as Windows-1252 (the rest of the line as UTF-8)."""
    replaced_lines: tuple[int, ...] = ()
    """Lines neither UTF-8 nor Windows-1252: their bad bytes became U+FFFD."""

    def notes(self) -> list[tuple[int | None, str]]:
        """(first line, sentence) for each kind of fallback used, for the warnings."""
        kinds = (
            (self.cp1252_lines, "bytes that are not UTF-8 read as Windows-1252"),
            (self.replaced_lines, "undecodable bytes replaced by U+FFFD"),
        )
        notes: list[tuple[int | None, str]] = [
            (lines[0], _lines_sentence(lines, what)) for lines, what in kinds if lines
        ]
        return notes


def _lines_sentence(lines: tuple[int, ...], what: str) -> str:
    if len(lines) == 1:
        return what
    shown = ", ".join(str(n) for n in lines[:5])
    more = f" and {len(lines) - 5} more" if len(lines) > 5 else ""
    return f"lines {shown}{more}: {what}"


def _cp1252_byte(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return "\ufffd"


def _decode_line(raw: bytes) -> tuple[str, str]:
    """One line's text and how it was read: "utf-8", "cp1252" (some bytes were not UTF-8
    and were read as Windows-1252, the rest as UTF-8) or "replaced" (some bytes are
    neither and became U+FFFD)."""
    parts: list[str] = []
    fallback: list[str] = []
    while True:
        try:
            parts.append(raw.decode("utf-8"))
            break
        except UnicodeDecodeError as error:
            parts.append(raw[: error.start].decode("utf-8"))
            bad = "".join(_cp1252_byte(byte) for byte in raw[error.start : error.end])
            parts.append(bad)
            fallback.append(bad)
            raw = raw[error.end :]
    how = "replaced" if "\ufffd" in "".join(fallback) else "cp1252" if fallback else "utf-8"
    return "".join(parts), how


def decode(raw: bytes) -> Decoded:
    """Decode file bytes line by line: UTF-8 (a leading BOM is dropped); a byte that is not
    UTF-8 is read as Windows-1252.

    Raises ``ValueError`` with a reason for binary data.
    """
    if b"\x00" in raw[:BINARY_SAMPLE]:
        raise ValueError("binary file (contains NUL bytes)")
    raw = raw.removeprefix(_BOM)
    try:
        decoded = Decoded(raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n"))
    except UnicodeDecodeError:
        decoded = _decode_lines(raw)
    sample = decoded.text[:BINARY_SAMPLE]
    controls = len(_CONTROLS.findall(sample))
    if controls > max(8, len(sample) // 100):
        raise ValueError("binary file (too many control characters)")
    return decoded


def _decode_lines(raw: bytes) -> Decoded:
    lines, cp1252, replaced = [], [], []
    for number, line in enumerate(_LINE_BREAK.split(raw), start=1):
        text, how = _decode_line(line)
        lines.append(text)
        if how == "cp1252":
            cp1252.append(number)
        elif how == "replaced":
            replaced.append(number)
    return Decoded("\n".join(lines), tuple(cp1252), tuple(replaced))
