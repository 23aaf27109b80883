"""Finding and theme numbers an extractor set apart from the text they head, given back to it:
numbers read after all of their page's text, and numbers set together before or after their
paragraphs (docs/extracted-text.md lists the rules).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence, Set
from dataclasses import dataclass, field

from .furniture import _furniture
from .lines import _LIGATURES, _TITLE_OPEN_END, _heading, _structural
from .paragraphs import _wrap_width
from .patterns import (
    _CLOSING_START,
    _FINDING_START,
    _FOOTNOTE_NUMBERED_LINE,
    _LONE_BULLET,
    _SUPERSCRIPTS,
    _TERMINAL,
    _THEME_HEADING,
)
from .textmap import LIGATURE, MappedText, join
from .themes import theme_of

_LONE_FINDING_NUMBER = re.compile(r"^(?P<major>\d{1,2})\.(?P<minor>\d{1,2})\.?$")


_LONE_THEME_NUMBER = re.compile(r"^(?P<major>\d{1,2})\.$")


_FOOTNOTE_START = re.compile(rf"^(?:[{_SUPERSCRIPTS}]|\d{{1,2}}\s*[A-Z][a-z]|\d{{1,2}}$)")


_COMMENTARY_END = ("operational", "strengths", "improvements", "copylist")


def _keys(raw: Sequence[str]) -> list[str]:
    """Lines as they are matched: without the white space at their ends, ligatures as letters."""
    return [r.strip().translate(_LIGATURES) if LIGATURE.search(r) else r.strip() for r in raw]


# --- numbers read after their page's text -------------------------------------------------------


@dataclass
class _PageLines:
    """Extracted lines as the page-foot reading sees them."""

    raw: list[str]
    keys: list[str]
    furniture: set[int]
    width: int  # how long the hard-wrapped lines run


@dataclass
class _Walk:
    """What the page-foot reading carries from page to page."""

    commentary: bool = False
    previous: int | None = None  # the last line of text before, across pages (None after a heading)


@dataclass
class _Places:
    """The places on a page a number may head."""

    places: list[tuple[str, int]]  # ("title" | "paragraph", line): titles, and lines a paragraph must start on
    maybe: list[tuple[bool, int, int]]  # (the line before may end one, room left on it, line)
    numbered: bool  # numbers in the text already: not this case


def _lone(k: str) -> bool:
    return bool(_LONE_FINDING_NUMBER.match(k) or _LONE_THEME_NUMBER.match(k))


def _title_like(k: str, width: int) -> bool:
    # a theme's title: a known theme, or a few words well short of the width that end whole
    if not k[:1].isupper() or _TERMINAL.search(k) or _heading(k) or _structural(k):
        return False
    collapsed = " ".join(k.split())
    if _TITLE_OPEN_END.search(collapsed) or len(collapsed) >= 0.8 * width:
        return False
    return bool(theme_of(collapsed)) or (len(k.split()) <= 8 and len(collapsed) < 0.7 * width)


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
    keys = _keys(raw)
    if not any(_LONE_FINDING_NUMBER.match(k) for k in keys):
        return texts
    furniture = _furniture(keys, raw)
    width = _wrap_width(keys)
    if width is None:
        return texts
    page_lines = _PageLines(raw, keys, furniture, width)
    heads: dict[int, int] = {}  # line -> number line that heads it
    page_start = 0
    walk = _Walk()
    i = 0
    while i < len(keys):
        if i in furniture:
            page_start = i + 1
            i += 1
            continue
        if "\f" in raw[i]:
            page_start = i  # a form feed starts the line that starts the page
        if not (keys[i] and _lone(keys[i])):
            i += 1
            continue
        run, j = _number_run(page_lines, i)
        page = [h for h in range(page_start, i) if keys[h] and h not in furniture]
        if _at_page_foot(page_lines, j) and page and not any(_lone(keys[h]) for h in page):
            found = _page_places(page_lines, page_start, i, walk)
            _number_page(page_lines, run, found, heads, warnings)
        i = j
    if not heads:
        return texts
    numbers = set(heads.values())
    return [join([texts[heads[h]].strip(), t.strip()]) if h in heads else t for h, t in enumerate(texts) if h not in numbers]


def _number_run(lines: _PageLines, i: int) -> tuple[list[int], int]:
    """The lone numbers from line ``i`` on, blank lines between, and the line after them."""
    keys = lines.keys
    run = [i]
    j = i + 1
    while j < len(keys) and (not keys[j] or (_lone(keys[j]) and j not in lines.furniture)):
        if keys[j]:
            run.append(j)
        j += 1
    return run, j


def _at_page_foot(lines: _PageLines, j: int) -> bool:
    """Whether line ``j``, after a run of numbers, ends its page: the furniture or a page break
    next, perhaps after the page's bullets or its footnote."""
    keys, furniture, raw = lines.keys, lines.furniture, lines.raw
    foot = j
    while foot < len(keys) and foot not in furniture and (not keys[foot] or _LONE_BULLET.match(keys[foot])):
        foot += 1  # the page's bullets, set apart as its numbers are
    if foot < len(keys) and (_FOOTNOTE_NUMBERED_LINE.match(keys[foot]) or keys[foot][:1] in _SUPERSCRIPTS):
        # the page's footnote, between its numbers and its furniture
        while foot < min(len(keys), j + 6) and not (foot in furniture or "\f" in raw[foot]):
            foot += 1
    return foot >= len(keys) or foot in furniture or "\f" in raw[foot]


