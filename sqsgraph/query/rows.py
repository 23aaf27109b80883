"""Query rows as plain Python values, for people working in Python: a ``Rows`` holds the column
names and one tuple per row; iterating gives each row as a dict, ``to_dataframe`` a pandas
DataFrame.

An RDF term becomes the Python value its datatype says (``plain_value``):

================================================  ==========================================
term                                              value
================================================  ==========================================
IRI                                               ``str`` (the IRI)
blank node                                        ``str`` (``_:label``)
``xsd:integer`` and the integer types below it    ``int``
``xsd:decimal``                                   ``decimal.Decimal`` (exact)
``xsd:double``, ``xsd:float``                     ``float``
``xsd:boolean``                                   ``bool``
``xsd:date``                                      ``datetime.date``
``xsd:dateTime``                                  ``datetime.datetime``
a string, a language-tagged string, anything else ``str`` (the lexical form)
an unbound variable                               ``None``
================================================  ==========================================

A literal whose lexical form does not fit its datatype (``"twelve"^^xsd:integer``) is given as
its lexical form, a ``str``: nothing is lost and nothing raises. Dates that are only a year and
month (``xsd:gYearMonth``, as some reports give a cohort) stay strings such as ``"2013-04"``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, TypeAlias, overload

import pyoxigraph as ox

if TYPE_CHECKING:
    from .run import QueryResult

#: What a cell of ``Rows`` holds.
Value: TypeAlias = str | int | float | Decimal | bool | date | datetime | None

_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = frozenset(
    _XSD + name
    for name in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "negativeInteger",
        "nonPositiveInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
)
_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}


def plain_value(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> Value:
    """The Python value of an RDF term (see the module docstring)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if not isinstance(term, ox.Literal):
        return str(term)  # an RDF-star triple term, in N-Triples syntax
    lexical, datatype = term.value, term.datatype.value
    try:
        if datatype in _INTEGERS:
            return int(lexical)
        if datatype == _XSD + "decimal":
            return Decimal(lexical)
        if datatype in (_XSD + "double", _XSD + "float"):
            return float(lexical)
        if datatype == _XSD + "boolean":
            return _BOOLEANS.get(lexical, lexical)
        if datatype == _XSD + "date":
            return date.fromisoformat(lexical)
        if datatype == _XSD + "dateTime":
            return datetime.fromisoformat(lexical[:-1] + "+00:00" if lexical.endswith("Z") else lexical)
    except (ValueError, InvalidOperation):
        pass  # not a valid lexical form of its datatype: kept as written
    return lexical


@dataclass(frozen=True)
class Rows(Sequence[dict[str, Value]]):
    """The rows of a SELECT query as plain Python values.

    ``columns`` are the query's variables in order; ``tuples`` one tuple of values per row, in
    column order. Iterating, indexing and ``to_dicts`` give each row as a dict from column to
    value (an unbound variable is ``None``); a slice gives ``Rows``. ``more`` is true when a page
    was asked for (``limit``) and rows follow it.
    """

    columns: tuple[str, ...]
    tuples: tuple[tuple[Value, ...], ...]
    more: bool = False

    @classmethod
    def of(cls, result: QueryResult) -> Rows:
        """The rows of an answer from ``run.run_query`` (a SELECT query's)."""
        return cls(tuple(result.variables), tuple(tuple(plain_value(t) for t in row) for row in result.rows), result.more)

    def __len__(self) -> int:
        return len(self.tuples)

    def __iter__(self) -> Iterator[dict[str, Value]]:
        columns = self.columns
        return (dict(zip(columns, row, strict=True)) for row in self.tuples)

    @overload
    def __getitem__(self, index: int) -> dict[str, Value]: ...

    @overload
    def __getitem__(self, index: slice) -> Rows: ...

    def __getitem__(self, index: int | slice) -> dict[str, Value] | Rows:
        if isinstance(index, slice):
            return Rows(self.columns, self.tuples[index], self.more)
        return dict(zip(self.columns, self.tuples[index], strict=True))

    def to_dicts(self) -> list[dict[str, Value]]:
        """Every row as a dict from column to value."""
        return list(self)

    def to_dataframe(self) -> Any:
        """The rows as a ``pandas.DataFrame`` with the query's columns. Decimals become floats
        (as ``pandas.read_sql`` does), dates stay ``datetime.date`` objects. Needs pandas
        (``pip install 'sqsgraph[dataframe]'``)."""
        try:
            import pandas
        except ModuleNotFoundError as exc:
            raise ModuleNotFoundError(
                "Rows.to_dataframe needs pandas, which is not installed: pip install 'sqsgraph[dataframe]'", name="pandas"
            ) from exc
        return pandas.DataFrame.from_records(list(self.tuples), columns=list(self.columns), coerce_float=True)

    def __repr__(self) -> str:
        count = f"{len(self)} row{'' if len(self) == 1 else 's'}"
        follow = ", more follow" if self.more else ""
        return f"<Rows: {count}{follow}; columns {', '.join(self.columns) or '(none)'}>"
