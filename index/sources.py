"""Finding the files to read under the sources given, and saying why any is skipped.

Folders are walked in a stable (sorted) order. Only names ending in ``READ_SUFFIXES`` are
read; hidden files and folders are passed over. A FIFO, socket or device, a broken
symbolic link, a link loop and a folder that cannot be listed are reported, never opened.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from index.model import Problem

TEXT_SUFFIXES = frozenset({".txt"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
READ_SUFFIXES = TEXT_SUFFIXES | JSONL_SUFFIXES


@dataclass(frozen=True)
class SourceFile:
    """A file to read: its path, the key its ids derive from, and how it is shown."""

    path: Path
    key: str
    display: str

    @property
    def is_feed(self) -> bool:
        return self.path.suffix.lower() in JSONL_SUFFIXES

    @property
    def odd_name(self) -> bool:
        """The file name is not valid UTF-8 (``display`` shows its bad bytes escaped)."""
        return self.display != str(self.path)


def display_name(path: Path) -> str:
    """``path`` as text that can always be printed: bytes that are not UTF-8 as ``\\xe9``."""
    return os.fsencode(path).decode("utf-8", errors="backslashreplace")


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device"


def _entry_problem(path: Path) -> Problem | None:
    """Why this entry cannot be read as a file, or None for a regular file (or a link to one)."""
    try:
        mode = path.stat().st_mode
    except OSError as error:
        if path.is_symlink():
            reason = "symbolic link loop" if error.errno == errno.ELOOP else "broken symbolic link"
            target = display_name(Path(os.readlink(path)))
            return Problem(display_name(path), f"{reason} (to {target})")
        return Problem(display_name(path), f"cannot read: {error.strerror or error}")
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    return Problem(display_name(path), f"not a regular file: {_kind(mode)}")


def _walk(
    folder: Path, root: Path, seen: dict[tuple[int, int], str]
) -> Iterator[SourceFile | Problem]:
    """The files under ``folder``; ``seen`` maps each folder read (device, inode) to its name,
    so a link back to a folder already read (a loop) is reported once, not followed."""
    try:
        info = folder.stat()
        entries = sorted(os.scandir(folder), key=lambda entry: os.fsencode(entry.name))
    except OSError as error:
        yield Problem(display_name(folder), f"cannot read folder: {error.strerror or error}")
        return
    if (info.st_dev, info.st_ino) in seen:
        already = seen[(info.st_dev, info.st_ino)]
        reason = f"symbolic link loop: the folder {already} is already read"
        yield Problem(display_name(folder), reason)
        return
    seen[(info.st_dev, info.st_ino)] = display_name(folder)
    for entry in entries:
        path = Path(entry.path)
        if entry.name.startswith("."):
            continue
        if problem := _entry_problem(path):
            yield problem
        elif path.is_dir():
            yield from _walk(path, root, seen)
        elif path.suffix.lower() in READ_SUFFIXES:
            yield SourceFile(path, path.relative_to(root).as_posix(), display_name(path))


def _is_folder(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def source_files(sources: Iterable[Path]) -> Iterator[SourceFile | Problem]:
    """Each file to read with its id key (its path below the folder given, or its name when
    the file itself is given), in a stable order, and a ``Problem`` for each one skipped."""
    for source in sources:
        if _is_folder(source):
            yield from _walk(source, source, {})
        elif not (source.exists() or source.is_symlink()):
            yield Problem(display_name(source), "no such file or folder")
        elif problem := _entry_problem(source):
            yield problem
        elif source.suffix.lower() not in READ_SUFFIXES:
            names = ", ".join(sorted(READ_SUFFIXES))
            yield Problem(display_name(source), f"not an article file: only {names} are read")
        else:
            yield SourceFile(source, source.name, display_name(source))


def source_bytes(sources: Iterable[Path]) -> int:
    """The total size of the files ``source_files`` finds (what a build will read)."""
    total = 0
    for item in source_files(sources):
        if isinstance(item, SourceFile):
            try:
                total += item.path.stat().st_size
            except OSError:
                continue  # reading it will report the problem
    return total


def file_of(source: str) -> str:
    """The file an article came from: a feed record's source is ``path:line``."""
    head, _, line = source.rpartition(":")
    return head if head and line.isdigit() else source
