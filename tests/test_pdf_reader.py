"""PDF reports in, every fact out, each fact pinned to its page.

The PDFs are real layout engines' output (``tests/fixtures/pdf/``: LibreOffice with and without
tags, and reportlab; see its README), made from the five samples; a report read from its PDF must
give the same typed model as the same report read from its text, item for item.
"""

from __future__ import annotations

import io
import shutil
import unicodedata
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF

from sqsgraph.cli import main
from sqsgraph.errors import NotAReportError, ReportError, UnreadableFileError
from sqsgraph.rdf.mapper import map_reports
from sqsgraph.read.model import Report
from sqsgraph.read.parser import parse_file, parse_report
from sqsgraph.read.reader import read_report_bytes, read_report_file, sample_paths
from sqsgraph.synth.pdf import LoJob, make_lo_pdfs, make_reportlab_pdf

FIXTURES = Path(__file__).parent / "fixtures" / "pdf"
PDFS = sorted(FIXTURES.glob("*.pdf"))
SAMPLES = {p.stem: p for p in sample_paths()}
SQS = Namespace("https://w3id.org/sqsgraph/ontology#")
OA = Namespace("http://www.w3.org/ns/oa#")

_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})


def facts(report: Report) -> dict[str, Any]:
    """What a report says, without where: every field of the JSON contract but spans, the file
    and warnings, wording as NFKC with plain quotes (some of the PDFs curl them)."""

    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items() if k not in ("span", "source", "warnings")}
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, str):
            return unicodedata.normalize("NFKC", value).translate(_QUOTES)
        return value

    return plain(report.to_json())


def sample_of(pdf: Path) -> Path:
    return SAMPLES["-".join(pdf.stem.split("-")[:2])]


def read(pdf: Path) -> Report:
    result = read_report_file(pdf)
    return parse_report(result.document, result.warnings)


@pytest.mark.parametrize("pdf", PDFS, ids=lambda p: p.stem)
def test_a_pdf_gives_the_same_report_as_its_text(pdf: Path) -> None:
    from_pdf = read(pdf)
    assert facts(from_pdf) == facts(parse_file(sample_of(pdf)))
    assert from_pdf.warnings == []
    assert from_pdf.source.media_type == "application/pdf"


@pytest.mark.parametrize("pdf", PDFS, ids=lambda p: p.stem)
def test_no_page_furniture_enters_the_text(pdf: Path) -> None:
    report = read(pdf)
    texts = [f.text for f in report.findings] + [i.text for i in report.key_strengths + report.areas_for_improvement]
    for text in texts:
        assert "Page " not in text and "Report of Short Quality" not in text
    phrases = [p.phrase for f in report.findings for p in f.proportions]
    assert not [p for p in phrases if p.lower().startswith("page")]


def test_the_derived_text_is_deterministic_and_what_parse_text_prints(tmp_path: Path) -> None:
    from click.testing import CliRunner

    pdf = FIXTURES / "kent-2014-lo-tagged.pdf"
    first = read_report_file(pdf).document.text
    assert read_report_bytes(pdf.read_bytes(), "again.pdf").document.text == first
    result = CliRunner().invoke(main, ["parse", "--text", str(pdf)])
    assert result.exit_code == 0
    assert result.stdout == first
    # the header block comes out as the table it is: label, tab, value
    assert first.splitlines()[0].startswith("To:\t")


def test_every_box_lies_on_its_page_and_covers_its_text() -> None:
    pdf = FIXTURES / "bedfordshire-2014-lo-untagged.pdf"
    doc = read_report_file(pdf).document
    document = pdfium.PdfDocument(str(pdf))
    pages = {i + 1: document[i] for i in range(len(document))}
    assert doc.boxes and [b.start for b in doc.boxes] == sorted(b.start for b in doc.boxes)
    for box in doc.boxes[::7]:
        page = pages[box.page]
        width, height = page.get_size()
        assert 0 <= box.left and box.left + box.width <= width and 0 <= box.top and box.top + box.height <= height
        # the PDF's own text inside the box (PDF space: origin at the bottom left) is the stretch's text
        inside = page.get_textpage().get_text_bounded(
            box.left - 1, height - box.top - box.height - 1, box.left + box.width + 1, height - box.top + 1
        )
        words = doc.text[box.start : box.end].split()
        squeezed = "".join(inside.split())
        assert all(w.strip("•") in squeezed for w in words[:3] + words[-3:] if w.strip("•")), (box, inside)


