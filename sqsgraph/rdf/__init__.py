"""RDF: the report model to statements, and the graph's vocabulary, formats, checks and loading.

``mapper`` (with ``identity``, ``organisations``, ``areacodes``, ``provenance`` and ``terms``)
maps each ``Report`` to its named graph; ``export`` writes datasets in every format, ``datasets`` reads them
back, ``validator`` checks them against the SHACL shapes. Nothing here knows text layout.
Hands on: RDF datasets and their bytes.
"""
