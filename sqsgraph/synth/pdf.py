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

The rendering's blocks and the variants are in ``rendering``, the LibreOffice path in ``odt``;
this module lays reports out with reportlab and is where callers import all of it from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import quoteattr

from .odt import LoJob, _x, convert_fodts, make_fodt, make_lo_pdfs
from .rendering import VARIANTS, Block, Report, Run, Variant, _variant, curl_quotes, letterhead_png, parse_rendering

if TYPE_CHECKING:  # reportlab is optional (the pdf-make extra) and imported where it is used
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import BaseDocTemplate, Flowable, Paragraph


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
            body = f"<a href={quoteattr(href)}>{body}</a>"
        out.append(f"<i>{body}</i>" if run.italic else body)
    return "".join(out)


@dataclass(frozen=True)
class _RlStyles:
    """The fonts and paragraph styles of a variant."""

    regular: str
    small: float  # the notes' and the page furniture's type size
    body: ParagraphStyle
    title: ParagraphStyle
    heading: ParagraphStyle
    theme: ParagraphStyle
    finding: ParagraphStyle
    bullet: ParagraphStyle
    cell: ParagraphStyle
    note: ParagraphStyle


@dataclass
class _RlPage:
    """The page's geometry, and the footnotes drawn at the foot of the page that holds their mark."""

    margin: float
    width: float  # of the text
    footer_zone: float
    note_height: float  # of all the notes: each page leaves room for them
    bottom: float  # of the frame, above the notes and the footer
    letterhead_h: float
    note_paras: dict[str, Paragraph]
    drawn_on: dict[str, int] = field(default_factory=dict)  # mark -> the page its paragraph was drawn on


def _render_reportlab(report: Report, target: Path, v: Variant) -> None:
    """Lay ``report`` out with platypus. Standard (unembedded) PDF fonts keep files small and
    the run fast; Helvetica stands for the Arial-like variants and Times for the serif one."""
    styles = _rl_styles(v)
    page = _rl_page(report, v, styles)
    doc = _rl_document(report, target, v, styles, page)
    doc.build(_rl_story(report, v, styles, page))


def _rl_styles(v: Variant) -> _RlStyles:
    from reportlab.lib.enums import TA_JUSTIFY
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm

    serif = v.generic == "roman"
    regular, bold, italic = (
        ("Times-Roman", "Times-Bold", "Times-Italic") if serif else ("Helvetica", "Helvetica-Bold", "Helvetica-Oblique")
    )
    size = v.size_pt
    small = max(size - 2.5, 8)
    body = ParagraphStyle(
        "body", fontName=regular, fontSize=size, leading=size * 1.25, alignment=TA_JUSTIFY, spaceAfter=size * 0.6
    )
    title = ParagraphStyle(
        "title", parent=body, fontName=bold, fontSize=size + 1, leading=(size + 1) * 1.25, spaceBefore=6, spaceAfter=10
    )
    heading = ParagraphStyle("heading", parent=body, fontName=bold, spaceBefore=4, spaceAfter=8, keepWithNext=1)
    theme = ParagraphStyle(
        "theme", parent=heading, leftIndent=1.27 * cm, bulletIndent=0, bulletFontName=bold, bulletFontSize=size
    )
    finding = ParagraphStyle(
        "finding", parent=body, leftIndent=1.27 * cm, bulletIndent=0, bulletFontName=regular, bulletFontSize=size
    )
    bullet = ParagraphStyle(
        "bullet", parent=body, leftIndent=1.27 * cm, bulletIndent=0.635 * cm, bulletFontName=regular, spaceAfter=size * 0.3
    )
    cell = ParagraphStyle("cell", parent=body, alignment=0, spaceAfter=0, leading=size * 1.15)
    note_style = ParagraphStyle(
        "note", parent=body, fontSize=small, leading=small * 1.2, leftIndent=0.3 * cm, firstLineIndent=-0.3 * cm, spaceAfter=0
    )
    return _RlStyles(regular, small, body, title, heading, theme, finding, bullet, cell, note_style)


def _rl_page(report: Report, v: Variant, styles: _RlStyles) -> _RlPage:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph

    margin = v.margin_cm * cm
    width = A4[0] - 2 * margin
    notes = [(r.text, r.note) for b in report.blocks for r in b.runs if r.note]
    note_paras = {num: Paragraph(f"<super>{_x(num)}</super> {_x(text)}", styles.note) for num, text in notes}
    note_height = sum(p.wrap(width, A4[1])[1] for p in note_paras.values())
    footer_zone = 1.6 * cm
    bottom = footer_zone + (note_height + 0.5 * cm if note_paras else 0)
    return _RlPage(margin, width, footer_zone, note_height, bottom, 1.6 * cm, note_paras)


