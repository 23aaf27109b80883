"""Parse the text of an SQS report into the typed report model.

The parser knows text layout and nothing of RDF. It reads both renderings the reports reach
users in: the light-markup one (``<i>`` tags, tab-separated copy list, one line per paragraph)
and text extracted from PDFs (hard-wrapped paragraphs, "•" bullets, curly quotes, footnote marks
glued to words, copy-list columns separated by spaces, a stray page title above the header).

How it works, in order:

1. markup (``<i>``, ``*``) and characters nobody can see (control characters, bidirectional
   overrides) are removed from a ``MappedText`` that keeps every character's source offset, so
   every span points into the file as it stands; lines end at LF, CR LF or a lone CR;
2. footnote bodies are found (a superscript mark, or a bare mark line whose digit is glued to a
   word elsewhere) and set aside;
3. lines are walked once, switching region at the headings the reports use (header labels, the
   title, "Summary", "Commentary ...", numbered themes, "Operational management", "Key
   strengths", "Areas requiring improvement", "Copy to:");
4. each region is read by its own small function; paragraphs broken by a page break (a blank line
   mid-sentence, possibly with a footnote between) are joined again.

The steps live beside this module: ``patterns`` (the compiled patterns), ``extracted`` (text
other tools extracted from PDFs, put right first, with ``furniture``: the page furniture left
out, and ``numbering``: numbers set apart given back), ``lines`` (the walk and the footnotes),
``paragraphs``, and the parts: ``header``, ``findings``, ``copylist``. This module holds
``parse_report`` and the file-level entry points.

Nothing here depends on the names, numbers or wording of particular reports: only on the
structure every SQS report shares.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import NotAReportError, ReportError
from . import dates
from .copylist import _copy_list
from .counts import number_value
from .extracted import _layout
from .findings import _check_text, _findings, _list_items, _reoffending
from .header import _body, _header_fields, _lead_inspector, _person, _title_and_area
from .lines import _find_footnotes, _Line, _Regions, _walk
from .model import DateRange, InspectedBody, ListItem, PersonMention, Report, Section, SourceDocument, Span
from .paragraphs import _JOINED_FRACTION, _PDFIUM_HYPHEN, _hyphens_taken_out, _paragraphs, _spaces_put_in, _wrap_width
from .patterns import (
    _CASES,
    _CONTROL,
    _CONTROL_BULLET,
    _DETERMINERS,
    _GLUED_MARK,
    _LOWER_WORD,
    _MARKUP,
    _NAME_PREPOSITIONS,
    _NAME_TOKEN,
    _NAME_VERBS,
    _NEAR,
    _NOT_NAMES,
    _PREVIOUS_INSPECTION,
    _PROPER_AFTER,
    _PROPER_BEFORE,
    _SENTENCE_START_BEFORE,
    _THEME_HEADING,
    _WORD_AFTER,
    _WORD_BEFORE,
)
from .reader import read_report_file
from .textmap import MappedText, join
from .themes import theme_of


def _case_pseudonyms(texts: Sequence[MappedText], quotes: Sequence[str], excluded: set[str], full_text: str) -> list[str]:
    """First names used for children in case examples: a capitalised word used like a name
    (possessive, subject of a verb, object of a preposition) in the middle of a sentence, never
    written in lower case, not part of a longer proper noun and not a word of a post or body.

    Only a few words either side of each candidate are looked at, so the time stays linear in
    the length of the text, however long one paragraph is."""
    lower_words = set(_LOWER_WORD.findall(full_text))
    quoted_words = set(re.split(r"[^\w-]+", " ".join(quotes)))
    stats: dict[str, dict[str, int]] = {}
    for mt in texts:
        t = mt.text
        first = len(t) - len(t.lstrip())
        for m in _NAME_TOKEN.finditer(t):
            word = m["w"]
            if word.lower() in lower_words or word.lower() in _NOT_NAMES or word.lower() in excluded:
                continue
            before = t[max(0, m.start() - _NEAR) : m.start()]
            after = t[m.end() : m.end() + _NEAR]
            if _PROPER_BEFORE.search(before) or _PROPER_AFTER.match(after):
                continue  # part of a longer proper noun
            word_before = _WORD_BEFORE.search(before)
            prev_word = word_before[1].lower() if word_before else ""
            if prev_word in _DETERMINERS:
                continue
            initial = m.start() <= first or bool(_SENTENCE_START_BEFORE.search(before))
            word_after = _WORD_AFTER.match(after)
            next_word = word_after[1].lower() if word_after else ""
            signal = bool(m["poss"]) or next_word in _NAME_VERBS or prev_word in _NAME_PREPOSITIONS
            s = stats.setdefault(word, {"mid": 0, "signal": 0, "count": 0})  # insertion order: first use
            s["count"] += 1
            s["mid"] += 0 if initial else 1
            s["signal"] += 1 if signal else 0
    return [word for word, s in stats.items() if s["mid"] and s["signal"] and (word in quoted_words or s["count"] >= 2)]


def parse_report(document: SourceDocument, warnings: Iterable[str] = ()) -> Report:
    """Parse one decoded report. Raises ``NotAReportError`` when the text has none of the
    parts of an SQS report; anything expected but missing is a warning on the result."""
    notes: list[str] = list(warnings)
    clean, hyphen_notes = _cleaned(document.text, notes)
    glued = set(_GLUED_MARK.findall(clean.text))
    breaks: list[int] = []
    loose: list[int] = []
    lines = [_Line(i, t) for i, t in enumerate(_layout(list(clean.lines()), glued, notes, breaks, loose))]
    footnote_starts, footnote_lines, marks = _find_footnotes(lines, clean, glued, breaks)
    regions = _walk(lines, footnote_lines)
    wrap_width = _wrap_width([line.stripped for line in lines])

    header = _header_fields(lines, regions.before_title, notes)
    title, area = _title_and_area(lines, regions, marks)
    sections = _sections(lines, regions, marks, notes, wrap_width, sorted(breaks), hyphen_notes)
    copy_list = _copy_list(lines, regions.copylist, document.text, notes)
    parts_found = sum([bool(header), bool(title), any(s.findings for s in sections), bool(copy_list)])
    if parts_found < 2:
        raise NotAReportError(
            document.path,
            "not an SQS report: expected at least two of a 'To:/From:' header, a 'Report of Short Quality "
            "Screening' title, numbered findings and a copy list",
        )

    intro = join(_paragraphs(lines, regions.intro, marks), "\n")
    body = _inspected_body(intro, clean, area, notes)
    publication_date, inspection, cases, previous = _dates_and_cases(header, intro, clean, sections, notes)
    reoffending = _reoffending(intro, list(footnote_starts.values()))

    operational = _paragraphs(lines, regions.operational, marks)
    strengths, improvements = _strengths_and_improvements(lines, regions, marks, notes, loose, wrap_width, breaks, hyphen_notes)
    lead = _lead_inspector(join(_paragraphs(lines, regions.closing, marks), "\n"), notes)

    addressee = _person(header["to"]) if "to" in header else None
    author = _person(header["from"]) if "from" in header else None
    parts = {
        "title": title,
        "area": area,
        "sections": sections,
        "strengths": strengths,
        "improvements": improvements,
        "lead": lead,
        "copy_list": copy_list,
    }
    notes.extend(_missing(addressee, author, parts))
    named = [
        area or "",
        body.name if body else "",
        addressee.post if addressee and addressee.post else "",
        author.post if author and author.post else "",
        *(e.post for e in copy_list),
    ]
    pseudonyms = _pseudonyms(sections, strengths + improvements, named, clean.text)

    return Report(
        source=document,
        title=title,
        area=area,
        body=body,
        addressee=addressee,
        author=author,
        publication_date=publication_date,
        inspection=inspection,
        cases_examined=cases,
        previous_inspection_year=previous,
        reoffending=reoffending,
        lead_inspector=lead,
        sections=sections,
        operational_management="\n\n".join(p.text for p in operational) or None,
        key_strengths=strengths,
        areas_for_improvement=improvements,
        copy_list=copy_list,
        case_pseudonyms=pseudonyms,
        warnings=notes,
    )


def _inspected_body(intro: MappedText, clean: MappedText, area: str | None, notes: list[str]) -> InspectedBody | None:
    """The inspected team or service, named in the introduction or else anywhere in the text."""
    body, inferred = _body(intro.text, area)
    if body is None:
        body, inferred = _body(clean.text, area)
    if body is None:
        notes.append("no inspected youth offending team or service named")
    elif inferred:
        notes.append(f"inspected body name inferred from its abbreviation: {body.name}")
    return body


def _strengths_and_improvements(
    lines: list[_Line],
    regions: _Regions,
    marks: set[str],
    notes: list[str],
    loose: list[int],
    wrap_width: int | None,
    breaks: list[int],
    hyphen_notes: list[tuple[int, str, str]],
) -> tuple[list[ListItem], list[ListItem]]:
    """The key strengths and the areas requiring improvement, each item checked as a paragraph is."""
    strengths = _list_items(lines, regions.strengths, marks, "key strengths", notes, loose, wrap_width, sorted(breaks))
    improvements = _list_items(
        lines, regions.improvements, marks, "areas requiring improvement", notes, loose, wrap_width, sorted(breaks)
    )
    for label, items in (("key strength", strengths), ("area requiring improvement", improvements)):
        for k, item in enumerate(items):
            _check_paragraph(f"{label} {k + 1}", item.text, item.span, marks, hyphen_notes, notes)
    return strengths, improvements


def _cleaned(text: str, notes: list[str]) -> tuple[MappedText, list[tuple[int, str, str]]]:
    """The text with markup and invisible characters removed, hyphens and spaces an extractor
    took out or put in set right (each source offset kept); the notes about hyphens, for the
    paragraph that holds them."""
    clean = MappedText.of_source(text).delete(_MARKUP).delete(_CONTROL_BULLET, 2)
    controls = [m for m in _CONTROL_BULLET.finditer(text) if m[2] and _CONTROL.match(m[2])]
    if controls:
        first = controls[0]
        notes.append(f"{len(controls)} control character(s) ignored, the first U+{ord(first[2]):04X} at offset {first.start(2)}")
    clean, hyphen_notes = _hyphens_taken_out(clean)
    clean, spaced_notes = _spaces_put_in(clean)
    hyphen_notes += spaced_notes
    if "\ufffe" in clean.text:  # PDFium's mark for a hyphen that ends a line
        clean = clean.substitute(_PDFIUM_HYPHEN, "-")
    joined = _JOINED_FRACTION.findall(clean.text)
    if joined:
        notes.extend(f"'{a}{b}' read as '{a}-{b}' (a hyphen an extractor took out at a line break)" for a, b in joined)
        clean = clean.substitute(_JOINED_FRACTION, r"\1-\2")
    return clean, hyphen_notes


def _sections(
    lines: Sequence[_Line],
    regions: _Regions,
    marks: set[str],
    notes: list[str],
    wrap_width: int | None,
    breaks: list[int],
    hyphen_notes: list[tuple[int, str, str]],
) -> list[Section]:
    """The numbered themes with their findings, each finding's text checked."""
    sections: list[Section] = []
    for heading_line, section_lines in regions.sections:
        m = _THEME_HEADING.match(lines[heading_line].stripped)
        assert m is not None  # the walk only records matching headings
        number = int(m["num"])
        title_text = " ".join(m["title"].split())
        theme = theme_of(title_text)
        if theme is None:
            notes.append(f"section {number} {title_text!r} is not one of the four SQS themes")
        heading_span = lines[heading_line].text.strip().source_span()
        sections.append(
            Section(
                number=number,
                title=title_text,
                theme=theme,
                findings=tuple(_findings(lines, section_lines, number, marks, notes, wrap_width, breaks)),
                span=heading_span,
            )
        )
    for s in sections:
        for f in s.findings:
            _check_paragraph(f"finding {f.number}", f.text, f.span, marks, hyphen_notes, notes)
    return sections


