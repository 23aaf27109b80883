"""Rebuild a report's text from where its runs stand on the pages.

Input: the runs, rules and tags of ``pdfsource``. Output: the *derived text* of the report (the
text sqsgraph reads, deterministic, writable with ``sqsgraph parse --text``) in the shape of the
report's plain-text rendering, and for each stretch of it the page and rectangle it came from:

* one paragraph a line, a blank line between blocks; a paragraph broken by a page break is one;
* table rows (the header block, the copy list) as ``cell<TAB>cell``, a cell wrapping over several
  lines kept as one cell;
* list labels ("1.", "1.1.", bullets) before their text, separated by a tab where the page puts
  them apart (a hanging number), a Symbol-font bullet written as "•";
* footnote marks (a raised, smaller digit) as superscript digits, footnote bodies as their own
  block starting with the mark, after the paragraph the page break may have cut;
* page furniture left out: what the tags mark as artifacts, and otherwise a page number or a line
  repeated at the same height on several pages, at the top or foot of a page.

* words drawn in pieces (kerning splits text objects) joined by where the pen starts, not the
  ink; a justified line whose words are drawn apart at equal wide gaps kept one line; a bullet
  drawn as a small filled shape read as "•"; a table row cut by a page break whole cells apart
  joined again.

Nothing here knows the wording of reports: only page geometry, type size and style, and tags.

Beside this module: ``pdflines`` (the items, cells, lines and blocks read here) and ``pdfwrite``
(the derived text written from the blocks).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from statistics import median

from .pdflines import _BULLETS, _Block, _Item, _Line
from .pdfsource import Page, PdfContent, Run
from .pdfwrite import DerivedText, _write

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_PLAIN_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_PAGE_NUMBER = re.compile(r"^(?:page\s*)?\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?$", re.I)
_TERMINAL = re.compile(r"[.!?:…][\"”’')\]]*$")
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class _Metrics:
    body_size: float
    pitch: float  # usual distance between the baselines of two lines of one paragraph
    right_margin: float  # where full lines of body text end
    justified: bool  # most body lines run to the right margin


def derive_text(content: PdfContent) -> DerivedText:
    """The report's derived text and the page boxes of its stretches."""
    pages = [(p, _lines(p, [r for r in p.runs if not r.artifact])) for p in content.pages]
    metrics = _metrics([line for _, lines in pages for line in lines])
    _drop_furniture(pages)
    blocks: list[_Block] = []
    pending_notes: list[_Block] = []
    for page, lines in pages:
        body, notes = _split_notes(page, lines, metrics)
        page_blocks = _blocks(body, metrics)
        if len(page_blocks) > 1 and blocks and _fills_split_row(blocks[-1], page_blocks[0], page_blocks[1]):
            blocks[-1].lines.extend(page_blocks.pop(0).lines)
        if page_blocks and blocks and _continues(blocks[-1], page_blocks[0], metrics):
            blocks[-1].lines.extend(page_blocks.pop(0).lines)
        if pending_notes:  # the notes of the last page go after the paragraph it may have cut
            blocks.extend(pending_notes)
            pending_notes = []
        blocks.extend(page_blocks)
        pending_notes = notes
    blocks.extend(pending_notes)
    return _write(blocks)


# ---------------------------------------------------------------- lines


def _lines(page: Page, runs: Sequence[Run]) -> list[_Line]:
    """Runs grouped into lines: a run belongs to the line whose band covers most of its own."""
    if page.dots:
        runs = [*runs, *_dot_bullets(page, runs)]
    groups: list[list[Run]] = []
    bands: list[list[float]] = []  # top, bottom, largest size of each group
    for run in sorted(runs, key=lambda r: (r.baseline, r.left)):
        if not run.text.strip():
            continue
        top, bottom = run.baseline - 0.75 * run.size, run.baseline + 0.2 * run.size
        for k in range(len(groups) - 1, max(-1, len(groups) - 4), -1):
            band = bands[k]
            overlap = min(band[1], bottom) - max(band[0], top)
            if overlap >= 0.5 * min(bottom - top, band[1] - band[0]):
                groups[k].append(run)
                if run.size >= band[2]:  # the line's band is its largest type's
                    band[0], band[1], band[2] = min(band[0], top), max(band[1], bottom), run.size
                break
        else:
            groups.append([run])
            bands.append([top, bottom, run.size])
    lines = [_line(page.number, sorted(g, key=lambda r: r.left)) for g in groups]
    lines.sort(key=lambda line: (line.baseline, line.left))
    return lines


