"""The header and the people and bodies it names: the labelled To / From / date block, the title
and its area, the inspected body, the lead inspector of the closing paragraph.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from . import dates
from .lines import _TITLE_OPEN_END, _Line, _Regions
from .model import (
    InspectedBody,
    LeadInspector,
    PersonMention,
)
from .paragraphs import _repair
from .patterns import (
    _ABBREVIATION_TYPE,
    _AREA_IN_COMMENTARY,
    _AREA_IN_TITLE,
    _BODY,
    _BODY_ABBREVIATION,
    _BODY_LEADING_NOISE,
    _EMAIL,
    _HEADER_LABEL,
    _HONORIFIC,
    _LEAD_INSPECTOR,
    _PHONE,
)
from .textmap import MappedText, join


def _header_fields(lines: Sequence[_Line], indices: list[int], warnings: list[str]) -> dict[str, MappedText]:
    """The header's labelled values. A label alone on its line takes the next value line; when
    an extractor gave all the labels first and then all the values, the values go to the labels
    in order, a value over several lines (a cell that wrapped) read as the likeliest grouping."""
    entries: list[tuple[str, list[MappedText]]] = []
    waiting: list[tuple[str, list[MappedText]]] = []  # a label still without a value
    current: tuple[str, list[MappedText]] | None = None
    apart: list[str] = []  # labels given apart from their values: "To:", or "To: (2 lines)"
    after_blank = False
    k = 0
    while k < len(indices):
        line = lines[indices[k]]
        m = _HEADER_LABEL.match(line.text.text)
        if m:
            run, values, after = _labels_then_values(lines, indices, k)
            after_blank = False
            current = None
            if len(run) > 1:
                texts = [lines[indices[v]].stripped for v in values]
                gaps = [v > 0 and lines[indices[v - 1]].blank for v in values]
                for written, group in zip(run, _group_values(texts, gaps, [_label_key(r) for r in run]), strict=False):
                    entries.append((_label_key(written), [lines[indices[values[g]]].text for g in group]))
                    apart.append(f"{written}:" + (f" ({len(group)} lines)" if len(group) > 1 else ""))
                k = after
                continue
            value = line.text[m.start("value") : m.end("value")]
            entry: tuple[str, list[MappedText]] = (_label_key(m["label"]), [value] if value.text.strip() else [])
            entries.append(entry)
            if entry[1]:
                current = entry
            else:
                waiting.append(entry)
            k += 1
            continue
        k += 1
        if line.blank:
            after_blank = True
            current = None if not waiting else current
            continue
        runs_on = (
            current is not None
            and current[1]
            and (_TITLE_OPEN_END.search(current[1][-1].text.rstrip()) or line.stripped[:1].islower())
        )
        if waiting and (current is None or after_blank or not runs_on):
            current = waiting.pop(0)
            current[1].append(line.text)
        elif current is not None:
            current[1].append(line.text)
        after_blank = False
    if apart:
        warnings.append(
            "header: the labels came before their values; each value read as the next label's, in order: " + ", ".join(apart)
        )
    fields: dict[str, MappedText] = {}
    for label, parts in entries:
        if parts and label not in fields:
            fields[label] = join(parts).collapse_whitespace()
    return fields


def _label_key(written: str) -> str:
    label = re.sub(r"\s+", " ", written.lower())
    return {"date of publication": "publication date", "date": "publication date"}.get(label, label)


def _labels_then_values(lines: Sequence[_Line], indices: list[int], k: int) -> tuple[list[str], list[int], int]:
    """From the label at ``indices[k]``: the labels without a value from there on (as written;
    none when that label has its value on its line), the positions in ``indices`` of the value
    lines after them up to the next label, and the position after those."""
    run: list[str] = []
    while k < len(indices):
        line = lines[indices[k]]
        m = _HEADER_LABEL.match(line.text.text)
        if m and not m["value"].strip():
            run.append(" ".join(m["label"].split()))
        elif not line.blank or not run:
            break
        k += 1
    values: list[int] = []
    while run and k < len(indices) and not _HEADER_LABEL.match(lines[indices[k]].text.text):
        if not lines[indices[k]].blank:
            values.append(k)
        k += 1
    return run, values, k


_PERSON_VALUE = re.compile(rf"^(?:{_HONORIFIC.pattern[1:]})?[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){{0,3}}\s*,")


def _group_values(texts: list[str], gaps: list[bool], labels: list[str]) -> list[list[int]]:
    """Value lines split into one consecutive group per label (positions in ``texts``): the
    split likeliest by the shape of each value ("Name, post" for To: and From:, a date for the
    publication date), a line joined to the one before when that one runs on (ends in "and",
    "of" ..., the next in lower case; or a long "Name, post" line), rarely over a blank line."""
    n = len(labels)
    if len(texts) <= n or len(texts) > 16:
        return [[v] for v in range(min(n, len(texts)))]
    longest = max(len(t) for t in texts)

    def start_like(t: str) -> bool:
        return bool(_PERSON_VALUE.match(t) or dates.parse_date(t))

    def score(group: range, label: str) -> int:
        first = texts[group[0]]
        points = 0
        if label in ("to", "from") and _PERSON_VALUE.match(first):
            points += 2
        if label == "publication date":
            points += 3 if dates.parse_date(" ".join(texts[g] for g in group)) else -2
        for g in group[1:]:
            before, t = texts[g - 1], texts[g]
            points -= 4 * gaps[g] + 3 * start_like(t)
            points += 3 * bool(_TITLE_OPEN_END.search(before) or t[:1].islower())
            points += (len(before) >= 0.75 * longest) + bool(g - 1 == group[0] and _PERSON_VALUE.match(before))
        return points

    best: tuple[int, list[range]] | None = None
    for cuts in itertools.combinations(range(1, len(texts)), n - 1):
        bounds = [0, *cuts, len(texts)]
        groups = [range(a, b) for a, b in itertools.pairwise(bounds)]
        total = sum(score(g, label) for g, label in zip(groups, labels, strict=True))
        if best is None or total > best[0]:
            best = (total, groups)
    assert best is not None
    return [list(g) for g in best[1]]


def _person(value: MappedText) -> PersonMention | None:
    """ "Name, Post as written" → a person mention; the name's span points into the source."""
    text = value.text
    if not text.strip():
        return None
    comma = text.find(",")
    name_part = value[:comma] if comma >= 0 else value
    post = text[comma + 1 :].strip() if comma >= 0 else None
    honorific, name = _split_honorific(name_part.strip())
    if not name.text:
        return None
    return PersonMention(name=name.text, post=post or None, honorific=honorific, span=name.source_span())


