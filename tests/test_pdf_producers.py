"""PDFs of the samples made by other layout engines than the fixtures' own (LibreOffice, reportlab):
WeasyPrint, Chromium (Skia), Ghostscript re-distilling, a trip through PostScript. The published
reports were made in Word; a reader tuned on one producer's habits fails on the next, so every
one of these must give the same facts as its text. ``tests/fixtures/pdf/other/README.md`` says
how each was made; the tests read the committed files and need none of those tools.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from rdflib import Namespace
from rdflib.namespace import RDF
from test_pdf_reader import _union, facts, read, sample_of

from sqsgraph.errors import NotAReportError
from sqsgraph.read.parser import parse_file
from sqsgraph.read.reader import read_report_file

OTHER = Path(__file__).parent / "fixtures" / "pdf" / "other"
UNREADABLE = {"kent-2014-ps-nounicode"}
PDFS = sorted(p for p in OTHER.glob("*.pdf") if p.stem not in UNREADABLE)
SQS = Namespace("https://w3id.org/sqsgraph/ontology#")
OA = Namespace("http://www.w3.org/ns/oa#")

#: known losses: (file stem, why)
KNOWN: dict[str, str] = {}


def _marks(pdf: Path) -> list[pytest.MarkDecorator]:
    return [pytest.mark.xfail(reason=KNOWN[pdf.stem], strict=True)] if pdf.stem in KNOWN else []


CASES = [pytest.param(p, id=p.stem, marks=_marks(p)) for p in PDFS]


def test_every_producer_is_here() -> None:
    kinds = {re.sub(r"^[a-z]+-\d{4}-", "", p.stem) for p in PDFS}
    assert kinds == {"wp", "wp-tagged", "chrome", "chrome-hf", "gs", "ps"}
    assert sum(p.stat().st_size for p in OTHER.glob("*.pdf")) < 1.5e6


@pytest.mark.parametrize("pdf", CASES)
def test_a_pdf_from_another_producer_gives_the_same_report_as_its_text(pdf: Path) -> None:
    from_pdf = read(pdf)
    assert facts(from_pdf) == facts(parse_file(sample_of(pdf)))
    assert from_pdf.warnings == []


@pytest.mark.parametrize("pdf", PDFS, ids=lambda p: p.stem)
def test_no_page_furniture_enters_the_text(pdf: Path) -> None:
    report = read(pdf)
    texts = [f.text for f in report.findings] + [i.text for i in report.key_strengths + report.areas_for_improvement]
    for text in texts:
        assert "Page " not in text and "Report of Short Quality" not in text and "file:" not in text
        assert not re.search(r"\b\d{1,2}/\d{1,2}/\d{2},", text)  # Chromium's own header: the date
    phrases = [p.phrase for f in report.findings for p in f.proportions]
    assert not [p for p in phrases if p.lower().startswith("page")]


_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "\x02": "-", "\ufffe": "-", "\u00ad": ""})
_SUPERSCRIPTS = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹•]")


def _squeezed(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return re.sub(r"\s+", "", _SUPERSCRIPTS.sub("", text))


@pytest.mark.parametrize("pdf", PDFS, ids=lambda p: p.stem)
def test_every_fact_is_on_the_page_where_pdfium_finds_its_text(pdf: Path) -> None:
    g = _union([read(pdf)])
    document = pdfium.PdfDocument(str(pdf))
    page_text = {i + 1: _squeezed(document[i].get_textpage().get_text_range()) for i in range(len(document))}
    checked = 0
    for thing, span in g.subject_objects(SQS.textSpan):
        quote = next(s for s in g.objects(span, OA.hasSelector) if (s, RDF.type, OA.TextQuoteSelector) in g)
        words = str(next(g.objects(quote, OA.exact))).split()
        (pages_node,) = g.objects(thing, SQS.pageSpan)
        pages = sorted(int(n) for sel in g.objects(pages_node, OA.hasSelector) for n in g.objects(sel, SQS.pageNumber))
        assert pages, thing
        # it starts on its first page and ends on its last (a span over a page break may be
        # cut anywhere, and the page's furniture comes between)
        if len(pages) == 1:
            assert _squeezed(" ".join(words[:4])) in page_text[pages[0]], (thing, pages, words[:4])
            assert _squeezed(" ".join(words[-4:])) in page_text[pages[0]], (thing, pages, words[-4:])
        assert _squeezed(words[0]) in page_text[pages[0]], (thing, pages, words[:4])
        assert _squeezed(words[-1]) in page_text[pages[-1]], (thing, pages, words[-4:])
        checked += 1
    assert checked > 30


def test_text_whose_fonts_lost_their_unicode_mapping_is_refused_with_that_reason() -> None:
    """LibreOffice's subset fonts number their glyphs 1, 2, 3...; printed to PostScript and
    distilled again, the map back to characters is gone: say so, and that OCR is the way."""
    with pytest.raises(NotAReportError, match=r"ps-nounicode\.pdf: the text layer cannot be read: .*run OCR first"):
        read_report_file(OTHER / "kent-2014-ps-nounicode.pdf")


def test_fonts_are_bold_by_their_names_not_by_a_weight_guessed_from_stem_widths() -> None:
    """Ghostscript writes font descriptors whose /StemV makes pdfium guess a weight of 700 for a
    regular font: were that believed, all the text would be bold and no heading would stand out."""
    from sqsgraph.read.pdfsource import read_pdf

    for name in ("thurrock-2015-gs.pdf", "kent-2014-ps.pdf"):
        runs = [r for p in read_pdf((OTHER / name).read_bytes(), name).pages for r in p.runs]
        bold = [r for r in runs if r.bold]
        assert 0 < len(bold) < 0.2 * len(runs), name
        assert all("Bold" in r.font for r in bold), name
