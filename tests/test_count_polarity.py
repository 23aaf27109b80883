"""What each stated count counts: its polarity, the inspection it speaks of, its hedge.

Every count of the five samples is labelled here by hand (reading the sentence, not the code):
``favourable`` when it counts cases done sufficiently, well or effectively, ``unfavourable`` when
it counts cases where the work was not done or fell short, ``unstated`` when it judges nothing.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from sqsgraph.cli import main
from sqsgraph.read.counts import find_counts
from sqsgraph.read.parser import parse_file
from sqsgraph.read.reader import sample_paths

SAMPLES = {p.stem: p for p in sample_paths()}

# (sample, finding, phrase, polarity, refers to, qualifier), labelled by hand
LABELS = [
    ("barnet-2014", "1.1", "all 20 cases", "favourable", "this-inspection", None),
    ("barnet-2014", "1.4", "all but two", "favourable", "this-inspection", None),
    ("barnet-2014", "1.5", "12 of the 16", "favourable", "this-inspection", None),
    ("barnet-2014", "2.1", "Over a third", "unstated", "this-inspection", "over"),
    ("barnet-2014", "2.3", "all but one", "favourable", "this-inspection", None),
    ("barnet-2014", "2.6", "three-quarters", "favourable", "this-inspection", None),
    ("barnet-2014", "2.6", "all but three", "favourable", "this-inspection", None),
    ("barnet-2014", "3.1", "16 of the 20", "favourable", "this-inspection", None),
    ("barnet-2014", "3.2", "18 out of the 20", "favourable", "this-inspection", None),
    ("barnet-2014", "3.5", "3 of the 16", "unfavourable", "this-inspection", None),
    ("bedfordshire-2014", "1.3", "almost two-thirds", "favourable", "this-inspection", "almost"),
    ("bedfordshire-2014", "2.1", "all but one", "favourable", "this-inspection", None),
    ("bedfordshire-2014", "2.2", "12 out of 14", "favourable", "this-inspection", None),
    ("bedfordshire-2014", "2.3", "over two-thirds", "favourable", "this-inspection", "over"),
    ("bedfordshire-2014", "2.3", "five out of eight", "favourable", "this-inspection", None),
    ("bedfordshire-2014", "2.4", "75%", "favourable", "this-inspection", None),
    ("bedfordshire-2014", "2.5", "just over half", "favourable", "this-inspection", "just over"),
    ("bedfordshire-2014", "3.2", "almost two-thirds", "favourable", "this-inspection", "almost"),
    ("bedfordshire-2014", "3.4", "seven out of the ten", "favourable", "this-inspection", None),
    ("bedfordshire-2014", "3.5", "less than half", "favourable", "this-inspection", "less than"),
    ("bedfordshire-2014", "4.2", "all but one", "favourable", "this-inspection", None),
    ("bedfordshire-2014", "4.3", "well over three-quarters", "favourable", "this-inspection", "well over"),
    ("bedfordshire-2014", "4.4", "8 out of 11", "favourable", "this-inspection", None),
    ("cumbria-2016", "1.1", "one-quarter", "unfavourable", "this-inspection", None),
    ("cumbria-2016", "1.3", "three-quarters", "favourable", "this-inspection", None),
    ("cumbria-2016", "1.4", "half", "unfavourable", "this-inspection", None),
    ("cumbria-2016", "2.1", "all but two", "favourable", "this-inspection", None),
    ("cumbria-2016", "2.2", "over three-quarters", "favourable", "this-inspection", "over"),
    ("cumbria-2016", "2.3", "just over half", "favourable", "this-inspection", "just over"),
    ("cumbria-2016", "2.5", "almost two-thirds", "favourable", "this-inspection", "almost"),
    ("cumbria-2016", "3.1", "over three-quarters", "favourable", "this-inspection", "over"),
    ("cumbria-2016", "3.2", "two-thirds", "favourable", "this-inspection", None),
    ("cumbria-2016", "4.2", "almost three-quarters", "favourable", "this-inspection", "almost"),
    ("cumbria-2016", "4.3", "just over three-quarters", "favourable", "this-inspection", "just over"),
    ("kent-2014", "1.1", "all but eight", "favourable", "this-inspection", None),
    ("kent-2014", "1.1", "just over half", "favourable", "earlier-inspection", "just over"),
    ("kent-2014", "1.1", "17 of 29", "favourable", "this-inspection", None),
    ("kent-2014", "1.2", "three-quarters", "favourable", "this-inspection", None),
    ("kent-2014", "2.1", "eight out of every ten", "favourable", "this-inspection", None),
    ("kent-2014", "2.3", "two-thirds", "favourable", "this-inspection", None),
    ("kent-2014", "2.4", "31 out of the 38", "favourable", "this-inspection", None),
    ("kent-2014", "2.4", "less than half", "favourable", "earlier-inspection", "less than"),
    ("kent-2014", "2.4", "three-quarters", "favourable", "this-inspection", None),
    ("kent-2014", "2.6", "seven out of every ten", "favourable", "this-inspection", None),
    ("kent-2014", "3.1", "over three-quarters", "favourable", "this-inspection", "over"),
    ("kent-2014", "3.3", "less than two-thirds", "favourable", "this-inspection", "less than"),
    ("kent-2014", "3.4", "all but two", "favourable", "this-inspection", None),
    ("kent-2014", "3.5", "all but four", "favourable", "this-inspection", None),
    ("kent-2014", "3.6", "19 out of 32", "favourable", "this-inspection", None),
    ("kent-2014", "4.1", "all but three", "favourable", "this-inspection", None),
    ("kent-2014", "4.4", "Almost three-quarters", "favourable", "this-inspection", "almost"),
    ("kent-2014", "4.4", "all but two", "favourable", "this-inspection", None),
]


def _counts() -> dict[tuple[str, str, str], tuple[str, str, str | None]]:
    out = {}
    for stem, path in SAMPLES.items():
        for finding in parse_file(path).findings:
            for c in finding.proportions:
                out[(stem, finding.number, c.phrase)] = (c.polarity, c.refers_to, c.qualifier)
    return out


def test_every_count_of_the_samples_is_labelled_and_read_as_labelled() -> None:
    read = _counts()
    assert set(read) == {(s, n, p) for s, n, p, *_ in LABELS}
    wrong = [(s, n, p, read[(s, n, p)], (pol, ref, q)) for s, n, p, pol, ref, q in LABELS if read[(s, n, p)] != (pol, ref, q)]
    assert wrong == []


def test_the_labels_hold_all_three_polarities_and_both_inspections() -> None:
    assert {row[3] for row in LABELS} == {"favourable", "unfavourable", "unstated"}
    assert {row[4] for row in LABELS} == {"this-inspection", "earlier-inspection"}


@pytest.mark.parametrize(
    "sentence, phrase, polarity",
    [
        ("Planning was sufficient in 12 of the 16 relevant cases.", "12 of the 16", "favourable"),
        ("Oversight was effective in less than half of relevant cases.", "less than half", "favourable"),
        ("A review was not undertaken in 3 of the 16 cases where one was required.", "3 of the 16", "unfavourable"),
        ("In one-quarter of cases there was not sufficient information for the court.", "one-quarter", "unfavourable"),
        ("Plans lacked a contingency in five out of eight cases.", "five out of eight", "unfavourable"),
        ("Over a third of the cases had been assessed as presenting a high risk of harm.", "Over a third", "unstated"),
        ("The team responded appropriately to those who did not comply in 8 out of 11 cases.", "8 out of 11", "favourable"),
        ("Where they did not fully comply, the response was satisfactory in all but two cases.", "all but two", "favourable"),
        ("While we met staff in 9 of 12 teams, plans were not reviewed.", "9 of 12", "unstated"),
    ],
)
def test_a_count_is_read_from_the_words_around_it(sentence: str, phrase: str, polarity: str) -> None:
    (count,) = [c for c in find_counts(sentence) if c.phrase == phrase]
    assert count.polarity == polarity


def test_a_count_of_an_earlier_inspection_says_so() -> None:
    sentence = "Work had improved since our previous inspection in 2011, when only just over half were sufficient."
    (count,) = find_counts(sentence)
    assert (count.refers_to, count.qualifier, count.value) == ("earlier-inspection", "just over", 0.5)
    (now,) = find_counts("Now two-thirds were sufficient.")
    assert now.refers_to == "this-inspection" and now.qualifier is None


def test_less_than_half_and_just_over_half_keep_their_hedges() -> None:
    less, more = find_counts("It was effective in less than half of cases and reviewed in just over half of them.")
    assert (less.phrase, less.qualifier, less.value) == ("less than half", "less than", 0.5)
    assert (more.phrase, more.qualifier, more.value) == ("just over half", "just over", 0.5)


def test_parse_json_gives_each_proportion_its_polarity_and_inspection() -> None:
    result = CliRunner().invoke(main, ["parse", "--format", "json", str(SAMPLES["kent-2014"])])
    (report,) = json.loads(result.stdout)
    proportions = [p for s in report["sections"] for f in s["findings"] for p in f["proportions"]]
    assert all({"polarity", "refers_to", "qualifier"} <= set(p) for p in proportions)
    assert {
        "phrase": "less than half",
        "numerator": None,
        "denominator": None,
        "value": 0.5,
        "qualifier": "less than",
        "polarity": "favourable",
        "refers_to": "earlier-inspection",
    } in proportions
