"""``python -m sqsgraph``: the command line, as the ``sqsgraph`` script runs it."""

from sqsgraph.cli import main

main()
