"""Walking a report's lines once: the regions between its headings (header, title, summary,
themes, lists, copy list) and the footnote bodies set aside.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .patterns import (
    _AREA_IN_TITLE,
    _BULLET,
    _CLOSING_START,
    _FINDING_START,
    _FOOTNOTE_NUMBER,
    _FOOTNOTE_NUMBERED_LINE,
    _HEADER_LABEL,
    _HEADINGS,
    _NOTE_LINE,
    _SUPERSCRIPT_MARK,
    _SUPERSCRIPT_VALUE,
    _SUPERSCRIPTS,
    _TERMINAL,
    _THEME_HEADING,
    _TITLE_START,
)
from .textmap import LIGATURE, MappedText, join
from .themes import theme_of

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
        start = _footnote_start(lines, i, glued)
        if start is None:
            i += 1
            continue
        mark, first_body = start
        if width is None:
            width = _text_width(lines)
        narrow, widest = _body_width(lines, first_body, width, page_ends_before)
        body, j = _footnote_body(lines, first_body, narrow, widest, page_ends_before)
        for k in range(i, j):
            note_lines.add(k)
        text = join(body).collapse_whitespace()
        text = text.delete(re.compile(rf"^\s*[{_SUPERSCRIPTS}]+\s*|^\s*\d{{1,2}}(?:\s+|(?=[A-Z][a-z]))"))
        notes[i] = _Footnote(mark, text.strip())
        i = j
    return notes, note_lines, marks


def _footnote_start(lines: Sequence[_Line], i: int, glued: set[str]) -> tuple[str, int] | None:
    """The mark of the footnote line ``i`` starts, and the line its body starts on; None when
    line ``i`` starts none."""
    s = lines[i].stripped
    if s and s[0] in _SUPERSCRIPTS:
        return "".join(_SUPERSCRIPT_VALUE[c] for c in _SUPERSCRIPT_MARK.match(s).group(0)), i  # type: ignore[union-attr]
    if _FOOTNOTE_NUMBER.fullmatch(s) and s in glued:
        j = i + 1
        while j < len(lines) and j <= i + 3 and lines[j].blank:
            j += 1
        if j < len(lines) and not lines[j].blank and not _structural(lines[j].stripped):
            return s, j
        return None
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
        return m[1], i
    return None


def _body_width(lines: Sequence[_Line], first_body: int, width: int, page_ends_before: Callable[[int], bool]) -> tuple[bool, int]:
    """Whether the footnote is set narrower than the text, and the width its lines run to: a
    note set narrower than the text has its own width, its lines' own length, ragged as they are."""
    run = []  # the lines the body may run over
    for k in range(first_body, min(first_body + 10, len(lines))):
        if lines[k].blank or (k > first_body and (_structural(lines[k].stripped) or page_ends_before(k))):
            break
        run.append(len(lines[k].stripped))
    narrow = len(run) > 2 and run[0] < 0.6 * width and sorted(run)[len(run) // 2] < 0.6 * width
    return narrow, sorted(run)[len(run) // 2] if narrow else width


def _footnote_body(
    lines: Sequence[_Line], first_body: int, narrow: bool, widest: int, page_ends_before: Callable[[int], bool]
) -> tuple[list[MappedText], int]:
    """The footnote's body lines from ``first_body``, and the line after them."""
    body: list[MappedText] = []
    j = first_body
    while j < len(lines):
        if lines[j].blank:
            if not body or not _body_runs_over_blank(lines, j, widest):
                break
            j += 1
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
    return body, j


def _body_runs_over_blank(lines: Sequence[_Line], j: int, widest: int) -> bool:
    """Whether a footnote's body runs on over the blank line ``j``: an extractor that sets each
    line apart (pdfminer) may put a blank line inside the body. It runs on over one blank line
    when its line so far ran to the full width and stops mid-sentence ("... for the October
    2011" / "cohort. Source: ..."), at a colon ("Source:" / "Ministry of Justice") or at a dash
    between dates ("October 2011 –" / "September 2012 cohort")."""
    k = j + 1
    if k >= len(lines) or lines[k].blank or _structural(lines[k].stripped):
        return False
    last = lines[j - 1].stripped
    return len(last) >= 0.85 * widest and bool(
        last.endswith(":") or re.search(r"\s[-–—]$", last) or (not _TERMINAL.search(last) and lines[k].stripped[:1].islower())
    )


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


@dataclass
class _Walk:
    """Where the walk is: the region it reads, and the theme section it fills."""

    state: str = "start"
    current_section: list[int] | None = None
    seen_header: bool = False


def _walk(lines: Sequence[_Line], footnote_lines: set[int]) -> _Regions:
    regions = _Regions()
    walk = _Walk()
    for line in lines:
        i, s = line.index, line.stripped
        if i in footnote_lines:
            continue
        if walk.state in ("start", "header"):
            _before_title(walk, regions, i, s)
            continue
        if walk.state == "title":
            if s and not _heading(s) and not _title_complete(lines, regions.title):
                regions.title.append(i)
                continue
            walk.state = "intro"
        kind = _heading(s) if s else None
        if _in_copy_list(walk, regions, i, s, kind) or _region_starts(walk, regions, lines, line, kind, footnote_lines):
            continue
        if s and walk.state in ("operational", "strengths", "improvements") and _CLOSING_START.match(s):
            walk.state = "closing"
        _into_region(walk, regions, i)
    return regions


def _before_title(walk: _Walk, regions: _Regions, i: int, s: str) -> None:
    """A line of the header, before the title; or the title's first line."""
    if _HEADER_LABEL.match(s) and not (_heading(s) == "copylist" and walk.seen_header):
        walk.seen_header = True
        walk.state = "header"
        regions.before_title.append(i)
    elif _TITLE_START.match(s):
        walk.state = "title"
        regions.title.append(i)
    else:
        regions.before_title.append(i)


def _in_copy_list(walk: _Walk, regions: _Regions, i: int, s: str, kind: str | None) -> bool:
    """The copy list's heading, a line of the copy list, or of the notes after it; whether the
    line was one."""
    if kind == "copylist" and walk.state != "copylist":
        regions.copylist_heading = i
        walk.state = "copylist"
        return True
    if walk.state == "copylist":
        if _NOTE_LINE.match(s):
            walk.state = "notes"
            regions.notes.append(i)
        else:
            regions.copylist.append(i)
        return True
    if walk.state == "notes":
        regions.notes.append(i)
        return True
    return False


def _region_starts(
    walk: _Walk, regions: _Regions, lines: Sequence[_Line], line: _Line, kind: str | None, footnote_lines: set[int]
) -> bool:
    """A heading that starts a region, or a theme's heading that starts a section; whether the
    line was one."""
    if kind in ("context", "summary"):
        walk.state = "intro"
        return True
    if kind == "commentary":
        walk.state = "commentary"
        return True
    if kind in ("operational", "strengths", "improvements"):
        walk.state = kind
        return True
    i, s = line.index, line.stripped
    if s and walk.state in ("intro", "commentary", "section") and _theme_heading(lines, i, footnote_lines):
        walk.current_section = []
        regions.sections.append((i, walk.current_section))
        walk.state = "section"
        return True
    return False


def _into_region(walk: _Walk, regions: _Regions, i: int) -> None:
    """Line ``i`` into the region the walk reads."""
    state = walk.state
    if state == "intro":
        regions.intro.append(i)
    elif state == "section" and walk.current_section is not None:
        walk.current_section.append(i)
    elif state == "operational":
        regions.operational.append(i)
    elif state == "strengths":
        regions.strengths.append(i)
    elif state == "improvements":
        regions.improvements.append(i)
    elif state in ("closing", "commentary"):
        regions.closing.append(i)


def _structural(stripped: str) -> bool:
    """A line that starts a part of the report: never page furniture or part of a footnote."""
    return bool(
        _HEADER_LABEL.match(stripped)
        or _heading(stripped)
        or _FINDING_START.match(stripped)
        or _THEME_HEADING.match(stripped)
        or _TITLE_START.match(stripped)
    )
