"""The output folder's bookkeeping: what a build was made from (for a bare rebuild), which files
are its own, what a killed build left behind, and the ontology's documentation page.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..errors import BuildError
from ..files import process_alive, write_atomic
from ..outputs import BUILD_RECORD, GRAPH_STEM, ONTOLOGY_DOCS, QUADS_FILE, views_dir
from ..rdf.formats import FORMATS
from ..rdf.vocab import ontology_path

#: ``.build.{pid}.{random}/``: where a build without cache keeps its per-report bodies meanwhile
SCRATCH_PREFIX = ".build."


def remove_stale_scratch(out: Path) -> None:
    """Remove the scratch folders of builds into ``out`` that were killed (their process is gone)."""
    for folder in out.glob(f"{SCRATCH_PREFIX}*"):
        pid = folder.name[len(SCRATCH_PREFIX):].split(".", 1)[0]
        if folder.is_dir() and pid.isdigit() and not process_alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def record_inputs(out: Path, paths: Sequence[Path] | None) -> Path:
    """Write into ``out`` the paths the build was given, as given and resolved (``None``: the
    bundled samples), atomically."""

    inputs: object = "bundled samples" if paths is None else [
        {"given": str(p), "resolved": str(p.resolve())} for p in paths]
    data = json.dumps({"built_from": inputs}, indent=1, ensure_ascii=False) + "\n"
    return write_atomic(out / BUILD_RECORD, data.encode("utf-8"))


@dataclass(frozen=True)
class LastInputs:
    """What the last build of a folder was built from: ``paths`` (``None``: the bundled samples),
    and how to name them in a note."""

    paths: list[Path] | None
    shown: str


def last_inputs(out: Path) -> LastInputs | None:
    """What the last build into ``out`` was built from, or ``None`` when ``out`` holds no build.
    A path given relative to another folder than this one's is taken resolved. Raises
    ``BuildError`` when the record cannot be read, names paths no longer there, or is missing
    from a folder that holds a build (made by an sqsgraph that did not record it): building the
    samples over it would lose it."""
    record = out / BUILD_RECORD
    try:
        data = json.loads(record.read_text(encoding="utf-8"))
    except FileNotFoundError:
        if (out / QUADS_FILE).exists():
            raise BuildError(f"no reports named, and {out}/ holds a build that does not say what it was built from "
                             f"(no {BUILD_RECORD}: an older sqsgraph made it); name the reports to build into it, or "
                             f"remove {out}/ to build the bundled samples") from None
        return None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise BuildError(f"no reports named, and {record}, which says what {out}/ was built from, cannot be read "
                         f"({exc}); name the reports to build") from exc
    inputs = data.get("built_from") if isinstance(data, dict) else None
    if inputs == "bundled samples":
        return LastInputs(None, "the bundled samples")
    if not (isinstance(inputs, list) and inputs and all(
            isinstance(i, dict) and isinstance(i.get("given"), str) and isinstance(i.get("resolved"), str) for i in inputs)):
        raise BuildError(f"no reports named, and {record}, which says what {out}/ was built from, is not as sqsgraph "
                         "writes it; name the reports to build")
    paths: list[Path] = []
    missing: list[str] = []
    for i in inputs:
        given, resolved = Path(i["given"]), Path(i["resolved"])
        path = given if given.exists() and given.resolve() == resolved else resolved
        if not (path.exists() or path.is_symlink()):
            missing.append(i["given"])
        paths.append(path)
    if missing:
        raise BuildError(f"no reports named, and {out}/ was last built from {', '.join(missing)}, which "
                         f"{'is' if len(missing) == 1 else 'are'} no longer there; name the reports to build")
    return LastInputs(paths, ", ".join(f"{p}/" if p.is_dir() else str(p) for p in paths))


def own_outputs(out: Path) -> list[Path]:
    """Every file a build may write into ``out``: the graph in each format, ``ontology.html``,
    and the views it draws (not those `sqsgraph view` writes, such as focus views)."""
    from ..network.compare import FILE_NAME as COMPARE_FILE
    from ..network.views import DEFAULT_VIEWS

    return [*(out / f"{GRAPH_STEM}{fmt.suffix}" for fmt in FORMATS.values()), out / ONTOLOGY_DOCS,
            *(views_dir(out) / f"{kind}.html" for kind in DEFAULT_VIEWS), views_dir(out) / COMPARE_FILE]


def remove_other_outputs(out: Path, written: Iterable[Path]) -> list[Path]:
    """Remove the files of ``own_outputs`` that this build did not write (``written``), so that
    every output file in the folder is its last build's: an earlier build's ``sqsgraph.trig``
    beside this one's ``sqsgraph.ttl`` would hold other reports. Other files are left alone."""
    keep = {os.path.normpath(p) for p in written}
    removed = []
    for path in own_outputs(out):
        if os.path.normpath(path) not in keep and (path.is_file() or path.is_symlink()):
            try:
                path.unlink()
            except FileNotFoundError:
                continue
            removed.append(path)
    return removed


@contextmanager
def _root_logger_kept() -> Iterator[None]:
    """The root logger's level and handlers as they were before the block: a library that sets
    up logging on import does not change what the program around it logs."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    try:
        yield
    finally:
        for handler in [h for h in root.handlers if h not in handlers]:
            root.removeHandler(handler)
        root.setLevel(level)


def write_ontology_docs(target: Path) -> tuple[Path | None, str | None]:
    """``ontology.html`` by pyLODE from ``ontology/sqs.ttl``; (None, why) when pyLODE cannot run."""
    try:
        with _root_logger_kept():  # pyLODE calls logging.basicConfig(level=DEBUG) on import
            from pylode import OntPub
    except (ImportError, OSError) as exc:  # pyLODE 3.4 fails on import when installed from a wheel
        return None, f"ontology docs skipped: pyLODE cannot be loaded ({type(exc).__name__}: {exc}); install a working pyLODE with pip install 'pylode<3.4'"

    try:
        with _root_logger_kept():
            html = OntPub(ontology=str(ontology_path("sqs.ttl"))).make_html()
    except (ValueError, KeyError, TypeError, OSError) as exc:
        return None, f"ontology docs skipped: pyLODE failed on ontology/sqs.ttl ({type(exc).__name__}: {exc})"
    return write_atomic(target, html.encode("utf-8")), None
