"""A report's text rendering read as blocks of runs (bold, italic, superscript marks, footnotes),
the layout variants the PDFs are made in, and the letterhead image: what both layout engines lay out.
"""

from __future__ import annotations

import re
import struct
import zlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # reportlab is optional (the pdf-make extra) and imported where it is used
    pass


#: superscript digits used as footnote marks in the renderings, and their note numbers
_SUPERSCRIPTS = {"¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7", "⁸": "8", "⁹": "9"}


_FOOTNOTE_LINE = re.compile(r"^([¹²³⁴⁵⁶⁷⁸⁹])\s+(.*\S)\s*$")


_THEME = re.compile(r"^(\d{1,2})\.\s+(\S.*)$")


_FINDING = re.compile(r"^-\s+(\d{1,2}\.\d{1,2})\.?\s+(.*)$")


_BULLET = re.compile(r"^-\s+(.*)$")


_KNOWN_HEADINGS = {
    "context",
    "summary",
    "operational management",
    "key strengths",
    "areas requiring improvement",
    "areas for improvement",
    "copy to:",
    "copy to",
    "overall",
    "introduction",
}


#: a paragraph is finished when it ends like a sentence (closing quotes, markup or brackets may follow)
_TERMINATED = re.compile(r"[.!?:;][\"'”’*)\]>]*$|</i>$|>\.?$")


@dataclass(frozen=True)
class Run:
    """A stretch of text with one look. ``note`` holds a footnote's text when this run is its mark
    (then ``text`` is the note number); ``link`` marks a URL that the rendering wrote as <url>."""

    text: str
    italic: bool = False
    note: str | None = None
    link: bool = False


@dataclass
class Block:
    """One block of the report. ``kind`` is one of: header (label, value), title, heading, para,
    theme (number, text), finding (number, text), bullet, copy (post, names), note (a footnote
    whose mark is missing, kept as a small paragraph so its words are not lost)."""

    kind: str
    runs: list[Run] = field(default_factory=list)
    number: str = ""
    label: list[Run] = field(default_factory=list)
    raw: str = ""  # the joined source text, kept while parsing to re-join page-split paragraphs

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass
class Report:
    """A parsed rendering: the blocks in order and the title line (markup removed)."""

    blocks: list[Block]
    title: str

    @property
    def short_title(self) -> str:
        """The running-header text: the title as written (the rendering gives no other)."""
        return self.title


def curl_quotes(text: str) -> str:
    """Typographic quotes as Word's AutoFormat makes them: a quote after a space, an opening
    bracket or the start is an opening one, any other is closing; ``*`` markup is transparent."""
    out: list[str] = []
    prev = ""
    for ch in text:
        if ch in "\"'":
            opening = prev == "" or prev.isspace() or prev in "([{“‘–—-/"
            if ch == '"':
                ch = "“" if opening else "”"
            else:
                ch = "‘" if opening else "’"
        out.append(ch)
        if ch != "*":
            prev = ch
    return "".join(out)


def _strip_tags(text: str) -> str:
    return text.replace("<i>", "").replace("</i>", "")


def _runs(text: str, notes: dict[str, str]) -> list[Run]:
    """Inline markup to runs: <i>…</i> and *…* are italics (the quote characters around or inside
    the stars stay as written), superscript digits are footnote marks, <http…> is a link."""
    runs: list[Run] = []
    italic = False
    buf: list[str] = []

    def flush() -> None:
        if buf:
            runs.append(Run("".join(buf), italic))
            buf.clear()

    i = 0
    while i < len(text):
        if text.startswith("<i>", i) or text.startswith("</i>", i):
            flush()
            italic = not text.startswith("</i>", i)
            i += 3 if italic else 4
            continue
        ch = text[i]
        if ch == "*":
            flush()
            italic = not italic
        elif ch in _SUPERSCRIPTS:
            flush()
            number = _SUPERSCRIPTS[ch]
            runs.append(Run(number, False, note=notes.get(ch, "")))
        elif ch == "<" and re.match(r"<(https?://|www\.)[^\s<>]+>", text[i:]):
            end = text.index(">", i)
            flush()
            runs.append(Run(text[i + 1 : end], italic, link=True))
            i = end
        else:
            buf.append(ch)
        i += 1
    flush()
    return [r for r in runs if r.text or r.note is not None]


def _is_heading(line: str) -> bool:
    bare = _strip_tags(line).strip()
    if bare.lower().rstrip() in _KNOWN_HEADINGS or re.match(r"^Commentary on\b.*:$", bare):
        return True
    # any other short capitalised line that does not end like a sentence reads as a heading
    return (
        len(bare) <= 60
        and bare[:1].isupper()
        and not _TERMINATED.search(bare)
        and "\t" not in line
        and not bare.startswith("Report of")
    )


def parse_rendering(text: str, *, curly: bool = False) -> Report:
    """Split a text rendering into blocks by the rendering's conventions (see the module doc).

    Paragraphs that a page break in the original split in two (the first part does not end like
    a sentence) are joined again, across a footnote's text if one sits between them. Footnote
    lines become the text of the note whose mark they match. ``curly`` curls quotes first."""
    lines = text.replace("\r\n", "\n").split("\n")
    if curly:
        lines = [curl_quotes(line) for line in lines]
    notes: dict[str, str] = {}
    for line in lines:
        m = _FOOTNOTE_LINE.match(line.strip())
        if m:
            notes[m.group(1)] = m.group(2)
    blocks, title = _blocks(lines)
    for block in blocks:
        block.runs = _runs(block.raw, notes)
    return Report(blocks, title)


