"""Reports laid out by LibreOffice: a flat OpenDocument text per report (tables, numbered lists,
footnotes, page fields, a running header), converted to PDF by soffice, tagged or not.
"""

from __future__ import annotations

import base64
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from .rendering import Block, Report, Run, Variant, _variant, letterhead_png, parse_rendering

if TYPE_CHECKING:  # reportlab is optional (the pdf-make extra) and imported where it is used
    pass


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
   <style:paragraph-properties fo:text-align="{"end" if v.letterhead_right else "start"}" fo:margin-bottom="0.5cm"/>
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
    out = [
        f'<table:table table:name="{name}" table:style-name="{style}">',
        f'<table:table-column table:style-name="{style}.A"/><table:table-column table:style-name="{style}.B"/>',
    ]
    for label, value in rows:
        if italic_values:
            value = [Run(r.text, True, r.note, r.link) for r in value]
        out.append(
            "<table:table-row>"
            f'<table:table-cell table:style-name="TCell" office:value-type="string"><text:p text:style-name="Table_20_Contents">{_odt_runs(label)}</text:p></table:table-cell>'
            f'<table:table-cell table:style-name="TCell" office:value-type="string"><text:p text:style-name="Table_20_Contents">{_odt_runs(value)}</text:p></table:table-cell>'
            "</table:table-row>"
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
            items.append(
                f'<text:list-item text:start-value="{int(b.number)}"><text:p text:style-name="Theme">{_odt_runs(b.runs)}</text:p>'
            )
        else:
            major, minor = b.number.split(".")
            if theme is None or int(theme) != int(major):  # no heading for this theme: an unlabelled item
                close()
                theme = major
                items.append(f'<text:list-item text:start-value="{int(major)}">')
            sub.append(
                f'<text:list-item text:start-value="{int(minor)}">'
                f'<text:p text:style-name="Finding">{_odt_runs(b.runs)}</text:p></text:list-item>'
            )
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
        f"<draw:image><office:binary-data>{png}</office:binary-data></draw:image></draw:frame></text:p>"
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
                items.append(
                    f'<text:list-item><text:p text:style-name="Bullet">{_odt_runs(blocks[i].runs)}</text:p></text:list-item>'
                )
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


def _pdf_filter(tagged: bool) -> str:
    value = "true" if tagged else "false"
    return f'pdf:writer_pdf_Export:{{"UseTaggedPDF":{{"type":"boolean","value":"{value}"}}}}'


def convert_fodts(
    sources: Sequence[Path],
    out_dir: Path,
    *,
    tagged: bool,
    soffice: str = "soffice",
    profile_dir: Path | None = None,
    timeout: float = 600,
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
            soffice,
            "--headless",
            "--norestore",
            "--nologo",
            f"-env:UserInstallation={profile.resolve().as_uri()}",
            "--convert-to",
            _pdf_filter(tagged),
            "--outdir",
            str(out_dir),
            *map(str, sources),
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