def _check_paragraph(
    label: str, text: str, span: Span, marks: set[str], hyphen_notes: list[tuple[int, str, str]], notes: list[str]
) -> None:
    """What a finding or list item may hold that is not its own, and the hyphen notes within it."""
    _check_text(label, text, marks, notes)
    notes.extend(f"{label}: {note}" for at, word, note in hyphen_notes if span.start <= at < span.end and word in text)


def _dates_and_cases(
    header: dict[str, MappedText], intro: MappedText, clean: MappedText, sections: Sequence[Section], notes: list[str]
) -> tuple[str | None, DateRange | None, int | None, int | None]:
    """The publication date, the inspection's dates, the cases examined and the year of the
    inspection before."""
    publication_date = None
    if "publication date" in header:
        publication_date = dates.parse_date(header["publication date"].text)
        if publication_date is None:
            notes.append(f"publication date not understood: {header['publication date'].text!r}")
    else:
        notes.append("no 'Publication date:' in the header")

    inspection = None
    rng = dates.parse_range(intro.text)
    if rng:
        inspection = DateRange(*rng)
    else:
        notes.append("inspection dates not found")

    cases = None
    c = _CASES.search(intro.text) or _CASES.search(clean.text)
    if c:
        cases = number_value(c["n"] or c["n2"])
    else:
        notes.append("number of cases examined not found")

    previous = None
    p = _PREVIOUS_INSPECTION.search(intro.text)
    if p is None:
        all_findings = " ".join(f.text for s in sections for f in s.findings)
        p = _PREVIOUS_INSPECTION.search(all_findings)
    if p:
        previous = int(p["y"])
    return publication_date, inspection, cases, previous


