"""Real PDFs of SQS reports, laid out by real layout engines, for the PDF reader's tests and benchmarks.

The published reports are Word documents exported to PDF. Text extracted from such a PDF is not
the text that was typed: list numbers and bullets are generated labels drawn apart from their
text, the page furniture ("Page 1 of 4", a running header) is interleaved with the body, a
footnote's text sits at the foot of whichever page holds its mark, and the mark itself is a small
raised "1". A reader can only be tested against that with PDFs made the same way, so this module
turns a report's text rendering (the light-markup ``.txt`` form of ``sqsgraph/samples``) into:

* a LibreOffice flat ODT document (:func:`make_fodt`) converted by ``soffice`` in one batch
  (:func:`convert_fodts`, :func:`make_lo_pdfs`), tagged or untagged: the main producer, whose
  PDFs have real numbered lists, fields, footnotes and tables;
* a reportlab PDF (:func:`make_reportlab_pdf`): pure Python and fast, for benchmarks that need
  hundreds of PDFs.

Nothing here knows any report's facts: the text rendering is parsed into blocks
(:func:`parse_rendering`) by its shape alone, so any rendering, including ``sqsgraph synth``
output, can be laid out. The words of the rendering are kept (minus markup), so a reader's
output can be compared with the rendering fact by fact; only quotes may be curled, as Word does.
"""

from __future__ import annotations

import base64
import re
import shutil
import struct
import subprocess
import tempfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

if TYPE_CHECKING:  # reportlab is optional (the pdf-make extra) and imported where it is used
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import BaseDocTemplate, Flowable

__all__ = [
    "Block",
    "LoJob",
    "Report",
    "Run",
    "VARIANTS",
    "Variant",
    "convert_fodts",
    "curl_quotes",
    "letterhead_png",
    "make_fodt",
    "make_lo_pdfs",
    "make_reportlab_pdf",
    "parse_rendering",
]

# --- the text rendering as blocks ---------------------------------------------------------------

#: superscript digits used as footnote marks in the renderings, and their note numbers
_SUPERSCRIPTS = {"¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7", "⁸": "8", "⁹": "9"}
_FOOTNOTE_LINE = re.compile(r"^([¹²³⁴⁵⁶⁷⁸⁹])\s+(.*\S)\s*$")
_THEME = re.compile(r"^(\d{1,2})\.\s+(\S.*)$")
_FINDING = re.compile(r"^-\s+(\d{1,2}\.\d{1,2})\.?\s+(.*)$")
_BULLET = re.compile(r"^-\s+(.*)$")
_KNOWN_HEADINGS = {
    "context", "summary", "operational management", "key strengths", "areas requiring improvement",
    "areas for improvement", "copy to:", "copy to", "overall", "introduction",
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
            runs.append(Run(text[i + 1:end], italic, link=True))
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
        len(bare) <= 60 and bare[:1].isupper() and not _TERMINATED.search(bare)
        and "\t" not in line and not bare.startswith("Report of")
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
    body: list[str] = []
    for line in lines:
        m = _FOOTNOTE_LINE.match(line.strip())
        if m:
            notes[m.group(1)] = m.group(2)
        body.append(line)

    blocks: list[Block] = []
    title = ""
    in_copy = False
    seen_title = False
    for line in body:
        stripped = line.strip()
        if not stripped:
            continue
        m = _FOOTNOTE_LINE.match(stripped)
        if m:
            if not any(m.group(1) in b.raw for b in blocks):
                blocks.append(Block("note", raw=m.group(2)))
            continue
        last = blocks[-1] if blocks else None
        open_para = (
            last is not None and last.kind in ("para", "finding", "bullet")
            and not _TERMINATED.search(last.raw.rstrip())
        )
        structural = (
            _FINDING.match(stripped) or _BULLET.match(stripped) or _THEME.match(stripped)
            or "\t" in line or (_is_heading(stripped) and not stripped[:1].islower())
        )
        if last is not None and open_para and (stripped[:1].islower() or not structural):
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
        if _is_heading(stripped) and not _FINDING.match(stripped) and not _THEME.match(stripped):
            heading = stripped.rstrip("\t ")
            in_copy = heading.lower().startswith("copy to")
            blocks.append(Block("heading", raw=heading))
            continue
        m = _FINDING.match(stripped)
        if m:
            blocks.append(Block("finding", number=m.group(1), raw=m.group(2)))
            continue
        m = _BULLET.match(stripped)
        if m:
            blocks.append(Block("bullet", raw=m.group(1)))
            continue
        m = _THEME.match(stripped)
        if m and len(stripped) <= 90:
            blocks.append(Block("theme", number=m.group(1), raw=m.group(2)))
            continue
        blocks.append(Block("para", raw=stripped))
    for block in blocks:
        block.runs = _runs(block.raw, notes)
    return Report(blocks, title)


# --- variants -----------------------------------------------------------------------------------


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


# --- the letterhead -----------------------------------------------------------------------------


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


# --- LibreOffice: flat ODT ----------------------------------------------------------------------

_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"'
)