def _page_places(lines: _PageLines, page_start: int, i: int, walk: _Walk) -> _Places:
    """The places on the page a number may head: titles, and the lines a paragraph must start
    on (after a title, a heading or a blank line); and the lines that may start one (after a line
    that ends a sentence), scored by how much room that line left."""
    keys = lines.keys
    found = _Places([], [], numbered=False)
    gap = False
    for h in range(page_start, i):
        k = keys[h]
        if h in lines.furniture:
            continue
        if not k:
            gap = True
            continue
        kind = _heading(k)
        if kind == "commentary":
            walk.commentary, walk.previous, gap = True, None, False
            found.places, found.maybe = [], []
            continue
        if kind in _COMMENTARY_END or _CLOSING_START.match(k):
            walk.commentary = False
            break
        if _FINDING_START.match(k) or _THEME_HEADING.match(k):
            found.numbered = True
            break
        if walk.commentary:
            _place_of(lines, h, i, gap, walk.previous, found)
        walk.previous, gap = h, False
    return found


def _place_of(lines: _PageLines, h: int, i: int, gap: bool, previous: int | None, found: _Places) -> None:
    """Line ``h`` of the commentary as a place a number may head, if it is one."""
    keys, k = lines.keys, lines.keys[h]
    places = found.places
    before = " ".join(keys[previous].split()) if previous is not None else ""
    nxt = next((keys[g] for g in range(h + 1, i) if keys[g] and g not in lines.furniture), "")
    if _title_like(k, lines.width) and nxt[:1].isupper() and (previous is None or gap or _TERMINAL.search(before)):
        places.append(("title", h))
    elif previous is None or gap or (places and places[-1] == ("title", previous)):
        places.append(("paragraph", h))
    elif _TERMINAL.search(before) and (k[:1].isupper() or k[:1] in "\"“‘'"):
        # a line set out to the full width (pypdf writes a justified line's wide
        # gaps as runs of spaces) ended no paragraph
        stretched = len(re.findall(r"\S {2,}(?=\S)", keys[previous or 0])) >= 2
        likely = not stretched and not before.endswith(":")
        found.maybe.append((likely, lines.width - len(before) - 1 - len(k.split()[0]), h))


def _number_page(lines: _PageLines, run: list[int], found: _Places, heads: dict[int, int], warnings: list[str]) -> None:
    """Give the page's numbers (``run``) to its places in turn, when they match in number and
    kind; warned."""
    keys = lines.keys
    kinds = ["title" if _LONE_THEME_NUMBER.match(keys[n]) else "paragraph" for n in run]
    titles = [h for kd, h in found.places if kd == "title"]
    if found.numbered or len(titles) != kinds.count("title"):
        return
    chosen = _paragraph_starts_chosen(found, kinds, titles, len(keys))
    if chosen is None:
        return
    starts, guess = chosen
    places = sorted([*found.places, *(("paragraph", h) for _, _, h in starts)], key=lambda p: p[1])
    if [kd for kd, _ in places] != kinds:
        return
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


