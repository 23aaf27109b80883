"""What the commands share, and what they gather before they call a stage: errors mapped to exit
statuses in one place, the log on stderr, the graph a command reads (a file, a build's folder,
the last build) and its query store, option decorators, progress bars, the report paths a
command is given (parsed, or read as text), the reports a build reads, the query `sqsgraph
query` runs, and `sqsgraph push`'s credentials. What the commands print of the outcome is in
``echo``.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

import click

from .build import PER_REPORT_STAGES
from .errors import GraphError, ReportError, SqsgraphError
from .outputs import LAST_BUILD
from .read.reader import find_reports, sample_paths

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar
    from pyoxigraph import Store
    from rdflib import Dataset

    from .network.views import Cut
    from .query.answers import Precomputed
    from .query.library import NamedQuery
    from .query.textindex import TextIndex
    from .read.parser import ParseOutcome


#: A command function, as the option decorators below take and return it.
PROGRESS_AFTER = 5  # show a progress bar for more reports than this
F = TypeVar("F", bound=Callable[..., Any])


class SqsgraphCommand(click.Command):
    """A command whose sqsgraph errors end it with their message and exit status (``errors``):
    the one place they are mapped, so a command body only says what it does."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except SqsgraphError as exc:
            if exc.exit_status == 2:
                raise click.UsageError(str(exc), ctx) from exc
            raise click.ClickException(str(exc)) from exc


class SqsgraphGroup(click.Group):
    command_class = SqsgraphCommand


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]  # StreamHandler[TextIO] fails at run time before Python 3.11
    """Writes to whatever ``sys.stderr`` is when a record comes (click's test runner swaps it)."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:
        pass


class _LogFormatter(logging.Formatter):
    """sqsgraph's own lines as they are (the endpoint's request log); the libraries' with their
    level and logger, as ``logging.basicConfig`` shows them."""

    def format(self, record: logging.LogRecord) -> str:
        if _own(record):
            return record.getMessage() + (f"\n{self.formatException(record.exc_info)}" if record.exc_info else "")
        return f"{record.levelname}:{record.name}:{super().format(record)}"


def _own(record: logging.LogRecord) -> bool:
    return record.name == "sqsgraph" or record.name.startswith("sqsgraph.")


def configure_logging(verbose: int = 0) -> None:
    """The command line owns the root logger: sqsgraph's own log (the endpoint's requests) on
    stderr, and the libraries' only when asked (``-v``). Set before any library is imported, so
    one that calls ``logging.basicConfig`` on import (pyLODE, at DEBUG) finds it set and changes
    nothing; the level is set again for one imported earlier in the same process."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, _StderrHandler)]:
        root.removeHandler(handler)  # from an earlier command in the same process
    handler = _StderrHandler()
    handler.setFormatter(_LogFormatter())
    if not verbose:
        handler.addFilter(_own)
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING)
    logging.getLogger("sqsgraph").setLevel(logging.DEBUG if verbose > 1 else logging.INFO)


def stdout_is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):  # a closed or replaced stream
        return False


def graph_option(func: F) -> F:
    """--graph FILE_OR_FOLDER, the one way every command that reads a graph is given it (default:
    the last build, output/sqsgraph.nq); a folder stands for the build in it (FOLDER/sqsgraph.nq)."""
    return click.option(
        "--graph",
        "graph",
        type=click.Path(path_type=Path),
        default=None,
        help="Graph file (.nq, .trig, .ttl, .nt, .jsonld) or a folder holding a build "
        f"(its sqsgraph.nq)  [default: {LAST_BUILD}, the last build].",
    )(func)


def deprecated_graph_argument(func: F) -> F:
    """The [GRAPH] argument `validate`, `people`, `serve` and `push` took before --graph: still read, with a note."""
    return click.argument("graph_argument", metavar="[GRAPH]", required=False, type=click.Path(path_type=Path))(func)


