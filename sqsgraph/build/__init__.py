"""Build: report files in, graph files out, cached and in parallel.

``pipeline.build`` reads, parses, maps and validates every report (in worker processes), writes
the output folder, and keeps per-report results in ``cache`` and what it made in ``manifest`` so a
rebuild redoes only what changed; its steps share a ``run.BuildRun``. ``write`` maps the reports
and writes the graph files, ``validation`` checks them a batch of reports at a time, ``storejob``
loads the query store and draws the views from it. Hands on: the output folder (graph files, query
store, views).
"""

#: The stages the build tells its progress of counted in reports (the later ones, the query store
#: and the views, are one step each): the words the progress bars show.
READING, MAPPING, VALIDATING = "reading", "mapping", "validating"
PER_REPORT_STAGES = (READING, MAPPING, VALIDATING)
