"""A content-addressed cache of per-report build results: a rebuild redoes only what changed.

An entry is a file named by a key, the SHA-256 of everything the result depends on: the code and
ontology of this sqsgraph (``code_fingerprint``), the report file's content hash, and the step's
own inputs (the base IRI, the persons the identity rules chose for the report's names, ...). A
change to any of them gives another key, so an entry is never stale, only unused; ``prune``
removes the unused ones after a build. Entries are written atomically (``files.write_atomic``),
so a killed build leaves whole entries or none, and an entry that cannot be read back (a disk
that filled up, another Python) counts as missing.

The cache holds this machine's own results and is read with ``pickle``: never point it at a
folder that others can write to.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from ..files import write_atomic
from ..outputs import CACHE_DIR
from ..rdf.vocab import (
    ONTOLOGY_FILES,
    ORGANISATIONS_FILE,
    SHAPES_FILE,
    read_ontology_text,
)

if TYPE_CHECKING:
    if sys.version_info >= (3, 11):
        from importlib.resources.abc import Traversable
    else:
        from importlib.abc import Traversable

CACHE_FOLDER = CACHE_DIR  # inside the output folder


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """SHA-256 over the source of the sqsgraph package (every module, in every subpackage, and
    the named queries) and its ontology files: any edit to the code that makes the graph
    invalidates every cached result."""
    h = hashlib.sha256()
    for name, data in _package_sources(resources.files("sqsgraph"), ""):
        h.update(name.encode() + b"\0" + data + b"\0")
    for name in sorted((*ONTOLOGY_FILES, ORGANISATIONS_FILE, SHAPES_FILE)):
        h.update(name.encode() + b"\0" + read_ontology_text(name).encode("utf-8") + b"\0")
    return h.hexdigest()


_SOURCE_SUFFIXES = (".py", ".rq", ".ttl")


def _package_sources(folder: Traversable, prefix: str) -> list[tuple[str, bytes]]:
    """(path in the package, bytes) of every source file below ``folder``, in path order."""
    out: list[tuple[str, bytes]] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        name = f"{prefix}{entry.name}"
        if entry.is_dir():
            if not entry.name.startswith((".", "__pycache__")):
                out.extend(_package_sources(entry, f"{name}/"))
        elif entry.name.endswith(_SOURCE_SUFFIXES):
            out.append((name, entry.read_bytes()))
    return out


def cache_key(*parts: str) -> str:
    """The key of a result that depends on ``parts`` (and on the code)."""
    h = hashlib.sha256(code_fingerprint().encode())
    for part in parts:
        h.update(b"\0" + part.encode("utf-8"))
    return h.hexdigest()


class BuildCache:
    """Entries under ``folder/{key[:2]}/{key}{suffix}``."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.used: set[str] = set()  # entries named so far, relative to ``folder``

    def path(self, key: str, suffix: str) -> Path:
        return self.folder / self.use(key, suffix)

    def use(self, key: str, suffix: str) -> str:
        """Mark an entry as used by this build (kept by ``prune``); its name in the folder."""
        name = f"{key[:2]}/{key}{suffix}"
        self.used.add(name)
        return name

    def load(self, key: str, suffix: str = ".pickle") -> object | None:
        """The value stored under ``key``, or None when there is none (or it cannot be read)."""
        p = self.path(key, suffix)
        try:
            with p.open("rb") as fh:
                value: object = pickle.load(fh)
                return value
        except FileNotFoundError:
            return None
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
            return None  # damaged or from another version of the classes: recompute

    def store(self, key: str, value: object, suffix: str = ".pickle") -> None:
        write_atomic(self.path(key, suffix), pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def has(self, key: str, suffix: str) -> bool:
        return os.path.isfile(os.path.join(self.folder, self.use(key, suffix)))  # no Path: called 60,000 times

    def write_bytes(self, key: str, suffix: str, data: bytes) -> Path:
        return write_atomic(self.path(key, suffix), data)

    def prune(self, previous: Iterable[str] | None = None) -> int:
        """Remove the entries this build did not use; the number removed. With ``previous``, the
        entries the last build used (its manifest), only those are looked at: no walk over every
        entry, which takes seconds at 10,000 reports."""
        removed = 0
        if not self.folder.is_dir():
            return 0
        if previous is not None:
            for name in previous:
                if name not in self.used and "/" in name and not name.startswith((".", "/")) and ".." not in name:
                    try:
                        os.unlink(self.folder / name)
                        removed += 1
                    except FileNotFoundError:
                        pass
            return removed
        for p in self.folder.glob("*/*"):
            if p.is_file() and f"{p.parent.name}/{p.name}" not in self.used and not p.name.startswith("."):
                p.unlink(missing_ok=True)
                removed += 1
        return removed


__all__ = ["BuildCache", "CACHE_FOLDER", "cache_key", "code_fingerprint"]
