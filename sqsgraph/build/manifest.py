"""What the last build of an output folder read and made, so that the next one skips the rest.

The cache (``cache.py``) makes a rebuild redo only the reports that changed, but finding out which
did still meant reading and hashing every file and opening several cache entries per report: at
10,000 reports, more than the work itself. The manifest (``OUT/.cache/manifest.pickle``, written
atomically at the end of a build) keeps, like git's index, each file's stamp (size, modification
and change times, inode) with what reading it gave, the key of the identity decisions (the
decisions are a cache entry of their own), each mapped report by its cache key, and each output
file's stamp with a digest of what it was made of, so that an output whose parts did not change
is not written again, and with where each report's body is in it: the output files are the store
of the bodies, from which the next build copies those of unchanged reports (a file touched since
is not trusted: its reports are mapped again). A file whose stamp is unchanged is not read
again, unless it was modified within ``RACY_SECONDS`` before the last build began (it may have
changed again since without its stamp changing).

A manifest written by other code (``cache.code_fingerprint``) or that cannot be read is ignored:
the build then checks every file as before and writes a new one.
"""

from __future__ import annotations

import os
import pickle
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..files import ByteSpan, write_atomic
from .cache import code_fingerprint
from .records import MappedReport, ReadReport

MANIFEST_FILE = "manifest.pickle"  # in the cache folder
RACY_SECONDS = 2


@dataclass(frozen=True)
class FileStamp:
    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int

    @classmethod
    def of(cls, path: str | Path) -> FileStamp | None:
        try:
            st = os.stat(path)
        except OSError:
            return None
        return cls(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


@dataclass
class Manifest:
    fingerprint: str = field(default_factory=code_fingerprint)
    started_ns: int = field(default_factory=time.time_ns)  # when this build began to look at files
    reads: dict[str, tuple[FileStamp, ReadReport]] = field(default_factory=dict)  # path as given ->
    identities: str | None = None  # the key of the identity decisions (from the mentions and overrides)
    mapped: dict[str, MappedReport] = field(default_factory=dict)  # map key ->
    used: frozenset[str] = frozenset()  # cache entries the build used, relative to the cache folder
    #: file name -> (what it holds, its stamp, where each report's body is: map key -> span)
    outputs: dict[str, tuple[str, FileStamp, dict[str, ByteSpan]]] = field(default_factory=dict)

    def output_is(self, path: Path, holds: str) -> bool:
        """Whether the file at ``path`` is the one the last build wrote with the same contents
        (``holds``: a digest of its parts), untouched since."""
        entry = self.outputs.get(path.name)
        return entry is not None and entry[0] == holds and entry[1] == FileStamp.of(path)

    def bodies_in(self, path: Path) -> dict[str, ByteSpan] | None:
        """Where the reports' bodies are in the file at ``path`` (by map key), if it is the one
        the last build wrote, untouched since: the next build copies unchanged bodies from it."""
        entry = self.outputs.get(path.name)
        return entry[2] if entry is not None and entry[1] == FileStamp.of(path) else None

    def read_of(self, path: str, stamp: FileStamp | None) -> ReadReport | None:
        """What reading ``path`` gave last time, if its stamp says it cannot have changed."""
        entry = self.reads.get(path)
        if entry is None or stamp is None or entry[0] != stamp:
            return None
        if stamp.mtime_ns >= self.started_ns - RACY_SECONDS * 1_000_000_000:
            return None
        return entry[1]


def load_manifest(cache_folder: Path) -> Manifest | None:
    """The manifest of the last build into this cache, or None (none, damaged, other code)."""
    try:
        with (cache_folder / MANIFEST_FILE).open("rb") as fh:
            manifest = pickle.load(fh)
    except FileNotFoundError:
        return None
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
        return None
    if not isinstance(manifest, Manifest) or manifest.fingerprint != code_fingerprint():
        return None
    return manifest


def save_manifest(cache_folder: Path, manifest: Manifest) -> Path:
    # exchanged into place: os.replace over it made ext4 write it out first (0.5 s at 10,000 reports)
    return write_atomic(cache_folder / MANIFEST_FILE, pickle.dumps(manifest, protocol=pickle.HIGHEST_PROTOCOL), exchange=True)


__all__ = ["MANIFEST_FILE", "FileStamp", "Manifest", "load_manifest", "save_manifest"]
