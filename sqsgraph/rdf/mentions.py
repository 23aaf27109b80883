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
    ctx = Context(r.area, r.body)
    date = r.publication_date or ""
    mentions: list[Mention] = []
    slots: list[Slot] = []
    warnings: list[str] = []

    def add(
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
        mentions.append(
            Mention(
                report=rid,
                order=(date, len(mentions)),
                name=bare,
                organisations=frozenset(organisations),
                roles=frozenset(x for x in roles if x != orgs.CONTACT_ROLE),
                described_as=described,
            )
        )
        slots.append(Slot(honorific or found_honorific, span, tuple(posts), qualifier, how))

    def warned(posts: list[Post]) -> list[Post]:
        for p in posts:
            line = f"{r.source.path}: {p.warning}"
            if p.warning and line not in warnings:
                warnings.append(line)
        return posts

    def described(posts: Sequence[Post]) -> str:
        return " and ".join(f"{p.title or p.role.label} ({p.org.label})" for p in posts)

    if r.addressee is not None:
        posts = warned(orgs.resolve_posts(r.addressee.post, ctx)) if r.addressee.post else []
        add(
            r.addressee.name,
            r.addressee.honorific,
            r.addressee.span,
            posts,
            None,
            "addressee",
            (p.role.id for p in posts),
            (p.org.root for p in posts),
            described(posts) or "addressee",
        )
    if r.author is not None:
        post = orgs.author_post(r.author.post)
        posts = [post] if post else []
        publisher = orgs.publisher()
        add(
            r.author.name,
            r.author.honorific,
            r.author.span,
            posts,
            None,
            "author",
            (p.role.id for p in posts),
            [publisher.key],
            described(posts) or f"author ({publisher.label})",
        )
    if r.lead_inspector is not None:
        publisher = orgs.publisher()
        role = orgs.lead_inspector_role()
        add(
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
    for entry in r.copy_list:
        posts = warned(orgs.resolve_posts(entry.post, ctx))
        for h in entry.holders:
            add(
                h.name,
                h.honorific,
                h.span,
                posts,
                h.qualifier,
                "copy",
                (p.role.id for p in posts),
                (p.org.root for p in posts),
                described(posts),
            )
    return ReportPeople(rid, tuple(mentions), tuple(slots), tuple(warnings))


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
