"""Text that other tools extracted from a report's PDF: the parser reads every fact such text
still holds, and warns about what it cannot place.

Two kinds of test:

* one small hand-written report (``BASE``) and, per case seen in real extractions, the same
  report as an extractor gives it: every fact must be the same as in ``BASE`` (``tests/facts.py``);
* every sample as a PDF (the pdfgen branch's fixtures under ``tests/fixtures/pdf``, and reportlab
  stand-ins made here by ``tests/pdf_standin.py``) through every extractor of
  ``tests/extractions.py``, compared with the sample's own text. What is still lost is listed in
  ``docs/extracted-text.md``: those cases are ``xfail(strict=True)``, so one that starts passing
  must be taken off the list.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
from conftest import PDF_FIXTURES, SAMPLES
from extractions import EXTRACTORS, available, extract
from facts import diff, facts, norm, recall, unwarned

from sqsgraph.read.model import SourceDocument
from sqsgraph.read.parser import parse_file, parse_report


def parse(text: str):
    return parse_report(SourceDocument("extracted.txt", text, "", "utf-8"))


BASE = """\
To: Ann Example, Chair of Testshire YOT Management Board
Copy to: See copy list at end
From: Bob Sample, HM Assistant Chief Inspector
Publication date: 1st March 2015

Report of Short Quality Screening (SQS) of youth offending work in Testshire

The inspection was conducted from 2nd-4th February 2015 as part of our programme of inspection.

Context

We examined 12 cases of children and young people supervised by Testshire Youth Offending Team.

Summary

The published reoffending rate¹ for Testshire was 30.5% against the England and Wales average of 35.1%.

¹ Published January 2015 based on binary reoffending rates after 12 months for the April 2012-March 2013 cohort. Source: Ministry of Justice

Commentary on the inspection in Testshire:

1. Reducing reoffending

1.1. Assessments of the likelihood of reoffending were good in 9 of the 12 cases. An inspector commented that "the plan was clear and well targeted".
1.2. Plans were reviewed in two-thirds of cases, and the work was well sequenced.

2. Protecting the public

2.1. The risk of harm was assessed well in all but one case.
2.2. Management oversight was effective in most cases.

Key strengths

- Staff knew the children well.
- Partnership working was strong.

Areas requiring improvement

- Plans should be reviewed when circumstances change.

If you have any further questions about the inspection please contact the lead inspector, who was Cara Tester. She can be contacted at cara.tester@example.gov.uk or on 0161 000 0000.

Copy to:

