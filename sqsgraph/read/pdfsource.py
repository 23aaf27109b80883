"""What a PDF holds for reading: text runs with their boxes and fonts, rules, structure tags.

This is the one module that talks to the PDF library (pypdfium2, the engine of Chromium's PDF
viewer; BSD/Apache licensed). It hands the layout code (``pdflayout``) plain dataclasses, so the
layout logic does not depend on the library.

Speed: a page is read as its *text objects* (a run of text in one font, usually a line or a cell),
not character by character: a few calls through ctypes per run instead of a few per character,
which is what makes per-character reading slow.

Coordinates are given as the page is displayed: PDF points, origin at the top left of the crop
box, y growing downwards, the page's rotation applied. Everything downstream (layout and the
``viewrect`` of a fact's page fragment) uses that one system.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any

from ..errors import NotAReportError, UnreadableFileError

if TYPE_CHECKING:
    from pypdfium2 import PdfDocument

# pypdfium2 has no type information: ``raw`` (its ctypes bindings, ``pypdfium2.raw``) is passed
# as the module it is, its functions and handles are untyped.

#: A PDF user-space point (x, y) in display coordinates (origin top left, y down).
ToDisplay = Callable[[float, float], tuple[float, float]]
#: Marked-content id -> (structure element types from the root, element ids).
Roles = dict[int, tuple[tuple[str, ...], tuple[int, ...]]]

#: Reports have 3-6 pages; a file with many more is not one, and reading it would only cost time.
MAX_PAGES = 50


@dataclass(slots=True)
class Run:
    """A run of text drawn in one font (one PDF text object), in display coordinates."""

    text: str
    left: float
    top: float
    right: float
    bottom: float
    baseline: float  # y of the text's origin, as displayed
    size: float  # font size in points, with the text matrix's scale applied
    font: str  # base font name without a subset prefix
    bold: bool
    italic: bool
    artifact: bool  # marked as page furniture (running header, footer, page number) by the tags
    roles: tuple[str, ...]  # structure element types from the root to the run ("Table", "TR", "TD", "P"), () untagged
    cells: tuple[int, ...]  # ids of the structure elements above the run (same id: same element on this page)
    #: x where the pen starts drawing the run (its origin), as displayed; None: same as ``left``.
    #: ``left`` is the ink of the first glyph, which stands off the pen by the glyph's side bearing
    origin: float | None = None


@dataclass(slots=True)
class Rule:
    """A thin filled or stroked line (a footnote separator, a table border)."""

    left: float
    top: float
    right: float
    bottom: float


@dataclass(frozen=True)
class Page:
    number: int  # from 1
    width: float  # as displayed
    height: float
    runs: tuple[Run, ...]
    rules: tuple[Rule, ...]
    images: int  # image objects drawn on the page (a page of images and no text is a scan)
    #: small filled shapes about as wide as high (a list bullet some engines draw as a disc or a
    #: square rather than as a glyph), as boxes
    dots: tuple[Rule, ...] = ()


@dataclass(frozen=True)
class PdfContent:
    pages: tuple[Page, ...]
    tagged: bool  # the PDF has a structure tree


def read_pdf(data: bytes, name: str) -> PdfContent:
    """Open PDF bytes and read every page's runs; a PDF that cannot be read is a ``ReportError``
    naming ``name`` and its own problem."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise _open_error(name, exc.err_code, raw) from exc
    try:
        count = len(doc)
        if count == 0:
            raise NotAReportError(name, "the PDF has no pages")
        if count > MAX_PAGES:
            raise NotAReportError(name, f"the PDF has {count} pages; SQS reports have under 20 (refused above {MAX_PAGES})")
        pages = []
        tagged = False
        for index in range(count):
            page, has_tags = _read_page(doc, index, raw)
            pages.append(page)
            tagged = tagged or has_tags
        _refuse_unmapped_text(pages, name)
        return PdfContent(tuple(pages), tagged)
    finally:
        doc.close()


_UNMAPPED = re.compile("[\x00-\x1f\ufffd]")


def _refuse_unmapped_text(pages: list[Page], name: str) -> None:
    """Text whose fonts give no Unicode for their codes reads as control characters (a subset font
    numbering its glyphs 1, 2, 3... whose ToUnicode map was lost, as when a PDF is printed to
    PostScript and distilled again): words can only come back by OCR, so say that."""
    text = "".join(run.text for page in pages for run in page.runs)
    total = len(text) - text.count(" ")
    if total and len(_UNMAPPED.findall(text)) > 0.2 * total:
        raise NotAReportError(
            name,
            "the text layer cannot be read: its fonts map glyphs to no characters (no ToUnicode; a PDF "
            "printed to PostScript and distilled again?); run OCR first, e.g. ocrmypdf --force-ocr",
        )


