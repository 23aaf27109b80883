"""The PDF-style fixtures are what ``tests/renderings.py`` makes of the samples, and they really
show every feature of text extracted from a PDF that the parser has to cope with."""

from __future__ import annotations

import importlib.util
import re

import pytest
from conftest import PDF_FIXTURES, SAMPLES, TESTS
from renderings import HEADER_WIDTH, SITE, WIDTH, curl, cut_off, pdf_style, straighten

spec = importlib.util.spec_from_file_location("make_renderings", TESTS / "fixtures" / "make_renderings.py")
make_renderings = importlib.util.module_from_spec(spec)
spec.loader.exec_module(make_renderings)

NAMES = sorted(SAMPLES)
VARIANT = {name: make_renderings.variant_for(i) for i, name in enumerate(NAMES)}


def sample(name: str) -> str:
    return SAMPLES[name].read_text(encoding="utf-8")


def fixture(name: str) -> str:
    return (PDF_FIXTURES / f"{name}.txt").read_text(encoding="utf-8")


def copy_rows(text: str) -> list[tuple[str, str]]:
    """The sample's copy-list lines as (post, holders), markup dropped."""
    rows = []
    for line in text.splitlines():
        m = re.match(r"^([^\t<]+)\t<i>(.+)</i>$", line)
        if m:
            rows.append((m.group(1), m.group(2)))
    return rows


def test_every_sample_has_a_fixture_and_no_fixture_lacks_a_sample():
    assert sorted(p.stem for p in PDF_FIXTURES.glob("*.txt")) == NAMES


def test_both_variants_are_used():
    assert set(VARIANT.values()) == {0, 1}


@pytest.mark.parametrize("name", NAMES)
def test_fixture_is_up_to_date_with_the_generator(name):
    assert fixture(name) == pdf_style(sample(name), VARIANT[name]), (
        "regenerate with: /work/venv/bin/python tests/fixtures/make_renderings.py"
    )


def test_rendering_is_deterministic():
    text = sample(NAMES[0])
    assert pdf_style(text, 1) == pdf_style(text, 1)
    assert pdf_style(text, 0) != pdf_style(text, 1)


@pytest.mark.parametrize("name", NAMES)
def test_no_markup_tabs_or_italic_stars(name):
    text = fixture(name)
    assert "<i>" not in text and "</i>" not in text
    assert "*" not in text
    assert "\t" not in text
    assert "¹" not in text
    assert not re.search(r"<https?://", text)


@pytest.mark.parametrize("name", NAMES)
def test_quotes_are_curly(name):
    text = fixture(name)
    assert '"' not in text and "'" not in text
    assert "’" in text  # every sample has an apostrophe ("young person's")
    if '"' in sample(name):
        assert "“" in text and "”" in text


@pytest.mark.parametrize("name", NAMES)
def test_paragraphs_are_hard_wrapped_at_word_boundaries(name):
    text = fixture(name)
    holders = {curl(h) for _, h in copy_rows(sample(name))}
    prose = [line for line in text.splitlines() if not any(line.endswith(h) for h in holders)]
    assert max(len(line) for line in prose) <= WIDTH
    assert sum(len(line) > WIDTH - 15 for line in prose) > 20  # really filled, not one word a line
    nonempty = lambda t: [line for line in t.splitlines() if line.strip()]  # noqa: E731
    assert len(nonempty(text)) > 1.5 * len(nonempty(sample(name)))
    # no word was broken or lost: the same words in the same order, bar markers and markup
    dot = "" if VARIANT[name] == 0 else "."
    source = re.sub(r"^- (\d+\.\d+)\.", lambda m: m.group(1) + dot, sample(name), flags=re.M)
    source = re.sub(r"^- ", "", source, flags=re.M)
    source = re.sub(r"</?i>|\*|[<>]", "", source).translate(str.maketrans("¹", "1"))
    got = text.split("\n", 2)[2] if VARIANT[name] == 0 else text
    got = got.replace("• ", "").replace("1\n", "1 ")
    assert straighten(got).split() == source.split()


@pytest.mark.parametrize("name", NAMES)
def test_long_header_values_wrap_onto_a_second_line(name):
    lines = fixture(name).splitlines()
    for label, value in re.findall(r"^(?:<i>)?(To|From|Copy to|Publication date):(?:</i>)?\t(\S.*)$", sample(name), re.M):
        value = curl(value)
        i = next(i for i, line in enumerate(lines) if line.startswith(f"{label}:"))
        first = lines[i][len(label) + 1 :].strip()
        if value == first:
            assert len(lines[i]) <= HEADER_WIDTH
        else:
            assert len(f"{label}: {value}") > HEADER_WIDTH - 1 or VARIANT[name] == 1
            rest = lines[i + 1].strip()
            assert f"{first} {rest}" == value
            assert lines[i + 1].startswith(" ") == (VARIANT[name] == 1)


def test_some_header_value_wraps_in_each_variant():
    for variant in (0, 1):
        wrapped = [
            name
            for name in NAMES
            if VARIANT[name] == variant
            and re.search(r"^(To|From):.*\n\s*[A-Z(][^:]*$", fixture(name), re.M)
        ]
        assert wrapped, f"no wrapped header in variant {variant}"


