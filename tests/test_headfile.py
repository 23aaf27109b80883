"""The head's sorted statements, read a subject at a time and a part at a time, as validation
workers read them (``build/headfile.py``)."""

from __future__ import annotations

import pytest

from sqsgraph.build.headfile import HeadStatements
from sqsgraph.errors import BuildError

TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
LINES = sorted(
    [
        f"<https://e.org/a> {TYPE} <https://e.org/Area>",
        '<https://e.org/a> <https://e.org/label> "A é"',
        "<https://e.org/a-b> <https://e.org/in> <https://e.org/a>",
        "<https://e.org/a-b> <https://e.org/in> <https://e.org/z>",
        f"<https://e.org/z> {TYPE} <https://e.org/Zone>",
        '<https://e.org/z> <https://e.org/label> "Z"',
        "<https://e.org/Area> <https://e.org/sub> <https://e.org/Place>",
    ]
)


@pytest.fixture
def head(tmp_path):
    path = tmp_path / "head.nt"
    path.write_text("".join(f"{line} .\n" for line in LINES), encoding="utf-8")
    statements = HeadStatements(path)
    yield statements
    statements.close()


def test_a_subjects_statements_are_found_whole(head):
    assert head.about("<https://e.org/a>") == [line for line in LINES if line.startswith("<https://e.org/a> ")]
    assert len(head.about("<https://e.org/a-b>")) == 2
    assert head.about("<https://e.org/nowhere>") == []


@pytest.mark.parametrize("parts", [1, 2, 3, 5, 20])
def test_the_parts_hold_every_statement_once_and_each_subject_whole(head, parts):
    cut = [head.part(n, parts) for n in range(parts)]
    assert [line for part in cut for line in part] == LINES
    subjects = [{line.split(" ", 1)[0] for line in part} for part in cut]
    for i, a in enumerate(subjects):
        for b in subjects[i + 1 :]:
            assert not a & b


def test_the_context_of_nodes_is_their_statements_and_the_classes_of_what_they_refer_to(head):
    lines, partial = head.context(["<https://e.org/a-b>"])
    assert lines == [*head.about("<https://e.org/a-b>"), f"<https://e.org/a> {TYPE} <https://e.org/Area>"] + [
        f"<https://e.org/z> {TYPE} <https://e.org/Zone>"
    ]
    assert partial == ("https://e.org/a", "https://e.org/z")
    lines, partial = head.context(["<https://e.org/a-b>"], inside=["<https://e.org/z>"])
    assert partial == ("https://e.org/a",)


def test_a_file_out_of_order_is_refused(tmp_path):
    path = tmp_path / "head.nt"
    path.write_text("".join(f"{line} .\n" for line in reversed(LINES)), encoding="utf-8")
    with pytest.raises(BuildError, match="not sorted"):
        HeadStatements(path)


def test_a_part_to_check_comes_with_what_it_refers_to_and_the_classes_of_what_those_refer_to(head):
    parts = 3
    for number in range(parts):
        own, context, partial = head.part_to_check(number, parts, also=["<https://e.org/Area>"])
        assert own == head.part(number, parts)
        subjects = {line.split(" ", 1)[0] for line in own}
        for line in own:  # every IRI it refers to is in the data with all its statements, or a class only
            o = line.split(" ", 2)[2]
            if o.startswith("<") and o not in subjects and head.about(o):
                assert set(head.about(o)) <= set(context) or o[1:-1] in partial
        assert not {f"<{iri}>" for iri in partial} & subjects
        if "<https://e.org/Area>" not in subjects:
            assert set(head.about("<https://e.org/Area>")) <= set(context)