YOT Manager\tDan Person
Chair of Youth Court Bench\tEve Person, Fay Person
Police and Crime Commissioner for Testshire\tGus Person
YJB Business Area Manager\tHal Ian Person
"""

BASE_NOTE = BASE[BASE.index("¹ Published") : BASE.index("Commentary on")].rstrip("\n") + "\n"

WRAPPED_FINDING = (
    "1.1. Assessments of the likelihood of reoffending were good in 9 of the 12 cases. An inspector\n"
    "commented that “the plan was clear and well targeted”.\n"
)


@functools.cache
def base_facts() -> frozenset:
    report = parse(BASE)
    assert not [w for w in report.warnings if "not" in w or "no " in w], report.warnings
    return frozenset(facts(report))


def same_facts(text: str, *, allow_warnings: bool = True):
    report = parse(text)
    d = diff(set(base_facts()), facts(report))
    assert not d, f"{d}\nwarnings: {report.warnings}"
    return report


def pdf_like(text: str) -> str:
    """BASE without markup: straight quotes curled, the bullets round, the copy list spaced."""
    text = text.replace('"the plan', "“the plan").replace('targeted"', "targeted”")
    text = text.replace("\n- ", "\n• ")
    return re.sub(r"\t", "    ", text)


def test_base_report_has_every_fact():
    f = base_facts()
    kinds = {x[0] for x in f}
    assert {
        "title",
        "area",
        "body",
        "addressee",
        "author",
        "inspection",
        "cases_examined",
        "reoffending_rate",
        "reoffending_cohort",
        "reoffending_source",
        "finding",
        "quote",
        "proportion",
        "strength",
        "improvement",
        "holder",
        "lead_inspector",
        "lead_inspector_email",
    } <= kinds


# --- blank lines, title, header ----------------------------------------------------------------


def test_no_blank_lines_anywhere():
    text = pdf_like(BASE)
    text = "\n".join(line for line in text.splitlines() if line.strip())
    same_facts(text)


def test_title_line_directly_followed_by_first_paragraph():
    text = BASE.replace("in Testshire\n\nThe inspection", "in Testshire\nThe inspection")
    report = same_facts(text)
    assert report.title.endswith("work in Testshire")


def test_title_wrapped_onto_two_lines_is_still_read_whole():
    text = BASE.replace("of youth offending work in Testshire\n\n", "of youth offending work in\nTestshire\nThe inspection ", 1)
    text = text.replace("The inspection The inspection", "The inspection")
    report = parse(text)
    assert report.title == "Report of Short Quality Screening (SQS) of youth offending work in Testshire"


def test_stray_page_title_above_the_header():
    same_facts("Short Quality Screening of youth offending work in Testshire - HM Inspectorate of Probation\n\n" + BASE)


def test_header_labels_and_values_on_separate_lines():
    text = (
        BASE.replace("To: Ann", "To:\n\nAnn")
        .replace("From: Bob", "From:\nBob")
        .replace("Publication date: 1st", "Publication date:\n1st")
    )
    same_facts(text)


def test_header_all_labels_first_then_all_values():
    header = (
        "To:\n\nCopy to:\n\nFrom:\n\nAnn Example, Chair of Testshire YOT Management Board\n\nSee copy list at end\n\n"
        "Bob Sample, HM Assistant Chief Inspector\n\nPublication date:\n\n1st March 2015\n"
    )
    report = same_facts(header + BASE[BASE.index("\nReport of") :])
    assert any("labels came before their values" in w for w in report.warnings)


def test_header_all_labels_first_no_blank_lines_and_a_wrapped_value():
    header = (
        "To:\nCopy to:\nFrom:\nAnn Example, Chair of Testshire YOT Management Board and\nDirector of Services\n"
        "See copy list at end\nBob Sample, HM Assistant Chief Inspector\nPublication date:\n1st March 2015\n"
    )
    report = parse(header + BASE[BASE.index("\nReport of") :])
    assert report.addressee.post == "Chair of Testshire YOT Management Board and Director of Services"
    assert report.author.name == "Bob Sample"
    assert report.publication_date == "2015-03-01"


# --- numbers alone, page furniture ---------------------------------------------------------------


def test_finding_number_alone_on_its_line():
    text = BASE.replace("1.1. Assess", "1.1.\n\nAssess").replace("2.1. The", "2.1\nThe")
    same_facts(text)


def test_theme_number_alone_on_its_line():
    same_facts(BASE.replace("2. Protecting", "2.\nProtecting"))


def test_finding_numbers_all_before_their_paragraphs():
    text = BASE.replace("1.1. Assessments", "1.1.\n\n1.2.\n\nAssessments").replace(
        'targeted".\n1.2. Plans', 'targeted".\n\nPlans'
    )
    report = same_facts(text)
    assert any("finding numbers 1.1., 1.2. came before their paragraphs" in w for w in report.warnings)


@pytest.mark.parametrize("furniture", ["Page 2 of 5", "2 of 5", "2", "- 2 -"])
def test_page_number_inside_a_finding_is_left_out_and_never_a_proportion(furniture):
    text = BASE.replace(WRAPPED_FINDING.split("\n")[0][:40], WRAPPED_FINDING.split("\n")[0][:40])
    text = pdf_like(BASE).replace(
        "good in 9 of the 12 cases. An inspector commented", f"good in 9 of the 12 cases. An inspector\n{furniture}\ncommented"
    )
    report = same_facts(text)
    for f in report.findings:  # the text is the base's (above); "2 of 5" is no count
        assert all(p.denominator != 5 for p in f.proportions)


def test_running_header_and_page_footer_between_findings_and_inside_a_paragraph():
    running = "Short Quality Screening of youth offending work in Testshire"
    text = pdf_like(BASE)
    text = text.replace("cases, and the work", f"cases, and the\nPage 1 of 2\n\f{running}\nwork")
    text = text.replace("2. Protecting", f"Page 2 of 2\n\f{running}\n2. Protecting")
    report = same_facts(text)
    assert all(running not in f.text for f in report.findings)


def test_title_as_running_header_is_left_out_after_the_title():
    title = "Report of Short Quality Screening (SQS) of youth offending work in Testshire"
    text = BASE.replace("cases, and the work", f"cases, and the\nPage 1 of 2\n{title}\nwork")
    text = text.replace("2. Protecting", f"Page 2 of 2\n{title}\n2. Protecting")
    same_facts(text)


# --- footnotes -------------------------------------------------------------------------------------


def test_footnote_mark_glued_to_its_word_and_body_under_a_bare_mark():
    text = BASE.replace("rate¹", "rate1").replace("¹ Published", "1\nPublished")
    same_facts(text)


def test_footnote_mark_detached_onto_its_own_line():
    text = BASE.replace("rate¹ for", "rate\n1\nfor").replace("¹ Published", "1\nPublished")
    same_facts(text)


def test_footnote_body_between_two_findings_with_no_blank_lines():
    note = "1 Published January 2015 based on binary reoffending rates after 12 months for the April 2012-March 2013 cohort.\nSource: Ministry of Justice\n"
    text = BASE.replace("rate¹", "rate1").replace(
        "¹ Published January 2015 based on binary reoffending rates after 12 months for the April 2012-March 2013 cohort. Source: Ministry of Justice\n",
        "",
    )
    text = text.replace("\n1.2. Plans", "\n" + note + "1.2. Plans")
    report = same_facts("\n".join(line for line in text.splitlines() if line.strip()))
    assert all("Ministry" not in f.text for f in report.findings)


def test_footnote_body_inside_a_paragraph_the_page_broke():
    body = (
        "The reoffending rate was published January 2015 based on binary reoffending rates after 12 months for "
        "the April 2012-March\n2013 cohort. Source: Ministry of Justice\n"
    )
    text = BASE.replace("rate¹", "rate1").replace(
        "¹ Published January 2015 based on binary reoffending rates after 12 months for the April 2012-March 2013 cohort. Source: Ministry of Justice\n",
        "",
    )
    text = text.replace(
        "Plans were reviewed in two-thirds of cases, and the work",
        "Plans were reviewed in two-thirds of\n1\n" + body + "cases, and the work",
    )
    report = parse(text)
    f12 = next(f for f in report.findings if f.number == "1.2")
    assert f12.text == "Plans were reviewed in two-thirds of cases, and the work was well sequenced."
    assert report.reoffending.source == "Ministry of Justice"


def test_footnote_mark_line_moved_before_its_line_by_pypdf_layout():
    text = BASE.replace(
        "The published reoffending rate¹ for Testshire was 30.5% against the England and Wales average of 35.1%.",
        "1 for Testshire was 30.5% against the England and Wales average of\nThe published reoffending rate\n35.1%.",
    ).replace("¹ Published", "1 Published")
    report = parse(text)
    assert report.reoffending.rate == 30.5
    assert any("footnote mark 1" in w for w in report.warnings)


# --- bullets, hyphens, ligatures, quotes ---------------------------------------------------------


@pytest.mark.parametrize("bullet", ["\uf0b7 ", "\uf0a7 ", "\uf0b7", "■", "• ", "\x95 ", "(cid:127) "])
def test_symbol_and_private_use_bullets(bullet):
    same_facts(BASE.replace("\n- ", f"\n{bullet}"))


def test_bullet_glyph_alone_on_its_line():
    same_facts(BASE.replace("\n- ", "\n\uf0b7\n\n"))


def test_line_ending_in_a_hyphen_runs_on_and_the_proportion_is_still_found():
    report = same_facts(BASE.replace("reviewed in two-thirds of", "reviewed in two-\nthirds of"))
    f12 = next(f for f in report.findings if f.number == "1.2")
    assert "two-thirds" in f12.text
    assert [p.value for p in f12.proportions] == [0.6667]


def test_ligatures_are_matched_as_letters_and_kept_in_the_text():
    text = (
        BASE.replace("Reducing reoffending", "Reducing reoﬀending")
        .replace("Youth Offending Team", "Youth Oﬀending Team")
        .replace("was effective in most", "was eﬀective in most")
    )
    report = parse(text)
    assert report.sections[0].theme == parse(BASE).sections[0].theme is not None
    assert report.body.name == "Testshire Youth Offending Team"
    f22 = next(f for f in report.findings if f.number == "2.2")
    assert "eﬀective" in f22.text  # kept as written
    assert norm(f22.text) == norm(next(f for f in parse(BASE).findings if f.number == "2.2").text)


def test_typographic_quotes_give_the_same_quote():
    report = same_facts(pdf_like(BASE))
    assert report.findings[0].quotes[0].text == "the plan was clear and well targeted"


# --- the copy list ---------------------------------------------------------------------------------

COPY_ROWS = [
    ("YOT Manager", "Dan Person"),
    ("Chair of Youth Court Bench", "Eve Person, Fay Person"),
    ("Police and Crime Commissioner for Testshire", "Gus Person"),
    ("YJB Business Area Manager", "Hal Ian Person"),
]


def with_copy_list(lines: list[str]) -> str:
    head = BASE[: BASE.index("Copy to:\n\nYOT")]
    return head + "Copy to:\n" + "\n".join(lines) + "\n"


def test_copy_list_cells_one_per_line():
    same_facts(with_copy_list([c for row in COPY_ROWS for c in row]))
    same_facts(with_copy_list([x for row in COPY_ROWS for c in row for x in (c, "")]))


def test_copy_list_posts_first_then_holders():
    same_facts(with_copy_list([p for p, _ in COPY_ROWS] + [""] + [h for _, h in COPY_ROWS]))


def test_copy_list_row_joined_by_a_single_space():
    report = same_facts(with_copy_list([f"{p} {h}" for p, h in COPY_ROWS]))
    assert not any("copy list" in w for w in report.warnings)


def test_copy_list_holders_wrapped_onto_the_next_line():
    same_facts(
        with_copy_list(
            [
                "YOT Manager",
                "Dan Person",
                "Chair of Youth Court Bench",
                "Eve Person, Fay",
                "Person",
                *[c for row in COPY_ROWS[2:] for c in row],
            ]
        )
    )


def test_copy_list_ambiguous_row_is_read_and_warned():
    """Nothing tells "Liaison Ann" / "Jay Kay" from "Liaison" / "Ann Jay Kay": two name words
    is the likelier reading, and the parser says it guessed."""
    report = parse(with_copy_list(["Liaison Ann Jay Kay"]))
    entry = report.copy_list[0]
    assert (entry.post, [h.name for h in entry.holders]) == ("Liaison Ann", ["Jay Kay"])
    assert any("no gap between post and name" in w and "Jay Kay" in w for w in report.warnings)
    # a post word before three name words ends the post: no guess
    report = parse(with_copy_list(["Liaison Manager Ann Jay Kay"]))
    assert [h.name for h in report.copy_list[0].holders] == ["Ann Jay Kay"]
    assert not any("copy list" in w for w in report.warnings)


# --- every sample, every PDF, every extractor ------------------------------------------------------

LAYOUTS = ("lo-tagged", "lo-untagged", "rl", "standin-table", "standin-hanging")
NAMES = sorted(SAMPLES)


@pytest.fixture(scope="session")
def standins(tmp_path_factory):
    from pdf_standin import make_pdf

    out = tmp_path_factory.mktemp("standin")
    made = {}
    for name in NAMES:
        for layout in ("table", "hanging"):
            made[(name, f"standin-{layout}")] = make_pdf(
                SAMPLES[name].read_text(encoding="utf-8"),
                out / f"{name}-{layout}.pdf",
                layout=layout,
                ligatures=layout == "hanging",
            )
    return made


def pdf_path(name: str, layout: str, standins) -> Path:
    if layout.startswith("standin"):
        return standins[(name, layout)]
    path = PDF_FIXTURES / f"{name}-{layout}.pdf"
    if not path.exists():
        pytest.skip(f"no fixture {path.name}")
    return path


@functools.cache
def expected(name: str) -> frozenset:
    return frozenset(facts(parse_file(SAMPLES[name])))


def _known_losses() -> set[tuple[str, str, str]]:
    """(sample, layout, extractor) still lossy, as listed in docs/extracted-text.md."""
    doc = Path(__file__).resolve().parent.parent / "docs" / "extracted-text.md"
    out = set()
    text = doc.read_text(encoding="utf-8")
    table = text[text.index("## Recall") : text.index("Before this work")]
    for m in re.finditer(r"^\| (\S+?)-(lo-tagged|lo-untagged|rl|standin-table|standin-hanging) \| (.+) \|$", table, re.M):
        cells = [c.strip() for c in m[3].split("|")]
        for extractor, cell in zip(EXTRACTORS, cells, strict=True):
            if cell != "100%":
                out.add((m[1], m[2], extractor))
    return out


KNOWN_LOSSES = _known_losses()


def _silent_footnotes() -> set[tuple[str, str]]:
    """(sample-layout, extractor) whose findings still take in the footnote (docs/extracted-text.md)."""
    doc = Path(__file__).resolve().parent.parent / "docs" / "extracted-text.md"
    text = doc.read_text(encoding="utf-8")
    listed = text[text.index("silent-footnote list") :]
    return {(m[1], m[2]) for m in re.finditer(r"^- (\S+) (\S+)$", listed, re.M)}


SILENT_FOOTNOTES = _silent_footnotes()


@pytest.mark.parametrize("extractor", EXTRACTORS)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("name", NAMES)
def test_every_fact_of_the_extracted_text(name, layout, extractor, standins, request):
    if not available(extractor):
        pytest.skip(f"{extractor} not installed")
    if (name, layout, extractor) in KNOWN_LOSSES:
        request.applymarker(pytest.mark.xfail(strict=True, reason="still lossy: docs/extracted-text.md"))
    text = extract(pdf_path(name, layout, standins), extractor)
    report = parse(text)
    got = facts(report)
    d = diff(set(expected(name)), got)
    assert not d.lost(), f"recall {recall(set(expected(name)), got):.0%}\n{d}\nwarnings: {report.warnings}"


@pytest.mark.parametrize("extractor", EXTRACTORS)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("name", NAMES)
def test_no_finding_holds_page_furniture_or_the_footnote(name, layout, extractor, standins, request):
    """Whatever else is lost, a finding's text never silently takes in a page number, the
    running header or the footnote's body."""
    if not available(extractor):
        pytest.skip(f"{extractor} not installed")
    if (f"{name}-{layout}", extractor) in SILENT_FOOTNOTES:
        request.applymarker(pytest.mark.xfail(strict=True, reason="footnote still runs into a finding: docs/extracted-text.md"))
    report = parse(extract(pdf_path(name, layout, standins), extractor))
    for f in report.findings:
        assert not re.search(r"\bPage \d+ of \d+\b", f.text), (f.number, f.text)
        assert "HM Inspectorate of Probation" not in f.text or "HM Inspectorate of Probation" in norm(
            next((g[2] for g in expected(name) if g[0] == "finding" and g[1] == f.number), "")
        ), (f.number, f.text)
        assert "Source:" not in f.text and "cohort" not in f.text, (f.number, f.text)


