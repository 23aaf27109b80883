"""Counts and proportions stated in findings: "17 of 29", "seven out of the ten", "75%",
"three-quarters", "all but two".

Each becomes (phrase as written, numerator, denominator, value): numbers are stored as the text
gives them and nothing is invented, so "all but two" has no numerator and no denominator unless
the text also gives the total ("all but two of the 20" → 18 / 20).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
WORD_NUMBERS: dict[str, int] = {w: i for i, w in enumerate(_UNITS)}
WORD_NUMBERS.update(_TENS)
WORD_NUMBERS["hundred"] = 100
WORD_NUMBERS["a hundred"] = 100

_WORD = "|".join(sorted((w for w in WORD_NUMBERS if " " not in w), key=len, reverse=True))
_TENS_WORD = "|".join(_TENS)
NUMBER = rf"(?:\d{{1,4}}|(?:{_TENS_WORD})[-\s](?:one|two|three|four|five|six|seven|eight|nine)|{_WORD})"
# Every number starts with a digit or one of these letters. Asserted before the alternatives of
# NUMBER, it spares trying each of them at every word: the scan takes a third of the time.
_NUMBER_START = r"(?=[\d" + "".join(sorted({w[0] for w in WORD_NUMBERS if " " not in w})) + "])"

# A hedge word just before a count belongs to its phrase ("almost two-thirds"). Looked for
# behind a match rather than inside the patterns, which keeps the scan fast.
_HEDGE_BEFORE = re.compile(
    r"(?:\b(?:just\s+over|just\s+under|well\s+over|well\s+under|less\s+than|more\s+than|fewer\s+than|"
    r"almost|nearly|over|under|around|about|approximately|roughly))\s+$",
    re.I,
)

FRACTIONS: dict[str, float] = {
    "half": 1 / 2,
    "one-half": 1 / 2,
    "a third": 1 / 3,
    "one-third": 1 / 3,
    "two-thirds": 2 / 3,
    "a quarter": 1 / 4,
    "one-quarter": 1 / 4,
    "three-quarters": 3 / 4,
    "a fifth": 1 / 5,
    "one-fifth": 1 / 5,
    "two-fifths": 2 / 5,
    "three-fifths": 3 / 5,
    "four-fifths": 4 / 5,
}

_RATIO = re.compile(
    rf"\b{_NUMBER_START}(?P<n>{NUMBER})\s+(?:out\s+of|of)\s+(?:the\s+|every\s+|these\s+)?(?P<m>{NUMBER})\b(?!\s*%)",
    re.I,
)
_ALL_BUT = re.compile(
    rf"\ball\s+but\s+(?P<k>{NUMBER})(?:\s+(?:of\s+)?(?:the\s+)?(?P<m>{NUMBER})\b(?=\s+\w))?", re.I
)
_ALL_N = re.compile(rf"\ball\s+(?:of\s+the\s+|the\s+)?(?P<m>{NUMBER})\s+(?:\w+\s+)?cases\b", re.I)
_PERCENT = re.compile(r"\b(?=\d)(?P<p>\d{1,3}(?:\.\d+)?)\s?(?:%|per\s?cent\b)", re.I)
_FRACTION = re.compile(
    r"\b(?=[otfah])(?P<f>(?:one|two|three|four)[-\s](?:half|thirds?|quarters?|fifths?)|a\s+(?:third|quarter|fifth)(?=\s+of\b)|half(?=\s+(?:of|the|their|were|was|had)\b))",
    re.I,
)


@dataclass(frozen=True)
class CountMatch:
    start: int
    end: int
    phrase: str
    numerator: int | None
    denominator: int | None
    value: float | None
    polarity: str = "unstated"  # see ``polarity``
    refers_to: str = "this-inspection"  # or "earlier-inspection"
    qualifier: str | None = None  # "just over", "less than", ...: the count is approximate


# --- what a count counts ------------------------------------------------------------------------
#
# "sufficient in 12 of the 16" counts the cases done well (favourable); "not undertaken in 3 of the
# 16" the cases where it was not done or fell short (unfavourable); "over a third had been assessed
# as high risk" describes, and judges nothing (unstated). Read from the words of the clause that
# holds the count, by the rules below; a clause with no judgement in it says unstated.

POLARITIES = ("favourable", "unfavourable", "unstated")
REFERS_TO = ("this-inspection", "earlier-inspection")

# where a clause ends: a semicolon, or a conjunction that turns to another judgement
_HARD_BREAK = re.compile(r";|:(?=\s)|\s(?:while|whereas|although|though|but|however|as|which\s+was|because)\s|\.\s", re.I)
_NEGATION = re.compile(
    r"\b(?:not|no|never|none|nor|without|absence|absent|lack(?:ed|ing|s)?|insufficient(?:ly)?|deficien\w*|"
    r"inadequate(?:ly)?|unsatisfactory|poor(?:ly)?|fail(?:ed|ing|s)?|missing|weak(?:ness(?:es)?)?|"
    r"delay(?:ed|s)?|late|gaps?|\w+n't|needs?\s+to\s+improve|needed\s+to\s+improve|requir\w*\s+improvement)\b",
    re.I,
)
_JUDGEMENT = re.compile(
    r"\b(?:sufficient(?:ly)?|well(?!-)|good|effective(?:ly)?|satisfactor(?:y|ily)|appropriate(?:ly)?|thorough(?:ly)?|"
    r"accurate(?:ly)?|suitable|timely|strong|high\s+level|high\s+quality|pleased|"
    r"complied|compl(?:ying|ies|y)|undertaken|completed|reviewed|in\s+place|made|paid|evident|"
    r"led\s+to\s+improvements?|improved|we\s+saw|saw\s+evidence|there\s+(?:was|were)\s+(?:a|an|some)\b)",
    re.I,
)
# a negation after "who", "where", "which" or "that" negates the clause it opens, not the count's
_RELATIVE = re.compile(r"\b(?:who|which)\b", re.I)
# a sentence that opens with one of these has a leading clause, to its first comma
_LEADING = re.compile(r"(?:While|Whereas|Although|Though|Where|When|If)\b")
_EARLIER = re.compile(r"\b(?:previous|last|earlier|former|prior)\s+(?:SQS\s+)?inspection\b|\bwe\s+last\s+inspected\b", re.I)
_THEN = re.compile(r"\bwhen\b|\bat\s+that\s+time\b|\bthen\b", re.I)
_QUALIFIER = re.compile(
    r"^(?P<q>just\s+over|just\s+under|well\s+over|well\s+under|less\s+than|more\s+than|fewer\s+than|"
    r"almost|nearly|over|under|around|about|approximately|roughly)\s",
    re.I,
)


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    a = max(text.rfind(". ", 0, start), text.rfind("? ", 0, start), text.rfind("! ", 0, start))
    a = 0 if a < 0 else a + 2
    b = min((i for i in (text.find(". ", end), text.find("? ", end), text.find("! ", end)) if i >= 0), default=len(text))
    return a, b


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around ``[start, end)``: the sentence, cut at the breaks before and after it."""
    a, b = _sentence(text, start, end)
    if _LEADING.match(text, a):
        comma = text.find(",", a, b)
        if comma >= 0:
            if end <= comma:
                return a, comma
            a = comma + 1
    for m in _HARD_BREAK.finditer(text, a, b):
        if m.end() <= start:
            a = m.end()
        elif m.start() >= end:
            b = m.start()
            break
    return a, b


