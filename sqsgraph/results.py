"""Query results as text: one registry of formats, shared by ``sqsgraph query`` and anyone else.

``table`` and ``markdown`` are for people (IRIs shortened with the project's prefixes, long
values cut at ``width`` characters); ``csv`` is for spreadsheets (values only, as SPARQL 1.1
CSV); ``tsv`` keeps term types (SPARQL 1.1 TSV: N-Triples syntax); ``json`` is SPARQL 1.1
Query Results JSON for programs.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

import pyoxigraph as ox

from .queries import QueryResult
from .vocab import DEFAULT_BASE, PREFIXES

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
Term = ox.NamedNode | ox.BlankNode | ox.Literal | None


def _ntriples(term: Term) -> str:
    return "" if term is None else str(term)


def _plain(term: Term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
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


def _readable(term: Term, width: int) -> str:
    if term is None:
        return ""
    text = shorten(term.value) if isinstance(term, ox.NamedNode) else _plain(term)
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _json_term(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> dict[str, str]:
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


def to_json(result: QueryResult) -> str:
    if result.kind == "ask":
        return json.dumps({"head": {}, "boolean": bool(result.boolean)})
    if result.kind == "graph":
        return json.dumps(
            [{"subject": _json_term(t.subject), "predicate": _json_term(t.predicate), "object": _json_term(t.object)} for t in result.triples],
            ensure_ascii=False,
        )
    bindings = [{v: _json_term(t) for v, t in zip(result.variables, row) if t is not None} for row in result.rows]
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


def to_tsv(result: QueryResult) -> str:
    if result.kind == "ask":
        return "?boolean\n" + ("true" if result.boolean else "false") + "\n"
    if result.kind == "graph":
        return "".join(f"{t.subject}\t{t.predicate}\t{t.object}\n" for t in result.triples)
    lines = ["\t".join("?" + v for v in result.variables)]
    lines += ["\t".join(_ntriples(t).replace("\t", "\\t").replace("\n", "\\n") for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def _grid(result: QueryResult, width: int) -> tuple[list[str], list[list[str]]]:
    if result.kind == "ask":
        return ["answer"], [["yes" if result.boolean else "no"]]
    if result.kind == "graph":
        return ["subject", "predicate", "object"], [
            [_readable(t.subject, width), _readable(t.predicate, width), _readable(t.object, width)] for t in result.triples
        ]
    return list(result.variables), [[_readable(t, width) for t in row] for row in result.rows]


def to_table(result: QueryResult, width: int = 60) -> str:
    header, rows = _grid(result, width)
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    out = [line(header), line(["-" * w for w in widths])] + [line(r) for r in rows]
    if result.kind == "select":
        out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def to_markdown(result: QueryResult, width: int = 200) -> str:
    header, rows = _grid(result, width)
    esc = lambda s: s.replace("\\", "\\\\").replace("|", "\\|")  # noqa: E731
    out = ["| " + " | ".join(esc(h) for h in header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(esc(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


FORMATS: dict[str, Callable[[QueryResult], str]] = {
    "table": to_table,
    "csv": to_csv,
    "tsv": to_tsv,
    "json": to_json,
    "markdown": to_markdown,
}


def format_result(result: QueryResult, fmt: str) -> str:
    return FORMATS[fmt](result)
