"""Query: the named SPARQL library and the on-disk query store it runs on.

``library`` reads the ``.rq`` files (their headers, parameters, the read-only check);
``rewrite`` binds parameters and pages into a query's text; ``run`` runs it, from the stored
answers (``answers``, made by ``precompute`` when the store is built) or the full-text index
(``textindex``) first; ``querystore`` loads a build into Oxigraph once; ``results`` formats rows;
``rows`` gives them to Python as plain values;
``people`` lists persons. Reads the graph only.
"""
