"""The facts of the summary and the themes: the reoffending rate and its footnote, numbered
findings with their quotes and counts, key strengths and areas for improvement.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Sequence

from . import dates
from .counts import find_counts
from .lines import _LIGATURES, _Footnote, _Line, _page_ends_between, _text_width
from .model import (
    Finding,
    ListItem,
    Proportion,
    Quote,
    Reoffending,
    Span,
)
from .paragraphs import _JOINED_COMPOUND, _blocks, _continues, _join_lines, _paragraphs, _paragraphs_split, _repair
from .patterns import _BULLET, _COHORT, _COMPARATOR_PATTERNS, _FINDING_START, _PUBLISHED, _RATE, _SOURCE, _TERMINAL
from .textmap import MappedText, join


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
    if any(_BULLET.match(lines[i].text.text) for i in indices):
        return _bulleted_items(lines, indices, marks, label, warnings, width, breaks)
    if indices and width is not None:
        moved = _short_line_inside(lines, [i for i in indices if not lines[i].blank], width, breaks)
        if moved:
            warnings.append(
                f"{label}: a line stops short inside its paragraph ({moved!r}): an extractor may have "
                f"moved a piece of a line; read as written"
            )
    why = _items_run_together(lines, indices, loose, width, breaks) if indices else None
    if why is not None:
        told = _items_told_by_sentence_ends(lines, indices, marks)
        warnings.append(f"{label}: {why}; {len(told)} item(s) told by where a line ends a sentence and stops short")
        return told
    return [_item(p) for p in _paragraphs(lines, indices, marks)]


def _items_run_together(
    lines: Sequence[_Line], indices: list[int], loose: Sequence[int], width: int | None, breaks: Sequence[int]
) -> str | None:
    """Why a list with no bullets in its text has its items run together with no blank line
    between them (said in the warning), or None when they are not."""
    at = [lines[i].text.source_offset(0) for i in indices if lines[i].text]
    after = next((lines[j].text.source_offset(0) for j in range(indices[-1] + 1, len(lines)) if lines[j].text), None)
    # the bullets inside the list, or at the foot of the page the list starts on (pypdf,
    # PDFium and pdftotext's raw mode read an HTML list's markers after the page's text)
    set_apart = at and any(at[0] <= o and (after is None or o < after or not any(at[0] < b < o for b in breaks)) for o in loose)
    if set_apart:
        return "the bullets were set apart from their items"
    # no bullet glyphs at all (a browser draws them as shapes) and no blank line between the
    # items of hard-wrapped text: the items are told the same way
    # (between blank lines, or where a page broke: pdfminer parts some items, not all)
    run_together = width is not None and any(
        sum(1 for line in block if _TERMINAL.search(line.stripped) and len(line.stripped) < 0.85 * width) > 1
        for block in _blocks(lines, indices)
    )
    return "no bullets and no blank line between some items" if run_together else None


def _items_told_by_sentence_ends(lines: Sequence[_Line], indices: list[int], marks: set[str]) -> list[ListItem]:
    """The list's items, each ending where a line ends a sentence and stops short of the width."""
    width = _text_width(lines)
    split: list[int] = []
    for i in indices:
        split.append(i)
        if not lines[i].blank and _TERMINAL.search(lines[i].stripped) and len(lines[i].stripped) < 0.85 * width:
            split.append(-1)  # the item ends here
    return [_item(p) for p in _paragraphs_split(lines, split, marks)]


def _bulleted_items(
    lines: Sequence[_Line],
    indices: list[int],
    marks: set[str],
    label: str,
    warnings: list[str],
    width: int | None,
    breaks: Sequence[int],
) -> list[ListItem]:
    """The items of a list with bullets: a bullet starts one; a paragraph with no bullet after a
    blank line is one too, warned."""
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