def resolve_graph(graph: Path | None, argument: Path | None = None) -> Path:
    """The graph file a command reads: ``--graph`` (a file, or a folder holding a build), else the
    last build. It must be there: no build is an error (exit 1) for every command, never a quiet
    answer from something else. A graph other than the last build is named on stderr."""
    if argument is not None:
        if graph is not None:
            raise click.UsageError(f"give the graph once: --graph {graph} or {argument}, not both")
        click.echo(f"note: a graph as an argument is deprecated; write --graph {argument}", err=True)
        graph = argument
    path = LAST_BUILD if graph is None else graph
    if path.is_dir():
        path = path / LAST_BUILD.name
        if not path.is_file():
            raise click.ClickException(f"{graph}: holds no build ({LAST_BUILD.name}); run `sqsgraph build -o {graph}` first")
    if not path.is_file():
        raise click.ClickException(f"{path}: no such file; run `sqsgraph build` first or name an existing graph file")
    if path.resolve() != LAST_BUILD.resolve():
        click.echo(f"note: reading the graph {path}", err=True)
    return path


def shacl_engine_option(func: F) -> F:
    """--shacl-engine shared by `build` and `validate`."""
    return click.option(
        "--shacl-engine",
        type=click.Choice(["auto", "pyshacl", "turbo"]),
        default="auto",
        show_default=True,
        help="SHACL engine: pyshacl, or the faster turbo (pip install 'sqsgraph[fast]'); auto takes turbo if installed.",
    )(func)


def open_graph_store(graph_file: Path | None) -> Store | None:
    """The on-disk query store to read instead of loading ``graph_file`` (``None`` for the last
    build's graph), or ``None`` when there is none to use.

    The last build's graph (output/sqsgraph.nq) is read from its store (output/store/), built
    first, with a note, when it is missing or older than the file; any other N-Quads file is
    read from a store beside it only if that store is up to date."""
    from .query.querystore import default_store_dir, freshness, open_query_store

    path = LAST_BUILD if graph_file is None else graph_file
    if path.suffix.lower() not in (".nq", ".nquads") or not path.is_file():
        return None
    try:
        state = freshness(path)
        if state != "fresh":
            if path.resolve() != LAST_BUILD.resolve():
                return None
            why = "there is none yet" if state == "missing" else "the graph changed since it was built"
            click.echo(
                f"note: building the query store {default_store_dir(path)}/ from {path} ({why}); "
                "this takes a while for a large graph, once",
                err=True,
            )
        return open_query_store(path)
    except GraphError as exc:
        raise click.ClickException(str(exc)) from exc


class StageProgress:
    """One progress bar per build stage (reading, mapping, validating; then loading the query
    store, drawing the views, precomputing answers) on stderr."""

    def __init__(self) -> None:
        self.hidden: bool | None = None  # decided at the first report: a bar only for more than a few
        self.stage: str | None = None
        self.bar: ProgressBar[int] | None = None

    def __enter__(self) -> StageProgress:
        return self

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.hidden is None:
            self.hidden = total <= PROGRESS_AFTER
        if self.hidden:
            return
        bar = self.bar
        if bar is None or stage != self.stage:
            self._close()
            self.stage = stage
            label = f"{stage} reports" if stage in PER_REPORT_STAGES else stage  # the build's own words
            self.bar = bar = click.progressbar(length=total, label=label, file=sys.stderr)
            bar.__enter__()
        bar.update(done - bar.pos)  # a stage of one step says so at its start (0 of 1) and its end

    def _close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None

    def __exit__(self, *exc: object) -> None:
        self._close()


# --- views and stats ---------------------------------------------------------------------------
def load_graph_for_views(path: Path) -> Store | Dataset:
    """The query store for ``path`` (see ``open_graph_store``), else the file loaded in memory."""
    from .rdf.datasets import load_dataset

    store = open_graph_store(path)
    if store is not None:
        return store
    return load_dataset(path)


def report_arguments(func: F) -> F:
    """REPORT_OR_DIR... arguments shared by the commands that read reports (default: the samples)."""
    return click.argument("reports", nargs=-1, type=click.Path(path_type=Path))(func)


