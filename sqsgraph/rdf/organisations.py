"""Which organisation a post named in a report belongs to, and which role it is.

General rules over the post's wording, driven by the data files of ``ontology/``:

1. **National bodies** (``organisations.ttl``: Ofsted, the Youth Justice Board, ...) are one node
   each. A wording that starts with one of a body's labels belongs to it; what follows is a unit
   of the body ("– Early Years", "Regional Office") or, when it names a person ("link officer",
   "Regional Manager"), the post itself. A body's ``sqs:namePattern`` may match anywhere.
2. **A kind of organisation named in the wording** (labels of the kinds in ``orgtypes.ttl``):
   youth offending team or service → the inspected body; its management board → the inspected
   body's board; local authority → the area's council; "<kind> for <place>" → that office
   ("Police and Crime Commissioner for <place>"); "<role> of <place> <kind>" → that body as named;
   otherwise → the area's <kind> ("Chair of <kind>" in area A → A's <kind>).
3. **The role's usual organisation** (``roles.ttl`` ``sqs:usualOrganisationType``): a Director of
   Children's Services or a Lead Elected Member is in the area's local authority.
4. Otherwise the area's local authority, with a warning naming the wording.

Roles: a wording equal to a role's label takes that role; any other wording mints a narrower
role under the first kind of post (``roles.ttl`` top concepts) whose pattern matches.
Parenthesised notes ("(Youth Justice)") and "Acting"/"Interim" become the holding's qualifier.

Nothing here knows RDF triples or the mapper; the result is plain values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rdflib import Graph, URIRef
from rdflib.namespace import ORG, SKOS
from rdflib.term import Node

from ..read.model import InspectedBody
from .identity import fold, slug
from .vocab import ORGANISATIONS_FILE, ORGTYPE, ROLE, SQS, ontology_path

# Kinds of organisation (orgtypes.ttl ids) that are the inspected youth offending team itself.
YOUTH_OFFENDING_KINDS = frozenset({"youth-offending-team", "youth-offending-service", "youth-justice-service"})
MANAGEMENT_BOARD = "management-board"
LOCAL_AUTHORITY = "local-authority"
UNIT = "organisational-unit"
# SQS reports are published by HM Inspectorate of Probation: the author and the lead inspector
# work there. (Domain knowledge: the key of that body in organisations.ttl.)
PUBLISHER = "hmi-probation"
CONTACT_ROLE = "contact"
LEAD_INSPECTOR_ROLE = "lead-inspector"
ADDRESSEE_ROLE = "addressee"

# Last words of a remainder that name a person rather than a unit ("<body> link officers").
PERSON_NOUNS = frozenset(
    """manager managers staff officer officers director directors head chair chairman chairperson
    member members inspector inspectors lead leads adviser advisers advisor advisors executive
    commissioner secretary coordinator co-ordinator coordinators worker workers representative
    representatives partner partners analyst analysts deputy chief""".split()
)
_QUALIFIER_WORDS = re.compile(r"^(acting|interim|temporary|seconded)\s+", re.IGNORECASE)
_PARENS = re.compile(r"\s*\(([^)]*)\)")
_TOKEN = re.compile(r"[^\s\-\u2013\u2014/,;:()]+")
_DASH_SEP = re.compile(r"^\s*[-\u2013\u2014:]")
_PLACE_TAIL = ("police", "constabulary", "police area", "police force")


@dataclass(frozen=True)
class Org:
    key: str  # path under B/org/: "<body>", "<body>/<unit>", "<area>-local-authority"
    label: str
    kind: str | None = None  # orgtypes.ttl id
    unit_of: str | None = None  # key of the body this is a unit of
    part_of: str | None = None  # key of the organisation it is part of (org:subOrganizationOf)
    linked_to: str | None = None  # key of an organisation it serves (org:linkedTo)
    area: str | None = None  # label of the area it serves
    national: bool = False
    alt_label: str | None = None

    @property
    def root(self) -> str:
        """The body that counts for identity: a unit counts as its parent."""
        return self.unit_of or self.key


@dataclass(frozen=True)
class Role:
    id: str  # local name under role:
    label: str
    broader: str | None = None  # id of the kind of post a minted role falls under
    minted: bool = False  # not in roles.ttl: the mapper declares it


@dataclass(frozen=True)
class Post:
    org: Org
    role: Role
    wording: str  # as written
    qualifier: str | None = None
    warning: str | None = None
    title: str = ""  # the wording without qualifiers ("Acting", parenthesised notes)

    @property
    def key(self) -> str:
        return f"{self.org.key}/{self.role.id}"


@dataclass(frozen=True)
class Context:
    """What a report says about where its posts are: the area and the inspected body."""

    area: str | None
    body: InspectedBody | None


# ------------------------------------------------------------------------- the data files


def _tokens(text: str) -> list[tuple[str, int, int]]:
    out = []
    for m in _TOKEN.finditer(text):
        norm = fold(m.group(0)).replace("'", "").replace(".", "")
        if norm == "&":
            norm = "and"
        if norm:
            out.append((norm, m.start(), m.end()))
    return out


def _norm_tokens(text: str) -> tuple[str, ...]:
    return tuple(t for t, _, _ in _tokens(text))


@dataclass(frozen=True)
class _Labelled:
    id: str
    pref: str
    labels: tuple[tuple[str, ...], ...]  # normalised token tuples of every label
    patterns: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class Catalogue:
    bodies: tuple[_Labelled, ...]
    body_kinds: dict[str, str]
    kinds: tuple[_Labelled, ...]
    roles: tuple[_Labelled, ...]
    role_broader: dict[str, str]
    role_usual: dict[str, str]
    role_top: frozenset[str]

    def kind_label(self, kind: str) -> str:
        return next(k.pref for k in self.kinds if k.id == kind)

    def body(self, key: str) -> Org:
        b = next(b for b in self.bodies if b.id == key)
        return Org(key=b.id, label=b.pref, kind=self.body_kinds.get(b.id), national=True)

    def role(self, role_id: str) -> Role:
        r = next(r for r in self.roles if r.id == role_id)
        return Role(r.id, r.pref)


def _labelled(g: Graph, node: URIRef, key: str) -> _Labelled:
    pref = str(g.value(node, SKOS.prefLabel))
    labels = {_norm_tokens(pref)}
    labels.update(_norm_tokens(str(a)) for a in g.objects(node, SKOS.altLabel))
    labels.update(_norm_tokens(str(a)) for a in g.objects(node, SKOS.hiddenLabel))
    patterns = tuple(re.compile(str(p), re.IGNORECASE) for p in sorted(g.objects(node, SQS.namePattern), key=str))
    return _Labelled(key, pref, tuple(sorted(labels)), patterns)


def _sorted_iris(nodes: Iterable[Node]) -> list[URIRef]:
    """The distinct IRIs among ``nodes``, sorted (the ontology files name every body, kind and role by one)."""
    return sorted({n for n in nodes if isinstance(n, URIRef)})


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """The national bodies, kinds of organisation and roles, read once from ``ontology/``."""
    local_base = "https://sqsgraph.invalid/id/"
    bodies_g = Graph()
    bodies_g.parse(data=ontology_path(ORGANISATIONS_FILE).read_text(encoding="utf-8"), format="turtle", publicID=local_base)
    bodies, body_kinds = [], {}
    for node in _sorted_iris(bodies_g.subjects(SKOS.prefLabel, None)):
        key = str(node).removeprefix(local_base).removeprefix("org/")
        bodies.append(_labelled(bodies_g, node, key))
        kind = bodies_g.value(node, ORG.classification)
        if kind is not None:
            body_kinds[key] = str(kind).removeprefix(str(ORGTYPE))

    kinds_g = Graph().parse(data=ontology_path("orgtypes.ttl").read_text(encoding="utf-8"), format="turtle")
    kinds = [
        _labelled(kinds_g, n, str(n).removeprefix(str(ORGTYPE)))
        for n in _sorted_iris(kinds_g.subjects(SKOS.inScheme, ORGTYPE.scheme))
    ]

    roles_g = Graph().parse(data=ontology_path("roles.ttl").read_text(encoding="utf-8"), format="turtle")
    roles, broader, usual, top = [], {}, {}, set()
    for n in _sorted_iris(roles_g.subjects(SKOS.inScheme, ROLE.scheme)):
        rid = str(n).removeprefix(str(ROLE))
        roles.append(_labelled(roles_g, n, rid))
        b = roles_g.value(n, SKOS.broader)
        if b is not None:
            broader[rid] = str(b).removeprefix(str(ROLE))
        u = roles_g.value(n, SQS.usualOrganisationType)
        if u is not None:
            usual[rid] = str(u).removeprefix(str(ORGTYPE))
        if (n, SKOS.topConceptOf, ROLE.scheme) in roles_g:
            top.add(rid)
    return Catalogue(tuple(bodies), body_kinds, tuple(kinds), tuple(roles), broader, usual, frozenset(top))


# ---------------------------------------------------------------------------- resolution


def area_key(area: str) -> str:
    return slug(area)


def local_authority(area: str) -> Org:
    return Org(key=f"{area_key(area)}-local-authority", label=f"{area} Local Authority", kind=LOCAL_AUTHORITY, area=area)


def inspected_body(ctx: Context) -> Org | None:
    """The youth offending team or service of the report, part of its area's local authority."""
    cat = catalogue()
    if ctx.body is not None:
        kind = None
        for text in (ctx.body.type, ctx.body.name, ctx.body.abbreviation):
            if text:
                named = _kind_named(_tokens(text), cat)
                if named is not None:
                    kind = named[0]
                    break
        alt = f"{ctx.area} {ctx.body.abbreviation}" if ctx.area and ctx.body.abbreviation else None
        return Org(
            key=slug(ctx.body.name),
            label=" ".join(ctx.body.name.split()),
            kind=kind or "youth-offending-team",
            part_of=local_authority(ctx.area).key if ctx.area else None,
            area=ctx.area,
            alt_label=alt,
        )
    if ctx.area:
        return Org(
            key=f"{area_key(ctx.area)}-youth-offending-team",
            label=f"{ctx.area} Youth Offending Team",
            kind="youth-offending-team",
            part_of=local_authority(ctx.area).key,
            area=ctx.area,
        )
    return None