def _paragraph_starts_chosen(
    found: _Places, kinds: list[str], titles: list[int], end: int
) -> tuple[list[tuple[bool, int, int]], bool] | None:
    """Between two titles, the paragraphs the numbers want: the forced ones, then the likeliest
    ends (a line set out to the full width or ending at a colon least likely; then where the next
    line's first word would have fitted best). The lines chosen, and whether the choice is a
    guess; None when some stretch has too few or too many places."""
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
        hi = titles[seg] if seg < len(titles) else end
        forced = sum(1 for kd, h in found.places if kd == "paragraph" and lo < h < hi)
        pool = sorted((m for m in found.maybe if lo < m[2] < hi), reverse=True)
        if not 0 <= want - forced <= len(pool):
            return None
        picked = pool[: want - forced]
        chosen += picked
        rest = pool[want - forced :]
        if picked and rest and rest[0][:2] >= (picked[-1][0], picked[-1][1] - 3):
            guess = True  # the next likeliest was about as likely
    return chosen, guess


# --- numbers set apart from their paragraphs ----------------------------------------------------


@dataclass
class _Unit:
    """A piece of the commentary as an extractor gave it: a number alone on its line, or a block
    of lines (a paragraph, a title, a footnote) between blank lines and numbers."""

    kind: str  # "finding-number", "theme-number", "theme-heading", "numbered", "title", "paragraph", "other"
    lines: list[int]  # positions in the line list
    number: tuple[int, int] | None = None  # (major, minor) of a finding number; (major, 0) of a theme


@dataclass
class _Numbering:
    """The commentary's units, and what giving the numbers their paragraphs does to its lines."""

    lines: list[MappedText]
    keys: list[str]
    units: list[_Unit]
    where: Callable[[int], int]  # the source line (from 1) a line starts on, for the warnings
    replace: dict[int, MappedText] = field(default_factory=dict)  # line -> the line with its number
    drop: set[int] = field(default_factory=set)  # the numbers' own lines, given to their paragraphs
    at: dict[int, int] = field(init=False)  # each unit's position, by its id

    def __post_init__(self) -> None:
        self.at = {id(u): k for k, u in enumerate(self.units)}

    def position(self, u: _Unit) -> int:
        return self.at[id(u)]

    def numbered(self, number: _Unit, line: int) -> None:
        """Line ``line`` headed by the number ``number``, whose own line goes."""
        self.replace[line] = join([self.lines[number.lines[0]].strip(), self.lines[line].strip()])
        self.drop.add(number.lines[0])


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
    keys = _keys([t.text for t in lines])
    if not any(_LONE_FINDING_NUMBER.match(k) for k in keys):
        return lines
    start, end = _commentary_bounds(keys)
    units = _units(keys, start, end, marks)
    _titles_taken(units, keys, warnings)
    _mark_runs_on(units, keys)

    def where(i: int) -> int:
        return line_of(lines[i]) if line_of is not None else i + 1

    numbering = _Numbering(lines, keys, units, where)
    for u in units:
        if u.kind == "title" and u.number is not None:
            head = next(v for v in units if v.kind == "theme-number" and v.number == u.number)
            numbering.numbered(head, u.lines[0])
    for major, group in sorted(_by_theme(units).items()):
        _number_theme(numbering, major, group, warnings)
    stray = [i for i, k in enumerate(keys) if _LONE_FINDING_NUMBER.match(k) and i not in numbering.drop]
    if stray:
        warnings.append(
            f"line {where(stray[0])}: finding numbers {', '.join(keys[i] for i in stray)} stand alone, "
            f"away from any paragraph they could head; not read"
        )
    return [numbering.replace.get(i, line) for i, line in enumerate(lines) if i not in numbering.drop]


def _commentary_bounds(keys: list[str]) -> tuple[int, int]:
    """Where the commentary starts (its heading, or the first finding number) and ends."""
    start = next((i for i, k in enumerate(keys) if _heading(k) == "commentary"), None)
    if start is None:
        start = next(i for i, k in enumerate(keys) if _LONE_FINDING_NUMBER.match(k) or _FINDING_START.match(k))
    end = next(
        (i for i in range(start, len(keys)) if _heading(keys[i]) in _COMMENTARY_END or _CLOSING_START.match(keys[i])), len(keys)
    )
    return start, end


