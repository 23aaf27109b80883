"""The layout rules of ``pdflayout``, each on a small page of hand-placed runs.

Each test lays out runs as a word processor would (A4, 11 pt type, 14 pt between lines), so a
rule is seen working on its own, apart from any layout engine's habits.
"""

from __future__ import annotations

from sqsgraph.read.pdflayout import derive_text
from sqsgraph.read.pdfsource import Page, PdfContent, Rule, Run

SIZE = 11.0
LEFT, RIGHT = 72.0, 523.0
CHAR = 5.0  # a rough advance per character, enough for the gaps to be what they should


def run(
    text: str,
    x: float,
    baseline: float,
    *,
    size: float = SIZE,
    bold: bool = False,
    italic: bool = False,
    right: float | None = None,
    artifact: bool = False,
) -> Run:
    width = right - x if right is not None else len(text) * CHAR * size / SIZE
    return Run(
        text, x, baseline - 0.7 * size, x + width, baseline + 0.2 * size, baseline, size, "Serif", bold, italic, artifact, (), ()
    )


def full(text: str, baseline: float) -> Run:
    """A justified line of body text: it runs to the right margin."""
    return run(text, LEFT, baseline, right=RIGHT)


def page(number: int, runs: list[Run], rules: tuple[Rule, ...] = ()) -> Page:
    return Page(number, 595.0, 842.0, tuple(runs), rules, 0)


def text_of(*pages: Page) -> str:
    return derive_text(PdfContent(tuple(pages), tagged=False)).text


def test_a_table_row_whose_post_wraps_is_one_row_not_two() -> None:
    p = page(
        1,
        [
            run("Corporate Director of Social Care, Health and", LEFT, 100, right=300),
            run("Andrew Ireland", 320, 100, italic=True),
            run("Wellbeing", LEFT, 114),
            run("YJB link staff", LEFT, 128),
            run("Malcolm Potter, Paula Williams", 320, 128, italic=True),
        ],
    )
    assert text_of(p).splitlines() == [
        "Corporate Director of Social Care, Health and Wellbeing\tAndrew Ireland",
        "YJB link staff\tMalcolm Potter, Paula Williams",
    ]


def test_a_cell_close_to_the_one_before_still_starts_its_column() -> None:
    p = page(
        1,
        [
            run("To:", LEFT, 100),
            run("Jo Bloggs, Chair", 200, 100),
            run("Lead Elected Member for Children's Services and", LEFT, 114, right=196),
            run("Cllr Ann Lee", 200, 114),
        ],
    )
    assert text_of(p).splitlines()[1] == "Lead Elected Member for Children's Services and\tCllr Ann Lee"


def test_page_numbers_and_a_running_header_are_left_out() -> None:
    pages = []
    for n in (1, 2, 3):
        runs = [full(f"Body text of page {n} that runs to the margin and on", 100), run("and ends here.", LEFT, 114)]
        if n > 1:
            runs.append(run("Report of Short Quality Screening of youth offending work in Someplace", LEFT, 40, size=9))
        runs.append(run(f"Page {n} of 3", 280, 800, size=9))
        pages.append(page(n, runs))
    text = text_of(*pages)
    assert "Page" not in text and "Report of Short Quality" not in text
    assert text.count("ends here.") == 3


def test_a_word_broken_after_its_hyphen_is_whole_again() -> None:
    p = page(1, [full("Planning was sufficient in two-", 100), run("thirds of the cases.", LEFT, 114)])
    assert text_of(p) == "Planning was sufficient in two-thirds of the cases.\n"


def test_a_paragraph_runs_on_across_the_page_break_and_its_footnote_follows_it() -> None:
    first = page(
        1,
        [
            run("The published reoffending rate", LEFT, 100, right=230),
            run("1", 231, 96, size=7),
            run("for the area was 34.2% and the", 236, 100, right=RIGHT),
            full("national average was 35.4%, which the team knew and", 114),
            run("1 Published in July 2014. Source: Youth Justice Board", LEFT, 780, size=9),
        ],
        rules=(Rule(LEFT, 770, LEFT + 140, 770.5),),
    )
    second = page(2, [run("had planned for.", LEFT, 100), run("Summary", LEFT, 130, bold=True)])
    blocks = text_of(first, second).split("\n\n")
    assert blocks[0] == (
        "The published reoffending rate¹ for the area was 34.2% and the national average was 35.4%, "
        "which the team knew and had planned for."
    )
    assert blocks[1] == "¹ Published in July 2014. Source: Youth Justice Board"
    assert blocks[2] == "Summary\n"


def test_a_footnote_in_body_size_type_under_its_rule_is_still_a_footnote() -> None:
    first = page(
        1,
        [
            run("The rate", LEFT, 100, right=110),
            run("1", 111, 96, size=7),
            run("was 34.2% against an average", 116, 100, right=RIGHT),
            run("1", LEFT, 781, size=7),
            run("Published in July 2014.", 78, 785),
        ],
        rules=(Rule(LEFT, 770, LEFT + 140, 770.5),),
    )
    second = page(2, [run("of 35.4%.", LEFT, 100)])
    assert text_of(first, second).split("\n\n") == [
        "The rate¹ was 34.2% against an average of 35.4%.",
        "¹ Published in July 2014.\n",
    ]