def publisher() -> Org:
    return catalogue().body(PUBLISHER)


def role_of(wording: str) -> Role:
    """The role a post's wording names (see the module docstring)."""
    cat = catalogue()
    toks = _norm_tokens(wording)
    for r in cat.roles:
        if toks in r.labels:
            return Role(r.id, r.pref)
    # "<role> for <place>" ("Police and Crime Commissioner for X"): the role without its place
    if "for" in toks:
        head = toks[: toks.index("for")]
        for r in cat.roles:
            if head in r.labels:
                return Role(r.id, r.pref)
    text = " ".join(toks)
    for r in cat.roles:  # specific roles with patterns (not kinds)
        if r.id not in cat.role_top and any(p.search(text) for p in r.patterns):
            return Role(r.id, r.pref)
    kind = next((r.id for r in cat.roles if r.id in cat.role_top and any(p.search(text) for p in r.patterns)), None)
    label = " ".join(wording.split())
    return Role(slug(label) or CONTACT_ROLE, label, broader=kind, minted=True)


def usual_kind(role: Role) -> str | None:
    cat = catalogue()
    rid: str | None = role.broader if role.minted else role.id
    while rid is not None:
        if rid in cat.role_usual:
            return cat.role_usual[rid]
        rid = cat.role_broader.get(rid)
    return None


