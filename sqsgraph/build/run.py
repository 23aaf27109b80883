"""One build as its steps see it: what every step shares (``BuildRun``) and what they hand each
other in the build's own process (``Corpus``, ``Written``). The records that cross to worker
processes or into the cache are in ``records.py`` and ``tasks.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..files import ByteSpan
from ..rdf.areacodes import AreaCodes
from ..rdf.formats import Format
from ..rdf.identity import Identities
from .cache import BuildCache
from .manifest import Manifest
from .records import Head, MappedReport, Progress, ReadReport
from .runner import Runner


@dataclass(frozen=True)
class BuildRun:
    """What every step of one build shares: where the work runs, the cache, the settled options,
    and the last build's manifest beside the one this build fills in."""

    runner: Runner
    cache: BuildCache
    out: Path  # the output folder
    base: str  # normalised
    formats: tuple[Format, ...]  # those asked for, and N-Quads (always written)
    progress: Progress | None
    before: Manifest | None  # the last build's (None without a cache, or when it cannot be used)
    after: Manifest  # this build's, saved at its end


@dataclass(frozen=True)
class Corpus:
    """The reports this build writes, in its order, and what is decided across all of them: the
    head (the shared entities) is made from these."""

    ordered: Sequence[ReadReport]  # by report id, content and path
    ids_key: str  # of what the identity decisions were made from
    ids: Identities
    honorifics: dict[str, set[str]]  # person slug -> the honorifics written before their name
    area_codes: AreaCodes


@dataclass(frozen=True)
class Written:
    """What the output files were written with: the reports mapped (those that could be written
    as RDF), the head, and where each report's body is in the N-Quads file (for validation)."""

    mapped: Sequence[MappedReport]
    head_key: str
    head: Head
    spans: dict[str, ByteSpan]  # map key -> the report's body in ``sqsgraph.nq``
