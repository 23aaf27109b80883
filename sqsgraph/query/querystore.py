"""The persistent query store: a build's N-Quads bulk-loaded once into an on-disk Oxigraph
(RocksDB) store, so ``query``, ``serve``, ``people``, ``stats`` and ``view`` open it in a fraction
of a second instead of parsing the whole graph file on every call.

Layout, beside the graph file (``output/store/`` for ``output/sqsgraph.nq``)::

    output/store/
      current.json          which database is live, and the N-Quads file it was built from
      db-<time>-<random>/   the live database (RocksDB)
      fts-db-<time>-<random>.sqlite  the live database's full-text index (``textindex``)
      res-db-<time>-<random>.sqlite  the named queries' answers, computed at build (``precompute``)
      net-db-<time>-<random>.json    the views' cuts of the networks (``network.netindex``)
      db-<time>-<random>/   at most one superseded database (removed by the next build), and its index
      .snapshot-<pid>-<random>/  hard-linked copies held by running endpoints (``snapshot``)

A build loads into a new ``db-…`` folder, then makes it live by replacing ``current.json``
(``os.replace``: atomic). A load that is killed leaves the previous database live and usable;
its half-written folder is removed by the next build. The superseded database is kept until the
next build, so a command that opened it just before the swap can finish reading it.

``current.json`` records the size, modification time and SHA-256 of the graph file. A store is
*fresh* when the file still has that size and time, or (after a copy or ``touch``) that SHA-256;
otherwise it is *stale*: ``open_query_store`` rebuilds it, or refuses with ``StaleStoreError``.

The full-text index (SQLite FTS5, ``textindex``) is built from each new database right after
it is loaded, before the swap (``sqsgraph build`` makes it just after the swap instead, while
another process cuts the networks: a query run meanwhile waits for it, and an endpoint started
meanwhile serves without it), and named in ``current.json``: it goes live, and goes stale, with
its database. ``open_text_index`` opens the live one (``None`` when the store predates it;
``ensure_text_index`` adds it then). The index needs SQLite 3.34 or later (FTS5's trigram
tokenizer); with an older SQLite the store is built without it, with a note, and text searches
read every text as before.

The precomputed answers of the named queries (``precompute``) are computed from each new
database the same way, after its index and before the swap (``sqsgraph build``: after it), and named in ``current.json`` as
``results``: live, stale, snapshotted and removed with their database. ``open_precomputed``
opens the live ones; ``ensure_precomputed`` adds them to a store built before they existed.

The views' cuts of the networks (``network.netindex``: which part of the whole network each view
shows) are kept the same way, as ``network``: made by the build once the store is live
(``ensure_network_index``, given the function that makes them; without the builder's lock), so
that a view is drawn from the part it keeps without reading the whole network again. This module keeps the file and knows
nothing of what is in it.

The file is read in chunks of ``chunk_bytes`` (whole lines), each bulk-loaded by Oxigraph: the
chunk size bounds the loader's memory, which pyoxigraph offers no setting for (measured: the
1,000-report file, 1.3 M quads, in one ``bulk_load`` peaks at 1.2 GB; in 32 MB chunks at 250 MB).
N-Quads lines stand alone, so the chunks are independent; sqsgraph graphs have no blank nodes
whose labels could span chunks. The store is compacted once at the end (``optimize``): the
chunks' many small files otherwise make every lookup about twice as slow.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import secrets
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pyoxigraph as ox

from ..errors import GraphError, StaleStoreError
from ..files import process_alive, temp_writer, write_atomic
from ..outputs import store_dir

if TYPE_CHECKING:
    from .answers import Precomputed
    from .textindex import TextIndex

MANIFEST = "current.json"
LOCK = ".lock"
DB_PREFIX = "db-"
MANIFEST_FORMAT = 1
#: Bytes of N-Quads handed to Oxigraph's bulk loader at a time (bounds its memory; see above).
DEFAULT_CHUNK_BYTES = 32 * 1024 * 1024
TEXT_INDEX_PREFIX, TEXT_INDEX_SUFFIX = "fts-", ".sqlite"
RESULTS_PREFIX = "res-"
NETWORK_PREFIX, NETWORK_SUFFIX = "net-", ".json"

Freshness = Literal["fresh", "stale", "missing"]


@dataclass(frozen=True)
class Fingerprint:
    """What identifies the graph file a store was built from."""

    size: int
    mtime_ns: int
    sha256: str


@dataclass(frozen=True)
class LiveDatabase:
    """The contents of ``current.json``."""

    database: str  # folder name of the live database inside the store folder
    source: str  # the graph file, as given to build_query_store
    fingerprint: Fingerprint
    statements: int  # lines of N-Quads loaded
    load_seconds: float
    pyoxigraph: str
    format: int = MANIFEST_FORMAT
    text_index: str | None = None  # file name of the full-text index of this database (``textindex``), if built
    results: str | None = None  # file name of the precomputed answers of this database (``precompute``), if built
    network: str | None = None  # file name of the views' cuts of this database (``network.netindex``), if made


def default_store_dir(quads_file: str | Path) -> Path:
    """Where the query store of a graph file lives: ``store/`` beside it."""
    return store_dir(quads_file)


# --------------------------------------------------------------------------------- building


def build_query_store(
    quads_file: str | Path,
    store_dir: str | Path | None = None,
    *,
    chunk_bytes: int = DEFAULT_CHUNK_BYTES,
    precompute: bool = True,
) -> Path:
    """Bulk-load the N-Quads file ``quads_file`` into a new on-disk Oxigraph database under
    ``store_dir`` (default ``store/`` beside the file) and make it the live one atomically.

    ``precompute`` false leaves out the named queries' precomputed answers (``precompute``;
    they take about as long as running those queries once; ``ensure_precomputed`` adds them later).

    Returns ``store_dir``. Raises ``GraphError`` naming the file for a missing or unreadable file
    or a syntax error (with the line the failing chunk starts at); the previous store, if any,
    stays live then.
    """
    source, folder = _paths(quads_file, store_dir)
    _check_source(source)
    with _locked(folder):
        _build_locked(source, folder, chunk_bytes, precompute)
    return folder


def _paths(quads_file: str | Path, store_dir: str | Path | None) -> tuple[Path, Path]:
    source = Path(quads_file)
    return source, Path(store_dir) if store_dir is not None else default_store_dir(source)


def _check_source(source: Path) -> None:
    if source.suffix.lower() not in (".nq", ".nquads"):
        raise GraphError(
            f"{source}: the query store is built from an N-Quads file (.nq), not {source.suffix or 'a file without a suffix'}"
        )
    if not source.is_file():
        raise GraphError(f"{source}: no such file; run `sqsgraph build` first")


def _build_locked(source: Path, folder: Path, chunk_bytes: int, precompute: bool = True, text_index: bool = True) -> None:
    """Load ``source`` into a new database in ``folder`` and swap it in (builder's lock held);
    with its full-text index (``text_index``) and precomputed answers (``precompute``) made
    before the swap, or left to ``ensure_text_index`` and ``ensure_precomputed`` after it."""
    previous = read_live_database(folder)
    remove_stale_databases(folder, keep={previous.database} if previous else set())
    name = f"{DB_PREFIX}{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}-{secrets.token_hex(4)}"
    target = folder / name
    try:
        started = time.perf_counter()
        fingerprint, statements = _load(source, target, chunk_bytes)
        index = _build_index(target) if text_index else None
        results = _build_results(target) if precompute else None
        manifest = LiveDatabase(
            name,
            str(source),
            fingerprint,
            statements,
            round(time.perf_counter() - started, 2),
            ox.__version__,
            text_index=index.name if index else None,
            results=results.name if results else None,
        )
        _write_live_database(folder, manifest)
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        _index_path(target).unlink(missing_ok=True)
        _results_path(target).unlink(missing_ok=True)
        raise


def _write_live_database(folder: Path, manifest: LiveDatabase) -> None:
    write_atomic(folder / MANIFEST, (json.dumps(asdict(manifest), indent=2) + "\n").encode("utf-8"))


def _index_path(database: Path) -> Path:
    return database.with_name(TEXT_INDEX_PREFIX + database.name + TEXT_INDEX_SUFFIX)


def _build_index(database: Path) -> Path | None:
    """The full-text index of the (closed, complete) database at ``database``, beside it;
    ``None`` (with a note on stderr) when this SQLite cannot build one."""
    from .textindex import build_text_index, text_index_unavailable

    why = text_index_unavailable()
    if why:
        print(
            f"note: the query store is built without its full-text index ({why}); text searches read every text instead",
            file=sys.stderr,
        )
        return None
    return build_text_index(ox.Store.read_only(str(database)), _index_path(database))


def _results_path(database: Path) -> Path:
    return database.with_name(RESULTS_PREFIX + database.name + TEXT_INDEX_SUFFIX)


def _build_results(database: Path) -> Path:
    """The precomputed answers of the named queries over the database at ``database``, beside it."""
    from .precompute import build_results
    from .textindex import TextIndex

    index = _index_path(database)  # built just before, when this SQLite can: it finds the sub-selects' terms
    return build_results(
        ox.Store.read_only(str(database)), _results_path(database), TextIndex(index) if index.is_file() else None
    )


def _load(source: Path, target: Path, chunk_bytes: int) -> tuple[Fingerprint, int]:
    """Load ``source`` into a new database at ``target``, hashing it on the way; the database is
    compacted and closed when this returns."""
    digest = hashlib.sha256()
    try:
        before = source.stat()
        store = ox.Store(str(target))
        line = 1
        for chunk in _chunks(source, chunk_bytes):
            digest.update(chunk)
            try:
                store.bulk_load(input=chunk, format=ox.RdfFormat.N_QUADS)
            except SyntaxError as exc:  # its line numbers count from the chunk's first line
                where = f"line {line + exc.lineno - 1}" if exc.lineno else f"the part from line {line}"
                raise GraphError(f"{source}: not valid N-Quads at {where}: {exc.msg.split(': ', 1)[-1]}") from exc
            line += chunk.count(b"\n")
        store.optimize()  # one compaction: the chunks' many small files make every lookup slower
        store.flush()
        del store
        after = source.stat()
    except OSError as exc:
        raise GraphError(f"{source}: cannot be loaded into the query store ({exc.strerror or exc})") from exc
    if (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns):
        raise GraphError(f"{source}: the file changed while it was being loaded; run the command again")
    return Fingerprint(after.st_size, after.st_mtime_ns, digest.hexdigest()), line - 1


def _chunks(path: Path, size: int) -> Iterator[bytes]:
    """The file in pieces of about ``size`` bytes, each ending at a line end."""
    with path.open("rb") as fh:
        rest = b""
        while True:
            block = fh.read(size)
            if not block:
                break
            block = rest + block
            cut = block.rfind(b"\n") + 1
            if cut == 0:  # one line longer than the chunk: read on
                rest = block
                continue
            rest = block[cut:]
            yield block[:cut]
        if rest:
            yield rest


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """One builder at a time per store folder (a second waits for the first)."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / LOCK).open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def remove_stale_databases(folder: str | Path, keep: set[str]) -> list[Path]:
    """Remove every database in ``folder`` but ``keep``: superseded ones and what a killed load
    left. Only call it with the builder's lock held (so no load is running there)."""
    removed = []
    for entry in sorted(Path(folder).glob(f"{DB_PREFIX}*")):
        if entry.is_dir() and entry.name not in keep:
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    for prefix, suffix in (
        (TEXT_INDEX_PREFIX, TEXT_INDEX_SUFFIX),
        (RESULTS_PREFIX, TEXT_INDEX_SUFFIX),
        (NETWORK_PREFIX, NETWORK_SUFFIX),
    ):
        for entry in sorted(Path(folder).glob(f"{prefix}{DB_PREFIX}*{suffix}")):
            if entry.name[len(prefix) : -len(suffix)] not in keep:
                entry.unlink(missing_ok=True)
                removed.append(entry)
        for entry in Path(folder).glob(f".{prefix}*.tmp"):  # an index, results or cuts build that was killed
            # (the cuts are written without the lock, by ``write_atomic``: a running writer's file is left alone)
            writer = temp_writer(entry)
            if writer is None or not process_alive(writer):
                entry.unlink(missing_ok=True)
    return removed


# ---------------------------------------------------------------------------------- opening


def read_live_database(store_dir: str | Path) -> LiveDatabase | None:
    """The live database's manifest, or ``None`` when no complete store was ever built there."""
    path = Path(store_dir) / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        data["fingerprint"] = Fingerprint(**data["fingerprint"])
        manifest = LiveDatabase(**data)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError, KeyError) as exc:
        raise GraphError(f"{path}: not a readable query store manifest ({exc}); remove {store_dir} to rebuild it") from exc
    if manifest.format != MANIFEST_FORMAT:
        return None
    return manifest


