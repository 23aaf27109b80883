"""The ``sqsgraph`` command line: thin commands that wire the stages together.

Only this module prints, reads options and chooses exit codes: 0 OK, 1 a data problem
(a bad report, a failed validation, a store error), 2 a usage problem (click's convention).
Each command turns its options into one library call and formats the result.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__
from .errors import ReportError
from .formatting import report_summary
from .parser import parse_files
from .reader import expand_paths, sample_paths


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sqsgraph")
def main() -> None:
    """Turn HMI Probation SQS inspection reports into a knowledge graph.

    Example: sqsgraph build && sqsgraph query people-in-several-reports
    """


# --- commands are registered below, one block each ---------------------------------------------


def report_arguments(func):  # type: ignore[no-untyped-def]
    """REPORT_OR_DIR... arguments shared by the commands that read reports (default: the samples)."""
    return click.argument("reports", nargs=-1, type=click.Path(path_type=Path))(func)


def resolve_reports(reports: tuple[Path, ...]) -> list[Path]:
    return expand_paths(reports) if reports else sample_paths()


@main.command("parse")
@report_arguments
@click.option("--format", "fmt", type=click.Choice(["json", "summary"]), default="summary", show_default=True,
              help="json: the documented JSON array, one object per file; summary: a digest per report.")
@click.option("--strict", is_flag=True, help="Stop at the first file that is not a readable report.")
def parse_command(reports: tuple[Path, ...], fmt: str, strict: bool) -> None:
    """Read reports into the typed model and print what was found.

    REPORT_OR_DIR: report files or folders of them; the bundled samples when none are given.

    Example: sqsgraph parse reports/ --format json > reports.json
    """
    try:
        outcome = parse_files(resolve_reports(reports), strict=strict)
    except ReportError as exc:
        raise click.ClickException(str(exc)) from exc
    if fmt == "json":
        click.echo(json.dumps([r.to_json() for r in outcome.reports], indent=2, ensure_ascii=False))
    else:
        click.echo("\n\n".join(report_summary(r) for r in outcome.reports))
    exit_on_report_errors(outcome.errors)


def exit_on_report_errors(errors: list[ReportError]) -> None:
    """One line per bad file on stderr, then exit status 1 (after the good files were handled)."""
    for exc in errors:
        click.echo(f"error: {exc}", err=True)
    if errors:
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
