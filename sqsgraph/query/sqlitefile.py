"""SQLite files beside the query store (full-text index, precomputed answers): written once,
atomically, then only read.

A file is filled under a temporary name with SQLite's journal off (a half-written file is never
used), flushed to disk and renamed into place, so readers see the old file or the whole new one.
Readers open it read-only and ``immutable``: it never changes once in place (a rebuilt store
writes a new one beside its new database).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def new_sqlite_file(path: str | Path) -> Iterator[sqlite3.Connection]:
    """A connection to a new database that becomes the file ``path`` when the block ends
    without an error (committed, flushed, renamed); on an error nothing is left behind."""
    target = Path(path)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        db = sqlite3.connect(tmp)
        try:
            db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;")
            yield db
            db.commit()
        finally:
            db.close()
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def open_read_only(path: str | Path) -> sqlite3.Connection:
    """The file ``path`` opened read-only and immutable, usable from any thread."""
    return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False)


__all__ = ["new_sqlite_file", "open_read_only"]