def _open_error(name: str, code: int | None, raw: ModuleType) -> UnreadableFileError:
    if code == getattr(raw, "FPDF_ERR_PASSWORD", -1):
        return UnreadableFileError(name, "the PDF needs a password to open; save an unprotected copy and build that")
    if code == getattr(raw, "FPDF_ERR_SECURITY", -1):
        return UnreadableFileError(name, "the PDF uses an encryption this reader does not support")
    return UnreadableFileError(name, "a damaged PDF: it cannot be opened (truncated, or not a PDF inside)")


class _Fonts:
    """Font facts by font handle: asked once per font, not once per run."""

    def __init__(self, raw: ModuleType) -> None:
        self.raw = raw
        self.known: dict[int, tuple[str, bool, bool]] = {}
        self.name_buffer = ctypes.create_string_buffer(256)

    def of(self, font: ctypes._Pointer[Any]) -> tuple[str, bool, bool]:
        key = ctypes.cast(font, ctypes.c_void_p).value or 0
        hit = self.known.get(key)
        if hit is not None:
            return hit
        raw = self.raw
        n = raw.FPDFFont_GetBaseFontName(font, self.name_buffer, 256)
        name = self.name_buffer.raw[: max(0, n - 1)].decode("latin-1") if n else ""
        if len(name) > 7 and name[6] == "+" and name[:6].isupper():
            name = name[7:]  # subset prefix "ABCDEF+"
        flags = raw.FPDFFont_GetFlags(font)
        angle = ctypes.c_int(0)
        raw.FPDFFont_GetItalicAngle(font, ctypes.byref(angle))
        # Not FPDFFont_GetWeight: without a /FontWeight pdfium derives a weight from /StemV, which
        # some producers fill with any number (Ghostscript's regular fonts come out at 700)
        lowered = name.lower()
        bold = bool(flags & (1 << 18)) or any(w in lowered for w in ("bold", "black", "heavy", "semibold", "demi"))
        italic = angle.value != 0 or bool(flags & (1 << 6)) or "italic" in lowered or "oblique" in lowered
        hit = (name, bold, italic)
        self.known[key] = hit
        return hit


def _display(rotation: int, crop: tuple[float, float, float, float]) -> ToDisplay:
    """A function from a PDF user-space point to display coordinates (origin top left, y down)."""
    cl, cb, cr, ct = crop
    if rotation == 90:
        return lambda x, y: (y - cb, x - cl)
    if rotation == 180:
        return lambda x, y: (cr - x, y - cb)
    if rotation == 270:
        return lambda x, y: (ct - y, cr - x)
    return lambda x, y: (x - cl, ct - y)


def _read_page(doc: PdfDocument, index: int, raw: ModuleType) -> tuple[Page, bool]:
    page = doc[index]
    try:
        rotation = page.get_rotation() % 360
        crop = page.get_cropbox()
        width, height = crop[2] - crop[0], crop[3] - crop[1]
        if rotation in (90, 270):
            width, height = height, width
        to_display = _display(rotation, crop)
        roles, has_tags = _structure(page, raw)
        textpage = page.get_textpage()
        try:
            runs, rules, images, dots = _objects(page, textpage, raw, to_display, roles)
        finally:
            textpage.close()
        return Page(index + 1, round(width, 2), round(height, 2), tuple(runs), tuple(rules), images, tuple(dots)), has_tags
    finally:
        page.close()


def _wide(fn: Any, *args: object) -> str:  # a pdfium function (ctypes, untyped)
    """Call a pdfium function that fills a UTF-16 buffer (size first asked with a null buffer)."""
    n = fn(*args, None, 0)
    if n <= 2:
        return ""
    buffer = ctypes.create_string_buffer(n)
    fn(*args, ctypes.cast(buffer, fn.argtypes[-2]), n)
    return buffer.raw[: n - 2].decode("utf-16-le", errors="replace")


def _structure(page: object, raw: ModuleType) -> tuple[Roles, bool]:
    """Marked-content id -> (element types from the root, element ids), from the page's structure tree."""
    tree = raw.FPDF_StructTree_GetForPage(page)
    if not tree:
        return {}, False
    out: Roles = {}
    counter = 0
    try:
        stack: list[tuple[object, tuple[str, ...], tuple[int, ...]]] = []
        for k in range(raw.FPDF_StructTree_CountChildren(tree)):
            child = raw.FPDF_StructTree_GetChildAtIndex(tree, k)
            if child:
                stack.append((child, (), ()))
        has_elements = bool(stack)
        while stack:
            element, types, ids = stack.pop()
            counter += 1
            kind = _wide(raw.FPDF_StructElement_GetType, element)
            here_types, here_ids = (*types, kind), (*ids, counter)
            for k in range(raw.FPDF_StructElement_GetMarkedContentIdCount(element)):
                mcid = raw.FPDF_StructElement_GetMarkedContentIdAtIndex(element, k)
                if mcid >= 0:
                    out[mcid] = (here_types, here_ids)
            for k in range(raw.FPDF_StructElement_CountChildren(element)):
                child = raw.FPDF_StructElement_GetChildAtIndex(element, k)
                if child:
                    stack.append((child, here_types, here_ids))
        return out, has_elements
    finally:
        raw.FPDF_StructTree_Close(tree)


