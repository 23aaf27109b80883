"""Who is who: normalising names, minting readable IRIs, and deciding when two mentions of a
name are one person.

The rules (docs/graph-model.md, "Identities"):

1. Names are compared after normalisation: case, diacritics, hyphen versus space, full stops and
   honorifics ("Councillor", "Cllr", "Dr", ...) do not count.
2. Within one report, the same normalised name is the same person.
3. Across reports, two mentions with the same normalised name are one person when the context
   agrees: they share an organisation (a unit counts as its parent body) or the same post title
   (role). Agreement is transitive: a person is a connected group of mentions.
4. Same-named persons the rules keep apart are not merged silently: each pair becomes a
   ``CandidateMatch`` carrying the evidence, for a human to decide.
5. An overrides file (``--identities FILE``, TOML) wins over the rules::

       # Sam Example at the YJB is the inspector who moved there.
       [[same-as]]
       a = "Sam Example @ hmi-probation"
       b = "Sam Example @ youth-justice-board"

       [[different-from]]
       a = "Alex Sample @ northshire-2015-01-20"
       b = "Alex Sample @ southshire-2016-03-02"

   A selector (key) is a name, optionally followed by ``@`` and a context: an organisation key
   (``youth-justice-board``, ``northshire-local-authority``: the organisation's IRI after
   ``org/``, a unit counting as its body), a role id (``link-staff``: the post title's IRI after
   ``role/``) or a report id (``northshire-2015-01-20``). It stands for every mention of that
   name in that context (the last ``@`` separates them). ``sqsgraph people`` prints one key per
   person that selects that person's mentions and no one else's (``people.py``). A decision
   whose either side selects no one is not applied, with a warning: a person's IRI slug
   (``julie-fox-2``) is not a key.

   The same file's ``[gss]`` table gives areas their ONS codes (``areacodes``), winning over
   the lookup there: ``load_overrides`` reads it, ``areacodes`` uses it.

This module decides; ``mapper.py`` writes what it decided. Nothing here knows RDF.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import UsageError
from .areacodes import parse_overrides
from .slugs import LATIN_LETTERS, fold, slug

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

HONORIFICS = (
    "councillor",
    "cllr",
    "county councillor",
    "dr",
    "doctor",
    "professor",
    "prof",
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "sir",
    "dame",
    "lord",
    "lady",
    "baroness",
    "rt hon",
    "the rt hon",
    "right honourable",
    "the right honourable",
    "rev",
    "revd",
    "reverend",
    "judge",
    "his honour judge",
    "her honour judge",
)
_HONORIFIC_RE = re.compile(r"^(?:" + "|".join(sorted((re.escape(h) for h in HONORIFICS), key=len, reverse=True)) + r")\s+")


def split_honorific(name: str) -> tuple[str | None, str]:
    """("Councillor", "Sue Oliver") from "Councillor Sue Oliver"; (None, name) if there is none."""
    cleaned = " ".join(name.split())
    m = _HONORIFIC_RE.match(fold(cleaned).replace(".", ""))
    if not m:
        return None, cleaned
    # the honorific as written: as many words as the match had
    words = cleaned.split(" ")
    n = len(m.group(0).split())
    return " ".join(words[:n]).rstrip("."), " ".join(words[n:])


@lru_cache(maxsize=1 << 16)  # the same names recur across thousands of reports
def normalise_name(name: str) -> str:
    """The comparison key of a person's name: "ann lee smith" for "Dr Ann Lee-Smith"."""
    _, bare = split_honorific(name)
    folded = fold(bare).translate(LATIN_LETTERS).replace(".", " ").replace("-", " ").replace("'", "")
    folded = re.sub(r"[^\w ]+|_", " ", folded)  # letters and digits of any script count
    return " ".join(folded.split())


# --------------------------------------------------------------------------- the decision


@dataclass(frozen=True)
class Mention:
    """One naming of a person in one report, with the context the identity rules compare."""

    report: str  # report id, e.g. "northshire-2015-01-20"
    order: tuple[str, int]  # (publication date or "", position in the report): earliest first
    name: str  # as written, without honorific
    organisations: frozenset[str]  # keys of the organisations (units count as their parent)
    roles: frozenset[str]  # role ids of the posts named with it
    described_as: str  # in words, for evidence: "Chief Executive (Northshire Local Authority)"

    @property
    def key(self) -> str:
        return normalise_name(self.name)


@dataclass(frozen=True)
class Person:
    slug: str  # IRI segment under B/person/
    name: str  # display name: as first written
    other_names: tuple[str, ...]  # other spellings met
    mentions: tuple[int, ...]  # indexes into the mention list
    evidence: str  # how the mentions were joined, in words


@dataclass(frozen=True)
class CandidateMatch:
    a: str  # person slugs, a < b
    b: str
    evidence: str

    @property
    def slug(self) -> str:
        return f"{self.a}--{self.b}"


