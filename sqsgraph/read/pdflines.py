"""The lines of a PDF page as the layout (``pdflayout``) reads them: each run as an item of
text, a line cut into cells where the page sets its pieces apart, a list label told at its start,
and the blocks (paragraphs, tables, footnotes) the lines are grouped into.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_LABEL = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*\.?|[•·▪●◦‣○■□➢\-–]|[\ue000-\uf8ff])$")
_LABEL_START = re.compile(r"^(?:\d{1,2}\.\d{1,2}\.?|\d{1,2}\.)\s")
_BULLETS = frozenset("•·▪●◦‣○■□➢")
_PRIVATE_USE = re.compile(r"^[\ue000-\uf8ff](?:\s|$)")


@dataclass
class _Item:
    """One run of a line, as text: a raised footnote digit already written as a superscript."""

    text: str
    left: float
    top: float
    right: float
    bottom: float
    gap: float  # from the right of the item before (0 for the first)
    pen_gap: float  # from the ink of the item before to where the pen starts this one (no side bearing)
    raised: bool
    cell: int | None  # id of the table cell element holding it (tags), if any


@dataclass
class _Cell:
    text: str
    left: float
    top: float
    right: float
    bottom: float


@dataclass
class _Line:
    page: int
    items: list[_Item]
    baseline: float
    size: float
    bold: bool
    italic: bool
    roles: tuple[str, ...]
    row: int | None  # id of the table row element (tags) holding it, if any
    breaks: set[int] = field(default_factory=set)  # indices of the items that start a cell
    cells: list[_Cell] = field(default_factory=list)
    label: bool = False  # starts with a list label ("1.1.", "•") set apart from its text
    row_start: bool = False  # a table line known to start a row though it has only one cell

    @property
    def left(self) -> float:
        return self.cells[0].left

    @property
    def right(self) -> float:
        return self.cells[-1].right

    @property
    def text_left(self) -> float:
        """Where a list item's text starts after its label (its lines hang there)."""
        if len(self.cells) > 1:
            return self.cells[1].left
        if self.label and len(self.items) > 1:
            return self.items[1].left
        return self.left

    @property
    def text(self) -> str:
        return "\t".join(c.text for c in self.cells)

    def split(self, breaks: set[int]) -> None:
        """Cut the line into cells before the items in ``breaks``."""
        self.breaks = breaks
        cells: list[_Cell] = []
        pieces: list[str] = []
        box: list[float] = []
        for i, item in enumerate(self.items):
            if i in breaks and pieces:
                cells.append(_cell(pieces, box))
                pieces, box = [], []
            elif pieces and not pieces[-1].endswith(" ") and not item.text.startswith(" "):
                if item.pen_gap > _space_gap(pieces[-1], item) * self.size:
                    pieces.append(" ")
            pieces.append(item.text)
            box = (
                [item.left, item.top, item.right, item.bottom]
                if not box
                else [min(box[0], item.left), min(box[1], item.top), max(box[2], item.right), max(box[3], item.bottom)]
            )
        cells.append(_cell(pieces, box))
        first = cells[0].text
        if first[:1] in _BULLETS or _PRIVATE_USE.match(first):
            cells[0].text = "•" + first[1:]  # Word's Symbol-font bullet (U+F0B7 and kin) is a bullet
            self.label = True
        elif len(cells) > 1 and _LABEL.match(first):
            self.label = True
        elif _LABEL_START.match(first) and len(self.items) > 1 and _LABEL.match(self.items[0].text.strip()):
            self.label = True  # a label in a run of its own, close to its text
        self.cells = cells


@dataclass
class _Block:
    kind: str  # "para" | "table" | "note"
    lines: list[_Line] = field(default_factory=list)


_NO_SPACE_BEFORE = frozenset(".,;:!?)]}”’%")
_NO_SPACE_AFTER = frozenset("([{“‘/")


def _space_gap(before: str, item: _Item) -> float:
    """The gap (in ems) above which two runs are two words. Glyph boxes leave out the side
    bearings, and italics lean, so the gap between a quote mark and an italic word can look like a
    thin space: where a space would be unusual (after an opening quote, before punctuation), ask
    for a wider gap."""
    if item.raised:
        return 0.3
    last, first = before[-1:], item.text[:1]
    opening = last in _NO_SPACE_AFTER or (last in "\"'" and (len(before) < 2 or before[-2] in " ([{"))
    closing = first in _NO_SPACE_BEFORE or (first in "\"'" and last.isalnum() or last in ".,;:!?")
    return 0.4 if opening or closing else 0.15


def _cell(pieces: list[str], box: list[float]) -> _Cell:
    text = re.sub(r"\s+", " ", "".join(pieces)).strip()
    return _Cell(text, *box)
