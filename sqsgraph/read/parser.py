"""Parse the text of an SQS report into the typed report model.

The parser knows text layout and nothing of RDF. It reads both renderings the reports reach
users in: the light-markup one (``<i>`` tags, tab-separated copy list, one line per paragraph)
and text extracted from PDFs (hard-wrapped paragraphs, "•" bullets, curly quotes, footnote marks
glued to words, copy-list columns separated by spaces, a stray page title above the header).

How it works, in order:

1. markup (``<i>``, ``*``) and characters nobody can see (control characters, bidirectional
   overrides) are removed from a ``MappedText`` that keeps every character's source offset, so
   every span points into the file as it stands; lines end at LF, CR LF or a lone CR;
2. footnote bodies are found (a superscript mark, or a bare mark line whose digit is glued to a
   word elsewhere) and set aside;
3. lines are walked once, switching region at the headings the reports use (header labels, the
   title, "Summary", "Commentary ...", numbered themes, "Operational management", "Key
   strengths", "Areas requiring improvement", "Copy to:");
4. each region is read by its own small function; paragraphs broken by a page break (a blank line
   mid-sentence, possibly with a footnote between) are joined again.

Nothing here depends on the names, numbers or wording of particular reports: only on the
structure every SQS report shares.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import NotAReportError, ReportError
from . import dates
from .counts import NUMBER, find_counts, number_value
from .model import (
    CopyListEntry,
    DateRange,
    Finding,
    Holder,
    InspectedBody,
    LeadInspector,
    ListItem,
    PersonMention,
    Proportion,
    Quote,
    Reoffending,
    Report,
    Section,
    SourceDocument,
    Span,
)
from .reader import read_report_file
from .textmap import LIGATURE, MappedText, join
from .themes import theme_of

# --- patterns over the structure all SQS reports share ---------------------------------------

_MARKUP = re.compile(r"</?[A-Za-z][A-Za-z0-9]*\s*/?>|\*|[\u00ad\u200b\u200c\u200d\ufeff]")
# Characters nobody can see: C0 and C1 controls (not tab, line ends, vertical tab and form feed,
# which are white space; not NEL) and the bidirectional embedding, override and isolate controls
# (which reorder what a reader sees, "Trojan Source" style). Ignored like markup; the spans still
# point at the file as it stands.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
_INVISIBLE = re.compile(f"{_CONTROL.pattern}|[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# ... except a bullet some extractors give as a control character at the start of a line: DEL, or
# the Windows-1252 bullet 0x95 read as Latin-1 (U+0095). Group 1 is kept, group 2 removed.
_CONTROL_BULLET = re.compile(r"(?m)(^[ \t]*[\x7f\x95](?=[ \t]))|(" + _INVISIBLE.pattern + ")")
_SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰"
_SUPERSCRIPT_VALUE = {c: str(i) for i, c in enumerate("⁰¹²³⁴⁵⁶⁷⁸⁹")}
_SUPERSCRIPT_MARK = re.compile(f"[{_SUPERSCRIPTS}]+")
_GLUED_MARK = re.compile(r"(?<=[A-Za-z%)])([1-9])(?=[\s.,;:)]|$)")

_HEADER_LABEL = re.compile(
    r"^\s*(?P<label>To|Copy\s+to|From|Publication\s+date|Date\s+of\s+publication|Date)\s*:\s*(?P<value>.*)$",
    re.I,
)
_TITLE_START = re.compile(r"^\s*Report\s+(?:of|on)\b", re.I)
_TITLE_KEY = re.compile(r"short\s+quality\s+screening|\bSQS\b", re.I)
_AREA_IN_TITLE = re.compile(r"\bwork\s+in\s+(?P<area>.+?)\s*[.:]?\s*$", re.I | re.S)
_AREA_IN_COMMENTARY = re.compile(r"commentary\s+on\s+the\s+inspection\s+in\s+(?P<area>.+?)\s*:?\s*$", re.I)

_HEADINGS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("context", re.compile(r"^context:?$", re.I)),
    ("summary", re.compile(r"^summary:?$", re.I)),
    ("commentary", re.compile(r"^commentary\s+on\s+the\s+inspection\b.*$", re.I)),
    ("operational", re.compile(r"^operational\s+management:?$", re.I)),
    ("strengths", re.compile(r"^key\s+strengths?:?$", re.I)),
    ("improvements", re.compile(r"^areas?\s+(?:requiring|for|in\s+need\s+of|needing)\s+improvement:?$", re.I)),
    ("copylist", re.compile(r"^copy\s+to\s*:?$", re.I)),
)
_THEME_HEADING = re.compile(r"^(?P<num>\d{1,2})\.?\s+(?P<title>[A-Z][^\d]{2,90})$")
_FINDING_START = re.compile(r"^\s*(?:[-–—•▪●◦·]\s*)?(?P<major>\d{1,2})\.(?P<minor>\d{1,2})\.?(?=\s|$)\s*")
# a bullet: a dash or round bullet and a space, or a bullet glyph the text may run into ("■Staff"):
# Word's Symbol and Wingdings bullets come out of PDFs as private-use characters (U+F0B7, U+F0A7,
# ...), and pdfminer writes a glyph it cannot name as "(cid:N)"
_BULLET_GLYPHS = "•▪●◦·‣○■□➢✓►\uf000-\uf0ff"
_BULLET = re.compile(r"^\s*(?:(?:[-–—•▪●◦·‣○■□➢✓►\x7f\x95]|\d{1,2}[.)])\s+|[\uf000-\uf0ff■▪•►➢](?=\S)|[\uf000-\uf0ff]\s+|\(cid:\d+\)\s*)")
_LONE_BULLET = re.compile(rf"^(?:[{_BULLET_GLYPHS}]|\(cid:\d+\))+$")
_TERMINAL = re.compile(r"[.!?…:][\"”’')\]]*\s*$")
_NOTE_LINE = re.compile(r"^\s*(?:Note\b|To\s+request\b)", re.I)
_CLOSING_START = re.compile(r"^\s*(?:We\s+are\s+grateful|If\s+you\s+have\s+any\s+(?:further\s+)?questions)", re.I)

_HONORIFIC = re.compile(
    r"^(?P<h>Councillor|Cllr\.?|Dr\.?|Doctor|Professor|Prof\.?|Mr\.?|Mrs\.?|Ms\.?|Miss|Mx\.?|Sir|Dame|Lord|Lady|Baroness|Baron|"
    r"(?:The\s+)?Rt\.?\s+Hon\.?|Rev(?:erend|d)?\.?|Judge|DCC|ACC|DCI|Supt\.?|Chief\s+Superintendent|Superintendent)\s+(?=\S)",
    re.I,
)
_QUALIFIER = re.compile(r"\s*\((?P<q>[^()]*)\)\s*$")
_HOLDER_SPLIT = re.compile(r"\s*(?:;|,|&|\band\b)\s*")
_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_PHONE = re.compile(r"(?:\bon|\btel(?:ephone)?\.?|\bphone)\s*:?\s*(?P<phone>\+?\(?\d[\d\s()-]{5,}\d)")
_LEAD_INSPECTOR = re.compile(
    r"lead\s+inspector\s*,?\s*(?:who\s+(?:was|is)\s+|was\s+|is\s+|:\s*)?(?P<name>(?:[A-Z][\w'’.-]*\s*){1,5}?)\s*(?:[.,;(]|$)"
)

_BODY = re.compile(
    r"(?P<name>(?:[A-Z][\w'’&.-]*\s+(?:(?:and|upon|with|on|of|in|the|le|la)\s+)?){0,6}?"
    r"Youth\s+(?:Offending|Justice)\s+(?P<type>Team|Service|Services|Partnership))"
    r"(?:\s*\((?P<abbr>[A-Z]{2,6})\))?"
)
_BODY_LEADING_NOISE = re.compile(r"^(?:(?:In|The|By|At|For|From|With|Within|Across|Both|And|Of|As|Overall|Staff)\s+)+")
_BODY_ABBREVIATION = re.compile(r"\b(?P<abbr>YOT|YOS|YJS|YOP)\b")
_ABBREVIATION_TYPE = {
    "YOT": "Youth Offending Team",
    "YOS": "Youth Offending Service",
    "YJS": "Youth Justice Service",
    "YOP": "Youth Offending Partnership",
}
_CASES = re.compile(
    rf"(?:examined|inspected|looked\s+at|assessed|read)\s+(?:a\s+(?:total\s+|sample\s+)?of\s+)?(?P<n>{NUMBER})\s+(?:\w+\s+)?cases"
    rf"|(?P<n2>{NUMBER})\s+cases\s+(?:were\s+)?(?:examined|inspected)",
    re.I,
)
_PREVIOUS_INSPECTION = re.compile(
    rf"\b(?:last|previous|previously)\s+(?:[A-Za-z]+\s+){{0,2}}?inspect(?:ed|ion)\b(?:\s+(?!in\b)[A-Za-z()]+){{0,3}}?\s+in\s+(?:{dates.MONTH}\s+)?(?P<y>(?:19|20)\d{{2}})\b",
    re.I,
)
_RATE = re.compile(
    r"reoffending\s+rate\s*(?:\(\w+\)\s*)?(?:for|in|of)\s+(?P<where>[^.%]{1,80}?)\s+(?:was|is|stood\s+at|of)\s+(?P<rate>\d{1,3}(?:\.\d+)?)\s?%",
    re.I,
)
_COMPARATOR_PATTERNS = (
    re.compile(
        r"(?P<label>(?:[A-Z][\w'’-]*\s+(?:(?:and|of|the)\s+)?)+average)\s+(?:of|was|at|rate\s+of)\s+(?P<rate>\d{1,3}(?:\.\d+)?)\s?%"
    ),
    re.compile(
        r"(?P<rate>\d{1,3}(?:\.\d+)?)\s?%\s+(?:for|in|across)\s+(?P<label>(?:the\s+)?[A-Z][\w'’-]*(?:\s+(?:and|of|the|[A-Z][\w'’-]*))*(?:\s+average)?)"
    ),
    re.compile(r"(?P<label>(?:national|regional)\s+average|average)\s+(?:of|was|at)\s+(?P<rate>\d{1,3}(?:\.\d+)?)\s?%", re.I),
)
_COHORT = re.compile(
    rf"(?P<a>{dates.MONTH}\s+\d{{4}})\s*(?:-|–|—|to)\s*(?P<b>{dates.MONTH}\s+\d{{4}})\s+cohort", re.I
)
_PUBLISHED = re.compile(r"\bpublished\s+(?:on\s+|in\s+)?(?P<when>[^.;]{3,40})", re.I)
_SOURCE = re.compile(r"\bSource\s*:\s*(?P<source>[^\n.]+)", re.I)

# Case pseudonyms: a single capitalised word used as a child's name in a case example.
_NAME_TOKEN = re.compile(r"(?<![\w'’-])(?P<w>[A-Z][a-z]{2,})(?P<poss>['’]s)?(?![\w-])")
_NAME_VERBS = frozenset(
    "was had is has came went said says told felt did would could should will made moved attended received "
    "started completed needed wanted lived began became refused showed agreed disclosed explained continued "
    "engaged complied reoffended returned admitted remained stayed found met".split()
)
_NAME_PREPOSITIONS = frozenset("with for from to by including helping supporting encouraging about enabling and of".split())
_DETERMINERS = frozenset("the a an this that these those its their his her our your my".split())
_NEAR = 80  # characters either side of a candidate pseudonym that decide how it is used
# how a candidate pseudonym is used, looked at for every capitalised word: compiled once
_PROPER_BEFORE = re.compile(r"[A-Z][\w'’-]*\s+$")
_PROPER_AFTER = re.compile(r"\s+[A-Z]")
_WORD_BEFORE = re.compile(r"([A-Za-z]+)\W*$")
_SENTENCE_START_BEFORE = re.compile(r"[.!?:;\"“(]\s*$")
_WORD_AFTER = re.compile(r"\W*([A-Za-z]+)")
_LOWER_WORD = re.compile(r"\b[a-z][a-z'’-]+\b")
_FOOTNOTE_NUMBER = re.compile(r"\d{1,2}")
_FOOTNOTE_NUMBERED_LINE = re.compile(r"^(\d{1,2})\s*[A-Z][a-z]")
_NOT_NAMES = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december".split()
)


# --- line walking -----------------------------------------------------------------------------


_LIGATURES = {c: unicodedata.normalize("NFKC", chr(c)) for c in range(0xFB00, 0xFB07)}


@dataclass
class _Line:
    index: int
    text: MappedText
    # the line as it is matched: without the white space at its ends, ligatures (ﬁ ﬂ) as the
    # letters they stand for; the text itself keeps them
    stripped: str = field(init=False)

    def __post_init__(self) -> None:
        s = self.text.text.strip()
        self.stripped = s.translate(_LIGATURES) if LIGATURE.search(s) else s

    @property
    def blank(self) -> bool:
        return not self.stripped


@dataclass
class _Footnote:
    mark: str
    text: MappedText


@dataclass
class _Regions:
    """Line numbers of each part of the report, as the walk found them."""

    before_title: list[int] = field(default_factory=list)
    title: list[int] = field(default_factory=list)
    intro: list[int] = field(default_factory=list)
    sections: list[tuple[int, list[int]]] = field(default_factory=list)  # (heading line, body lines)
    operational: list[int] = field(default_factory=list)
    strengths: list[int] = field(default_factory=list)
    improvements: list[int] = field(default_factory=list)
    closing: list[int] = field(default_factory=list)
    copylist: list[int] = field(default_factory=list)
    copylist_heading: int | None = None
    notes: list[int] = field(default_factory=list)


def _heading(stripped: str) -> str | None:
    for kind, pattern in _HEADINGS:
        if pattern.match(stripped):
            return kind
    return None


def _theme_heading(lines: Sequence[_Line], i: int, footnote_lines: set[int]) -> re.Match[str] | None:
    """A numbered theme heading ("2. Protecting the public"): short, title-like, and either a
    known theme or followed by a finding of the same number."""
    m = _THEME_HEADING.match(lines[i].stripped)
    if not m or i in footnote_lines:
        return None
    title = m["title"].strip()
    if len(title.split()) > 12 or title.endswith((".", ",", ";")):
        return None
    if theme_of(title):
        return m
    for j in range(i + 1, min(i + 6, len(lines))):
        if lines[j].blank:
            continue
        f = _FINDING_START.match(lines[j].text.text)
        return m if f and f["major"] == m["num"] else None
    return None


def _find_footnotes(
    lines: Sequence[_Line], clean: MappedText, glued: set[str]
) -> tuple[dict[int, _Footnote], set[int], set[str]]:
    """Footnote bodies: {first line: footnote}, all their lines, and the marks used in the text.

    A body ends at a blank line, at a line that starts a part of the report, or (text with no
    blank lines) after a line that stops short of the width the footnote's lines run to."""
    marks = {_SUPERSCRIPT_VALUE.get(c, c) for c in _SUPERSCRIPT_MARK.findall(clean.text) for c in c}
    marks |= glued
    notes: dict[int, _Footnote] = {}
    note_lines: set[int] = set()
    width: int | None = None
    i = 0
    while i < len(lines):
        s = lines[i].stripped
        mark: str | None = None
        first_body = i
        if s and s[0] in _SUPERSCRIPTS:
            mark = "".join(_SUPERSCRIPT_VALUE[c] for c in _SUPERSCRIPT_MARK.match(s).group(0))  # type: ignore[union-attr]
        elif _FOOTNOTE_NUMBER.fullmatch(s) and s in glued:
            j = i + 1
            while j < len(lines) and j <= i + 3 and lines[j].blank:
                j += 1
            if j < len(lines) and not lines[j].blank and not _structural(lines[j].stripped):
                mark, first_body = s, j
        else:
            m = _FOOTNOTE_NUMBERED_LINE.match(s)
            if m and m[1] in glued and len(s) > 50 and not _THEME_HEADING.match(s):
                mark = m[1]
        if mark is None:
            i += 1
            continue
        if width is None:
            width = _text_width(lines)
        j = first_body
        body: list[MappedText] = []
        widest = width
        while j < len(lines):
            if lines[j].blank:
                # an extractor that sets each line apart (pdfminer) may put a blank line inside
                # the body: it runs on over one blank line when its line so far ran to the full
                # width and stops mid-sentence ("... for the October 2011" / "cohort. Source:
                # ...") or at a colon ("Source:" / "Ministry of Justice")
                k = j + 1
                if not body or k >= len(lines) or lines[k].blank or _structural(lines[k].stripped):
                    break
                last = lines[j - 1].stripped
                if len(last) < 0.85 * widest or not (
                    last.endswith(":") or (not _TERMINAL.search(last) and lines[k].stripped[:1].islower())
                ):
                    break
                j = k
            elif j > first_body:
                previous = lines[j - 1].stripped
                if _structural(lines[j].stripped) or _BULLET.match(lines[j].stripped):
                    break
                if not lines[j - 1].blank and len(previous) < 0.85 * widest:
                    break  # the footnote's last line stopped short: what follows is the page's text
            body.append(lines[j].text)
            widest = max(widest, len(lines[j].stripped))
            j += 1
        for k in range(i, j):
            note_lines.add(k)
        text = join(body).collapse_whitespace()
        text = text.delete(re.compile(rf"^\s*[{_SUPERSCRIPTS}]+\s*|^\s*\d{{1,2}}(?:\s+|(?=[A-Z][a-z]))"))
        notes[i] = _Footnote(mark, text.strip())
        i = j
    return notes, note_lines, marks


