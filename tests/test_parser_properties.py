"""Whatever text or bytes it is given, the reader and parser either return a report whose spans all
lie within the text, or refuse with a ``ReportError`` naming the file — never anything else."""

from __future__ import annotations

import hashlib
import json

from conftest import SAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from renderings import cut_off, pdf_style

from sqsgraph.errors import ReportError
from sqsgraph.read.model import SourceDocument
from sqsgraph.read.parser import parse_report
from sqsgraph.read.reader import read_report_bytes

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

SAMPLE_LINES = sorted({line for p in SAMPLES.values() for line in p.read_text(encoding="utf-8").splitlines()})

# --------------------------------------------------------------------------------------------
# Strategies for text that looks like a report, with awkward characters where names go
# --------------------------------------------------------------------------------------------

awkward = st.sampled_from(["'", '"', "<", ">", "&", "\t", "(", ")", ";", ",", " and ", "“", "’", "¹", "*", "<i>", "</i>"])
word = st.one_of(
    st.from_regex(r"[A-Z][a-z]{1,9}", fullmatch=True),
    st.from_regex(r"[a-z]{1,8}", fullmatch=True),
    st.from_regex(r"[0-9]{1,3}%?", fullmatch=True),
    st.sampled_from(["of", "the", "out of", "all but", "two-thirds", "half", "nearly", "YOT", "YOS"]),
    awkward,
)
phrase = st.lists(word, min_size=1, max_size=12).map(" ".join)
person = st.lists(st.one_of(st.from_regex(r"[A-Z][a-z'\-]{1,9}", fullmatch=True), awkward), min_size=1, max_size=4).map(" ".join)
label = st.sampled_from(["To:", "Copy to:", "From:", "Publication date:", "<i>To:</i>", "<i>From:</i>", "<i>Copy to:</i>"])
separator = st.sampled_from(["\t", " ", "   ", "\t\t", ""])
date = st.one_of(
    st.from_regex(r"[0-3]?[0-9](st|nd|rd|th)? (January|May|June|July|Sept|December) (19|20)[0-9]{2}", fullmatch=True),
    st.from_regex(r"[0-9]{1,2}(th)?[-–][0-9]{1,2}(th)? (April|November) 20[0-9]{2}", fullmatch=True),
    phrase,
)

header_line = st.builds(lambda lab, sep, who, post: f"{lab}{sep}{who}, {post}", label, separator, person, phrase) | st.builds(
    lambda sep, d: f"<i>Publication date:</i>{sep}{d}", separator, date
)
title_line = st.builds(lambda area: f"Report of Short Quality Screening (SQS) of youth offending work in {area}", person)
section_heading = st.builds(
    lambda n, t: f"{n}. {t}",
    st.integers(0, 12),
    st.sampled_from(
        [
            "Reducing reoffending",
            "Protecting the public",
            "Protecting the child or young person",
            "Ensuring that the sentence is served",
        ]
    )
    | phrase,
)
finding_line = st.builds(
    lambda dash, a, b, dot, text: f"{dash}{a}.{b}{dot} {text}",
    st.sampled_from(["- ", "", "• "]),
    st.integers(0, 12),
    st.integers(0, 30),
    st.sampled_from([".", ""]),
    st.one_of(phrase, st.builds(lambda p, q: f'{p}: *"{q}"*.', phrase, phrase)),
)
bullet_line = st.builds(lambda b, text: f"{b}{text}", st.sampled_from(["- ", "• ", "-", "•"]), phrase)
footnote_lines = st.builds(
    lambda mark, text: f"{mark}\n{text}" if mark == "1" else f"{mark} {text}",
    st.sampled_from(["¹", "1", "²"]),
    st.builds(
        lambda p, m, y: f"Published {m} {y} {p} Source: {p}",
        phrase,
        st.sampled_from(["January", "April", "Foo"]),
        st.integers(1990, 2030),
    ),
)
copy_line = st.builds(
    lambda post, sep, holders: f"{post}{sep}<i>{holders}</i>" if sep == "\t" else f"{post}{sep}{holders}",
    phrase,
    st.sampled_from(["\t", "   ", "  ", "\t\t"]),
    st.lists(person, min_size=1, max_size=4).map(lambda xs: ", ".join(xs)),
)
fixed_line = st.sampled_from(
    [
        "",
        "",
        "Copy to:",
        "Copy to:\t",
        "Context",
        "Summary",
        "Operational management",
        "Key strengths",
        "Areas requiring improvement",
        "Commentary on the inspection in Kent:",
        "If you have any further questions about the inspection please contact the lead inspector, who was",
        "She can be contacted at a@b.c or on 0",
        "1",
    ]
)
report_line = st.one_of(
    header_line,
    title_line,
    section_heading,
    finding_line,
    bullet_line,
    footnote_lines,
    copy_line,
    fixed_line,
    st.sampled_from(SAMPLE_LINES),
    phrase,
)
report_like = st.lists(report_line, min_size=1, max_size=60).map("\n".join)
line_ending = st.sampled_from(["\n", "\r\n", "\r", "\f\n"])


