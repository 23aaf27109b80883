"""The copy list: posts and the names under them, read from a two-column table however an
extractor laid it out (rows, cells one per line, runs of posts then names, rows cut by a page).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .findings import _CONNECTORS, _NAME_PARTICLES, _NAME_TOKEN_RE, _POST_WORDS, _source_line_span
from .header import _split_honorific
from .lines import _LIGATURES, _TITLE_OPEN_END, _Line
from .model import (
    CopyListEntry,
    Holder,
    Span,
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


@dataclass
class _Entry:
    """A row of the copy list as read so far."""

    post: MappedText
    holder_parts: list[MappedText]  # the holders' cell, one piece per line it took
    span: Span | None
    how: str | None = None  # None: read as one row; else the reason, warned with the row


@dataclass
class _CopyLine:
    """A nonblank line of the copy list, measured for the readings."""

    n: int  # its place among the nonblank lines
    index: int  # its line number
    raw: MappedText
    indent: int
    stripped: str  # as written (offsets into the line), ligatures and all
    adjacent: bool  # the nonblank line before it is the line just above
    is_names: bool
    # one word on its own under a post is the post's cell wrapped ("... Police and Crime" /
    # "Panel"): a holder is named with two words or more
    single: bool


def _column_gap(s: str, indent: int, stripped: str) -> re.Match[str] | None:
    """The gap between a row's two cells set apart (a tab, or spaces), or None."""
    sep = re.search(r"\t+|\s{2,}", s[indent:].rstrip())  # white space at the end is no gap
    if sep is not None and not s[indent : indent + sep.start()].strip():
        return None
    gaps = re.findall(r"\s+", stripped)
    if sep is not None and "\t" not in stripped and len(gaps) > 1 and all(len(g) > 1 for g in gaps):
        return None  # every word set apart alike: a justified line (pdfminer), not two columns
    return sep