def resolve_reports(reports: tuple[Path, ...]) -> tuple[list[Path], list[ReportError], frozenset[str]]:
    """The report files named (or the bundled samples when none are), with the named folders
    that hold none and the paths that are not there, and which of the files were found in
    folders rather than named; files named twice and files of other kinds found in folders are
    noted on stderr."""
    if not reports:
        return sample_paths(), [], frozenset()
    found = find_reports(reports)
    for note in found.notes():
        click.echo(f"note: {note}", err=True)
    return found.files, found.problems, found.walked


def build_inputs(reports: tuple[Path, ...], out_dir: Path) -> list[Path] | None:
    """The reports `sqsgraph build` reads: those named, else what the last build into
    ``out_dir`` was built from, else (``None``) the bundled samples; said on stderr when none
    are named."""
    from .build.folder import last_inputs

    if reports:
        return list(reports)
    last = last_inputs(out_dir)
    if last is None or last.paths is None:
        click.echo(f"note: no reports named: building the {len(sample_paths())} bundled sample reports", err=True)
        return None
    click.echo(f"note: no reports named: rebuilding {out_dir}/ from {last.shown} as its last build did", err=True)
    return last.paths


def parse_reports(files: list[Path], problems: list[ReportError], walked: frozenset[str], strict: bool) -> ParseOutcome:
    """The reports parsed from ``files`` (in parallel), with ``problems`` and the files that are
    not reports among its errors (a file found in a folder that is not a report is noted, never
    an error, and does not stop a ``strict`` parse); ``strict``: the first error ends the command."""
    from .read.parser import parse_files

    outcome = parse_files(files, strict=strict and not walked, workers=os.cpu_count() or 1)
    errors = skip_what_is_not_a_report(outcome.errors, walked)
    if strict and errors:
        raise click.ClickException(str(errors[0]))
    outcome.errors[:] = [*problems, *errors]
    return outcome


def report_texts(
    files: list[Path], problems: list[ReportError], walked: frozenset[str], strict: bool
) -> tuple[list[str], list[ReportError]]:
    """The text sqsgraph reads from each file (`sqsgraph parse --text`), and the files it could
    not read with ``problems``; ``strict``: the first that is not a report ends the command,
    unless it was found in a folder and is plainly something else."""
    from .read.reader import plainly_not_a_report, read_report_file

    errors = list(problems)
    texts = []
    for path in files:
        try:
            texts.append(read_report_file(path).document.text)
        except ReportError as exc:
            if strict and not (str(path) in walked and plainly_not_a_report(exc)):
                raise click.ClickException(str(exc)) from exc
            errors.append(exc)
    return texts, errors


def skip_what_is_not_a_report(errors: list[ReportError], walked: frozenset[str]) -> list[ReportError]:
    """``errors`` without those of files found in folders that hold something other than an
    SQS report (a README.md), which are noted on stderr in one line instead."""
    from .read.reader import plainly_not_a_report, skipped_note

    skipped = [e for e in errors if e.path in walked and plainly_not_a_report(e)]
    if note := skipped_note([e.path for e in skipped]):
        click.echo(f"note: {note}", err=True)
    return [e for e in errors if e not in skipped]


def exit_on_report_errors(errors: list[ReportError]) -> None:
    """One line per bad file on stderr, then exit status 1 (after the good files were handled)."""
    for exc in errors:
        click.echo(f"error: {exc}", err=True)
    if errors:
        sys.exit(1)


def text_index_of(graph_file: Path) -> TextIndex | None:
    """The full-text index of the (fresh) query store ``open_graph_store`` opened for
    ``graph_file``, built first if that store predates the index."""
    from .query.querystore import default_store_dir, ensure_text_index, open_text_index
    from .query.textindex import text_index_unavailable

    folder = default_store_dir(graph_file)
    index = open_text_index(folder)
    if index is None and not text_index_unavailable():
        click.echo(f"note: adding the full-text index to the query store {folder}/ (once)", err=True)
        ensure_text_index(folder)
        index = open_text_index(folder)
    return index