def _silent_changes() -> set[tuple[str, str]]:
    """(sample-layout, extractor) whose parse still changes some fact with no warning naming it
    (docs/extracted-text.md)."""
    doc = Path(__file__).resolve().parent.parent / "docs" / "extracted-text.md"
    text = doc.read_text(encoding="utf-8")
    listed = text[text.index("silent-change list") :]
    listed = listed[: listed.index("<!-- end of silent-change list -->")]
    return {(m[1], m[2]) for m in re.finditer(r"^- (\S+) (\S+)$", listed, re.M)}


SILENT_CHANGES = _silent_changes()


@pytest.mark.parametrize("extractor", EXTRACTORS)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("name", NAMES)
def test_no_silent_change(name, layout, extractor, standins, request):
    """Every fact the parse of the extraction gets wrong (missing, changed, or one the sample
    does not have) is named by a warning: the finding by its number, the copy-list post, the
    header field (``facts.unwarned``)."""
    if not available(extractor):
        pytest.skip(f"{extractor} not installed")
    if (f"{name}-{layout}", extractor) in SILENT_CHANGES:
        request.applymarker(pytest.mark.xfail(strict=True, reason="still a silent change: docs/extracted-text.md"))
    report = parse(extract(pdf_path(name, layout, standins), extractor))
    d = diff(set(expected(name)), facts(report))
    silent = unwarned(d, report.warnings)
    assert not silent, "\n".join(map(repr, silent)) + f"\nwarnings: {report.warnings}"


def _numbers_out_of_the_text(text: str) -> str:
    """``text`` with every theme's and finding's number taken out of its line."""
    return re.sub(r"(?m)^(\d\.(?:\d\.)?) ", "", text)


