"""A corpus of hostile report files, made from the bundled samples by the tests themselves.

Every case is a ``Case``: the file name and bytes, and what `sqsgraph build` must say about it:

* ``refused`` — not a report it can read: ``error: PATH: PROBLEM`` on stderr, not built;
* ``built`` — a report, built, with ``warning: PATH: PROBLEM`` lines for what is odd about it;
* ``duplicate`` / ``conflict`` — the same report as a good one (``note: duplicate: ...``), or a
  different version of one (``error: PATH: conflicts with ...``), see ``pipeline.drop_duplicates``.

How the cases are derived (nothing here knows the wording of a sample):

* where a report's parts begin is read from the parser's own model of the complete report
  (``boundaries``): the header from the addressee's span, the title from the model's title, each
  numbered theme from its heading span, the lists and the copy list from the line above their
  first item, the closing from the paragraph naming the lead inspector;
* a derived report that must be built beside the good ones gets an invented area
  (``with_area``), so that it is a report in its own right and not a second version of the
  sample it came from (that would be a conflict: see ``conflicting_version``);
* names are put where the model says names are (``with_names``: the spans of the addressee and
  the copy-list holders), text into the first finding (``into_first_finding``).
"""

from __future__ import annotations

import codecs
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from renderings import pdf_style

from sqsgraph.errors import ReportError
from sqsgraph.read.model import Report, SourceDocument
from sqsgraph.read.parser import parse_report
from sqsgraph.read.reader import MAX_REPORT_BYTES, sample_paths

NOT_A_REPORT = ("not an SQS report: expected at least two of a 'To:/From:' header, a 'Report of Short Quality "
                "Screening' title, numbered findings and a copy list")
EMPTY = "the file is empty"
CUT_OFF = "no copy list (the report may be cut off)"

# invented areas for derived reports: one capitalised word each, never a real place in the samples
_STEMS = ("Ash", "Brook", "Elder", "Fern", "Glen", "Holm", "Marsh", "Oak", "Thorn", "Wold", "Ivy", "Rush")
_ENDS = ("vale", "mere", "ford", "ley", "wick", "by", "stow", "den", "holt", "combe")
INVENTED_AREAS = tuple(f"{a}{b}" for b in _ENDS for a in _STEMS)

# characters nobody sees, put into names and findings (NUL would make the file binary): vertical
# tab, form feed and NEL are white space; ESC, DEL, CSI (C1) and SOH are dropped with a warning
CONTROLS = "\x0b\x0c\x1b\x7f\x85\x9b\x01"
DROPPED_CONTROLS = "\x1b\x7f\x9b\x01"

# (as written into the copy list, as the reader must read it)
HOSTILE_NAMES: tuple[tuple[str, str], ...] = (
    ("Ann O'Brien \"Nan\"", "Ann O'Brien \"Nan\""),
    ("Back\\Slash Jones", "Back\\Slash Jones"),
    ('Tri """Quote""" Smith', 'Tri """Quote""" Smith'),
    ("<img src=x onerror=alert(1)> Lee", "<img src=x onerror=alert(1)> Lee"),
    ("Kim <b Park> Less>Than", "Kim <b Park> Less>Than"),
    ("Tab\tInside Name", "Tab Inside Name"),
    ("דוד כהן", "דוד כהן"),  # Hebrew, right to left
    ("محمد علي", "محمد علي"),  # Arabic, right to left
    ("\u202eReversed Name", "Reversed Name"),  # a right-to-left override is dropped
    ("Zoe\u0308 Bronte\u0308", "Zoe\u0308 Bronte\u0308"),  # combining diaeresis, kept as written
    ("Nick\x1b[31m Red\x7f", "Nick[31m Red"),  # an ANSI escape and DEL are dropped
)
# the addressee's name, with a line break (the header wraps) and characters Turtle must escape
HOSTILE_ADDRESSEE = ('Amp & Bob <"""> \\\nLee', 'Amp & Bob <"""> \\ Lee')
HOSTILE_FINDING = ' Said: "Tri """quote""" & <img src=x onerror=alert(2)> \\ end". '