_Box = tuple[float, float, float, float]  # left, top, right, bottom as displayed


class _ObjectReader:
    """What a page's objects are read with: the pdfium functions, buffers and pointers.

    Every call through ctypes costs a microsecond or two: the functions, buffers and pointers
    are bound once here, and a run's text is fetched with one call into a buffer that fits."""

    def __init__(self, raw: ModuleType, textpage: object, to_display: ToDisplay, roles: Roles) -> None:
        self.raw = raw
        self.textpage = textpage
        self.to_display = to_display
        self.roles = roles
        self.fonts = _Fonts(raw)
        self.get_bounds, self.get_matrix = raw.FPDFPageObj_GetBounds, raw.FPDFPageObj_GetMatrix
        self.get_text, self.get_size, self.get_font = (
            raw.FPDFTextObj_GetText,
            raw.FPDFTextObj_GetFontSize,
            raw.FPDFTextObj_GetFont,
        )
        self.count_marks, self.get_mark = raw.FPDFPageObj_CountMarks, raw.FPDFPageObj_GetMark
        self.mark_name, self.get_mcid = raw.FPDFPageObjMark_GetName, raw.FPDFPageObj_GetMarkedContentID
        self.fill_mode, self.stroke = ctypes.c_int(), ctypes.c_int()
        self.draw_mode = (ctypes.byref(self.fill_mode), ctypes.byref(self.stroke))
        self.left, self.bottom, self.right, self.top = (ctypes.c_float() for _ in range(4))
        self.bounds = (ctypes.byref(self.left), ctypes.byref(self.bottom), ctypes.byref(self.right), ctypes.byref(self.top))
        self.matrix = raw.FS_MATRIX()
        self.matrix_ref = ctypes.byref(self.matrix)
        self.size = ctypes.c_float()
        self.size_ref = ctypes.byref(self.size)
        self._text_buffer(8192)
        self.mark_buffer = ctypes.create_string_buffer(64)
        self.mark_pointer = ctypes.cast(self.mark_buffer, ctypes.POINTER(ctypes.c_ushort))
        self.mark_length = ctypes.c_ulong()
        self.mark_length_ref = ctypes.byref(self.mark_length)

    def _text_buffer(self, capacity: int) -> None:
        self.capacity = capacity
        self.text_buffer = ctypes.create_string_buffer(capacity)
        self.text_pointer = ctypes.cast(self.text_buffer, ctypes.POINTER(ctypes.c_ushort))

    def box(self, obj: object, outer: tuple[float, ...] | None) -> _Box | None:
        """The object's bounds as displayed, or None when pdfium gives none."""
        if not self.get_bounds(obj, *self.bounds):
            return None
        to_display = self.to_display
        if outer is None:
            x0, y0 = to_display(self.left.value, self.bottom.value)
            x1, y1 = to_display(self.right.value, self.top.value)
        else:
            x0, y0 = to_display(*_apply(outer, self.left.value, self.bottom.value))
            x1, y1 = to_display(*_apply(outer, self.right.value, self.top.value))
        if x0 > x1:
            x0, x1 = x1, x0
        if y0 > y1:
            y0, y1 = y1, y0
        return x0, y0, x1, y1

    def path(self, obj: object, box: _Box, rules: list[Rule], dots: list[Rule]) -> None:
        """A path as a rule (thin and long) or a dot (a small filled shape: a drawn bullet)."""
        x0, y0, x1, y1 = box
        w, h = x1 - x0, y1 - y0
        if h <= 2.0 and w >= 20.0:
            rules.append(Rule(x0, y0, x1, y1))
        elif 1.5 <= w <= 8.0 and 1.5 <= h <= 8.0 and 0.6 * h <= w <= 1.6 * h:
            if self.raw.FPDFPath_GetDrawMode(obj, *self.draw_mode) and self.fill_mode.value:
                dots.append(Rule(round(x0, 2), round(y0, 2), round(x1, 2), round(y1, 2)))

    def text(self, obj: object) -> str | None:
        """The text object's text, None when it holds only white space."""
        n = self.get_text(obj, self.textpage, self.text_pointer, self.capacity)
        if n > self.capacity:  # a run longer than the buffer: grow it and ask again
            self._text_buffer(n)
            n = self.get_text(obj, self.textpage, self.text_pointer, self.capacity)
        if n <= 2:
            return None
        text: str = self.text_buffer.raw[: n - 2].decode("utf-16-le", errors="replace").translate(_CLEAN)
        return text if text.strip() else None

    def artifact(self, obj: object) -> bool:
        """Whether a mark on the object says it is an artifact (page furniture)."""
        artifact = False
        for k in range(self.count_marks(obj)):
            mark = self.get_mark(obj, k)
            if (
                mark
                and self.mark_name(mark, self.mark_pointer, 64, self.mark_length_ref)
                and self.mark_buffer.raw[:18] == _ARTIFACT
            ):
                artifact = True
        return artifact

    def run(self, obj: object, outer: tuple[float, ...] | None, box: _Box, text: str) -> Run:
        """The text object as a run: its box, baseline, type size, font and tags."""
        matrix, to_display = self.matrix, self.to_display
        self.get_matrix(obj, self.matrix_ref)
        self.get_size(obj, self.size_ref)
        scale = abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5 or 1.0
        if outer is None:
            origin, baseline = to_display(matrix.e, matrix.f)  # the text's origin: upright as displayed
        else:
            scale *= abs(outer[0] * outer[3] - outer[1] * outer[2]) ** 0.5 or 1.0
            origin, baseline = to_display(*_apply(outer, matrix.e, matrix.f))
        name, bold, italic = self.fonts.of(self.get_font(obj))
        artifact = self.artifact(obj)
        mcid = self.get_mcid(obj)
        types, ids = self.roles.get(mcid, _UNTAGGED) if mcid >= 0 else _UNTAGGED
        x0, y0, x1, y1 = box
        return Run(
            text,
            round(x0, 2),
            round(y0, 2),
            round(x1, 2),
            round(y1, 2),
            round(baseline, 2),
            round(self.size.value * scale, 2),
            name,
            bold,
            italic,
            artifact,
            types,
            ids,
            round(origin, 2),
        )


