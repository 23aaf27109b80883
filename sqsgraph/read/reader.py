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
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from ..errors import BinaryFileError, NotAReportError, ReportError, UnreadableFileError
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


EMPTY = "the file is empty"
NOT_AN_SQS_REPORT = "not an SQS report"  # how the parser's NotAReportError for other text begins


def decode(data: bytes, path: str) -> tuple[str, str, tuple[str, ...]]:
    """Decode raw bytes: (text, encoding, warnings). Raises for binary or empty data."""
    if not data.strip():
        raise NotAReportError(path, EMPTY)
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


def plainly_not_a_report(exc: ReportError) -> bool:
    """Whether ``exc`` says the file holds something other than an SQS report (prose, nothing),
    rather than that a report could not be read: found in a folder (a README.md, notes), such a
    file is skipped with a note; a damaged, locked or scanned PDF, an empty one (a download cut
    short) or a binary file stays an error, as does any file the user named."""
    if not isinstance(exc, NotAReportError):
        return False
    if exc.problem.startswith(NOT_AN_SQS_REPORT):
        return True
    return exc.problem == EMPTY and not exc.path.lower().endswith(PDF_SUFFIX)


def _names(paths: list[str], limit: int = 8) -> str:
    return ", ".join(paths[:limit]) + (f" and {len(paths) - limit} more" if len(paths) > limit else "")


def skipped_note(paths: list[str]) -> str | None:
    """One line on the files found in folders that are not SQS reports (``plainly_not_a_report``)."""
    if not paths:
        return None
    return f"skipped {len(paths)} file(s) found in folders that are not SQS reports (name one to see why): {_names(paths)}"


@dataclass(frozen=True)
class FoundReports:
    """What a walk over the paths a user named found."""

    files: list[Path]  # report files, named or found in folders, in a deterministic order
    others: list[Path]  # files of other kinds found in folders: skipped, listed in one note
    problems: list[ReportError]  # a named folder with no report file in it, a path that is not there
    walked: frozenset[str] = frozenset()  # of ``files`` (as str), those found in folders, not named
    repeats: list[str] = field(default_factory=list)  # notes on files named more than once, read once

    def note(self) -> str | None:
        """One line on the files of other kinds that were skipped."""
        if not self.others:
            return None
        return f"skipped {len(self.others)} file(s) that are not reports ({'/'.join(REPORT_SUFFIXES)}): {_names([str(p) for p in self.others])}"

    def notes(self) -> list[str]:
        """Every note about what was named: files named twice, files of other kinds skipped."""
        return [*self.repeats, *(n for n in (self.note(),) if n)]

    def found_in_folder(self, path: str | Path) -> bool:
        """Whether the report file ``path`` was found by walking a folder rather than named."""
        return str(path) in self.walked


def _hidden(path: Path, root: Path) -> bool:
    """A hidden file or folder below ``root`` (".git/", ".ipynb_checkpoints/", ".DS_Store",
    macOS "._name" forks), or one of macOS's "__MACOSX" folders in unpacked archives."""
    return any(part.startswith(".") or part == "__MACOSX" for part in path.relative_to(root).parts)


def find_reports(paths: Iterable[str | Path]) -> FoundReports:
    """Report files among ``paths``: a file named is taken as it is (and refused later if it is
    not a report); a folder is walked for report files (.txt, .text, .md, .pdf), hidden files and
    folders left out, files of other kinds listed. A named folder holding no report file, or a
    path that does not exist, is a problem naming it."""
    files: list[Path] = []
    others: list[Path] = []
    problems: list[ReportError] = []
    seen: dict[Path, tuple[Path, Path | None]] = {}  # resolved -> (the file as first found, the folder it was in)
    folders: dict[Path, Path] = {}  # resolved -> a folder as named
    repeats: list[str] = []
    named_again: dict[Path, list[Path]] = {}  # resolved -> the names it was given again
    walked: set[str] = set()
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            named_before = folders.get(p.resolve())
            if named_before is not None:
                repeats.append(f"{p} was named twice; read once" if str(named_before) == str(p)
                               else f"{p} was named twice (also as {named_before}); read once")
                continue
            folders[p.resolve()] = p
            found: list[Path] = []
            other: list[Path] = []
            for c in sorted(p.rglob("*"), key=lambda c: c.parts):  # Path order, each key made once
                if not c.is_file() or _hidden(c, p):
                    continue
                (found if c.suffix.lower() in REPORT_SUFFIXES else other).append(c)
            if not found:
                held = ", ".join(c.name for c in other[:8]) + (" ..." if len(other) > 8 else "") if other else "nothing"
                problems.append(NotAReportError(str(p), f"no report files ({', '.join(REPORT_SUFFIXES)}) in this folder; it holds: {held}"))
            others.extend(other)
        elif p.exists() or p.is_symlink():
            found = [p]
        else:
            problems.append(UnreadableFileError(str(p), "no such file"))
            continue
        folder = p if p.is_dir() else None
        already: list[str] = []
        for f in found:
            key = f.resolve()
            if key not in seen:
                seen[key] = (f, folder)
                files.append(f)
                if folder is not None:
                    walked.add(str(f))
                continue
            # the same file named twice, or a file inside a folder also named: read once, and said
            first, first_folder = seen[key]
            if folder is None:
                named_again.setdefault(key, []).append(f)
                walked.discard(str(first))  # named: what is wrong with it is an error, as for any file named
            elif first_folder is folder:  # a link in the folder to another file of it
                repeats.append(f"{f} is the same file as {first}; read once")
            else:
                already.append(str(f))
        if already:
            repeats.append(f"{len(already)} file(s) in {p} were named before it: {_names(already)}; read once")
    for key, again in named_again.items():
        first, first_folder = seen[key]
        times = "twice" if len(again) == 1 else f"{len(again) + 1} times"
        also = [str(a) for a in again if str(a) != str(first)]
        where = [f"in {first_folder}"] if first_folder is not None else []
        where += [f"as {a}" for a in dict.fromkeys(also)]
        repeats.append(f"{first} was named {times}{' (also ' + ', '.join(where) + ')' if where else ''}; read once")
    return FoundReports(files, others, problems, frozenset(walked), repeats)


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
