"""Where index generations live, which one is current, and the atomic switch.

An index root holds one folder per generation and a ``CURRENT`` file naming the
generation that serves. A new generation is built beside the current one and
becomes current by an atomic rename of ``CURRENT``; readers therefore always see
either the old or the new index, never a half-built one. This is the only module
that knows the folder layout.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import shutil
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from index import settings
from index.impacts import FORMAT_VERSION
from index.schema import SCHEMA_VERSION

CURRENT_FILE = "CURRENT"
PREVIOUS_FILE = "PREVIOUS"
MANIFEST_FILE = "manifest.json"
LOCK_FILE = ".reindex.lock"
GENERATION_PREFIX = "gen-"


class IndexUnavailable(Exception):
    """There is no usable index at the configured place; the message says what to do."""


class NoSpace(OSError):
    """The disk holding the index has (or would have) too little room for a new generation;
    the serving one is untouched."""

    def __str__(self) -> str:
        return str(self.strerror)


DISK_FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
"""Write errors that mean the disk (or a quota or file-size limit) is full."""
MB = 1024 * 1024


def require_space(root: Path, needed: int) -> None:
    """Refuse, before writing anything, to start a generation that needs ``needed`` bytes
    on the disk of ``root`` when that disk has less free."""
    root.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(root).free
    if free < needed:
        raise NoSpace(
            errno.ENOSPC,
            f"a new generation needs about {needed / MB:,.0f} MB free on the disk of {root}, "
            f"which has {free / MB:,.0f} MB; the serving generation is untouched. Free some "
            "space (or pass --force to try anyway)",
        )


def no_space(error: OSError, path: Path) -> NoSpace | None:
    """``error`` said plainly when it is a full disk while writing generation ``path``."""
    if isinstance(error, NoSpace) or error.errno not in DISK_FULL:
        return None
    return NoSpace(
        error.errno,
        f"the disk filled up while writing {path.name} ({error.strerror}); it was removed "
        "and the serving generation is untouched. Free some space and run again",
    )


@dataclass(frozen=True)
class Generation:
    """One complete index generation on disk."""

    name: str
    path: Path
    schema_version: int
    article_count: int
    created: str
    arrays: dict[str, Any]
    """The manifest's description of the derived arrays (see ``index.impacts``)."""
    sources: tuple[str, ...] = ()
    """The files and folders the generation was built from (absolute paths)."""
    files: dict[str, str] = field(default_factory=dict)
    """SHA-256 of each of its files, as written (``file_digests``)."""
    sizes: dict[str, int] = field(default_factory=dict)
    """The size of each of its files, as written (``file_sizes``)."""


def default_index_root() -> Path:
    """The configured index root (``INDEX``: ``SCOOP_INDEX``, ``instance/config.py``), else
    ``instance/index`` in the project."""
    return settings.index_root()


def new_generation_path(root: Path) -> Path:
    """Create and return an empty folder for a generation that is about to be built."""
    root.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    path = root / f"{GENERATION_PREFIX}{stamp}-{os.getpid()}"
    path.mkdir()
    return path


def write_manifest(
    path: Path,
    article_count: int,
    arrays: dict[str, Any],
    sources: Sequence[Path] = (),
    copied_from: Generation | None = None,
) -> None:
    """Record what a finished generation holds, for validation and ``/healthz``.

    ``arrays`` describes the derived arrays (format version, BM25 parameters, postings);
    ``sources`` the files and folders it was built from (what ``update`` reads again).
    The files an update copied unchanged from generation ``copied_from`` keep the digest
    recorded there (what was first written), instead of being read whole again.
    """
    sizes = file_sizes(path)
    manifest = {
        "schema_version": SCHEMA_VERSION,
        "article_count": article_count,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "sources": [str(Path(source).resolve()) for source in sources],
        "arrays": arrays,
        "files": file_digests(path, _copied(sizes, copied_from)),
        "sizes": sizes,
    }
    (path / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2), encoding="utf-8")


def _files(path: Path) -> Iterator[tuple[str, Path]]:
    """A generation's files by relative name, but its manifest and Whoosh's lock file."""
    for file in sorted(path.rglob("*")):
        name = file.relative_to(path).as_posix()
        if file.is_file() and name != MANIFEST_FILE and not name.endswith("WRITELOCK"):
            yield name, file


