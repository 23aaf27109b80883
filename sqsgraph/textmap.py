"""Text that remembers where each of its characters came from.

The parser cleans and repairs text (markup removed, hard wraps and page breaks joined, footnotes
cut out) but every fact must point back to the exact span of the source file. A ``MappedText`` is
a string plus, for each character, its offset in the source, so a span found in repaired text
maps back with ``source_span``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .model import Span

_WS_RUN = re.compile(r"\s+")


@dataclass(frozen=True)
class MappedText:
    text: str
    pos: tuple[int, ...]  # pos[i] = offset in the source of text[i]

    def __post_init__(self) -> None:
        if len(self.text) != len(self.pos):  # pragma: no cover - internal invariant
            raise ValueError("text and positions differ in length")

    @classmethod
    def of_source(cls, text: str) -> MappedText:
        return cls(text, tuple(range(len(text))))

    def __len__(self) -> int:
        return len(self.text)

    def __bool__(self) -> bool:
        return bool(self.text)

    def __getitem__(self, key: slice) -> MappedText:
        return MappedText(self.text[key], self.pos[key])

    def source_span(self, start: int = 0, end: int | None = None) -> Span | None:
        """The source span covering ``self.text[start:end]`` (None for an empty range)."""
        end = len(self.text) if end is None else end
        if end <= start:
            return None
        return Span(self.pos[start], self.pos[end - 1] + 1)

    def strip(self) -> MappedText:
        s = self.text
        left = len(s) - len(s.lstrip())
        right = len(s.rstrip())
        return self[left:right] if right > left else MappedText("", ())

    def delete(self, pattern: re.Pattern[str], group: int = 0) -> MappedText:
        """Remove every match of ``pattern`` (or of one of its groups)."""
        keep_text: list[str] = []
        keep_pos: list[int] = []
        last = 0
        for m in pattern.finditer(self.text):
            a, b = m.span(group)
            if a < last:
                continue
            keep_text.append(self.text[last:a])
            keep_pos.extend(self.pos[last:a])
            last = b
        keep_text.append(self.text[last:])
        keep_pos.extend(self.pos[last:])
        return MappedText("".join(keep_text), tuple(keep_pos))

    def collapse_whitespace(self) -> MappedText:
        """Runs of white space become one space; ends stripped. Each space keeps the position
        of the first white-space character it replaces."""
        out_text: list[str] = []
        out_pos: list[int] = []
        last = 0
        for m in _WS_RUN.finditer(self.text):
            a, b = m.span()
            out_text.append(self.text[last:a])
            out_pos.extend(self.pos[last:a])
            out_text.append(" ")
            out_pos.append(self.pos[a])
            last = b
        out_text.append(self.text[last:])
        out_pos.extend(self.pos[last:])
        return MappedText("".join(out_text), tuple(out_pos)).strip()

    def lines(self) -> Iterator[MappedText]:
        """Lines without their line ends."""
        start = 0
        text = self.text
        while start <= len(text):
            nl = text.find("\n", start)
            if nl < 0:
                if start < len(text):
                    yield self[start:]
                return
            yield self[start:nl]
            start = nl + 1


def join(pieces: Iterable[MappedText], sep: str = " ") -> MappedText:
    """Concatenate pieces with ``sep``; a separator takes the position of the character after it."""
    texts: list[str] = []
    positions: list[int] = []
    for piece in pieces:
        if not piece:
            continue
        if texts and sep:
            texts.append(sep)
            positions.extend([piece.pos[0]] * len(sep))
        texts.append(piece.text)
        positions.extend(piece.pos)
    return MappedText("".join(texts), tuple(positions))
