"""A report's facts as a comparable set, without spans, and a diff that says what differs.

Two parses of the same report in different renderings (the sample's text, a PDF's text, text
some extractor pulled out of a PDF) must give the same facts; their spans, warnings and source
path legitimately differ, and so does the typography (straight or curly quotes, "ﬁ" or "fi").

    from facts import facts, diff, recall
    missing, extra = diff(facts(expected_report), facts(got_report))

A fact is a tuple whose first element names its kind, e.g. ``("finding", "1.2", text)`` or
``("holder", "Chair of Youth Court Bench", 0, "Ken Battye", None, None)``. Keys identify the
thing the fact is about (a finding's number, a copy-list post and the holder's position), so a
finding whose text changed shows up as one missing and one unexpected fact with the same key:
``diff`` pairs them as *changed*.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqsgraph.read.model import Proportion, Quote, Report

Fact = tuple

_TYPOGRAPHY = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "\u00a0": " "})


def norm(text: str | None) -> str | None:
    """Text compared as a reader reads it: NFKC (ligatures ﬁ ﬂ as "fi" "fl"), straight quotes,
    single spaces."""
    if text is None:
        return None
    return " ".join(unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHY).split())


def _quotes(owner: tuple, quotes: Iterable[Quote]) -> list[Fact]:
    return [("quote", *owner, i, norm(q.text)) for i, q in enumerate(quotes)]


def _proportions(owner: tuple, props: Iterable[Proportion]) -> list[Fact]:
    return [("proportion", *owner, i, norm(p.phrase), p.numerator, p.denominator, p.value) for i, p in enumerate(props)]


def facts(report: Report) -> set[Fact]:
    """Every fact of ``report`` that does not depend on the rendering."""
    out: list[Fact] = [
        ("title", norm(report.title)),
        ("area", norm(report.area)),
        ("publication_date", report.publication_date),
        ("cases_examined", report.cases_examined),
        ("previous_inspection_year", report.previous_inspection_year),
    ]
    if report.body is not None:
        out.append(("body", norm(report.body.name), report.body.type))
    for kind, person in (("addressee", report.addressee), ("author", report.author)):
        if person is not None:
            out.append((kind, norm(person.name), norm(person.post)))
    if report.inspection is not None:
        out.append(("inspection", report.inspection.start, report.inspection.end))
    r = report.reoffending
    if r is not None:
        out += [
            ("reoffending_rate", r.rate),
            ("reoffending_comparator", norm(r.comparator), r.comparator_rate),
            ("reoffending_cohort", r.cohort_start, r.cohort_end),
            ("reoffending_published", r.published),
            ("reoffending_source", norm(r.source)),
        ]
    li = report.lead_inspector
    if li is not None:
        out += [("lead_inspector", norm(li.name)), ("lead_inspector_email", li.email), ("lead_inspector_phone", li.phone)]
    for s in report.sections:
        out.append(("section", s.number, norm(s.title), s.theme))
        for f in s.findings:
            key = (f.number,)
            out.append(("finding", f.number, norm(f.text)))
            out += _quotes(key, f.quotes)
            out += _proportions(key, f.proportions)
    for kind, items in (("strength", report.key_strengths), ("improvement", report.areas_for_improvement)):
        for i, item in enumerate(items):
            key = (kind, i)
            out.append((kind, i, norm(item.text)))
            out += _quotes(key, item.quotes)
            out += _proportions(key, item.proportions)
    for e in report.copy_list:
        out.append(("post", norm(e.post)))
        for i, h in enumerate(e.holders):
            out.append(("holder", norm(e.post), i, norm(h.name), h.honorific, norm(h.qualifier)))
    for p in report.case_pseudonyms:
        out.append(("pseudonym", p))
    return set(out)


def _key(fact: Fact) -> tuple:
    """What a fact is about (its kind and identifying fields), for pairing changed facts."""
    kind = fact[0]
    if kind in ("finding", "strength", "improvement", "section"):
        return fact[:2]
    if kind == "quote":
        return fact[:-1]
    if kind == "proportion":
        return fact[:-4]
    if kind == "holder":
        return fact[:3]
    if kind in ("post", "pseudonym"):
        return fact
    return fact[:1]


@dataclass
class FactDiff:
    missing: list[Fact] = field(default_factory=list)  # expected, nothing about the same thing got
    changed: list[tuple[Fact, Fact]] = field(default_factory=list)  # (expected, got) about the same thing
    extra: list[Fact] = field(default_factory=list)  # got, nothing about the same thing expected

    def __bool__(self) -> bool:
        return bool(self.missing or self.changed or self.extra)

    def lost(self) -> list[Fact]:
        """Expected facts not got exactly (missing or changed)."""
        return self.missing + [e for e, _ in self.changed]

    def __str__(self) -> str:
        out = []
        for f in self.missing:
            out.append(f"missing  {f!r}")
        for e, g in self.changed:
            out.append(f"changed  {e!r}\n      to {g!r}")
        for f in self.extra:
            out.append(f"extra    {f!r}")
        return "\n".join(out) or "no difference"


def diff(expected: set[Fact], got: set[Fact]) -> FactDiff:
    """What ``got`` lacks of ``expected``, what it has differently, and what it adds; ``None``
    valued facts (a field not found) count as absent."""
    expected = {f for f in expected if f[1:] != (None,)}
    got = {f for f in got if f[1:] != (None,)}
    lost = expected - got
    added = got - expected
    by_key: dict[tuple, list[Fact]] = {}
    for f in added:
        by_key.setdefault(_key(f), []).append(f)
    out = FactDiff()
    for f in sorted(lost, key=repr):
        partners = by_key.get(_key(f))
        if partners:
            out.changed.append((f, partners.pop()))
        else:
            out.missing.append(f)
    out.extra = sorted((f for fs in by_key.values() for f in fs), key=repr)
    return out


def recall(expected: set[Fact], got: set[Fact]) -> float:
    """Share of the expected facts got exactly."""
    expected = {f for f in expected if f[1:] != (None,)}
    if not expected:
        return 1.0
    return len(expected & got) / len(expected)


# What a warning must name for a differing fact to count as warned: a finding (and its quotes
# and proportions) by its number, a list item by its list, a copy-list post or holder by the
# post, a header field by what it is. Each value is a pattern over one warning (lower case).
_FIELD_WARNING = {
    "title": r"\btitle\b",
    "area": r"\barea\b",
    "publication_date": r"publication date",
    "cases_examined": r"\bcases\b",
    "previous_inspection_year": r"previous inspection",
    "body": r"youth offending team|inspected body",
    "addressee": r"\bto:|addressee",
    "author": r"\bfrom:|author",
    "inspection": r"inspection dates",
    "reoffending_rate": r"reoffending",
    "reoffending_comparator": r"reoffending",
    "reoffending_cohort": r"reoffending|footnote",
    "reoffending_published": r"reoffending|footnote",
    "reoffending_source": r"reoffending|footnote",
    "lead_inspector": r"lead inspector",
    "lead_inspector_email": r"lead inspector",
    "lead_inspector_phone": r"lead inspector",
    "pseudonym": r"pseudonym",
}


def _named(fact: Fact, warnings: list[str]) -> bool:
    """Whether some warning names the thing ``fact`` is about."""
    kind = fact[0]
    low = [w.lower() for w in warnings]
    if kind in ("quote", "proportion"):
        owner = fact[1:3] if fact[1] in ("strength", "improvement") else ("finding", fact[1])
        return _named(owner, warnings)
    if kind == "finding":
        number = re.escape(fact[1])
        return any("finding" in w and re.search(rf"(?<![\d.]){number}(?![\d])", w) for w in low)
    if kind == "section":
        return any(re.search(rf"\bsection {fact[1]}\b", w) for w in low)
    if kind == "strength":
        return any("key strength" in w for w in low)
    if kind == "improvement":
        return any("improvement" in w for w in low)
    if kind in ("post", "holder"):
        # the post as the parser read it may be part of the post as it is (a cell it did not
        # join): a warning quoting a post the expected one starts with names it
        post = norm(fact[1]).lower()
        for w in low:
            if "copy list" not in w:
                continue
            quoted = [norm(q) for q in re.findall(r"'([^']{8,})'|\"([^\"]{8,})\"", w) for q in q if q]
            if post in norm(w) or any(post.startswith(q) or q.startswith(post) for q in quoted):
                return True
        return False
    pattern = _FIELD_WARNING.get(kind)
    return pattern is not None and any(re.search(pattern, w) for w in low)


def unwarned(d: FactDiff, warnings: list[str]) -> list[Fact]:
    """The differing facts of ``d`` (missing, changed or extra) that no warning names: a silent
    change. For a changed fact, a warning naming either the expected or the got thing will do."""
    out = [f for f in d.missing if not _named(f, warnings)]
    out += [e for e, g in d.changed if not (_named(e, warnings) or _named(g, warnings))]
    out += [f for f in d.extra if not _named(f, warnings)]
    return out