def _dot_bullets(page: Page, runs: Sequence[Run]) -> list[Run]:
    """A small filled disc or square drawn just left of a line's text, at the height of its small
    letters, is a list bullet drawn as a shape (Chromium does so): a "•" run in that line's type."""
    out = []
    for dot in page.dots:
        middle = (dot.top + dot.bottom) / 2
        best: Run | None = None
        for run in runs:
            size = run.size
            if (
                run.baseline - 0.75 * size <= middle <= run.baseline
                and dot.right <= run.left
                and run.left - dot.right <= 3 * size
                and dot.bottom - dot.top <= 0.6 * size
                and (best is None or run.left < best.left)
            ):
                best = run
        if best is not None and best.text.lstrip()[:1] not in _BULLETS:
            out.append(
                Run(
                    "•",
                    dot.left,
                    dot.top,
                    dot.right,
                    dot.bottom,
                    best.baseline,
                    best.size,
                    "",
                    best.bold,
                    best.italic,
                    best.artifact,
                    best.roles,
                    best.cells,
                    dot.left,
                )
            )
    return out


def _line(page: int, runs: list[Run]) -> _Line:
    main = max(runs, key=lambda r: (r.size, len(r.text)))
    size = main.size
    baseline = main.baseline
    tagged = bool(main.roles)
    items: list[_Item] = []
    breaks: set[int] = set()
    previous: Run | None = None
    for i, run in enumerate(runs):
        raised = run.size < 0.9 * size and baseline - run.baseline >= 0.2 * size
        text = run.text
        if raised and text.strip().isdigit():
            text = text.strip().translate(_SUPERSCRIPT)
        cell = (_element(run, "TD") or _element(run, "TH")) if tagged else None
        gap = run.left - previous.right if previous is not None else 0.0
        # a word drawn in pieces (kerning splits a text object) has gaps of side bearings only:
        # measure from where the pen starts, not from the ink of the first glyph
        pen_gap = min(gap, run.origin - previous.right) if previous is not None and run.origin is not None else gap
        items.append(_Item(text, run.left, run.top, run.right, run.bottom, gap, pen_gap, raised, cell))
        if i and ((gap > 1.5 * size and not raised) or (cell is not None and cell != items[i - 1].cell)):
            breaks.add(i)
        previous = run
    wide = [i for i in breaks if items[i].cell is None or items[i].cell == items[i - 1].cell]
    if len(wide) >= 2 and max(items[i].pen_gap for i in wide) - min(items[i].pen_gap for i in wide) <= 0.25 * size:
        breaks.difference_update(wide)  # a justified line stretched between words drawn apart, not columns
    line = _Line(
        page,
        items,
        baseline,
        size,
        all(r.bold for r in runs),
        all(r.italic for r in runs),
        main.roles,
        _element(main, "TR") if tagged else None,
    )
    line.split(breaks)
    return line


def _element(run: Run, kind: str) -> int | None:
    """Id of the innermost structure element of that kind above the run."""
    for role, ident in zip(reversed(run.roles), reversed(run.cells), strict=True):
        if role == kind:
            return ident
    return None


def _metrics(lines: Sequence[_Line]) -> _Metrics:
    sizes: Counter[float] = Counter()
    for line in lines:
        sizes[round(line.size * 2) / 2] += len(line.text)
    body = sizes.most_common(1)[0][0] if sizes else 11.0
    deltas = []
    for a, b in pairwise(lines):
        if a.page == b.page and abs(a.size - body) < 0.6 and abs(b.size - body) < 0.6:
            d = b.baseline - a.baseline
            if 0.8 * body < d < 2.5 * body:
                deltas.append(d)
    pitch = median(deltas) if deltas else 1.2 * body
    rights = sorted(line.right for line in lines if abs(line.size - body) < 0.6 and len(line.cells) == 1)
    right = rights[int(0.9 * (len(rights) - 1))] if rights else 0.0
    full = sum(1 for x in rights if x >= right - 0.5 * body)
    return _Metrics(body, pitch, right, bool(rights) and full >= 0.6 * len(rights))


# ---------------------------------------------------------------- furniture and notes


def _norm(text: str) -> str:
    return _DIGITS.sub("#", re.sub(r"\s+", " ", text.strip().lower()))


def _drop_furniture(pages: list[tuple[Page, list[_Line]]]) -> None:
    """Remove page numbers and running headers or footers: a line at the top or foot of a page
    that is a page number, or that stands at the same height on another page with the same
    wording (digits aside)."""
    seen: Counter[tuple[str, str, int]] = Counter()
    for page, lines in pages:
        for line in _edges(page, lines):
            seen[(_edge_of(page, line), _norm(line.text), round(line.baseline / 6))] += 1
    for page, lines in pages:
        changed = True
        while changed and lines:
            changed = False
            for line in _edges(page, lines):
                repeated = seen[(_edge_of(page, line), _norm(line.text), round(line.baseline / 6))] >= 2
                if _PAGE_NUMBER.match(line.text.replace("\t", " ")) or repeated:
                    lines.remove(line)
                    changed = True
                    break