_A4_WIDTH_CM = 21.0


def _x(text: str) -> str:
    return escape(text)


def _odt_runs(runs: Iterable[Run]) -> str:
    """Runs as ODF inline content: italics as the Emphasis character style, marks as real
    footnotes (the engine draws the raised citation and the note at the page foot)."""
    out: list[str] = []
    for run in runs:
        if run.note is not None:
            if run.note:
                out.append(
                    f'<text:note text:id="ftn{_x(run.text)}" text:note-class="footnote">'
                    f"<text:note-citation>{_x(run.text)}</text:note-citation><text:note-body>"
                    f'<text:p text:style-name="Footnote">{_x(run.note)}</text:p></text:note-body></text:note>'
                )
            else:  # a mark with no note text in the rendering: still a raised figure
                out.append(f'<text:span text:style-name="Superscript">{_x(run.text)}</text:span>')
            continue
        body = _x(run.text)
        if run.link:
            href = run.text if "://" in run.text else "http://" + run.text
            body = f'<text:a xlink:type="simple" xlink:href={quoteattr(href)}>{body}</text:a>'
        out.append(f'<text:span text:style-name="Emphasis">{body}</text:span>' if run.italic else body)
    return "".join(out)


def _list_styles(v: Variant) -> str:
    """Themes and findings as one two-level numbered list ("1." then "1.1."), the label hanging
    left of the text, as Word's multilevel lists do; bullets as a one-level bullet list."""
    if v.symbol_bullets:
        bullet = '<style:text-properties style:font-name="Symbol"/>'
        char = "\uf0b7"
    else:
        bullet = ""
        char = "•"
    return f"""
  <text:list-style style:name="Numbering">
   <text:list-level-style-number text:level="1" style:num-format="1" style:num-suffix="." text:display-levels="1">
    <style:list-level-properties text:list-level-position-and-space-mode="label-alignment">
     <style:list-level-label-alignment text:label-followed-by="listtab" text:list-tab-stop-position="1.27cm" fo:text-indent="-1.27cm" fo:margin-left="1.27cm"/>
    </style:list-level-properties>
   </text:list-level-style-number>
   <text:list-level-style-number text:level="2" style:num-format="1" style:num-suffix="." text:display-levels="2">
    <style:list-level-properties text:list-level-position-and-space-mode="label-alignment">
     <style:list-level-label-alignment text:label-followed-by="listtab" text:list-tab-stop-position="1.27cm" fo:text-indent="-1.27cm" fo:margin-left="1.27cm"/>
    </style:list-level-properties>
   </text:list-level-style-number>
  </text:list-style>
  <text:list-style style:name="Bullets">
   <text:list-level-style-bullet text:level="1" text:bullet-char="{char}">
    <style:list-level-properties text:list-level-position-and-space-mode="label-alignment">
     <style:list-level-label-alignment text:label-followed-by="listtab" text:list-tab-stop-position="1.27cm" fo:text-indent="-0.635cm" fo:margin-left="1.27cm"/>
    </style:list-level-properties>
    {bullet}
   </text:list-level-style-bullet>
  </text:list-style>"""


