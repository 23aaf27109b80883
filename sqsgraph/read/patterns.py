"""The patterns over the structure every SQS report shares: headings, labels, numbers, marks,
bullets and the phrases around the facts. Compiled once, read by the parser's steps.
"""

from __future__ import annotations

import re

from . import dates
from .counts import NUMBER

_MARKUP = re.compile(r"</?[A-Za-z][A-Za-z0-9]*\s*/?>|\*|[\u00ad\u200b\u200c\u200d\ufeff]")


# Characters nobody can see: C0 and C1 controls (not tab, line ends, vertical tab and form feed,
# which are white space; not NEL) and the bidirectional embedding, override and isolate controls
# (which reorder what a reader sees, "Trojan Source" style). Ignored like markup; the spans still
# point at the file as it stands.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")


_INVISIBLE = re.compile(f"{_CONTROL.pattern}|[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


# ... except a bullet some extractors give as a control character at the start of a line: DEL, or
# the Windows-1252 bullet 0x95 read as Latin-1 (U+0095). Group 1 is kept, group 2 removed.
_CONTROL_BULLET = re.compile(r"(?m)(^[ \t]*[\x7f\x95](?=[ \t]))|(" + _INVISIBLE.pattern + ")")


_SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰"


_SUPERSCRIPT_VALUE = {c: str(i) for i, c in enumerate("⁰¹²³⁴⁵⁶⁷⁸⁹")}


_SUPERSCRIPT_MARK = re.compile(f"[{_SUPERSCRIPTS}]+")


_GLUED_MARK = re.compile(r"(?<=[A-Za-z%)])([1-9])(?=[\s.,;:)]|$)")


_HEADER_LABEL = re.compile(
    r"^\s*(?P<label>To|Copy\s+to|From|Publication\s+date|Date\s+of\s+publication|Date)\s*:\s*(?P<value>.*)$",
    re.I,
)


_TITLE_START = re.compile(r"^\s*Report\s+(?:of|on)\b", re.I)


_TITLE_KEY = re.compile(r"short\s+quality\s+screening|\bSQS\b", re.I)


_AREA_IN_TITLE = re.compile(r"\bwork\s+in\s+(?P<area>.+?)\s*[.:]?\s*$", re.I | re.S)


_AREA_IN_COMMENTARY = re.compile(r"commentary\s+on\s+the\s+inspection\s+in\s+(?P<area>.+?)\s*:?\s*$", re.I)


_HEADINGS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("context", re.compile(r"^context:?$", re.I)),
    ("summary", re.compile(r"^summary:?$", re.I)),
    ("commentary", re.compile(r"^commentary\s+on\s+the\s+inspection\b.*$", re.I)),
    ("operational", re.compile(r"^operational\s+management:?$", re.I)),
    ("strengths", re.compile(r"^key\s+strengths?:?$", re.I)),
    ("improvements", re.compile(r"^areas?\s+(?:requiring|for|in\s+need\s+of|needing)\s+improvement:?$", re.I)),
    ("copylist", re.compile(r"^copy\s+to\s*:?$", re.I)),
)


_THEME_HEADING = re.compile(r"^(?P<num>\d{1,2})\.?\s+(?P<title>[A-Z][^\d]{2,90})$")


_FINDING_START = re.compile(r"^\s*(?:[-–—•▪●◦·]\s*)?(?P<major>\d{1,2})\.(?P<minor>\d{1,2})\.?(?=\s|$)\s*")


# a bullet: a dash or round bullet and a space, or a bullet glyph the text may run into ("■Staff"):
# Word's Symbol and Wingdings bullets come out of PDFs as private-use characters (U+F0B7, U+F0A7,
# ...), and pdfminer writes a glyph it cannot name as "(cid:N)"
_BULLET_GLYPHS = "•▪●◦·‣○■□➢✓►\uf000-\uf0ff"


_BULLET = re.compile(
    r"^\s*(?:(?:[-–—•▪●◦·‣○■□➢✓►\x7f\x95]|\d{1,2}[.)])\s+|[\uf000-\uf0ff■▪•►➢](?=\S)|[\uf000-\uf0ff]\s+|\(cid:\d+\)\s*)"
)


_LONE_BULLET = re.compile(rf"^(?:[{_BULLET_GLYPHS}]|\(cid:\d+\))+$")


_TERMINAL = re.compile(r"[.!?…:][\"”’')\]]*\s*$")


_NOTE_LINE = re.compile(r"^\s*(?:Note\b|To\s+request\b)", re.I)


_CLOSING_START = re.compile(r"^\s*(?:We\s+are\s+grateful|If\s+you\s+have\s+any\s+(?:further\s+)?questions)", re.I)


_HONORIFIC = re.compile(
    r"^(?P<h>Councillor|Cllr\.?|Dr\.?|Doctor|Professor|Prof\.?|Mr\.?|Mrs\.?|Ms\.?|Miss|Mx\.?|Sir|Dame|Lord|Lady|Baroness|Baron|"
    r"(?:The\s+)?Rt\.?\s+Hon\.?|Rev(?:erend|d)?\.?|Judge|DCC|ACC|DCI|Supt\.?|Chief\s+Superintendent|Superintendent)\s+(?=\S)",
    re.I,
)


_QUALIFIER = re.compile(r"\s*\((?P<q>[^()]*)\)\s*$")


_HOLDER_SPLIT = re.compile(r"\s*(?:;|,|&|\band\b)\s*")


_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


_PHONE = re.compile(r"(?:\bon|\btel(?:ephone)?\.?|\bphone)\s*:?\s*(?P<phone>\+?\(?\d[\d\s()-]{5,}\d)")