def freshness(quads_file: str | Path, store_dir: str | Path | None = None) -> Freshness:
    """``fresh`` when the store was built from ``quads_file`` as it is now, ``stale`` when the
    file changed since, ``missing`` when there is no store."""
    source, folder = _paths(quads_file, store_dir)
    manifest = read_live_database(folder)
    if manifest is None or not (folder / manifest.database).is_dir():
        return "missing"
    try:
        st = source.stat()
    except OSError as exc:
        raise GraphError(f"{source}: cannot be read ({exc.strerror or exc})") from exc
    built = manifest.fingerprint
    if (st.st_size, st.st_mtime_ns) == (built.size, built.mtime_ns):
        return "fresh"
    if st.st_size != built.size:
        return "stale"
    return "fresh" if _sha256(source) == built.sha256 else "stale"  # same size: touched or copied?


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(DEFAULT_CHUNK_BYTES):
            digest.update(block)
    return digest.hexdigest()


def database_path(store_dir: str | Path) -> Path:
    """The folder of the live database (what ``pyoxigraph.Store.read_only`` opens)."""
    manifest = read_live_database(store_dir)
    if manifest is None:
        raise GraphError(f"{store_dir}: no query store here; run `sqsgraph build`")
    return Path(store_dir) / manifest.database


def ensure_query_store(
    quads_file: str | Path, store_dir: str | Path | None = None, *, precompute: bool = True, text_index: bool = True
) -> Path:
    """Make the query store of ``quads_file`` fresh: built (as ``build_query_store``) when it is
    missing or stale, left as it is otherwise; the store's folder. The build loads it without
    its full-text index and precomputed answers (``text_index`` and ``precompute`` false), so
    that the networks can be cut from it in another process while one makes them
    (``ensure_text_index``, ``ensure_precomputed``)."""
    source, folder = _paths(quads_file, store_dir)
    if freshness(source, folder) != "fresh":
        _check_source(source)
        with _locked(folder):
            if freshness(source, folder) != "fresh":  # another process may have built it meanwhile
                _build_locked(source, folder, DEFAULT_CHUNK_BYTES, precompute, text_index)
    return folder