def _rl_document(report: Report, target: Path, v: Variant, styles: _RlStyles, page: _RlPage) -> BaseDocTemplate:
    """The document and its two page templates: the first with the letterhead, the later ones
    with the running header; both end with the page number and the page's footnotes."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    margin, width, bottom = page.margin, page.width, page.bottom
    doc = BaseDocTemplate(
        str(target),
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=1.8 * cm,
        bottomMargin=bottom,
        title=report.title,
        author="",
        creator="sqsgraph pdfmake (reportlab)",
    )
    height_later = A4[1] - 1.8 * cm - bottom
    first_top = 1.25 * cm + page.letterhead_h + 0.5 * cm

    def page_end(canvas: Canvas, doc: BaseDocTemplate) -> None:
        _rl_page_end(canvas, report, styles, page)

    def first_page(canvas: Canvas, doc: BaseDocTemplate) -> None:
        _rl_letterhead(canvas, v, page)

    doc.addPageTemplates(
        [
            PageTemplate(
                "First",
                [Frame(margin, bottom, width, A4[1] - first_top - bottom, id="f1", leftPadding=0, rightPadding=0)],
                onPage=first_page,
                onPageEnd=page_end,
            ),
            PageTemplate(
                "Later", [Frame(margin, bottom, width, height_later, id="f2", leftPadding=0, rightPadding=0)], onPageEnd=page_end
            ),
        ]
    )
    return doc


def _rl_page_end(canvas: Canvas, report: Report, styles: _RlStyles, page: _RlPage) -> None:
    """The page number, the running header after the first page, and the notes whose mark the
    page holds, at its foot."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm

    number = canvas.getPageNumber()
    canvas.saveState()
    canvas.setFont(styles.regular, styles.small)
    canvas.drawCentredString(A4[0] / 2, 1.0 * cm, f"Page {number}")
    if number > 1:
        canvas.drawRightString(A4[0] - page.margin, A4[1] - 1.0 * cm, report.short_title)
    here = [num for num, p in page.drawn_on.items() if p == number]
    if here:
        y = page.footer_zone + page.note_height
        canvas.setLineWidth(0.5)
        canvas.line(page.margin, y + 0.25 * cm, page.margin + page.width / 4, y + 0.25 * cm)
        for num in here:
            p = page.note_paras[num]
            _, h = p.wrap(page.width, A4[1])
            p.drawOn(canvas, page.margin, y - h)
            y -= h
    canvas.restoreState()


def _rl_letterhead(canvas: Canvas, v: Variant, page: _RlPage) -> None:
    """The first page's letterhead: a square, a rule and a ring, drawn."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm

    letterhead_h = page.letterhead_h
    canvas.saveState()
    x0 = A4[0] - page.margin - 8 * cm if v.letterhead_right else page.margin
    top = A4[1] - 1.25 * cm
    canvas.setFillColorRGB(0x1F / 255, 0x2A / 255, 0x5C / 255)
    canvas.rect(x0, top - letterhead_h, letterhead_h, letterhead_h, stroke=0, fill=1)
    canvas.rect(x0, top - letterhead_h, 8 * cm, 0.1 * cm, stroke=0, fill=1)
    canvas.setStrokeColorRGB(0xC8 / 255, 0xA2 / 255, 0x3C / 255)
    canvas.setLineWidth(2)
    canvas.circle(x0 + letterhead_h / 2, top - letterhead_h / 2, letterhead_h * 0.36, stroke=1, fill=0)
    canvas.line(x0 + letterhead_h + 0.2 * cm, top - letterhead_h / 2, x0 + 8 * cm - 0.2 * cm, top - letterhead_h / 2)
    canvas.restoreState()


def _rl_story(report: Report, v: Variant, styles: _RlStyles, page: _RlPage) -> list[Flowable]:
    """The report's blocks as platypus flowables: tables for the header and the copy list, a
    paragraph for each other block (a finding's or theme's number as its bullet label)."""
    from reportlab.platypus import NextPageTemplate, Paragraph

    para = _rl_paragraph_maker(page)
    labelled = {"title": styles.title, "heading": styles.heading}
    story: list[Flowable] = [NextPageTemplate("Later")]
    blocks = report.blocks
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if block.kind in ("header", "copy"):
            i = _rl_table(blocks, i, v, styles, page, story)
            continue
        markup = _rl_markup(block.runs)
        if block.kind in labelled:
            story.append(para(markup, labelled[block.kind], block.runs))
        elif block.kind == "theme":
            story.append(para(markup, styles.theme, block.runs, f"{block.number}."))
        elif block.kind == "finding":
            story.append(para(markup, styles.finding, block.runs, f"{block.number}."))
        elif block.kind == "bullet":
            story.append(para(markup, styles.bullet, block.runs, "•"))
        elif block.kind == "note":
            story.append(Paragraph(markup, styles.note))
        else:
            story.append(para(markup, styles.body, block.runs))
        i += 1
    return story


def _rl_table(blocks: list[Block], i: int, v: Variant, styles: _RlStyles, page: _RlPage, story: list[Flowable]) -> int:
    """The run of header or copy-list blocks from ``i`` as a two-column table (and the space
    after it) onto ``story``; the block after the run."""
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    plain = TableStyle(
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 6),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]
    )
    kind = blocks[i].kind
    rows = []
    while i < len(blocks) and blocks[i].kind == kind:
        runs = blocks[i].runs
        if kind == "copy":  # names italic, marked up or not
            runs = [Run(r.text, True, r.note, r.link) for r in runs]
        rows.append([Paragraph(_rl_markup(blocks[i].label), styles.cell), Paragraph(_rl_markup(runs), styles.cell)])
        i += 1
    first = (v.label_cm if kind == "header" else v.post_cm) * cm
    story += [
        Table(rows, colWidths=[first, page.width - first], style=plain, hAlign="LEFT", splitByRow=1),
        Spacer(1, v.size_pt * 0.6),
    ]
    return i


def _rl_paragraph_maker(page: _RlPage) -> Callable[..., Paragraph]:
    """A maker of paragraphs that, holding footnote marks, note the page they are drawn on."""
    from reportlab.platypus import Paragraph

    drawn_on = page.drawn_on

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

    return para
