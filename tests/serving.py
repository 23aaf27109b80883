"""What the endpoint tests share: a real `sqsgraph serve` process on a free loopback port, and
the SPARQL 1.1 JSON form of a term written here independently of ``results.py`` (the oracle the
endpoint's answers are held to)."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def json_term(term: ox.NamedNode | ox.Literal | ox.BlankNode) -> dict[str, str]:
    """A term as the SPARQL 1.1 JSON results format writes it."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != XSD_STRING:
        out["datatype"] = term.datatype.value
    return out


class ServeProcess:
    """`python -m sqsgraph.cli serve GRAPH --port 0 OPTIONS...`, its log in ``log``."""

    def __init__(self, graph: Path, log: Path, *options: str) -> None:
        self.log = log.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "sqsgraph.cli", "serve", "--graph", str(graph), "--port", "0", *options],
            stdout=subprocess.PIPE,
            stderr=self.log,
        )
        line = self.proc.stdout.readline().decode("utf-8")  # "serving GRAPH at URL (SPARQL endpoint ...)"
        m = re.search(r"at http://127\.0\.0\.1:(\d+)/", line)
        assert m, f"the server did not start: {line!r}"
        self.port = int(m[1])

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(15)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
            self.log.close()
