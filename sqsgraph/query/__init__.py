"""Query: the named SPARQL library and the on-disk query store it runs on.

``queries`` reads the ``.rq`` files and runs them with their parameters; ``querystore`` loads a
build into Oxigraph once, with a full-text index (``textindex``) and stored answers
(``precomputed``); ``results`` formats rows; ``people`` lists persons. Reads the graph only.
"""
