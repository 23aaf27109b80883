"""Names made plain: one folding (case, diacritics, typographic quotes and dashes) and the readable
IRI segment made from it, shared by the identity rules, the organisations and the area codes."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_SLUG_RUN = re.compile(r"[^a-z0-9]+")
# Latin letters with no decomposition into an ASCII letter and a diacritic
LATIN_LETTERS = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ŀ": "l"}
)


def fold(text: str) -> str:
    """Lower-case ASCII: diacritics folded, typographic quotes and dashes made plain."""
    if text.isascii():  # most names: nothing to fold
        return text.lower()
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-").replace("\u2014", "-")
    return text.lower()


def slug(text: str) -> str:
    """Readable IRI segment: lower-case ASCII, apostrophes dropped, other runs become ``-``.

    Letters with no ASCII form (Cyrillic, Greek, Arabic, Hebrew, CJK, ...) cannot be spelt in
    it, so a slug that lost some gets the first 8 hex digits of the SHA-256 of the folded text
    appended (or is only those): two names that differ in such letters never share a slug."""
    folded = fold(text).translate(LATIN_LETTERS).replace("'", "").replace("&", " and ")
    ascii_only = folded.encode("ascii", "ignore").decode("ascii")
    readable = _SLUG_RUN.sub("-", ascii_only).strip("-")
    if not folded.isascii() and any(ch.isalnum() and not ch.isascii() for ch in folded):
        digest = hashlib.sha256(" ".join(folded.split()).encode("utf-8")).hexdigest()[:8]
        return f"{readable}-{digest}" if readable else digest
    return readable
