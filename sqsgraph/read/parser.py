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

import bisect
import functools
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence, Set
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
_BULLET = re.compile(
    r"^\s*(?:(?:[-–—•▪●◦·‣○■□➢✓►\x7f\x95]|\d{1,2}[.)])\s+|[\uf000-\uf0ff■▪•►➢](?=\S)|[\uf000-\uf0ff]\s+|\(cid:\d+\)\s*)"
)
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
# the dash may be gone: pdftotext takes out a hyphen that ends a line ("July 2013 -" / "June
# 2014 cohort" comes out "July 2013 June 2014 cohort", "April 2012-" / "March" "April 2012March")
_COHORT = re.compile(rf"(?P<a>{dates.MONTH}\s+\d{{4}})\s*(?:-|–|—|to)?\s*(?P<b>{dates.MONTH}\s+\d{{4}})\s+cohort", re.I)
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
    lines: Sequence[_Line], clean: MappedText, glued: set[str], breaks: Sequence[int] = ()
) -> tuple[dict[int, _Footnote], set[int], set[str]]:
    """Footnote bodies: {first line: footnote}, all their lines, and the marks used in the text.

    A body ends at a blank line, at a line that starts a part of the report, at the end of its
    page (``breaks``: source offsets of the page furniture left out), or (text with no blank
    lines) after a line that stops short of the width the footnote's lines run to."""
    ends = sorted(breaks)

    def page_ends_before(j: int) -> bool:
        return _page_ends_between(ends, lines[j - 1].text, lines[j].text)

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
            nxt = next((lines[k].stripped for k in range(i + 1, min(i + 3, len(lines))) if not lines[k].blank), "")
            if (
                m
                and m[1] in glued
                and (
                    (len(s) > 50 and not _THEME_HEADING.match(s))
                    # a note set in a narrow column: its first line short, the sentence running on
                    # in lower case ("1 The reoffending rate that was" / "available during ...")
                    or (not _TERMINAL.search(s) and nxt[:1].islower() and not _structural(nxt))
                )
            ):
                mark = m[1]
        if mark is None:
            i += 1
            continue
        if width is None:
            width = _text_width(lines)
        j = first_body
        body: list[MappedText] = []
        widest = width
        run = []  # the lines the body may run over: a note set narrower than the text has its own width
        for k in range(first_body, min(first_body + 10, len(lines))):
            if lines[k].blank or (k > first_body and (_structural(lines[k].stripped) or page_ends_before(k))):
                break
            run.append(len(lines[k].stripped))
        narrow = len(run) > 2 and run[0] < 0.6 * width and sorted(run)[len(run) // 2] < 0.6 * width
        if narrow:
            widest = sorted(run)[len(run) // 2]  # its lines' own length, ragged as they are
        while j < len(lines):
            if lines[j].blank:
                # an extractor that sets each line apart (pdfminer) may put a blank line inside
                # the body: it runs on over one blank line when its line so far ran to the full
                # width and stops mid-sentence ("... for the October 2011" / "cohort. Source:
                # ..."), at a colon ("Source:" / "Ministry of Justice") or at a dash between
                # dates ("October 2011 –" / "September 2012 cohort")
                k = j + 1
                if not body or k >= len(lines) or lines[k].blank or _structural(lines[k].stripped):
                    break
                last = lines[j - 1].stripped
                if len(last) < 0.85 * widest or not (
                    last.endswith(":")
                    or re.search(r"\s[-–—]$", last)
                    or (not _TERMINAL.search(last) and lines[k].stripped[:1].islower())
                ):
                    break
                j = k
            elif j > first_body:
                previous = lines[j - 1].stripped
                if _structural(lines[j].stripped) or _BULLET.match(lines[j].stripped) or page_ends_before(j):
                    break
                if not lines[j - 1].blank and len(previous) < 0.85 * widest:
                    break  # the footnote's last line stopped short: what follows is the page's text
            body.append(lines[j].text)
            if not narrow:
                widest = max(widest, len(lines[j].stripped))
            j += 1
        for k in range(i, j):
            note_lines.add(k)
        text = join(body).collapse_whitespace()
        text = text.delete(re.compile(rf"^\s*[{_SUPERSCRIPTS}]+\s*|^\s*\d{{1,2}}(?:\s+|(?=[A-Z][a-z]))"))
        notes[i] = _Footnote(mark, text.strip())
        i = j
    return notes, note_lines, marks


def _page_ends_between(ends: Sequence[int], a: MappedText, b: MappedText) -> bool:
    """Whether a page ends (``ends``: sorted source offsets of page breaks) between line ``a``
    and line ``b``."""
    if not a or not b:
        return False
    after, before = a.source_offset(len(a) - 1), b.source_offset(0)
    k = bisect.bisect_right(ends, after)
    return k < len(ends) and ends[k] < before


def _text_width(lines: Sequence[_Line]) -> int:
    """How long the lines of a hard-wrapped paragraph run: the length most long lines reach (the
    90th percentile of lines of 40 characters or more)."""
    lengths = sorted(len(line.stripped) for line in lines if len(line.stripped) >= 40)
    if not lengths:
        return 80
    return lengths[int(0.9 * (len(lengths) - 1))]


# a line that cannot end a title, a header value or a post: it ends in "and", "of", a dash or a
# comma, or a possessive that wants its noun ("Director of Children's" / "Services")
_TITLE_OPEN_END = re.compile(r"(?:\b(?:and|of|in|on|upon|the|with|for|&)|[-–—,&(]|\w['’]s)$", re.I)


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
_PAGE_COUNTER_AT_END = re.compile(r"\s(?:page\s*)?\d{1,3}\s*(?:/|of)\s*(?P<total>\d{1,3})$", re.I)
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
    d: re.compile(rf"\b(?!(?:{_NUMBER_BEFORE})\b)[A-Za-z]{{2,}} {d} (?!(?:{_NUMBER_AFTER})\b)[a-z]", re.I) for d in "123456789"
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
    # a page counter at the end of a line that comes back on other pages, the same but for its
    # numbers (a browser's own footer: the document's address, then "1/6")
    counted: dict[str, list[int]] = {}
    for i, k in enumerate(keys):
        m = _PAGE_COUNTER_AT_END.search(k)
        if m and len(k) > len(m[0]) + 8 and not _structural(k):
            counted.setdefault(re.sub(r"\d+", "#", " ".join(k[: m.start()].split())) + "/" + m["total"], []).append(i)
    for where in counted.values():
        if len(where) >= 2:
            pages.update(where)
    breaks = pages | {i for i, r in enumerate(raw) if "\f" in r}
    seen: dict[str, list[int]] = {}
    for i, k in enumerate(keys):
        # with no page break found, only the title can be told as a running header
        if len(k) >= 12 and not k.isdigit() and (breaks or _TITLE_START.match(k)):
            seen.setdefault(" ".join(k.split()), []).append(i)  # a layout mode pads it differently page by page
    nonblank = [i for i, k in enumerate(keys) if k]
    position = {i: n for n, i in enumerate(nonblank)}
    out = set(pages)
    # the title: the first title line after the header's labels (a browser's running header may
    # stand above the header on the first page too), or the first of all
    titles = [i for i, k in enumerate(keys) if _TITLE_START.match(k) and _TITLE_KEY.search(k)]
    label = next((i for i, k in enumerate(keys) if _HEADER_LABEL.match(k)), None)
    title = next((i for i in titles if label is not None and i > label), titles[0] if titles else None)
    # the title wrapped over two lines ("... work in" / "Kent"): every whole title line is the
    # running header (a browser's own header may stand between the header's labels and values)
    wrapped = [t for t in titles if len(keys[t]) > 20 and any(keys[u] != keys[t] and keys[u].startswith(keys[t]) for u in titles)]
    if wrapped and title not in wrapped:
        title = next((t for t in wrapped if label is not None and t > label), wrapped[0])
    for k, where in seen.items():
        if _TITLE_START.match(k) and _TITLE_KEY.search(k) and (len(where) > 1 or where[0] != title):
            # the report's title as the running header: the first is the title (unless the title
            # came before, over two lines), every other is furniture (a report never repeats its
            # title in its text), and so is a bare number next to it (the page number an
            # extractor gave with no "Page" and no form feed)
            # the title wrapped over two lines elsewhere ("... work in" / "Kent"): every whole
            # title line is the running header (a browser's own header may stand between the
            # header's labels and their values)
            for i in where[where[0] == title :]:
                out.add(i)
                n = position[i]
                for j in (nonblank[n - 1] if n else None, nonblank[n + 1] if n + 1 < len(nonblank) else None):
                    if j is not None and _BARE_NUMBER.match(keys[j]):
                        out.add(j)
            continue
        if len(where) < 2 or _structural(k) or not breaks:
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


def _numbers_at_page_foot(texts: list[MappedText], warnings: list[str]) -> list[MappedText]:
    """A page's list numbers given after all of its text, just before its furniture: pypdf,
    PDFium and pdftotext's raw mode read the markers of an HTML list (WeasyPrint's ``::marker``
    boxes) after the page's lines, with no blank line between paragraphs. Each number goes to
    the line its turn gives on that page: a theme number to a title (a short capitalised line
    that ends no sentence, on a line of its own), a finding number to the first line of a
    paragraph (after a title, or after a line that ends a sentence and stops short of the
    width the text runs to; the page's first line only when the page before ended a sentence).
    Only when the page holds exactly as many such places, in the numbers' order of kinds, is
    anything moved; each page so read is warned, naming its numbers."""
    raw = [t.text for t in texts]
    keys = [r.strip().translate(_LIGATURES) if LIGATURE.search(r) else r.strip() for r in raw]
    if not any(_LONE_FINDING_NUMBER.match(k) for k in keys):
        return texts
    furniture = _furniture(keys, raw)
    width = _wrap_width(keys)
    if width is None:
        return texts

    def lone(k: str) -> bool:
        return bool(_LONE_FINDING_NUMBER.match(k) or _LONE_THEME_NUMBER.match(k))

    def title_like(k: str) -> bool:
        # a theme's title: a known theme, or a few words well short of the width that end whole
        if not k[:1].isupper() or _TERMINAL.search(k) or _heading(k) or _structural(k):
            return False
        collapsed = " ".join(k.split())
        if _TITLE_OPEN_END.search(collapsed) or len(collapsed) >= 0.8 * width:
            return False
        return bool(theme_of(collapsed)) or (len(k.split()) <= 8 and len(collapsed) < 0.7 * width)

    heads: dict[int, int] = {}  # line -> number line that heads it
    page_start = 0
    commentary = False
    previous: int | None = None  # the last line of text before, across pages (None after a heading)
    i = 0
    while i < len(keys):
        if i in furniture:
            page_start = i + 1
            i += 1
            continue
        if "\f" in raw[i]:
            page_start = i  # a form feed starts the line that starts the page
        if not (keys[i] and lone(keys[i])):
            i += 1
            continue
        run = [i]
        j = i + 1
        while j < len(keys) and (not keys[j] or (lone(keys[j]) and j not in furniture)):
            if keys[j]:
                run.append(j)
            j += 1
        foot = j
        while foot < len(keys) and foot not in furniture and (not keys[foot] or _LONE_BULLET.match(keys[foot])):
            foot += 1  # the page's bullets, set apart as its numbers are
        if foot < len(keys) and (_FOOTNOTE_NUMBERED_LINE.match(keys[foot]) or keys[foot][:1] in _SUPERSCRIPTS):
            # the page's footnote, between its numbers and its furniture
            while foot < min(len(keys), j + 6) and not (foot in furniture or "\f" in raw[foot]):
                foot += 1
        at_foot = foot >= len(keys) or foot in furniture or "\f" in raw[foot]
        page = [h for h in range(page_start, i) if keys[h] and h not in furniture]
        if not at_foot or not page or any(lone(keys[h]) for h in page):
            i = j
            continue
        # the places on the page a number may head: titles, and the lines a paragraph must
        # start on (after a title, a heading or a blank line); and the lines that may start one
        # (after a line that ends a sentence), scored by how much room that line left
        places: list[tuple[str, int]] = []
        maybe: list[tuple[bool, int, int]] = []  # (the line before may end one, room left on it, line)
        numbered = False
        gap = False
        for h in range(page_start, i):
            k = keys[h]
            if h in furniture:
                continue
            if not k:
                gap = True
                continue
            kind = _heading(k)
            if kind == "commentary":
                commentary, previous, gap = True, None, False
                places, maybe = [], []
                continue
            if kind in _COMMENTARY_END or _CLOSING_START.match(k):
                commentary = False
                break
            if _FINDING_START.match(k) or _THEME_HEADING.match(k):
                numbered = True  # numbers in the text already: not this case
                break
            if commentary:
                before = " ".join(keys[previous].split()) if previous is not None else ""
                nxt = next((keys[g] for g in range(h + 1, i) if keys[g] and g not in furniture), "")
                if title_like(k) and nxt[:1].isupper() and (previous is None or gap or _TERMINAL.search(before)):
                    places.append(("title", h))
                elif previous is None or gap or (places and places[-1] == ("title", previous)):
                    places.append(("paragraph", h))
                elif _TERMINAL.search(before) and (k[:1].isupper() or k[:1] in "\"“‘'"):
                    # a line set out to the full width (pypdf writes a justified line's wide
                    # gaps as runs of spaces) ended no paragraph
                    stretched = len(re.findall(r"\S {2,}(?=\S)", keys[previous or 0])) >= 2
                    likely = not stretched and not before.endswith(":")
                    maybe.append((likely, width - len(before) - 1 - len(k.split()[0]), h))
            previous, gap = h, False
        kinds = ["title" if _LONE_THEME_NUMBER.match(keys[n]) else "paragraph" for n in run]
        titles = [h for kd, h in places if kd == "title"]
        if not numbered and len(titles) == kinds.count("title"):
            # between two titles, the paragraphs the numbers want: the forced ones, then the
            # likeliest ends (a line set out to the full width or ending at a colon least likely;
            # then where the next line's first word would have fitted best)
            wants = [0]
            for kd in kinds:
                if kd == "title":
                    wants.append(0)
                else:
                    wants[-1] += 1
            chosen: list[tuple[bool, int, int]] = []
            guess = False
            for seg, want in enumerate(wants):
                lo = titles[seg - 1] if seg else -1
                hi = titles[seg] if seg < len(titles) else len(keys)
                forced = sum(1 for kd, h in places if kd == "paragraph" and lo < h < hi)
                pool = sorted((m for m in maybe if lo < m[2] < hi), reverse=True)
                if not 0 <= want - forced <= len(pool):
                    chosen = []
                    break
                picked = pool[: want - forced]
                chosen += picked
                rest = pool[want - forced :]
                if picked and rest and rest[0][:2] >= (picked[-1][0], picked[-1][1] - 3):
                    guess = True  # the next likeliest was about as likely
            else:
                places = sorted([*places, *(("paragraph", h) for _, _, h in chosen)], key=lambda p: p[1])
                if [kd for kd, _ in places] == kinds:
                    for n, (_, h) in zip(run, places, strict=True):
                        heads[h] = n
                    text = ", ".join(keys[n] for n in run)
                    note = (
                        f"line {run[0] + 1}: finding numbers {text} came after their page's text; each read as "
                        f"heading the title or paragraph its turn gives on the page"
                    )
                    if guess:
                        note += " (where one paragraph ends and the next starts is a guess)"
                    warnings.append(note)
        i = j
    if not heads:
        return texts
    numbers = set(heads.values())
    out: list[MappedText] = []
    for h, t in enumerate(texts):
        if h in numbers:
            continue
        out.append(join([texts[heads[h]].strip(), t.strip()]) if h in heads else t)
    return out


def _layout(
    texts: list[MappedText],
    glued: set[str],
    warnings: list[str],
    breaks: list[int] | None = None,
    loose: list[int] | None = None,
) -> list[MappedText]:
    """Lines of text extracted from a PDF as the rest of the parser reads lines: page furniture
    left out; a number or bullet alone on its line joined to the text it heads; a footnote mark
    set on a line of its own taken out (and added to ``glued``), or put back where pypdf's layout
    mode moved it. Text that has none of these comes back unchanged. ``breaks`` gets the source
    offsets where a page ends (the furniture left out, a form feed), ``loose`` those of bullet
    glyphs set apart from their items and left out."""
    breaks = [] if breaks is None else breaks
    loose = [] if loose is None else loose
    texts = _numbers_at_page_foot(texts, warnings)
    raw = [t.text for t in texts]
    keys = [r.strip().translate(_LIGATURES) if LIGATURE.search(r) else r.strip() for r in raw]
    furniture = _furniture(keys, raw)
    claimed: set[str] = set()
    out: list[MappedText] = []
    # marks that head a footnote's body somewhere ("1 Published ...", "1Published ..."): a long
    # line, not a part of the report, that starts with the mark and a capitalised word
    noted = {
        m[1]
        for k in keys
        if len(k) > 50 and (m := _FOOTNOTE_NUMBERED_LINE.match(k)) and m[1] in _SPACED_MARK and not _structural(k)
    }
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

    for i, r in enumerate(raw):
        if i in furniture or "\f" in r:
            breaks.append(texts[i].source_offset(0) if texts[i] else 0)
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
                len(k) == 1
                and k not in claimed
                and j is not None
                and keys[j][:1].isupper()
                and re.search(rf"[A-Za-z] {k} [a-z]", "\n".join(raw))
            ):
                # the mark heading its footnote's body, the mark in the text set apart by a
                # space ("rate 1 for"): both are taken out
                claimed.add(k)
                glued.add(k)
                glued.add(" " + k)
                out.append(texts[i])
            else:
                breaks.append(texts[i].source_offset(0))  # a page number
            i += 1
            continue
        if _LONE_FINDING_NUMBER.match(k):
            out.append(texts[i])  # read with the paragraphs around it (_number_paragraphs)
            i += 1
            continue
        if _LONE_NUMBER.match(k) or _LONE_BULLET.match(k):
            j = next_line(i)
            if (
                _LONE_BULLET.match(k)
                and j is not None
                and (
                    _LONE_BULLET.match(keys[j])
                    or any(f in furniture for f in range(i + 1, j))
                    or next((bool(_LONE_BULLET.match(keys[h])) for h in range(i - 1, max(-1, i - 4), -1) if keys[h]), False)
                )
            ):
                # bullet glyphs the extractor set apart from their items, all together or at the
                # foot of the page (pdfminer): the items are told by the gaps between them
                loose.append(texts[i].source_offset(0))
                i += 1
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
    firsts = [(t.source_offset(0), i) for i, t in enumerate(texts) if t]

    def line_of(text: MappedText) -> int:
        """The number (from 1) of the source line ``text`` starts on."""
        k = bisect.bisect_right(firsts, (text.source_offset(0), len(texts))) - 1
        return firsts[k][1] + 1 if k >= 0 else 1

    return _number_paragraphs(out, warnings, glued, line_of)


_LONE_FINDING_NUMBER = re.compile(r"^(?P<major>\d{1,2})\.(?P<minor>\d{1,2})\.?$")
_LONE_THEME_NUMBER = re.compile(r"^(?P<major>\d{1,2})\.$")
_FOOTNOTE_START = re.compile(rf"^(?:[{_SUPERSCRIPTS}]|\d{{1,2}}\s*[A-Z][a-z]|\d{{1,2}}$)")
_COMMENTARY_END = ("operational", "strengths", "improvements", "copylist")


@dataclass
class _Unit:
    """A piece of the commentary as an extractor gave it: a number alone on its line, or a block
    of lines (a paragraph, a title, a footnote) between blank lines and numbers."""

    kind: str  # "finding-number", "theme-number", "theme-heading", "numbered", "title", "paragraph", "other"
    lines: list[int]  # positions in the line list
    number: tuple[int, int] | None = None  # (major, minor) of a finding number; (major, 0) of a theme


def _number_paragraphs(
    lines: list[MappedText],
    warnings: list[str],
    marks: Set[str] = frozenset(),
    line_of: Callable[[MappedText], int] | None = None,
) -> list[MappedText]:
    """Finding numbers an extractor set apart from their paragraphs, all together before or after
    them (pdfminer reads a table's number column as a block of its own), each given to its
    paragraph: between two findings whose number the text gives with it, the numbers alone go
    to the paragraphs with none, in order. A paragraph that a page break split off the one
    before (it starts in lower case, or the one before stopped mid-sentence) runs on from it and
    takes no number; a theme number alone takes the title that follows. Text with no finding
    number alone on its line comes back as it is. ``line_of`` gives the source line a line
    starts on, for the warnings."""
    keys = [t.text.strip().translate(_LIGATURES) if LIGATURE.search(t.text) else t.text.strip() for t in lines]
    if not any(_LONE_FINDING_NUMBER.match(k) for k in keys):
        return lines
    start = next((i for i, k in enumerate(keys) if _heading(k) == "commentary"), None)
    if start is None:
        start = next(i for i, k in enumerate(keys) if _LONE_FINDING_NUMBER.match(k) or _FINDING_START.match(k))
    end = next(
        (i for i in range(start, len(keys)) if _heading(keys[i]) in _COMMENTARY_END or _CLOSING_START.match(keys[i])), len(keys)
    )
    units: list[_Unit] = []
    for i in range(start, end):
        k = keys[i]
        if not k:
            continue
        f, t = _LONE_FINDING_NUMBER.match(k), _LONE_THEME_NUMBER.match(k)
        if f or t:
            m = f or t
            assert m is not None
            units.append(_Unit("finding-number" if f else "theme-number", [i], (int(m["major"]), int(m["minor"]) if f else 0)))
            continue
        footnote = bool(_FOOTNOTE_START.match(k)) and (
            len(k) > 50 or k[0] in _SUPERSCRIPTS or k.isdigit() or re.match(r"\d+", k)[0] in marks  # type: ignore[index]
        )
        if (
            units
            and units[-1].kind in ("paragraph", "numbered", "other")
            and units[-1].lines[-1] == i - 1
            and not (_FINDING_START.match(k) or _THEME_HEADING.match(k) or _heading(k) or footnote)
        ):
            units[-1].lines.append(i)
            continue
        m = _FINDING_START.match(k)
        if m and k[m.end() :].strip():
            units.append(_Unit("numbered", [i], (int(m["major"]), int(m["minor"]))))
        elif (t := _THEME_HEADING.match(k)) and not _TERMINAL.search(k) and (re.match(r"\d{1,2}\.\s", k) or theme_of(t["title"])):
            units.append(_Unit("theme-heading", [i], (int(t["num"]), 0)))
        elif (
            _heading(k)
            or footnote
            or (
                units
                and units[-1].kind == "other"
                and (keys[units[-1].lines[-1]].isdigit() or re.search(r":$|\s[-–—]$", keys[units[-1].lines[-1]]))
            )
        ):
            units.append(_Unit("other", [i]))  # a heading, a footnote (or its body under its mark)
        else:
            units.append(_Unit("paragraph", [i]))
    # a theme number alone takes the next short line with no full stop as its title
    waiting: _Unit | None = None
    for u in units:
        if u.kind == "theme-number":
            if waiting is not None and waiting.number is not None and u.number is not None:
                # two theme numbers before any title: which title is whose is not told
                warnings.append(
                    f"section {waiting.number[0]}, section {u.number[0]}: theme numbers "
                    f"{keys[waiting.lines[0]]} and {keys[u.lines[0]]} came together, apart from their "
                    f"titles; the title after them read as the last one's"
                )
            waiting = u
        elif waiting is not None and u.kind == "paragraph" and len(u.lines) == 1:
            k = keys[u.lines[0]]
            if len(k.split()) <= 12 and k[:1].isupper() and not _TERMINAL.search(k):
                u.kind, u.number, waiting = "title", waiting.number, None
        elif u.kind in ("numbered", "theme-heading"):
            waiting = None
    # a paragraph a page break split runs on from the text before it
    previous: _Unit | None = None  # the text just before, with no number or title between
    text_before = False
    for u in units:
        if u.kind == "paragraph" and (
            (text_before and keys[u.lines[0]][:1].islower())
            or (previous is not None and not _TERMINAL.search(keys[previous.lines[-1]]))
        ):
            u.kind = "runs-on"
        if u.kind in ("paragraph", "numbered", "runs-on"):
            previous, text_before = u, True
        elif u.kind in ("theme-number", "theme-heading", "title"):
            previous, text_before = None, False
        elif u.kind != "other":
            previous = None  # a number between: the paragraph after it is one of its own, unless in lower case
    # themes: each number alone goes to a paragraph of its theme, between the findings numbered in
    # the text around it
    replace: dict[int, MappedText] = {}
    drop: set[int] = set()
    # a theme starts at its heading; a theme number alone with a title after it starts its
    # theme at the title (the numbers' block may come before the last paragraphs of the theme
    # before), and the heading is read there
    titled = {u.number for u in units if u.kind == "title"}
    theme = 0
    by_theme: dict[int, list[_Unit]] = {}
    for u in units:
        if u.number is not None and (
            u.kind in ("theme-heading", "title") or (u.kind == "theme-number" and u.number not in titled)
        ):
            theme = u.number[0]
        if u.kind == "finding-number" and u.number is not None:
            by_theme.setdefault(u.number[0], []).append(u)
        else:
            by_theme.setdefault(theme, []).append(u)
    for u in units:
        if u.kind == "title" and u.number is not None:
            head = next(v for v in units if v.kind == "theme-number" and v.number == u.number)
            replace[u.lines[0]] = join([lines[head.lines[0]].strip(), lines[u.lines[0]].strip()])
            drop.add(head.lines[0])
    at = {id(u): k for k, u in enumerate(units)}  # each unit's position

    def where(i: int) -> int:
        return line_of(lines[i]) if line_of is not None else i + 1

    for major, group in sorted(by_theme.items()):
        numbers = [u for u in group if u.kind == "finding-number"]
        if not numbers:
            continue
        anchors = [u for u in group if u.kind == "numbered" and u.number is not None and u.number[0] == major]
        bounds = [0, *(a.number[1] for a in anchors if a.number is not None), 10**6]
        for low, high in itertools.pairwise(bounds):
            nums = [u for u in numbers if u.number is not None and low < u.number[1] < high]
            if not nums:
                continue
            lo_at = next((at[id(a)] for a in anchors if a.number is not None and a.number[1] == low), -1)
            hi_at = next((at[id(a)] for a in anchors if a.number is not None and a.number[1] == high), len(units))
            paras = [u for u in group if u.kind == "paragraph" and lo_at < at[id(u)] < hi_at]
            for n, p in zip(nums, paras, strict=False):
                replace[p.lines[0]] = join([lines[n.lines[0]].strip(), lines[p.lines[0]].strip()])
            drop.update(n.lines[0] for n in nums)
            apart = len(nums) != len(paras) or any(at[id(p)] != at[id(n)] + 1 for n, p in zip(nums, paras, strict=False))
            ran_on = [u for u in group if u.kind == "runs-on" and lo_at < at[id(u)] < hi_at]
            if apart or ran_on:
                side = "apart from"
                if paras and all(at[id(n)] < at[id(paras[0])] for n in nums):
                    side = "before"
                elif paras and all(at[id(n)] > at[id(paras[-1])] for n in nums):
                    side = "after"
                text = ", ".join(keys[n.lines[0]] for n in nums)
                note = (
                    f"line {where(nums[0].lines[0])}: finding numbers {text} came {side} their paragraphs; "
                    f"each read as heading the next paragraph in order"
                )
                if len(nums) != len(paras):
                    note += f" ({len(nums)} numbers, {len(paras)} paragraphs)"
                if ran_on:
                    note += "; a paragraph a page break split read as running on from the one before"
                warnings.append(note)
    stray = [i for i, k in enumerate(keys) if _LONE_FINDING_NUMBER.match(k) and i not in drop]
    if stray:
        warnings.append(
            f"line {where(stray[0])}: finding numbers {', '.join(keys[i] for i in stray)} stand alone, "
            f"away from any paragraph they could head; not read"
        )
    out: list[MappedText] = []
    for i, line in enumerate(lines):
        if i in drop:
            continue
        out.append(replace.get(i, line))
    return out


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
_SLASH_END = re.compile(r"[^\W\d_]/\s*$")
_SUSPENDED = re.compile(r"(?:and|or|to)\b")
_PDFIUM_HYPHEN = re.compile("\ufffe")
# "twothirds": a fraction whose hyphen an extractor (pdftotext) took out where a line broke it
_JOINED_FRACTION = re.compile(r"\b(?=[otfOTF])(one|two|three|four)(halves|half|thirds?|quarters?|fifths?)\b", re.I)
# "MultiAgency": a capital inside a word, where an extractor may have taken out a hyphen
_JOINED_COMPOUND = re.compile(r"\b(?!Mac)[A-Z][a-z]{2,}[A-Z][a-z]{2,}\b")


_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_WORD = re.compile(r"[^\W\d_]+")
_URL = re.compile(r"https?://|www\.", re.I)
_HYPHENATED = re.compile(r"(?<![\w-])[^\W\d_]+-[^\W\d_]+(?![\w-])")


def _wrap_width(texts: Sequence[str]) -> int | None:
    """How long the lines of hard-wrapped text run (the 90th percentile of lines of 40
    characters or more, white space runs as one); None for text that is not hard-wrapped (a
    paragraph a line: most long lines do not run to about the same length)."""
    lengths = sorted(n for t in texts if (n := len(" ".join(t.split()))) >= 40)
    if len(lengths) < 20:
        return None
    width = lengths[int(0.9 * (len(lengths) - 1))]
    if sum(0.7 * width <= n <= 1.05 * width for n in lengths) < 0.6 * len(lengths):
        return None
    return width


def _hyphens_taken_out(clean: MappedText) -> tuple[MappedText, list[tuple[int, str, str]]]:
    """Words an extractor joined where a hyphen broke them at a line end, taking the hyphen out
    and the next line in ("... to see a presentence report ... requested by"): in hard-wrapped
    text, a line that runs on well past the others. A word of that line near where it should
    have ended that the text writes elsewhere with a hyphen ("pre-sentence") is read so; else
    the line is noted as it is. Returns the text and notes (source offset, a word of the text
    there, what was done) for the finding or item that holds them. A line PDFium joined at a
    hyphen it marked (U+FFFE) is no such line."""
    text = clean.text
    starts = [0, *(m.end() for m in _LINE_BREAK.finditer(text))]
    ends = [m.start() for m in _LINE_BREAK.finditer(text)] + [len(text)]
    collapsed = [len(" ".join(text[a:b].split())) for a, b in zip(starts, ends, strict=True)]
    lengths = sorted(n for n in collapsed if n >= 40)
    if len(lengths) < 20:
        return clean, []
    width = lengths[int(0.9 * (len(lengths) - 1))]
    if sum(0.7 * width <= n <= 1.05 * width for n in lengths) < 0.6 * len(lengths):
        return clean, []  # not hard-wrapped (a paragraph a line)
    hyphenated = set(_HYPHENATED.findall(text.lower()))  # the words the text writes with one hyphen
    notes: list[tuple[int, str, str]] = []
    swaps: list[tuple[int, int, str]] = []
    for a, b, n in zip(starts, ends, collapsed, strict=True):
        line = text[a:b]
        if n <= 1.3 * width or "\ufffe" in line or _URL.search(line):
            continue  # not run on, joined at a hyphen PDFium marked, or a web address
        if _JOINED_FRACTION.search(line):
            continue  # its join is read as such ("twothirds")
        compounds = list(_JOINED_COMPOUND.finditer(line))
        if compounds:
            # "MultiAgency": the join is where the capital is; put back when the text writes the
            # word with its hyphen elsewhere ("multi-agency"), else warned as a compound is
            for m in compounds:
                k = next(i for i in range(1, len(m[0])) if m[0][i].isupper())
                form = f"{m[0][:k]}-{m[0][k:]}"
                if form.lower() in hyphenated:
                    swaps.append((a + m.start(), a + m.end(), form))
                    notes.append(
                        (
                            clean.source_offset(a + m.start()),
                            form,
                            f"{m[0]!r} read as {form!r}, as the text writes it elsewhere (a hyphen an "
                            f"extractor took out where a line broke the word)",
                        )
                    )
            continue
        near: list[re.Match[str]] = []
        for m in _WORD.finditer(line):
            at = len(" ".join(line[: m.start()].split())) + 1
            if 0.5 * width <= at <= 1.05 * width and len(m[0]) >= 6 and m[0].islower():
                near.append(m)
        known = []
        for m in near:
            w = m[0]
            found = [f for f in (f"{w[:k]}-{w[k:]}" for k in range(2, len(w) - 1)) if f in hyphenated]
            if len(found) == 1:
                known.append((m, found[0]))
        if len(known) == 1:
            m, form = known[0]
            swaps.append((a + m.start(), a + m.end(), form))
            notes.append(
                (
                    clean.source_offset(a + m.start()),
                    form,
                    f"{m[0]!r} read as {form!r}, as the text writes it elsewhere (a hyphen an extractor "
                    f"took out where a line broke the word)",
                )
            )
        elif near:
            m = near[len(near) // 2]
            notes.append(
                (
                    clean.source_offset(a + m.start()),
                    m[0],
                    f"a line runs on past the others ({' '.join(line[near[0].start() : near[-1].end()].split())!r}): "
                    f"an extractor may have joined a word a hyphen broke at the line's end and taken the "
                    f"hyphen out; read as written",
                )
            )
    if not swaps:
        return clean, notes
    pieces: list[MappedText] = []
    last = 0
    for a, b, form in swaps:
        pieces += [clean[last:a], clean[a:b].substitute(re.compile(r"(?s).+"), form)]
        last = b
    pieces.append(clean[last:])
    return join(pieces, ""), notes


_WORD_TOKEN = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


def _spaces_put_in(clean: MappedText) -> tuple[MappedText, list[tuple[int, str, str]]]:
    """Words an extractor split with a space (pypdf's layout mode where a producer split its text
    at kerning: "effe ct", "r eviewed", "two -thirds"): two pieces whose join the text writes
    elsewhere, neither written anywhere else on its own; or a hyphen with a space before it
    and none after, whose hyphenated word the text writes elsewhere. Each is read joined; the
    notes (source offset, the word, what was done) go to the finding or item that holds it."""
    text = clean.text
    tokens = list(_WORD_TOKEN.finditer(text))
    count: dict[str, int] = {}

    def key(word: str) -> str:
        return word.translate(_LIGATURES).lower()  # "eﬀect" and "effect" alike

    for m in tokens:
        count[key(m[0])] = count.get(key(m[0]), 0) + 1
    swaps: list[tuple[int, int, str]] = []
    notes: list[tuple[int, str, str]] = []
    for a, b in itertools.pairwise(tokens):
        gap = text[a.end() : b.start()]
        if re.fullmatch(r" +-", gap):
            word = f"{a[0]}-{b[0]}"
        elif re.fullmatch(r" +", gap) and count[key(a[0])] == 1 and count[key(b[0])] == 1:
            word = a[0] + b[0]
        else:
            continue
        if len(word) < 4 or count.get(key(word), 0) < 1 or (swaps and swaps[-1][1] > a.start()):
            if re.fullmatch(r" {4,}", gap) and b[0][:1].islower():
                # far wider than the line's other gaps, before a piece in lower case: maybe a word
                # split where the text does not write it whole ("monitor           ed")
                start = text.rfind("\n", 0, a.start()) + 1
                end = text.find("\n", b.end())
                others = [len(g) for g in re.findall(r"(?<=\S) +(?=\S)", text[start : end if end >= 0 else len(text)])]
                others.remove(len(gap))
                if others and len(gap) >= max(others) + 2:
                    notes.append(
                        (
                            clean.source_offset(a.start()),
                            a[0],
                            f"a wide space inside a line ({a[0]!r} {b[0]!r}): an extractor may have put a space "
                            f"inside a word; read as written",
                        )
                    )
            continue
        swaps.append((a.start(), b.end(), word))
        notes.append(
            (
                clean.source_offset(a.start()),
                word,
                f"{' '.join(text[a.start() : b.end()].split())!r} read as {word!r}, as the text writes it "
                f"elsewhere (a space an extractor put inside the word)",
            )
        )
    if not swaps:
        return clean, notes
    pieces: list[MappedText] = []
    last = 0
    for start, end, word in swaps:
        pieces += [clean[last:start], clean[start:end].substitute(re.compile(r"(?s).+"), word)]
        last = end
    pieces.append(clean[last:])
    return join(pieces, ""), notes


def _join_lines(pieces: list[MappedText]) -> MappedText:
    """Lines of one paragraph joined with a space, but a line ending in a hyphen after a letter
    runs on into a next line that starts with a letter ("two-" / "thirds" is "two-thirds",
    "Multi-" / "Agency" is "Multi-Agency": the hyphen kept, as the reports break lines at the
    hyphens of compounds), unless that line starts "and", "or", "to" ("pre- and post-")."""
    out: list[MappedText] = []
    for piece in pieces:
        if (
            out
            and _HYPHEN_END.search(out[-1].text)
            and piece.text.lstrip()[:1].isalpha()
            and not _SUSPENDED.match(piece.text.lstrip())
        ):
            out[-1] = join([out[-1].strip(), piece.strip()], "")
        elif out and _SLASH_END.search(out[-1].text) and piece.text.lstrip()[:1].isalpha():
            out[-1] = join([out[-1].strip(), piece.strip()], "")  # "parents/" / "carers": broken after a slash
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


def _paragraphs_split(lines: Sequence[_Line], indices: Sequence[int], marks: set[str]) -> list[MappedText]:
    """Paragraphs of ``indices`` split at every -1 as well as at blank lines."""
    out: list[MappedText] = []
    current: list[MappedText] = []
    for i in [*indices, -1]:
        if i == -1 or lines[i].blank:
            if current:
                text = _repair(_join_lines(current), marks)
                if out and _continues(out[-1].text, text.text):
                    out[-1] = join([out[-1], text])  # a page break split it
                elif text:
                    out.append(text)
            current = []
        else:
            current.append(lines[i].text)
    return out


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


def _reoffending(intro: MappedText, footnotes: Sequence[_Footnote]) -> Reoffending | None:
    """The area's published reoffending rate, its comparator, and the footnote's details, read
    with ligatures as their letters ("reoﬀending")."""
    intro = intro.expand_ligatures()
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
    note = next((f for f in footnotes if re.search(r"cohort|re-?offending", f.text.text.translate(_LIGATURES), re.I)), None)
    cohort_start = cohort_end = published = source = None
    if note is not None:
        n = note.text.text.translate(_LIGATURES)
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
    """The counts a paragraph states, read with ligatures as their letters ("ﬁve out of eight"):
    the phrase is given in letters, its span points at the text as written."""
    text = text.expand_ligatures()
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
    lines: Sequence[_Line],
    body: list[int],
    section_number: int,
    marks: set[str],
    warnings: list[str],
    width: int | None = None,
    breaks: Sequence[int] = (),
) -> list[Finding]:
    """Numbered paragraphs of one theme; unnumbered lines continue the paragraph before them.
    In hard-wrapped text (``width``: how long its lines run), a line that stops far short
    inside a paragraph is a piece of a line an extractor moved (pdfminer's text boxes): the
    finding is warned."""
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
        if width is not None:
            moved = _short_line_inside(lines, body[at:stop], width, breaks)
            if moved:
                warnings.append(
                    f"finding {number}: a line stops short inside its paragraph ({moved!r}): an "
                    f"extractor may have moved a piece of a line; read as written"
                )
        findings.append(Finding(number=number, text=text.text, span=span, quotes=_quotes(text), proportions=_proportions(text)))
    before = [i for i in body[: starts[0][0]] if not lines[i].blank]
    if before:
        warnings.append(f"section {section_number}: text before its first numbered finding was not read")
    return findings


def _short_line_inside(lines: Sequence[_Line], own: list[int], width: int, breaks: Sequence[int]) -> str | None:
    """A line of hard-wrapped text that stops far short in the middle of a paragraph and does
    not end a sentence: a piece of a line an extractor set apart (pdfminer's text boxes), not a
    page's last line (a page break follows it) nor one before text laid out wider (a new page)."""

    def size(i: int) -> int:
        return len(" ".join(lines[i].stripped.split()))

    for before, a, b in zip(own, own[1:], own[2:], strict=False):
        short = " ".join(lines[a].stripped.split())
        if (
            a == before + 1
            and b == a + 1
            and short
            and not lines[before].blank
            and not lines[b].blank
            and len(short) < 0.5 * width
            and not short.isdigit()
            and not _TERMINAL.search(short)
            and (size(b) <= 1.05 * size(before) or size(before) < 0.7 * width)
            and not _page_ends_between(breaks, lines[a].text, lines[b].text)
        ):
            return short
    # a short piece after a blank line, read on into the paragraph (it starts in lower case):
    # words of a line an extractor set apart one by one (pdftotext on a justified line)
    for a, b in itertools.pairwise(own):
        short = " ".join(lines[b].stripped.split())
        if (
            b > a + 1
            and short
            and len(short) < 0.3 * width
            and not _TERMINAL.search(short)
            and short[:1].islower()
            and not _page_ends_between(breaks, lines[a].text, lines[b].text)
        ):
            return short
    return None


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
    for joined in _JOINED_COMPOUND.finditer(text) if _LOWER_UPPER.search(text) else ():
        notes.append(f"{label}: {joined[0]!r} may be a hyphenated word an extractor joined at a line break; read as written")
    m = _RUNNING_TITLE.search(text)
    if m:
        notes.append(f"{label}: holds what looks like page furniture ({m[0]!r}) that could not be taken out")
    m = _footnote_like(text, marks)
    if m:
        notes.append(
            f"{label}: holds what looks like a footnote ({text[max(0, m.start() - 20) : m.start() + 40]!r}) that could "
            f"not be taken out"
        )


def _list_items(
    lines: Sequence[_Line],
    indices: list[int],
    marks: set[str],
    label: str,
    warnings: list[str],
    loose: Sequence[int] = (),
    width: int | None = None,
    breaks: Sequence[int] = (),
) -> list[ListItem]:
    """Bulleted items (or, with no bullets at all, paragraphs). In a bulleted list, a paragraph
    with no bullet after a blank line (an extractor set the page's bullets apart from their
    items, pdfminer) is an item too, warned. A list whose bullets were all set apart (``loose``:
    their source offsets) with no blank lines between its items is split where a line ends a
    sentence and stops short, warned; so is an item holding a piece of a line an extractor
    moved (``width``: how long hard-wrapped lines run)."""
    has_bullets = any(_BULLET.match(lines[i].text.text) for i in indices)
    if not has_bullets and indices and width is not None:
        moved = _short_line_inside(lines, [i for i in indices if not lines[i].blank], width, breaks)
        if moved:
            warnings.append(
                f"{label}: a line stops short inside its paragraph ({moved!r}): an extractor may have "
                f"moved a piece of a line; read as written"
            )
    if not has_bullets and indices:
        at = [lines[i].text.source_offset(0) for i in indices if lines[i].text]
        after = next((lines[j].text.source_offset(0) for j in range(indices[-1] + 1, len(lines)) if lines[j].text), None)
        # the bullets inside the list, or at the foot of the page the list starts on (pypdf,
        # PDFium and pdftotext's raw mode read an HTML list's markers after the page's text)
        set_apart = at and any(
            at[0] <= o and (after is None or o < after or not any(at[0] < b < o for b in breaks)) for o in loose
        )
        # no bullet glyphs at all (a browser draws them as shapes) and no blank line between the
        # items of hard-wrapped text: the items are told the same way
        # (between blank lines, or where a page broke: pdfminer parts some items, not all)
        run_together = (
            not set_apart
            and width is not None
            and any(
                sum(1 for line in block if _TERMINAL.search(line.stripped) and len(line.stripped) < 0.85 * width) > 1
                for block in _blocks(lines, indices)
            )
        )
        if set_apart or run_together:
            width = _text_width(lines)
            split: list[int] = []
            for i in indices:
                split.append(i)
                if not lines[i].blank and _TERMINAL.search(lines[i].stripped) and len(lines[i].stripped) < 0.85 * width:
                    split.append(-1)  # the item ends here
            told = [_item(p) for p in _paragraphs_split(lines, split, marks)]
            why = (
                "the bullets were set apart from their items"
                if set_apart
                else ("no bullets and no blank line between some items")
            )
            warnings.append(f"{label}: {why}; {len(told)} item(s) told by where a line ends a sentence and stops short")
            return told
    if not has_bullets:
        return [_item(p) for p in _paragraphs(lines, indices, marks)]
    items: list[list[MappedText]] = []
    owns: list[list[int]] = []  # each item's lines
    unbulleted = 0
    pending_gap = False
    for i in indices:
        line = lines[i]
        if line.blank:
            pending_gap = True
            continue
        b = _BULLET.match(line.text.text)
        if b:
            items.append([line.text[b.end() :]])
            owns.append([i])
        elif items and (not pending_gap or _continues(join(items[-1]).text.rstrip(), line.stripped)):
            items[-1].append(line.text)
            owns[-1].append(i)
        else:
            items.append([line.text])
            owns.append([i])
            unbulleted += 1
        pending_gap = False
    if unbulleted:
        warnings.append(f"{label}: {unbulleted} paragraph(s) with no bullet read as items (the bullets set apart from them)")
    out: list[ListItem] = []
    for parts, own in zip(items, owns, strict=True):
        text = _repair(_join_lines(parts), marks)
        if not text.text.strip():
            continue
        moved = _short_line_inside(lines, own, width, breaks) if width is not None else None
        if moved:
            warnings.append(
                f"{label}: item {len(out) + 1}: a line stops short inside its paragraph ({moved!r}): an "
                f"extractor may have moved a piece of a line; read as written"
            )
        out.append(_item(text))
    return out


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


def _name_words(holder: str) -> int:
    """How many words a holder's name has, its qualifier left out: "Brake (North)" has one."""
    q = _QUALIFIER.search(holder)
    return len((holder[: q.start()] if q else holder).split())


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
    # the first holder ends at the first comma after which only names follow (a post may hold a
    # comma: "Director of Social Care, Health and Andrew Ireland")
    first_piece_end = next(
        (k for k, t in enumerate(tokens[:-1]) if t.group().endswith((",", ";")) and _names(text[t.end() :].strip(" ,;"))),
        len(tokens) - 1,
    )

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
    entries: list[list[Any]] = []  # [post, holder parts, span, how]: how is None (one row) or a reason
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
        carried = bool(carry)
        carry = []
        names.clear()
        if not posts or not got:
            carry = got
            return
        before = entries[posts[0] - 1] if posts[0] else None
        if before is not None and len(got) > len(posts) and join(before[1]).text.rstrip().endswith((",", ";")):
            # the entry before the run stopped at a comma (its list ran on after a page break): the
            # run's first holders end its list
            before[1].extend(got.pop(0))
            before[3] = before[3] or "its holders ran on after the next posts; read as one list"
        if len(got) < len(posts):
            _join_wrapped_posts(entries, posts, len(posts) - len(got))
        apart = len(posts) > 1 or len(got) != len(posts) or carried or any(entries[p][3] for p in posts)
        for p, holders in zip(posts, got, strict=False):  # posts without names wait for the next run
            entries[p][1].extend(holders)
            if apart and not entries[p][3]:
                entries[p][3] = "posts and names were listed apart; paired in order"
        carry = got[len(posts) :]
        del posts[: len(got)]  # posts still without names wait for the next run's

    nonblank = [i for i in indices if not lines[i].blank]
    # the page's margin (pdftotext's layout mode keeps it): columns are told from it
    margin = min((len(lines[i].text.text) - len(lines[i].text.text.lstrip()) for i in nonblank), default=0)
    for n, i in enumerate(nonblank):
        line = lines[i]
        adjacent = last_line == i - 1
        last_line = i
        raw = line.text
        s = raw.text
        indent = len(s) - len(s.lstrip())
        sep = re.search(r"\t+|\s{2,}", s[indent:].rstrip())  # white space at the end is no gap
        stripped = s.strip()  # as written (offsets into the line), ligatures and all
        start = indent
        if sep is not None and not s[indent : indent + sep.start()].strip():
            sep = None
        gaps = re.findall(r"\s+", stripped)
        if sep is not None and "\t" not in stripped and len(gaps) > 1 and all(len(g) > 1 for g in gaps):
            sep = None  # every word set apart alike: a justified line (pdfminer), not two columns
        if sep is not None:
            settle()
            a, b = indent + sep.start(), indent + sep.end()
            entries.append([raw[indent:a], [raw[b:]], _source_line_span(source, raw), None])
            last_kind = "row"
            gapped = True
            continue
        open_parts = names[-1] if last_kind == "names" and names else (entries[-1][1] if last_kind == "row" and entries else None)
        is_names = _names(stripped)
        # one word on its own under a post is the post's cell wrapped ("... Police and Crime" /
        # "Panel"): a holder is named with two words or more
        single = len(stripped.split()) == 1
        # a post alone after a complete row whose holders come in their column after a gap (a
        # page break): a row whose holders a layout engine moved on to the next page whole
        following = lines[nonblank[n + 1]] if n + 1 < len(nonblank) else None
        moved_holders = (
            following is not None
            and nonblank[n + 1] != i + 1
            and _names(following.stripped)
            and len(following.text.text) - len(following.text.text.lstrip()) - margin >= 4
            and not _TITLE_OPEN_END.search(entries[-1][0].text.rstrip() if entries else "")
        )
        if (
            last_kind == "row"
            and entries
            and not entries[-1][3]
            and not moved_holders
            and (
                _TITLE_OPEN_END.search(entries[-1][0].text.rstrip())
                or stripped[:1].islower()
                or (gapped and indent - margin < 4 and (not is_names or single) and not _split_joined_row(stripped)[0])
            )
        ):
            entries[-1][0] = join([entries[-1][0], raw.strip()])  # the post's cell wrapped, its holders beside it
            continue
        # a holder's cell on a line of its own in the holders' column after a row whose holders
        # ended whole: a row whose post a layout engine moved on to the next page whole
        # ("Michael Hill" here, "Lead Elected Member for Community" / "Services" over the page)
        moved_row = (
            open_parts is not None
            and indent - margin >= 4
            and is_names
            and stripped[:1].isupper()
            and bool(nonblank[n + 1 :])
            and not re.search(r"[,;(&]\s*$|\band\s*$", join(open_parts).text)
            and _name_words(_HOLDER_SPLIT.split(join(open_parts).text.strip())[-1]) >= 2
            and _name_words(_HOLDER_SPLIT.split(stripped)[0]) >= 2
        )
        if moved_row:
            settle()
            names.append([raw])
            last_kind = "names"
            continue
        if open_parts is not None and (
            indent - margin >= 4
            or stripped.startswith("(")
            or (open_parts[-1].text.rstrip().endswith((",", ";")) and (is_names or stripped[:1].islower()))
            or (
                is_names
                and _name_words(_HOLDER_SPLIT.split(stripped)[0]) == 1
                and _name_words(_HOLDER_SPLIT.split(open_parts[-1].text.strip())[-1]) == 1
            )
        ):
            open_parts.append(raw)  # holders the cell wrapped: "... Linda" / "Paris, ..."
            continue
        waiting = names[-1] if names else (carry[-1] if carry else None)
        if (
            last_kind == "post"
            and single
            and is_names
            and waiting is not None
            and _name_words(_HOLDER_SPLIT.split(join(waiting).text.strip())[-1]) == 1
        ):
            # a name the cell wrapped, read across the row: "..., Linda Paris, Julie" / "YJB link
            # staff" / "Fox"
            waiting.append(raw)
            continue
        open_post = bool(posts) and (_TITLE_OPEN_END.search(entries[posts[-1]][0].text.rstrip()) or stripped[:1].islower())
        if posts and (
            (open_post and last_kind == "post" and (not is_names or len(stripped.split()) == 1))
            or (open_post and last_kind == "names" and not is_names)
            or (
                last_kind == "post"
                and adjacent
                and not is_names
                and len(stripped.split()) <= 2
                and len(entries[posts[-1]][0].text.split()) >= 4
                and not any(_name_token(w) for w in stripped.split())
            )
            or (last_kind == "post" and adjacent and single)
            # the post's second line after its holders, read across the row: "Lead Elected Member
            # for Community" / "Michael Hill" / "Services"
            or (
                last_kind == "names"
                and adjacent
                and single
                and len(names) == 1
                and len(posts) == 1
                and (n + 1 == len(nonblank) or not _names(lines[nonblank[n + 1]].stripped))
            )
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
            warnings.append(f"copy list: {post_text!r} read with {', '.join(h.name for h in holders)!r}: {how}")
        out.append(CopyListEntry(post=post_text, holders=holders, span=span))
    return out


def _join_wrapped_posts(entries: list[list[Any]], posts: list[int], count: int) -> None:
    """Join ``count`` of a run's posts to the post before them: the likeliest a cell wrapped (a
    post ending in "for", "of", "and" ..., a next line in lower case, a short one after a long
    one). The joined posts are taken out of ``posts``; their entries are left empty and dropped."""

    def score(k: int) -> int:
        before: str = entries[posts[k - 1]][0].text.strip()
        after: str = entries[posts[k]][0].text.strip()
        return (
            4 * bool(_TITLE_OPEN_END.search(before))
            + 4 * after[:1].islower()
            + 2 * (len(after.split()) <= 2)
            + (len(before.split()) >= 4)
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
            word_before = _WORD_BEFORE.search(before)
            prev_word = word_before[1].lower() if word_before else ""
            if prev_word in _DETERMINERS:
                continue
            initial = m.start() <= first or bool(_SENTENCE_START_BEFORE.search(before))
            word_after = _WORD_AFTER.match(after)
            next_word = word_after[1].lower() if word_after else ""
            signal = bool(m["poss"]) or next_word in _NAME_VERBS or prev_word in _NAME_PREPOSITIONS
            s = stats.setdefault(word, {"mid": 0, "signal": 0, "count": 0})  # insertion order: first use
            s["count"] += 1
            s["mid"] += 0 if initial else 1
            s["signal"] += 1 if signal else 0
    return [word for word, s in stats.items() if s["mid"] and s["signal"] and (word in quoted_words or s["count"] >= 2)]


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
    clean, hyphen_notes = _hyphens_taken_out(clean)
    clean, spaced_notes = _spaces_put_in(clean)
    hyphen_notes += spaced_notes
    if "\ufffe" in clean.text:  # PDFium's mark for a hyphen that ends a line
        clean = clean.substitute(_PDFIUM_HYPHEN, "-")
    joined = _JOINED_FRACTION.findall(clean.text)
    if joined:
        notes.extend(f"'{a}{b}' read as '{a}-{b}' (a hyphen an extractor took out at a line break)" for a, b in joined)
        clean = clean.substitute(_JOINED_FRACTION, r"\1-\2")
    glued = set(_GLUED_MARK.findall(clean.text))
    breaks: list[int] = []
    loose: list[int] = []
    lines = [_Line(i, t) for i, t in enumerate(_layout(list(clean.lines()), glued, notes, breaks, loose))]
    footnote_starts, footnote_lines, marks = _find_footnotes(lines, clean, glued, breaks)
    footnotes = list(footnote_starts.values())
    regions = _walk(lines, footnote_lines)
    wrap_width = _wrap_width([line.stripped for line in lines])

    header = _header_fields(lines, regions.before_title, notes)
    title, area = _title_and_area(lines, regions, marks)
    sections: list[Section] = []
    for heading_line, section_lines in regions.sections:
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
                findings=tuple(_findings(lines, section_lines, number, marks, notes, wrap_width, sorted(breaks))),
                span=heading_span,
            )
        )
    for s in sections:
        for f in s.findings:
            _check_text(f"finding {f.number}", f.text, marks, notes)
            notes.extend(
                f"finding {f.number}: {note}"
                for at, word, note in hyphen_notes
                if f.span.start <= at < f.span.end and word in f.text
            )
    copy_list = _copy_list(lines, regions.copylist, document.text, notes)
    parts_found = sum([bool(header), bool(title), any(s.findings for s in sections), bool(copy_list)])
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
    strengths = _list_items(lines, regions.strengths, marks, "key strengths", notes, loose, wrap_width, sorted(breaks))
    improvements = _list_items(
        lines, regions.improvements, marks, "areas requiring improvement", notes, loose, wrap_width, sorted(breaks)
    )
    for label, items in (("key strength", strengths), ("area requiring improvement", improvements)):
        for k, item in enumerate(items):
            _check_text(f"{label} {k + 1}", item.text, marks, notes)
            notes.extend(
                f"{label} {k + 1}: {note}"
                for at, word, note in hyphen_notes
                if item.span.start <= at < item.span.end and word in item.text
            )
    closing = join(_paragraphs(lines, regions.closing, marks), "\n")
    lead = _lead_inspector(closing, notes)

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
    excluded_words: set[str] = set()
    for e in copy_list:
        excluded_words.update(w.lower() for w in re.findall(r"[A-Za-z]+", e.post))
    for v in (
        area or "",
        body.name if body else "",
        addressee.post if addressee and addressee.post else "",
        author.post if author and author.post else "",
    ):
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