def _text_width(lines: Sequence[_Line]) -> int:
    """How long the lines of a hard-wrapped paragraph run: the length most long lines reach (the
    90th percentile of lines of 40 characters or more)."""
    lengths = sorted(len(line.stripped) for line in lines if len(line.stripped) >= 40)
    if not lengths:
        return 80
    return lengths[int(0.9 * (len(lengths) - 1))]


_TITLE_OPEN_END = re.compile(r"(?:\b(?:and|of|in|on|upon|the|with|for|&)|[-–—,&(])$", re.I)


def _title_complete(lines: Sequence[_Line], title: list[int]) -> bool:
    """Whether the title lines so far make a whole title ("... youth offending work in <Area>",
    not ending in "and", "of", a dash): with no blank line after the title, the next line starts
    the first paragraph."""
    if not title:
        return False
    text = " ".join(lines[i].stripped for i in title)
    m = _AREA_IN_TITLE.search(text)
    return bool(m and m["area"][:1].isupper() and not _TITLE_OPEN_END.search(text))


def _walk(lines: Sequence[_Line], footnote_lines: set[int]) -> _Regions:
    regions = _Regions()
    state = "start"
    current_section: list[int] | None = None
    seen_header = False
    for line in lines:
        i, s = line.index, line.stripped
        if i in footnote_lines:
            continue
        if state in ("start", "header"):
            if _HEADER_LABEL.match(s) and not (_heading(s) == "copylist" and seen_header):
                seen_header = True
                state = "header"
                regions.before_title.append(i)
                continue
            if _TITLE_START.match(s):
                state = "title"
                regions.title.append(i)
                continue
            regions.before_title.append(i)
            continue
        if state == "title":
            if s and not _heading(s) and not _title_complete(lines, regions.title):
                regions.title.append(i)
                continue
            state = "intro"
        kind = _heading(s) if s else None
        if kind == "copylist" and state != "copylist":
            regions.copylist_heading = i
            state = "copylist"
            continue
        if state == "copylist":
            if _NOTE_LINE.match(s):
                state = "notes"
                regions.notes.append(i)
            else:
                regions.copylist.append(i)
            continue
        if state == "notes":
            regions.notes.append(i)
            continue
        if kind in ("context", "summary"):
            state = "intro"
            continue
        if kind == "commentary":
            state = "commentary"
            continue
        if kind in ("operational", "strengths", "improvements"):
            state = kind
            continue
        if s and state in ("intro", "commentary", "section") and _theme_heading(lines, i, footnote_lines):
            current_section = []
            regions.sections.append((i, current_section))
            state = "section"
            continue
        if s and state in ("operational", "strengths", "improvements") and _CLOSING_START.match(s):
            state = "closing"
        if state == "intro":
            regions.intro.append(i)
        elif state == "section" and current_section is not None:
            current_section.append(i)
        elif state == "operational":
            regions.operational.append(i)
        elif state == "strengths":
            regions.strengths.append(i)
        elif state == "improvements":
            regions.improvements.append(i)
        elif state in ("closing", "commentary"):
            regions.closing.append(i)
    return regions