def open_query_store(quads_file: str | Path, store_dir: str | Path | None = None, *, rebuild: bool = True) -> ox.Store:
    """The query store of ``quads_file``, opened read-only.

    A missing or stale store is rebuilt first when ``rebuild`` is true (that takes as long as
    ``build_query_store``); otherwise ``StaleStoreError`` says which file changed and how to
    rebuild. Queries see the named graphs; ``run.run_query`` asks for their union.
    """
    source, folder = _paths(quads_file, store_dir)
    state = freshness(source, folder)
    if state != "fresh":
        if not rebuild:
            why = "does not exist" if state == "missing" else "was built before the file last changed"
            raise StaleStoreError(
                f"{source}: its query store {folder} {why}; run `sqsgraph build` "
                "(or any query command on the default graph) to rebuild it"
            )
        ensure_query_store(source, folder)
    try:
        return ox.Store.read_only(str(database_path(folder)))
    except OSError as exc:
        raise GraphError(
            f"{folder}: the query store cannot be opened ({exc}); remove that folder and it is rebuilt on next use"
        ) from exc


def open_text_index(store_dir: str | Path) -> TextIndex | None:
    """The live database's full-text index (a ``textindex.TextIndex``), or ``None`` when the
    store has none (built before the index existed). Only call it for a fresh store (it is as
    fresh as its database: ``open_query_store`` checks that)."""
    from .textindex import TextIndex

    path = _beside(store_dir, "text_index")
    if path is None:
        return None
    index = TextIndex(path)
    if not index.current:  # folded by an older sqsgraph: ``ensure_text_index`` builds it again
        index.close()
        return None
    return index


