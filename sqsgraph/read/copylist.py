"""The copy list: posts and the names under them, read from a two-column table however an
extractor laid it out (rows, cells one per line, runs of posts then names, rows cut by a page).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from .findings import _CONNECTORS, _NAME_PARTICLES, _NAME_TOKEN_RE, _POST_WORDS, _source_line_span
from .header import _split_honorific
from .lines import _LIGATURES, _TITLE_OPEN_END, _Line
from .model import (
    CopyListEntry,
    Holder,
)
from .patterns import _HOLDER_SPLIT, _HONORIFIC, _QUALIFIER
from .textmap import MappedText, join


def _name_token(token: str) -> bool:
    t = token.rstrip(",;").translate(_LIGATURES)
    if not _NAME_TOKEN_RE.fullmatch(t) or t.lower().replace("’", "'") in _POST_WORDS:
        return False
    return not (len(t) > 2 and t.replace("-", "").isupper())  # "YJB", "HM": not a name


def _names_piece(tokens: list[str]) -> bool:
    """A holder as written: an optional honorific, one to three name words, an optional
    parenthesised qualifier."""
    text = " ".join(tokens).rstrip(",;")
    q = _QUALIFIER.search(text)
    if q:
        text = text[: q.start()]
    h = _HONORIFIC.match(text)
    if h:
        text = text[h.end() :]
    words = text.split()
    if not 1 <= len(words) <= 3 or not _name_token(words[0]) or not _name_token(words[-1]):
        return False
    return all(_name_token(w) or w in _NAME_PARTICLES for w in words)


def _name_words(holder: str) -> int:
    """How many words a holder's name has, its qualifier left out: "Brake (North)" has one."""
    q = _QUALIFIER.search(holder)
    return len((holder[: q.start()] if q else holder).split())


def _names(text: str) -> bool:
    """Whether ``text`` is a list of holders ("Debbie Jones, Matthew Brazier")."""
    pieces = [p.split() for p in _HOLDER_SPLIT.split(text) if p.strip()]
    return bool(pieces) and all(_names_piece(p) for p in pieces)


def _split_joined_row(text: str) -> tuple[int | None, bool]:
    """Where a copy-list row whose post and holders an extractor joined with one space splits:
    the offset the holders start at (None: no holders), and whether the split is a guess.

    The first holder has two name words, or three when the word before them ends the post
    ("Manager Lisa Harvey Messina"); a capitalised word after "for", "of" ... belongs to the post
    ("Commissioner for Kent Ann Barnes")."""
    tokens = list(re.finditer(r"\S+", text))
    # the first holder ends at the first comma after which only names follow (a post may hold a
    # comma: "Director of Social Care, Health and Andrew Ireland")
    first_piece_end = next(
        (k for k, t in enumerate(tokens[:-1]) if t.group().endswith((",", ";")) and _names(text[t.end() :].strip(" ,;"))),
        len(tokens) - 1,
    )

    def clean_before(k: int) -> bool:
        """Whether the post can end just before token ``k``."""
        if k <= 0:
            return False
        word = tokens[k - 1].group()
        if not _name_token(word):
            return True
        return k >= 2 and tokens[k - 2].group().lower() in _CONNECTORS

    qualifier = 0  # words of a parenthesised qualifier ending the first holder: "(West);"
    if tokens[first_piece_end].group().rstrip(",;").endswith(")"):
        while first_piece_end - qualifier > 0 and not tokens[first_piece_end - qualifier].group().startswith("("):
            qualifier += 1
        qualifier += 1
    options = []
    for size in (2, 3):
        k = first_piece_end + 1 - qualifier - size
        if k <= 0:
            continue
        h = k - 1 if k >= 1 and _HONORIFIC.match(tokens[k - 1].group() + " x") else k
        if _names_piece([t.group() for t in tokens[h : first_piece_end + 1]]):
            options.append((h, clean_before(h)))
    for h, clean in options:
        if clean:
            return tokens[h].start(), False
    if options:
        return tokens[options[0][0]].start(), True
    return None, False