def test_list_numbers_after_the_page_text_head_its_titles_and_paragraphs():
    """pypdf, PDFium and pdftotext's raw mode read an HTML list's markers (WeasyPrint's) after
    all the page's text, before its furniture, with no blank line between paragraphs: a theme
    number heads the page's next title, a finding number the next paragraph (after a title,
    or where a line ends a sentence with room left for the next line's first word)."""
    title = "Report of Short Quality Screening (SQS) of youth offending work in Testshire"
    text = _numbers_out_of_the_text(_hard_wrapped(BASE, 60))
    text = text.replace("Key strengths", f"1.\n1.1.\n1.2.\n2.\n2.1.\n2.2.\nPage 1 of 2\n{title}\nKey strengths")
    report = same_facts("\n".join(line for line in text.splitlines() if line.strip()))
    assert any("finding numbers 1., 1.1., 1.2., 2., 2.1., 2.2. came after their page's text" in w for w in report.warnings)
    # pdftotext's raw mode: a form feed, not furniture, ends the page, and starts the next page's
    # first line (here the commentary's heading: the page before ends with the summary's numbers)
    fed = text.replace(f"Page 1 of 2\n{title}\nKey strengths", "\fKey strengths")
    same_facts("\n".join(line for line in fed.split("\n") if line.strip()))
    fed = fed.replace("Commentary on", "9.\n\fCommentary on")  # a stray number ends page 1: no place for it
    same_facts("\n".join(line for line in fed.split("\n") if line.strip()))
    # a page's numbers whose places cannot all be found are not moved: the findings are named
    short = text.replace("1.\n1.1.\n1.2.\n2.\n2.1.\n2.2.\n", "1.\n1.1.\n1.2.\n1.3.\n2.\n2.1.\n2.2.\n")
    report = parse("\n".join(line for line in short.splitlines() if line.strip()))
    assert not any("came after their page's text" in w for w in report.warnings)
    assert any("finding numbers" in w and "1.3." in w for w in report.warnings)


def test_list_with_no_bullets_and_no_blank_lines_is_split_where_lines_stop_short():
    """A browser draws a list's bullets as shapes: the extracted items have no bullet and no
    blank line between them. In hard-wrapped text each item ends where a line ends a sentence
    and stops short (warned); a list of one paragraph stays one item."""
    items = (
        "Staff knew the children well and worked with them and their\n"
        "families, in their homes and in school.\nPartnership working was strong.\n"
    )
    text = _hard_wrapped(BASE, 60).replace("- Staff knew the children well.\n- Partnership working was strong.\n", items)
    report = parse("\n".join(line for line in text.splitlines() if line.strip()))
    assert [i.text for i in report.key_strengths] == [
        "Staff knew the children well and worked with them and their families, in their homes and in school.",
        "Partnership working was strong.",
    ]
    assert any(w.startswith("key strengths: no bullets and no blank line between some items; 2 item(s)") for w in report.warnings)
    assert not any("no bullets" in w for w in parse(BASE).warnings)


def test_line_broken_after_a_slash_runs_on_with_no_space():
    """WeasyPrint breaks a line after a slash ("parents/" / "carers")."""
    text = _hard_wrapped(
        BASE.replace(
            "Staff knew the children well.",
            "Staff knew the children and their parents/carers well, and worked with them and their families in their homes.",
        ),
        60,
    )
    text = text.replace("parents/carers ", "parents/\ncarers ")
    assert "parents/\ncarers" in text
    report = parse(text)
    assert report.key_strengths[0].text.startswith("Staff knew the children and their parents/carers well")


def test_browser_header_and_footer_on_every_page():
    """Chromium's own header and footer: the date and the title at the top of every page (the
    first too, between the header's labels and their values), the document's address and "n/N"
    at the foot; the report's own title wrapped over two lines. All furniture, never text."""
    title = "Report of Short Quality Screening (SQS) of youth offending work in Testshire"
    top, foot = f"12/6/26, 3:38 AM {title}", "file:///tmp/report.html {n}/2"
    header = (
        "To:\nCopy to:\nFrom:\nPublication date:\n\n" + title + "\n\n"
        "Ann Example, Chair of Testshire YOT Management Board\nSee copy list at end\n"
        "Bob Sample, HM Assistant Chief Inspector\n1st March 2015\n\n"
    )
    body = BASE[BASE.index("\nReport of") + 1 :].replace(" work in Testshire\n", " work in\nTestshire\n", 1)
    body = body.replace("cases, and the work", f"cases, and the\n{top}\n{foot.format(n=1)}\nwork")
    text = "12/6/26, 3:38 AM\n\n" + header + body + f"\n{top}\n{foot.format(n=2)}\n"
    report = same_facts(text)
    assert report.title == title


def test_space_an_extractor_put_inside_a_word_is_taken_out_when_the_text_writes_the_word():
    """pypdf's layout mode, where a producer split its text at kerning: "r      eviewed",
    "two     -thirds". Joined when the text writes the word elsewhere and neither piece stands
    alone anywhere else ("a long" stays two words: "a" does); warned by the finding."""
    text = (
        BASE.replace("Plans were reviewed in two-thirds", "Plans were r     eviewed in two      -thirds")
        .replace("Management oversight was effective", "Management oversight was effective in two-thirds and a long")
        .replace("in all but one case.", "in all but one case, along with a need.")
    )
    report = parse(text)
    f12 = next(f for f in report.findings if f.number == "1.2")
    assert f12.text.startswith("Plans were reviewed in two-thirds of cases")
    assert any(w.startswith("finding 1.2: 'r eviewed' read as 'reviewed'") for w in report.warnings)
    assert "a long" in next(f for f in report.findings if f.number == "2.2").text
    # a word the text writes nowhere whole: read as written, the item named by the wide space
    report = parse(BASE.replace("Staff knew the children well.", "Staff knew the pup      ils well."))
    assert any(w.startswith("key strength 1: a wide space inside a line ('pup' 'ils')") for w in report.warnings)


def test_reoffending_rate_and_its_footnote_read_with_ligatures():
    """pypdf keeps a font's ligatures: "reoﬀending" is "reoffending"."""
    report = same_facts(BASE.replace("reoffending", "reoﬀending"))
    assert report.reoffending.rate == 30.5 and report.reoffending.source == "Ministry of Justice"


def test_words_of_a_line_set_apart_one_by_one_are_warned_by_their_item():
    """pdftotext may give a justified line's words one by one, each after a blank line, after
    the rest of the item: read as written, the item is named."""
    item = "- Plans should be reviewed,\nwhen circumstances change.\n\nincluding\n\nthe\n\nrisks\n"
    text = _hard_wrapped(BASE, 60).replace("- Plans should be reviewed when circumstances change.\n", item)
    report = parse(text)
    assert any(
        w.startswith("areas requiring improvement: item 1: a line stops short inside its paragraph ('including')")
        for w in report.warnings
    )
    assert not any("stops short" in w for w in parse(_hard_wrapped(BASE, 60)).warnings)


def test_theme_numbers_together_before_their_titles_name_their_sections():
    """pdfminer's number column may give two themes' numbers before either title: which title
    is whose is not told, and both sections are named."""
    body = (
        "1.\n\n1.1.\n\n1.2.\n\n2.\n\n2.1.\n\nReducing reoffending\n\n"
        "Assessments of the likelihood of reoffending were good in 9 of the 12 cases.\n\n"
        "Plans were reviewed in two-thirds of cases, and the work was well sequenced.\n\n"
        "Protecting the public\n\nThe risk of harm was assessed well in all but one case.\n\n"
        "2.2. Management oversight was effective in most cases.\n"
    )
    report = parse(_commentary(body))
    assert any(w.startswith("section 1, section 2: theme numbers 1. and 2. came together") for w in report.warnings)


