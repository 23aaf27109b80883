"""Text other tools extracted from PDFs, put back into the lines the parser reads: page furniture
left out, numbers an extractor moved given back to their paragraphs, bullets and marks set right
(docs/extracted-text.md lists the rules).
"""

from __future__ import annotations

import bisect
import re

from .furniture import _BARE_NUMBER, _furniture
from .lines import _heading, _structural
from .numbering import _LONE_FINDING_NUMBER, _keys, _number_paragraphs, _numbers_at_page_foot
from .patterns import (
    _FOOTNOTE_NUMBERED_LINE,
    _LONE_BULLET,
    _TERMINAL,
)
from .textmap import MappedText, join

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
    layout = _LineLayout(texts, glued, warnings, breaks, loose)
    out = layout.lines()
    firsts = [(t.source_offset(0), i) for i, t in enumerate(texts) if t]

    def line_of(text: MappedText) -> int:
        """The number (from 1) of the source line ``text`` starts on."""
        k = bisect.bisect_right(firsts, (text.source_offset(0), len(texts))) - 1
        return firsts[k][1] + 1 if k >= 0 else 1

    return _number_paragraphs(out, warnings, glued, line_of)


def _marks_with_bodies(keys: list[str], glued: set[str]) -> set[str]:
    """Marks that head a footnote's body somewhere ("1 Published ...", "1Published ..."): a long
    line, not a part of the report, that starts with the mark and a capitalised word. A mark
    also set apart from its word by a space in the text ("rate 1 for") is added to ``glued``."""
    noted = {
        m[1]
        for k in keys
        if len(k) > 50 and (m := _FOOTNOTE_NUMBERED_LINE.match(k)) and m[1] in _SPACED_MARK and not _structural(k)
    }
    for d in sorted(noted - glued):
        if _SPACED_MARK[d].search("\n".join(keys)):
            glued.add(d)  # "rate 1 for": a mark set apart from its word by a space, and its body
            glued.add(" " + d)
    return noted


class _LineLayout:
    """The extractor's lines read one by one into the lines the parser reads (see ``_layout``)."""

    def __init__(self, texts: list[MappedText], glued: set[str], warnings: list[str], breaks: list[int], loose: list[int]):
        self.texts = texts
        self.raw = [t.text for t in texts]
        self.keys = _keys(self.raw)
        self.furniture = _furniture(self.keys, self.raw)
        self.glued = glued
        self.warnings = warnings
        self.breaks = breaks
        self.loose = loose
        self.claimed: set[str] = set()
        self.out: list[MappedText] = []
        self.noted = _marks_with_bodies(self.keys, glued)

    def lines(self) -> list[MappedText]:
        texts, keys = self.texts, self.keys
        for i, r in enumerate(self.raw):
            if i in self.furniture or "\f" in r:
                self.breaks.append(texts[i].source_offset(0) if texts[i] else 0)
        i = 0
        while i < len(texts):
            k = keys[i]
            if i in self.furniture:
                i += 1
                continue
            if not k:
                self.out.append(texts[i])
                i += 1
                continue
            if _BARE_NUMBER.match(k):
                self._bare_number(i)
                i += 1
                continue
            if _LONE_FINDING_NUMBER.match(k):
                self.out.append(texts[i])  # read with the paragraphs around it (_number_paragraphs)
                i += 1
                continue
            if _LONE_NUMBER.match(k) or _LONE_BULLET.match(k):
                after = self._lone_number_or_bullet(i)
                if after is not None:
                    i = after
                    continue
            if self._mark_moved_before_line(i):
                i += 2
                continue
            self.out.append(texts[i])
            i += 1
        return self.out

    def _next_line(self, i: int) -> int | None:
        for j in range(i + 1, min(len(self.keys), i + 6)):
            if self.keys[j] and j not in self.furniture:
                return j
        return None

    def _last_text(self) -> str:
        for t in reversed(self.out):
            if t.text.strip():
                return t.text.strip()
        return ""

    def _bare_number(self, i: int) -> None:
        """A number alone on its line: a footnote mark set apart from its word, a mark heading its
        footnote's body, or a page number."""
        k, keys, glued, claimed = self.keys[i], self.keys, self.glued, self.claimed
        j = self._next_line(i)
        before = self._last_text()
        if before and j is not None and not _TERMINAL.search(before) and keys[j][:1].islower():
            glued.add(k)  # a mark the extractor set apart from its word: "rate" / "1" / "for ..."
        elif k in glued and k not in claimed and j is not None:
            claimed.add(k)  # the mark heading its footnote's body
            self.out.append(self.texts[i])
        elif (
            len(k) == 1
            and k not in claimed
            and j is not None
            and keys[j][:1].isupper()
            and re.search(rf"[A-Za-z] {k} [a-z]", "\n".join(self.raw))
        ):
            # the mark heading its footnote's body, the mark in the text set apart by a
            # space ("rate 1 for"): both are taken out
            claimed.add(k)
            glued.add(k)
            glued.add(" " + k)
            self.out.append(self.texts[i])
        else:
            self.breaks.append(self.texts[i].source_offset(0))  # a page number

    def _lone_number_or_bullet(self, i: int) -> int | None:
        """A number or bullet alone on its line, joined to the text it heads or left out: the line
        to go on from, or None to read the line as any other."""
        k, keys, texts = self.keys[i], self.keys, self.texts
        j = self._next_line(i)
        if (
            _LONE_BULLET.match(k)
            and j is not None
            and (
                _LONE_BULLET.match(keys[j])
                or any(f in self.furniture for f in range(i + 1, j))
                or next((bool(_LONE_BULLET.match(keys[h])) for h in range(i - 1, max(-1, i - 4), -1) if keys[h]), False)
            )
        ):
            # bullet glyphs the extractor set apart from their items, all together or at the
            # foot of the page (pdfminer): the items are told by the gaps between them
            self.loose.append(texts[i].source_offset(0))
            return i + 1
        if j is not None and not _LONE_NUMBER.match(keys[j]) and not _structural(keys[j]):
            self.out.append(join([texts[i].strip(), texts[j].strip()]))
            self.out.extend(t for t in texts[i + 1 : j] if not t.text.strip())  # keeps the line count of gaps
            return j + 1
        if _LONE_BULLET.match(k):
            return i + 1
        return None

    def _mark_moved_before_line(self, i: int) -> bool:
        """A footnote mark and the rest of its line that pypdf's layout mode set before the line's
        start, put back after it; whether it was one."""
        keys, texts = self.keys, self.texts
        m = _MARK_THEN_REST.match(self.raw[i])
        if not (m and i + 1 < len(texts) and keys[i + 1] and not _TERMINAL.search(keys[i + 1])):
            return False
        before = self._last_text()
        if not (
            (not before or _TERMINAL.search(before) or _heading(before) or m["mark"] in self.noted)
            and not _structural(keys[i + 1])
        ):
            return False
        self.glued.add(m["mark"])
        self.warnings.append(
            f"line {i + 1}: footnote mark {m['mark']} and the rest of its line came before the line's start "
            f"({keys[i + 1][-30:]!r}); read after it"
        )
        self.out.append(texts[i + 1])
        self.out.append(texts[i][m.end() :])
        return True