def test_a_hanging_finding_number_heads_its_text_and_its_lines_stay_one_paragraph() -> None:
    p = page(
        1,
        [
            run("1.1.", LEFT, 100),
            run("The initial assessment was sufficient in", 108, 100, right=RIGHT),
            run("most cases.", 108, 114),
            run("We are grateful for the support.", LEFT, 128),
        ],
    )
    assert text_of(p).split("\n\n") == [
        "1.1. The initial assessment was sufficient in most cases.",
        "We are grateful for the support.\n",
    ]


def test_a_symbol_font_bullet_is_a_bullet() -> None:
    p = page(
        1,
        [
            run("\uf0b7", LEFT, 100),
            run("Partnership working was strong.", 90, 100),
            run("\uf0b7", LEFT, 128),
            run("Managers should monitor cases.", 90, 128),
        ],
    )
    assert text_of(p) == "• Partnership working was strong.\n\n• Managers should monitor cases.\n"


def test_text_the_tags_mark_as_an_artifact_is_left_out() -> None:
    p = page(1, [run("Findings were sound.", LEFT, 100), run("Page 1 of 1", 280, 800, artifact=True)])
    content = PdfContent((p,), tagged=True)
    assert derive_text(content).text == "Findings were sound.\n"


# ---------------------------------------------------------------- rules learnt from other producers


def test_a_word_drawn_in_pieces_gains_no_space_between_them() -> None:
    """Kerning splits a text object mid-word (Chromium, Word): between the pieces is only the
    side bearing of the glyphs, which is measured from where the pen starts, not from the ink."""
    pieces = [
        Run("Staff had good li", LEFT, 100 - 7.7, 155.0, 102.2, 100, SIZE, "Sans", False, False, False, (), (), LEFT),
        # the ink of "n" starts 2 pt after the "i" (over 0.15 em), its pen 0.9 pt after
        Run("nks with the estate.", 157.0, 100 - 7.7, 260.0, 102.2, 100, SIZE, "Sans", False, False, False, (), (), 155.9),
    ]
    assert text_of(page(1, pieces)) == "Staff had good links with the estate.\n"


def test_a_justified_line_of_words_drawn_apart_is_not_a_table_row() -> None:
    """Justified text whose words are each drawn on their own, stretched to equal gaps wider than
    a column gap, is a line of a paragraph (Chromium): columns do not come at equal gaps."""
    words = ["inspector,", "who", "was", "Jane", "Attwood.", "She", "can", "be"]
    runs, x = [], LEFT
    for word in words:
        runs.append(run(word + " ", x, 100))
        x = runs[-1].right + 19.0 + (0.6 if len(runs) % 2 else 0.0)
    runs.append(run("contacted at the office.", LEFT, 114))
    assert text_of(page(1, runs)) == "inspector, who was Jane Attwood. She can be contacted at the office.\n"


def test_a_bullet_drawn_as_a_small_disc_is_a_bullet() -> None:
    """Chromium draws a list's disc as a filled shape, not a glyph."""
    p = Page(
        1,
        595.0,
        842.0,
        (run("Partnership working was strong.", 90, 100), run("Managers should monitor cases.", 90, 128)),
        (),
        0,
        dots=(Rule(78, 95, 82, 99), Rule(78, 123, 82, 127)),
    )
    assert text_of(p) == "• Partnership working was strong.\n\n• Managers should monitor cases.\n"


def test_a_line_broken_after_a_slash_joins_without_a_space() -> None:
    p = page(
        1,
        [
            full("There was engagement with children and young people and their parents/", 100),
            run("carers in all cases.", LEFT, 114),
        ],
    )
    assert text_of(p) == "There was engagement with children and young people and their parents/carers in all cases.\n"


def test_a_note_line_that_starts_with_a_number_carries_on_the_note() -> None:
    """A note whose mark is in body digits ("1 Published…"): its next line may start with a
    number ("12 months"), which is not note 12."""
    p = page(
        1,
        [
            run("The rate", LEFT, 100, right=110),
            run("1", 111, 96, size=7),
            run("was 39.6%.", 116, 100),
            run("1 Published January 2015 based on binary reoffending rates after", LEFT, 770, size=9),
            run("12 months for the April 2012-March 2013 cohort.", LEFT, 781, size=9),
        ],
        rules=(Rule(LEFT, 760, LEFT + 140, 760.5),),
    )
    assert text_of(p).split("\n\n") == [
        "The rate¹ was 39.6%.",
        "¹ Published January 2015 based on binary reoffending rates after 12 months for the April 2012-March 2013 cohort.\n",
    ]


def test_a_table_row_cut_by_the_page_break_with_whole_cells_on_each_side_is_one_row() -> None:
    """Widow and orphan control may move a row's two-line cell whole to the next page while its
    one-line neighbour stays (WeasyPrint): the halves of the row are one row again."""
    first = page(
        1,
        [
            run("Lead Elected Member for Crime", LEFT, 700),
            run("David Longstaff", 300, 700, italic=True),
            run("Stephen Greenhalgh", 300, 716, italic=True),
        ],
    )
    second = page(
        2,
        [
            run("Deputy Mayor (London) for Policing", LEFT, 72),
            run("and Crime", LEFT, 86),
            run("Chair of Youth Court Bench", LEFT, 102),
            run("Ken Battye", 300, 102, italic=True),
        ],
    )
    assert text_of(first, second).splitlines() == [
        "Lead Elected Member for Crime\tDavid Longstaff",
        "Deputy Mayor (London) for Policing and Crime\tStephen Greenhalgh",
        "Chair of Youth Court Bench\tKen Battye",
    ]