def _styles(v: Variant) -> str:
    size = f"{v.size_pt:g}pt"
    small = f"{max(v.size_pt - 2.5, 8):g}pt"
    font = _x(v.font)
    return f"""
 <office:font-face-decls>
  <style:font-face style:name="{font}" svg:font-family="&apos;{font}&apos;" style:font-family-generic="{v.generic}" style:font-pitch="variable"/>
  <style:font-face style:name="Symbol" svg:font-family="Symbol" style:font-family-generic="roman" style:font-pitch="variable" style:font-charset="x-symbol"/>
 </office:font-face-decls>
 <office:styles>
  <style:default-style style:family="paragraph">
   <style:paragraph-properties fo:hyphenation-ladder-count="no-limit" style:writing-mode="lr-tb"/>
   <style:text-properties style:font-name="{font}" fo:font-size="{size}" fo:language="en" fo:country="GB" fo:hyphenate="false"/>
  </style:default-style>
  <style:default-style style:family="table-cell"><style:table-cell-properties fo:border="none"/></style:default-style>
  <style:style style:name="Standard" style:family="paragraph" style:class="text">
   <style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0cm" fo:line-height="115%"/>
  </style:style>
  <style:style style:name="Text_20_body" style:display-name="Text body" style:family="paragraph" style:parent-style-name="Standard" style:class="text">
   <style:paragraph-properties fo:text-align="justify" fo:margin-bottom="0.3cm" fo:orphans="2" fo:widows="2"/>
  </style:style>
  <style:style style:name="Title" style:family="paragraph" style:parent-style-name="Standard" style:class="chapter" style:default-outline-level="1">
   <style:paragraph-properties fo:margin-top="0.4cm" fo:margin-bottom="0.4cm" fo:keep-with-next="always"/>
   <style:text-properties fo:font-weight="bold" fo:font-size="{v.size_pt + 1:g}pt"/>
  </style:style>
  <style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" style:parent-style-name="Standard" style:default-outline-level="2" style:class="text">
   <style:paragraph-properties fo:margin-top="0.2cm" fo:margin-bottom="0.3cm" fo:keep-with-next="always"/>
   <style:text-properties fo:font-weight="bold"/>
  </style:style>
  <style:style style:name="Theme" style:family="paragraph" style:parent-style-name="Standard" style:class="list">
   <style:paragraph-properties fo:margin-top="0.1cm" fo:margin-bottom="0.3cm" fo:keep-with-next="always"/>
   <style:text-properties fo:font-weight="bold"/>
  </style:style>
  <style:style style:name="Finding" style:family="paragraph" style:parent-style-name="Text_20_body" style:class="list"/>
  <style:style style:name="Bullet" style:family="paragraph" style:parent-style-name="Text_20_body" style:class="list">
   <style:paragraph-properties fo:margin-bottom="0.15cm"/>
  </style:style>
  <style:style style:name="Table_20_Contents" style:display-name="Table Contents" style:family="paragraph" style:parent-style-name="Standard" style:class="extra">
   <style:paragraph-properties fo:margin-bottom="0.1cm" fo:line-height="100%"/>
  </style:style>
  <style:style style:name="Header" style:family="paragraph" style:parent-style-name="Standard" style:class="extra">
   <style:paragraph-properties fo:text-align="end" fo:line-height="100%"/>
   <style:text-properties fo:font-size="{small}"/>
  </style:style>
  <style:style style:name="Footer" style:family="paragraph" style:parent-style-name="Standard" style:class="extra">
   <style:paragraph-properties fo:text-align="center" fo:line-height="100%"/>
   <style:text-properties fo:font-size="{small}"/>
  </style:style>
  <style:style style:name="Footnote" style:family="paragraph" style:parent-style-name="Standard" style:class="extra">
   <style:paragraph-properties fo:margin-left="0.3cm" fo:text-indent="-0.3cm" fo:line-height="100%" fo:text-align="justify"/>
   <style:text-properties fo:font-size="{small}"/>
  </style:style>
  <style:style style:name="Letterhead" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:text-align="{'end' if v.letterhead_right else 'start'}" fo:margin-bottom="0.5cm"/>
  </style:style>
  <style:style style:name="Emphasis" style:family="text"><style:text-properties fo:font-style="italic"/></style:style>
  <style:style style:name="Superscript" style:family="text"><style:text-properties style:text-position="super 58%"/></style:style>
  <style:style style:name="Footnote_20_anchor" style:display-name="Footnote anchor" style:family="text"><style:text-properties style:text-position="super 58%"/></style:style>
  <style:style style:name="Footnote_20_Symbol" style:display-name="Footnote Symbol" style:family="text"><style:text-properties style:text-position="super 58%"/></style:style>
  <text:notes-configuration text:note-class="footnote" text:citation-style-name="Footnote_20_Symbol" text:citation-body-style-name="Footnote_20_anchor" style:num-format="1" text:start-value="0" text:footnotes-position="page" text:start-numbering-at="document"/>
  {_list_styles(v)}
 </office:styles>"""


