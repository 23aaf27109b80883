"""Paragraphs from lines: hard-wrapped lines joined, hyphens a line break split put back, a
paragraph a page break cut in two joined again.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .lines import _LIGATURES, _Line
from .patterns import _SUPERSCRIPT_MARK, _TERMINAL
from .textmap import MappedText, join


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


_Note = tuple[int, str, str]  # source offset, a word of the text there, what was done
_Swap = tuple[int, int, str]  # start, end, what the text there is read as


@dataclass(frozen=True)
class _WrappedLines:
    """The lines of hard-wrapped text: where each starts and ends, its length with white space
    runs as one, and the width the lines run to."""

    starts: list[int]
    ends: list[int]
    collapsed: list[int]
    width: int


def _hard_wrapped(text: str) -> _WrappedLines | None:
    """The text's lines, or None when it is not hard-wrapped (a paragraph a line)."""
    starts = [0, *(m.end() for m in _LINE_BREAK.finditer(text))]
    ends = [m.start() for m in _LINE_BREAK.finditer(text)] + [len(text)]
    collapsed = [len(" ".join(text[a:b].split())) for a, b in zip(starts, ends, strict=True)]
    lengths = sorted(n for n in collapsed if n >= 40)
    if len(lengths) < 20:
        return None
    width = lengths[int(0.9 * (len(lengths) - 1))]
    if sum(0.7 * width <= n <= 1.05 * width for n in lengths) < 0.6 * len(lengths):
        return None
    return _WrappedLines(starts, ends, collapsed, width)


def _hyphens_taken_out(clean: MappedText) -> tuple[MappedText, list[_Note]]:
    """Words an extractor joined where a hyphen broke them at a line end, taking the hyphen out
    and the next line in ("... to see a presentence report ... requested by"): in hard-wrapped
    text, a line that runs on well past the others. A word of that line near where it should
    have ended that the text writes elsewhere with a hyphen ("pre-sentence") is read so; else
    the line is noted as it is. Returns the text and notes (source offset, a word of the text
    there, what was done) for the finding or item that holds them. A line PDFium joined at a
    hyphen it marked (U+FFFE) is no such line."""
    text = clean.text
    wrapped = _hard_wrapped(text)
    if wrapped is None:
        return clean, []
    width = wrapped.width
    hyphenated = set(_HYPHENATED.findall(text.lower()))  # the words the text writes with one hyphen
    notes: list[_Note] = []
    swaps: list[_Swap] = []
    for a, b, n in zip(wrapped.starts, wrapped.ends, wrapped.collapsed, strict=True):
        line = text[a:b]
        if n <= 1.3 * width or "\ufffe" in line or _URL.search(line):
            continue  # not run on, joined at a hyphen PDFium marked, or a web address
        if _JOINED_FRACTION.search(line):
            continue  # its join is read as such ("twothirds")
        compounds = list(_JOINED_COMPOUND.finditer(line))
        if compounds:
            _compounds_put_back(clean, a, compounds, hyphenated, swaps, notes)
        else:
            _run_on_line(clean, a, line, width, hyphenated, swaps, notes)
    return _swapped(clean, swaps), notes


def _hyphen_put_back(clean: MappedText, at: int, word: str, form: str) -> _Note:
    """The note on ``word`` at ``at`` read as ``form``."""
    return (
        clean.source_offset(at),
        form,
        f"{word!r} read as {form!r}, as the text writes it elsewhere (a hyphen an extractor "
        f"took out where a line broke the word)",
    )


def _compounds_put_back(
    clean: MappedText, a: int, compounds: list[re.Match[str]], hyphenated: set[str], swaps: list[_Swap], notes: list[_Note]
) -> None:
    """Words joined where a capital is ("MultiAgency"): the join is there; put back when the text
    writes the word with its hyphen elsewhere ("multi-agency"), else warned as a compound is."""
    for m in compounds:
        k = next(i for i in range(1, len(m[0])) if m[0][i].isupper())
        form = f"{m[0][:k]}-{m[0][k:]}"
        if form.lower() in hyphenated:
            swaps.append((a + m.start(), a + m.end(), form))
            notes.append(_hyphen_put_back(clean, a + m.start(), m[0], form))


def _run_on_line(
    clean: MappedText, a: int, line: str, width: int, hyphenated: set[str], swaps: list[_Swap], notes: list[_Note]
) -> None:
    """A line that runs on past the others, starting at ``a``: the one word near where it should
    have ended that the text writes elsewhere with a hyphen is read so; else the line is noted."""
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
        notes.append(_hyphen_put_back(clean, a + m.start(), m[0], form))
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
    return _swapped(clean, swaps), notes


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


_WHOLE = re.compile(r"(?s).+")


def _swapped(clean: MappedText, swaps: list[tuple[int, int, str]]) -> MappedText:
    """``clean`` with each ``(start, end, form)`` stretch written ``form``, every character keeping
    its source offset (the stretches in order, apart)."""
    if not swaps:
        return clean
    pieces: list[MappedText] = []
    last = 0
    for start, end, form in swaps:
        pieces += [clean[last:start], clean[start:end].substitute(_WHOLE, form)]
        last = end
    pieces.append(clean[last:])
    return join(pieces, "")