def test_list_with_no_bullets_whose_items_are_only_partly_set_apart():
    """pdfminer sets some items of a list with no bullet glyphs apart with blank lines, not all."""
    items = (
        "Staff knew the children well and worked with them and their\n"
        "families, in their homes and in school.\nPartnership working was strong.\n\n"
        "The board was engaged and its members knew the work of the\nteam well.\n"
    )
    text = _hard_wrapped(BASE, 60).replace("- Staff knew the children well.\n- Partnership working was strong.\n", items)
    report = parse(text)
    assert [i.text for i in report.key_strengths] == [
        "Staff knew the children well and worked with them and their families, in their homes and in school.",
        "Partnership working was strong.",
        "The board was engaged and its members knew the work of the team well.",
    ]
    assert any(w.startswith("key strengths: no bullets and no blank line between some items; 3 item(s)") for w in report.warnings)


def test_copy_list_row_whose_post_moved_on_to_the_next_page_whole():
    """WeasyPrint moves a table cell of two lines whole to the next page: the holder stays in
    its column on this page, under a complete row; the post comes after the page break."""
    title = "Report of Short Quality Screening (SQS) of youth offending work in Testshire"
    lines = [
        "YOT Manager                           Dan Person",
        "Chair of Youth Court Bench            Eve Person, Fay Person",
        "                                      Gus Person",
        "",
        "Page 1 of 2",
        title,
        "",
        "Police and Crime Commissioner for",
        "Testshire",
        "YJB Business Area Manager             Hal Ian Person",
    ]
    report = same_facts(with_copy_list(lines))
    assert any(
        w.startswith("copy list: 'Police and Crime Commissioner for Testshire' read with 'Gus Person'") for w in report.warnings
    )


def test_copy_list_row_whose_holders_moved_on_to_the_next_page_whole():
    """The other way round: the post stays last on its page, its two-line holders' cell comes
    in its column after the page break."""
    title = "Report of Short Quality Screening (SQS) of youth offending work in Testshire"
    lines = [
        "YOT Manager                           Dan Person",
        "Chair of Youth Court Bench",
        "",
        "",
        "Page 1 of 2",
        title,
        "",
        "",
        "                                      Eve Person, Fay Person, Gus",
        "                                      Person",
        "Police and Crime Commissioner for     Gus Person",
        "Testshire",
        "YJB Business Area Manager             Hal Ian Person",
    ]
    report = parse(with_copy_list(lines))
    assert [(e.post, [h.name for h in e.holders]) for e in report.copy_list][:2] == [
        ("YOT Manager", ["Dan Person"]),
        ("Chair of Youth Court Bench", ["Eve Person", "Fay Person", "Gus Person"]),
    ]
    assert any(w.startswith("copy list: 'Chair of Youth Court Bench' read with") for w in report.warnings)


def test_footnote_set_in_a_narrow_column_and_a_cohort_whose_dash_was_taken_out():
    """A footnote area narrower than the text: the note's first line is short, its sentence runs
    on in lower case; pdftotext takes out the dash that ended a line ("April 2012-" / "March")."""
    note = (
        "1 Published January 2015 based\non binary reoffending rates after\n12 months for the April 2012{dash}\n"
        "March 2013 cohort. Source:\nMinistry of Justice\n"
    )
    for dash in ("-", ""):
        text = pdf_like(BASE).replace("rate¹", "rate1").replace(BASE_NOTE, note.format(dash=dash))
        report = same_facts(text)
        assert report.reoffending.source == "Ministry of Justice"
        assert (report.reoffending.cohort_start, report.reoffending.cohort_end) == ("2012-04", "2013-03")


# --- the held-out PDFs of other producers, every extractor ----------------------------------------

OTHER = PDF_FIXTURES / "other"
NO_TEXT_LAYER = {"kent-2014-ps-nounicode"}  # no ToUnicode map: no extractor reads its words
OTHER_PDFS = sorted(p.stem for p in OTHER.glob("*.pdf"))


def _sample_of(stem: str) -> str:
    return re.match(r"[a-z]+-\d{4}", stem)[0]


def _other_section() -> str:
    doc = Path(__file__).resolve().parent.parent / "docs" / "extracted-text.md"
    text = doc.read_text(encoding="utf-8")
    return text[text.index("## Other producers") :]


def _other_losses() -> set[tuple[str, str]]:
    """(pdf stem, extractor) of the other producers still lossy (docs/extracted-text.md)."""
    section = _other_section()
    table = section[: section.index("Before this work")]
    out = set()
    for m in re.finditer(r"^\| ([a-z]+-\d{4}-[a-z-]+) \| (.+) \|$", table, re.M):
        for extractor, cell in zip(EXTRACTORS, [c.strip() for c in m[2].split("|")], strict=True):
            if cell != "100%":
                out.add((m[1], extractor))
    return out


def _other_silent() -> set[tuple[str, str]]:
    section = _other_section()
    listed = section[section.index("other-producer silent-change list") :]
    listed = listed[: listed.index("<!-- end of other-producer silent-change list -->")]
    return {(m[1], m[2]) for m in re.finditer(r"^- (\S+) (\S+)$", listed, re.M)}


OTHER_LOSSES = _other_losses()
OTHER_SILENT = _other_silent()


def test_every_other_producer_pdf_is_in_the_table():
    listed = {stem for stem, _ in OTHER_LOSSES} | set(re.findall(r"^\| ([a-z]+-\d{4}-[a-z-]+) \|", _other_section(), re.M))
    assert set(OTHER_PDFS) - NO_TEXT_LAYER <= listed
    assert OTHER_SILENT <= {(stem, e) for stem in OTHER_PDFS for e in EXTRACTORS}


@pytest.mark.parametrize("extractor", EXTRACTORS)
@pytest.mark.parametrize("stem", OTHER_PDFS)
def test_every_fact_of_another_producers_extracted_text(stem, extractor, request):
    if stem in NO_TEXT_LAYER:
        pytest.skip("no text layer: no extractor reads its words")
    if not available(extractor):
        pytest.skip(f"{extractor} not installed")
    if (stem, extractor) in OTHER_LOSSES:
        request.applymarker(pytest.mark.xfail(strict=True, reason="still lossy: docs/extracted-text.md"))
    report = parse(extract(OTHER / f"{stem}.pdf", extractor))
    want = set(expected(_sample_of(stem)))
    got = facts(report)
    d = diff(want, got)
    assert not d.lost(), f"recall {recall(want, got):.0%}\n{d}\nwarnings: {report.warnings}"


