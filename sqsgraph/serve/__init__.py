"""Serve: a read-only SPARQL 1.1 Protocol endpoint over a query store, with a query page.

``server`` is the HTTP side (routes, the query page, ``create_server``); ``pool`` keeps the
worker processes that run queries; ``answer`` answers one request in a worker; ``protocol``
holds the media types, content negotiation and result writers.
"""