def _missing(addressee: PersonMention | None, author: PersonMention | None, parts: dict[str, Any]) -> list[str]:
    """A warning for each part of a report that was not found."""
    out = [f"no '{label}:' line in the header" for label, value in (("To", addressee), ("From", author)) if value is None]
    for key, note in (
        ("title", "no title ('Report of Short Quality Screening ...')"),
        ("area", "the inspected area is not named"),
        ("sections", "no numbered themes with findings"),
        ("strengths", "no key strengths"),
        ("improvements", "no areas requiring improvement"),
        ("lead", "no lead inspector named"),
        ("copy_list", "no copy list (the report may be cut off)"),
    ):
        if not parts[key]:
            out.append(note)
    return out


def _pseudonyms(sections: Sequence[Section], items: Sequence[ListItem], named: Sequence[str], full_text: str) -> list[str]:
    """The case pseudonyms of the findings and list items: names that are not the area's, the
    body's or a post's words."""
    texts: list[MappedText] = []
    quotes: list[str] = []
    for s in sections:
        for f in s.findings:
            texts.append(MappedText.of_source(f.text))
            quotes.extend(q.text for q in f.quotes)
    for item in items:
        texts.append(MappedText.of_source(item.text))
        quotes.extend(q.text for q in item.quotes)
    excluded_words: set[str] = set()
    for v in named:
        excluded_words.update(w.lower() for w in re.findall(r"[A-Za-z]+", v))
    return _case_pseudonyms(texts, quotes, excluded_words, full_text)


