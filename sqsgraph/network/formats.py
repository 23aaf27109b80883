"""The names of the network figures' formats (``sqsgraph stats --format``), kept apart from their
formatters (``analytics.STATS_FORMATTERS``) so the command line lists them without loading networkx."""

STATS_FORMATS = ("table", "csv", "json")
