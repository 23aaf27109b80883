"""Stand-in PDFs of the sample reports, made with reportlab, laid out the way the published
reports are (as far as text extraction can tell):

* the header as a two-column table (label | value), the title as a heading;
* justified paragraphs wrapped by the page, a running header at the top of every page (the web
  page title, as a browser prints it) and a "Page N of M" footer;
* findings with the number hanging at an x of its own: a two-column table row per finding
  (``layout="table"``) or a paragraph with the number as its bullet (``layout="hanging"``);
* footnote marks raised and small after the word, the footnote body at the foot of the page
  where the mark is;
* key strengths with "•" bullets, areas for improvement with Word's Symbol bullet U+F0B7;
* ligatures ﬁ ﬂ in the words that have them (``ligatures=True``), typographic quotes;
* the copy list as a two-column table.

Only the sample's structure is read here (the light markup of ``sqsgraph/samples``), not the
parser's model, so the PDFs do not inherit the parser's mistakes.
"""

from __future__ import annotations

import re
from pathlib import Path

from renderings import curl

_HEADER = re.compile(r"^(?:<i>)?(To|Copy to|From|Publication date):(?:</i>)?\t(\S.*)$")
_TITLE = re.compile(r"^Report of (Short Quality Screening) \(SQS\) of (youth offending work in .+?)\s*$")
_FINDING = re.compile(r"^- (\d+\.\d+)\.?\s+(.*)$")
_BULLET = re.compile(r"^- (.*)$")
_FOOTNOTE = re.compile(r"^([¹²³⁴⁵⁶⁷⁸⁹]+)\s+(.*)$")
_COPY = re.compile(r"^([^\t]+)\t(.*)$")
_HEADING = re.compile(
    r"^(?:Context|Summary|Commentary on the inspection.*|\d\. .{3,80}|Operational management|Key strengths|"
    r"Areas requiring improvement|Copy to:)$"
)
_SUPER = str.maketrans("¹²³⁴⁵⁶⁷⁸⁹", "123456789")

FONT = "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"
BOLD = "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _inline(text: str, ligatures: bool) -> str:
    """Sample markup as reportlab paragraph markup: italics kept, footnote marks raised."""
    text = re.sub(r"<((?:https?://|www\.)[^<>\s]+)>", r"\1", text)
    text = text.replace("*", "")
    parts = re.split(r"(</?i>)", text)
    out = []
    for p in parts:
        if p in ("<i>", "</i>"):
            out.append(p)
            continue
        p = curl(p)
        if ligatures:
            p = p.replace("fi", "\ufb01").replace("fl", "\ufb02")
        p = _esc(p)
        p = re.sub(r"([¹²³⁴⁵⁶⁷⁸⁹]+)", lambda m: f"<super><font size=6>{m.group(1).translate(_SUPER)}</font></super>", p)
        out.append(p)
    return "".join(out)