@st.composite
def structured_report(draw) -> str:
    """The parts of an SQS report in their usual order, each filled with random content."""
    out: list[str] = []
    if draw(st.booleans()):
        out += [draw(phrase) + " - HM Inspectorate of Probation", ""]
    for lab in ("To:", "Copy to:", "From:", "Publication date:"):
        if draw(st.integers(0, 5)):
            value = draw(date) if lab == "Publication date:" else f"{draw(person)}, {draw(phrase)}"
            out.append(f"{draw(st.sampled_from([lab, f'<i>{lab}</i>']))}{draw(separator)}{value}")
    out += ["", draw(title_line), "", draw(phrase), "", "Summary", "", draw(phrase), ""]
    if draw(st.booleans()):
        out += ["", draw(footnote_lines), ""]
    for n in range(1, draw(st.integers(1, 5)) + 1):
        out += [draw(section_heading) if draw(st.integers(0, 3)) else f"{n}. {draw(phrase)}", ""]
        for k in range(1, draw(st.integers(0, 5)) + 1):
            dash, dot = draw(st.sampled_from([("- ", "."), ("", ""), ("", ".")]))
            out.append(f"{dash}{n}.{k}{dot} {draw(phrase)}")
            if draw(st.integers(0, 4)) == 0:  # a page break or a footnote mid-paragraph
                out += ["", draw(st.one_of(footnote_lines, phrase)), "", draw(phrase).lower()]
    for heading in ("Operational management", "Key strengths", "Areas requiring improvement"):
        if draw(st.integers(0, 4)):
            out += ["", heading, ""] + draw(st.lists(st.one_of(bullet_line, phrase), max_size=4))
    out += [
        "",
        f"If you have any further questions about the inspection please contact the lead inspector, who was"
        f" {draw(person)}. She can be contacted at {draw(phrase)} or on {draw(st.from_regex(r'[0-9 ]{0,14}', fullmatch=True))}.",
        "",
        draw(st.sampled_from(["Copy to:", "Copy to:\t"])),
        "",
    ]
    out += draw(st.lists(copy_line, max_size=8))
    return draw(line_ending).join(out)


@st.composite
def mangled_sample(draw) -> str:
    """A real sample, rendered either way, cut off, with some lines dropped, repeated or swapped."""
    name = draw(st.sampled_from(sorted(SAMPLES)))
    text = SAMPLES[name].read_text(encoding="utf-8")
    if draw(st.booleans()):
        text = pdf_style(text, draw(st.integers(0, 1)))
    lines = text.splitlines()
    for _ in range(draw(st.integers(0, 6))):
        i = draw(st.integers(0, max(0, len(lines) - 1)))
        action = draw(st.sampled_from(["drop", "repeat", "swap", "insert"]))
        if not lines:
            break
        if action == "drop":
            lines.pop(i)
        elif action == "repeat":
            lines.insert(i, lines[i])
        elif action == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        else:
            lines.insert(i, draw(report_line))
    text = draw(line_ending).join(lines)
    return cut_off(text, draw(st.floats(0, 1)))


def document(text: str) -> SourceDocument:
    return SourceDocument(
        path="generated.txt",
        text=text,
        sha256=hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
        encoding="utf-8",
    )


def all_spans(report):
    yield "addressee", report.addressee and report.addressee.span
    yield "author", report.author and report.author.span
    yield "lead inspector", report.lead_inspector and report.lead_inspector.span
    if report.reoffending:
        yield "reoffending", report.reoffending.span
        yield "reoffending footnote", report.reoffending.footnote_span
    for s in report.sections:
        yield f"section {s.number}", s.span
        for f in s.findings:
            yield f"finding {f.number}", f.span
            for q in f.quotes:
                yield f"quote in {f.number}", q.span
            for p in f.proportions:
                yield f"proportion in {f.number}", p.span
    for item in report.key_strengths + report.areas_for_improvement:
        yield "list item", item.span
        for q in item.quotes:
            yield "quote in list item", q.span
        for p in item.proportions:
            yield "proportion in list item", p.span
    for e in report.copy_list:
        yield f"copy list {e.post!r}", e.span
        for h in e.holders:
            yield f"holder {h.name!r}", h.span


def check(text: str) -> None:
    """Parse ``text``: a ReportError is an acceptable answer; a report must be self-consistent."""
    try:
        report = parse_report(document(text))
    except ReportError as exc:
        assert exc.path == "generated.txt"
        return
    for what, span in all_spans(report):
        if span is not None:
            assert 0 <= span.start <= span.end <= len(text), f"{what}: {span} outside [0, {len(text)}]"
    json.dumps(report.to_json())  # the documented contract is always serialisable


@SETTINGS
@given(st.text(max_size=400))
def test_arbitrary_text_is_parsed_or_refused_with_a_report_error(text):
    check(text)


@SETTINGS
@given(report_like)
def test_report_like_text_is_parsed_or_refused_with_a_report_error(text):
    check(text)


@SETTINGS
@given(structured_report())
def test_structured_random_reports_are_parsed_or_refused_with_a_report_error(text):
    check(text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mangled_sample())
def test_mangled_samples_are_parsed_or_refused_with_a_report_error(text):
    check(text)


@SETTINGS
@given(st.binary(max_size=400), st.sampled_from(["x.txt", "dir/report.md", "weird name ’.txt"]))
def test_arbitrary_bytes_are_read_or_refused_with_a_report_error(data, name):
    try:
        result = read_report_bytes(data, name)
    except ReportError as exc:
        assert exc.path == name
        return
    assert result.document.path == name
    try:
        report = parse_report(result.document)
    except ReportError as exc:
        assert exc.path == name
        return
    n = len(result.document.text)
    for what, span in all_spans(report):
        if span is not None:
            assert span.end <= n, what


@SETTINGS
@given(report_like, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
def test_report_like_bytes_in_any_encoding_are_read_or_refused(text, encoding):
    data = text.encode(encoding, errors="replace")
    try:
        result = read_report_bytes(data, "encoded.txt")
    except ReportError:
        return
    check(result.document.text)