# --- text extracted from PDFs: page furniture, and what a line break split ---------------------

_PAGE_NUMBER = re.compile(
    r"^(?:page\s*\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?|\d{1,3}\s*(?:of|/)\s*\d{1,3}|[-–—]\s*\d{1,3}\s*[-–—]|"
    r"\d{1,3}\s*\|\s*page|page\s*\|\s*\d{1,3})$",
    re.I,
)
_BARE_NUMBER = re.compile(r"^\d{1,3}$")
# a finding's or a theme's number alone on its line ("1.1.", "1.1", "2."), its text on the next
_LONE_NUMBER = re.compile(r"^\d{1,2}\.(?:\d{1,2}\.?)?$")
# pypdf's layout mode puts the rest of a line that holds a raised footnote mark above the line's
# start: "1 for the area was 34.2%." then "The published reoffending rate"
_MARK_THEN_REST = re.compile(r"^\s*(?P<mark>[1-9])\s+(?=[a-z])")
# a footnote mark set apart from its word by a space ("rate 1 for"), told from a count ("in 3 of
# the 16", "all 3 cases") by the words around it: never after a word that takes a number, never
# before a word that follows one
_NUMBER_BEFORE = (
    r"in|of|all|but|than|with|to|the|and|or|only|by|on|at|from|are|were|was|is|for|nearly|almost|about|over|"
    r"under|some|just|these|those|each|every|first|last|aged|age|year|years|level|tier|stage|phase|section|part"
)
_NUMBER_AFTER = (
    r"of|out|per|in|cases?|children|young|people|months?|years?|weeks?|days?|hours?|and|or|to|were|was|had|"
    r"others?|more|further|other|new|reports?|plans?"
)
_SPACED_MARK = {
    d: re.compile(rf"\b(?!(?:{_NUMBER_BEFORE})\b)[A-Za-z]{{2,}} {d} (?!(?:{_NUMBER_AFTER})\b)[a-z]", re.I)
    for d in "123456789"
}
_FURNITURE_NEAR = 3  # non-blank lines either side of a page number where a running header sits


def _structural(stripped: str) -> bool:
    """A line that starts a part of the report: never page furniture or part of a footnote."""
    return bool(
        _HEADER_LABEL.match(stripped)
        or _heading(stripped)
        or _FINDING_START.match(stripped)
        or _THEME_HEADING.match(stripped)
        or _TITLE_START.match(stripped)
    )


def _furniture(keys: Sequence[str], raw: Sequence[str]) -> set[int]:
    """Page numbers ("Page 2 of 5", "2 of 5", "- 2 -") and running headers or footers: a line
    repeated on several pages next to a page number or a page break (form feed)."""
    pages = {i for i, k in enumerate(keys) if k and _PAGE_NUMBER.match(k)}
    breaks = pages | {i for i, r in enumerate(raw) if "\f" in r}
    seen: dict[str, list[int]] = {}
    for i, k in enumerate(keys):
        # with no page break found, only the title can be told as a running header
        if len(k) >= 12 and not k.isdigit() and (breaks or _TITLE_START.match(k)):
            seen.setdefault(k, []).append(i)
    nonblank = [i for i, k in enumerate(keys) if k]
    position = {i: n for n, i in enumerate(nonblank)}
    out = set(pages)
    for k, where in seen.items():
        if len(where) < 2:
            continue
        if _TITLE_START.match(k) and _TITLE_KEY.search(k):
            # the report's title as the running header: the first is the title, every other is
            # furniture (a report never repeats its title in its text), and so is a bare number
            # next to it (the page number an extractor gave with no "Page" and no form feed)
            for i in where[1:]:
                out.add(i)
                n = position[i]
                for j in (nonblank[n - 1] if n else None, nonblank[n + 1] if n + 1 < len(nonblank) else None):
                    if j is not None and _BARE_NUMBER.match(keys[j]):
                        out.add(j)
            continue
        if _structural(k) or not breaks:
            continue
        near = 0
        for i in where:
            n = position[i]
            window = nonblank[max(0, n - _FURNITURE_NEAR) : n + _FURNITURE_NEAR + 1]
            if any(j in breaks for j in window) or "\f" in raw[i]:
                near += 1
        if where and near * 2 >= len(where):
            out.update(where)
    return out