def _union(reports: list[Report]) -> Graph:
    g = Graph()
    for s, p, o, _ in map_reports(reports).quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def _graph_of(pdf: Path) -> Graph:
    return _union([read(pdf)])


def test_every_fact_from_a_pdf_points_to_its_pages() -> None:
    pdf = FIXTURES / "kent-2014-lo-tagged.pdf"
    g = _graph_of(pdf)
    with_text = set(g.subjects(SQS.textSpan, None))
    with_pages = set(g.subjects(SQS.pageSpan, None))
    assert with_text and with_text == with_pages
    source = next(g.objects(predicate=OA.hasSource, subject=next(g.objects(next(iter(with_pages)), SQS.pageSpan))))
    assert (source, DCTERMS["format"], None) in g
    assert str(next(g.objects(source, DCTERMS["format"]))) == "application/pdf"
    # the text spans count in the derived text, which was derived from the PDF
    derived = {o for s in with_text for span in g.objects(s, SQS.textSpan) for o in g.objects(span, OA.hasSource)}
    assert len(derived) == 1
    (derived_text,) = derived
    assert (derived_text, RDF.type, SQS.DerivedText) in g and (derived_text, PROV.wasDerivedFrom, source) in g
    for selector in g.subjects(RDF.type, OA.FragmentSelector):
        assert (selector, DCTERMS.conformsTo, URIRef("http://tools.ietf.org/rfc/rfc3778")) in g
        value = str(next(g.objects(selector, RDF.value)))
        page = int(next(g.objects(selector, SQS.pageNumber)))
        assert value.startswith(f"page={page}&viewrect=")


def test_the_lead_inspector_is_found_on_the_last_page_inside_the_box() -> None:
    pdf = FIXTURES / "kent-2014-lo-tagged.pdf"
    report = read(pdf)
    g = _union([report])
    lead = report.lead_inspector
    assert lead is not None
    (node,) = [s for s, o in g.subject_objects(SQS.textSpan) if str(s).endswith("/lead-inspector")]
    (pages,) = g.objects(node, SQS.pageSpan)
    (selector,) = g.objects(pages, OA.hasSelector)
    value = str(next(g.objects(selector, RDF.value)))
    page_number = int(value.split("&")[0].removeprefix("page="))
    left, top, width, height = (float(v) for v in value.split("viewrect=")[1].split(","))
    document = pdfium.PdfDocument(str(pdf))
    assert page_number == len(document) - 1 or page_number == len(document)
    page = document[page_number - 1]
    page_height = page.get_size()[1]
    inside = page.get_textpage().get_text_bounded(
        left - 2, page_height - top - height - 2, left + width + 2, page_height - top + 2
    )
    assert lead.name in " ".join(inside.split())
    assert len(inside.strip()) <= len(lead.name) + 2  # the box is the name, not the line it stands in


def test_a_rotated_page_keeps_its_facts_and_boxes_count_as_displayed(tmp_path: Path) -> None:
    """A page stored landscape with /Rotate 90 and its content turned to be read upright (as a
    scanner or a printer driver writes it): the same facts, boxes in the page as displayed."""
    from pypdf import PdfReader, PdfWriter, Transformation
    from pypdf.generic import RectangleObject

    source = FIXTURES / "thurrock-2015-rl.pdf"
    writer = PdfWriter(clone_from=PdfReader(source))
    for page in writer.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        page.add_transformation(Transformation().rotate(90).translate(height, 0))
        page.mediabox = page.cropbox = RectangleObject([0, 0, height, width])
        page.rotate(90)
    rotated = tmp_path / "rotated.pdf"
    with rotated.open("wb") as fh:
        writer.write(fh)
    assert facts(read(rotated)) == facts(read(source))
    doc = read_report_file(rotated).document
    shown_width, shown_height = pdfium.PdfDocument(str(rotated))[0].get_size()
    assert shown_height > shown_width  # displayed upright again, portrait
    assert all(b.left + b.width <= shown_width + 0.5 and b.top + b.height <= shown_height + 0.5 for b in doc.boxes)
    assert [(b.page, round(b.left), round(b.top)) for b in doc.boxes] == [
        (b.page, round(b.left), round(b.top)) for b in read_report_file(source).document.boxes
    ]