@dataclass(frozen=True)
class Case:
    name: str  # file name in the corpus folder
    data: bytes
    outcome: str  # "refused" | "built" | "duplicate" | "conflict"
    problems: tuple[str, ...] = ()  # what stderr must say about this file (after "PATH: ")
    what: str = ""
    encoding: str = "utf-8"  # what the bytes were written in

    def write(self, folder: Path) -> Path:
        path = folder / self.name
        path.write_bytes(self.data)
        return path


def samples() -> dict[str, str]:
    """The bundled samples by stem, as text."""
    return {p.stem: p.read_text(encoding="utf-8") for p in sample_paths()}


def parse_text(text: str, name: str = "hostile.txt") -> Report:
    doc = SourceDocument(name, text, hashlib.sha256(text.encode("utf-8")).hexdigest(), "utf-8")
    return parse_report(doc)


# --- where the parts of a report begin -------------------------------------------------------


def line_start(text: str, offset: int) -> int:
    return max(text.rfind("\n", 0, offset), text.rfind("\r", 0, offset)) + 1


def heading_before(text: str, offset: int) -> int:
    """Start of the last non-blank line above the line holding ``offset`` (a part's heading)."""
    at = line_start(text, offset)
    while at > 0:
        at = line_start(text, at - 1)
        if text[at : text.find("\n", at)].strip():
            return at
    return 0


def paragraph_start(text: str, offset: int) -> int:
    """Start of the first line of the paragraph (run of non-blank lines) holding ``offset``."""
    at = line_start(text, offset)
    while at > 0:
        above = line_start(text, at - 1)
        if not text[above : at].strip():
            return at
        at = above
    return 0


def boundaries(text: str) -> dict[str, int]:
    """Where each part of the report in ``text`` begins, in document order, from the parser's
    model of the whole report: ``{"header": 0, "title": ..., "section 1": ..., ...}``."""
    r = parse_text(text)
    found: dict[str, int] = {}
    if r.addressee is not None and r.addressee.span is not None:
        found["header"] = line_start(text, r.addressee.span.start)
    if r.title:
        first_words = " ".join(r.title.split()[:4])
        m = re.search(r"^[ \t]*" + r"\s+".join(map(re.escape, first_words.split())), text, re.M)
        if m:
            found["title"] = m.start()
    for s in r.sections:
        if s.span is not None:
            found[f"section {s.number}"] = line_start(text, s.span.start)
    for part, items in (("key strengths", r.key_strengths), ("areas for improvement", r.areas_for_improvement)):
        if items:
            found[part] = heading_before(text, items[0].span.start)
    if r.lead_inspector is not None and r.lead_inspector.span is not None:
        found["closing"] = paragraph_start(text, r.lead_inspector.span.start)
    if r.copy_list and r.copy_list[0].span is not None:
        found["copy list"] = heading_before(text, r.copy_list[0].span.start)
    order = sorted(found.items(), key=lambda kv: kv[1])
    assert [v for _, v in order] == sorted(set(found.values())), f"two parts begin at one place: {order}"
    return dict(order)


# --- derived reports ---------------------------------------------------------------------------


def rename(text: str, old: str, new: str) -> str:
    """Every mention of the place ``old`` in ``text`` made ``new``."""
    return re.sub(rf"(?<![\w-]){re.escape(old)}(?![\w-])", new, text)


def with_area(text: str, area: str) -> str:
    """The report with its area renamed wherever it is written: a report of another area."""
    old = parse_text(text).area
    assert old, "the report names no area"
    renamed = rename(text, old, area)
    assert parse_text(renamed).area == area, f"renaming {old} to {area} did not take"
    return renamed


def _replace(text: str, edits: list[tuple[int, int, str]]) -> str:
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def with_names(text: str, names: list[str], addressee: str | None = None) -> str:
    """The first ``len(names)`` copy-list holders (and the addressee) renamed, by their spans."""
    r = parse_text(text)
    holders = [h for e in r.copy_list for h in e.holders]
    assert len(holders) >= len(names), "not enough names on the copy list"
    edits = [(h.span.start, h.span.end, n) for h, n in zip(holders, names, strict=False)]
    if addressee is not None and r.addressee is not None and r.addressee.span is not None:
        edits.append((r.addressee.span.start, r.addressee.span.end, addressee))
    return _replace(text, edits)