def _automatic_styles(v: Variant) -> str:
    width = _A4_WIDTH_CM - 2 * v.margin_cm
    m = f"{v.margin_cm:g}cm"
    layout_props = (
        f'fo:page-width="21cm" fo:page-height="29.7cm" style:print-orientation="portrait" '
        f'fo:margin-top="1.25cm" fo:margin-bottom="1.25cm" fo:margin-left="{m}" fo:margin-right="{m}"'
    )
    sep = (
        '<style:footnote-sep style:width="0.018cm" style:distance-before-sep="0.1cm" '
        'style:distance-after-sep="0.1cm" style:line-style="solid" style:adjustment="left" '
        'style:rel-width="25%" style:color="#000000"/>'
    )
    hf = '<style:header-footer-properties fo:min-height="0.6cm" fo:margin-{0}="0.5cm"/>'
    return f"""
 <office:automatic-styles>
  <style:page-layout style:name="pm1">
   <style:page-layout-properties {layout_props}>{sep}</style:page-layout-properties>
   <style:header-style>{hf.format("bottom")}</style:header-style>
   <style:footer-style>{hf.format("top")}</style:footer-style>
  </style:page-layout>
  <style:page-layout style:name="pm2">
   <style:page-layout-properties {layout_props}>{sep}</style:page-layout-properties>
   <style:header-style/>
   <style:footer-style>{hf.format("top")}</style:footer-style>
  </style:page-layout>
  <style:style style:name="P1" style:family="paragraph" style:parent-style-name="Letterhead" style:master-page-name="First_20_Page"/>
  <style:style style:name="fr1" style:family="graphic">
   <style:graphic-properties style:vertical-pos="top" style:vertical-rel="baseline" fo:border="none" style:mirror="none"/>
  </style:style>
  <style:style style:name="THead" style:family="table">
   <style:table-properties style:width="{width:.2f}cm" table:align="left" fo:margin-bottom="0.3cm"/>
  </style:style>
  <style:style style:name="THead.A" style:family="table-column"><style:table-column-properties style:column-width="{v.label_cm:.2f}cm"/></style:style>
  <style:style style:name="THead.B" style:family="table-column"><style:table-column-properties style:column-width="{width - v.label_cm:.2f}cm"/></style:style>
  <style:style style:name="TCopy" style:family="table">
   <style:table-properties style:width="{width:.2f}cm" table:align="left" fo:margin-bottom="0.3cm" style:may-break-between-rows="true"/>
  </style:style>
  <style:style style:name="TCopy.A" style:family="table-column"><style:table-column-properties style:column-width="{v.post_cm:.2f}cm"/></style:style>
  <style:style style:name="TCopy.B" style:family="table-column"><style:table-column-properties style:column-width="{width - v.post_cm:.2f}cm"/></style:style>
  <style:style style:name="TCell" style:family="table-cell">
   <style:table-cell-properties fo:padding-left="0cm" fo:padding-right="0.19cm" fo:padding-top="0cm" fo:padding-bottom="0cm" fo:border="none"/>
  </style:style>
 </office:automatic-styles>"""


def _footer_xml(v: Variant) -> str:
    number = '<text:page-number text:select-page="current">1</text:page-number>'
    if v.footer == "page":
        return f'<text:p text:style-name="Footer">{number}</text:p>'
    return f'<text:p text:style-name="Footer">Page {number} of <text:page-count>1</text:page-count></text:p>'


def _master_styles(v: Variant, running_header: str) -> str:
    footer = _footer_xml(v)
    return f"""
 <office:master-styles>
  <style:master-page style:name="Standard" style:page-layout-name="pm1">
   <style:header><text:p text:style-name="Header">{_x(running_header)}</text:p></style:header>
   <style:footer>{footer}</style:footer>
  </style:master-page>
  <style:master-page style:name="First_20_Page" style:display-name="First Page" style:page-layout-name="pm2" style:next-style-name="Standard">
   <style:footer>{footer}</style:footer>
  </style:master-page>
 </office:master-styles>"""


