"""sqsgraph.synth.pdf: the PDFs it makes have the layout features of the published reports, read
back with pypdfium2 (the engine the PDF reader uses): pages, structure tree or none, page
furniture in its place, a raised small footnote mark with the note at the page foot, list
labels apart from their text, Word's Symbol bullets, italic quotes, borderless tables, and the
rendering's words. LibreOffice PDFs are made once per session (two soffice runs)."""

from __future__ import annotations

import ctypes
import re
import shutil
import time
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

pdfium = pytest.importorskip("pypdfium2")
pytest.importorskip("reportlab")
import pypdfium2.raw as pdfium_c  # noqa: E402

from sqsgraph.cli import main  # noqa: E402
from sqsgraph.read.reader import sample_paths  # noqa: E402
from sqsgraph.synth.corpus import CorpusGenerator, write_corpus  # noqa: E402
from sqsgraph.synth.pdf import (  # noqa: E402
    VARIANTS,
    LoJob,
    curl_quotes,
    letterhead_png,
    make_fodt,
    make_lo_pdfs,
    make_reportlab_pdf,
    parse_rendering,
)

FIXTURES = Path(__file__).parent / "fixtures" / "pdf"
SAMPLES = {p.stem: p.read_text(encoding="utf-8") for p in sample_paths()}
SYNTH = next(iter(CorpusGenerator(5).reports(1, renderings=("markup",)))).text

# --- reading PDFs back --------------------------------------------------------------------------


@dataclass(frozen=True)
class Obj:
    """A text object of a page: its text and bounds (PDF points, origin bottom left)."""

    text: str
    left: float
    bottom: float
    right: float
    top: float