@dataclass(frozen=True)
class Overrides:
    same_as: tuple[tuple[str, str], ...] = ()
    different_from: tuple[tuple[str, str], ...] = ()
    source: str | None = None
    #: the ``[gss]`` table: (area name as written, its ONS codes); see ``areacodes``
    area_codes: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def identity_key(self) -> str:
        """What the identity decisions depend on: not the area codes."""
        return repr((self.same_as, self.different_from, self.source))


@dataclass
class Identities:
    persons: list[Person]
    person_of: dict[int, str]  # mention index -> person slug
    candidates: list[CandidateMatch]
    warnings: list[str] = field(default_factory=list)


def load_overrides(path: str | Path | None) -> Overrides:
    """Read an overrides file; ``None`` gives no overrides. Raises ``UsageError`` for a bad file."""
    if path is None:
        return Overrides()
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise UsageError(f"{path}: no such identities file") from exc
    except OSError as exc:
        raise UsageError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: not valid TOML: {exc}") from exc
    unknown = sorted(set(data) - {"same-as", "different-from", "gss"})
    if unknown:
        raise UsageError(f"{path}: unknown table(s) {', '.join(unknown)}; use [[same-as]], [[different-from]] and [gss]")

    def pairs(table: str) -> tuple[tuple[str, str], ...]:
        out = []
        for i, entry in enumerate(data.get(table, []), start=1):
            if not isinstance(entry, dict) or not isinstance(entry.get("a"), str) or not isinstance(entry.get("b"), str):
                raise UsageError(f'{path}: [[{table}]] number {i} needs a = "Name @ context" and b = "Name @ context"')
            out.append((entry["a"], entry["b"]))
        return tuple(out)

    area_codes = parse_overrides(data["gss"], path) if "gss" in data else ()
    return Overrides(pairs("same-as"), pairs("different-from"), str(path), area_codes)


def _selects(selector: str, mention: Mention) -> bool:
    name, _, context = selector.rpartition("@") if "@" in selector else (selector, "", "")
    if normalise_name(name) != mention.key:
        return False
    context = context.strip()
    if not context:
        return True
    return context == mention.report or context in mention.organisations or context in mention.roles


class _Groups:
    """Union-find over mention indexes with cannot-link constraints."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.apart: set[frozenset[int]] = set()

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def kept_apart(self, i: int, j: int) -> bool:
        ri, rj = self.find(i), self.find(j)
        return any(frozenset((self.find(a), self.find(b))) == frozenset((ri, rj)) for a, b in self.apart)

    def union(self, i: int, j: int) -> bool:
        ri, rj = self.find(i), self.find(j)
        if ri == rj:
            return False
        if ri > rj:
            ri, rj = rj, ri
        self.parent[rj] = ri
        return True


def resolve_identities(mentions: Sequence[Mention], overrides: Overrides | None = None) -> Identities:
    """Group mentions into persons by the rules above; same-named groups left apart become
    candidate matches. Deterministic: depends on the mentions' content and order keys only."""
    overrides = overrides or Overrides()
    warnings: list[str] = []
    groups = _Groups(len(mentions))
    reasons: list[tuple[int, str]] = []
    decided_apart = _apply_overrides(mentions, overrides, groups, reasons, warnings)
    _apply_rules(mentions, groups, reasons)
    persons, person_of = _persons(mentions, groups, reasons)
    candidates = _candidates(persons, mentions, decided_apart)
    return Identities(persons, person_of, candidates, warnings)


def _apply_overrides(
    mentions: Sequence[Mention], overrides: Overrides, groups: _Groups, reasons: list[tuple[int, str]], warnings: list[str]
) -> set[str]:
    """The identities file's decisions, different-from first, so that no rule can join what a
    human kept apart; the normalised names a human has ruled on (no candidates for them)."""

    def select(selector: str) -> list[int]:
        chosen = [i for i, m in enumerate(mentions) if _selects(selector, m)]
        if not chosen:
            warnings.append(
                f"{overrides.source}: {selector!r} matches no one in these reports, so that decision "
                'was not applied (a key is "Name @ context", as `sqsgraph people` prints it)'
            )
        return chosen

    decided_apart: set[str] = set()
    for a, b in overrides.different_from:
        for i in select(a):
            for j in select(b):
                groups.apart.add(frozenset((i, j)))
                decided_apart.update((mentions[i].key, mentions[j].key))
    for a, b in overrides.same_as:
        side_a, side_b = select(a), select(b)
        if not side_a or not side_b:  # a decision about someone who is not there decides nothing
            continue
        chosen = side_a + side_b
        for i in chosen[1:]:
            if groups.kept_apart(chosen[0], i):
                raise UsageError(f"{overrides.source}: {a!r} and {b!r} are declared both same-as and different-from")
            if groups.union(chosen[0], i):
                reasons.append((chosen[0], f"same person by the identities file ({a} = {b})"))
    return decided_apart