def _edges(page: Page, lines: list[_Line]) -> list[_Line]:
    out = []
    if lines and lines[0].baseline < 0.15 * page.height:
        out.append(lines[0])
    if lines and lines[-1].baseline > 0.85 * page.height and lines[-1] is not (out[0] if out else None):
        out.append(lines[-1])
    return out


def _edge_of(page: Page, line: _Line) -> str:
    return "top" if line.baseline < 0.5 * page.height else "foot"


def _split_notes(page: Page, lines: list[_Line], m: _Metrics) -> tuple[list[_Line], list[_Block]]:
    """Footnote bodies at the foot of the page (smaller type below the body text, or tagged as a
    note), each a block of its own; the other lines."""
    note_flags = [("Note" in line.roles or "Footnote" in line.roles) for line in lines]
    separator = _note_separator(page, lines, m)
    if not any(note_flags) and separator is not None:
        # the short rule word processors draw above a page's footnotes: what is under it is notes
        note_flags = [line.baseline > separator for line in lines]
    elif not any(note_flags):
        last_body = max((i for i, line in enumerate(lines) if line.size >= 0.9 * m.body_size), default=-1)
        for i in range(last_body + 1, len(lines)):
            note_flags[i] = lines[i].size < 0.9 * m.body_size
        # the foot's small type must begin with a mark, else it is not a note (a caption, say)
        first = next((i for i, f in enumerate(note_flags) if f), None)
        if first is not None and not re.match(r"^[\d⁰¹²³⁴⁵⁶⁷⁸⁹*†]", lines[first].text):
            note_flags = [False] * len(lines)
    body = [line for line, f in zip(lines, note_flags, strict=True) if not f]
    notes: list[_Block] = []
    for line, f in zip(lines, note_flags, strict=True):
        if not f:
            continue
        starts = re.match(r"^([\d⁰¹²³⁴⁵⁶⁷⁸⁹]{1,2})(?=\s|[A-Z])", line.text)
        if starts and notes and starts.group(1).isdigit() and notes[-1].lines[0].text[:1] in _SUPERSCRIPT_DIGITS:
            # a mark in body digits: a new note only if it is the next number ("12 months" on a
            # note's second line is not note 12)
            last = int(notes[-1].lines[0].text[:1].translate(_PLAIN_DIGITS))
            if starts.group(1) != str(last + 1):
                starts = None
        if starts or not notes:
            mark = starts.group(1).translate(_SUPERSCRIPT) if starts else ""
            if starts:
                rest = line.cells[0].text[len(starts.group(1)) :].lstrip()
                line.cells[0].text = f"{mark} {rest}" if rest else mark
            notes.append(_Block("note", [line]))
        else:
            notes[-1].lines.append(line)
    return body, notes


def _note_separator(page: Page, lines: list[_Line], m: _Metrics) -> float | None:
    """The height of a footnote separator: a short rule (under half the text's width) in the
    lower half of the page, with only lines that begin with a mark or run on from one under it
    (not a table's border, not a signature line)."""
    text_left = min((line.left for line in lines), default=0.0)
    width = max(m.right_margin - text_left, 0.5 * page.width)
    for rule in sorted(page.rules, key=lambda r: r.top):
        if rule.top < 0.5 * page.height or rule.right - rule.left > 0.5 * width or abs(rule.left - text_left) > 0.2 * width:
            continue
        under = [line for line in lines if line.baseline > rule.bottom]
        if under and re.match(r"^[\d⁰¹²³⁴⁵⁶⁷⁸⁹*†]", under[0].text) and under[0].size <= m.body_size + 0.1:
            return rule.bottom
    return None


# ---------------------------------------------------------------- blocks