def _negated(clause: str, at: int) -> bool:
    """Whether a negation in ``clause`` speaks of the count (at ``at`` in it): a negation inside
    a relative clause ("young people who did not comply") does not. (A leading clause set off by
    a comma, "Where they did not comply, the response was ...", is not part of ``clause``.)"""
    for m in _NEGATION.finditer(clause):
        before = clause[max(0, m.start() - 40) : m.start()]
        relative = _RELATIVE.search(before)
        if relative is not None and not re.search(r",", before[relative.end() :]):
            continue
        return True
    return False


def polarity(text: str, start: int, end: int) -> str:
    """favourable, unfavourable or unstated: what the count at ``[start, end)`` of ``text`` counts."""
    a, b = _clause(text, start, end)
    clause = text[a:b]
    if _negated(clause, start - a):
        return "unfavourable"
    if _JUDGEMENT.search(clause):
        return "favourable"
    return "unstated"


def refers_to(text: str, start: int, end: int) -> str:
    """earlier-inspection when the sentence compares with an earlier inspection and the count
    comes after its "when" ("compared with our last inspection, when only half ..."), else
    this-inspection."""
    a, b = _sentence(text, start, end)
    earlier = _EARLIER.search(text, a, start)
    if earlier is not None and _THEN.search(text, earlier.end(), start):
        return "earlier-inspection"
    return "this-inspection"