@pytest.mark.parametrize("extractor", EXTRACTORS)
@pytest.mark.parametrize("stem", OTHER_PDFS)
def test_no_silent_change_in_another_producers_extracted_text(stem, extractor, request):
    """As ``test_no_silent_change``, on the PDFs of producers the rules were not written for."""
    if stem in NO_TEXT_LAYER:
        pytest.skip("no text layer: no extractor reads its words")
    if not available(extractor):
        pytest.skip(f"{extractor} not installed")
    if (stem, extractor) in OTHER_SILENT:
        request.applymarker(pytest.mark.xfail(strict=True, reason="still a silent change: docs/extracted-text.md"))
    report = parse(extract(OTHER / f"{stem}.pdf", extractor))
    d = diff(set(expected(_sample_of(stem))), facts(report))
    silent = unwarned(d, report.warnings)
    assert not silent, "\n".join(map(repr, silent)) + f"\nwarnings: {report.warnings}"


def test_unwarned_names_what_differs():
    """``facts.unwarned``: a changed finding, a wrong holder and a missing header field are
    silent until a warning names them."""
    base = parse(BASE)
    changed = (
        BASE.replace("well sequenced", "well planned")
        .replace("Gus Person", "Gus Other")
        .replace("Publication date: 1st March 2015\n", "")
    )
    report = parse(changed)
    d = diff(set(facts(base)), facts(report))
    kinds = {f[0] for f in unwarned(d, [])}
    assert {"finding", "holder", "publication_date"} <= kinds
    named = [
        "finding 1.2: changed",
        "copy list: 'Police and Crime Commissioner for Testshire' read as a guess",
        "no 'Publication date:' in the header",
    ]
    assert unwarned(d, named) == []
    assert {f[0] for f in unwarned(d, named[1:])} == {"finding"}


def test_footnote_after_a_paragraph_over_a_blank_line_is_set_aside():
    """pdfminer sets a blank line inside a footnote; the body still ends where it ends, and the
    finding before it keeps its own text."""
    note = (
        "1 Published January 2015 based on binary reoffending rates after 12 months for the April 2012-March 2013\n\n"
        "cohort. Source: Ministry of Justice\n"
    )
    text = (
        BASE.replace("rate¹", "rate1")
        .replace(
            "¹ Published January 2015 based on binary reoffending rates after 12 months for the April 2012-March 2013 cohort. Source: Ministry of Justice\n",
            "",
        )
        .replace('well targeted".\n', 'well targeted".\n\n' + note + "\n")
    )
    report = parse(text)
    assert report.findings[0].text.endswith('"the plan was clear and well targeted".')
    assert report.reoffending.cohort_start is not None and report.reoffending.source == "Ministry of Justice"


def test_mark_set_apart_by_a_space_with_its_body_elsewhere():
    text = BASE.replace("rate¹ for", "rate 1 for").replace("¹ Published", "1 Published")
    same_facts(text)


def test_running_title_with_bare_page_numbers_and_no_form_feed():
    title = "Report of Short Quality Screening (SQS) of youth offending work in Testshire"
    text = pdf_like(BASE).replace("cases, and the work", f"cases, and the\n3\n{title}\nwork")
    report = same_facts(text)
    assert all("Short Quality" not in f.text for f in report.findings)


def test_hyphen_an_extractor_took_out_is_put_back_or_warned():
    report = same_facts(BASE.replace("two-thirds", "twothirds"))
    assert any("'twothirds' read as 'two-thirds'" in w for w in report.warnings)
    report = parse(BASE.replace("Management oversight", "Management MultiAgency oversight"))
    assert any(w.startswith("finding 2.2: 'MultiAgency'") for w in report.warnings)
    same_facts(BASE.replace("reviewed in two-thirds", "reviewed in two\ufffe\nthirds"))


def test_copy_list_post_wrapped_in_a_column_table_and_in_runs():
    rows = ["YOT Manager    Dan Person", "Police and Crime Commissioner    Gus Person", "for Testshire"]
    report = parse(with_copy_list(rows))
    assert [e.post for e in report.copy_list] == ["YOT Manager", "Police and Crime Commissioner for Testshire"]
    # posts of a page, then holders, the last two holders after a page break before their posts
    lines = [
        "YOT Manager",
        "Chair of Youth Court Bench",
        "Dan Person",
        "Eve Person, Fay Person",
        "Gus Person",
        "Hal Ian Person",
        "",
        "Police and Crime Commissioner for Testshire",
        "YJB Business Area Manager",
    ]
    report = same_facts(with_copy_list(lines))
    assert any("copy list: 'YJB Business Area Manager' read with 'Hal Ian Person'" in w for w in report.warnings)


def test_footnote_left_in_a_finding_is_warned_by_its_number():
    """A footnote the parser could not set aside (its body run into a paragraph) is never a
    silent change: the finding that holds it is named."""
    text = BASE.replace("rate¹", "rate1").replace("well sequenced.", "well sequenced. 1 Published in 2015. Source: Anywhere")
    report = parse(text)
    assert any(w.startswith("finding 1.2: holds what looks like a footnote") for w in report.warnings), report.warnings
    assert not any(w.startswith("finding 1.1: holds") for w in report.warnings)


def test_header_labels_first_and_a_value_wrapped_with_nothing_open_at_its_end():
    """LibreOffice's two-column header read by pdftotext: the labels, then the values, the To:
    value wrapped at a capital ("... Management" / "Board"): the likeliest grouping, named."""
    header = (
        "To:\nCopy to:\nFrom:\nPublication date:\n\nAnn Example, Chair of Testshire YOT Management\nBoard\n"
        "See copy list at end\nBob Sample, HM Assistant Chief Inspector\n1st March 2015\n"
    )
    report = parse(header + BASE[BASE.index("\nReport of") :])
    assert report.addressee.post == "Chair of Testshire YOT Management Board"
    assert (report.author.name, report.publication_date) == ("Bob Sample", "2015-03-01")
    assert any("labels came before their values" in w and "To: (2 lines)" in w for w in report.warnings)


def test_running_title_is_furniture_when_the_title_itself_wrapped():
    title = "Report of Short Quality Screening (SQS) of youth offending work in Testshire"
    text = BASE.replace(title, title.replace(" in Testshire", " in\nTestshire"))
    text = text.replace("cases, and the work", f"cases, and the\nPage 1 of 2\n\f{title}\nwork")
    report = same_facts(text)
    assert all("Short Quality" not in f.text for f in report.findings)


def test_counts_are_read_through_ligatures():
    text = BASE.replace(
        "Management oversight was effective in most cases.", "Management oversight was eﬀective in ﬁve out of eight cases."
    )
    f22 = next(f for f in parse(text).findings if f.number == "2.2")
    assert [(p.numerator, p.denominator) for p in f22.proportions] == [(5, 8)]
    assert "ﬁve" in f22.text


def test_copy_list_one_word_under_a_post_is_the_post_wrapped():
    lines = ["YOT Manager", "Chair of Testshire Police and Crime", "Panel", "", "Dan Person", "Eve Person"]
    report = parse(with_copy_list(lines))
    assert [(e.post, [h.name for h in e.holders]) for e in report.copy_list] == [
        ("YOT Manager", ["Dan Person"]),
        ("Chair of Testshire Police and Crime Panel", ["Eve Person"]),
    ]


def test_copy_list_joined_row_whose_post_holds_a_comma_and_a_holder_wrapped_after_its_qualifier():
    lines = [
        "Director of Care, Health and Dan Person",
        "Wellbeing",
        "Chair of Youth Court Bench Eve Person (West); Fay",
        "Person (North)",
    ]
    report = parse(with_copy_list(lines))
    assert [(e.post, [(h.name, h.qualifier) for h in e.holders]) for e in report.copy_list] == [
        ("Director of Care, Health and Wellbeing", [("Dan Person", None)]),
        ("Chair of Youth Court Bench", [("Eve Person", "West"), ("Fay Person", "North")]),
    ]


