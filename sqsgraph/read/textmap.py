"""Text that remembers where each of its characters came from.

The parser cleans and repairs text (markup removed, hard wraps and page breaks joined, footnotes
cut out) but every fact must point back to the exact span of the source file. A ``MappedText`` is
a string plus a piecewise mapping from its offsets to offsets in the source, so a span found in
repaired text maps back with ``source_span``.

The mapping is stored as segments (text offset where a run starts, source offset of that
character): within a run, consecutive characters come from consecutive source characters. Most
edits only add a few runs, so slicing and joining stay cheap on long reports.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Iterator

from .model import Span

_WS_RUN = re.compile(r"\s+")
_LINE_END = re.compile(r"\r\n|\r|\n")
LIGATURE = re.compile("[\ufb00-\ufb06]")


class MappedText:
    __slots__ = ("text", "_starts", "_sources")

    def __init__(self, text: str, starts: tuple[int, ...], sources: tuple[int, ...]) -> None:
        self.text = text
        self._starts = starts  # text offsets where runs begin (first is 0 when text is non-empty)
        self._sources = sources  # source offset of the first character of each run

    @classmethod
    def of_source(cls, text: str) -> MappedText:
        return cls(text, (0,), (0,)) if text else cls.empty()

    @classmethod
    def empty(cls) -> MappedText:
        return cls("", (), ())

    def __len__(self) -> int:
        return len(self.text)

    def __bool__(self) -> bool:
        return bool(self.text)

    def __repr__(self) -> str:
        return f"MappedText({self.text!r})"

    def source_offset(self, i: int) -> int:
        """Offset in the source of ``self.text[i]``."""
        k = bisect_right(self._starts, i) - 1
        return self._sources[k] + i - self._starts[k]

    def __getitem__(self, key: slice) -> MappedText:
        a, b, _ = key.indices(len(self.text))
        if b <= a:
            return MappedText.empty()
        k = bisect_right(self._starts, a) - 1
        last = bisect_right(self._starts, b - 1) - 1
        starts = [0]
        sources = [self._sources[k] + a - self._starts[k]]
        for j in range(k + 1, last + 1):
            starts.append(self._starts[j] - a)
            sources.append(self._sources[j])
        return MappedText(self.text[a:b], tuple(starts), tuple(sources))

    def source_span(self, start: int = 0, end: int | None = None) -> Span | None:
        """The source span covering ``self.text[start:end]`` (None for an empty range)."""
        end = len(self.text) if end is None else end
        if end <= start:
            return None
        first, last = self.source_offset(start), self.source_offset(end - 1) + 1
        if last <= first:
            # repaired text read out of source order (a line an extractor moved, put back): the
            # span covers every character the text came from
            piece = self[start:end]
            ends = [*piece._starts[1:], len(piece.text)]
            first = min(piece._sources)
            last = max(src + e - st for src, st, e in zip(piece._sources, piece._starts, ends, strict=True))
        return Span(first, last)

    def strip(self) -> MappedText:
        s = self.text
        left = len(s) - len(s.lstrip())
        right = len(s.rstrip())
        return self[left:right] if right > left else MappedText.empty()

    def delete(self, pattern: re.Pattern[str], group: int = 0) -> MappedText:
        """Remove every match of ``pattern`` (or of one of its groups)."""
        pieces: list[MappedText] = []
        last = 0
        for m in pattern.finditer(self.text):
            a, b = m.span(group)
            if a < last or a == b:
                continue
            pieces.append(self[last:a])
            last = b
        if not pieces:
            return self
        pieces.append(self[last:])
        return join(pieces, "")

    def substitute(self, pattern: re.Pattern[str], repl: str) -> MappedText:
        """Each match of ``pattern`` replaced by ``repl`` (``\\1`` ... expanded), every character
        of the replacement taking the position of the match's first character."""
        builder = _Builder()
        last = 0
        for m in pattern.finditer(self.text):
            builder.add(self[last : m.start()])
            builder.add_char(m.expand(repl), self.source_offset(m.start()) if m.start() < len(self.text) else 0)
            last = m.end()
        if last == 0:
            return self
        builder.add(self[last:])
        return builder.build()

    def collapse_whitespace(self) -> MappedText:
        """Runs of white space become one space; ends stripped. Each space keeps the position
        of the first white-space character it replaces."""
        builder = _Builder()
        last = 0
        for m in _WS_RUN.finditer(self.text):
            a, b = m.span()
            if b - a == 1 and self.text[a] == " ":
                continue  # already a single space: keep it as it is
            builder.add(self[last:a])
            builder.add_char(" ", self.source_offset(a))
            last = b
        if last == 0:
            return self.strip()
        builder.add(self[last:])
        return builder.build().strip()

    def expand_ligatures(self) -> MappedText:
        """Ligature characters (ﬁ ﬂ ﬀ ...) as the letters they stand for (NFKC), each letter
        keeping the position of its ligature."""
        if not LIGATURE.search(self.text):
            return self
        builder = _Builder()
        last = 0
        for m in LIGATURE.finditer(self.text):
            builder.add(self[last : m.start()])
            builder.add_char(unicodedata.normalize("NFKC", m.group()), self.source_offset(m.start()))
            last = m.end()
        builder.add(self[last:])
        return builder.build()

    def lines(self) -> Iterator[MappedText]:
        """Lines without their line ends; a line ends at LF, CR LF or a lone CR (old Mac files, and
        files stitched together from several sources, mix them)."""
        text = self.text
        start = 0
        for m in _LINE_END.finditer(text):
            yield self[start : m.start()] if m.start() > start else MappedText.empty()
            start = m.end()
        if start < len(text):
            yield self[start:]


class _Builder:
    """Concatenates mapped pieces, merging runs that continue each other in the source."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.starts: list[int] = []
        self.sources: list[int] = []

    def _run(self, start: int, source: int) -> None:
        if self.starts and source == self.sources[-1] + (start - self.starts[-1]):
            return  # continues the previous run
        self.starts.append(start)
        self.sources.append(source)

    def add(self, piece: MappedText) -> None:
        if not piece.text:
            return
        for s, src in zip(piece._starts, piece._sources, strict=True):
            self._run(self.length + s, src)
        self.parts.append(piece.text)
        self.length += len(piece.text)

    def add_char(self, text: str, source: int) -> None:
        for ch in text:
            self._run(self.length, source)
            self.parts.append(ch)
            self.length += 1

    def build(self) -> MappedText:
        return MappedText("".join(self.parts), tuple(self.starts), tuple(self.sources))


def join(pieces: Iterable[MappedText], sep: str = " ") -> MappedText:
    """Concatenate pieces with ``sep``; separator characters take the position of the character
    after them."""
    builder = _Builder()
    for piece in pieces:
        if not piece:
            continue
        if builder.length and sep:
            builder.add_char(sep, piece.source_offset(0))
        builder.add(piece)
    return builder.build()