def _layout(texts: list[MappedText], glued: set[str], warnings: list[str]) -> list[MappedText]:
    """Lines of text extracted from a PDF as the rest of the parser reads lines: page furniture
    left out; a number or bullet alone on its line joined to the text it heads; a footnote mark
    set on a line of its own taken out (and added to ``glued``), or put back where pypdf's layout
    mode moved it. Text that has none of these comes back unchanged."""
    raw = [t.text for t in texts]
    keys = [r.strip().translate(_LIGATURES) if LIGATURE.search(r) else r.strip() for r in raw]
    furniture = _furniture(keys, raw)
    claimed: set[str] = set()
    out: list[MappedText] = []
    # marks that head a footnote's body somewhere ("1 Published ...", "1Published ..."): a long
    # line, not a part of the report, that starts with the mark and a capitalised word
    noted = {m[1] for k in keys if len(k) > 50 and (m := _FOOTNOTE_NUMBERED_LINE.match(k)) and len(m[1]) == 1
             and not _structural(k)}
    for d in sorted(noted - glued):
        if _SPACED_MARK[d].search("\n".join(keys)):
            glued.add(d)  # "rate 1 for": a mark set apart from its word by a space, and its body
            glued.add(" " + d)

    def next_line(i: int) -> int | None:
        for j in range(i + 1, min(len(keys), i + 6)):
            if keys[j] and j not in furniture:
                return j
        return None

    def last_text() -> str:
        for t in reversed(out):
            if t.text.strip():
                return t.text.strip()
        return ""

    i = 0
    while i < len(texts):
        k = keys[i]
        if i in furniture:
            i += 1
            continue
        if not k:
            out.append(texts[i])
            i += 1
            continue
        if _BARE_NUMBER.match(k):
            j = next_line(i)
            before = last_text()
            if before and j is not None and not _TERMINAL.search(before) and keys[j][:1].islower():
                glued.add(k)  # a mark the extractor set apart from its word: "rate" / "1" / "for ..."
            elif k in glued and k not in claimed and j is not None:
                claimed.add(k)  # the mark heading its footnote's body
                out.append(texts[i])
            elif (
                len(k) == 1 and k not in claimed and j is not None and keys[j][:1].isupper()
                and re.search(rf"[A-Za-z] {k} [a-z]", "\n".join(raw))
            ):
                # the mark heading its footnote's body, the mark in the text set apart by a
                # space ("rate 1 for"): both are taken out
                claimed.add(k)
                glued.add(k)
                glued.add(" " + k)
                out.append(texts[i])
            # otherwise a page number
            i += 1
            continue
        if _LONE_NUMBER.match(k) and "." in k[:-1]:
            run = [i]
            j = next_line(i)
            while j is not None and _LONE_NUMBER.match(keys[j]) and "." in keys[j][:-1]:
                run.append(j)
                j = next_line(j)
            if len(run) > 1:
                i = _numbers_then_paragraphs(texts, keys, furniture, run, out, warnings)
                continue
        if _LONE_NUMBER.match(k) or _LONE_BULLET.match(k):
            j = next_line(i)
            if j is not None and _LONE_BULLET.match(k) and _LONE_BULLET.match(keys[j]):
                i += 1  # a bullet glyph the extractor set apart from its item: its item is told by the gaps
                continue
            if j is not None and not _LONE_NUMBER.match(keys[j]) and not _structural(keys[j]):
                out.append(join([texts[i].strip(), texts[j].strip()]))
                out.extend(t for t in texts[i + 1 : j] if not t.text.strip())  # keeps the line count of gaps
                i = j + 1
                continue
            if _LONE_BULLET.match(k):
                i += 1
                continue
        m = _MARK_THEN_REST.match(raw[i])
        if m and i + 1 < len(texts) and keys[i + 1] and not _TERMINAL.search(keys[i + 1]):
            before = last_text()
            if (not before or _TERMINAL.search(before) or _heading(before) or m["mark"] in noted) and not _structural(
                keys[i + 1]
            ):
                glued.add(m["mark"])
                warnings.append(
                    f"line {i + 1}: footnote mark {m['mark']} and the rest of its line came before the line's start "
                    f"({keys[i + 1][-30:]!r}); read after it"
                )
                out.append(texts[i + 1])
                out.append(texts[i][m.end() :])
                i += 2
                continue
        out.append(texts[i])
        i += 1
    return out



def _numbers_then_paragraphs(
    texts: list[MappedText], keys: list[str], furniture: set[int], run: list[int], out: list[MappedText],
    warnings: list[str],
) -> int:
    """Finding numbers an extractor gave all together ("1.1." "1.2." "1.3.") before their
    paragraphs: each number heads the next paragraph (a run of lines a blank line ends), in
    order. Returns the line to go on from."""
    i = run[-1] + 1
    placed = 0
    while placed < len(run) and i < len(texts):
        if not keys[i] or i in furniture:
            i += 1
            continue
        if _structural(keys[i]) or _LONE_NUMBER.match(keys[i]):
            break
        out.append(join([texts[run[placed]].strip(), texts[i].strip()]))
        i += 1
        while i < len(texts) and keys[i] and i not in furniture and not _structural(keys[i]):
            out.append(texts[i])
            i += 1
        out.append(MappedText.empty())
        placed += 1
    warnings.append(
        f"line {run[0] + 1}: finding numbers {', '.join(keys[r] for r in run)} came before their paragraphs; "
        f"each read as heading the next paragraph in order"
        + ("" if placed == len(run) else f" ({len(run) - placed} without a paragraph)")
    )
    return i


# --- paragraphs -------------------------------------------------------------------------------


def _blocks(lines: Sequence[_Line], indices: Iterable[int]) -> list[list[_Line]]:
    """Runs of non-blank lines (blank lines and gaps in ``indices`` separate runs)."""
    out: list[list[_Line]] = []
    current: list[_Line] = []
    last = None
    for i in indices:
        line = lines[i]
        if line.blank or (last is not None and i != last + 1 and current):
            if current:
                out.append(current)
            current = []
        if not line.blank:
            current.append(line)
        last = i
    if current:
        out.append(current)
    return out


_HYPHEN_END = re.compile(r"[^\W\d_]-\s*$")
_SUSPENDED = re.compile(r"(?:and|or|to)\b")
_PDFIUM_HYPHEN = re.compile("\ufffe")
# "twothirds": a fraction whose hyphen an extractor (pdftotext) took out where a line broke it
_JOINED_FRACTION = re.compile(r"\b(?=[otfOTF])(one|two|three|four)(halves|half|thirds?|quarters?|fifths?)\b", re.I)
# "MultiAgency": a capital inside a word, where an extractor may have taken out a hyphen
_JOINED_COMPOUND = re.compile(r"\b(?!Mac)[A-Z][a-z]{2,}[A-Z][a-z]{2,}\b")


def _join_lines(pieces: list[MappedText]) -> MappedText:
    """Lines of one paragraph joined with a space, but a line ending in a hyphen after a letter
    runs on into a next line that starts with a letter ("two-" / "thirds" is "two-thirds",
    "Multi-" / "Agency" is "Multi-Agency": the hyphen kept, as the reports break lines at the
    hyphens of compounds), unless that line starts "and", "or", "to" ("pre- and post-")."""
    out: list[MappedText] = []
    for piece in pieces:
        if out and _HYPHEN_END.search(out[-1].text) and piece.text.lstrip()[:1].isalpha() and not _SUSPENDED.match(piece.text.lstrip()):
            out[-1] = join([out[-1].strip(), piece.strip()], "")
        else:
            out.append(piece)
    return join(out)


def _continues(previous: str, following: str) -> bool:
    """Whether a paragraph that ends with ``previous`` was cut by a page break before ``following``."""
    if not previous:
        return False
    first = following.lstrip()[:1]
    return (first.islower()) or not _TERMINAL.search(previous)


def _paragraphs(lines: Sequence[_Line], indices: Iterable[int], marks: set[str]) -> list[MappedText]:
    """Repaired paragraphs: hard wraps joined, page-break splits rejoined, footnote marks cut."""
    paras: list[MappedText] = []
    for block in _blocks(lines, indices):
        text = _repair(_join_lines([line.text for line in block]), marks)
        if paras and _continues(paras[-1].text, text.text):
            paras[-1] = join([paras[-1], text])
        elif text:
            paras.append(text)
    return paras


def _repair(text: MappedText, marks: set[str]) -> MappedText:
    text = text.delete(_SUPERSCRIPT_MARK)
    glued = "".join(sorted(m for m in marks if len(m) == 1))
    if glued:
        text = text.delete(re.compile(rf"(?<=[A-Za-z%)])[{glued}](?=[\s.,;:)]|$)"))
    spaced = "".join(sorted(m[1] for m in marks if len(m) == 2 and m[0] == " "))
    if spaced:  # "rate 1 for": a mark an extractor set apart from its word by a space
        text = text.delete(re.compile(rf"(?<=[A-Za-z]) [{spaced}](?= [a-z])"))
    return text.collapse_whitespace()