def _copy_list(lines: Sequence[_Line], indices: list[int], source: str, warnings: list[str]) -> list[CopyListEntry]:
    """Rows of post and holders. Besides columns apart (a tab, or spaces), text extracted from a
    PDF gives each cell on its own line (post, holders, post, ...; or all the posts of a page and
    then their holders, the holders maybe before the posts after a page break), a cell wrapped
    over two lines, or a row as one line with a single space between its cells.

    Cells on lines of their own are read in runs: posts, then holders. A run's holders go to its
    posts in order; holders left over go to the posts of the next run; where a run has fewer
    holders than posts, the posts likeliest to be one post wrapped are joined. Anything but a
    post and its holders on consecutive lines is a reading, and warned as one, post by post."""
    entries: list[list[Any]] = []  # [post, holder parts, span, how]: how is None (one row) or a reason
    posts: list[int] = []  # entries of the current run whose post came on a line of its own
    names: list[list[MappedText]] = []  # the current run's holders, one list of lines per post
    carry: list[list[MappedText]] = []  # holders left over from the runs before
    last_kind = ""  # "row", "post", "names": what the line before was
    last_line = -2
    gapped = False  # the last row had its cells apart (columns): a line with one cell continues the post

    def settle() -> None:
        """Give the run's holders to its posts."""
        nonlocal carry
        got = carry + names
        carried = bool(carry)
        carry = []
        names.clear()
        if not posts or not got:
            carry = got
            return
        before = entries[posts[0] - 1] if posts[0] else None
        if before is not None and len(got) > len(posts) and join(before[1]).text.rstrip().endswith((",", ";")):
            # the entry before the run stopped at a comma (its list ran on after a page break): the
            # run's first holders end its list
            before[1].extend(got.pop(0))
            before[3] = before[3] or "its holders ran on after the next posts; read as one list"
        if len(got) < len(posts):
            _join_wrapped_posts(entries, posts, len(posts) - len(got))
        apart = len(posts) > 1 or len(got) != len(posts) or carried or any(entries[p][3] for p in posts)
        for p, holders in zip(posts, got, strict=False):  # posts without names wait for the next run
            entries[p][1].extend(holders)
            if apart and not entries[p][3]:
                entries[p][3] = "posts and names were listed apart; paired in order"
        carry = got[len(posts) :]
        del posts[: len(got)]  # posts still without names wait for the next run's

    nonblank = [i for i in indices if not lines[i].blank]
    # the page's margin (pdftotext's layout mode keeps it): columns are told from it
    margin = min((len(lines[i].text.text) - len(lines[i].text.text.lstrip()) for i in nonblank), default=0)
    for n, i in enumerate(nonblank):
        line = lines[i]
        adjacent = last_line == i - 1
        last_line = i
        raw = line.text
        s = raw.text
        indent = len(s) - len(s.lstrip())
        sep = re.search(r"\t+|\s{2,}", s[indent:].rstrip())  # white space at the end is no gap
        stripped = s.strip()  # as written (offsets into the line), ligatures and all
        start = indent
        if sep is not None and not s[indent : indent + sep.start()].strip():
            sep = None
        gaps = re.findall(r"\s+", stripped)
        if sep is not None and "\t" not in stripped and len(gaps) > 1 and all(len(g) > 1 for g in gaps):
            sep = None  # every word set apart alike: a justified line (pdfminer), not two columns
        if sep is not None:
            settle()
            a, b = indent + sep.start(), indent + sep.end()
            entries.append([raw[indent:a], [raw[b:]], _source_line_span(source, raw), None])
            last_kind = "row"
            gapped = True
            continue
        open_parts = names[-1] if last_kind == "names" and names else (entries[-1][1] if last_kind == "row" and entries else None)
        is_names = _names(stripped)
        # one word on its own under a post is the post's cell wrapped ("... Police and Crime" /
        # "Panel"): a holder is named with two words or more
        single = len(stripped.split()) == 1
        # a post alone after a complete row whose holders come in their column after a gap (a
        # page break): a row whose holders a layout engine moved on to the next page whole
        following = lines[nonblank[n + 1]] if n + 1 < len(nonblank) else None
        moved_holders = (
            following is not None
            and nonblank[n + 1] != i + 1
            and _names(following.stripped)
            and len(following.text.text) - len(following.text.text.lstrip()) - margin >= 4
            and not _TITLE_OPEN_END.search(entries[-1][0].text.rstrip() if entries else "")
        )
        if (
            last_kind == "row"
            and entries
            and not entries[-1][3]
            and not moved_holders
            and (
                _TITLE_OPEN_END.search(entries[-1][0].text.rstrip())
                or stripped[:1].islower()
                or (gapped and indent - margin < 4 and (not is_names or single) and not _split_joined_row(stripped)[0])
            )
        ):
            entries[-1][0] = join([entries[-1][0], raw.strip()])  # the post's cell wrapped, its holders beside it
            continue
        # a holder's cell on a line of its own in the holders' column after a row whose holders
        # ended whole: a row whose post a layout engine moved on to the next page whole
        # ("Michael Hill" here, "Lead Elected Member for Community" / "Services" over the page)
        moved_row = (
            open_parts is not None
            and indent - margin >= 4
            and is_names
            and stripped[:1].isupper()
            and bool(nonblank[n + 1 :])
            and not re.search(r"[,;(&]\s*$|\band\s*$", join(open_parts).text)
            and _name_words(_HOLDER_SPLIT.split(join(open_parts).text.strip())[-1]) >= 2
            and _name_words(_HOLDER_SPLIT.split(stripped)[0]) >= 2
        )
        if moved_row:
            settle()
            names.append([raw])
            last_kind = "names"
            continue
        if open_parts is not None and (
            indent - margin >= 4
            or stripped.startswith("(")
            or (open_parts[-1].text.rstrip().endswith((",", ";")) and (is_names or stripped[:1].islower()))
            or (
                is_names
                and _name_words(_HOLDER_SPLIT.split(stripped)[0]) == 1
                and _name_words(_HOLDER_SPLIT.split(open_parts[-1].text.strip())[-1]) == 1
            )
        ):
            open_parts.append(raw)  # holders the cell wrapped: "... Linda" / "Paris, ..."
            continue
        waiting = names[-1] if names else (carry[-1] if carry else None)
        if (
            last_kind == "post"
            and single
            and is_names
            and waiting is not None
            and _name_words(_HOLDER_SPLIT.split(join(waiting).text.strip())[-1]) == 1
        ):
            # a name the cell wrapped, read across the row: "..., Linda Paris, Julie" / "YJB link
            # staff" / "Fox"
            waiting.append(raw)
            continue
        open_post = bool(posts) and (_TITLE_OPEN_END.search(entries[posts[-1]][0].text.rstrip()) or stripped[:1].islower())
        if posts and (
            (open_post and last_kind == "post" and (not is_names or len(stripped.split()) == 1))
            or (open_post and last_kind == "names" and not is_names)
            or (
                last_kind == "post"
                and adjacent
                and not is_names
                and len(stripped.split()) <= 2
                and len(entries[posts[-1]][0].text.split()) >= 4
                and not any(_name_token(w) for w in stripped.split())
            )
            or (last_kind == "post" and adjacent and single)
            # the post's second line after its holders, read across the row: "Lead Elected Member
            # for Community" / "Michael Hill" / "Services"
            or (
                last_kind == "names"
                and adjacent
                and single
                and len(names) == 1
                and len(posts) == 1
                and (n + 1 == len(nonblank) or not _names(lines[nonblank[n + 1]].stripped))
            )
        ):
            p = posts[-1]  # a post the cell wrapped ("... Commissioner for" / "Cumbria"), maybe with its holders
            at, guess = (None, False) if is_names else _split_joined_row(stripped)
            if at is None:
                entries[p][0] = join([entries[p][0], raw.strip()])
            else:
                entries[p][0] = join([entries[p][0], raw[start : start + at].strip()])
                names.append([raw[start + at :]])
                last_kind = "names"
            continue
        if is_names:
            if last_kind == "post" and not adjacent:
                for p in posts:
                    entries[p][3] = entries[p][3] or "holders not on the line after the post; paired in order"
            names.append([raw])
            last_kind = "names"
            continue
        at, guess = _split_joined_row(stripped)
        if at is not None:
            settle()
            post = raw[start : start + at].strip()
            entries.append([post, [raw[start + at :]], _source_line_span(source, raw), None])
            if guess:
                warnings.append(
                    f"copy list: {stripped!r} has no gap between post and name; read as post "
                    f"{post.text!r} and holders {stripped[at:]!r}"
                )
            last_kind = "row"
            gapped = False
            continue
        if last_kind == "names":
            settle()
        posts.append(len(entries))
        entries.append([raw.strip(), [], _source_line_span(source, raw), None])
        last_kind = "post"
    settle()
    for extra in carry:
        warnings.append(f"copy list: names with no post to go with them: {join(extra).text.strip()!r}")
    out: list[CopyListEntry] = []
    for post, holder_parts, span, how in entries:
        if not post:
            continue  # joined to the post before it
        post_text = " ".join(post.text.split()).rstrip(":")
        holders = tuple(h for h in _holders(join(holder_parts)))
        if not holders:
            warnings.append(f"copy list: no name given for the post {post_text!r}")
        elif how:
            warnings.append(f"copy list: {post_text!r} read with {', '.join(h.name for h in holders)!r}: {how}")
        out.append(CopyListEntry(post=post_text, holders=holders, span=span))
    return out