def _apply_rules(mentions: Sequence[Mention], groups: _Groups, reasons: list[tuple[int, str]]) -> None:
    """Rules 2 and 3, name by name."""
    by_key: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(mentions):
        by_key[m.key].append(i)

    for key in sorted(by_key):
        idx = by_key[key]
        # rule 2: within one report, the same name is the same person
        by_report: dict[str, list[int]] = defaultdict(list)
        for i in idx:
            by_report[mentions[i].report].append(i)
        for same_report in by_report.values():
            _join_all(groups, same_report, None, reasons)
        # rule 3: across reports, when the context agrees. Agreement is transitive, so the
        # persons are the connected groups of mentions that share an organisation (first) or a
        # post title: one union per shared value, linear in the mentions, not pairwise.
        for attribute, words in (("organisations", "organisation"), ("roles", "post title")):
            sharing: dict[str, list[int]] = defaultdict(list)
            for i in idx:
                for value in getattr(mentions[i], attribute):
                    sharing[value].append(i)
            for value in sorted(sharing):
                _join_all(groups, sharing[value], f"same normalised name and same {words} ({value})", reasons)


def _persons(mentions: Sequence[Mention], groups: _Groups, reasons: list[tuple[int, str]]) -> tuple[list[Person], dict[int, str]]:
    """The connected groups as persons, ordered by first attestation, each with a unique slug."""
    how: dict[int, list[str]] = defaultdict(list)  # root -> reasons
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(mentions)):
        members[groups.find(i)].append(i)
    for root, why in reasons:
        how[groups.find(root)].append(why)
    ordered = sorted(members.values(), key=lambda ms: min((mentions[i].order, i) for i in ms))
    taken: set[str] = set()
    persons: list[Person] = []
    person_of: dict[int, str] = {}
    for ms in ordered:
        first = min(ms, key=lambda i: (mentions[i].order, i))
        base = slug(mentions[first].name) or "unnamed"
        person_slug, n = base, 1
        while person_slug in taken:  # "-2" may also be the slug of a name ending in 2
            n += 1
            person_slug = f"{base}-{n}"
        taken.add(person_slug)
        names = []
        for i in sorted(ms, key=lambda i: (mentions[i].order, i)):
            if mentions[i].name not in names:
                names.append(mentions[i].name)
        reports = sorted({mentions[i].report for i in ms})
        evidence = "; ".join(sorted(set(how.get(groups.find(first), [])))) or (
            f"named in {len(reports)} report(s): {', '.join(reports)}"
        )
        persons.append(Person(person_slug, names[0], tuple(names[1:]), tuple(sorted(ms)), evidence))
        for i in ms:
            person_of[i] = person_slug
    return persons, person_of


def _join_all(groups: _Groups, members: Sequence[int], why: str | None, reasons: list[tuple[int, str]]) -> None:
    """Join ``members`` into one group where no human decision keeps two of them apart: each
    joins the first earlier group it may join (several groups remain only where it may not)."""
    heads: list[int] = []
    for i in members:
        for head in heads:
            if groups.find(head) == groups.find(i):
                break
            if not groups.apart or not groups.kept_apart(head, i):
                if groups.union(head, i) and why:
                    reasons.append((head, why))
                break
        else:
            heads.append(i)


def _candidates(persons: list[Person], mentions: Sequence[Mention], decided: set[str]) -> list[CandidateMatch]:
    by_key: dict[str, list[Person]] = defaultdict(list)
    for p in persons:
        by_key[mentions[p.mentions[0]].key].append(p)
    out = []
    for key in sorted(by_key):
        same = by_key[key]
        if key in decided:
            continue
        for x, p in enumerate(same):
            for q in same[x + 1 :]:
                a, b = sorted((p, q), key=lambda person: person.slug)
                evidence = (
                    f"same normalised name {key!r} but no shared organisation or post title: "
                    f"{a.slug} is {_described(a, mentions)}; {b.slug} is {_described(b, mentions)}"
                )
                out.append(CandidateMatch(a.slug, b.slug, evidence))
    return sorted(out, key=lambda c: c.slug)


def _described(person: Person, mentions: Sequence[Mention]) -> str:
    parts = sorted({f"{mentions[i].described_as} in {mentions[i].report}" for i in person.mentions})
    return ", ".join(parts)


__all__ = [
    "CandidateMatch",
    "HONORIFICS",
    "Identities",
    "Mention",
    "Overrides",
    "Person",
    "fold",
    "load_overrides",
    "normalise_name",
    "resolve_identities",
    "slug",
    "split_honorific",
]
