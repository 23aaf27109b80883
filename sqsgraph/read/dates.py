"""Dates as the reports write them, read into ISO 8601 strings.

Forms seen: "18th June 2014", "20 May 2015", "January 2015", and inspection ranges such as
"19th to 21st May 2014", "17th-19th November 2014", "04-07 April 2016", "30th June to 2nd July
2014", "30 December 2014 - 2 January 2015".
"""

from __future__ import annotations

import datetime as _dt
import re

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}

MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
ORD = r"(?:st|nd|rd|th)?"
DASH = r"(?:-|–|—|‒|to|until|and)"

DAY_MONTH_YEAR = re.compile(rf"\b(?P<d>\d{{1,2}}){ORD}\s+(?P<m>{MONTH})\s*,?\s+(?P<y>\d{{4}})\b", re.I)
MONTH_DAY_YEAR = re.compile(rf"\b(?P<m>{MONTH})\s+(?P<d>\d{{1,2}}){ORD}\s*,?\s+(?P<y>\d{{4}})\b", re.I)
MONTH_YEAR = re.compile(rf"\b(?P<m>{MONTH})\s+(?P<y>\d{{4}})\b", re.I)
NUMERIC_DATE = re.compile(r"\b(?P<d>\d{1,2})[/.](?P<m>\d{1,2})[/.](?P<y>\d{4})\b")

DATE_RANGE = re.compile(
    rf"\b(?P<d1>\d{{1,2}}){ORD}(?:\s+(?P<m1>{MONTH}))?(?:\s*,?\s+(?P<y1>\d{{4}}))?"
    rf"\s*{DASH}\s*"
    rf"(?P<d2>\d{{1,2}}){ORD}\s+(?P<m2>{MONTH})\s*,?\s+(?P<y2>\d{{4}})\b",
    re.I,
)


def month_number(name: str) -> int | None:
    return MONTHS.get(name.lower().rstrip("."))


def iso_date(year: int, month: int, day: int) -> str | None:
    try:
        return _dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def parse_date(text: str) -> str | None:
    """The first full date in ``text`` as YYYY-MM-DD, or None."""
    for pattern in (DAY_MONTH_YEAR, MONTH_DAY_YEAR):
        m = pattern.search(text)
        if m:
            month = month_number(m["m"])
            if month:
                return iso_date(int(m["y"]), month, int(m["d"]))
    m = NUMERIC_DATE.search(text)
    if m:
        return iso_date(int(m["y"]), int(m["m"]), int(m["d"]))
    return None


def parse_date_or_month(text: str) -> str | None:
    """A full date as YYYY-MM-DD, else a month as YYYY-MM, else None."""
    full = parse_date(text)
    if full:
        return full
    m = MONTH_YEAR.search(text)
    if m:
        month = month_number(m["m"])
        if month:
            return f"{int(m['y']):04d}-{month:02d}"
    return None


def parse_month(text: str) -> str | None:
    m = MONTH_YEAR.search(text)
    if not m:
        return None
    month = month_number(m["m"])
    return f"{int(m['y']):04d}-{month:02d}" if month else None


def parse_range(text: str) -> tuple[str | None, str | None] | None:
    """The first day range in ``text``: (start, end) as YYYY-MM-DD; None if there is none."""
    for m in DATE_RANGE.finditer(text):
        m2 = month_number(m["m2"])
        if m2 is None:
            continue
        y2 = int(m["y2"])
        m1 = month_number(m["m1"]) if m["m1"] else m2
        if m1 is None:
            continue
        y1 = int(m["y1"]) if m["y1"] else (y2 - 1 if m1 > m2 else y2)
        start = iso_date(y1, m1, int(m["d1"]))
        end = iso_date(y2, m2, int(m["d2"]))
        if start and end and start <= end:
            return start, end
    return None