# --- the parts of a report --------------------------------------------------------------------


def _header_fields(lines: Sequence[_Line], indices: list[int], warnings: list[str]) -> dict[str, MappedText]:
    """The header's labelled values. A label alone on its line takes the next value line; when
    an extractor gave all the labels first and then all the values, values go to the labels in
    order (a value line ending in "and", "of", a comma ... runs on to the next line)."""
    entries: list[tuple[str, list[MappedText]]] = []
    waiting: list[tuple[str, list[MappedText]]] = []  # labels still without a value
    current: tuple[str, list[MappedText]] | None = None
    apart = 0
    after_blank = False
    for i in indices:
        line = lines[i]
        m = _HEADER_LABEL.match(line.text.text)
        if m:
            label = re.sub(r"\s+", " ", m["label"].lower())
            label = {"date of publication": "publication date", "date": "publication date"}.get(label, label)
            value = line.text[m.start("value") : m.end("value")]
            entry: tuple[str, list[MappedText]] = (label, [value] if value.text.strip() else [])
            entries.append(entry)
            if entry[1]:
                current = entry
            else:
                waiting.append(entry)
                current = None
            after_blank = False
            continue
        if line.blank:
            after_blank = True
            current = None if not waiting else current
            continue
        runs_on = current is not None and current[1] and (
            _TITLE_OPEN_END.search(current[1][-1].text.rstrip()) or line.stripped[:1].islower()
        )
        if waiting and (current is None or after_blank or not runs_on):
            if len(waiting) > 1:
                apart += 1
            current = waiting.pop(0)
            current[1].append(line.text)
        elif current is not None:
            current[1].append(line.text)
        after_blank = False
    if apart:
        warnings.append("header: the labels came before their values; each value read as the next label's, in order")
    fields: dict[str, MappedText] = {}
    for label, parts in entries:
        if parts and label not in fields:
            fields[label] = join(parts).collapse_whitespace()
    return fields


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


def _reoffending(intro: MappedText, footnotes: Sequence[_Footnote]) -> Reoffending | None:
    """The area's published reoffending rate, its comparator, and the footnote's details."""
    m = _RATE.search(intro.text)
    if not m:
        return None
    rate = float(m["rate"])
    after = intro.text[m.end() : m.end() + 300]
    comparator = comparator_rate = None
    best: tuple[int, str, float] | None = None
    for pattern in _COMPARATOR_PATTERNS:
        c = pattern.search(after)
        if c and (best is None or c.start() < best[0]):
            label = re.sub(r"^the\s+", "", " ".join(c["label"].split()), flags=re.I)
            best = (c.start(), label, float(c["rate"]))
    if best:
        _, comparator, comparator_rate = best
    note = next((f for f in footnotes if re.search(r"cohort|re-?offending", f.text.text, re.I)), None)
    cohort_start = cohort_end = published = source = None
    if note is not None:
        n = note.text.text
        c = _COHORT.search(n)
        if c:
            cohort_start, cohort_end = dates.parse_month(c["a"]), dates.parse_month(c["b"])
        p = _PUBLISHED.search(n)
        if p:
            published = dates.parse_date_or_month(p["when"])
        s = _SOURCE.search(n)
        if s:
            source = s["source"].strip()
    return Reoffending(
        rate=rate,
        comparator_rate=comparator_rate,
        comparator=comparator,
        cohort_start=cohort_start,
        cohort_end=cohort_end,
        published=published,
        source=source,
        span=intro.source_span(*_sentence_around(intro.text, m.start(), m.end())),
        footnote_span=note.text.source_span() if note is not None else None,
    )