def _units(keys: list[str], start: int, end: int, marks: Set[str]) -> list[_Unit]:
    """The commentary's lines ``start`` to ``end`` as units: numbers alone, and blocks of lines."""
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
        units.append(_unit_starting(keys, i, footnote, units[-1] if units else None))
    return units


def _unit_starting(keys: list[str], i: int, footnote: bool, last: _Unit | None) -> _Unit:
    """The unit line ``i`` starts, after ``last``."""
    k = keys[i]
    m = _FINDING_START.match(k)
    if m and k[m.end() :].strip():
        return _Unit("numbered", [i], (int(m["major"]), int(m["minor"])))
    if (t := _THEME_HEADING.match(k)) and not _TERMINAL.search(k) and (re.match(r"\d{1,2}\.\s", k) or theme_of(t["title"])):
        return _Unit("theme-heading", [i], (int(t["num"]), 0))
    if (
        _heading(k)
        or footnote
        or (
            last is not None
            and last.kind == "other"
            and (keys[last.lines[-1]].isdigit() or re.search(r":$|\s[-–—]$", keys[last.lines[-1]]))
        )
    ):
        return _Unit("other", [i])  # a heading, a footnote (or its body under its mark)
    return _Unit("paragraph", [i])


def _titles_taken(units: list[_Unit], keys: list[str], warnings: list[str]) -> None:
    """A theme number alone takes the next short line with no full stop as its title."""
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


def _mark_runs_on(units: list[_Unit], keys: list[str]) -> None:
    """A paragraph a page break split runs on from the text before it."""
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


def _by_theme(units: list[_Unit]) -> dict[int, list[_Unit]]:
    """The units of each theme: each number alone goes to a paragraph of its theme, between the
    findings numbered in the text around it.

    A theme starts at its heading; a theme number alone with a title after it starts its theme
    at the title (the numbers' block may come before the last paragraphs of the theme before),
    and the heading is read there."""
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
    return by_theme


def _number_theme(numbering: _Numbering, major: int, group: list[_Unit], warnings: list[str]) -> None:
    """The theme's numbers alone, each given to the next paragraph with none between the two
    findings numbered in the text around it; warned where they came apart."""
    numbers = [u for u in group if u.kind == "finding-number"]
    if not numbers:
        return
    anchors = [u for u in group if u.kind == "numbered" and u.number is not None and u.number[0] == major]
    bounds = [0, *(a.number[1] for a in anchors if a.number is not None), 10**6]
    at = numbering.position
    for low, high in itertools.pairwise(bounds):
        nums = [u for u in numbers if u.number is not None and low < u.number[1] < high]
        if not nums:
            continue
        lo_at = next((at(a) for a in anchors if a.number is not None and a.number[1] == low), -1)
        hi_at = next((at(a) for a in anchors if a.number is not None and a.number[1] == high), len(numbering.units))
        paras = [u for u in group if u.kind == "paragraph" and lo_at < at(u) < hi_at]
        for n, p in zip(nums, paras, strict=False):
            numbering.numbered(n, p.lines[0])
        numbering.drop.update(n.lines[0] for n in nums)
        apart = len(nums) != len(paras) or any(at(p) != at(n) + 1 for n, p in zip(nums, paras, strict=False))
        ran_on = [u for u in group if u.kind == "runs-on" and lo_at < at(u) < hi_at]
        if apart or ran_on:
            warnings.append(_apart_note(numbering, nums, paras, bool(ran_on)))


def _apart_note(numbering: _Numbering, nums: list[_Unit], paras: list[_Unit], ran_on: bool) -> str:
    """The warning for numbers given to paragraphs they came apart from."""
    at = numbering.position
    side = "apart from"
    if paras and all(at(n) < at(paras[0]) for n in nums):
        side = "before"
    elif paras and all(at(n) > at(paras[-1]) for n in nums):
        side = "after"
    text = ", ".join(numbering.keys[n.lines[0]] for n in nums)
    note = (
        f"line {numbering.where(nums[0].lines[0])}: finding numbers {text} came {side} their paragraphs; "
        f"each read as heading the next paragraph in order"
    )
    if len(nums) != len(paras):
        note += f" ({len(nums)} numbers, {len(paras)} paragraphs)"
    if ran_on:
        note += "; a paragraph a page break split read as running on from the one before"
    return note