class _CopyListReading:
    """The copy list read line by line: rows, and runs of posts then holders (see ``_copy_list``)."""

    def __init__(self, lines: Sequence[_Line], indices: list[int], source: str, warnings: list[str]) -> None:
        self.lines = lines
        self.source = source
        self.warnings = warnings
        self.entries: list[_Entry] = []
        self.posts: list[int] = []  # entries of the current run whose post came on a line of its own
        self.names: list[list[MappedText]] = []  # the current run's holders, one list of lines per post
        self.carry: list[list[MappedText]] = []  # holders left over from the runs before
        self.last_kind = ""  # "row", "post", "names": what the line before was
        self.last_line = -2
        self.gapped = False  # the last row had its cells apart (columns): a line with one cell continues the post
        self.nonblank = [i for i in indices if not lines[i].blank]
        # the page's margin (pdftotext's layout mode keeps it): columns are told from it
        self.margin = min((len(lines[i].text.text) - len(lines[i].text.text.lstrip()) for i in self.nonblank), default=0)

    def read(self) -> list[_Entry]:
        for n, i in enumerate(self.nonblank):
            self._read_line(n, i)
        self._settle()
        for extra in self.carry:
            self.warnings.append(f"copy list: names with no post to go with them: {join(extra).text.strip()!r}")
        return self.entries

    def _read_line(self, n: int, i: int) -> None:
        adjacent = self.last_line == i - 1
        self.last_line = i
        raw = self.lines[i].text
        s = raw.text
        indent = len(s) - len(s.lstrip())
        stripped = s.strip()
        sep = _column_gap(s, indent, stripped)
        if sep is not None:
            self._row_apart(raw, indent, sep)
            return
        line = _CopyLine(n, i, raw, indent, stripped, adjacent, _names(stripped), len(stripped.split()) == 1)
        open_parts = (
            self.names[-1]
            if self.last_kind == "names" and self.names
            else (self.entries[-1].holder_parts if self.last_kind == "row" and self.entries else None)
        )
        if (
            self._post_wrapped_beside_row(line)
            or self._row_moved_over_page(line, open_parts)
            or self._holders_wrapped(line, open_parts)
            or self._name_wrapped_across_row(line)
            or self._run_post_wrapped(line)
        ):
            return
        if line.is_names:
            self._holders_line(line)
            return
        if self._joined_row(line):
            return
        if self.last_kind == "names":
            self._settle()
        self.posts.append(len(self.entries))
        self.entries.append(_Entry(raw.strip(), [], _source_line_span(self.source, raw)))
        self.last_kind = "post"

    def _settle(self) -> None:
        """Give the run's holders to its posts."""
        got = self.carry + self.names
        carried = bool(self.carry)
        self.carry = []
        self.names.clear()
        posts, entries = self.posts, self.entries
        if not posts or not got:
            self.carry = got
            return
        before = entries[posts[0] - 1] if posts[0] else None
        if before is not None and len(got) > len(posts) and join(before.holder_parts).text.rstrip().endswith((",", ";")):
            # the entry before the run stopped at a comma (its list ran on after a page break): the
            # run's first holders end its list
            before.holder_parts.extend(got.pop(0))
            before.how = before.how or "its holders ran on after the next posts; read as one list"
        if len(got) < len(posts):
            _join_wrapped_posts(entries, posts, len(posts) - len(got))
        apart = len(posts) > 1 or len(got) != len(posts) or carried or any(entries[p].how for p in posts)
        for p, holders in zip(posts, got, strict=False):  # posts without names wait for the next run
            entries[p].holder_parts.extend(holders)
            if apart and not entries[p].how:
                entries[p].how = "posts and names were listed apart; paired in order"
        self.carry = got[len(posts) :]
        del posts[: len(got)]  # posts still without names wait for the next run's

    def _row_apart(self, raw: MappedText, indent: int, sep: re.Match[str]) -> None:
        """A row with its cells apart: the post before the gap, the holders after it."""
        self._settle()
        a, b = indent + sep.start(), indent + sep.end()
        self.entries.append(_Entry(raw[indent:a], [raw[b:]], _source_line_span(self.source, raw)))
        self.last_kind = "row"
        self.gapped = True

    def _following(self, line: _CopyLine) -> _Line | None:
        n = line.n
        return self.lines[self.nonblank[n + 1]] if n + 1 < len(self.nonblank) else None

    def _holders_moved_on(self, line: _CopyLine) -> bool:
        """A post alone after a complete row whose holders come in their column after a gap (a
        page break): a row whose holders a layout engine moved on to the next page whole."""
        following = self._following(line)
        return (
            following is not None
            and self.nonblank[line.n + 1] != line.index + 1
            and _names(following.stripped)
            and len(following.text.text) - len(following.text.text.lstrip()) - self.margin >= 4
            and not _TITLE_OPEN_END.search(self.entries[-1].post.text.rstrip() if self.entries else "")
        )

    def _post_wrapped_beside_row(self, line: _CopyLine) -> bool:
        """The post's cell of the last row wrapped, its holders beside it."""
        entries = self.entries
        if not (
            self.last_kind == "row"
            and entries
            and not entries[-1].how
            and not self._holders_moved_on(line)
            and (
                _TITLE_OPEN_END.search(entries[-1].post.text.rstrip())
                or line.stripped[:1].islower()
                or (
                    self.gapped
                    and line.indent - self.margin < 4
                    and (not line.is_names or line.single)
                    and not _split_joined_row(line.stripped)[0]
                )
            )
        ):
            return False
        entries[-1].post = join([entries[-1].post, line.raw.strip()])
        return True

    def _row_moved_over_page(self, line: _CopyLine, open_parts: list[MappedText] | None) -> bool:
        """A holder's cell on a line of its own in the holders' column after a row whose holders
        ended whole: a row whose post a layout engine moved on to the next page whole ("Michael
        Hill" here, "Lead Elected Member for Community" / "Services" over the page)."""
        if not (
            open_parts is not None
            and line.indent - self.margin >= 4
            and line.is_names
            and line.stripped[:1].isupper()
            and bool(self.nonblank[line.n + 1 :])
            and not re.search(r"[,;(&]\s*$|\band\s*$", join(open_parts).text)
            and _name_words(_HOLDER_SPLIT.split(join(open_parts).text.strip())[-1]) >= 2
            and _name_words(_HOLDER_SPLIT.split(line.stripped)[0]) >= 2
        ):
            return False
        self._settle()
        self.names.append([line.raw])
        self.last_kind = "names"
        return True

    def _holders_wrapped(self, line: _CopyLine, open_parts: list[MappedText] | None) -> bool:
        """Holders the cell wrapped: "... Linda" / "Paris, ..."."""
        stripped = line.stripped
        if open_parts is None or not (
            line.indent - self.margin >= 4
            or stripped.startswith("(")
            or (open_parts[-1].text.rstrip().endswith((",", ";")) and (line.is_names or stripped[:1].islower()))
            or (
                line.is_names
                and _name_words(_HOLDER_SPLIT.split(stripped)[0]) == 1
                and _name_words(_HOLDER_SPLIT.split(open_parts[-1].text.strip())[-1]) == 1
            )
        ):
            return False
        open_parts.append(line.raw)
        return True

    def _name_wrapped_across_row(self, line: _CopyLine) -> bool:
        """A name the cell wrapped, read across the row: "..., Linda Paris, Julie" / "YJB link
        staff" / "Fox"."""
        waiting = self.names[-1] if self.names else (self.carry[-1] if self.carry else None)
        if waiting is None or not (
            self.last_kind == "post"
            and line.single
            and line.is_names
            and _name_words(_HOLDER_SPLIT.split(join(waiting).text.strip())[-1]) == 1
        ):
            return False
        waiting.append(line.raw)
        return True

    def _run_post_continues(self, line: _CopyLine) -> bool:
        """Whether the line goes on the last post of the run (a cell wrapped)."""
        posts, entries, last_kind, stripped = self.posts, self.entries, self.last_kind, line.stripped
        open_post = bool(posts) and (_TITLE_OPEN_END.search(entries[posts[-1]].post.text.rstrip()) or stripped[:1].islower())
        return bool(posts) and bool(
            (open_post and last_kind == "post" and (not line.is_names or len(stripped.split()) == 1))
            or (open_post and last_kind == "names" and not line.is_names)
            or (
                last_kind == "post"
                and line.adjacent
                and not line.is_names
                and len(stripped.split()) <= 2
                and len(entries[posts[-1]].post.text.split()) >= 4
                and not any(_name_token(w) for w in stripped.split())
            )
            or (last_kind == "post" and line.adjacent and line.single)
            # the post's second line after its holders, read across the row: "Lead Elected Member
            # for Community" / "Michael Hill" / "Services"
            or (
                last_kind == "names"
                and line.adjacent
                and line.single
                and len(self.names) == 1
                and len(posts) == 1
                and (line.n + 1 == len(self.nonblank) or not _names(self.lines[self.nonblank[line.n + 1]].stripped))
            )
        )

    def _run_post_wrapped(self, line: _CopyLine) -> bool:
        """A post the cell wrapped ("... Commissioner for" / "Cumbria"), maybe with its holders."""
        if not self._run_post_continues(line):
            return False
        entry, raw, start = self.entries[self.posts[-1]], line.raw, line.indent
        at, _ = (None, False) if line.is_names else _split_joined_row(line.stripped)
        if at is None:
            entry.post = join([entry.post, raw.strip()])
        else:
            entry.post = join([entry.post, raw[start : start + at].strip()])
            self.names.append([raw[start + at :]])
            self.last_kind = "names"
        return True

    def _holders_line(self, line: _CopyLine) -> None:
        """A line of holders: the next post of the run gets them."""
        if self.last_kind == "post" and not line.adjacent:
            for p in self.posts:
                self.entries[p].how = self.entries[p].how or "holders not on the line after the post; paired in order"
        self.names.append([line.raw])
        self.last_kind = "names"

    def _joined_row(self, line: _CopyLine) -> bool:
        """A row whose post and holders an extractor joined with one space."""
        at, guess = _split_joined_row(line.stripped)
        if at is None:
            return False
        self._settle()
        raw, start, stripped = line.raw, line.indent, line.stripped
        post = raw[start : start + at].strip()
        self.entries.append(_Entry(post, [raw[start + at :]], _source_line_span(self.source, raw)))
        if guess:
            self.warnings.append(
                f"copy list: {stripped!r} has no gap between post and name; read as post "
                f"{post.text!r} and holders {stripped[at:]!r}"
            )
        self.last_kind = "row"
        self.gapped = False
        return True