def _sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The whole sentence holding ``text[start:end]`` (a decimal point does not end one)."""
    before = [m.end() for m in re.finditer(r"[.!?](?!\d)[\"”’')]*\s+|\n", text[:start])]
    first = before[-1] if before else 0
    after = re.compile(r"[.!?](?!\d)[\"”’')]*(?=\s|$)|\n").search(text, end)
    last = after.end() if after and text[after.start()] != "\n" else (after.start() if after else len(text))
    return first, last


def _quotes(text: MappedText) -> tuple[Quote, ...]:
    found: list[Quote] = []
    for m in re.finditer(r"“(?P<a>[^”]+)”|\"(?P<b>[^\"]+)\"", text.text):
        group = "a" if m["a"] is not None else "b"
        a, b = m.span(group)
        inner = text[a:b].strip()
        inner = _strip_edge_punct(inner)
        if len(inner.text) < 2:
            continue
        span = inner.source_span()
        if span is not None:
            found.append(Quote(text=inner.text, span=span))
    return tuple(found)


def _strip_edge_punct(text: MappedText) -> MappedText:
    """Trim spaces (and stray markup remnants) at the edges of a quote."""
    s = text.text
    left = len(s) - len(s.lstrip(" \t\n"))
    right = len(s.rstrip(" \t\n"))
    return text[left:right]


def _proportions(text: MappedText) -> tuple[Proportion, ...]:
    return tuple(
        Proportion(
            phrase=c.phrase,
            numerator=c.numerator,
            denominator=c.denominator,
            value=c.value,
            span=text.source_span(c.start, c.end),
            polarity=c.polarity,
            refers_to=c.refers_to,
            qualifier=c.qualifier,
        )
        for c in find_counts(text.text)
    )


def _findings(
    lines: Sequence[_Line], body: list[int], section_number: int, marks: set[str], warnings: list[str]
) -> list[Finding]:
    """Numbered paragraphs of one theme; unnumbered lines continue the paragraph before them."""
    starts: list[tuple[int, re.Match[str]]] = []  # (position in body, the number's match)
    for at, i in enumerate(body):
        m = _FINDING_START.match(lines[i].text.text)
        if m and int(m["major"]) == section_number and int(m["minor"]) <= 40:
            starts.append((at, m))
    if not starts:
        return []
    findings: list[Finding] = []
    for k, (at, m) in enumerate(starts):
        stop = starts[k + 1][0] if k + 1 < len(starts) else len(body)
        pieces = [lines[body[at]].text[m.end() :]] + [lines[j].text for j in body[at + 1 : stop] if not lines[j].blank]
        text = _repair(_join_lines(pieces), marks)
        span = text.source_span()
        number = f"{int(m['major'])}.{int(m['minor'])}"
        if span is None:
            warnings.append(f"finding {number} has no text")
            continue
        findings.append(
            Finding(number=number, text=text.text, span=span, quotes=_quotes(text), proportions=_proportions(text))
        )
    before = [i for i in body[: starts[0][0]] if not lines[i].blank]
    if before:
        warnings.append(f"section {section_number}: text before its first numbered finding was not read")
    return findings


# what page furniture or a footnote looks like inside a paragraph, where the parser could not take
# it out: the report's title as a running header, a footnote mark at the start of a sentence
_RUNNING_TITLE = re.compile(r"\bReport\s+(?:of|on)\s+Short\s+Quality\s+Screening\b|\bPage\s+\d+\s+of\s+\d+\b")
_LOWER_UPPER = re.compile(r"[a-z][A-Z]")


def _footnote_like(text: str, marks: set[str]) -> re.Match[str] | None:
    """A footnote's mark and body inside a paragraph: a footnote mark (a digit the text carries
    glued to a word, or raised) alone, after a sentence's end or at the text's end, then a
    capitalised word ("... cases. 1 Published ...", "... Justice 1")."""
    digits = "".join(sorted({m.strip() for m in marks if m.strip().isdigit() and len(m.strip()) == 1}))
    if not digits:
        return None
    return _footnote_pattern(digits).search(text)


@functools.lru_cache(maxsize=64)
def _footnote_pattern(digits: str) -> re.Pattern[str]:
    return re.compile(
        rf"(?=[{digits}])(?:(?:(?<=[.;:)] )|(?<=^))[{digits}] ?(?=[A-Z][a-z])|(?<=[A-Za-z] )[{digits}]$"
        rf"|(?<=[a-z] )[{digits}] ?(?=[A-Z][a-z]+ (?:[a-z]|\d)))"
    )


def _check_text(label: str, text: str, marks: set[str], notes: list[str]) -> None:
    """Warnings for what a paragraph may hold that is not its own: a word an extractor joined
    where it took out a hyphen, the running header, a footnote the parser could not take out."""
    for m in _JOINED_COMPOUND.finditer(text) if _LOWER_UPPER.search(text) else ():
        notes.append(f"{label}: {m[0]!r} may be a hyphenated word an extractor joined at a line break; read as written")
    m = _RUNNING_TITLE.search(text)
    if m:
        notes.append(f"{label}: holds what looks like page furniture ({m[0]!r}) that could not be taken out")
    m = _footnote_like(text, marks)
    if m:
        notes.append(
            f"{label}: holds what looks like a footnote ({text[max(0, m.start() - 20) : m.start() + 40]!r}) that could "
            f"not be taken out"
        )


def _list_items(lines: Sequence[_Line], indices: list[int], marks: set[str]) -> tuple[list[ListItem], list[int]]:
    """Bulleted items (or, with no bullets at all, paragraphs); returns the lines left over."""
    has_bullets = any(_BULLET.match(lines[i].text.text) for i in indices)
    if not has_bullets:
        return [_item(p) for p in _paragraphs(lines, indices, marks)], []
    items: list[list[MappedText]] = []
    leftover: list[int] = []
    pending_gap = False
    for i in indices:
        line = lines[i]
        if leftover:
            leftover.append(i)
            continue
        if line.blank:
            pending_gap = True
            continue
        b = _BULLET.match(line.text.text)
        if b:
            items.append([line.text[b.end() :]])
        elif items and (not pending_gap or _continues(join(items[-1]).text.rstrip(), line.stripped)):
            items[-1].append(line.text)
        else:
            leftover.append(i)
        pending_gap = False
    return [_item(_repair(_join_lines(parts), marks)) for parts in items if join(parts).text.strip()], leftover


def _item(text: MappedText) -> ListItem:
    span = text.source_span()
    assert span is not None  # callers pass non-empty text
    return ListItem(text=text.text, span=span, quotes=_quotes(text), proportions=_proportions(text))


def _source_line_span(source: str, line: MappedText) -> Span | None:
    """The whole source line that ``line`` was cleaned from, markup included, without the
    white space at its ends."""
    inner = line.strip()
    if not inner:
        return None
    at = inner.source_offset(0)
    start = max(source.rfind("\n", 0, at), source.rfind("\r", 0, at)) + 1
    end = min((i for i in (source.find("\n", at), source.find("\r", at)) if i >= 0), default=len(source))
    raw = source[start:end]
    return Span(start + len(raw) - len(raw.lstrip()), start + len(raw.rstrip()))


# Words of the posts on SQS copy lists (never of a holder's name): where an extractor joined a
# row's two cells with a single space, the post ends at the last of them.
_POST_WORDS = frozenset(
    "chair chairman chairperson manager director head member board bench service services team commission "
    "commissioner constabulary care crime staff executive chief officer council authority probation police "
    "policing mayor deputy lead elected local children children's youth court safeguarding education learning "
    "skills links link communications health justice inspectorate quality business area further social "
    "partnership partnerships trust clinical commissioning group governor prison magistrates leader cabinet "
    "portfolio holder ofsted yjb hmi inspector assistant senior principal community safety offender management "
    "national regional division county borough city district unit centre department secretary office press "
    "cabinet wellbeing paid corporate operations strategic services' adviser advisor coordinator".split()
)
_CONNECTORS = frozenset("for of and in the on at to".split())
_NAME_PARTICLES = frozenset("de van von der den le la du da di bin al".split())
_NAME_TOKEN_RE = re.compile(r"[A-Z][\w'’.-]*")


def _name_token(token: str) -> bool:
    t = token.rstrip(",;").translate(_LIGATURES)
    if not _NAME_TOKEN_RE.fullmatch(t) or t.lower().replace("’", "'") in _POST_WORDS:
        return False
    return not (len(t) > 2 and t.replace("-", "").isupper())  # "YJB", "HM": not a name


def _names_piece(tokens: list[str]) -> bool:
    """A holder as written: an optional honorific, one to three name words, an optional
    parenthesised qualifier."""
    text = " ".join(tokens).rstrip(",;")
    q = _QUALIFIER.search(text)
    if q:
        text = text[: q.start()]
    h = _HONORIFIC.match(text)
    if h:
        text = text[h.end() :]
    words = text.split()
    if not 1 <= len(words) <= 3 or not _name_token(words[0]) or not _name_token(words[-1]):
        return False
    return all(_name_token(w) or w in _NAME_PARTICLES for w in words)


def _names(text: str) -> bool:
    """Whether ``text`` is a list of holders ("Debbie Jones, Matthew Brazier")."""
    pieces = [p.split() for p in _HOLDER_SPLIT.split(text) if p.strip()]
    return bool(pieces) and all(_names_piece(p) for p in pieces)


def _split_joined_row(text: str) -> tuple[int | None, bool]:
    """Where a copy-list row whose post and holders an extractor joined with one space splits:
    the offset the holders start at (None: no holders), and whether the split is a guess.

    The first holder has two name words, or three when the word before them ends the post
    ("Manager Lisa Harvey Messina"); a capitalised word after "for", "of" ... belongs to the post
    ("Commissioner for Kent Ann Barnes")."""
    tokens = list(re.finditer(r"\S+", text))
    first_piece_end = next((k for k, t in enumerate(tokens) if t.group().endswith((",", ";"))), len(tokens) - 1)
    rest = text[tokens[first_piece_end].end() :] if first_piece_end + 1 < len(tokens) else ""
    if rest.strip() and not _names(rest.strip(" ,;")):
        return None, False

    def clean_before(k: int) -> bool:
        """Whether the post can end just before token ``k``."""
        if k <= 0:
            return False
        word = tokens[k - 1].group()
        if not _name_token(word):
            return True
        return k >= 2 and tokens[k - 2].group().lower() in _CONNECTORS

    qualifier = 0  # words of a parenthesised qualifier ending the first holder: "(West);"
    if tokens[first_piece_end].group().rstrip(",;").endswith(")"):
        while first_piece_end - qualifier > 0 and not tokens[first_piece_end - qualifier].group().startswith("("):
            qualifier += 1
        qualifier += 1
    options = []
    for size in (2, 3):
        k = first_piece_end + 1 - qualifier - size
        if k <= 0:
            continue
        h = k - 1 if k >= 1 and _HONORIFIC.match(tokens[k - 1].group() + " x") else k
        if _names_piece([t.group() for t in tokens[h : first_piece_end + 1]]):
            options.append((h, clean_before(h)))
    for h, clean in options:
        if clean:
            return tokens[h].start(), False
    if options:
        return tokens[options[0][0]].start(), True
    return None, False


def _copy_list(lines: Sequence[_Line], indices: list[int], source: str, warnings: list[str]) -> list[CopyListEntry]:
    """Rows of post and holders. Besides columns apart (a tab, or spaces), text extracted from a
    PDF gives each cell on its own line (post, holders, post, ...; or all the posts of a page and
    then their holders, the holders maybe before the posts after a page break), a cell wrapped
    over two lines, or a row as one line with a single space between its cells.

    Cells on lines of their own are read in runs: posts, then holders. A run's holders go to its
    posts in order; holders left over go to the posts of the next run; where a run has fewer
    holders than posts, the posts likeliest to be one post wrapped are joined. Anything but a
    post and its holders on consecutive lines is a reading, and warned as one, post by post."""
    entries: list[list] = []  # [post, holder parts, span, how]: how is None (one row) or a reason
    posts: list[int] = []  # entries of the current run whose post came on a line of its own
    names: list[list[MappedText]] = []  # the current run's holders, one list of lines per post
    carry: list[list[MappedText]] = []  # holders left over from the runs before
    last_kind = ""  # "row", "post", "names": what the line before was
    last_line = -2
    gapped = False  # the last row had its cells apart (columns): a line with one cell continues the post

    def settle() -> None:
        """Give the run's holders to its posts."""
        nonlocal carry
        got = carry + names
        carry = []
        names.clear()
        if not posts or not got:
            carry = got
            return
        if len(got) < len(posts):
            _join_wrapped_posts(entries, posts, len(posts) - len(got))
        apart = len(posts) > 1 or len(got) != len(posts) or any(entries[p][3] for p in posts)
        for p, holders in zip(posts, got):
            entries[p][1].extend(holders)
            if apart and not entries[p][3]:
                entries[p][3] = "posts and names were listed apart; paired in order"
        carry = got[len(posts) :]
        del posts[: len(got)]  # posts still without names wait for the next run's

    for i in indices:
        line = lines[i]
        if line.blank:
            continue
        adjacent = last_line == i - 1
        last_line = i
        raw = line.text
        s = raw.text
        indent = len(s) - len(s.lstrip())
        sep = re.search(r"\t+|\s{2,}", s[indent:])
        stripped = s.strip()  # as written (offsets into the line), ligatures and all
        start = indent
        if sep is not None and not s[indent : indent + sep.start()].strip():
            sep = None
        if sep is not None:
            settle()
            a, b = indent + sep.start(), indent + sep.end()
            entries.append([raw[indent:a], [raw[b:]], _source_line_span(source, raw), None])
            last_kind = "row"
            gapped = True
            continue
        open_parts = names[-1] if last_kind == "names" and names else (
            entries[-1][1] if last_kind == "row" and entries else None
        )
        is_names = _names(stripped)
        if last_kind == "row" and entries and not entries[-1][3] and (
            _TITLE_OPEN_END.search(entries[-1][0].text.rstrip()) or stripped[:1].islower()
            or (gapped and indent < 4 and not is_names and not _split_joined_row(stripped)[0])
        ):
            entries[-1][0] = join([entries[-1][0], raw.strip()])  # the post's cell wrapped, its holders beside it
            continue
        if open_parts is not None and (
            indent >= 4 or stripped.startswith("(")
            or open_parts[-1].text.rstrip().endswith((",", ";"))
            or (is_names and len(_HOLDER_SPLIT.split(stripped)[0].split()) == 1
                and len(_HOLDER_SPLIT.split(open_parts[-1].text.strip())[-1].split()) == 1)
        ):
            open_parts.append(raw)  # holders the cell wrapped: "... Linda" / "Paris, ..."
            continue
        open_post = bool(posts) and (
            _TITLE_OPEN_END.search(entries[posts[-1]][0].text.rstrip()) or stripped[:1].islower()
        )
        if posts and (
            (open_post and last_kind == "post" and (not is_names or len(stripped.split()) == 1))
            or (open_post and last_kind == "names" and not is_names)
            or (last_kind == "post" and adjacent and not is_names and len(stripped.split()) <= 2 and len(entries[posts[-1]][0].text.split()) >= 4
                and not any(_name_token(w) for w in stripped.split()))
        ):
            p = posts[-1]  # a post the cell wrapped ("... Commissioner for" / "Cumbria"), maybe with its holders
            at, guess = (None, False) if is_names else _split_joined_row(stripped)
            if at is None:
                entries[p][0] = join([entries[p][0], raw.strip()])
            else:
                entries[p][0] = join([entries[p][0], raw[start : start + at].strip()])
                names.append([raw[start + at :]])
                last_kind = "names"
            continue
        if is_names:
            if last_kind == "post" and not adjacent:
                for p in posts:
                    entries[p][3] = entries[p][3] or "holders not on the line after the post; paired in order"
            names.append([raw])
            last_kind = "names"
            continue
        at, guess = _split_joined_row(stripped)
        if at is not None:
            settle()
            post = raw[start : start + at].strip()
            entries.append([post, [raw[start + at :]], _source_line_span(source, raw), None])
            if guess:
                warnings.append(
                    f"copy list: {stripped!r} has no gap between post and name; read as post "
                    f"{post.text!r} and holders {stripped[at:]!r}"
                )
            last_kind = "row"
            gapped = False
            continue
        if last_kind == "names":
            settle()
        posts.append(len(entries))
        entries.append([raw.strip(), [], _source_line_span(source, raw), None])
        last_kind = "post"
    settle()
    for extra in carry:
        warnings.append(f"copy list: names with no post to go with them: {join(extra).text.strip()!r}")
    out: list[CopyListEntry] = []
    for post, holder_parts, span, how in entries:
        if not post:
            continue  # joined to the post before it
        post_text = " ".join(post.text.split()).rstrip(":")
        holders = tuple(h for h in _holders(join(holder_parts)))
        if not holders:
            warnings.append(f"copy list: no name given for the post {post_text!r}")
        elif how:
            warnings.append(
                f"copy list: {post_text!r} read with {', '.join(h.name for h in holders)!r}: {how}"
            )
        out.append(CopyListEntry(post=post_text, holders=holders, span=span))
    return out


