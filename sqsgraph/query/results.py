"""Query results as text: one registry of formats, shared by ``sqsgraph query`` and anyone else.

``table`` and ``markdown`` are for people (IRIs shortened with the project's prefixes, long
values cut at ``width`` characters unless ``wide``; ``cut_values`` says how many were);
``csv`` (SPARQL 1.1 CSV) and ``tsv`` are for spreadsheets and shell tools, plain values only
(``39.6``, not ``"39.6"^^xsd:decimal``; tabs and line breaks in a TSV value written ``\t``
and ``\n``); ``sparql-tsv`` is SPARQL 1.1 TSV, which keeps term types (N-Triples syntax);
``json`` is SPARQL 1.1 Query Results JSON for programs.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

import pyoxigraph as ox

from ..rdf.vocab import DEFAULT_BASE, PREFIXES
from .run import QueryResult

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
#: A cell of a row (``None``: unbound) or a position of a triple (RDF 1.2 lets it be a triple)
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None


def _ntriples(term: Term) -> str:
    return "" if term is None else str(term)


def _plain(term: Term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return str(term)  # its N-Triples form: a triple term has no plain value
    return term.value


# For people reading a table: instance IRIs under the default base read as "id:person/x".
_DISPLAY_PREFIXES = {**PREFIXES, "id": DEFAULT_BASE}


def shorten(iri: str) -> str:
    """``prefix:local`` for IRIs in the project's namespaces (display only), the IRI otherwise."""
    best = ""
    for prefix, ns in _DISPLAY_PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(best) and _safe_local(iri[len(ns):]):
            best, name = ns, prefix
    return f"{name}:{iri[len(best):]}" if best else iri


def _safe_local(local: str) -> bool:
    return bool(local) and all(c.isalnum() or c in "-_./" for c in local)


def _readable(term: Term, width: int | None) -> str:
    if term is None:
        return ""
    text = shorten(term.value) if isinstance(term, ox.NamedNode) else _plain(term)
    text = " ".join(text.split())
    return text if width is None or len(text) <= width else text[: width - 1] + "…"


def json_term(term: Term) -> dict[str, Any]:
    """A term as SPARQL 1.1 Query Results JSON writes it (``sqsgraph query --format json`` and the endpoint)."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {
            "subject": json_term(term.subject), "predicate": json_term(term.predicate), "object": json_term(term.object)}}
    raise TypeError(f"unexpected RDF term {term!r}")


def to_json(result: QueryResult) -> str:
    if result.kind == "ask":
        return json.dumps({"head": {}, "boolean": bool(result.boolean)})
    if result.kind == "graph":
        return json.dumps(
            [{"subject": json_term(t.subject), "predicate": json_term(t.predicate), "object": json_term(t.object)} for t in result.triples],
            ensure_ascii=False,
        )
    bindings = [{v: json_term(t) for v, t in zip(result.variables, row, strict=True) if t is not None} for row in result.rows]
    return json.dumps({"head": {"vars": result.variables}, "results": {"bindings": bindings}}, ensure_ascii=False, indent=1)


def to_csv(result: QueryResult) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    if result.kind == "ask":
        writer.writerow(["boolean"])
        writer.writerow(["true" if result.boolean else "false"])
    elif result.kind == "graph":
        writer.writerow(["subject", "predicate", "object"])
        writer.writerows([_plain(t.subject), _plain(t.predicate), _plain(t.object)] for t in result.triples)
    else:
        writer.writerow(result.variables)
        writer.writerows([_plain(t) for t in row] for row in result.rows)
    return buf.getvalue()


def _tsv_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def to_tsv(result: QueryResult) -> str:
    """Plain values, as CSV has them, one row a line, cells apart by tabs (a tab, line break or
    backslash in a value written ``\\t``, ``\\n``, ``\\r``, ``\\\\``)."""
    if result.kind == "ask":
        return "boolean\n" + ("true" if result.boolean else "false") + "\n"
    rows: list[list[Term]]
    if result.kind == "graph":
        header, rows = ["subject", "predicate", "object"], [[t.subject, t.predicate, t.object] for t in result.triples]
    else:
        header, rows = list(result.variables), [list(row) for row in result.rows]
    lines = ["\t".join(_tsv_cell(h) for h in header)]
    lines += ["\t".join(_tsv_cell(_plain(t)) for t in row) for row in rows]
    return "\n".join(lines) + "\n"


def to_sparql_tsv(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results TSV: terms in N-Triples syntax, so their types are kept."""
    if result.kind == "ask":
        return "?boolean\n" + ("true" if result.boolean else "false") + "\n"
    if result.kind == "graph":
        return "".join(f"{t.subject}\t{t.predicate}\t{t.object}\n" for t in result.triples)
    lines = ["\t".join("?" + v for v in result.variables)]
    lines += ["\t".join(_ntriples(t).replace("\t", "\\t").replace("\n", "\\n") for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def cut_values(result: QueryResult, fmt: str) -> int:
    """How many values ``fmt`` cuts short at its width (0 for the formats that never cut)."""
    width = WIDTHS.get(fmt)
    if width is None:
        return 0
    terms: list[Term]
    if result.kind == "select":
        terms = [t for row in result.rows for t in row]
    elif result.kind == "graph":
        terms = [t for tr in result.triples for t in (tr.subject, tr.predicate, tr.object)]
    else:
        return 0
    return sum(1 for t in terms if t is not None and len(_readable(t, None)) > width)


def _grid(result: QueryResult, width: int | None) -> tuple[list[str], list[list[str]]]:
    if result.kind == "ask":
        return ["answer"], [["yes" if result.boolean else "no"]]
    if result.kind == "graph":
        return ["subject", "predicate", "object"], [
            [_readable(t.subject, width), _readable(t.predicate, width), _readable(t.object, width)] for t in result.triples
        ]
    return list(result.variables), [[_readable(t, width) for t in row] for row in result.rows]


#: Where the formats for people cut a value (``wide``: nowhere).
WIDTHS = {"table": 60, "markdown": 200}


def to_table(result: QueryResult, width: int | None = WIDTHS["table"]) -> str:
    header, rows = _grid(result, width)
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    out = [line(header), line(["-" * w for w in widths])] + [line(r) for r in rows]
    if result.kind == "select":
        out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def to_markdown(result: QueryResult, width: int | None = WIDTHS["markdown"]) -> str:
    header, rows = _grid(result, width)

    def esc(s: str) -> str:
        return s.replace("\\", "\\\\").replace("|", "\\|")

    out = ["| " + " | ".join(esc(h) for h in header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(esc(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


#: ``sqsgraph query --format``: one writer per name of ``formats.RESULT_FORMATS``
WRITERS: dict[str, Callable[[QueryResult], str]] = {
    "table": to_table,
    "csv": to_csv,
    "tsv": to_tsv,
    "sparql-tsv": to_sparql_tsv,
    "json": to_json,
    "markdown": to_markdown,
}


#: The writers of the formats that cut long values (``WIDTHS``), which take the width (``None``: whole).
_CUTTING: dict[str, Callable[[QueryResult, int | None], str]] = {"table": to_table, "markdown": to_markdown}


def format_result(result: QueryResult, fmt: str, wide: bool = False) -> str:
    """``result`` in the format ``fmt``; ``wide``: the table formats show every value whole."""
    if wide and fmt in WIDTHS:
        return _CUTTING[fmt](result, None)
    return WRITERS[fmt](result)