def into_first_finding(text: str, insert: str) -> str:
    """``insert`` in the middle of the first finding (at a space)."""
    f = parse_text(text).findings[0]
    middle = text.index(" ", (f.span.start + f.span.end) // 2)
    return text[:middle] + insert + text[middle:]


def with_line_endings(text: str, endings: tuple[str, ...]) -> str:
    """Lines ended by ``endings`` in turn. A lone CR is never followed by a blank line's LF
    (that pair would read as one CR LF), so such a blank line ends in CR LF instead."""
    out: list[str] = []
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if i == len(lines) - 1:  # after the last line end (empty when the text ends with one)
            out.append(line)
            break
        end = endings[i % len(endings)]
        if not line and out and out[-1].endswith("\r") and end == "\n":
            end = "\r\n"
        out.append(line + end)
    return "".join(out)


def conflicting_version(text: str) -> str:
    """The same report (area and date) with one finding worded differently."""
    f = parse_text(text).findings[0]
    return text[: f.span.start] + "In a revised version: " + text[f.span.start :]


# --- the cases ------------------------------------------------------------------------------------


def truncations(stem: str, text: str, areas: Iterator[str], rendering: str) -> list[Case]:
    """``text`` cut just before each part, each cut a report of its own invented area."""
    cases = []
    area = parse_text(text).area
    assert area, "the report names no area"
    for part, offset in boundaries(text).items():
        cut = rename(text[:offset], area, next(areas))  # a cut starts a line: no name straddles it
        name = f"cut-{rendering}-{stem}-before-{part.replace(' ', '-')}.txt"
        try:
            parse_text(cut)
        except ReportError as exc:
            assert exc.problem in (EMPTY, NOT_A_REPORT), exc.problem
            problem = EMPTY if not cut.strip() else NOT_A_REPORT
            cases.append(Case(name, cut.encode("utf-8"), "refused", (problem,), f"{stem} ({rendering}) cut before the {part}"))
            continue
        cases.append(Case(name, cut.encode("utf-8"), "built", (CUT_OFF,), f"{stem} ({rendering}) cut before the {part}"))
    return cases


RENDERINGS = ("plain", "pdf")


def rendering(text: str, name: str) -> str:
    """A sample as shipped (``plain``) or as text extracted from its PDF (``pdf``)."""
    return text if name == "plain" else pdf_style(text)


def corpus(renderings: tuple[str, ...] = RENDERINGS) -> list[Case]:
    """Every hostile case, with the samples only as the material they are made of; the samples
    are cut before every part in each of ``renderings``."""
    texts = samples()
    stems = sorted(texts)
    areas = iter(INVENTED_AREAS)
    cases: list[Case] = []

    # truncated at every part
    for stem in stems:
        for name in renderings:
            cases += truncations(stem, rendering(texts[stem], name), areas, name)

    first = texts[stems[0]]
    # line endings: CR LF, lone CR (old Mac), and all three mixed in one file
    for label, endings in (("crlf", ("\r\n",)), ("cr", ("\r",)), ("mixed", ("\r\n", "\r", "\n"))):
        text = with_line_endings(with_area(texts[stems[1]], next(areas)), endings)
        cases.append(Case(f"endings-{label}.txt", text.encode("utf-8"), "built", (), f"{label} line endings"))
    # encodings
    text = with_area(texts[stems[2]], next(areas)).replace("'", "\u2019")
    cases.append(Case("windows-1252.txt", text.encode("cp1252"), "built", ("not valid UTF-8; decoded as cp1252",),
                      "Windows-1252, not UTF-8", "cp1252"))
    text = with_area(texts[stems[3]], next(areas))
    cases.append(Case("utf-16-bom.txt", text.encode("utf-16"), "built", (), "UTF-16 with a byte-order mark", "utf-16"))
    text = with_area(texts[stems[4]], next(areas))
    cases.append(Case("utf-8-bom.txt", codecs.BOM_UTF8 + text.encode("utf-8"), "built", (), "UTF-8 with a byte-order mark",
                      "utf-8-sig"))
    cases.append(Case("utf-16-broken.txt", codecs.BOM_UTF16_LE + "ab".encode("utf-16-le") + b"\x00\xd8",  "refused",
                      ("starts with a utf-16 byte-order mark but is not valid utf-16",), "UTF-16 with a lone surrogate"))
    # control characters in names and in a finding
    text = with_area(first, next(areas))
    text = into_first_finding(with_names(text, ["Con" + CONTROLS + "trol Name"]), " odd" + CONTROLS + "text ")
    first_control = min(text.index(c) for c in DROPPED_CONTROLS)
    cases.append(Case("control-characters.txt", text.encode("utf-8"), "built",
                      (f"{sum(c in DROPPED_CONTROLS for c in text)} control character(s) ignored, the first "
                       f"U+{ord(text[first_control]):04X} at offset {first_control}",),
                      "control characters in a name and a finding"))
    # names with quotes, backslashes, markup, tabs, line breaks, right-to-left and combining text
    text = with_area(texts[stems[1]], next(areas))
    text = with_names(text, [n for n, _ in HOSTILE_NAMES], addressee=HOSTILE_ADDRESSEE[0])
    text = into_first_finding(text, HOSTILE_FINDING + "شرح قصير. Zoe\u0308 said so.")
    controls = sum(1 for ch in text if ch in "\x1b\x7f")
    cases.append(Case("hostile-names.txt", text.encode("utf-8"), "built",
                      (f"{controls} control character(s) ignored, the first U+001B at offset {text.index(chr(0x1b))}",),
                      "names with quotes, backslashes, markup, tabs, line breaks, RTL and combining characters"))
    # the same report under another name, and another version of a report
    cases.append(Case(f"copy-of-{stems[0]}.txt", first.encode("utf-8"), "duplicate", (), "a duplicate under another name"))
    cases.append(Case(f"{stems[0]}-revised.txt", conflicting_version(first).encode("utf-8"), "conflict", (),
                      "another version of the same report"))
    # not reports at all
    cases.append(Case("empty.txt", b"", "refused", (EMPTY,), "empty"))
    cases.append(Case("blank.txt", b" \n\t\r\n  \n", "refused", (EMPTY,), "only white space"))
    cases.append(Case("binary.txt", b"\x7fELF\x02\x01\x01\n" + bytes(range(256)) * 8, "refused",
                      ("binary data (NUL bytes), not a text report",), "binary (NUL bytes)"))
    cases.append(Case("broken.txt", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + bytes(range(256)) * 8, "refused",
                      ("a damaged PDF: it cannot be opened (truncated, or not a PDF inside)",),
                      "a PDF's header and then garbage"))
    cases.append(Case("controls.txt", bytes(range(1, 32)) * 40, "refused",
                      ("binary data (mostly control characters), not a text report",), "mostly control characters"))
    cases.append(Case("letter.txt", b"Dear colleague,\n\nThank you for your letter.\n", "refused",
                      (NOT_A_REPORT,), "prose, not a report"))
    return cases


def enormous_line(path: Path, megabytes: int = 24) -> Path:
    """A text file of ``megabytes`` MB on one line (written in chunks, never held whole)."""
    chunk = b"All work and no play. " * 47662  # ~1 MB
    with path.open("wb") as f:
        for _ in range(megabytes):
            f.write(chunk)
    assert path.stat().st_size > MAX_REPORT_BYTES
    return path


def too_large(path: Path) -> str:
    size = path.stat().st_size
    return (f"too large to be an SQS report ({size / 1024 / 1024:.1f} MB; reports are tens of KB, limit "
            f"{MAX_REPORT_BYTES // 1024 // 1024} MB)")


__all__ = ["CONTROLS", "CUT_OFF", "Case", "DROPPED_CONTROLS", "EMPTY", "HOSTILE_ADDRESSEE", "HOSTILE_FINDING", "HOSTILE_NAMES",
           "INVENTED_AREAS", "NOT_A_REPORT", "RENDERINGS", "boundaries", "conflicting_version", "corpus", "enormous_line",
           "into_first_finding", "parse_text", "rename", "rendering", "samples", "too_large", "truncations", "with_area",
           "with_line_endings", "with_names"]
