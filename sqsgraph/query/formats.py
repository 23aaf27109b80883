"""The names of the query result formats (``sqsgraph query --format``), kept apart from their
writers (``results.WRITERS``) so the command line lists them without loading the query engine."""

RESULT_FORMATS = ("table", "csv", "tsv", "sparql-tsv", "json", "markdown")