#: The fields of ``LiveDatabase`` that name a file made beside the database.
BesideField = Literal["text_index", "results", "network"]


def _beside(store_dir: str | Path, field_name: BesideField) -> Path | None:
    """The file the manifest names in ``field_name`` beside the live database, if it is there."""
    manifest = read_live_database(store_dir)
    name: str | None = getattr(manifest, field_name) if manifest is not None else None
    if not name or not (Path(store_dir) / name).is_file():
        return None
    return Path(store_dir) / name


def ensure_text_index(store_dir: str | Path) -> Path | None:
    """Build the full-text index of the live database in ``store_dir`` if it has none (a store
    built before the index existed), under the builder's lock; its path (``None`` when this
    SQLite cannot build one)."""
    return _ensure_beside(store_dir, "text_index", _build_index, usable=_current_index)


def _current_index(path: Path) -> bool:
    from .textindex import TextIndex

    index = TextIndex(path)
    try:
        return index.current
    finally:
        index.close()


def _ensure_beside(
    store_dir: str | Path,
    field_name: BesideField,
    make: Callable[[Path], Path | None],
    usable: Callable[[Path], bool] = lambda path: True,
    *,
    make_locked: bool = True,
) -> Path | None:
    """The file the manifest names in ``field_name`` beside the live database, made by ``make``
    from the database (and named in the manifest) when the store has none, or none ``usable``.

    ``make_locked`` false: made without the builder's lock, which is then held only to name the
    file, and only while its database is still live (the cuts: see ``ensure_network_index``)."""
    folder = Path(store_dir)
    with _locked(folder) if make_locked else nullcontext():
        manifest = read_live_database(folder)
        if manifest is None:
            raise GraphError(f"{store_dir}: no query store here; run `sqsgraph build`")
        name: str | None = getattr(manifest, field_name)
        if name and (folder / name).is_file() and usable(folder / name):
            return folder / name
        made = make(folder / manifest.database)
        if made is None:
            return None
        with nullcontext() if make_locked else _locked(folder):
            current = read_live_database(folder)
            # named only while its database is live (a build made meanwhile has removed it, or will)
            if current is not None and current.database == manifest.database and getattr(current, field_name) != made.name:
                change: dict[str, Any] = {field_name: made.name}
                _write_live_database(folder, replace(current, **change))
        return made