def _table(name: str, style: str, rows: list[tuple[list[Run], list[Run]]], *, italic_values: bool) -> str:
    """A borderless two-column table; cells wrap their text, rows are never split by hand."""
    out = [f'<table:table table:name="{name}" table:style-name="{style}">',
           f'<table:table-column table:style-name="{style}.A"/><table:table-column table:style-name="{style}.B"/>']
    for label, value in rows:
        if italic_values:
            value = [Run(r.text, True, r.note, r.link) for r in value]
        out.append(
            '<table:table-row>'
            f'<table:table-cell table:style-name="TCell" office:value-type="string"><text:p text:style-name="Table_20_Contents">{_odt_runs(label)}</text:p></table:table-cell>'
            f'<table:table-cell table:style-name="TCell" office:value-type="string"><text:p text:style-name="Table_20_Contents">{_odt_runs(value)}</text:p></table:table-cell>'
            '</table:table-row>'
        )
    out.append("</table:table>")
    return "".join(out)


def _numbered_list(blocks: list[Block], i: int) -> tuple[str, int]:
    """The run of themes and findings from ``blocks[i]`` as one two-level list, and the index
    after it. Every item carries the start value of its number in the text, so the labels the
    engine generates are the text's numbers even where the text skips or restarts one."""
    items: list[str] = []
    sub: list[str] = []
    theme: str | None = None  # the number of the open level-1 item

    def close() -> None:
        if sub:
            items.append("<text:list>" + "".join(sub) + "</text:list>")
            sub.clear()
        if theme is not None:
            items.append("</text:list-item>")

    while i < len(blocks) and blocks[i].kind in ("theme", "finding"):
        b = blocks[i]
        if b.kind == "theme":
            close()
            theme = b.number
            items.append(f'<text:list-item text:start-value="{int(b.number)}">'
                         f'<text:p text:style-name="Theme">{_odt_runs(b.runs)}</text:p>')
        else:
            major, minor = b.number.split(".")
            if theme is None or int(theme) != int(major):  # no heading for this theme: an unlabelled item
                close()
                theme = major
                items.append(f'<text:list-item text:start-value="{int(major)}">')
            sub.append(f'<text:list-item text:start-value="{int(minor)}">'
                       f'<text:p text:style-name="Finding">{_odt_runs(b.runs)}</text:p></text:list-item>')
        i += 1
    close()
    return '<text:list text:style-name="Numbering">' + "".join(items) + "</text:list>", i


def _body(report: Report) -> str:
    """The body: letterhead, tables, headings, the numbered list of themes and findings (forced
    to the numbers written in the text by start values), bullet lists and paragraphs."""
    png = base64.b64encode(letterhead_png()).decode("ascii")
    out = [
        '<text:p text:style-name="P1"><draw:frame draw:style-name="fr1" draw:name="Letterhead" '
        'text:anchor-type="as-char" svg:width="8cm" svg:height="1.6cm" draw:z-index="0">'
        f'<draw:image><office:binary-data>{png}</office:binary-data></draw:image></draw:frame></text:p>'
    ]
    blocks = report.blocks
    i = 0
    tables = 0
    while i < len(blocks):
        block = blocks[i]
        if block.kind in ("header", "copy"):
            rows = []
            while i < len(blocks) and blocks[i].kind == block.kind:
                rows.append((blocks[i].label, blocks[i].runs))
                i += 1
            tables += 1
            # the copy list's names are italic in every report, marked up or not
            style = "THead" if block.kind == "header" else "TCopy"
            out.append(_table(f"Table{tables}", style, rows, italic_values=block.kind == "copy"))
            continue
        if block.kind in ("theme", "finding"):
            xml, i = _numbered_list(blocks, i)
            out.append(xml)
            continue
        if block.kind == "bullet":
            items = []
            while i < len(blocks) and blocks[i].kind == "bullet":
                items.append(f'<text:list-item><text:p text:style-name="Bullet">{_odt_runs(blocks[i].runs)}</text:p></text:list-item>')
                i += 1
            out.append('<text:list text:style-name="Bullets">' + "".join(items) + "</text:list>")
            continue
        if block.kind == "title":
            out.append(f'<text:h text:style-name="Title" text:outline-level="1">{_odt_runs(block.runs)}</text:h>')
        elif block.kind == "heading":
            out.append(f'<text:h text:style-name="Heading_20_2" text:outline-level="2">{_odt_runs(block.runs)}</text:h>')
        elif block.kind == "note":
            out.append(f'<text:p text:style-name="Footnote">{_odt_runs(block.runs)}</text:p>')
        else:
            out.append(f'<text:p text:style-name="Text_20_body">{_odt_runs(block.runs)}</text:p>')
        i += 1
    return "\n".join(out)


