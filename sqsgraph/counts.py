"""Counts and proportions stated in findings: "17 of 29", "seven out of the ten", "75%",
"three-quarters", "all but two".

Each becomes (phrase as written, numerator, denominator, value): numbers are stored as the text
gives them and nothing is invented, so "all but two" has no numerator and no denominator unless
the text also gives the total ("all but two of the 20" → 18 / 20).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
_PERCENT = re.compile(rf"\b(?=\d)(?P<p>\d{{1,3}}(?:\.\d+)?)\s?(?:%|per\s?cent\b)", re.I)
_FRACTION = re.compile(
    rf"\b(?=[otfah])(?P<f>(?:one|two|three|four)[-\s](?:half|thirds?|quarters?|fifths?)|a\s+(?:third|quarter|fifth)(?=\s+of\b)|half(?=\s+(?:of|the|their|were|was|had)\b))",
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
        value = _fraction_value(m["f"])
        if value is not None:
            found.append(CountMatch(m.start(), m.end(), m.group(0), None, None, round(value, 4)))
    found = [_with_hedge(text, c) for c in found]
    found.sort(key=lambda c: (c.start, -(c.end - c.start)))
    result: list[CountMatch] = []
    last_end = -1
    for c in found:
        if c.start >= last_end:
            result.append(c)
            last_end = c.end
    return result
