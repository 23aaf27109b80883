"""Other renderings of the sample reports, for testing the parser on text it has not been tuned to.

The bundled samples are one rendering of SQS reports: ``<i>`` markup, ``*`` around italics, one
line per paragraph, "- 1.1." bullets, tab-separated copy lists, superscript footnote marks.
Reports also reach users as text pulled out of the published PDFs (pdftotext and friends), which
looks different in every one of those respects. ``pdf_style`` turns a sample into such a text:

* no ``<i>`` markup, no ``*`` italic markers, no ``<...>`` around web addresses;
* a stray web-page title line above the header (variant 0 only), built from the report's title;
* header values after the label, wrapped onto a second line when long (variant 0: the rest
  starts at the margin; variant 1: labels padded to a column and the rest indented under it);
* paragraphs hard-wrapped at 95 columns on word boundaries;
* numbered findings as "1.1 text" (variant 0) or "1.1. text" (variant 1), no "- " bullet;
  other bullets as "• text";
* curly quotes “ ” ‘ ’ instead of straight ones;
* footnote marks glued to the word ("rate1"), and the footnote body as a bare "1" line followed
  by its text, left where the page break put it (mid-paragraph, as in the samples);
* copy-list columns separated by runs of spaces (aligned), never a tab.

``cut_off`` truncates a report part-way, as a failed download or copy leaves it.

Everything here is deterministic: the committed fixtures under ``tests/fixtures/pdf`` are
``pdf_style`` of the samples, and ``tests/test_renderings.py`` checks they are up to date.
"""

from __future__ import annotations

import re
import textwrap

WIDTH = 95  # paragraph width, as a portrait A4 page comes out of pdftotext
HEADER_WIDTH = 60  # the header block sits in a narrow column on the first page
HEADER_COLUMN = 19  # variant 1: where header values start
SITE = "HM Inspectorate of Probation"

SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_SUPERSCRIPT_CLASS = "⁰¹²³⁴⁵⁶⁷⁸⁹"

_HEADER = re.compile(r"^(?:<i>)?(To|Copy to|From|Publication date):(?:</i>)?\t(\S.*)$")
_COPY_LINE = re.compile(r"^([^\t]+)\t(.*)$")
_FINDING = re.compile(r"^- (\d+\.\d+)\.?\s+(.*)$")
_BULLET = re.compile(r"^- (.*)$")
_FOOTNOTE = re.compile(rf"^([{_SUPERSCRIPT_CLASS}]+)\s+(.*)$")
_TITLE = re.compile(r"^Report of (Short Quality Screening) \(SQS\) of (youth offending work in .+?)\s*$")
_ANGLE_URL = re.compile(r"<((?:https?://|www\.)[^<>\s]+)>")
_MARKUP = re.compile(r"</?i>")


def curl(text: str) -> str:
    """Straight quotes to typographic ones: opening after a space or bracket, closing otherwise."""
    out: list[str] = []
    for i, ch in enumerate(text):
        before = text[i - 1] if i else ""
        opening = before == "" or before.isspace() or before in "([{“‘—–-/"
        if ch == '"':
            out.append("“" if opening else "”")
        elif ch == "'":
            out.append("‘" if opening else "’")
        else:
            out.append(ch)
    return "".join(out)


def straighten(text: str) -> str:
    """The inverse of ``curl`` as far as the words go: typographic quotes back to straight ones."""
    return text.translate(str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"}))


def _inline(text: str) -> str:
    """Markup a PDF never shows, removed; superscript marks as the digits they become; quotes curled."""
    text = _MARKUP.sub("", text)
    text = _ANGLE_URL.sub(r"\1", text)
    text = text.replace("*", "")
    text = text.translate(SUPERSCRIPTS)
    return curl(text).rstrip()


def _wrap(text: str, width: int = WIDTH) -> list[str]:
    return textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False) or [""]


def _header(label: str, value: str, variant: int) -> list[str]:
    value = _inline(value)
    if variant == 0:
        first, indent = f"{label}: ", ""
    else:
        first, indent = f"{label}:".ljust(HEADER_COLUMN), " " * HEADER_COLUMN
    line = first + value
    if len(line) <= HEADER_WIDTH or " " not in value:
        return [line]
    cut = line.rfind(" ", len(first) + 1, HEADER_WIDTH + 1)
    if cut <= len(first):
        return [line]
    return [line[:cut], indent + line[cut + 1 :]]


def _web_title(lines: list[str]) -> str | None:
    for line in lines:
        m = _TITLE.match(_MARKUP.sub("", line).strip())
        if m:
            return f"{m.group(1)} of {m.group(2)} - {SITE}"
    return None


def _copy_block(rows: list[tuple[str, str]], variant: int) -> list[str]:
    posts = [_inline(post) for post, _ in rows]
    holders = [_inline(h) for _, h in rows]
    column = max(len(p) for p in posts) + (3 if variant == 0 else 6)
    return [(p.ljust(column) + h).rstrip() for p, h in zip(posts, holders, strict=True)]


def pdf_style(text: str, variant: int = 0) -> str:
    """The sample ``text`` as it would come out of the report's PDF (see the module docstring)."""
    if variant not in (0, 1):
        raise ValueError(f"variant must be 0 or 1, not {variant!r}")
    lines = text.splitlines()
    while lines and not lines[0].strip():
        lines.pop(0)
    out: list[str] = []
    if variant == 0:
        title = _web_title(lines)
        if title:
            out += [title, ""]

    rows: list[tuple[str, str]] = []

    def flush_copy_rows() -> None:
        if rows:
            out.extend(_copy_block(rows, variant))
            rows.clear()

    for raw in lines:
        header = _HEADER.match(raw)
        copy = None if header else _COPY_LINE.match(raw)
        if copy and not copy.group(2).strip():  # "Copy to:<tab>" with nothing after it
            flush_copy_rows()
            out.append(_inline(copy.group(1)))
            continue
        if copy:
            rows.append((copy.group(1), copy.group(2)))
            continue
        flush_copy_rows()
        if header:
            out.extend(_header(header.group(1), header.group(2), variant))
            continue
        line = raw.strip()
        if not line:
            out.append("")
            continue
        finding = _FINDING.match(line)
        bullet = None if finding else _BULLET.match(line)
        footnote = None if finding or bullet else _FOOTNOTE.match(line)
        if finding:
            marker = finding.group(1) + ("" if variant == 0 else ".")
            out.extend(_wrap(f"{marker} {_inline(finding.group(2))}"))
        elif bullet:
            out.extend(_wrap(f"• {_inline(bullet.group(1))}"))
        elif footnote:
            out.append(footnote.group(1).translate(SUPERSCRIPTS))
            out.extend(_wrap(_inline(footnote.group(2))))
        else:
            out.extend(_wrap(_inline(line)))
    flush_copy_rows()
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"


def cut_off(text: str, fraction: float) -> str:
    """The first ``fraction`` of ``text`` (0..1), cut wherever that falls, even mid-word."""
    if not 0 <= fraction <= 1:
        raise ValueError(f"fraction must be between 0 and 1, not {fraction!r}")
    return text[: round(len(text) * fraction)]
