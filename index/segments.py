"""Writing a new generation's Whoosh segments, in worker processes on a multi-core machine.

Each worker writes one segment of its own from the articles it is sent, analysing every
section once (``index.analysed``); the same analysis gives the term frequencies, field
lengths and spelling counts the search arrays are computed from (:class:`SegmentStats`),
so nothing is read back from the index to derive them. Articles go to the workers in
batches, round robin, and the segments are listed in worker order, so the document
order of a build depends on its input alone. The segments are not merged (Whoosh's
``MpWriter(multisegment=True)`` does the same); a build of few articles runs in this
process, as one segment, because starting workers would cost more than they save.

Workers are started with ``spawn``: they inherit no file descriptor (so not the writer
lock) and die with the build, by a parent-death signal on Linux and by the end of their
pipe anywhere.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import pickle
import queue
import signal
import threading
import traceback
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.codec.base import Segment
from whoosh.fields import Schema
from whoosh.index import Index
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import PostingPool, SegmentWriter

from index.analysed import SectionText, analyse
from index.completions import COMPLETION_FIELDS, Completions
from index.sources import file_of
from index.stories import body_words, signature

FINGERPRINT_KEY = "_fingerprint"
"""The key of a Whoosh document (``index.build.article_fields``) that holds its article's
fingerprint: gathered for the arrays, not indexed (Whoosh passes over ``_`` keys)."""
BATCH = 32
"""Articles sent to a worker at a time."""
QUEUED = 8
"""Batches waiting for a worker before adding more waits."""
RUN_CHUNK = 10_000
"""Postings per pickle in the pool's sorted runs on disk."""


@dataclass
class FieldStats:
    """One field of a segment: its postings as parallel arrays, and lengths per document."""

    terms: dict[bytes, int] = field(default_factory=dict)
    """Term → its number in this segment (the order it was first seen in)."""
    term_ids: array = field(default_factory=lambda: array("i"))
    docs: array = field(default_factory=lambda: array("i"))
    frequencies: array = field(default_factory=lambda: array("f"))
    lengths: array = field(default_factory=lambda: array("d"))
    """Whoosh's stored (quantised) length of the field in each document."""
    total_length: int = 0
    """The sum of the exact lengths (what Whoosh's ``field_length`` reports)."""
    spelling: Counter[str] = field(default_factory=Counter)
    """Unstemmed word → articles holding it."""

    def add(self, docnum: int, postings: Any, spelling: Any, length: int) -> None:
        terms = self.terms
        for term, frequency, _, _ in postings:
            self.term_ids.append(terms.setdefault(term, len(terms)))
            self.docs.append(docnum)
            self.frequencies.append(frequency)
        self.spelling.update(spelling)
        self.lengths.append(byte_to_length(length_to_byte(length)) if length else 0)
        self.total_length += length


@dataclass
class SegmentStats:
    """What the search arrays need of one segment's documents."""

    doc_count: int = 0
    fields: dict[str, FieldStats] = field(default_factory=dict)
    fingerprints: array = field(default_factory=lambda: array("Q"))
    """Each document's source fingerprint (``index.model.fingerprint``; 0: unknown)."""
    files: list[str] = field(default_factory=list)
    """Each document's source file."""
    completions: Completions = field(default_factory=Completions)
    """Word pairs and written forms for autocomplete."""
    signatures: bytearray = field(default_factory=bytearray)
    """Each document's body signature (``index.stories.signature``), uint32 values."""
    story_words: array = field(default_factory=lambda: array("i"))
    """Each document's body words, as the story grouping counts them."""


class ChunkedPool(PostingPool):
    """Whoosh's posting pool, writing its sorted runs (what does not fit in memory) as
    pickled lists of ``RUN_CHUNK`` postings instead of one pickle per posting: about ten
    times less time spent writing and reading them back (docs/decisions.md)."""

    def _write_run(self, f: Any, items: Iterable[Any]) -> None:
        chunk: list[Any] = []
        for item in items:
            chunk.append(item)
            if len(chunk) == RUN_CHUNK:
                pickle.dump(chunk, f, pickle.HIGHEST_PROTOCOL)
                chunk = []
        if chunk:
            pickle.dump(chunk, f, pickle.HIGHEST_PROTOCOL)
        f.close()

    def _read_run(self, path: str) -> Iterator[Any]:
        f = self._open_run(path)
        try:
            while True:
                yield from pickle.load(f)
        except EOFError:
            return
        finally:
            f.close()
            self._remove_run(path)


class Gathering:
    """Analyses each article's sections once (``index.analysed``) for its Whoosh document,
    keeping the term frequencies, lengths and spelling words the search arrays need."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        fields = (name for name, kind in schema.items() if isinstance(kind, SectionText))
        self.stats = SegmentStats(fields={name: FieldStats() for name in fields})

    def prepare(self, document: dict[str, Any]) -> dict[str, Any]:
        """``document`` (``index.build.article_fields``) with its sections analysed, to be
        the next document of the segment being written."""
        docnum = self.stats.doc_count
        for name, stats in self.stats.fields.items():
            text = document.get(name)
            if not text:
                stats.add(docnum, (), (), 0)
                continue
            analysed = analyse(self.schema[name], text, completions=name in COMPLETION_FIELDS)
            stats.add(docnum, analysed.postings, analysed.spelling, analysed.length)
            if analysed.pairs is not None:
                self.stats.completions.add(name, analysed.pairs, analysed.shown)
            document[name] = analysed
            document[f"_stored_{name}"] = text
        words = body_words(document.get("_stored_body", ""))
        self.stats.signatures += signature(words).tobytes()
        self.stats.story_words.append(len(words))
        self.stats.fingerprints.append(document.pop(FINGERPRINT_KEY, 0))
        self.stats.files.append(file_of(document.get("source", "")))
        self.stats.doc_count += 1
        return document


class SegmentJob:
    """Writes the articles it is given into one new segment of ``index``."""

    def __init__(self, index: Index, limitmb: int) -> None:
        self.writer = SegmentWriter(index, _lk=False, limitmb=limitmb)
        self.writer.pool = ChunkedPool(
            self.writer._tempstorage, self.writer.newsegment, limitmb=limitmb
        )
        self.gathering = Gathering(index.schema)  # type: ignore[attr-defined]
        self.stats = self.gathering.stats

    def add(self, document: dict[str, Any]) -> None:
        """Add one article's Whoosh document (``index.build.article_fields``)."""
        self.writer.add_document(**self.gathering.prepare(document))

    def finish(self) -> tuple[Segment, SegmentStats]:
        """Write the segment out; it is in no table of contents yet (the caller commits,
        and its writer removes the temporary folder every segment writer shares)."""
        return self.writer._finalize_segment(), self.stats

    def cancel(self) -> None:
        self.writer.cancel()