def test_footnote_body_ends_where_its_page_ends():
    """The footnote's last line runs nearly as wide as the others; what follows the page's
    furniture is the paragraph the page broke, not more footnote."""
    note = (
        "1 Published January 2015 based on binary reoffending rates after 12 months for the April 2012-March 2013\n"
        "cohort, and this line of it runs on just as wide as the one above it does. Source: Ministry of Justice\n"
    )
    text = BASE.replace("rate¹", "rate1").replace(BASE_NOTE, "")
    text = text.replace(
        "in two-thirds of cases, and the work",
        "in two-thirds of\n" + note + "Page 1 of 2\n\f"
        "Report of Short Quality Screening (SQS) of youth offending work in Testshire\ncases, and the work",
    )
    report = parse("\n".join(line for line in text.splitlines() if line.strip()))
    f12 = next(f for f in report.findings if f.number == "1.2")
    assert f12.text == "Plans were reviewed in two-thirds of cases, and the work was well sequenced."
    assert report.reoffending.source == "Ministry of Justice"


def _hard_wrapped(text: str, width: int = 60) -> str:
    import textwrap

    return "\n".join(textwrap.fill(line, width) if line.strip() else line for line in text.splitlines())


def test_word_an_extractor_joined_at_a_hyphen_is_put_back_or_warned():
    """pdftotext takes out a hyphen that ends a line and runs the next line in: a line far longer
    than the others. A word there the text writes elsewhere with a hyphen is put back; any
    other is warned by its finding."""
    base = BASE.replace("Plans were reviewed", "Child-friendly plans were reviewed")
    wrapped = _hard_wrapped(base)
    assert not any("hyphen" in w for w in parse(wrapped).warnings)  # no long line: nothing said
    assert not any("hyphen" in w for w in parse(base).warnings)  # a paragraph a line: not hard-wrapped
    finding = (
        "2.1. The risk of harm was assessed well in all but one case, and\n"
        "the assessment was thorough and done in a way that was childfriendly and reviewed in time.\n"
    )
    joined = re.sub(r"2\.1\. .*?(?=2\.2\.)", finding, wrapped, flags=re.S)
    report = parse(joined)
    f21 = next(f for f in report.findings if f.number == "2.1")
    assert "a way that was child-friendly and" in f21.text
    assert any(w.startswith("finding 2.1: 'childfriendly' read as 'child-friendly'") for w in report.warnings)
    report = parse(joined.replace("Child-friendly plans", "Plans"))
    assert any(w.startswith("finding 2.1: a line runs on past the others") for w in report.warnings)


def test_copy_list_justified_line_is_not_two_columns_and_a_post_runs_on_after_its_holder():
    """pdfminer sets every word of a justified line apart alike ("Eve  Person,  Fay"): one cell,
    not two columns. pdftotext reads a row across: the post's first line, the holder, the
    post's second line."""
    lines = [
        "Chair of Youth Court Bench",
        "",
        "Eve  Person,  Fay  Person,  Gus  ",
        "Person",
        "Lead Elected Member for Community",
        "Dan Person",
        "Services",
        "YJB Business Area Manager",
        "Hal Person",
    ]
    report = parse(with_copy_list(lines))
    assert [(e.post, [h.name for h in e.holders]) for e in report.copy_list] == [
        ("Chair of Youth Court Bench", ["Eve Person", "Fay Person", "Gus Person"]),
        ("Lead Elected Member for Community Services", ["Dan Person"]),
        ("YJB Business Area Manager", ["Hal Person"]),
    ]


def test_bullets_set_apart_at_the_foot_of_the_page_and_items_without_them():
    """pdfminer gives a page's bullet glyphs together at its foot, before the next page's running
    header: they head nothing there, and the list's paragraphs are its items (warned)."""
    running = "Short Quality Screening of youth offending work in Testshire"
    text = (
        pdf_like(BASE)
        .replace(
            "• Staff knew the children well.\n• Partnership working was strong.\n",
            "Staff knew the children well.\n\nPartnership working was strong.\n\n• The board was engaged.\n",
        )
        .replace("\nIf you have any", f"(cid:127)\nPage 2 of 3\n\f{running}\n\nIf you have any")
    )
    text = text.replace("2. Protecting", f"Page 1 of 3\n\f{running}\n2. Protecting")
    report = parse(text)
    assert [i.text for i in report.key_strengths] == [
        "Staff knew the children well.",
        "Partnership working was strong.",
        "The board was engaged.",
    ]
    assert [i.text for i in report.areas_for_improvement] == ["Plans should be reviewed when circumstances change."]
    assert any(w.startswith("key strengths: 2 paragraph(s) with no bullet") for w in report.warnings)


def _commentary(body: str) -> str:
    """BASE with its commentary (themes and findings) replaced by ``body``."""
    head = BASE[: BASE.index("1. Reducing reoffending")]
    tail = BASE[BASE.index("Key strengths") :]
    return head + body + "\n" + tail


def test_finding_numbers_after_their_paragraphs_and_a_theme_number_apart_from_its_title():
    """pdfminer reads a table's number column as a block of its own, before or after the
    paragraphs of the page; a theme's number may come with the findings' numbers, its title
    after them."""
    body = (
        "1.\n\n1.1.\n\n1.2.\n\nReducing reoffending\n\n"
        "Assessments of the likelihood of reoffending were good in 9 of the 12 cases. An inspector commented that "
        '"the plan was clear and well targeted".\n\n'
        "Plans were reviewed in two-thirds of cases, and the work was well sequenced.\n\n"
        "2. Protecting the public\n\n"
        "The risk of harm was assessed well in all but one case.\n\n"
        "Management oversight was effective in most cases.\n\n2.1.\n\n2.2.\n"
    )
    report = same_facts(_commentary(body))
    assert any("finding numbers 1.1., 1.2. came before their paragraphs" in w for w in report.warnings)
    assert any("finding numbers 2.1., 2.2. came after their paragraphs" in w for w in report.warnings)


def test_paragraph_a_page_break_split_runs_on_and_takes_no_number():
    """The page's last finding stops mid-sentence; the next page starts with the numbers of its
    findings, then the rest of that sentence (in lower case), then their paragraphs."""
    body = (
        "1. Reducing reoffending\n\n"
        "1.1. Assessments of the likelihood of reoffending were good in 9 of the 12 cases. An inspector commented\n\n"
        "Page 1 of 2\n\n\fRunning header of the report\n\n1.2.\n\n"
        'that "the plan was clear and well targeted".\n\n'
        "Plans were reviewed in two-thirds of cases, and the work was well sequenced.\n\n"
        "2. Protecting the public\n\n2.1. The risk of harm was assessed well in all but one case.\n\n"
        "Page 2 of 2\n\n\fRunning header of the report\n\n"
        "2.2. Management oversight was effective in most cases.\n"
    )
    report = same_facts(_commentary(body))
    assert any("1.2." in w and "running on from the one before" in w for w in report.warnings)