def _blocks(lines: list[str]) -> tuple[list[Block], str]:
    """The rendering's lines as blocks, their runs not yet read; and the report's title."""
    blocks: list[Block] = []
    title = ""
    in_copy = False
    seen_title = False
    for line in lines:
        stripped = line.strip()
        if not stripped:
            continue
        m = _FOOTNOTE_LINE.match(stripped)
        if m:
            if not any(m.group(1) in b.raw for b in blocks):
                blocks.append(Block("note", raw=m.group(2)))
            continue
        last = blocks[-1] if blocks else None
        if last is not None and _runs_on(last, line, stripped):
            last.raw = f"{last.raw} {stripped}"
            continue
        if "\t" in line and not seen_title:
            label, value = line.strip("\n").split("\t", 1)
            blocks.append(Block("header", raw=value.strip(), label=[Run(_strip_tags(label).strip(), True)]))
            continue
        if not seen_title:
            seen_title = True
            title = _strip_tags(stripped)
            blocks.append(Block("title", raw=stripped))
            continue
        if in_copy and "\t" in line:
            post, names = line.split("\t", 1)
            blocks.append(Block("copy", raw=names.strip(), label=[Run(_strip_tags(post).strip())]))
            continue
        block = _body_block(stripped)
        if block.kind == "heading":
            in_copy = block.raw.lower().startswith("copy to")
        blocks.append(block)
    return blocks, title


def _runs_on(last: Block, line: str, stripped: str) -> bool:
    """Whether the line carries on the paragraph before it: that one ends no sentence (a page
    break split it), and the line starts in lower case or starts no block of its own."""
    open_para = last.kind in ("para", "finding", "bullet") and not _TERMINATED.search(last.raw.rstrip())
    structural = (
        _FINDING.match(stripped)
        or _BULLET.match(stripped)
        or _THEME.match(stripped)
        or "\t" in line
        or (_is_heading(stripped) and not stripped[:1].islower())
    )
    return open_para and (stripped[:1].islower() or not structural)


def _body_block(stripped: str) -> Block:
    """A line of the body as a block of its own: a heading, a finding, a bullet, a theme or a paragraph."""
    if _is_heading(stripped) and not _FINDING.match(stripped) and not _THEME.match(stripped):
        return Block("heading", raw=stripped.rstrip("\t "))
    m = _FINDING.match(stripped)
    if m:
        return Block("finding", number=m.group(1), raw=m.group(2))
    m = _BULLET.match(stripped)
    if m:
        return Block("bullet", raw=m.group(1))
    m = _THEME.match(stripped)
    if m and len(stripped) <= 90:
        return Block("theme", number=m.group(1), raw=m.group(2))
    return Block("para", raw=stripped)


@dataclass(frozen=True)
class Variant:
    """How one report is laid out. Every variant is one a real report could have: the reports
    were typed in Word by different teams over several years, with different templates."""

    font: str
    generic: str  # the font's generic family, for the ODF font declaration
    size_pt: float
    footer: str  # "page-of" ("Page N of M") or "page" (the bare page number)
    symbol_bullets: bool  # Word's bullet: U+F0B7 in the Symbol font; else "•"
    curly: bool
    margin_cm: float
    label_cm: float  # width of the header table's label column
    post_cm: float  # width of the copy list's post column
    letterhead_right: bool


VARIANTS: tuple[Variant, ...] = (
    Variant("Liberation Sans", "swiss", 11, "page-of", False, False, 2.54, 4.0, 9.0, False),
    Variant("Liberation Serif", "roman", 12, "page", True, True, 2.0, 3.5, 8.0, True),
    Variant("Liberation Sans", "swiss", 12, "page-of", True, False, 2.2, 4.4, 7.5, True),
)


def _variant(variant: int) -> Variant:
    if not 0 <= variant < len(VARIANTS):
        raise ValueError(f"variant must be 0..{len(VARIANTS) - 1}, got {variant}")
    return VARIANTS[variant]


def letterhead_png(width: int = 480, height: int = 96) -> bytes:
    """A small letterhead PNG (a crest-like roundel on a band, and a rule), made without an
    imaging library. It holds no text, so a reader never finds words in it."""
    navy, gold, white = (0x1F, 0x2A, 0x5C), (0xC8, 0xA2, 0x3C), (0xFF, 0xFF, 0xFF)
    cx, cy, r = height // 2, height // 2, height * 0.36
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter: none
        for x in range(width):
            if x < height:
                d = ((x - cx) ** 2 + (y - cy) ** 2) ** 0.5
                colour = gold if r - 4 <= d <= r or (d < r - 10 and abs(x - cx) < 4) else navy
            elif y >= height - 6:
                colour = navy
            elif height + 12 <= x < width - 12 and y in range(height // 2 - 2, height // 2 + 2):
                colour = gold
            else:
                colour = white
            rows += bytes(colour)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + chunk(b"IEND", b"")
