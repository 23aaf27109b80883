"""What the commands say about what came of them, beyond one line: a build's files, figures,
warnings, validation and failures; the notes after a query's rows (values cut, rows that
follow); the list of named queries. Results on stdout, notes, warnings and errors on stderr.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from .build.records import BuildResult
    from .query.library import NamedQuery
    from .query.run import QueryResult
    from .rdf.validator import ValidationReport


#: warnings `sqsgraph build` prints unless --all-warnings: a corpus of invented areas warns for each
WARNINGS_SHOWN = 20


def echo_build_result(result: BuildResult, all_warnings: bool = False) -> bool:
    """The files a build wrote, then its figures, warnings, notes, validation and failures;
    whether it went well (nothing built is never well)."""
    for path in result.files:
        click.echo(f"wrote {path}")
    if not result.report_ids:  # nothing was built, nothing written
        _echo_notes(result.notes)
        _echo_failures(result)
        return False
    click.echo(build_summary_line(result))
    _echo_warnings(result.warnings, all_warnings)
    _echo_notes(result.notes)
    if result.validation is not None:
        _echo_validation(result.validation)
    _echo_failures(result)
    return result.ok


def build_summary_line(result: BuildResult) -> str:
    s = result.summary()
    return (
        f"reports: {s['reports']}, triples: {s['triples']}, people: {s['people']}, "
        f"organisations: {s['organisations']}, posts: {s['posts']}, findings: {s['findings']}, "
        f"strengths: {s['strengths']}, improvements: {s['improvements']}, warnings: {s['warnings']}"
    )


def _echo_warnings(warnings: list[str], all_warnings: bool) -> None:
    """The first ``WARNINGS_SHOWN`` warnings and how many more (``all_warnings``: every one)."""
    shown = warnings if all_warnings else warnings[:WARNINGS_SHOWN]
    for line in shown:
        click.echo(f"warning: {line}", err=True)
    if len(warnings) > len(shown):
        click.echo(f"note: {len(warnings) - len(shown)} more warnings not shown; --all-warnings prints them all", err=True)


def _echo_notes(notes: list[str]) -> None:
    for line in notes:
        click.echo(f"note: {line}", err=True)


def _echo_validation(validation: ValidationReport) -> None:
    click.echo("validation: conforms" if validation.conforms else "validation: does not conform")
    for problem in validation.violations:
        click.echo(problem.line(), err=True)


def _echo_failures(result: BuildResult) -> None:
    for failure in result.failures:
        click.echo(f"error: {failure.line()}", err=True)  # the same form as `sqsgraph parse`


def echo_query_notes(result: QueryResult, fmt: str, *, wide: bool, offset: int) -> None:
    """The notes on stderr after a query's rows: how many values the format cut (unless
    ``wide``), and, when more rows follow the page, how to ask for them."""
    from .query.results import WIDTHS, cut_values

    cut = 0 if wide else cut_values(result, fmt)
    if cut:
        click.echo(
            f"note: {cut} value{'s' if cut != 1 else ''} cut at {WIDTHS[fmt]} characters (…): "
            "--wide shows them whole, as --format csv does",
            err=True,
        )
    if result.more:
        shown = len(result.rows) if result.kind == "select" else len(result.triples)
        click.echo(
            f"note: {'rows' if result.kind == 'select' else 'triples'} {offset + 1}-{offset + shown} shown, "
            f"more follow: --offset {offset + shown} for the next page, --limit 0 for all",
            err=True,
        )


def query_listing_lines(named: dict[str, NamedQuery]) -> list[str]:
    """One line per named query: its name, its title and the parameters it takes."""
    width = max(len(n) for n in named)
    lines = []
    for name, q in named.items():
        params = " ".join(f"[--param {p.name}=…]" if p.optional else f"--param {p.name}=…" for p in q.params)
        lines.append(f"{name.ljust(width)}  {q.title}" + (f"  {params}" if params else ""))
    return lines