def file_digests(path: Path, known: dict[str, str] | None = None) -> dict[str, str]:
    """SHA-256 of every file of a generation (``manage.py check`` compares them: a
    truncated or overwritten file shows); ``known`` digests are taken as they are."""
    digests = {}
    for name, file in _files(path):
        if known and name in known:
            digests[name] = known[name]
            continue
        with file.open("rb") as handle:
            digests[name] = hashlib.file_digest(handle, "sha256").hexdigest()
    return digests


def _copied(sizes: dict[str, int], original: Generation | None) -> dict[str, str]:
    """The digests ``original`` recorded for Whoosh segment files of the same name and
    size (an update copies them; Whoosh never rewrites a segment file)."""
    if original is None:
        return {}
    return {
        name: digest
        for name, digest in original.files.items()
        if name.endswith(".seg") and sizes.get(name) == original.sizes.get(name)
    }


def file_sizes(path: Path) -> dict[str, int]:
    """The size of every file of a generation: the quick check when opening it and on
    ``/healthz`` (a truncated memory-mapped file would otherwise kill the reader)."""
    return {name: file.stat().st_size for name, file in _files(path)}


def damaged_files(generation: Generation) -> list[str]:
    """Files of ``generation`` missing or not of the size they were written with."""
    damaged = []
    folder = str(generation.path)
    for name, size in generation.sizes.items():
        try:  # os.stat on a string: this runs on every request
            if os.stat(os.path.join(folder, name)).st_size != size:
                damaged.append(name)
        except OSError:
            damaged.append(name)
    return damaged


def quick_check(root: Path, generation: Generation) -> None:
    """Raise ``IndexUnavailable`` naming the fix when a file of ``generation`` is damaged."""
    damaged = damaged_files(generation)
    if damaged:
        previous = previous_name(root)
        back = f", or `python manage.py rollback` to serve {previous} again" if previous else ""
        raise IndexUnavailable(
            f"index generation {generation.name} is damaged ({', '.join(damaged[:3])} "
            f"missing or truncated); run `python manage.py reindex`{back}"
        )


def _read_generation(path: Path) -> Generation:
    try:
        manifest = json.loads((path / MANIFEST_FILE).read_text(encoding="utf-8"))
        return Generation(
            name=path.name,
            path=path,
            schema_version=int(manifest["schema_version"]),
            article_count=int(manifest["article_count"]),
            created=str(manifest["created"]),
            arrays=dict(manifest.get("arrays") or {}),
            sources=tuple(str(source) for source in manifest.get("sources") or ()),
            files=dict(manifest.get("files") or {}),
            sizes={str(k): int(v) for k, v in (manifest.get("sizes") or {}).items()},
        )
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise IndexUnavailable(
            f"index generation {path} is incomplete or damaged ({error}); "
            "run `python manage.py reindex`"
        ) from None


def current_name(root: Path) -> str | None:
    """The name of the current generation, or None when there is none yet (cheap: one read)."""
    try:
        return (root / CURRENT_FILE).read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None


def current_generation(root: Path) -> Generation:
    """The generation that serves now, checked for a compatible schema version."""
    name = current_name(root)
    if name is None:
        raise IndexUnavailable(
            f"no index at {root}; build one with `python manage.py reindex --index {root}`"
        )
    generation = _read_generation(root / name)
    if generation.schema_version != SCHEMA_VERSION:
        raise IndexUnavailable(
            f"the index at {root} has schema version {generation.schema_version} but this "
            f"version of Scoop needs {SCHEMA_VERSION}; run `python manage.py reindex`"
        )
    if generation.arrays.get("format_version") != FORMAT_VERSION:
        raise IndexUnavailable(
            f"the index at {root} has no search arrays of format {FORMAT_VERSION} "
            "(it was built by another version of Scoop); run `python manage.py reindex`"
        )
    return generation


def serving_generation(root: Path) -> Generation | None:
    """The generation now serving, or None when there is none usable."""
    try:
        return current_generation(root)
    except IndexUnavailable:
        return None