def open_precomputed(store_dir: str | Path) -> Precomputed | None:
    """The live database's precomputed answers (a ``answers.Precomputed``), or ``None``
    when the store has none. As ``open_text_index``: only for a fresh store."""
    from .answers import Precomputed

    path = _beside(store_dir, "results")
    return None if path is None else Precomputed(path)


def ensure_precomputed(store_dir: str | Path) -> Path:
    """Compute the named queries' answers for the live database in ``store_dir`` if it has none
    (a store built before they existed), under the builder's lock; their path."""
    made = _ensure_beside(store_dir, "results", _build_results)
    assert made is not None  # _build_results always makes its file
    return made


def network_index_path(store_dir: str | Path) -> Path | None:
    """The live database's file of the views' cuts (``network.netindex``), or ``None`` when it
    has none. As ``open_text_index``: only for a fresh store."""
    return _beside(store_dir, "network")


def ensure_network_index(
    store_dir: str | Path, make: Callable[[ox.Store, Path], object], usable: Callable[[Path], bool] = lambda path: True
) -> Path:
    """The file of the views' cuts of the live database in ``store_dir``: made by ``make`` (given
    the database, opened read-only, and the file to write) and named in the manifest when the
    store has none, or none ``usable`` (made by another version); its path.

    Unlike the other files beside the database, it is made without the builder's lock, which is
    held only to name it in the manifest: the build cuts the networks in one process while
    another makes the text index, under the lock. Two processes asking at once may both make it:
    they write the same file, each atomically."""

    def made(database: Path) -> Path:
        path = database.with_name(NETWORK_PREFIX + database.name + NETWORK_SUFFIX)
        make(ox.Store.read_only(str(database)), path)
        return path

    found = _ensure_beside(store_dir, "network", made, usable, make_locked=False)
    assert found is not None  # made always makes its file
    return found


