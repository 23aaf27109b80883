"""Page furniture in text extracted from a PDF: page numbers, and running headers or footers
(a line repeated on several pages next to a page number or a page break).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .lines import _structural
from .patterns import _HEADER_LABEL, _TITLE_KEY, _TITLE_START

_PAGE_NUMBER = re.compile(
    r"^(?:page\s*\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?|\d{1,3}\s*(?:of|/)\s*\d{1,3}|[-–—]\s*\d{1,3}\s*[-–—]|"
    r"\d{1,3}\s*\|\s*page|page\s*\|\s*\d{1,3})$",
    re.I,
)


_BARE_NUMBER = re.compile(r"^\d{1,3}$")


_PAGE_COUNTER_AT_END = re.compile(r"\s(?:page\s*)?\d{1,3}\s*(?:/|of)\s*(?P<total>\d{1,3})$", re.I)


_FURNITURE_NEAR = 3  # non-blank lines either side of a page number where a running header sits


def _furniture(keys: Sequence[str], raw: Sequence[str]) -> set[int]:
    """Page numbers ("Page 2 of 5", "2 of 5", "- 2 -") and running headers or footers: a line
    repeated on several pages next to a page number or a page break (form feed)."""
    pages = {i for i, k in enumerate(keys) if k and _PAGE_NUMBER.match(k)}
    # a page counter at the end of a line that comes back on other pages, the same but for its
    # numbers (a browser's own footer: the document's address, then "1/6")
    counted: dict[str, list[int]] = {}
    for i, k in enumerate(keys):
        m = _PAGE_COUNTER_AT_END.search(k)
        if m and len(k) > len(m[0]) + 8 and not _structural(k):
            counted.setdefault(re.sub(r"\d+", "#", " ".join(k[: m.start()].split())) + "/" + m["total"], []).append(i)
    for where in counted.values():
        if len(where) >= 2:
            pages.update(where)
    breaks = pages | {i for i, r in enumerate(raw) if "\f" in r}
    seen: dict[str, list[int]] = {}
    for i, k in enumerate(keys):
        # with no page break found, only the title can be told as a running header
        if len(k) >= 12 and not k.isdigit() and (breaks or _TITLE_START.match(k)):
            seen.setdefault(" ".join(k.split()), []).append(i)  # a layout mode pads it differently page by page
    nonblank = [i for i, k in enumerate(keys) if k]
    position = {i: n for n, i in enumerate(nonblank)}
    out = set(pages)
    # the title: the first title line after the header's labels (a browser's running header may
    # stand above the header on the first page too), or the first of all
    titles = [i for i, k in enumerate(keys) if _TITLE_START.match(k) and _TITLE_KEY.search(k)]
    label = next((i for i, k in enumerate(keys) if _HEADER_LABEL.match(k)), None)
    title = next((i for i in titles if label is not None and i > label), titles[0] if titles else None)
    # the title wrapped over two lines ("... work in" / "Kent"): every whole title line is the
    # running header (a browser's own header may stand between the header's labels and values)
    wrapped = [t for t in titles if len(keys[t]) > 20 and any(keys[u] != keys[t] and keys[u].startswith(keys[t]) for u in titles)]
    if wrapped and title not in wrapped:
        title = next((t for t in wrapped if label is not None and t > label), wrapped[0])
    for k, where in seen.items():
        if _TITLE_START.match(k) and _TITLE_KEY.search(k) and (len(where) > 1 or where[0] != title):
            # the report's title as the running header: the first is the title (unless the title
            # came before, over two lines), every other is furniture (a report never repeats its
            # title in its text), and so is a bare number next to it (the page number an
            # extractor gave with no "Page" and no form feed)
            # the title wrapped over two lines elsewhere ("... work in" / "Kent"): every whole
            # title line is the running header (a browser's own header may stand between the
            # header's labels and their values)
            for i in where[where[0] == title :]:
                out.add(i)
                n = position[i]
                for j in (nonblank[n - 1] if n else None, nonblank[n + 1] if n + 1 < len(nonblank) else None):
                    if j is not None and _BARE_NUMBER.match(keys[j]):
                        out.add(j)
            continue
        if len(where) < 2 or _structural(k) or not breaks:
            continue
        near = 0
        for i in where:
            n = position[i]
            window = nonblank[max(0, n - _FURNITURE_NEAR) : n + _FURNITURE_NEAR + 1]
            if any(j in breaks for j in window) or "\f" in raw[i]:
                near += 1
        if where and near * 2 >= len(where):
            out.update(where)
    return out
