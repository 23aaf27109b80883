"""Serve: a read-only SPARQL 1.1 Protocol endpoint over a query store, with a query page."""
