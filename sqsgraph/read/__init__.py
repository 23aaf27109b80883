"""Read: report files in (text or PDF), the typed report model out.

``reader`` turns a file into text (PDFs through ``pdfsource`` and ``pdflayout``), ``parser`` reads
that text into ``model.Report`` with its counts, dates and themes. Nothing here knows RDF.
Hands on: ``model.Report`` (with its ``SourceDocument``: text, digest, and for a PDF the page boxes).
"""
