"""Read report files into text, never guessing silently.

A PDF (known by its ``%PDF-`` header, whatever its name) is read through ``pdfsource`` and
``pdflayout``: its text is the text sqsgraph derives from the pages, with the page and box of
every stretch. Text files: UTF-8 (with or without BOM) and UTF-16/32 with a BOM are decoded as such. Anything else is
decoded with charset-normalizer's best guess (Windows-1252 in practice) and a warning is returned
with the text, so the user knows the file was not UTF-8. Binary files and empty files are refused
with the file's name in the error.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .errors import BinaryFileError, NotAReportError, UnreadableFileError
from .model import PDF_MEDIA_TYPE, SourceDocument

TEXT_SUFFIXES = (".txt", ".text", ".md")
PDF_SUFFIX = ".pdf"
REPORT_SUFFIXES = (*TEXT_SUFFIXES, PDF_SUFFIX)

# Real SQS reports are 5-40 KB of text. Anything far larger is not one, and reading it whole
# would only cost memory and time before failing.
MAX_REPORT_BYTES = 8 * 1024 * 1024
# A published report's PDF is 100-600 KB (a letterhead image, embedded fonts); scanned or
# image-heavy copies run larger.
MAX_PDF_BYTES = 64 * 1024 * 1024

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class ReadResult:
    document: SourceDocument
    warnings: tuple[str, ...]


def decode(data: bytes, path: str) -> tuple[str, str, tuple[str, ...]]:
    """Decode raw bytes: (text, encoding, warnings). Raises for binary or empty data."""
    if not data.strip():
        raise NotAReportError(path, "the file is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding, ()
            except UnicodeDecodeError as exc:
                raise UnreadableFileError(path, f"starts with a {encoding} byte-order mark but is not valid {encoding}") from exc
    if b"\x00" in data[:65536]:
        raise BinaryFileError(path, "binary data (NUL bytes), not a text report")
    try:
        return data.decode("utf-8"), "utf-8", ()
    except UnicodeDecodeError:
        pass
    encoding = _guess_encoding(data)
    text = data.decode(encoding, errors="replace")
    return text, encoding, (f"not valid UTF-8; decoded as {encoding}",)


def _guess_encoding(data: bytes) -> str:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a declared dependency
        return "cp1252"
    matches = from_bytes(data)
    best = matches.best()
    if best is None or best.encoding in {"ascii", "utf_8"}:
        return "cp1252"
    # English text with a few curly quotes fits several code pages equally well (cp1250 often
    # comes first); of those, Windows-1252 is the one such reports are written in
    if any("cp1252" in m.could_be_from_charset and m.chaos <= best.chaos for m in matches):
        return "cp1252"
    return best.encoding


_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffd]")


def _control_ratio(text: str) -> float:
    """Share of control characters (and decoding replacements) in the first 64 KiB."""
    if not text:
        return 0.0
    sample = text[:65536]
    return len(_CONTROL.findall(sample)) / len(sample)


def read_report_file(path: str | Path) -> ReadResult:
    """Read one file: its decoded text, content hash and any decoding warnings."""
    p = Path(path)
    name = str(path)
    if p.is_dir():
        raise UnreadableFileError(name, "is a directory, not a report file")
    try:
        size = p.stat().st_size
        limit = MAX_PDF_BYTES if p.suffix.lower() == PDF_SUFFIX else MAX_REPORT_BYTES
        if size > limit:
            raise UnreadableFileError(
                name,
                f"too large to be an SQS report ({size / 1024 / 1024:.1f} MB; reports are tens of KB, limit "
                f"{limit // 1024 // 1024} MB)",
            )
        data = p.read_bytes()
    except FileNotFoundError as exc:
        raise UnreadableFileError(name, "no such file") from exc
    except OSError as exc:
        raise UnreadableFileError(name, f"cannot be read ({exc.strerror or exc})") from exc
    return read_report_bytes(data, name)


def is_pdf(data: bytes) -> bool:
    """A PDF starts with ``%PDF-`` (readers accept it within the first KB, after junk)."""
    return b"%PDF-" in data[:1024]


def read_report_bytes(data: bytes, name: str) -> ReadResult:
    if is_pdf(data):
        return read_pdf_bytes(data, name)
    if name.lower().endswith(PDF_SUFFIX) and data.strip():
        raise UnreadableFileError(name, "named .pdf but not a PDF (no %PDF- header): a damaged or mislabelled file")
    if len(data) > MAX_REPORT_BYTES:
        raise UnreadableFileError(name, f"too large to be an SQS report ({len(data) / 1024 / 1024:.1f} MB)")
    text, encoding, warnings = decode(data, name)
    if _control_ratio(text) > 0.05:
        raise BinaryFileError(name, "binary data (mostly control characters), not a text report")
    digest = hashlib.sha256(data).hexdigest()
    return ReadResult(SourceDocument(path=name, text=text, sha256=digest, encoding=encoding), warnings)


def read_pdf_bytes(data: bytes, name: str) -> ReadResult:
    """A PDF's derived text, with the page boxes of its stretches; a scan with no text layer, a
    damaged or locked PDF is a ``ReportError`` saying so."""
    from .pdflayout import derive_text
    from .pdfsource import read_pdf

    if len(data) > MAX_PDF_BYTES:
        raise UnreadableFileError(name, f"too large to be an SQS report ({len(data) / 1024 / 1024:.1f} MB)")
    content = read_pdf(data, name)
    if not any(page.runs for page in content.pages):
        if any(page.images for page in content.pages):
            raise NotAReportError(name, "no text layer: a scanned image? run OCR first, e.g. ocrmypdf")
        raise NotAReportError(name, "the PDF has no text")
    derived = derive_text(content)
    digest = hashlib.sha256(data).hexdigest()
    document = SourceDocument(path=name, text=derived.text, sha256=digest, encoding="pdf", media_type=PDF_MEDIA_TYPE,
                              boxes=derived.boxes)
    return ReadResult(document, derived.warnings)


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, and report files inside directories named (sorted, for deterministic runs)."""
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = (c for c in p.rglob("*") if c.suffix.lower() in REPORT_SUFFIXES and c.is_file())
            out.extend(sorted(found, key=lambda c: c.parts))  # Path order, each key made once
        else:
            out.append(p)
    return out


def sample_paths() -> list[Path]:
    """The bundled sample reports, sorted by file name."""
    root = resources.files("sqsgraph") / "samples"
    return sorted(
        (Path(str(entry)) for entry in root.iterdir() if entry.name.endswith(".txt")),
        key=lambda p: p.name,
    )


def iter_read(paths: Iterable[str | Path]) -> Iterator[ReadResult]:
    for p in paths:
        yield read_report_file(p)
