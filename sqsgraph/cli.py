"""The ``sqsgraph`` command line: thin commands that wire the stages together.

Only this module prints, reads options and chooses exit codes: 0 OK, 1 a data problem
(a bad report, a failed validation, a store error), 2 a usage problem (click's convention).
Each command turns its options into one library call and formats the result.
"""

from __future__ import annotations

import sys

import click

from . import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sqsgraph")
def main() -> None:
    """Turn HMI Probation SQS inspection reports into a knowledge graph.

    Example: sqsgraph build && sqsgraph query people-in-several-reports
    """


# --- commands are registered below, one block each ---------------------------------------------


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
