"""Rewriting a query's text before it runs: parameters as a ``VALUES`` block, text-index
candidates, a parameter sub-select answered first, a page of rows.

**Parameters first.** A query whose parameters are bound in a sub-select can declare in its
header::

    # plan: parameters first

``run_query`` then answers that sub-select on its own (with the parameters and any text-index
candidates bound in it, see ``textindex``) and puts its rows into the query in its place, as a
``VALUES`` block, before running the rest. The solutions are the same: a sub-select is
evaluated independently of the group around it, so the block holds exactly the solutions it
would have given, in the order it gives them; only what SPARQL leaves unspecified may come out
otherwise, as the order of the values a ``GROUP_CONCAT`` joins (the plan around them changes).
Oxigraph otherwise may join the rest of the query first and
evaluate the sub-select again for each of its rows (measured: people-by-organisation at 1,000
reports, 4 s against 0.09 s). The query Oxigraph then runs depends on the parameters only
through those rows, so a sub-select that sorts its rows (``ORDER BY`` inside it) makes two
parameter values that pick the same rows give the same query text, which ``precompute`` uses.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import pyoxigraph as ox

from ..errors import QueryError, UsageError
from .library import Term, code_only
from .queryheader import header_lines


def _where_brace(text: str) -> int | None:
    """Offset of the ``{`` opening the query's WHERE group (comments, strings and IRIs skipped)."""
    i, n = 0, len(text)
    saw_where = False
    first_brace = None
    while i < n:
        c = text[i]
        if c == "#":
            nl = text.find("\n", i)
            i = n if nl < 0 else nl + 1
            continue
        if c in "\"'":
            quote = text[i : i + 3] if text[i : i + 3] in ('"""', "'''") else c
            j = i + len(quote)
            while j < n and text[j : j + len(quote)] != quote:
                j += 2 if text[j] == "\\" else 1
            i = j + len(quote)
            continue
        if c == "<" and re.match(r"<[^<>\"{}|^`\\\s]*>", text[i:]):
            i = text.index(">", i) + 1
            continue
        if c == "{":
            if saw_where:
                return i
            if first_brace is None:
                first_brace = i
        if text[i : i + 5].upper() == "WHERE" and (i == 0 or not text[i - 1].isalnum()) and not text[i + 5 : i + 6].isalnum():
            saw_where = True
            i += 5
            continue
        i += 1
    return first_brace


def with_values(
    text: str, bindings: Mapping[ox.Variable, ox.NamedNode | ox.Literal], candidates: Mapping[str, Sequence[str]] | None = None
) -> str:
    """The query with ``VALUES`` opening the group after its first ``WHERE`` keyword (see the
    module docstring), binding each parameter to its term; ``candidates`` (variable name to
    N-Triples IRIs, from the text index) add one ``VALUES ?var { ... }`` block each there."""
    if not bindings and not candidates:
        return text
    at = _where_brace(text)
    if at is None:
        raise QueryError("cannot bind parameters: the query has no WHERE group")
    blocks = []
    if bindings:
        names = " ".join(str(v) for v in bindings)
        terms = " ".join(str(t) for t in bindings.values())
        blocks.append(f"VALUES ({names}) {{ ({terms}) }}")
    for var, nodes in (candidates or {}).items():
        blocks.append(f"VALUES ?{var} {{ {' '.join(nodes)} }}")
    return f"{text[: at + 1]} {' '.join(blocks)} {text[at + 1 :]}"


_PLAN = re.compile(r"^#\s*plan\s*:\s*(?P<plan>.*?)\s*$", re.I)


def parameters_first(text: str, name: str = "query") -> bool:
    """Whether the query's header declares ``# plan: parameters first`` (see the module docstring)."""
    found = False
    for line in header_lines(text):
        m = _PLAN.match(line)
        if m:
            if m["plan"].lower() != "parameters first":
                raise QueryError(f"query {name}: cannot read '{line.strip()}' (expected '# plan: parameters first')")
            found = True
    return found


def parameter_subselect(text: str) -> tuple[int, int] | None:
    """Where the sub-select holding the query's first ``WHERE`` group is, as the offsets of the
    ``{`` that opens it and of the ``}`` that closes it; ``None`` when that group is not in a
    sub-select (it is the query's own WHERE group)."""
    at = _where_brace(text)
    if at is None:
        return None
    code = code_only(text)
    selects = [m.start() for m in re.finditer(r"(?i)\bSELECT\b", code[:at])]
    if len(selects) < 2:
        return None
    opening = code.rfind("{", 0, selects[-1])
    if opening < 0 or code[opening + 1 : selects[-1]].strip():
        return None
    depth = 0
    for i in range(opening, len(code)):
        if code[i] == "{":
            depth += 1
        elif code[i] == "}":
            depth -= 1
            if depth == 0:
                return opening, i
    return None


def parameter_rows(
    store: ox.Store,
    text: str,
    bindings: Mapping[ox.Variable, ox.NamedNode | ox.Literal],
    candidates: Mapping[str, Sequence[str]] | None = None,
) -> tuple[list[ox.Variable], list[list[Term | None]]] | None:
    """The variables and rows of the query's parameter sub-select, answered on its own with the
    parameters (and ``candidates``) bound; ``None`` when it has no such sub-select."""
    span = parameter_subselect(text)
    if span is None:
        return None
    start, end = span
    prefixes = "\n".join(re.findall(r"(?im)^\s*(?:PREFIX\s+[\w.-]*:\s*<[^<>\s]*>|BASE\s*<[^<>\s]*>)", text[:start]))
    sub = with_values(f"{prefixes}\n{text[start + 1 : end]}", bindings, candidates)
    try:
        answer = store.query(sub, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error in the parameter sub-select: {exc}") from exc
    except (OSError, RuntimeError) as exc:
        raise QueryError(f"query failed: {exc}") from exc
    if not isinstance(answer, ox.QuerySolutions):
        raise QueryError("# plan: parameters first needs a SELECT sub-select")
    variables = list(answer.variables)
    return variables, [[s[v] for v in variables] for s in answer]


def inline_rows(text: str, variables: Sequence[ox.Variable], rows: Sequence[Sequence[Term | None]]) -> str:
    """The query with its parameter sub-select replaced by a ``VALUES`` block of ``rows``."""
    span = parameter_subselect(text)
    if span is None:
        raise QueryError("# plan: parameters first needs the parameters bound in a sub-select")
    start, end = span
    cells = " ".join("(" + " ".join("UNDEF" if t is None else str(t) for t in row) + ")" for row in rows)
    return f"{text[:start]}{{ VALUES ({' '.join(str(v) for v in variables)}) {{ {cells} }} }}{text[end + 1 :]}"


def inline_parameters(
    store: ox.Store,
    text: str,
    bindings: Mapping[ox.Variable, ox.NamedNode | ox.Literal],
    candidates: Mapping[str, Sequence[str]] | None = None,
) -> str | None:
    """The query with its parameter sub-select answered and put in its place as a ``VALUES``
    block (``# plan: parameters first``), or ``None`` when it has no such sub-select."""
    found = parameter_rows(store, text, bindings, candidates)
    return None if found is None else inline_rows(text, *found)


_TAIL_LIMIT = re.compile(r"\b(LIMIT|OFFSET)\s+(\d+)", re.I)


def with_page(text: str, limit: int | None, offset: int = 0) -> str:
    """The query answering only rows ``offset`` to ``offset + limit`` (``limit`` None: all rows
    from ``offset``). A ``LIMIT``/``OFFSET`` the query has already is combined with the page (the
    page is taken from within the query's own rows)."""
    if limit is None and not offset:
        return text
    if (limit is not None and limit < 0) or offset < 0:
        raise UsageError("limit and offset must be 0 or more")
    code = code_only(text)
    end = code.rfind("}")
    if end < 0:
        raise QueryError("cannot page the query: it has no group")
    tail = code[end + 1 :]
    depth, opened, closes = 0, 0, [-1]  # where each top-level group ends; a trailing VALUES is one
    for i, c in enumerate(code):
        if c == "{":
            depth += 1
            opened = i if depth == 1 else opened
        elif c == "}":
            depth -= 1
            if depth == 0:
                closes.append(i)
    before_last = code[closes[-2] + 1 : opened] if len(closes) > 1 else ""
    if re.search(r"\bVALUES\b", tail + " " + before_last, re.I):
        raise QueryError("cannot page a query that ends with a VALUES block; add LIMIT/OFFSET to its text")
    own = {k.upper(): int(v) for k, v in _TAIL_LIMIT.findall(tail)}
    start = own.get("OFFSET", 0) + offset
    stop = None if "LIMIT" not in own else own.get("OFFSET", 0) + own["LIMIT"]
    if limit is not None:
        stop = start + limit if stop is None else min(stop, start + limit)
    body = text
    if own:  # blank the query's own clauses (positions come from the code-only copy)
        kept = list(text[end + 1 :])
        for m in _TAIL_LIMIT.finditer(tail):
            kept[m.start() : m.end()] = " " * (m.end() - m.start())
        body = text[: end + 1] + "".join(kept)
    page = ""
    if stop is not None:
        page += f" LIMIT {max(0, stop - start)}"
    if start:
        page += f" OFFSET {start}"
    body = body.rstrip()
    # on the last line (error positions stay where they were), unless that line ends in a comment
    last = code_only(body).rsplit("\n", 1)[-1]
    return body + ("\n" if "#" in last else " ") + page.strip() + "\n"