def qualifier(phrase: str) -> str | None:
    """The hedge an approximate count starts with ("just over half" -> "just over")."""
    m = _QUALIFIER.match(phrase)
    return re.sub(r"\s+", " ", m["q"].lower()) if m else None


def number_value(word: str) -> int | None:
    w = word.lower().strip()
    if w.isdigit():
        return int(w)
    if w in WORD_NUMBERS:
        return WORD_NUMBERS[w]
    parts = re.split(r"[-\s]", w)
    if len(parts) == 2 and parts[0] in _TENS and parts[1] in WORD_NUMBERS:
        return _TENS[parts[0]] + WORD_NUMBERS[parts[1]]
    return None


def _fraction_value(word: str) -> float | None:
    key = re.sub(r"\s+", " ", word.lower())
    key = re.sub(r"^(one|two|three|four) (half|thirds?|quarters?|fifths?)$", r"\1-\2", key)
    if key in FRACTIONS:
        return FRACTIONS[key]
    # "two-third" / "three-quarter" written without the plural
    for name, value in FRACTIONS.items():
        if name.rstrip("s") == key.rstrip("s"):
            return value
    return None


def _ratio(n: int | None, m: int | None) -> float | None:
    if n is None or m is None or m == 0 or n > m:
        return None
    return round(n / m, 4)


def _with_hedge(text: str, c: CountMatch) -> CountMatch:
    if c.phrase.lower().startswith("all"):
        return c
    h = _HEDGE_BEFORE.search(text, max(0, c.start - 24), c.start)
    if h is None:
        return c
    return CountMatch(h.start(), c.end, text[h.start() : c.end], c.numerator, c.denominator, c.value)


def find_counts(text: str) -> list[CountMatch]:
    """Every count or proportion stated in ``text``, in reading order, without overlaps."""
    found: list[CountMatch] = []
    for m in _RATIO.finditer(text):
        n, d = number_value(m["n"]), number_value(m["m"])
        if n is None or d is None or n > d or d == 0:
            continue
        found.append(CountMatch(m.start(), m.end(), m.group(0), n, d, _ratio(n, d)))
    for m in _ALL_BUT.finditer(text):
        k = number_value(m["k"])
        total = number_value(m["m"]) if m["m"] else None
        if total is not None and k is not None and k <= total:
            found.append(CountMatch(m.start(), m.end(), m.group(0), total - k, total, _ratio(total - k, total)))
        else:
            end = m.start("k") + len(m["k"])
            found.append(CountMatch(m.start(), end, text[m.start() : end], None, None, None))
    for m in _ALL_N.finditer(text):
        total = number_value(m["m"])
        if total:
            found.append(CountMatch(m.start(), m.end(), m.group(0), total, total, 1.0))
    for m in _PERCENT.finditer(text):
        value = float(m["p"]) / 100
        if value <= 1:
            found.append(CountMatch(m.start(), m.end(), m.group(0), None, None, round(value, 4)))
    for m in _FRACTION.finditer(text):
        fraction = _fraction_value(m["f"])
        if fraction is not None:
            found.append(CountMatch(m.start(), m.end(), m.group(0), None, None, round(fraction, 4)))
    found = [_with_hedge(text, c) for c in found]
    found.sort(key=lambda c: (c.start, -(c.end - c.start)))
    result: list[CountMatch] = []
    last_end = -1
    for c in found:
        if c.start >= last_end:
            result.append(replace(c, polarity=polarity(text, c.start, c.end), refers_to=refers_to(text, c.start, c.end),
                                  qualifier=qualifier(c.phrase)))
            last_end = c.end
    return result