# ------------------------------------------------------------------------------- snapshots

SNAPSHOT_PREFIX = ".snapshot-"


@dataclass(frozen=True)
class Snapshot:
    """A hard-linked copy of the live database, for a long-running reader (the endpoint): a later
    build can replace and remove the database it was taken from without pulling files from under
    it. ``remove()`` when done; a snapshot left by a killed process is removed by the next one."""

    path: Path  # the database folder (what ``pyoxigraph.Store.read_only`` opens)
    text_index: Path | None = None  # a hard link to the database's full-text index, if it has one
    results: Path | None = None  # a hard link to the database's precomputed answers, if it has them

    def remove(self) -> None:
        shutil.rmtree(self.path.parent, ignore_errors=True)


def snapshot(store_dir: str | Path) -> Snapshot:
    """Take a ``Snapshot`` of the live database in ``store_dir``: RocksDB's checkpoint, which
    hard-links the immutable files (no copy: the snapshot lives inside ``store_dir``, on the same
    file system)."""
    folder = Path(store_dir)
    manifest = read_live_database(folder)  # read once: the database and its index must be one pair
    source = database_path(folder) if manifest is None else folder / manifest.database
    for stale in folder.glob(f"{SNAPSHOT_PREFIX}*"):
        pid = stale.name[len(SNAPSHOT_PREFIX) :].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)
    holder = folder / f"{SNAPSHOT_PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
    holder.mkdir()
    try:
        ox.Store.read_only(str(source)).backup(str(holder / "db"))
        index = None
        if manifest is not None and manifest.text_index and (folder / manifest.text_index).is_file():
            index = holder / "db.text.sqlite"
            os.link(folder / manifest.text_index, index)  # never rewritten in place: a link is a snapshot
        results = None
        if manifest is not None and manifest.results and (folder / manifest.results).is_file():
            results = holder / "db.results.sqlite"
            os.link(folder / manifest.results, results)
    except OSError as exc:
        shutil.rmtree(holder, ignore_errors=True)
        raise GraphError(f"{source}: cannot take a snapshot of the query store ({exc})") from exc
    return Snapshot(holder / "db", index, results)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


__all__ = [
    "DEFAULT_CHUNK_BYTES",
    "Fingerprint",
    "Freshness",
    "LiveDatabase",
    "Snapshot",
    "build_query_store",
    "database_path",
    "default_store_dir",
    "ensure_precomputed",
    "ensure_query_store",
    "ensure_network_index",
    "ensure_text_index",
    "freshness",
    "open_query_store",
    "open_precomputed",
    "network_index_path",
    "open_text_index",
    "read_live_database",
    "remove_stale_databases",
    "snapshot",
]
