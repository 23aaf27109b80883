"""The derived text written from the layout's blocks (``pdflayout``): a paragraph a line, a
blank line between blocks, a table's rows as ``cell<TAB>cell``, and the page and rectangle of
every stretch of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .model import TextBox
from .pdflines import _Block, _Cell, _Line


@dataclass(frozen=True)
class DerivedText:
    text: str
    boxes: tuple[TextBox, ...]
    warnings: tuple[str, ...]


class _Writer:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.boxes: list[TextBox] = []

    def add(self, text: str, cell: _Cell | None = None, page: int = 0) -> None:
        if cell is not None and text:
            self.boxes.append(
                TextBox(
                    self.length,
                    self.length + len(text),
                    page,
                    round(cell.left, 1),
                    round(cell.top, 1),
                    round(cell.right - cell.left, 1),
                    round(cell.bottom - cell.top, 1),
                )
            )
        self.parts.append(text)
        self.length += len(text)


def _joiner(before: str, after: str) -> str:
    """How two lines of one paragraph join: a word broken after a hyphen ("two-" / "thirds")
    joins without a space; a soft hyphen at the end of a line is dropped."""
    if before.endswith("\u00ad"):
        return ""
    if before.endswith("-") and len(before) > 1 and before[-2].isalpha() and after[:1].isalpha():
        return ""
    if before.endswith("/") and len(before) > 1 and before[-2].isalnum() and after[:1].isalnum():
        return ""  # "parents/" / "carers": a line may break after a slash, which has no space
    return " "


def _write(blocks: Sequence[_Block]) -> DerivedText:
    w = _Writer()
    for index, block in enumerate(blocks):
        if index:
            w.add("\n\n")
        if block.kind == "table":
            _write_table(w, block)
            continue
        previous = ""
        for k, line in enumerate(block.lines):
            for c, cell in enumerate(line.cells):
                text = cell.text
                if k and c == 0:
                    w.add(_joiner(previous, text))
                elif c:
                    w.add("\t")
                w.add(text, cell, line.page)
                previous = text
    w.add("\n")
    return DerivedText("".join(w.parts), tuple(w.boxes), ())


def _write_table(w: _Writer, block: _Block) -> None:
    rows: list[list[list[tuple[_Cell, _Line]]]] = []
    columns: list[float] = []
    for i, line in enumerate(block.lines):
        before = block.lines[i - 1] if i else None
        same_row = before is not None and line.row is not None and line.row == before.row
        if len(line.cells) >= 2 and not (rows and same_row):
            columns = [c.left for c in line.cells]
            rows.append([[] for _ in columns])
        elif rows and len(line.cells) == 1 and _starts_row(rows[-1], columns, line, before):
            rows.append([[] for _ in columns])
        if not rows:
            rows.append([[]])
            columns = [line.left]
        for cell in line.cells:
            k = min(range(len(columns)), key=lambda j: abs(columns[j] - cell.left))
            rows[-1][k].append((cell, line))
    for r, row in enumerate(rows):
        if r:
            w.add("\n")
        for k, parts in enumerate(row):
            if k:
                w.add("\t")
            previous = ""
            for j, (cell, line) in enumerate(parts):
                if j:
                    w.add(_joiner(previous, cell.text))
                w.add(cell.text, cell, line.page)
                previous = cell.text


def _starts_row(row: list[list[tuple[_Cell, _Line]]], columns: list[float], line: _Line, before: _Line | None) -> bool:
    """Whether a line holding one cell starts a row of its own (the rest of the row is on another
    page) rather than carrying on its column's cell: the tags say it is another row, or it stands
    more than a line below the last line of its column (a cell's lines follow one another)."""
    if line.row_start:
        return True
    k = min(range(len(columns)), key=lambda j: abs(columns[j] - line.left))
    if not row[k]:
        return False
    last = row[k][-1][1]
    if last.page != line.page or before is None or before.page != line.page:
        return False
    if line.row is not None and before.row is not None:
        return line.row != before.row
    return k > 0 and line.baseline - last.baseline > 1.6 * line.size