def make_pdf(sample_text: str, out: Path, layout: str = "table", ligatures: bool = False) -> Path:
    from reportlab.lib.enums import TA_JUSTIFY
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import (
        Flowable,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    pdfmetrics.registerFont(TTFont("LS", FONT))
    pdfmetrics.registerFont(TTFont("LSB", BOLD))
    pdfmetrics.registerFontFamily("LS", normal="LS", bold="LSB", italic="LS", boldItalic="LSB")
    body = ParagraphStyle("body", fontName="LS", fontSize=10.5, leading=13, alignment=TA_JUSTIFY, spaceAfter=6)
    heading = ParagraphStyle("h", parent=body, fontName="LSB", fontSize=12, spaceBefore=6)
    hanging = ParagraphStyle("hang", parent=body, leftIndent=12 * mm, bulletIndent=0)
    bullet = ParagraphStyle("bul", parent=body, leftIndent=8 * mm, bulletIndent=2 * mm)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=9.5, alignment=0)

    lines = sample_text.splitlines()

    def _copy_table(rows):
        t = Table(list(rows), colWidths=[85 * mm, 80 * mm], hAlign="LEFT")
        t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
        return t
    title = next((_TITLE.match(line.strip()) for line in lines if _TITLE.match(line.strip())), None)
    running = f"{title.group(1)} of {title.group(2)} - HM Inspectorate of Probation" if title else ""
    footnotes = {m.group(1).translate(_SUPER): m.group(2) for line in lines if (m := _FOOTNOTE.match(line))}

    class Anchor(Flowable):
        """Zero-size: asks for the footnote to be drawn at the foot of the page it lands on."""

        def __init__(self, mark: str) -> None:
            super().__init__()
            self.mark = mark

        def wrap(self, *_):
            return 0, 0

        def draw(self):
            self.canv._pending_notes = getattr(self.canv, "_pending_notes", []) + [self.mark]

    story: list = []
    header_rows: list = []
    copy_rows: list = []
    in_copy = False
    bullet_char = "•"

    def flush_header():
        if header_rows:
            t = Table(header_rows, colWidths=[40 * mm, 120 * mm], hAlign="LEFT")
            t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
            story.extend([t, Spacer(1, 8)])
            header_rows.clear()

    for raw in lines:
        line = raw.rstrip()
        h = _HEADER.match(line)
        if h and not in_copy:
            header_rows.append([Paragraph(f"<i>{h.group(1)}:</i>", body), Paragraph(_inline(h.group(2), ligatures), body)])
            continue
        flush_header()
        if not line.strip() or _FOOTNOTE.match(line):
            continue
        s = line.strip()
        if in_copy and _COPY.match(line) and not s.startswith("Note"):
            post, holders = _COPY.match(line).groups()
            copy_rows.append([Paragraph(_inline(post, ligatures), body), Paragraph(_inline(holders, ligatures), body)])
            continue
        if copy_rows:
            story.append(_copy_table(copy_rows))
            copy_rows.clear()
        if _TITLE.match(s):
            story.append(Paragraph(_inline(s, ligatures), heading))
            continue
        if _HEADING.match(s):
            in_copy = s == "Copy to:"
            story.append(Paragraph(_inline(s, ligatures), heading))
            continue
        f = _FINDING.match(s)
        if f:
            number, text = f.group(1) + ".", _inline(f.group(2), ligatures)
            if layout == "table":
                t = Table([[Paragraph(number, body), Paragraph(text, body)]], colWidths=[14 * mm, 146 * mm], hAlign="LEFT")
                t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
                story.append(t)
            else:
                story.append(Paragraph(text, hanging, bulletText=number))
        elif _BULLET.match(s):
            story.append(Paragraph(_inline(_BULLET.match(s).group(1), ligatures), bullet, bulletText=bullet_char,
                                   ))
        else:
            story.append(Paragraph(_inline(s, ligatures), body))
        for mark in re.findall(r"[¹²³⁴⁵⁶⁷⁸⁹]", s):
            story.append(Anchor(mark.translate(_SUPER)))
    flush_header()
    if copy_rows:
        story.append(_copy_table(copy_rows))

    from reportlab.pdfgen import canvas as rl_canvas


    class Canvas(rl_canvas.Canvas):
        """Draws the running header, the footnotes and "Page N of M" once the page count is known."""

        def __init__(self, *a, **k):
            super().__init__(*a, **k)
            self._pages: list[dict] = []

        def showPage(self):
            self._pages.append({"notes": getattr(self, "_pending_notes", []), "state": dict(self.__dict__)})
            self._pending_notes = []
            self._startPage()

        def save(self):
            total = len(self._pages)
            for n, page in enumerate(self._pages, 1):
                notes = page.pop("notes")
                self.__dict__.update(page["state"])
                self.setFont("LS", 8)
                self.drawString(20 * mm, A4[1] - 12 * mm, running)
                self.drawRightString(A4[0] - 20 * mm, 12 * mm, f"Page {n} of {total}")
                y = 30 * mm
                for mark in notes:
                    p = Paragraph(
                        f"<super><font size=6>{mark}</font></super> {_inline(footnotes.get(mark, ''), ligatures)}", small
                    )
                    w, hgt = p.wrap(A4[0] - 40 * mm, 40 * mm)
                    self.line(20 * mm, y + 2, 60 * mm, y + 2)
                    p.drawOn(self, 20 * mm, y - hgt)
                    y -= hgt + 2
                super().showPage()
            super().save()

    doc = SimpleDocTemplate(str(out), pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=20 * mm,
                            bottomMargin=45 * mm, title=running)
    doc.build(story, canvasmaker=Canvas)
    return out
