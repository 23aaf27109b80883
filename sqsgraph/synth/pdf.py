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

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import quoteattr

from .odt import LoJob, _x, convert_fodts, make_fodt, make_lo_pdfs
from .rendering import VARIANTS, Block, Report, Run, Variant, _variant, curl_quotes, letterhead_png, parse_rendering

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
    first_top = 1.25 * cm + letterhead_h + 0.5 * cm
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
    plain = TableStyle(
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 6),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]
    )
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
            story += [
                Table(rows, colWidths=[first, width - first], style=plain, hAlign="LEFT", splitByRow=1),
                Spacer(1, size * 0.6),
            ]
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