def parse_file(path: str | Path) -> Report:
    """Read and parse one report file; decoding warnings are kept on the report."""
    result = read_report_file(path)
    return parse_report(result.document, result.warnings)


@dataclass
class ParseOutcome:
    """Reports parsed from many files, and the files that could not be read as reports."""

    reports: list[Report] = field(default_factory=list)
    errors: list[ReportError] = field(default_factory=list)


#: below this many files, starting worker processes costs more than it saves
PARALLEL_FROM = 16


def _parse_or_error(path: str | Path) -> Report | ReportError:
    try:
        return parse_file(path)
    except ReportError as exc:
        return exc


def parse_files(paths: Iterable[str | Path], *, strict: bool = False, workers: int = 1) -> ParseOutcome:
    """Parse every file, in order; a bad file is recorded and the others still parsed
    (``strict``: raise at the first bad file instead). ``workers`` > 1 reads many files in that
    many processes (reading a PDF's pages is most of the work)."""
    outcome = ParseOutcome()
    files = list(paths)
    if workers > 1 and len(files) >= PARALLEL_FROM:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=workers) as pool:
            results: Iterable[Report | ReportError] = list(pool.map(_parse_or_error, files, chunksize=4))
    else:
        results = map(_parse_or_error, files)
    for result in results:
        if isinstance(result, ReportError):
            if strict:
                raise result
            outcome.errors.append(result)
        else:
            outcome.reports.append(result)
    return outcome