def _join_wrapped_posts(entries: list[list[Any]], posts: list[int], count: int) -> None:
    """Join ``count`` of a run's posts to the post before them: the likeliest a cell wrapped (a
    post ending in "for", "of", "and" ..., a next line in lower case, a short one after a long
    one). The joined posts are taken out of ``posts``; their entries are left empty and dropped."""

    def score(k: int) -> int:
        before: str = entries[posts[k - 1]][0].text.strip()
        after: str = entries[posts[k]][0].text.strip()
        return (
            4 * bool(_TITLE_OPEN_END.search(before))
            + 4 * after[:1].islower()
            + 2 * (len(after.split()) <= 2)
            + (len(before.split()) >= 4)
        )

    strong = [k for k in sorted(range(1, len(posts)), key=score, reverse=True) if score(k) >= 1]
    chosen = sorted(strong[:count], reverse=True)
    for k in chosen:
        head, tail = entries[posts[k - 1]], entries[posts[k]]
        head[0] = join([head[0], tail[0]])
        head[3] = "a post over two lines, joined as the likeliest reading"
        tail[0] = MappedText.empty()
        del posts[k]


def _holders(text: MappedText) -> list[Holder]:
    out: list[Holder] = []
    last = 0
    pieces: list[MappedText] = []
    depth = 0  # parentheses open before the separator (counted as the separators are met)
    counted = 0
    for m in _HOLDER_SPLIT.finditer(text.text):
        gap = text.text[counted : m.start()]
        depth += gap.count("(") - gap.count(")")
        counted = m.start()
        # a comma inside parentheses belongs to the qualifier, not a new name
        if depth > 0:
            continue
        pieces.append(text[last : m.start()])
        last = m.end()
    pieces.append(text[last:])
    for piece in pieces:
        piece = piece.strip()
        if not piece.text:
            continue
        qualifier = None
        q = _QUALIFIER.search(piece.text)
        if q:
            qualifier = " ".join(q["q"].split()) or None
            piece = piece[: q.start()].strip()
        honorific, name = _split_honorific(piece)
        name = name.strip()
        trimmed = name.text.rstrip(".")
        name = name[: len(trimmed)]
        span = name.source_span()
        if span is None or not re.search(r"[^\W\d_]", name.text):
            continue
        out.append(Holder(name=" ".join(name.text.split()), honorific=honorific, qualifier=qualifier, span=span))
    return out