def _blocks(lines: Sequence[_Line], m: _Metrics) -> list[_Block]:
    blocks: list[_Block] = []
    columns: list[float] = []  # where the cells of the current table start
    for line in lines:
        prev_block = blocks[-1] if blocks else None
        prev = prev_block.lines[-1] if prev_block else None
        table = prev_block if prev_block is not None and prev_block.kind == "table" else None  # its last line: prev
        if table is not None and len(columns) > 1:
            _split_at_columns(line, columns)
        if len(line.cells) >= 2 and not (line.label and len(line.cells) == 2):
            same_row = prev is not None and line.row is not None and line.row == prev.row
            if table is not None and (same_row or _near(table.lines[-1], line, m, 2.5)):
                table.lines.append(line)
            else:
                blocks.append(_Block("table", [line]))
            columns = sorted({*columns, *(c.left for c in line.cells)}) if table is not None else [c.left for c in line.cells]
            continue
        if table is not None:
            last = table.lines[-1]
            aligned = any(abs(line.left - x) <= 4.0 for x in columns)
            same_row = line.row is not None and line.row == last.row
            if same_row or (aligned and _near(last, line, m, 1.25) and line.bold == last.bold):
                table.lines.append(line)
                continue
        if prev_block and prev_block.kind == "para" and _same_paragraph(prev_block, line, m):
            prev_block.lines.append(line)
            continue
        blocks.append(_Block("para", [line]))
    return blocks


def _split_at_columns(line: _Line, columns: Sequence[float]) -> None:
    """In a table without tags, a cell written close to the one before it (a long post beside
    its holder's name) still starts where its column starts."""
    breaks = set(line.breaks)
    for i, item in enumerate(line.items):
        if i and item.gap > 0.15 * line.size and any(abs(item.left - x) <= 3.0 for x in columns[1:]):
            breaks.add(i)
    if breaks != line.breaks:
        line.split(breaks)


def _near(prev: _Line, line: _Line, m: _Metrics, times: float) -> bool:
    return prev.page == line.page and 0 < line.baseline - prev.baseline <= times * m.pitch


def _same_paragraph(block: _Block, line: _Line, m: _Metrics) -> bool:
    prev = block.lines[-1]
    if line.label or not _near(prev, line, m, 1.3):
        return False
    if line.bold != prev.bold or abs(line.size - prev.size) > 0.6:
        return False
    short = prev.right < m.right_margin - 1.5 * m.body_size
    first = block.lines[0]
    ended = short or (_TERMINAL.search(prev.text) is not None and line.text[:1].isupper())
    if first.label and abs(line.left - first.text_left) > 4.0 and line.left < first.text_left and ended:
        return False  # a list item's lines hang under its text; this one starts elsewhere
    if m.justified and short and _TERMINAL.search(prev.text) and not line.text[:1].islower():
        return False  # in justified text only a paragraph's last line stops short
    return True


def _columns(table: _Block) -> list[float]:
    """Where the cells of a table's last full row start."""
    row = next((line for line in reversed(table.lines) if len(line.cells) >= 2), table.lines[-1])
    return [c.left for c in row.cells]


def _fills_split_row(last: _Block, first: _Block, then: _Block) -> bool:
    """A table row cut by the page break with whole cells on each side (a cell's lines kept
    together, as widow and orphan control does): the page before ends in a row with only some of
    its cells, this page starts with lines standing in the other columns, then the table goes on."""
    if last.kind != "table" or first.kind != "para" or then.kind != "table" or len(last.lines[-1].cells) != 1:
        return False
    columns = _columns(last)
    going_on = then.lines[0].cells
    if (
        len(columns) < 2
        or len(going_on) != len(columns)
        or any(abs(x - c.left) > 6.0 for x, c in zip(columns, going_on, strict=True))
    ):
        return False
    here = min(range(len(columns)), key=lambda j: abs(columns[j] - last.lines[-1].left))
    if not all(
        len(line.cells) == 1 and any(abs(line.left - x) <= 4.0 for j, x in enumerate(columns) if j != here)
        for line in first.lines
    ):
        return False
    # the cut row's cells on the page before start below all of the last full row's first cell
    full = max(i for i, line in enumerate(last.lines) if len(line.cells) >= 2 or i == 0)
    bottom = last.lines[full].baseline
    for line in last.lines[full + 1 :]:
        if abs(line.left - columns[0]) <= 4.0:
            bottom = max(bottom, line.baseline)
        elif line.baseline > bottom + 1.0:
            line.row_start = True
            break
    return True


def _continues(last: _Block, first: _Block, m: _Metrics) -> bool:
    """Whether the first block of a page carries on the last block of the page before."""
    if last.kind == "table" and first.kind == "table":
        a = _columns(last)
        b = [c.left for c in first.lines[0].cells]
        return len(a) == len(b) and all(abs(x - y) <= 6.0 for x, y in zip(a, b, strict=True))
    if last.kind != "para" or first.kind != "para":
        return False
    end, start = last.lines[-1], first.lines[0]
    if start.label or start.bold != end.bold or end.bold or abs(start.size - end.size) > 0.6:
        return False
    full = end.right >= m.right_margin - 1.0 * m.body_size
    return full or not _TERMINAL.search(end.text) or start.text[:1].islower()


__all__ = ["DerivedText", "derive_text"]