def make_fodt(text: str, *, variant: int) -> str:
    """The report laid out as a LibreOffice flat ODT (one XML file), ready for ``soffice``."""
    v = _variant(variant)
    report = parse_rendering(text, curly=v.curly)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<office:document {_NS} office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">'
        f"<office:meta><dc:title>{_x(report.title)}</dc:title><dc:language>en-GB</dc:language></office:meta>"
        f"{_styles(v)}{_automatic_styles(v)}{_master_styles(v, report.short_title)}"
        f"<office:body><office:text>\n{_body(report)}\n</office:text></office:body></office:document>\n"
    )


# --- LibreOffice: conversion --------------------------------------------------------------------


def _pdf_filter(tagged: bool) -> str:
    value = "true" if tagged else "false"
    return f'pdf:writer_pdf_Export:{{"UseTaggedPDF":{{"type":"boolean","value":"{value}"}}}}'


def convert_fodts(
    sources: Sequence[Path], out_dir: Path, *, tagged: bool, soffice: str = "soffice",
    profile_dir: Path | None = None, timeout: float = 600,
) -> list[Path]:
    """Convert many documents to PDF in ONE soffice run (starting soffice costs seconds).

    The run uses its own user profile (``profile_dir`` or a fresh temporary one) so it neither
    disturbs nor waits for any other soffice. Returns the PDFs in the order of ``sources``;
    raises RuntimeError naming the ones soffice did not write."""
    if not sources:
        return []
    out_dir.mkdir(parents=True, exist_ok=True)
    own_profile = profile_dir is None
    profile = Path(tempfile.mkdtemp(prefix="sqsgraph-lo-")) if profile_dir is None else profile_dir
    try:
        cmd = [
            soffice, "--headless", "--norestore", "--nologo", f"-env:UserInstallation={profile.resolve().as_uri()}",
            "--convert-to", _pdf_filter(tagged), "--outdir", str(out_dir), *map(str, sources),
        ]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    finally:
        if own_profile:
            shutil.rmtree(profile, ignore_errors=True)
    pdfs = [out_dir / (Path(s).stem + ".pdf") for s in sources]
    missing = [p.name for p in pdfs if not p.exists()]
    if missing:
        raise RuntimeError(f"soffice did not write {missing} (exit {done.returncode}): {done.stderr.strip()[:500]}")
    return pdfs


@dataclass(frozen=True)
class LoJob:
    """One LibreOffice PDF to make: the text rendering, the variant, tagged or not, the file name."""

    text: str
    variant: int
    tagged: bool
    pdf_name: str


def make_lo_pdfs(jobs: Sequence[LoJob], out_dir: Path, *, soffice: str = "soffice") -> list[Path]:
    """Make every job's PDF with at most two soffice runs (one for tagged, one for untagged
    output, since the export option applies to a whole run). Returns paths in job order."""
    out_dir.mkdir(parents=True, exist_ok=True)
    result: dict[int, Path] = {}
    with tempfile.TemporaryDirectory(prefix="sqsgraph-fodt-") as tmp:
        for tagged in (True, False):
            chosen = [(k, j) for k, j in enumerate(jobs) if j.tagged == tagged]
            if not chosen:
                continue
            src_dir = Path(tmp) / ("tagged" if tagged else "untagged")
            src_dir.mkdir()
            sources = []
            for _, job in chosen:
                source = src_dir / (Path(job.pdf_name).stem + ".fodt")
                source.write_text(make_fodt(job.text, variant=job.variant), encoding="utf-8")
                sources.append(source)
            made = convert_fodts(sources, src_dir / "pdf", tagged=tagged, soffice=soffice)
            for (k, job), pdf in zip(chosen, made, strict=True):
                target = out_dir / job.pdf_name
                shutil.move(str(pdf), target)
                result[k] = target
    return [result[k] for k in range(len(jobs))]


# --- reportlab ----------------------------------------------------------------------------------