def _join_wrapped_posts(entries: list[list], posts: list[int], count: int) -> None:
    """Join ``count`` of a run's posts to the post before them: the likeliest a cell wrapped (a
    post ending in "for", "of", "and" ..., a next line in lower case, a short one after a long
    one). The joined posts are taken out of ``posts``; their entries are left empty and dropped."""
    def score(k: int) -> int:
        before, after = entries[posts[k - 1]][0].text.strip(), entries[posts[k]][0].text.strip()
        return (
            4 * bool(_TITLE_OPEN_END.search(before)) + 4 * after[:1].islower()
            + 2 * (len(after.split()) <= 2) + (len(before.split()) >= 4)
        )

    strong = [k for k in sorted(range(1, len(posts)), key=score, reverse=True) if score(k) >= 1]
    chosen = sorted(strong[:count], reverse=True)
    for k in chosen:
        head, tail = entries[posts[k - 1]], entries[posts[k]]
        head[0] = join([head[0], tail[0]])
        head[3] = "a post over two lines, joined as the likeliest reading"
        tail[0] = MappedText.empty()
        del posts[k]


def _holders(text: MappedText) -> list[Holder]:
    out: list[Holder] = []
    last = 0
    pieces: list[MappedText] = []
    depth = 0  # parentheses open before the separator (counted as the separators are met)
    counted = 0
    for m in _HOLDER_SPLIT.finditer(text.text):
        gap = text.text[counted : m.start()]
        depth += gap.count("(") - gap.count(")")
        counted = m.start()
        # a comma inside parentheses belongs to the qualifier, not a new name
        if depth > 0:
            continue
        pieces.append(text[last : m.start()])
        last = m.end()
    pieces.append(text[last:])
    for piece in pieces:
        piece = piece.strip()
        if not piece.text:
            continue
        qualifier = None
        q = _QUALIFIER.search(piece.text)
        if q:
            qualifier = " ".join(q["q"].split()) or None
            piece = piece[: q.start()].strip()
        honorific, name = _split_honorific(piece)
        name = name.strip()
        trimmed = name.text.rstrip(".")
        name = name[: len(trimmed)]
        span = name.source_span()
        if span is None or not re.search(r"[^\W\d_]", name.text):
            continue
        out.append(Holder(name=" ".join(name.text.split()), honorific=honorific, qualifier=qualifier, span=span))
    return out


def _lead_inspector(closing: MappedText) -> LeadInspector | None:
    m = _LEAD_INSPECTOR.search(closing.text)
    if not m:
        return None
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


def _case_pseudonyms(texts: Sequence[MappedText], quotes: Sequence[str], excluded: set[str], full_text: str) -> list[str]:
    """First names used for children in case examples: a capitalised word used like a name
    (possessive, subject of a verb, object of a preposition) in the middle of a sentence, never
    written in lower case, not part of a longer proper noun and not a word of a post or body.

    Only a few words either side of each candidate are looked at, so the time stays linear in
    the length of the text, however long one paragraph is."""
    lower_words = set(_LOWER_WORD.findall(full_text))
    quoted_words = set(re.split(r"[^\w-]+", " ".join(quotes)))
    stats: dict[str, dict[str, int]] = {}
    for mt in texts:
        t = mt.text
        first = len(t) - len(t.lstrip())
        for m in _NAME_TOKEN.finditer(t):
            word = m["w"]
            if word.lower() in lower_words or word.lower() in _NOT_NAMES or word.lower() in excluded:
                continue
            before = t[max(0, m.start() - _NEAR) : m.start()]
            after = t[m.end() : m.end() + _NEAR]
            if _PROPER_BEFORE.search(before) or _PROPER_AFTER.match(after):
                continue  # part of a longer proper noun
            prev_word = (_WORD_BEFORE.search(before) or [None, ""])[1].lower()
            if prev_word in _DETERMINERS:
                continue
            initial = m.start() <= first or bool(_SENTENCE_START_BEFORE.search(before))
            next_word = (_WORD_AFTER.match(after) or [None, ""])[1].lower()
            signal = bool(m["poss"]) or next_word in _NAME_VERBS or prev_word in _NAME_PREPOSITIONS
            s = stats.setdefault(word, {"mid": 0, "signal": 0, "count": 0})  # insertion order: first use
            s["count"] += 1
            s["mid"] += 0 if initial else 1
            s["signal"] += 1 if signal else 0
    return [word for word, s in stats.items()
            if s["mid"] and s["signal"] and (word in quoted_words or s["count"] >= 2)]