def precomputed_of(graph_file: Path) -> Precomputed | None:
    """The named queries' answers computed when the (fresh) query store of ``graph_file`` was
    built, or ``None`` (a store built before they existed: its queries run SPARQL)."""
    from .query.querystore import default_store_dir, open_precomputed

    return open_precomputed(default_store_dir(graph_file))


def network_cuts_of(graph_file: Path) -> dict[str, Cut] | None:
    """The views' cuts kept with the (fresh) query store of ``graph_file`` (``network.netindex``),
    made first, with a note, if that store has none (a store built before they existed, or by a
    query) or none this version reads; ``None`` if the file made cannot be read back."""
    from .network.netindex import read_network_index, write_network_index
    from .query.querystore import default_store_dir, ensure_network_index

    folder = default_store_dir(graph_file)
    kept: list[dict[str, Cut]] = []

    def usable(path: Path) -> bool:  # the kept file, read once: the cuts themselves when it is usable
        cuts = read_network_index(path)
        kept.extend([cuts] if cuts is not None else [])
        return cuts is not None

    def make(store: Store, path: Path) -> None:
        click.echo(f"note: adding the views' cuts of the networks to the query store {folder}/ (once)", err=True)
        write_network_index(store, path)

    path = ensure_network_index(folder, make, usable)
    return kept[0] if kept else read_network_index(path)


def store_for_query(graph_file: Path) -> tuple[Store, TextIndex | None, Precomputed | None]:
    """The store `sqsgraph query` asks, with its full-text index and the answers computed in
    advance: the query store of ``graph_file`` when it has one, else the file loaded in memory
    (with neither)."""
    from .query.run import open_store

    store = open_graph_store(graph_file)
    if store is None:
        return open_store(graph_file), None, None
    return store, text_index_of(graph_file), precomputed_of(graph_file)


def store_for_comparison(graph_file: Path) -> tuple[Store, Precomputed | None]:
    """The store `sqsgraph view compare` reads, with the answers kept beside it: the query store
    of ``graph_file`` when it has one, else the file loaded in memory."""
    from .query.run import open_store

    store = open_graph_store(graph_file)
    try:
        if store is None:
            return open_store(graph_file), None
        return store, precomputed_of(graph_file)
    except GraphError as exc:
        raise click.ClickException(str(exc)) from exc


def chosen_query(name_or_file: str | None, sparql: str | None) -> NamedQuery:
    """The query `sqsgraph query` runs: a named one or a file (NAME_OR_FILE), or the text of
    --sparql, one of them; checked against the endpoint's rules before any graph is opened."""
    from .query.library import NamedQuery, check_own_query, get_query

    if bool(name_or_file) == bool(sparql):
        raise click.UsageError("give a query NAME or FILE.rq, or --sparql 'TEXT' (one of them)")
    query = get_query(name_or_file) if name_or_file else NamedQuery("sparql", "sparql", "", sparql or "", adhoc=True)
    check_own_query(query.text)
    return query


def key_value(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise click.BadParameter(f"expected KEY=VALUE, got {text!r}", param_hint="--param")
    return key.strip(), value


def push_credentials(auth: str | None, token_env: str | None) -> tuple[tuple[str, str] | None, str | None]:
    """(user, password) from --auth USER:PASSWORD, or the bearer token in the environment
    variable --token-env names; one of them at most."""
    if auth and token_env:
        raise click.UsageError("give --auth or --token-env, not both")
    credentials = None
    if auth:
        user, sep, password = auth.partition(":")
        if not sep or not user:
            raise click.BadParameter("expected USER:PASSWORD", param_hint="--auth")
        credentials = (user, password)
    token = None
    if token_env:
        token = os.environ.get(token_env)
        if not token:
            raise click.UsageError(f"--token-env {token_env}: that environment variable is not set or empty")
    return credentials, token