def test_a_pdf_made_now_by_libreoffice_reads_like_its_text(tmp_path: Path) -> None:
    """Not only the committed fixtures: LibreOffice lays a sample out afresh."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed; .ci/run installs it")
    text = SAMPLES["barnet-2014"].read_text(encoding="utf-8")
    (tagged, untagged) = make_lo_pdfs([LoJob(text, 2, True, "b-t.pdf"), LoJob(text, 1, False, "b-u.pdf")], tmp_path)
    expected = facts(parse_file(SAMPLES["barnet-2014"]))
    assert facts(read(tagged)) == expected
    assert facts(read(untagged)) == expected


def test_a_synthetic_report_reads_the_same_from_its_pdf(tmp_path: Path) -> None:
    from sqsgraph.synth.corpus import CorpusGenerator

    for k, report in enumerate(CorpusGenerator(3).reports(6, renderings=("markup",))):
        pdf = make_reportlab_pdf(report.text, tmp_path / f"{k}.pdf", variant=k % 3)
        txt = tmp_path / f"{k}.txt"
        txt.write_text(report.text, encoding="utf-8")
        assert facts(read(pdf)) == facts(parse_file(txt)), report.file_name


# ---------------------------------------------------------------- bad and odd PDFs


def _bytes(pdf: Path) -> bytes:
    return pdf.read_bytes()


GOOD = FIXTURES / "cumbria-2016-rl.pdf"


def test_an_empty_pdf_is_named_as_empty() -> None:
    with pytest.raises(ReportError, match=r"x\.pdf: the file is empty"):
        read_report_bytes(b"", "x.pdf")


@pytest.mark.parametrize("damage", ["truncated", "garbage"])
def test_a_damaged_pdf_is_named_with_its_problem(damage: str) -> None:
    data = _bytes(GOOD)
    data = data[: len(data) // 3] if damage == "truncated" else b"%PDF-1.7\n" + bytes(range(256)) * 40
    with pytest.raises(ReportError) as caught:
        parse_report(read_report_bytes(data, "broken.pdf").document)
    assert str(caught.value).startswith("broken.pdf: ")
    assert "binary data" not in str(caught.value)


def test_a_file_named_pdf_that_is_not_one_says_so() -> None:
    with pytest.raises(UnreadableFileError, match=r"notes\.pdf: named \.pdf but not a PDF"):
        read_report_bytes(b"just some words\n", "notes.pdf")


def _encrypted(user: str, owner: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(GOOD))
    writer.encrypt(user_password=user, owner_password=owner, permissions_flag=0)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_pdf_that_needs_a_password_is_refused_with_that_reason() -> None:
    with pytest.raises(UnreadableFileError, match=r"locked\.pdf: the PDF needs a password to open"):
        read_report_bytes(_encrypted("secret", "owner"), "locked.pdf")


def test_a_pdf_with_only_an_owner_password_is_read() -> None:
    result = read_report_bytes(_encrypted("", "owner"), "restricted.pdf")
    assert facts(parse_report(result.document)) == facts(parse_file(SAMPLES["cumbria-2016"]))


def test_a_pdf_with_a_document_open_javascript_action_is_read_and_the_script_not_run() -> None:
    from pypdf import PdfReader, PdfWriter
    from pypdf.actions import JavaScript

    writer = PdfWriter(clone_from=PdfReader(GOOD))
    writer.add_open_action(JavaScript("app.alert('opened'); this.print();"))
    out = io.BytesIO()
    writer.write(out)
    assert b"/JavaScript" in out.getvalue()
    result = read_report_bytes(out.getvalue(), "script.pdf")
    assert facts(parse_report(result.document)) == facts(parse_file(SAMPLES["cumbria-2016"]))


def test_object_streams_and_a_compressed_cross_reference_table_are_read() -> None:
    pikepdf = pytest.importorskip("pikepdf")
    out = io.BytesIO()
    with pikepdf.open(GOOD) as pdf:
        pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True)
    data = out.getvalue()
    assert b"/ObjStm" in data and b"/XRef" in data
    result = read_report_bytes(data, "compact.pdf")
    assert facts(parse_report(result.document)) == facts(parse_file(SAMPLES["cumbria-2016"]))


def _reportlab_pdf(draw) -> bytes:  # type: ignore[no-untyped-def]
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out)
    draw(c)
    c.save()
    return out.getvalue()


def test_a_scan_with_no_text_layer_says_run_ocr_first() -> None:
    from reportlab.lib.utils import ImageReader

    from sqsgraph.synth.pdf import letterhead_png

    def scan(c) -> None:  # type: ignore[no-untyped-def]
        for _ in range(3):
            c.drawImage(ImageReader(io.BytesIO(letterhead_png())), 50, 300, width=500, height=400)
            c.showPage()

    with pytest.raises(NotAReportError, match=r"scan\.pdf: no text layer: a scanned image\? run OCR first, e\.g\. ocrmypdf"):
        read_report_bytes(_reportlab_pdf(scan), "scan.pdf")


def test_a_pdf_that_is_not_an_sqs_report_is_named_as_such() -> None:
    def letter(c) -> None:  # type: ignore[no-untyped-def]
        c.drawString(72, 720, "Dear colleague,")
        c.drawString(72, 700, "Thank you for your letter about the summer fair.")

    result = read_report_bytes(_reportlab_pdf(letter), "letter.pdf")
    with pytest.raises(NotAReportError, match=r"letter\.pdf: not an SQS report"):
        parse_report(result.document)


def test_a_pdf_of_hundreds_of_pages_is_refused_before_it_is_read() -> None:
    def book(c) -> None:  # type: ignore[no-untyped-def]
        for n in range(300):
            c.drawString(72, 720, f"Chapter {n}")
            c.showPage()

    with pytest.raises(NotAReportError, match=r"book\.pdf: the PDF has 300 pages; SQS reports have under 20"):
        read_report_bytes(_reportlab_pdf(book), "book.pdf")


# ---------------------------------------------------------------- folders of PDFs, from the command line


def _run(*args: str):  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    return CliRunner().invoke(main, list(args))


def test_build_on_a_folder_of_pdfs_builds_them_not_the_samples(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    for name in ("kent-2014-lo-tagged.pdf", "thurrock-2015-rl.pdf"):
        shutil.copy(FIXTURES / name, reports / name)
    (reports / "notes.docx").write_bytes(b"PK\x03\x04 not a report")
    (reports / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    result = _run("build", str(reports), "-o", str(tmp_path / "out"), "--no-views", "--no-docs")
    assert result.exit_code == 0, result.output
    assert "reports: 2," in result.stdout
    assert f"note: skipped 1 file(s) that are not reports (.txt/.text/.md/.pdf): {reports / 'notes.docx'}" in result.stderr
    nq = (tmp_path / "out" / "sqsgraph.nq").read_text(encoding="utf-8")
    assert "kent-2014-06-18" in nq and "thurrock" in nq and "barnet" not in nq
    assert "page=" in nq


def test_a_folder_with_no_report_in_it_is_an_error_and_nothing_is_written(tmp_path: Path) -> None:
    empty = tmp_path / "reps"
    empty.mkdir()
    (empty / "minutes.docx").write_bytes(b"PK")
    out = tmp_path / "out"
    out.mkdir()
    (out / "sqsgraph.nq").write_text("<a:b> <a:c> <a:d> .\n", encoding="utf-8")
    result = _run("build", str(empty), "-o", str(out))
    assert result.exit_code == 1
    assert f"error: {empty}: no report files (.txt, .text, .md, .pdf) in this folder; it holds: minutes.docx" in result.stderr
    assert "bundled" not in result.output + result.stderr
    assert (out / "sqsgraph.nq").read_text(encoding="utf-8") == "<a:b> <a:c> <a:d> .\n"


def test_a_pdf_and_its_own_text_are_one_report_built_once_from_the_pdf(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    shutil.copy(FIXTURES / "thurrock-2015-lo-untagged.pdf", reports / "thurrock.pdf")
    shutil.copy(SAMPLES["thurrock-2015"], reports / "thurrock.txt")
    result = _run("build", str(reports), "-o", str(tmp_path / "out"), "--no-views", "--no-docs")
    assert result.exit_code == 0, result.output
    assert "reports: 1," in result.stdout
    assert (
        f"note: same report: {reports / 'thurrock.txt'} says what {reports / 'thurrock.pdf'} says; "
        f"built once, from {reports / 'thurrock.pdf'}"
    ) in result.stderr


def test_one_bad_pdf_does_not_lose_the_others(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    shutil.copy(GOOD, reports / "good.pdf")
    (reports / "bad.pdf").write_bytes(_bytes(GOOD)[:2000])
    result = _run("build", str(reports), "-o", str(tmp_path / "out"), "--no-views", "--no-docs")
    assert result.exit_code == 1
    assert "reports: 1," in result.stdout
    assert f"error: {reports / 'bad.pdf'}: " in result.stderr