# --- entry points -----------------------------------------------------------------------------


def parse_report(document: SourceDocument, warnings: Iterable[str] = ()) -> Report:
    """Parse one decoded report. Raises ``NotAReportError`` when the text has none of the
    parts of an SQS report; anything expected but missing is a warning on the result."""
    notes: list[str] = list(warnings)
    clean = MappedText.of_source(document.text).delete(_MARKUP).delete(_CONTROL_BULLET, 2)
    controls = [m for m in _CONTROL_BULLET.finditer(document.text) if m[2] and _CONTROL.match(m[2])]
    if controls:
        first = controls[0]
        notes.append(f"{len(controls)} control character(s) ignored, the first U+{ord(first[2]):04X} at offset {first.start(2)}")
    if "\ufffe" in clean.text:  # PDFium's mark for a hyphen that ends a line
        clean = clean.substitute(_PDFIUM_HYPHEN, "-")
    joined = _JOINED_FRACTION.findall(clean.text)
    if joined:
        notes.extend(f"'{a}{b}' read as '{a}-{b}' (a hyphen an extractor took out at a line break)" for a, b in joined)
        clean = clean.substitute(_JOINED_FRACTION, r"\1-\2")
    glued = set(_GLUED_MARK.findall(clean.text))
    lines = [_Line(i, t) for i, t in enumerate(_layout(list(clean.lines()), glued, notes))]
    footnote_starts, footnote_lines, marks = _find_footnotes(lines, clean, glued)
    footnotes = list(footnote_starts.values())
    regions = _walk(lines, footnote_lines)

    header = _header_fields(lines, regions.before_title, notes)
    title, area = _title_and_area(lines, regions, marks)
    sections: list[Section] = []
    for heading_line, body in regions.sections:
        m = _THEME_HEADING.match(lines[heading_line].stripped)
        assert m is not None  # the walk only records matching headings
        number = int(m["num"])
        title_text = " ".join(m["title"].split())
        theme = theme_of(title_text)
        if theme is None:
            notes.append(f"section {number} {title_text!r} is not one of the four SQS themes")
        heading_span = lines[heading_line].text.strip().source_span()
        sections.append(
            Section(
                number=number,
                title=title_text,
                theme=theme,
                findings=tuple(_findings(lines, body, number, marks, notes)),
                span=heading_span,
            )
        )
    for s in sections:
        for f in s.findings:
            _check_text(f"finding {f.number}", f.text, marks, notes)
    copy_list = _copy_list(lines, regions.copylist, document.text, notes)
    parts_found = sum(
        [bool(header), bool(title), any(s.findings for s in sections), bool(copy_list)]
    )
    if parts_found < 2:
        raise NotAReportError(
            document.path,
            "not an SQS report: expected at least two of a 'To:/From:' header, a 'Report of Short Quality "
            "Screening' title, numbered findings and a copy list",
        )

    intro_paras = _paragraphs(lines, regions.intro, marks)
    intro = join(intro_paras, "\n")
    body, inferred = _body(intro.text, area)
    if body is None:
        body, inferred = _body(clean.text, area)
    if body is None:
        notes.append("no inspected youth offending team or service named")
    elif inferred:
        notes.append(f"inspected body name inferred from its abbreviation: {body.name}")

    publication_date = None
    if "publication date" in header:
        publication_date = dates.parse_date(header["publication date"].text)
        if publication_date is None:
            notes.append(f"publication date not understood: {header['publication date'].text!r}")
    else:
        notes.append("no 'Publication date:' in the header")

    inspection = None
    span_text = intro.text
    rng = dates.parse_range(span_text)
    if rng:
        inspection = DateRange(*rng)
    else:
        notes.append("inspection dates not found")

    cases = None
    c = _CASES.search(intro.text) or _CASES.search(clean.text)
    if c:
        cases = number_value(c["n"] or c["n2"])
    else:
        notes.append("number of cases examined not found")

    previous = None
    p = _PREVIOUS_INSPECTION.search(intro.text)
    if p is None:
        all_findings = " ".join(f.text for s in sections for f in s.findings)
        p = _PREVIOUS_INSPECTION.search(all_findings)
    if p:
        previous = int(p["y"])

    reoffending = _reoffending(intro, footnotes)

    operational = _paragraphs(lines, regions.operational, marks)
    strengths, left1 = _list_items(lines, regions.strengths, marks)
    improvements, left2 = _list_items(lines, regions.improvements, marks)
    for label, items in (("key strength", strengths), ("area requiring improvement", improvements)):
        for k, item in enumerate(items):
            _check_text(f"{label} {k + 1}", item.text, marks, notes)
    closing = join(_paragraphs(lines, sorted(left1 + left2 + regions.closing), marks), "\n")
    lead = _lead_inspector(closing)

    addressee = _person(header["to"]) if "to" in header else None
    author = _person(header["from"]) if "from" in header else None
    for label, value in (("To", addressee), ("From", author)):
        if value is None:
            notes.append(f"no '{label}:' line in the header")
    if title is None:
        notes.append("no title ('Report of Short Quality Screening ...')")
    if area is None:
        notes.append("the inspected area is not named")
    if not sections:
        notes.append("no numbered themes with findings")
    if not strengths:
        notes.append("no key strengths")
    if not improvements:
        notes.append("no areas requiring improvement")
    if lead is None:
        notes.append("no lead inspector named")
    if not copy_list:
        notes.append("no copy list (the report may be cut off)")

    texts: list[MappedText] = []
    quotes: list[str] = []
    for s in sections:
        for f in s.findings:
            texts.append(MappedText.of_source(f.text))
            quotes.extend(q.text for q in f.quotes)
    for item in strengths + improvements:
        texts.append(MappedText.of_source(item.text))
        quotes.extend(q.text for q in item.quotes)
    excluded_words = set()
    for e in copy_list:
        excluded_words.update(w.lower() for w in re.findall(r"[A-Za-z]+", e.post))
    for v in (area or "", body.name if body else "", addressee.post if addressee and addressee.post else "",
              author.post if author and author.post else ""):
        excluded_words.update(w.lower() for w in re.findall(r"[A-Za-z]+", v))
    pseudonyms = _case_pseudonyms(texts, quotes, excluded_words, clean.text)

    return Report(
        source=document,
        title=title,
        area=area,
        body=body,
        addressee=addressee,
        author=author,
        publication_date=publication_date,
        inspection=inspection,
        cases_examined=cases,
        previous_inspection_year=previous,
        reoffending=reoffending,
        lead_inspector=lead,
        sections=sections,
        operational_management="\n\n".join(p.text for p in operational) or None,
        key_strengths=strengths,
        areas_for_improvement=improvements,
        copy_list=copy_list,
        case_pseudonyms=pseudonyms,
        warnings=notes,
    )


def parse_file(path: str | Path) -> Report:
    """Read and parse one report file; decoding warnings are kept on the report."""
    result = read_report_file(path)
    return parse_report(result.document, result.warnings)


@dataclass
class ParseOutcome:
    """Reports parsed from many files, and the files that could not be read as reports."""

    reports: list[Report] = field(default_factory=list)
    errors: list[ReportError] = field(default_factory=list)


#: below this many files, starting worker processes costs more than it saves
PARALLEL_FROM = 16


def _parse_or_error(path: str | Path) -> Report | ReportError:
    try:
        return parse_file(path)
    except ReportError as exc:
        return exc


def parse_files(paths: Iterable[str | Path], *, strict: bool = False, workers: int = 1) -> ParseOutcome:
    """Parse every file, in order; a bad file is recorded and the others still parsed
    (``strict``: raise at the first bad file instead). ``workers`` > 1 reads many files in that
    many processes (reading a PDF's pages is most of the work)."""
    outcome = ParseOutcome()
    files = list(paths)
    if workers > 1 and len(files) >= PARALLEL_FROM:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=workers) as pool:
            results: Iterable[Report | ReportError] = list(pool.map(_parse_or_error, files, chunksize=4))
    else:
        results = map(_parse_or_error, files)
    for result in results:
        if isinstance(result, ReportError):
            if strict:
                raise result
            outcome.errors.append(result)
        else:
            outcome.reports.append(result)
    return outcome