class Segments:
    """Where a build's articles are written: one local segment, or one per worker."""

    def __init__(self, path: Path, workers: int, limitmb: int) -> None:
        self.index = whoosh_index.open_dir(str(path))
        self.local = SegmentJob(self.index, limitmb) if workers <= 1 else None
        self.workers = [] if self.local else [_Worker(path, limitmb) for _ in range(workers)]
        self.batch: list[dict[str, Any]] = []
        self.sent = 0

    def add(self, document: dict[str, Any]) -> None:
        if self.local:
            self.local.add(document)
            return
        self.batch.append(document)
        if len(self.batch) >= BATCH:
            self._send()

    def _send(self) -> None:
        self.workers[self.sent % len(self.workers)].send(self.batch)
        self.sent += 1
        self.batch = []

    def commit(self) -> list[SegmentStats]:
        """Finish every segment and commit them as the index's table of contents."""
        if self.local:
            results = [self.local.finish()]
        else:
            if self.batch:
                self._send()
            for worker in self.workers:
                worker.close()
            results = [worker.result() for worker in self.workers]
        writer: Any = self.index.writer()  # a SegmentWriter (private steps, as MpWriter's)
        writer._close_segment()  # its own (empty) segment: only the workers' are listed
        writer._commit_toc([segment for segment, stats in results if stats.doc_count])
        writer._finish()
        return [stats for _, stats in results if stats.doc_count]

    def cancel(self) -> None:
        if self.local:
            self.local.cancel()
        for worker in self.workers:
            worker.stop()


class WorkerFailed(Exception):
    """An indexing worker raised or died; the build cannot complete."""

    def __init__(self, message: str, errno: int | None = None) -> None:
        super().__init__(message)
        self.errno = errno
        """The error number when the worker's error was an ``OSError`` (a full disk)."""


class _Worker:
    """One worker process, the pipe to it, and a thread that feeds the pipe: a batch is
    queued (up to ``QUEUED`` of them) rather than sent, so the parent is never held up by
    one busy worker while the other waits for work."""

    def __init__(self, path: Path, limitmb: int) -> None:
        context = multiprocessing.get_context("spawn")
        self.connection, child = context.Pipe()
        self.process = context.Process(
            target=_work, args=(str(path), limitmb, child), name="scoop-indexer", daemon=True
        )
        self.process.start()
        child.close()
        self.queue: queue.Queue[list[dict[str, Any]] | None] = queue.Queue(QUEUED)
        self.broken = False
        self.feeder = threading.Thread(target=self._feed, name="scoop-feeder", daemon=True)
        self.feeder.start()

    def _feed(self) -> None:
        while (batch := self.queue.get()) is not None:
            try:
                self.connection.send(batch)
            except OSError:  # the worker died: drain, so send() notices instead of blocking
                self.broken = True
        try:
            self.connection.send([])
        except OSError:
            self.broken = True

    def send(self, batch: list[dict[str, Any]]) -> None:
        if self.broken:
            raise self._failure()
        self.queue.put(batch)

    def close(self) -> None:
        """No more batches: the worker finishes its segment."""
        self.queue.put(None)

    def result(self) -> tuple[Segment, SegmentStats]:
        """The worker's segment, once written (after ``close``)."""
        self.feeder.join()
        try:
            outcome, *result = self.connection.recv()
        except (EOFError, ConnectionResetError):  # the worker died (before or while sending)
            raise self._failure() from None
        self.process.join()
        if outcome == "error":
            raise WorkerFailed(f"an indexing worker failed: {result[0]}", result[1])
        return result[0], result[1]

    def _failure(self) -> WorkerFailed:
        self.process.join(timeout=5)
        return WorkerFailed(f"an indexing worker died (exit code {self.process.exitcode})")

    def stop(self) -> None:
        self.process.kill()
        self.process.join()
        self.connection.close()


def _die_with_parent() -> None:
    """Ask Linux to kill this process when its parent dies (elsewhere the pipe's end does)."""
    with contextlib.suppress(AttributeError, OSError):
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _batches(connection: Connection) -> Iterator[list[dict[str, Any]]]:
    """The batches the parent sends, until the empty one that ends the segment."""
    while batch := connection.recv():
        yield batch


def _work(path: str, limitmb: int, connection: Connection) -> None:
    """A worker's life: write the batches it receives into a segment, send it back."""
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    try:
        job = SegmentJob(whoosh_index.open_dir(path), limitmb)
        for batch in _batches(connection):
            for document in batch:
                job.add(document)
        connection.send(("done", *job.finish()))
    except EOFError:
        return  # the parent is gone
    except BaseException as error:
        errno = error.errno if isinstance(error, OSError) else None
        connection.send(("error", traceback.format_exc(limit=-3), errno))
