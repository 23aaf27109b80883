"""Who a report names, and where: each mention of a person (addressee, author, lead inspector,
copy list) with the posts it gives them, in the order the identity rules and the mapper read them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..read.model import Report, Span
from . import organisations as orgs
from .identity import (
    Identities,
    Mention,
    split_honorific,
)
from .organisations import Context, Post


@dataclass(frozen=True)
class Slot:
    """How a person is named in a report: the mention's place, with the posts it names."""

    honorific: str | None
    span: Span | None
    posts: tuple[Post, ...]
    qualifier: str | None
    how: str  # "addressee" | "author" | "lead-inspector" | "copy"


@dataclass(frozen=True)
class ReportPeople:
    """Everyone one report names, in order: ``mentions[i]`` and ``slots[i]`` are one naming."""

    rid: str
    mentions: tuple[Mention, ...]
    slots: tuple[Slot, ...]
    warnings: tuple[str, ...]  # "path: problem" about the posts named


def collect_people(r: Report, rid: str) -> ReportPeople:
    """The mentions of persons in ``r`` (for the identity rules) and how each is named."""
    people = _People(r, rid)
    _addressee(people, r)
    _author(people, r)
    _lead_inspector(people, r)
    _copy_list(people, r)
    return ReportPeople(rid, tuple(people.mentions), tuple(people.slots), tuple(people.warnings))


class _People:
    """One report's mentions and slots as they are collected, in order, and the warnings on the
    posts they name."""

    def __init__(self, r: Report, rid: str) -> None:
        self.report = r
        self.rid = rid
        self.ctx = Context(r.area, r.body)
        self.date = r.publication_date or ""
        self.mentions: list[Mention] = []
        self.slots: list[Slot] = []
        self.warnings: list[str] = []

    def add(
        self,
        name: str,
        honorific: str | None,
        span: Span | None,
        posts: Sequence[Post],
        qualifier: str | None,
        how: str,
        roles: Iterable[str],
        organisations: Iterable[str],
        described: str,
    ) -> None:
        found_honorific, bare = split_honorific(name)
        self.mentions.append(
            Mention(
                report=self.rid,
                order=(self.date, len(self.mentions)),
                name=bare,
                organisations=frozenset(organisations),
                roles=frozenset(x for x in roles if x != orgs.CONTACT_ROLE),
                described_as=described,
            )
        )
        self.slots.append(Slot(honorific or found_honorific, span, tuple(posts), qualifier, how))

    def resolved(self, post: str) -> list[Post]:
        """The posts a post as written names, each one's warning kept once."""
        posts = orgs.resolve_posts(post, self.ctx)
        for p in posts:
            line = f"{self.report.source.path}: {p.warning}"
            if p.warning and line not in self.warnings:
                self.warnings.append(line)
        return posts


def _described(posts: Sequence[Post]) -> str:
    return " and ".join(f"{p.title or p.role.label} ({p.org.label})" for p in posts)


def _addressee(people: _People, r: Report) -> None:
    if r.addressee is None:
        return
    posts = people.resolved(r.addressee.post) if r.addressee.post else []
    people.add(
        r.addressee.name,
        r.addressee.honorific,
        r.addressee.span,
        posts,
        None,
        "addressee",
        (p.role.id for p in posts),
        (p.org.root for p in posts),
        _described(posts) or "addressee",
    )


def _author(people: _People, r: Report) -> None:
    if r.author is None:
        return
    post = orgs.author_post(r.author.post)
    posts = [post] if post else []
    publisher = orgs.publisher()
    people.add(
        r.author.name,
        r.author.honorific,
        r.author.span,
        posts,
        None,
        "author",
        (p.role.id for p in posts),
        [publisher.key],
        _described(posts) or f"author ({publisher.label})",
    )


def _lead_inspector(people: _People, r: Report) -> None:
    if r.lead_inspector is None:
        return
    publisher = orgs.publisher()
    role = orgs.lead_inspector_role()
    people.add(
        r.lead_inspector.name,
        None,
        r.lead_inspector.span,
        [],
        None,
        "lead-inspector",
        [role.id],
        [publisher.key],
        f"{role.label} ({publisher.label})",
    )


def _copy_list(people: _People, r: Report) -> None:
    for entry in r.copy_list:
        posts = people.resolved(entry.post)
        for h in entry.holders:
            people.add(
                h.name,
                h.honorific,
                h.span,
                posts,
                h.qualifier,
                "copy",
                (p.role.id for p in posts),
                (p.org.root for p in posts),
                _described(posts),
            )


def person_honorifics(per_report: Iterable[Sequence[str | None]], identities: Identities) -> dict[str, set[str]]:
    """person slug -> the honorifics ("Councillor", "Dr") written before their name anywhere;
    ``per_report``: each report's honorific (or None) for each of its mentions, in order."""
    out: dict[str, set[str]] = {}
    offset = 0
    for honorifics in per_report:
        for i, honorific in enumerate(honorifics):
            if honorific:
                out.setdefault(identities.person_of[offset + i], set()).add(honorific)
        offset += len(honorifics)
    return out