def test_finding_number_left_with_no_paragraph_is_named():
    body = BASE[BASE.index("1. Reducing reoffending") : BASE.index("Key strengths")]
    text = _commentary(body.replace("2.2. Management oversight was effective in most cases.\n", ""))
    report = parse(text.replace("Key strengths", "2.2.\n\nKey strengths", 1))
    assert any("finding numbers 2.2. came apart from their paragraphs" in w and "0 paragraphs" in w for w in report.warnings)
    report = parse(text.replace("Key strengths\n", "Key strengths\n\n2.2.\n", 1))  # out of the commentary
    assert any("finding numbers 2.2. stand alone" in w for w in report.warnings)


def test_running_title_above_the_header_on_the_first_page():
    """A browser's own header prints the title above the report's header on page 1 too: the
    title is the one after the header."""
    title = "Report of Short Quality Screening (SQS) of youth offending work in Testshire"
    text = f"{title}\n\n" + BASE.replace(title, title.replace(" in Testshire", " in\nTestshire"))
    text = text.replace("cases, and the work", f"cases, and the\nPage 1 of 2\n{title}\nwork")
    report = same_facts(text)
    assert report.addressee.name == "Ann Example"


def test_list_whose_bullets_were_all_set_apart_is_split_where_lines_stop_short():
    running = "Short Quality Screening of youth offending work in Testshire"
    items = (
        "Staff knew the children well and worked with them and their families, in their homes and in\n"
        "school.\nPartnership working was strong.\n"
    )
    text = _hard_wrapped(BASE, 100).replace(
        "- Staff knew the children well.\n- Partnership working was strong.\n", items + "•\n•\n" + f"Page 2 of 3\n\f{running}\n"
    )
    text = text.replace("2. Protecting", f"Page 1 of 3\n\f{running}\n2. Protecting")
    report = parse(text)
    assert [i.text for i in report.key_strengths] == [
        "Staff knew the children well and worked with them and their families, in their homes and in school.",
        "Partnership working was strong.",
    ]
    assert any(w.startswith("key strengths: the bullets were set apart from their items; 2 item(s)") for w in report.warnings)


def test_piece_of_a_line_an_extractor_moved_is_warned_by_its_finding():
    """pdfminer may set a piece of a justified line apart as a box of its own and give it out of
    order: a short line that ends no sentence inside a hard-wrapped paragraph."""
    wrapped = _hard_wrapped(BASE, 70)
    moved = (
        "2.1. The risk of harm was assessed well in all but one case, and the assessments of\n"
        "the risk were\n"
        "reviewed by managers who saw that they were done on time and were thorough in\n"
        "every respect, as the inspectors found.\n"
    )
    text = re.sub(r"2\.1\. .*?(?=2\.2\.)", moved, wrapped, flags=re.S)
    report = parse(text)
    assert any(w.startswith("finding 2.1: a line stops short inside its paragraph ('the risk were')") for w in report.warnings)
    assert not any("stops short" in w for w in parse(wrapped).warnings)


def test_footnote_body_runs_on_over_a_blank_line_after_a_dash():
    note = (
        "1 Published January 2015 based on binary reoffending rates after 12 months for the cohort of April 2012 –\n\n"
        "March 2013. Source: Ministry of Justice\n"
    )
    text = BASE.replace("rate¹", "rate1").replace(BASE_NOTE, note)
    report = parse(text)
    assert report.reoffending.source == "Ministry of Justice"


def test_copy_list_post_wrapped_after_a_possessive_and_a_name_wrapped_across_the_next_post():
    """Posts, then holders: "Lead Elected Member for Children's" / "Services" is one post (a
    possessive wants its noun); pdftotext reads a row across, the holders' first line, the post,
    the holders' second line ("..., Julie" / "YJB link staff" / "Fox")."""
    lines = [
        "YOT Manager",
        "Lead Elected Member for Children's",
        "Services and Crime",
        "YJB Business Area Manager",
        "",
        "Dan Person",
        "Eve Person",
        "Fay Person",
    ]
    report = parse(with_copy_list(lines))
    assert [e.post for e in report.copy_list] == [
        "YOT Manager",
        "Lead Elected Member for Children's Services and Crime",
        "YJB Business Area Manager",
    ]
    lines = [
        "YOT Manager",
        "Dan Person",
        "Eve Person, Fay Person, Gus",
        "YJB link staff",
        "Person",
        "YJB Business Area Manager",
        "Hal Person",
    ]
    report = parse(with_copy_list(lines))
    assert [(e.post, [h.name for h in e.holders]) for e in report.copy_list] == [
        ("YOT Manager", ["Dan Person"]),
        ("YJB link staff", ["Eve Person", "Fay Person", "Gus Person"]),
        ("YJB Business Area Manager", ["Hal Person"]),
    ]


def test_number_block_holding_the_next_theme_before_the_last_paragraphs_of_this_one():
    """pdfminer's number column: the last findings' numbers of a theme, the next theme's number
    and its first finding's number, then the paragraphs; the next theme starts at its title."""
    body = (
        "1. Reducing reoffending\n\n"
        "1.1. Assessments of the likelihood of reoffending were good in 9 of the 12 cases. An inspector commented that "
        '"the plan was clear and well targeted".\n\n1.2.\n\n2.\n\n2.1.\n\n'
        "Plans were reviewed in two-thirds of cases, and the work was well sequenced.\n\n"
        "Protecting the public\n\n"
        "The risk of harm was assessed well in all but one case.\n\n"
        "2.2. Management oversight was effective in most cases.\n"
    )
    report = same_facts(_commentary(body))
    assert [s.title for s in report.sections] == ["Reducing reoffending", "Protecting the public"]


def test_compound_an_extractor_joined_at_a_hyphen_is_put_back_when_the_text_writes_it_elsewhere():
    base = BASE.replace("Plans were reviewed", "Multi-agency plans were reviewed")
    finding = (
        "2.1. The risk of harm was assessed well in all but one case, and\n"
        "the assessment was thorough and made in a MultiAgency meeting and reviewed in time.\n"
    )
    report = parse(re.sub(r"2\.1\. .*?(?=2\.2\.)", finding, _hard_wrapped(base), flags=re.S))
    f21 = next(f for f in report.findings if f.number == "2.1")
    assert "a Multi-Agency meeting" in f21.text
    assert any(w.startswith("finding 2.1: 'MultiAgency' read as 'Multi-Agency'") for w in report.warnings)


def test_lead_inspector_set_apart_from_the_sentence_is_the_name_the_email_spells():
    closing = (
        "If you have any further questions about the inspection please contact the lead inspector, who was\n"
        "contacted at cara.tester@example.gov.uk or on 0161 000 0000.\n\n  Cara   Tester.\n\nShe can be\n"
    )
    text = BASE[: BASE.index("If you have any")] + closing + "\n" + BASE[BASE.index("Copy to:\n\nYOT") :]
    report = parse(text)
    li = report.lead_inspector
    assert (li.name, li.email, li.phone) == ("Cara Tester", "cara.tester@example.gov.uk", "0161 000 0000")
    assert any(w.startswith("lead inspector: 'Cara Tester' read as the name their email address spells") for w in report.warnings)