def switch_to(root: Path, path: Path) -> None:
    """Make the finished generation at ``path`` current, atomically and durably, keep the
    one it replaces as the previous generation, and remove any older ones."""
    _read_generation(path)  # refuses a generation without a manifest
    previous = current_name(root)
    if previous:
        _write_durably(root, PREVIOUS_FILE, previous)
    _write_durably(root, CURRENT_FILE, path.name)
    remove_stale(root)


def switch_back(root: Path) -> Generation:
    """Serve the previous generation again (the current one becomes the previous, so the
    switch can be undone the same way); refuses a previous generation that is damaged."""
    with reindex_lock(root):
        name = previous_name(root)
        if not name or not (root / name).is_dir():
            raise IndexUnavailable(f"{root} keeps no previous generation to switch back to")
        generation = _read_generation(root / name)
        damaged = damaged_files(generation)
        if damaged:
            raise IndexUnavailable(
                f"the previous generation {name} is damaged ({', '.join(damaged[:3])}); "
                "run `python manage.py reindex` instead"
            )
        switch_to(root, generation.path)
        return generation


def _write_durably(root: Path, name: str, text: str) -> None:
    """Replace ``root/name`` with ``text`` by an atomic rename, fsynced file and folder
    (the switch survives a power cut)."""
    temporary = root / f".{name}.{os.getpid()}.tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(text + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, root / name)
    folder = os.open(root, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def previous_name(root: Path) -> str | None:
    """The generation that served before the current one (kept until the next switch)."""
    try:
        return (root / PREVIOUS_FILE).read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None


def remove_stale(root: Path) -> list[str]:
    """Delete what is neither the current nor the previous generation: older generations,
    folders of builds that were killed, temporary pointer files; returns what was removed.

    The previous generation stays until the next switch: a searcher still answering a
    request on it (requests are bounded by their time budget, a build takes longer)
    finishes there and moves to the current one on its next request.
    """
    keep = {current_name(root), previous_name(root)}
    removed = []
    for path in root.glob(f"{GENERATION_PREFIX}*"):
        if path.is_dir() and path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path.name)
    for temporary in root.glob(".*.tmp"):
        temporary.unlink(missing_ok=True)
        removed.append(temporary.name)
    return removed


def discard(path: Path) -> None:
    """Remove a generation that failed to build; the current one is untouched."""
    shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def discarded_on_failure(path: Path) -> Iterator[None]:
    """Remove the generation being written at ``path`` if the block fails; a full disk
    is raised as ``NoSpace`` saying so."""
    try:
        yield
    except OSError as error:
        discard(path)
        full = no_space(error, path)
        if full is None:
            raise
        raise full from error
    except BaseException:
        discard(path)
        raise


@contextlib.contextmanager
def reindex_lock(root: Path, wait_seconds: float = 0.0) -> Iterator[None]:
    """Hold the index root's writer lock, so two reindexes never interleave.

    The lock is on the root folder itself (deleting a file cannot let a second writer
    in) and goes with the process, however it ends (a SIGKILLed writer leaves nothing
    that blocks the next). The holder's pid and start time are written beside it for
    the message a second writer gets.
    """
    root.mkdir(parents=True, exist_ok=True)
    folder = os.open(root, os.O_RDONLY)
    try:
        _take(folder, root, wait_seconds)
        (root / LOCK_FILE).write_text(
            json.dumps({"pid": os.getpid(), "started": datetime.now(UTC).isoformat()}),
            encoding="utf-8",
        )
        try:
            yield
        finally:
            fcntl.flock(folder, fcntl.LOCK_UN)
    finally:
        os.close(folder)


def _take(folder: int, root: Path, wait_seconds: float) -> None:
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            fcntl.flock(folder, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise IndexUnavailable(
                    f"another reindex of {root} is running ({_holder(root)}); "
                    "try again when it ends"
                ) from None
            time.sleep(0.1)


def _holder(root: Path) -> str:
    """``pid 123, started 2026-12-03T10:00:00+00:00``, as the running writer wrote it."""
    try:
        holder = json.loads((root / LOCK_FILE).read_text(encoding="utf-8"))
        return f"pid {holder['pid']}, started {holder['started']}"
    except (OSError, ValueError, KeyError, TypeError):
        return "holder unknown"