_LEAD_INSPECTOR = re.compile(
    r"lead\s+inspector\s*,?\s*(?:who\s+(?:was|is)\s+|was\s+|is\s+|:\s*)?(?P<name>(?:[A-Z][\w'’.-]*\s*){1,5}?)\s*(?:[.,;(]|$)"
)


_BODY = re.compile(
    r"(?P<name>(?:[A-Z][\w'’&.-]*\s+(?:(?:and|upon|with|on|of|in|the|le|la)\s+)?){0,6}?"
    r"Youth\s+(?:Offending|Justice)\s+(?P<type>Team|Service|Services|Partnership))"
    r"(?:\s*\((?P<abbr>[A-Z]{2,6})\))?"
)


_BODY_LEADING_NOISE = re.compile(r"^(?:(?:In|The|By|At|For|From|With|Within|Across|Both|And|Of|As|Overall|Staff)\s+)+")


_BODY_ABBREVIATION = re.compile(r"\b(?P<abbr>YOT|YOS|YJS|YOP)\b")


_ABBREVIATION_TYPE = {
    "YOT": "Youth Offending Team",
    "YOS": "Youth Offending Service",
    "YJS": "Youth Justice Service",
    "YOP": "Youth Offending Partnership",
}


_CASES = re.compile(
    rf"(?:examined|inspected|looked\s+at|assessed|read)\s+(?:a\s+(?:total\s+|sample\s+)?of\s+)?(?P<n>{NUMBER})\s+(?:\w+\s+)?cases"
    rf"|(?P<n2>{NUMBER})\s+cases\s+(?:were\s+)?(?:examined|inspected)",
    re.I,
)


_PREVIOUS_INSPECTION = re.compile(
    rf"\b(?:last|previous|previously)\s+(?:[A-Za-z]+\s+){{0,2}}?inspect(?:ed|ion)\b(?:\s+(?!in\b)[A-Za-z()]+){{0,3}}?\s+in\s+(?:{dates.MONTH}\s+)?(?P<y>(?:19|20)\d{{2}})\b",
    re.I,
)


_RATE = re.compile(
    r"reoffending\s+rate\s*(?:\(\w+\)\s*)?(?:for|in|of)\s+(?P<where>[^.%]{1,80}?)\s+(?:was|is|stood\s+at|of)\s+(?P<rate>\d{1,3}(?:\.\d+)?)\s?%",
    re.I,
)


_COMPARATOR_PATTERNS = (
    re.compile(
        r"(?P<label>(?:[A-Z][\w'’-]*\s+(?:(?:and|of|the)\s+)?)+average)\s+(?:of|was|at|rate\s+of)\s+(?P<rate>\d{1,3}(?:\.\d+)?)\s?%"
    ),
    re.compile(
        r"(?P<rate>\d{1,3}(?:\.\d+)?)\s?%\s+(?:for|in|across)\s+(?P<label>(?:the\s+)?[A-Z][\w'’-]*(?:\s+(?:and|of|the|[A-Z][\w'’-]*))*(?:\s+average)?)"
    ),
    re.compile(r"(?P<label>(?:national|regional)\s+average|average)\s+(?:of|was|at)\s+(?P<rate>\d{1,3}(?:\.\d+)?)\s?%", re.I),
)


# the dash may be gone: pdftotext takes out a hyphen that ends a line ("July 2013 -" / "June
# 2014 cohort" comes out "July 2013 June 2014 cohort", "April 2012-" / "March" "April 2012March")
_COHORT = re.compile(rf"(?P<a>{dates.MONTH}\s+\d{{4}})\s*(?:-|–|—|to)?\s*(?P<b>{dates.MONTH}\s+\d{{4}})\s+cohort", re.I)


_PUBLISHED = re.compile(r"\bpublished\s+(?:on\s+|in\s+)?(?P<when>[^.;]{3,40})", re.I)


_SOURCE = re.compile(r"\bSource\s*:\s*(?P<source>[^\n.]+)", re.I)


# Case pseudonyms: a single capitalised word used as a child's name in a case example.
_NAME_TOKEN = re.compile(r"(?<![\w'’-])(?P<w>[A-Z][a-z]{2,})(?P<poss>['’]s)?(?![\w-])")


_NAME_VERBS = frozenset(
    "was had is has came went said says told felt did would could should will made moved attended received "
    "started completed needed wanted lived began became refused showed agreed disclosed explained continued "
    "engaged complied reoffended returned admitted remained stayed found met".split()
)


_NAME_PREPOSITIONS = frozenset("with for from to by including helping supporting encouraging about enabling and of".split())


_DETERMINERS = frozenset("the a an this that these those its their his her our your my".split())


_NEAR = 80  # characters either side of a candidate pseudonym that decide how it is used


# how a candidate pseudonym is used, looked at for every capitalised word: compiled once
_PROPER_BEFORE = re.compile(r"[A-Z][\w'’-]*\s+$")


_PROPER_AFTER = re.compile(r"\s+[A-Z]")


_WORD_BEFORE = re.compile(r"([A-Za-z]+)\W*$")


_SENTENCE_START_BEFORE = re.compile(r"[.!?:;\"“(]\s*$")


_WORD_AFTER = re.compile(r"\W*([A-Za-z]+)")


_LOWER_WORD = re.compile(r"\b[a-z][a-z'’-]+\b")


_FOOTNOTE_NUMBER = re.compile(r"\d{1,2}")


_FOOTNOTE_NUMBERED_LINE = re.compile(r"^(\d{1,2})\s*[A-Z][a-z]")


_NOT_NAMES = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december".split()
)