def resolve_posts(wording: str, ctx: Context) -> list[Post]:
    """The post(s) a wording names. "X and Director of Y" names two posts."""
    parts = _split_posts(" ".join(wording.split()))
    return [_resolve_one(p, ctx) for p in parts]


def author_post(wording: str | None) -> Post | None:
    """The post of the report's author: at the publisher, whatever the wording."""
    if not wording:
        return None
    text, qualifier = _clean(wording)
    return Post(publisher(), role_of(text), wording, qualifier, title=text)


def lead_inspector_role() -> Role:
    return catalogue().role(LEAD_INSPECTOR_ROLE)


def _split_posts(wording: str) -> list[str]:
    out, rest = [], wording
    while True:
        m = None
        for cand in re.finditer(r"\s+and\s+", rest):
            right = rest[cand.end() :]
            role = role_of(_clean(right)[0])
            if not role.minted or role.broader is not None and right[:1].isupper() and _starts_with_head(right):
                m = cand
                break
        if m is None:
            out.append(rest)
            return out
        out.append(rest[: m.start()])
        rest = rest[m.end() :]


_HEADS = frozenset("director chair chairman chairperson head manager chief lead member commissioner inspector councillor".split())


def _starts_with_head(text: str) -> bool:
    toks = _norm_tokens(text)
    return bool(toks) and toks[0] in _HEADS


def _clean(wording: str) -> tuple[str, str | None]:
    """Wording without parenthesised notes and "Acting"; those become the qualifier."""
    qualifiers = [q.strip() for q in _PARENS.findall(wording) if q.strip()]
    text = _PARENS.sub("", wording).strip()
    m = _QUALIFIER_WORDS.match(text)
    if m:
        qualifiers.insert(0, m.group(1).capitalize())
        text = text[m.end() :]
    return " ".join(text.split()), ("; ".join(qualifiers) or None)


