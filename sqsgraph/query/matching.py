"""How a parameter value is matched against the graph's text: one normalisation for every query.

A person types ``Ofsted - Social Care`` for the label ``Ofsted – Social Care``, ``partners'``
for ``partners’``, ``kent`` for ``Kent``. Both sides are compared **folded**: lower case
(SPARQL's ``LCASE``), with white space, dashes and hyphens (``-`` ``‐`` ``–`` ``—`` ``−`` ...)
and quote marks (``'`` ``’`` ``‘`` ``"`` ``“`` ``”`` ``′`` ...) taken out. Folding is one
SPARQL expression, ``fold_sparql(expr)``, which every named query uses on both sides of its
parameter filters (``sqsgraph/sparql/*.rq``; ``tests/test_queries.py`` checks that they do);
``fold`` computes the same in Python by asking Oxigraph to evaluate it, so that
``queries.bind_params`` (which binds string parameters folded, so that ``Kent`` and ``kent``
find the same precomputed answer), the full-text index (``textindex``: it holds folded texts)
and the queries agree to the character.

``close_values`` picks what to suggest when a value matches nothing (``difflib``, as ``sqsgraph
view --focus`` does), comparing folded forms.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable, Mapping

import pyoxigraph as ox

#: The characters folding takes out, as a regular expression in a SPARQL string literal.
FOLD_PATTERN = "\"[\\\\s'‘’‚‛′\\\"“”„‟″`´‐‑‒–—―−-]\""


def fold_sparql(expr: str) -> str:
    """The SPARQL expression folding ``expr`` (any term: its string value is folded)."""
    return f"REPLACE(LCASE(STR({expr})), {FOLD_PATTERN}, \"\")"


_EMPTY = ox.Store()  # evaluates expressions only


@functools.lru_cache(maxsize=4096)
def fold(value: str) -> str:
    """``value`` folded exactly as ``fold_sparql`` folds it in a query."""
    solutions = _EMPTY.query(f"SELECT ({fold_sparql(str(ox.Literal(value)))} AS ?f) {{}}")
    assert isinstance(solutions, ox.QuerySolutions)  # a SELECT's answer
    folded = next(iter(solutions))[0]
    assert isinstance(folded, ox.Literal)  # REPLACE of a string
    return folded.value


def close_values(value: str, candidates: Iterable[str] | Mapping[str, str], n: int = 5) -> list[str]:
    """The candidates closest to ``value`` (folded forms compared), best first: difflib's close
    matches, then those holding it or held in it. ``candidates`` may map each candidate to its
    folded form (computed in the query, for many candidates)."""
    folded = candidates if isinstance(candidates, Mapping) else {c: fold(c) for c in set(candidates)}
    by_fold: dict[str, str] = {}
    for c in sorted(folded):
        by_fold.setdefault(folded[c], c)
    wanted = fold(value)
    close = [by_fold[f] for f in difflib.get_close_matches(wanted, list(by_fold), n=n, cutoff=0.6)]
    if wanted:
        close += [c for f, c in by_fold.items() if (wanted in f or (f and f in wanted)) and c not in close]
    return close[:n]


__all__ = ["FOLD_PATTERN", "close_values", "fold", "fold_sparql"]