def _split_honorific(name: MappedText) -> tuple[str | None, MappedText]:
    m = _HONORIFIC.match(name.text)
    if not m:
        return None, name
    return m["h"].strip(), name[m.end() :].strip()


def _title_and_area(lines: Sequence[_Line], regions: _Regions, marks: set[str]) -> tuple[str | None, str | None]:
    title = _repair(join(lines[i].text for i in regions.title), marks).text if regions.title else None
    area = None
    if title:
        m = _AREA_IN_TITLE.search(title)
        if m:
            area = m["area"].strip()
    if area is None:
        for line in lines:
            m = _AREA_IN_COMMENTARY.match(line.stripped)
            if m:
                area = m["area"].strip()
                break
    return title, area


def _body(text: str, area: str | None) -> tuple[InspectedBody | None, bool]:
    """The inspected youth offending team or service; the flag says the name was inferred."""
    candidates = list(_BODY.finditer(text))
    if area:
        for m in candidates:
            if area.lower() in m["name"].lower():
                return _body_from_match(m, area), False
    if candidates:
        return _body_from_match(candidates[0], area), False
    abbr = _BODY_ABBREVIATION.search(text)
    if abbr and area:
        kind = _ABBREVIATION_TYPE[abbr["abbr"]]
        return InspectedBody(name=f"{area} {kind}", type=kind, abbreviation=abbr["abbr"]), True
    return None, False


def _body_from_match(m: re.Match[str], area: str | None) -> InspectedBody:
    name = " ".join(m["name"].split())
    name = _BODY_LEADING_NOISE.sub("", name)
    kind = "Youth " + " ".join(name.split("Youth ", 1)[1].split()) if "Youth " in name else None
    if kind and kind.endswith("Services"):
        kind = kind[:-1]
    if area and not name.lower().startswith(area.lower()) and area.lower() in name.lower():
        name = name[name.lower().index(area.lower()) :]
    abbr = m["abbr"]
    if abbr is None and kind:
        abbr = "".join(w[0] for w in kind.split()).upper()
    return InspectedBody(name=name, type=kind, abbreviation=abbr)


def _lead_inspector(closing: MappedText, warnings: list[str] | None = None) -> LeadInspector | None:
    """The lead inspector named in the closing paragraph ("... the lead inspector, who was Ann
    Example. She can be contacted at ..."). Where an extractor set the name apart from its
    sentence, the name is the one the email address spells ("ann.example@..."), warned."""
    m = _LEAD_INSPECTOR.search(closing.text)
    if not m:
        return _lead_inspector_by_email(closing, warnings)
    name = closing[m.start("name") : m.end("name")].strip()
    if not name.text:
        return None
    rest = closing.text[m.end("name") : m.end("name") + 400]
    email = _EMAIL.search(rest)
    phone = _PHONE.search(rest)
    return LeadInspector(
        name=name.text,
        email=email.group(0).rstrip(".") if email else None,
        phone=" ".join(phone["phone"].split()) if phone else None,
        span=name.source_span(),
    )


def _lead_inspector_by_email(closing: MappedText, warnings: list[str] | None) -> LeadInspector | None:
    if not re.search(r"lead\s+inspector", closing.text, re.I):
        return None
    for email in _EMAIL.finditer(closing.text):
        parts = [p for p in re.split(r"[._-]+", email.group(0).split("@")[0]) if p]
        if len(parts) < 2 or not all(p.isalpha() for p in parts):
            continue
        spelled = re.compile(r"\b" + r"[\s'’-]+".join(re.escape(p) for p in parts) + r"\b", re.I)
        found = next((n for n in spelled.finditer(closing.text) if n.group(0)[:1].isupper()), None)
        if found is None:
            continue
        name = closing[found.start() : found.end()]
        phone = _PHONE.search(closing.text)
        if warnings is not None:
            warnings.append(
                f"lead inspector: {name.text!r} read as the name their email address spells (the name "
                f"was set apart from its sentence)"
            )
        return LeadInspector(
            name=" ".join(name.text.split()),
            email=email.group(0).rstrip("."),
            phone=" ".join(phone["phone"].split()) if phone else None,
            span=name.source_span(),
        )
    return None