def _objects(
    page: object, textpage: object, raw: ModuleType, to_display: ToDisplay, roles: Roles
) -> tuple[list[Run], list[Rule], int, list[Rule]]:
    """The page's text runs, rules (thin long paths), count of images and dots (small filled
    shapes)."""
    reader = _ObjectReader(raw, textpage, to_display, roles)
    TEXT, PATH, IMAGE = raw.FPDF_PAGEOBJ_TEXT, raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_IMAGE
    runs: list[Run] = []
    rules: list[Rule] = []
    dots: list[Rule] = []
    images = 0
    for obj, kind, outer in _walk(page, raw):  # the walk asked each object its type
        if kind == IMAGE:
            images += 1
            continue
        if kind != TEXT and kind != PATH:
            continue
        box = reader.box(obj, outer)
        if box is None:
            continue
        if kind == PATH:
            reader.path(obj, box, rules, dots)
            continue
        text = reader.text(obj)
        if text is not None:
            runs.append(reader.run(obj, outer, box, text))
    return runs, rules, images, dots


_ARTIFACT = "Artifact\0".encode("utf-16-le")  # a mark's name as pdfium writes it: UTF-16, NUL-terminated
_UNTAGGED: tuple[tuple[str, ...], tuple[int, ...]] = ((), ())


def _walk(page: object, raw: ModuleType) -> Iterator[tuple[object, int, tuple[float, ...] | None]]:
    """Every page object with its type and the matrix of the form XObjects it sits in (None at
    the top); the forms themselves are walked into, not yielded."""
    stack: list[tuple[object, tuple[float, ...] | None]] = []
    for i in range(raw.FPDFPage_CountObjects(page) - 1, -1, -1):
        stack.append((raw.FPDFPage_GetObject(page, i), None))
    matrix = raw.FS_MATRIX()
    while stack:
        obj, outer = stack.pop()
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_FORM:
            raw.FPDFPageObj_GetMatrix(obj, ctypes.byref(matrix))
            here = (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)
            combined = here if outer is None else _compose(here, outer)
            for i in range(raw.FPDFFormObj_CountObjects(obj) - 1, -1, -1):
                stack.append((raw.FPDFFormObj_GetObject(obj, i), combined))
            continue
        yield obj, kind, outer


def _compose(inner: tuple[float, ...], outer: tuple[float, ...]) -> tuple[float, ...]:
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _apply(m: tuple[float, ...] | None, x: float, y: float) -> tuple[float, float]:
    if m is None:
        return x, y
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


# pdfium's own markers: U+0002 (and U+FFFE) for a hyphen it judged to end a line, CR/LF it adds
# between lines
_CLEAN = str.maketrans({"\x02": "-", "\ufffe": "-", "\r": None, "\n": None, "\x00": None})


__all__ = ["MAX_PAGES", "Page", "PdfContent", "Rule", "Run", "read_pdf"]
