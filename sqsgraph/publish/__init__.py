"""Publish: push a built dataset to any SPARQL 1.1 Graph Store Protocol store."""
