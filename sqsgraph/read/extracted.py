"""Text other tools extracted from PDFs, put back into the lines the parser reads: page furniture
left out, numbers an extractor moved given back to their paragraphs, bullets and marks set right
(docs/extracted-text.md lists the rules).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Sequence, Set
from dataclasses import dataclass

from .lines import _LIGATURES, _TITLE_OPEN_END, _heading, _structural
from .paragraphs import _wrap_width
from .patterns import (
    _CLOSING_START,
    _FINDING_START,
    _FOOTNOTE_NUMBERED_LINE,
    _HEADER_LABEL,
    _LONE_BULLET,
    _SUPERSCRIPTS,
    _TERMINAL,
    _THEME_HEADING,
    _TITLE_KEY,
    _TITLE_START,
)
from .textmap import LIGATURE, MappedText, join
from .themes import theme_of

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