def _copy_list(lines: Sequence[_Line], indices: list[int], source: str, warnings: list[str]) -> list[CopyListEntry]:
    """Rows of post and holders. Besides columns apart (a tab, or spaces), text extracted from a
    PDF gives each cell on its own line (post, holders, post, ...; or all the posts of a page and
    then their holders, the holders maybe before the posts after a page break), a cell wrapped
    over two lines, or a row as one line with a single space between its cells.

    Cells on lines of their own are read in runs: posts, then holders. A run's holders go to its
    posts in order; holders left over go to the posts of the next run; where a run has fewer
    holders than posts, the posts likeliest to be one post wrapped are joined. Anything but a
    post and its holders on consecutive lines is a reading, and warned as one, post by post."""
    out: list[CopyListEntry] = []
    for entry in _CopyListReading(lines, indices, source, warnings).read():
        if not entry.post:
            continue  # joined to the post before it
        post_text = " ".join(entry.post.text.split()).rstrip(":")
        holders = tuple(h for h in _holders(join(entry.holder_parts)))
        if not holders:
            warnings.append(f"copy list: no name given for the post {post_text!r}")
        elif entry.how:
            warnings.append(f"copy list: {post_text!r} read with {', '.join(h.name for h in holders)!r}: {entry.how}")
        out.append(CopyListEntry(post=post_text, holders=holders, span=entry.span))
    return out


def _join_wrapped_posts(entries: list[_Entry], posts: list[int], count: int) -> None:
    """Join ``count`` of a run's posts to the post before them: the likeliest a cell wrapped (a
    post ending in "for", "of", "and" ..., a next line in lower case, a short one after a long
    one). The joined posts are taken out of ``posts``; their entries are left empty and dropped."""

    def score(k: int) -> int:
        before = entries[posts[k - 1]].post.text.strip()
        after = entries[posts[k]].post.text.strip()
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
        head.post = join([head.post, tail.post])
        head.how = "a post over two lines, joined as the likeliest reading"
        tail.post = MappedText.empty()
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