def _obj_text(obj, textpage) -> str:  # noqa: ANN001 - pypdfium2 objects
    n = pdfium_c.FPDFTextObj_GetText(obj.raw, textpage.raw, None, 0)
    buf = (ctypes.c_ushort * max(n // 2, 1))()
    pdfium_c.FPDFTextObj_GetText(obj.raw, textpage.raw, buf, n)
    return bytes(buf).decode("utf-16-le").rstrip("\x00")


class Pdf:
    """What the tests need from one PDF, read once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.doc = pdfium.PdfDocument(str(path))
        self.pages = [self.doc[i] for i in range(len(self.doc))]
        self.textpages = [p.get_textpage() for p in self.pages]
        self.texts = [tp.get_text_range() for tp in self.textpages]
        self.width, self.height = self.pages[0].get_size()

    def objects(self, page: int) -> list[Obj]:
        tp = self.textpages[page]
        return [
            Obj(_obj_text(o, tp), *o.get_bounds()) for o in self.pages[page].get_objects() if o.type == pdfium_c.FPDF_PAGEOBJ_TEXT
        ]

    def paths(self, page: int) -> list[tuple[float, float, float, float]]:
        return [o.get_bounds() for o in self.pages[page].get_objects() if o.type == pdfium_c.FPDF_PAGEOBJ_PATH]

    def char(self, page: int, index: int) -> tuple[str, tuple[float, float, float, float], float, str]:
        """(character, box, font size, font name) of one character."""
        tp = self.textpages[page]
        buf = ctypes.create_string_buffer(256)
        flags = ctypes.c_int()
        pdfium_c.FPDFText_GetFontInfo(tp.raw, index, buf, 256, ctypes.byref(flags))
        return (
            self.texts[page][index],
            tp.get_charbox(index),
            pdfium_c.FPDFText_GetFontSize(tp.raw, index),
            buf.value.decode("latin-1"),
        )

    def has_structure_tree(self) -> bool:
        for page in self.pages:
            tree = pdfium_c.FPDF_StructTree_GetForPage(page.raw)
            if tree:
                try:
                    if pdfium_c.FPDF_StructTree_CountChildren(tree) > 0:
                        return True
                finally:
                    pdfium_c.FPDF_StructTree_Close(tree)
        return False

    def words(self) -> Counter[str]:
        text = " ".join(self.texts).replace("\ufffe", "-").replace("-\r\n", "-")
        return Counter(text.split())


def _words(text: str) -> Counter[str]:
    return Counter(text.split())


# --- the PDFs -----------------------------------------------------------------------------------

#: name -> (rendering, variant, tagged)
LO_JOBS = {
    "cumbria-v0-tagged": ("cumbria-2016", 0, True),
    "cumbria-v1-untagged": ("cumbria-2016", 1, False),
    "barnet-v2-untagged": ("barnet-2014", 2, False),
    "synth-v1-tagged": ("synth", 1, True),
}


def _text(name: str) -> str:
    return SYNTH if name == "synth" else SAMPLES[name]


@pytest.fixture(scope="session")
def lo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Pdf]:
    """Every LibreOffice PDF of the tests, made in one batch (two soffice runs)."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    out = tmp_path_factory.mktemp("lo")
    jobs = [LoJob(_text(src), variant, tagged, f"{name}.pdf") for name, (src, variant, tagged) in LO_JOBS.items()]
    paths = make_lo_pdfs(jobs, out)
    return {name: Pdf(path) for name, path in zip(LO_JOBS, paths, strict=True)}


@pytest.fixture(scope="session")
def rl(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Pdf]:
    out = tmp_path_factory.mktemp("rl")
    made = {}
    for name, src, variant in [("cumbria-v0", "cumbria-2016", 0), ("barnet-v1", "barnet-2014", 1), ("synth-v2", "synth", 2)]:
        made[name] = Pdf(make_reportlab_pdf(_text(src), out / f"{name}.pdf", variant=variant))
    return made


def _find(pdf: Pdf, needle: str) -> tuple[int, int]:
    """(page, index) of the first occurrence of ``needle`` in the page texts."""
    for page, text in enumerate(pdf.texts):
        at = text.find(needle)
        if at >= 0:
            return page, at
    raise AssertionError(f"{needle!r} not in {pdf.path.name}")


# --- parsing the rendering ----------------------------------------------------------------------


def test_split_paragraph_is_joined_across_the_footnote_text_and_the_note_goes_to_its_mark() -> None:
    report = parse_rendering(SAMPLES["cumbria-2016"])
    finding = next(b for b in report.blocks if b.kind == "finding" and b.number == "1.1")
    assert "There were a number of cases" in finding.text
    assert not any(b.kind == "note" for b in report.blocks)
    notes = [r for b in report.blocks for r in b.runs if r.note]
    assert len(notes) == 1 and notes[0].text == "1"
    assert notes[0].note.startswith("The reoffending rate that was available during the fieldwork")
    context = next(b for b in report.blocks if any(r.note for r in b.runs))
    assert context.kind == "para" and "reoffending rate" in context.text and "¹" not in context.text


def test_blocks_follow_the_rendering() -> None:
    report = parse_rendering(SAMPLES["barnet-2014"])
    kinds = Counter(b.kind for b in report.blocks)
    assert kinds["header"] == 4 and kinds["title"] == 1 and kinds["theme"] == 4
    assert kinds["finding"] == 22 and kinds["bullet"] == 6 and kinds["copy"] == 14
    # the blank line between 2.3 and 2.4 does not join or drop a finding
    assert [b.number for b in report.blocks if b.kind == "finding"][6:10] == ["2.1", "2.2", "2.3", "2.4"]
    quote = next(b for b in report.blocks if b.kind == "finding" and b.number == "3.2")
    italic = "".join(r.text for r in quote.runs if r.italic)
    assert italic.startswith("There was a strong focus") and "*" not in quote.text
    assert '"There was a strong focus' in quote.text  # quote characters stay as written


def test_quotes_are_curled_like_word() -> None:
    assert curl_quotes("He said \"*fine*\" and it's 'done'") == "He said “*fine*” and it’s ‘done’"


def test_fodt_is_well_formed_for_samples_and_synthetic_reports() -> None:
    for text in [*SAMPLES.values(), SYNTH]:
        for variant in range(len(VARIANTS)):
            ET.fromstring(make_fodt(text, variant=variant).encode("utf-8"))


def test_letterhead_is_a_png() -> None:
    png = letterhead_png()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) < 4000


# --- LibreOffice PDFs ---------------------------------------------------------------------------


def test_lo_pdfs_open_with_three_or_more_a4_pages(lo: dict[str, Pdf]) -> None:
    for pdf in lo.values():
        assert 3 <= len(pdf.pages) <= 7, pdf.path.name
        assert (round(pdf.width), round(pdf.height)) == (595, 842)


def test_tagged_pdf_has_a_structure_tree_and_untagged_none(lo: dict[str, Pdf]) -> None:
    for name, pdf in lo.items():
        assert pdf.has_structure_tree() == name.endswith("-tagged"), name
    assert b"/StructTreeRoot" in lo["cumbria-v0-tagged"].path.read_bytes()
    assert b"/StructTreeRoot" not in lo["cumbria-v1-untagged"].path.read_bytes()


def test_footer_page_numbers_are_fields_at_the_foot(lo: dict[str, Pdf]) -> None:
    pdf = lo["cumbria-v0-tagged"]
    total = len(pdf.pages)
    for page in range(total):
        footer = [o for o in pdf.objects(page) if o.top < pdf.height * 0.08]
        text = " ".join(o.text.strip() for o in footer)
        assert f"Page {page + 1} of {total}" in text, (page, text)  # the page-count field has the real count
    bare = lo["cumbria-v1-untagged"]
    for page in range(len(bare.pages)):
        footer = [o.text.strip() for o in bare.objects(page) if o.top < bare.height * 0.08]
        assert footer == [str(page + 1)], footer


def test_running_header_on_later_pages_only(lo: dict[str, Pdf]) -> None:
    for pdf in lo.values():
        tops = [" ".join(o.text for o in pdf.objects(p) if o.bottom > pdf.height * 0.93) for p in range(len(pdf.pages))]
        assert "Report of Short Quality Screening" not in tops[0]
        assert all("Report of Short Quality Screening" in t for t in tops[1:]), tops


def test_footnote_mark_is_a_raised_smaller_1_and_the_note_sits_at_that_page_foot(lo: dict[str, Pdf]) -> None:
    for name in ("cumbria-v0-tagged", "cumbria-v1-untagged"):
        pdf = lo[name]
        assert not any("¹" in t for t in pdf.texts)
        page, at = _find(pdf, "reoffending rate1")
        mark_at = at + len("reoffending rate")
        _, box_e, size_e, _ = pdf.char(page, mark_at - 1)
        char, box_1, size_1, _ = pdf.char(page, mark_at)
        assert char == "1"
        assert size_1 < 0.75 * size_e, (size_1, size_e)
        assert box_1[1] > box_e[1] + 1.5, (box_1, box_e)  # raised above the baseline of "e"
        note_page, note_at = _find(pdf, "The reoffending rate that was available")
        assert note_page == page
        _, note_box, note_size, _ = pdf.char(note_page, note_at)
        assert note_size < size_e
        body_bottom = min(o.bottom for o in pdf.objects(page) if "reoffending" in o.text and o.bottom > note_box[3])
        assert note_box[3] < body_bottom
        rules = [b for b in pdf.paths(page) if b[3] - b[1] < 2 and note_box[3] < b[1] < note_box[3] + 20]
        assert rules and all(b[2] - b[0] < pdf.width / 3 for b in rules), rules


def test_findings_numbers_are_list_labels_apart_from_their_text(lo: dict[str, Pdf]) -> None:
    for name, pdf in lo.items():
        report = parse_rendering(_text(LO_JOBS[name][0]))
        expected = {f"{b.number}." for b in report.blocks if b.kind == "finding"}
        themes = {f"{b.number}." for b in report.blocks if b.kind == "theme"}
        labels: set[str] = set()
        for page in range(len(pdf.pages)):
            objects = pdf.objects(page)
            for k, obj in enumerate(objects):
                if obj.text.strip() in expected | themes:
                    labels.add(obj.text.strip())
                    after = objects[k + 1]
                    assert after.left > obj.right + 8, (obj, after)  # the text starts at its own x
        assert labels == expected | themes, name


def test_bullets_symbol_variant_uses_word_symbol_bullet(lo: dict[str, Pdf]) -> None:
    symbol = lo["cumbria-v1-untagged"]
    text = "".join(symbol.texts)
    assert text.count("\uf0b7") == 6 and "•" not in text
    page, at = _find(symbol, "\uf0b7")
    assert "Symbol" in symbol.char(page, at)[3]
    plain = "".join(lo["cumbria-v0-tagged"].texts)
    assert plain.count("•") == 6 and "\uf0b7" not in plain


def test_quotes_are_curly_in_one_variant_straight_in_the_other(lo: dict[str, Pdf]) -> None:
    curly = "".join(lo["cumbria-v1-untagged"].texts)
    straight = "".join(lo["cumbria-v0-tagged"].texts)
    assert "young person’s" in curly and "“Planning has been fluid" in curly and "'" not in curly and '"' not in curly
    assert "young person's" in straight and '"Planning has been fluid' in straight and "’" not in straight


def test_quotes_are_italic_and_body_is_not(lo: dict[str, Pdf]) -> None:
    pdf = lo["cumbria-v0-tagged"]
    page, at = _find(pdf, "Planning has been fluid")
    assert "Italic" in pdf.char(page, at)[3]
    page, at = _find(pdf, "An inspector")
    assert "Italic" not in pdf.char(page, at)[3]


def test_every_word_of_the_rendering_is_in_the_pdf(lo: dict[str, Pdf]) -> None:
    for name, pdf in lo.items():
        src, variant, _ = LO_JOBS[name]
        report = parse_rendering(_text(src), curly=VARIANTS[variant].curly)
        words: Counter[str] = Counter()
        for block in report.blocks:
            words += _words(" ".join(x.text for x in block.label))
            words += _words("".join(r.text for r in block.runs))  # the mark's figure is glued on, as extracted
            words += _words(" ".join(r.note or "" for r in block.runs))
        words = Counter({w: c for w, c in words.items() if w not in {"-"}})
        found = pdf.words()
        missing = {w: c - found[w] for w, c in words.items() if found[w] < c}
        assert not missing, (name, list(missing.items())[:10])


def test_header_and_copy_tables_are_borderless_with_wrapping_value_cells(lo: dict[str, Pdf]) -> None:
    pdf = lo["cumbria-v0-tagged"]
    objects = pdf.objects(0)
    label = next(o for o in objects if o.text.strip() == "To:")
    value = next(o for o in objects if o.text.startswith("Darren Martland"))
    wrapped = next(o for o in objects if o.text.startswith("Management Board"))
    assert value.left > label.right + 20
    assert abs(wrapped.left - value.left) < 1 and wrapped.top < value.bottom
    date = next(o for o in objects if o.text.startswith("Publication date"))
    for box in pdf.paths(0):
        assert not (box[3] > date.bottom - 4 and box[1] < label.top + 4), box  # nothing drawn in the table
    page, _ = _find(pdf, "Samantha Starmer")
    objects = pdf.objects(page)
    post = next(o for o in objects if o.text.startswith("YOS Head of Service"))
    names = next(o for o in objects if o.text.startswith("Samantha Starmer"))
    assert names.left > post.right and abs(names.bottom - post.bottom) < 2
    page, at = _find(pdf, "Samantha Starmer")
    assert "Italic" in pdf.char(page, at)[3] and "Italic" not in pdf.char(*_find(pdf, "YOS Head of Service"))[3]


def test_letterhead_image_on_page_one_only(lo: dict[str, Pdf]) -> None:
    for pdf in lo.values():
        images = [[o for o in p.get_objects() if o.type == pdfium_c.FPDF_PAGEOBJ_IMAGE] for p in pdf.pages]
        assert len(images[0]) == 1 and images[0][0].get_bounds()[1] > pdf.height * 0.8
        assert not any(images[1:])


# --- reportlab PDFs -----------------------------------------------------------------------------


def test_reportlab_pdf_layout(rl: dict[str, Pdf]) -> None:
    for name, pdf in rl.items():
        assert len(pdf.pages) >= 3 and not pdf.has_structure_tree()
        for page in range(len(pdf.pages)):
            footer = [o.text.strip() for o in pdf.objects(page) if o.top < pdf.height * 0.08]
            assert f"Page {page + 1}" in footer, (name, footer)
        objects = [o for p in range(len(pdf.pages)) for o in pdf.objects(p)]
        label = next(o for o in objects if o.text.strip() == "1.1.")
        text = objects[objects.index(label) + 1]
        assert text.left > label.right + 8
    bullets = "".join(rl["barnet-v1"].texts)
    assert bullets.count("•") == 6 and "’" in bullets and "'" not in bullets


def test_reportlab_footnote_at_the_foot_of_the_marked_page(rl: dict[str, Pdf]) -> None:
    pdf = rl["cumbria-v0"]
    page, at = _find(pdf, "reoffending rate1")
    mark_at = at + len("reoffending rate")
    _, box_e, size_e, _ = pdf.char(page, mark_at - 1)
    char, box_1, size_1, _ = pdf.char(page, mark_at)
    assert char == "1" and size_1 < 0.85 * size_e and box_1[1] > box_e[1] + 1.5
    note_page, note_at = _find(pdf, "The reoffending rate that was available")
    assert note_page == page and pdf.char(note_page, note_at)[1][3] < pdf.height * 0.2


def test_reportlab_is_fast() -> None:
    texts = [r.text for r in CorpusGenerator(2).reports(20, renderings=("markup",))]
    make_reportlab_pdf(texts[0], "/dev/null")  # imports and font metrics
    start = time.perf_counter()
    for text in texts:
        make_reportlab_pdf(text, "/dev/null")
    assert (time.perf_counter() - start) / len(texts) < 0.25


# --- sqsgraph synth --pdf -----------------------------------------------------------------------


def test_synth_pdf_writes_n_pdfs_and_text_output_is_unchanged(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["synth", "4", str(tmp_path / "pdf"), "--pdf", "--seed", "3"])
    assert result.exit_code == 0, result.output
    pdfs = sorted((tmp_path / "pdf").iterdir())
    assert len(pdfs) == 4 and all(p.suffix == ".pdf" for p in pdfs)
    for path in pdfs:
        pdf = Pdf(path)
        assert len(pdf.pages) >= 3 and "Report of Short Quality Screening" in pdf.texts[0]
    result = runner.invoke(main, ["synth", "4", str(tmp_path / "txt"), "--seed", "3"])
    assert result.exit_code == 0
    expected = write_corpus(4, tmp_path / "expected", seed=3)
    assert [p.read_bytes() for p in sorted((tmp_path / "txt").iterdir())] == [p.read_bytes() for p in expected]


# --- the committed fixtures ---------------------------------------------------------------------


def test_committed_fixtures_are_complete_and_small() -> None:
    stems = sorted(SAMPLES)
    expected = {f"{s}-{kind}.pdf" for s in stems for kind in ("lo-tagged", "lo-untagged", "rl")}
    present = {p.name for p in FIXTURES.glob("*.pdf")}
    assert present == expected
    assert sum((FIXTURES / n).stat().st_size for n in present) < 1_100_000


@pytest.mark.parametrize("stem", sorted(SAMPLES))
def test_committed_fixtures_open_and_are_tagged_as_named(stem: str) -> None:
    tagged, untagged, rl_pdf = (Pdf(FIXTURES / f"{stem}-{k}.pdf") for k in ("lo-tagged", "lo-untagged", "rl"))
    assert len(tagged.pages) >= 3 and len(untagged.pages) >= 3 and len(rl_pdf.pages) >= 3
    assert tagged.has_structure_tree() and not untagged.has_structure_tree() and not rl_pdf.has_structure_tree()


def test_committed_fixtures_cover_both_bullets_and_both_quote_kinds() -> None:
    for kind in ("lo-tagged", "lo-untagged"):
        texts = ["".join(Pdf(p).texts) for p in sorted(FIXTURES.glob(f"*-{kind}.pdf"))]
        assert any("\uf0b7" in t for t in texts) and any("•" in t for t in texts), kind
        assert any("’" in t for t in texts) and any("'" in t for t in texts), kind


def test_pdfmake_knows_no_report_facts() -> None:
    synth = Path(__file__).parent.parent / "sqsgraph" / "synth"
    source = "\n".join(p.read_text(encoding="utf-8") for p in sorted(synth.glob("*.py")))
    assert "def make_fodt" in source and "def make_reportlab_pdf" in source  # every module read
    for text in SAMPLES.values():
        for block in parse_rendering(text).blocks:
            if block.kind in ("para", "finding", "bullet", "copy", "header"):
                for sentence in re.split(r"(?<=[.!?])\s+", block.text):
                    if len(sentence) > 25:
                        assert sentence not in source, sentence
