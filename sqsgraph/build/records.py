"""What the build keeps of each report between its stages, and what it hands back: small frozen
records that cross process boundaries (pickled) and the manifest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..rdf.identity import Identities, Mention
from ..rdf.shared import SharedFacts, SlotHolding
from ..rdf.validator import ValidationReport

Progress = Callable[[str, int, int], None]  # (stage, done, total)


#: A report's part of the head: (report id, parse key, its first mention's place among all, mentions)
HeadPart = tuple[str, str, int, int]


@dataclass(frozen=True)
class Failure:
    path: str
    problem: str
    #: the file holds something other than an SQS report (``reader.plainly_not_a_report``): one
    #: found in a folder is skipped with a note, not a failure
    not_a_report: bool = field(default=False, compare=False)

    def line(self) -> str:
        return f"{self.path}: {self.problem}"


@dataclass
class BuildResult:
    out_dir: Path
    counts: dict[str, int]  # the figures of the graph: see ``summary``
    report_ids: dict[str, str]  # source path -> report id
    failures: list[Failure]
    warnings: list[str]
    validation: ValidationReport | None  # None when not validated
    identities: Identities
    files: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures and (self.validation is None or self.validation.conforms)

    def summary(self) -> dict[str, int]:
        """The figures ``sqsgraph build`` prints."""
        return self.counts | {"reports": len(self.report_ids), "failed": len(self.failures), "warnings": len(self.warnings)}


@dataclass(frozen=True)
class ReadReport:
    """What the build keeps of a report after reading it: who it names, and where it is cached."""

    path: str
    sha256: str
    rid: str
    parse_key: str
    mentions: tuple[Mention, ...]  # the persons it names, for the identity rules (() in the manifest)
    honorifics: tuple[str | None, ...]  # as written before each mention's name
    post_warnings: tuple[str, ...]  # "path: problem" about the posts it names
    warnings: tuple[str, ...]  # the report's own ("decoded as Windows-1252", ...)
    mentions_digest: str  # of ``mentions``: the identity decisions depend on these alone
    mention_count: int
    shared_digest: str  # of its ``Contribution``: with the identities, what the document head depends on
    content_digest: str  # of what it says, not where: a PDF and its own text rendering have the same
    media_type: str  # of the file: "text/plain" or "application/pdf"

    def slim(self) -> ReadReport:
        """Without its mentions (kept in its cache entry): what the manifest holds, as the
        identity decisions are taken from it too while no report's mentions changed."""
        return replace(self, mentions=())


@dataclass(frozen=True)
class MappedReport:
    """What the build keeps of a report after mapping it; its statements are in the cache."""

    rid: str
    map_key: str
    triples: int  # statements about its own nodes
    findings: int  # its numbered findings (sqs:Finding paragraphs of the sections), as the queries count them
    strengths: int  # key strengths (sqs:KeyStrength, also sqs:Finding in the graph)
    improvements: int  # areas for improvement (sqs:AreaForImprovement, also sqs:Finding)


@dataclass(frozen=True)
class Contribution:
    """What a report adds to the shared head, known once it is parsed: read from the cache only
    when the head is made, so that the record the build keeps of every report (``ReadReport``,
    in memory and in the manifest) stays small."""

    facts: SharedFacts
    holdings: tuple[SlotHolding, ...]  # who holds which post, by the place of the mention naming them


@dataclass(frozen=True)
class Head:
    """Figures of the document head (its bodies are in the cache beside it)."""

    statements: int  # distinct triples
    organisations: int
    posts: int
    warnings: tuple[str, ...] = ()  # areas without an ONS code, unused [gss] entries (``areacodes``)