@pytest.mark.parametrize("name", NAMES)
def test_findings_are_numbered_at_line_start_without_dash(name):
    text = fixture(name)
    numbers = re.findall(r"^- (\d+\.\d+)\.", sample(name), re.M)
    assert numbers
    dot = "" if VARIANT[name] == 0 else "."
    for number in numbers:
        assert re.search(rf"^{re.escape(number + dot)} \S", text, re.M), number
    assert not re.search(r"^- ", text, re.M)


@pytest.mark.parametrize("name", NAMES)
def test_list_items_become_round_bullets(name):
    bullets = re.findall(r"^- (?!\d+\.\d+\.)(.*)$", sample(name), re.M)
    got = re.findall(r"^• (.*)$", fixture(name), re.M)
    assert len(got) == len(bullets) > 0
    for item, line in zip(bullets, got, strict=True):
        assert curl(re.sub(r"</?i>|\*", "", item)).startswith(line)


@pytest.mark.parametrize("name", [n for n in NAMES if "¹" in sample(n)])
def test_footnote_mark_glued_and_body_on_a_bare_1_line_where_the_page_broke(name):
    text, lines = fixture(name), fixture(name).splitlines()
    for word in re.findall(r"(\w+)¹", sample(name)):
        assert re.search(rf"\b{word}1\b", text), f"{word}1"
    assert lines.count("1") == 1
    i = lines.index("1")
    body = re.search(r"^¹ (.*)$", sample(name), re.M).group(1)
    assert lines[i + 1] and curl(body).startswith(lines[i + 1])
    # left where it stood: between the same two paragraphs as in the sample
    paragraphs = [p for p in sample(name).split("\n") if p.strip()]
    k = next(k for k, p in enumerate(paragraphs) if p.startswith("¹"))
    before_words = re.sub(r"</?i>|\*", "", paragraphs[k - 1]).split()[-2:]
    after_words = re.sub(r"</?i>|\*|^- \d+\.\d+\.", "", paragraphs[k + 1]).split()[:2]
    above = " ".join(" ".join(lines[:i]).split())
    below = " ".join(" ".join(lines[i + 1 :]).split())
    assert straighten(above).endswith(" ".join(before_words))
    assert " ".join(after_words) in straighten(below)[: len(curl(body)) + 40]


@pytest.mark.parametrize("name", ["kent-2014", "bedfordshire-2014", "cumbria-2016", "barnet-2014"])
def test_page_breaks_mid_paragraph_stay_mid_paragraph(name):
    """A paragraph the page break cut still resumes, lower case, after a blank line."""
    lines = fixture(name).splitlines()
    resumed = [p for p in sample(name).split("\n") if re.match(r"^[a-z]", p)]
    if name == "barnet-2014":  # Barnet's page breaks fall between paragraphs
        assert resumed == []
        return
    assert resumed
    for paragraph in resumed:
        first = straighten(paragraph.split()[0])
        assert any(
            straighten(line).startswith(paragraph[: len(line)][: 30]) and not lines[i - 1]
            for i, line in enumerate(lines)
            if straighten(line).split()[:1] == [first]
        ), paragraph[:40]


@pytest.mark.parametrize("name", NAMES)
def test_copy_list_columns_are_aligned_with_spaces(name):
    lines = fixture(name).splitlines()
    rows = copy_rows(sample(name))
    assert rows
    starts = set()
    for post, holders in rows:
        line = next(line for line in lines if line.startswith(curl(post) + "  "))
        assert line.endswith(curl(holders))
        gap = line[len(curl(post)) : len(line) - len(curl(holders))]
        assert len(gap) >= 2 and not gap.strip()
        starts.add(len(line) - len(curl(holders)))
    assert len(starts) == 1, "holders start in one column"


@pytest.mark.parametrize("name", NAMES)
def test_web_page_title_line_only_in_variant_0(name):
    first = fixture(name).splitlines()[0]
    area = re.search(r"youth offending work in (.+)$", sample(name), re.M).group(1).strip()
    if VARIANT[name] == 0:
        assert first == f"Short Quality Screening of youth offending work in {area} - {SITE}"
    else:
        assert first.startswith("To:")


def test_web_page_title_is_built_from_the_text_not_fixed():
    text = sample(NAMES[0])
    area = re.search(r"youth offending work in (.+)$", text, re.M).group(1).strip()
    moved = pdf_style(text.replace(area, "Nowhere Shire"), 0)
    assert moved.splitlines()[0] == f"Short Quality Screening of youth offending work in Nowhere Shire - {SITE}"


def test_curl_opens_after_space_and_closes_after_a_word():
    assert curl('he said "it\'s \'fine\'" (really)') == "he said “it’s ‘fine’” (really)"
    assert straighten(curl('a "b" c\'s')) == 'a "b" c\'s'


def test_cut_off_keeps_a_prefix_of_the_stated_fraction():
    text = sample(NAMES[0])
    half = cut_off(text, 0.5)
    assert text.startswith(half)
    assert abs(len(half) - len(text) / 2) <= 1
    assert cut_off(text, 1) == text
    assert cut_off(text, 0) == ""
    with pytest.raises(ValueError):
        cut_off(text, 1.5)


def test_unknown_variant_is_refused():
    with pytest.raises(ValueError):
        pdf_style("x", 2)