def make_reportlab_pdf(text: str, path: str | Path, *, variant: int = 0) -> Path:
    """The report drawn by reportlab's platypus: a second, fast producer (no soffice), untagged.

    Findings are paragraphs with a bullet label, which reportlab draws as its own text object at
    the bullet indent, apart from the text; the footnote is drawn at the foot of the page where
    the paragraph holding its mark was drawn, above "Page N"."""
    v = _variant(variant)
    target = Path(path)
    _render_reportlab(parse_rendering(text, curly=v.curly), target, v)
    return target


def _rl_markup(runs: Iterable[Run]) -> str:
    """Runs as reportlab Paragraph markup; a footnote mark is a <super> figure (raised, smaller)."""
    out: list[str] = []
    for run in runs:
        body = _x(run.text)
        if run.note is not None:
            out.append(f"<super>{body}</super>")
            continue
        if run.link:
            href = run.text if "://" in run.text else "http://" + run.text
            body = f'<a href={quoteattr(href)}>{body}</a>'
        out.append(f"<i>{body}</i>" if run.italic else body)
    return "".join(out)


def _render_reportlab(report: Report, target: Path, v: Variant) -> None:
    """Lay ``report`` out with platypus. Standard (unembedded) PDF fonts keep files small and
    the run fast; Helvetica stands for the Arial-like variants and Times for the serif one."""
    from reportlab.lib.enums import TA_JUSTIFY
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import (
        BaseDocTemplate,
        Frame,
        NextPageTemplate,
        PageTemplate,
        Paragraph,
        Spacer,
        Table,
        TableStyle,
    )

    serif = v.generic == "roman"
    regular, bold, italic = ("Times-Roman", "Times-Bold", "Times-Italic") if serif else ("Helvetica", "Helvetica-Bold", "Helvetica-Oblique")
    size = v.size_pt
    small = max(size - 2.5, 8)
    body = ParagraphStyle("body", fontName=regular, fontSize=size, leading=size * 1.25, alignment=TA_JUSTIFY, spaceAfter=size * 0.6)
    title = ParagraphStyle("title", parent=body, fontName=bold, fontSize=size + 1, leading=(size + 1) * 1.25, spaceBefore=6, spaceAfter=10)
    heading = ParagraphStyle("heading", parent=body, fontName=bold, spaceBefore=4, spaceAfter=8, keepWithNext=1)
    theme = ParagraphStyle("theme", parent=heading, leftIndent=1.27 * cm, bulletIndent=0, bulletFontName=bold, bulletFontSize=size)
    finding = ParagraphStyle("finding", parent=body, leftIndent=1.27 * cm, bulletIndent=0, bulletFontName=regular, bulletFontSize=size)
    bullet = ParagraphStyle("bullet", parent=body, leftIndent=1.27 * cm, bulletIndent=0.635 * cm, bulletFontName=regular, spaceAfter=size * 0.3)
    cell = ParagraphStyle("cell", parent=body, alignment=0, spaceAfter=0, leading=size * 1.15)
    note_style = ParagraphStyle("note", parent=body, fontSize=small, leading=small * 1.2, leftIndent=0.3 * cm, firstLineIndent=-0.3 * cm, spaceAfter=0)

    margin = v.margin_cm * cm
    width = A4[0] - 2 * margin
    notes = [(r.text, r.note) for b in report.blocks for r in b.runs if r.note]
    note_paras = {num: Paragraph(f"<super>{_x(num)}</super> {_x(text)}", note_style) for num, text in notes}
    note_height = sum(p.wrap(width, A4[1])[1] for p in note_paras.values())
    footer_zone = 1.6 * cm
    bottom = footer_zone + (note_height + 0.5 * cm if note_paras else 0)
    letterhead_h = 1.6 * cm
    drawn_on: dict[str, int] = {}

    class MarkedParagraph(Paragraph):  # type: ignore[misc]  # reportlab has no type information: Paragraph is Any
        """A paragraph holding footnote marks: it notes the page it is drawn on, so the page's
        end can draw the notes at its foot. Split halves are the same class; the first wins."""

        marks: tuple[str, ...] = ()

        def draw(self) -> None:
            super().draw()
            for mark in type(self).marks:
                drawn_on.setdefault(mark, self.canv.getPageNumber())

    def para(markup: str, style: ParagraphStyle, runs: list[Run], bullet_text: str | None = None) -> Paragraph:
        marks = tuple(r.text for r in runs if r.note)
        if not marks:
            return Paragraph(markup, style, bulletText=bullet_text)
        cls = type("Marked", (MarkedParagraph,), {"marks": marks})
        return cls(markup, style, bulletText=bullet_text)

    def page_end(canvas: Canvas, doc: BaseDocTemplate) -> None:
        page = canvas.getPageNumber()
        canvas.saveState()
        canvas.setFont(regular, small)
        canvas.drawCentredString(A4[0] / 2, 1.0 * cm, f"Page {page}")
        if page > 1:
            canvas.drawRightString(A4[0] - margin, A4[1] - 1.0 * cm, report.short_title)
        here = [num for num, p in drawn_on.items() if p == page]
        if here:
            y = footer_zone + note_height
            canvas.setLineWidth(0.5)
            canvas.line(margin, y + 0.25 * cm, margin + width / 4, y + 0.25 * cm)
            for num in here:
                p = note_paras[num]
                _, h = p.wrap(width, A4[1])
                p.drawOn(canvas, margin, y - h)
                y -= h
        canvas.restoreState()

    def first_page(canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        x0 = A4[0] - margin - 8 * cm if v.letterhead_right else margin
        top = A4[1] - 1.25 * cm
        canvas.setFillColorRGB(0x1F / 255, 0x2A / 255, 0x5C / 255)
        canvas.rect(x0, top - letterhead_h, letterhead_h, letterhead_h, stroke=0, fill=1)
        canvas.rect(x0, top - letterhead_h, 8 * cm, 0.1 * cm, stroke=0, fill=1)
        canvas.setStrokeColorRGB(0xC8 / 255, 0xA2 / 255, 0x3C / 255)
        canvas.setLineWidth(2)
        canvas.circle(x0 + letterhead_h / 2, top - letterhead_h / 2, letterhead_h * 0.36, stroke=1, fill=0)
        canvas.line(x0 + letterhead_h + 0.2 * cm, top - letterhead_h / 2, x0 + 8 * cm - 0.2 * cm, top - letterhead_h / 2)
        canvas.restoreState()

    doc = BaseDocTemplate(str(target), pagesize=A4, leftMargin=margin, rightMargin=margin, topMargin=1.8 * cm,
                          bottomMargin=bottom, title=report.title, author="", creator="sqsgraph pdfmake (reportlab)")
    height_later = A4[1] - 1.8 * cm - bottom
    first_top = 1.25 * cm + letterhead_h + 0.5 * cm
    doc.addPageTemplates([
        PageTemplate("First", [Frame(margin, bottom, width, A4[1] - first_top - bottom, id="f1", leftPadding=0, rightPadding=0)],
                     onPage=first_page, onPageEnd=page_end),
        PageTemplate("Later", [Frame(margin, bottom, width, height_later, id="f2", leftPadding=0, rightPadding=0)], onPageEnd=page_end),
    ])
    plain = TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                        ("RIGHTPADDING", (0, 0), (-1, -1), 6), ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)])
    story: list[Flowable] = [NextPageTemplate("Later")]
    blocks = report.blocks
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if block.kind in ("header", "copy"):
            rows = []
            while i < len(blocks) and blocks[i].kind == block.kind:
                runs = blocks[i].runs
                if block.kind == "copy":  # names italic, marked up or not
                    runs = [Run(r.text, True, r.note, r.link) for r in runs]
                rows.append([Paragraph(_rl_markup(blocks[i].label), cell), Paragraph(_rl_markup(runs), cell)])
                i += 1
            first = (v.label_cm if block.kind == "header" else v.post_cm) * cm
            story += [Table(rows, colWidths=[first, width - first], style=plain, hAlign="LEFT", splitByRow=1), Spacer(1, size * 0.6)]
            continue
        markup = _rl_markup(block.runs)
        if block.kind == "title":
            story.append(para(markup, title, block.runs))
        elif block.kind == "heading":
            story.append(para(markup, heading, block.runs))
        elif block.kind == "theme":
            story.append(para(markup, theme, block.runs, f"{block.number}."))
        elif block.kind == "finding":
            story.append(para(markup, finding, block.runs, f"{block.number}."))
        elif block.kind == "bullet":
            story.append(para(markup, bullet, block.runs, "•"))
        elif block.kind == "note":
            story.append(Paragraph(markup, note_style))
        else:
            story.append(para(markup, body, block.runs))
        i += 1
    doc.build(story)