def _resolve_one(wording: str, ctx: Context) -> Post:
    text, qualifier = _clean(wording)
    cat = catalogue()
    toks = _tokens(text)
    norms = tuple(t for t, _, _ in toks)

    # 1. national bodies
    best = None
    for b in cat.bodies:
        for label in b.labels:
            if label and norms[: len(label)] == label and (best is None or len(label) > len(best[1])):
                best = (b, label)
    if best is not None:
        body = cat.body(best[0].id)
        rest_at = toks[len(best[1]) - 1][2]
        rest = text[rest_at:]
        after_dash = bool(_DASH_SEP.match(rest))
        rest = rest.strip(" -\u2013\u2014:,;/")
        if not rest:
            return Post(body, cat.role(CONTACT_ROLE), wording, qualifier, title=text)
        rest_norms = _norm_tokens(rest)
        if after_dash or rest_norms[-1] not in PERSON_NOUNS:
            unit = Org(key=f"{body.key}/{slug(rest)}", label=f"{body.label} \u2013 {rest}", kind=UNIT, unit_of=body.key, national=True)
            return Post(unit, cat.role(CONTACT_ROLE), wording, qualifier, title=text)
        return Post(body, role_of(rest), wording, qualifier, title=text)
    folded = " ".join(norms)
    for b in cat.bodies:
        if any(p.search(folded) for p in b.patterns):
            return Post(cat.body(b.id), role_of(text), wording, qualifier, title=text)

    role = role_of(text)
    # 2. a kind of organisation named in the wording
    named = _kind_named(toks, cat)
    if named is not None:
        kind, start, end = named
        org = _org_of_kind(kind, ctx, text, toks, start, end)
        if org is not None:
            return Post(org, role, wording, qualifier, title=text)
    # 3. the role's usual organisation
    usual = usual_kind(role)
    if usual is not None:
        org = _org_of_kind(usual, ctx, text, toks, None, None)
        if org is not None:
            return Post(org, role, wording, qualifier, title=text)
    # 4. the local authority, said aloud
    if ctx.area:
        return Post(
            local_authority(ctx.area),
            role,
            wording,
            qualifier,
            title=text,
            warning=f"copy-list post {wording!r} names no organisation sqsgraph knows; taken as a post in {ctx.area}'s local authority",
        )
    return Post(
        Org(key=slug(text) or "unknown", label=text),
        role,
        wording,
        qualifier,
        title=text,
        warning=f"post {wording!r} names no organisation sqsgraph knows and the report names no area",
    )


def _kind_named(toks: list[tuple[str, int, int]], cat: Catalogue) -> tuple[str, int, int] | None:
    """The kind of organisation whose label ends last in the wording (the head of the phrase);
    among those, the longest. (kind id, first token index, end token index)"""
    norms = tuple(t for t, _, _ in toks)
    best: tuple[int, int, str] | None = None  # (end, length, kind)
    for k in cat.kinds:
        for label in k.labels:
            n = len(label)
            for i in range(len(norms) - n + 1):
                if norms[i : i + n] == label:
                    cand = (i + n, n, k.id)
                    if best is None or cand[:2] > best[:2]:
                        best = cand
    if best is None:
        return None
    end, n, kind = best
    return kind, end - n, end


def _org_of_kind(kind: str, ctx: Context, text: str, toks: list[tuple[str, int, int]], start: int | None,
                 end: int | None) -> Org | None:
    cat = catalogue()
    if kind in YOUTH_OFFENDING_KINDS:
        return inspected_body(ctx)
    if kind == MANAGEMENT_BOARD:
        body = inspected_body(ctx)
        if body is None:
            return None
        return Org(
            key=f"{body.key}-management-board",
            label=f"{body.label} Management Board",
            kind=MANAGEMENT_BOARD,
            linked_to=body.key,
            area=ctx.area,
        )
    if kind == LOCAL_AUTHORITY:
        return local_authority(ctx.area) if ctx.area else None
    kind_label = cat.kind_label(kind)
    # "<kind> for <place>": the office of that place
    if end is not None and end < len(toks) and toks[end][0] == "for":
        place = text[toks[end][2] :].strip(" ,")
        place_norm = fold(place)
        for tail in _PLACE_TAIL:
            if place_norm.endswith(" " + tail):
                place = place[: -len(tail)].strip()
                break
        if place:
            label = f"{kind_label} for {place}"
            return Org(key=slug(label), label=label, kind=kind, area=place)
    # "<role> of <place> <kind>": that body as named
    if start is not None and end is not None:  # given together
        before = [t for t, _, _ in toks[:start]]
        cut = max((i for i, t in enumerate(before) if t in {"of", "for", "the"}), default=None)
        if cut is not None and cut + 1 < start:
            label = text[toks[cut + 1][1] : toks[end - 1][2]]
            if ctx.area and fold(label).startswith(fold(ctx.area) + " "):
                label = f"{ctx.area} {kind_label}"
            return Org(key=slug(label), label=label, kind=kind, area=ctx.area if fold(label).startswith(fold(ctx.area or "\0")) else None)
    if not ctx.area:
        return None
    if kind == "police-and-crime-commissioner":
        label = f"{kind_label} for {ctx.area}"
    else:
        label = f"{ctx.area} {kind_label}"
    return Org(key=slug(label), label=label, kind=kind, area=ctx.area)


__all__ = [
    "Catalogue",
    "Context",
    "Org",
    "Post",
    "Role",
    "area_key",
    "author_post",
    "catalogue",
    "inspected_body",
    "lead_inspector_role",
    "local_authority",
    "publisher",
    "resolve_posts",
    "role_of",
]
