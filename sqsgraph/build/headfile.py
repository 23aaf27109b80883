"""The head's statements as the build keeps them for validation: ``.head.nt`` in the cache,
N-Triples sorted as text, so that each subject's statements are together. A validation worker
reads the statements about the nodes a batch refers to, and a part of the head to check, without
holding the file (a million statements at 10,000 reports): it notes once where each subject's
statements start (~200 bytes a subject) and reads those it needs.
"""

from __future__ import annotations

import os
from bisect import bisect_left
from collections.abc import Iterable
from pathlib import Path

from rdflib.namespace import RDF

from ..errors import BuildError

_TYPE = f"<{RDF.type}>"


class HeadStatements:
    """The statements of a sorted N-Triples file, by subject (``<iri>``), as lines without the
    closing `` .``."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        starts: dict[bytes, int] = {}
        offset = 0
        last = b""
        with open(path, "rb") as fh:
            for line in fh:
                subject = line[: line.index(b" ")]
                if subject != last:
                    if subject < last:
                        raise BuildError(f"{path} is not sorted; build again with --no-cache")
                    starts[subject] = offset
                    last = subject
                offset += len(line)
        self.size = offset
        self._starts = starts
        self._offsets = list(starts.values())  # in file order: ascending
        self._fd = os.open(path, os.O_RDONLY)

    def close(self) -> None:
        os.close(self._fd)

    def about(self, subject: str) -> list[str]:
        """The statements whose subject is ``subject`` (``<iri>``); none if it has none."""
        start = self._starts.get(subject.encode("utf-8"))
        if start is None:
            return []
        return self._lines(start, self._end_of(start))

    def part(self, number: int, parts: int) -> list[str]:
        """The statements of part ``number`` of ``parts`` (counted from 0): the subjects whose
        statements start in that share of the file, so that the parts hold every statement once
        and each subject's statements whole."""
        return self._lines(self._block_at(self.size * number // parts), self._block_at(self.size * (number + 1) // parts))

    def context(self, nodes: Iterable[str], inside: Iterable[str] = ()) -> tuple[list[str], tuple[str, ...]]:
        """The statements about ``nodes`` (``<iri>``) and the classes of the nodes those refer to,
        other than ``nodes`` and ``inside`` (whose statements the data has already); and the IRIs
        of those, whose statements are partial: their own results are left to their own check."""
        wanted = set(nodes)
        lines = [line for node in sorted(wanted) for line in self.about(node)]
        partial = sorted(_referred(lines) - wanted - set(inside))
        lines.extend(line for o in partial for line in self.about(o) if line.split(" ", 2)[1] == _TYPE)
        return lines, tuple(o[1:-1] for o in partial)

    def part_to_check(self, number: int, parts: int, also: Iterable[str] = ()) -> tuple[list[str], list[str], tuple[str, ...]]:
        """``part(number, parts)``, and its ``context``: the statements about the nodes it refers to
        and about ``also``, with the classes of the nodes those refer to, and the IRIs of those."""
        own = self.part(number, parts)
        subjects = {line[: line.index(" ")] for line in own}
        context, partial = self.context((_referred(own) | set(also)) - subjects, inside=subjects)
        return own, context, partial

    def _block_at(self, offset: int) -> int:
        """Where the first subject whose statements start at ``offset`` or after starts."""
        i = bisect_left(self._offsets, offset)
        return self._offsets[i] if i < len(self._offsets) else self.size

    def _end_of(self, start: int) -> int:
        i = bisect_left(self._offsets, start) + 1
        return self._offsets[i] if i < len(self._offsets) else self.size

    def _lines(self, start: int, end: int) -> list[str]:
        data = os.pread(self._fd, end - start, start)
        if len(data) != end - start:
            raise BuildError(f"{self.path} changed while the build validated it; build again")
        # each line ends " .\n"
        return [line[:-2] for line in data.decode("utf-8").split("\n")[:-1]]


def _referred(lines: Iterable[str]) -> set[str]:
    """The IRIs (``<iri>``) that statement lines have as objects."""
    return {o for line in lines if (o := line.split(" ", 2)[2]).startswith("<")}


_open: HeadStatements | None = None


def head_statements(path: str | Path) -> HeadStatements:
    """The ``HeadStatements`` of ``path``, indexed once per process (a worker checks many batches
    against one head)."""
    global _open
    if _open is None or _open.path != str(path):
        forget_head_statements()
        _open = HeadStatements(path)
    return _open


def forget_head_statements() -> None:
    """Give back the index of the head ``head_statements`` opened last (a build run in one
    process, after its validation)."""
    global _open
    if _open is not None:
        _open.close()
        _open = None
