"""Text out of a PDF, the way users get it: each extractor and setting people really use.

    text = extract(pdf_path, "pdftotext-layout")

``EXTRACTORS`` names them all. Each runs in the tests themselves (nothing extracted is
committed): a new version of an extractor is tested as it comes.

* ``pdftotext``, ``pdftotext-layout``, ``pdftotext-raw``: poppler's command, default reading
  order, ``-layout`` (columns kept with spaces), ``-raw`` (content-stream order);
* ``pypdf``, ``pypdf-layout``: pypdf's ``extract_text()`` plain and ``extraction_mode="layout"``;
* ``pdfminer``: pdfminer.six's ``extract_text`` with its default layout analysis;
* ``pypdfium2``: PDFium's ``get_text_range()`` page by page.

PyMuPDF (fitz) is left out on purpose: it is AGPL-licensed, which this project does not take on
even as a test dependency.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

EXTRACTORS = (
    "pdftotext",
    "pdftotext-layout",
    "pdftotext-raw",
    "pypdf",
    "pypdf-layout",
    "pdfminer",
    "pypdfium2",
)


def available(extractor: str) -> bool:
    if extractor.startswith("pdftotext"):
        return shutil.which("pdftotext") is not None
    module = {"pypdf": "pypdf", "pypdf-layout": "pypdf", "pdfminer": "pdfminer", "pypdfium2": "pypdfium2"}[extractor]
    try:
        __import__(module)
    except ImportError:
        return False
    return True


def _pdftotext(path: Path, *flags: str) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", *flags, str(path), "-"], check=True, capture_output=True).stdout
    return out.decode("utf-8")


def _pypdf(path: Path, layout: bool) -> str:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    if layout:
        pages = [p.extract_text(extraction_mode="layout") for p in reader.pages]
    else:
        pages = [p.extract_text() for p in reader.pages]
    return "\n".join(pages)


def _pdfminer(path: Path) -> str:
    from pdfminer.high_level import extract_text

    return extract_text(str(path))


def _pypdfium2(path: Path) -> str:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        pages = []
        for page in pdf:
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return "\n".join(pages)
    finally:
        pdf.close()


@functools.cache
def extract(path: Path, extractor: str) -> str:
    """The text ``extractor`` gets out of the PDF at ``path`` (cached per session)."""
    path = Path(path)
    if extractor == "pdftotext":
        return _pdftotext(path)
    if extractor == "pdftotext-layout":
        return _pdftotext(path, "-layout")
    if extractor == "pdftotext-raw":
        return _pdftotext(path, "-raw")
    if extractor == "pypdf":
        return _pypdf(path, layout=False)
    if extractor == "pypdf-layout":
        return _pypdf(path, layout=True)
    if extractor == "pdfminer":
        return _pdfminer(path)
    if extractor == "pypdfium2":
        return _pypdfium2(path)
    raise ValueError(f"unknown extractor {extractor!r}")
