"""Who is who: name normalisation, the identity rules, candidate matches and the overrides file."""

from __future__ import annotations

import pytest
from graph_samples import B, ask, sample_dataset, sample_reports

from sqsgraph.errors import UsageError
from sqsgraph.rdf.identity import (
    Mention,
    Overrides,
    load_overrides,
    normalise_name,
    resolve_identities,
    slug,
    split_honorific,
)
from sqsgraph.rdf.mapper import map_reports


@pytest.mark.parametrize(
    "a, b",
    [
        ("Lisa Harvey Messina", "Lisa Harvey-Messina"),
        ("JULIE FOX", "julie fox"),
        ("Councillor Sue Oliver", "Sue Oliver"),
        ("Cllr. Sue Oliver", "Sue  Oliver"),
        ("Dr Jane Smith", "Jane Smith"),
        ("Zoë Brontë", "Zoe Bronte"),
        ("Seán O’Neill", "Sean O'Neill"),
    ],
)
def test_names_that_normalise_alike(a, b):
    assert normalise_name(a) == normalise_name(b)


def test_different_names_stay_different():
    assert normalise_name("Chris Miller") != normalise_name("Stephen Miller")


def test_honorific_is_kept_apart_from_the_name():
    assert split_honorific("Councillor Fiona Chapman") == ("Councillor", "Fiona Chapman")
    assert split_honorific("Fiona Chapman") == (None, "Fiona Chapman")
    assert split_honorific("Dr. Ann Lee") == ("Dr", "Ann Lee")


def test_slugs_are_readable_ascii():
    assert slug("Lisa Harvey-Messina") == "lisa-harvey-messina"
    assert slug("Director of Children's Services") == "director-of-childrens-services"
    assert slug("Ofsted – Social Care") == "ofsted-social-care"
    assert slug("Zoë") == "zoe"


def test_letters_of_other_scripts_count_in_a_name():
    assert normalise_name("Иван Петров") == "иван петров"
    assert normalise_name("Иван Петров") != normalise_name("Пётр Иванов")
    assert normalise_name("محمد علي") != normalise_name("علي حسن")
    assert normalise_name("Strauß") == normalise_name("Strauss")
    assert normalise_name("Søren Berg") == normalise_name("Soren Berg")


def test_a_slug_that_cannot_spell_a_letter_in_ascii_carries_a_hash_of_the_name():
    assert slug("Strauß") == "strauss"
    assert slug("Иван Петров") == "6f4fffe6"
    assert slug("Anna Иванова") == "anna-9380f9d4"  # the readable part, then the hash
    assert len({slug("Иван Петров"), slug("Пётр Иванов"), slug("محمد علي"), slug("علي حسن")}) == 4
    assert slug("Zoe\u0308") == slug("Zoë") == "zoe"  # combining and precomposed diaeresis alike


def m(report: str, name: str, orgs=(), roles=(), pos: int = 0, date: str = "2015-01-01") -> Mention:
    return Mention(report, (date, pos), name, frozenset(orgs), frozenset(roles), f"{name} at {','.join(orgs)}")


def test_same_name_in_one_report_is_one_person():
    ids = resolve_identities([m("r1", "Kim Lee", ["a"], pos=0), m("r1", "Kim Lee", ["b"], pos=1)])
    assert [p.slug for p in ids.persons] == ["kim-lee"]


def test_across_reports_same_organisation_or_same_post_title_joins():
    ids = resolve_identities(
        [
            m("r1", "Kim Lee", ["yjb"], ["manager"], date="2014"),
            m("r2", "Kim Lee", ["yjb"], ["link-staff"], date="2015"),
            m("r3", "Kim Lee", ["x-board"], ["chair"], date="2016"),
            m("r4", "Kim Lee", ["y-board"], ["chair"], date="2017"),
        ]
    )
    assert [p.slug for p in ids.persons] == ["kim-lee", "kim-lee-2"]
    assert [ids.person_of[i] for i in range(4)] == ["kim-lee", "kim-lee", "kim-lee-2", "kim-lee-2"]
    assert [c.slug for c in ids.candidates] == ["kim-lee--kim-lee-2"]
    assert "no shared organisation or post title" in ids.candidates[0].evidence


def test_agreement_is_transitive_through_a_joined_group():
    ids = resolve_identities(
        [
            m("r1", "Kim Lee", ["a"], ["x"], date="2014"),
            m("r2", "Kim Lee", ["b"], ["y"], date="2015"),
            m("r2", "Kim Lee", ["a"], ["z"], date="2015", pos=1),  # same report as the second: joins a and b
        ]
    )
    assert len(ids.persons) == 1 and ids.candidates == []


def test_overrides_win_over_the_rules():
    mentions = [
        m("r1", "Kim Lee", ["a"], date="2014"),
        m("r2", "Kim Lee", ["b"], date="2015"),
        m("r3", "Kim Lee", ["a"], date="2016"),
    ]
    assert len(resolve_identities(mentions).persons) == 2
    same = resolve_identities(mentions, Overrides(same_as=(("Kim Lee @ a", "Kim Lee @ b"),), source="ids.toml"))
    assert len(same.persons) == 1 and same.candidates == []
    apart = resolve_identities(mentions, Overrides(different_from=(("Kim Lee @ r1", "Kim Lee @ r3"),), source="ids.toml"))
    assert len(apart.persons) == 3 and apart.candidates == []  # a human decided: no candidates


def test_override_that_matches_no_one_is_a_warning():
    ids = resolve_identities([m("r1", "Kim Lee")], Overrides(same_as=(("Nobody @ x", "Kim Lee"),), source="ids.toml"))
    assert ids.warnings == [
        "ids.toml: 'Nobody @ x' matches no one in these reports, so that decision was not applied "
        '(a key is "Name @ context", as `sqsgraph people` prints it)'
    ]


def test_a_decision_naming_someone_who_matches_no_one_merges_nothing():
    """Issue 17: a person's IRI slug is not a key; the decision warned and then merged every Kim
    Lee the other side named."""
    mentions = [m("r1", "Kim Lee", ["a"], date="2014"), m("r2", "Kim Lee", ["b"], date="2015")]
    ids = resolve_identities(mentions, Overrides(same_as=(("kim-lee-2", "Kim Lee"),), source="ids.toml"))
    assert [p.slug for p in ids.persons] == ["kim-lee", "kim-lee-2"]
    assert [c.slug for c in ids.candidates] == ["kim-lee--kim-lee-2"]
    assert ids.warnings[0].startswith("ids.toml: 'kim-lee-2' matches no one in these reports, so that decision was not applied")


def test_a_name_with_an_at_sign_is_selected_by_its_key():
    ids = resolve_identities(
        [m("r1", "Kim @ Lee", ["a"], date="2014"), m("r2", "Kim @ Lee", ["b"], date="2015")],
        Overrides(same_as=(("Kim @ Lee @ a", "Kim @ Lee @ b"),), source="ids.toml"),
    )
    assert len(ids.persons) == 1 and ids.warnings == []


def test_overrides_file(tmp_path):
    f = tmp_path / "ids.toml"
    f.write_text('[[same-as]]\na = "Julie Fox @ hmi-probation"\nb = "Julie Fox @ youth-justice-board"\n', encoding="utf-8")
    assert load_overrides(f).same_as == (("Julie Fox @ hmi-probation", "Julie Fox @ youth-justice-board"),)
    f.write_text("[[same]]\na = 1\n", encoding="utf-8")
    with pytest.raises(
        UsageError, match=r"ids.toml: unknown table\(s\) same; use \[\[same-as\]\], \[\[different-from\]\] and \[gss\]"
    ):
        load_overrides(f)
    f.write_text("[[same-as]\n", encoding="utf-8")
    with pytest.raises(UsageError, match="ids.toml: not valid TOML"):
        load_overrides(f)
    with pytest.raises(UsageError, match="no such identities file"):
        load_overrides(tmp_path / "missing.toml")


# --- the identity cases of the samples, asked of the graph ---------------------------------------

PERSONS_NAMED = "SELECT DISTINCT ?p WHERE { ?p a foaf:Person ; foaf:name|schema:alternateName ?n . FILTER (?n IN (%s)) }"


def persons(*names: str) -> list[str]:
    return [p for (p,) in ask(sample_dataset(), PERSONS_NAMED % ", ".join(f'"{n}"' for n in names))]


def test_hyphen_and_space_spelling_with_the_same_organisation_is_one_person():
    assert persons("Lisa Harvey Messina", "Lisa Harvey-Messina") == [f"{B}person/lisa-harvey-messina"]


def test_lead_inspector_of_one_report_and_author_of_another_is_one_person():
    assert persons("Helen Mercer") == [f"{B}person/helen-mercer"]
    rows = ask(
        sample_dataset(),
        """
        SELECT ?how ?r WHERE {
          { ?r dcterms:creator ?p . BIND ("author" AS ?how) }
          UNION { ?r sqs:inspection/prov:wasAssociatedWith ?p . BIND ("lead inspector" AS ?how) }
        }""",
        p=__import__("rdflib").URIRef(f"{B}person/helen-mercer"),
    )
    assert rows == [("author", f"{B}report/thurrock-2015-05-20"), ("lead inspector", f"{B}report/cumbria-2016-08-10")]


def test_addressee_also_on_the_copy_list_is_one_person():
    assert persons("Kevin Crompton") == [f"{B}person/kevin-crompton"]
    rows = ask(
        sample_dataset(),
        """
        SELECT ?post WHERE { ?r schema:recipient ?p ; schema:ccRecipient ?p . ?p org:holds/org:role ?post }""",
    )
    assert rows == [
        ("https://w3id.org/sqsgraph/role/chair-of-management-board",),
        ("https://w3id.org/sqsgraph/role/director-of-childrens-services",),
    ]


def test_same_name_in_unrelated_organisations_is_two_persons_with_a_candidate_match():
    assert persons("Julie Fox") == [f"{B}person/julie-fox", f"{B}person/julie-fox-2"]
    rows = ask(
        sample_dataset(),
        """
        SELECT ?a ?b ?evidence WHERE {
          ?c a sqs:CandidateMatch ; sqs:candidate ?a, ?b ; sqs:evidence ?evidence . FILTER (STR(?a) < STR(?b)) }""",
    )
    assert len(rows) == 1
    a, b, evidence = rows[0]
    assert (a, b) == (f"{B}person/julie-fox", f"{B}person/julie-fox-2")
    assert "HM Inspectorate of Probation" in evidence and "Youth Justice Board" in evidence


def test_same_as_override_merges_the_candidates(tmp_path):
    overrides = Overrides(same_as=(("Julie Fox @ hmi-probation", "Julie Fox @ link-staff"),), source="ids.toml")
    ds = map_reports(sample_reports(), overrides=overrides)
    assert [p for (p,) in ask(ds, PERSONS_NAMED % '"Julie Fox"')] == [f"{B}person/julie-fox"]
    assert ask(ds, "SELECT ?c WHERE { ?c a sqs:CandidateMatch }") == []


def test_two_people_named_only_in_another_script_in_one_report_stay_two():
    ids = resolve_identities([m("r1", "Иван Петров", pos=0), m("r1", "Пётр Иванов", pos=1), m("r1", "محمد علي", pos=2)])
    assert [p.name for p in ids.persons] == ["Иван Петров", "Пётр Иванов", "محمد علي"]
    assert len({p.slug for p in ids.persons}) == 3


def test_a_name_ending_in_a_number_does_not_share_the_slug_of_a_numbered_namesake():
    ids = resolve_identities(
        [
            m("r1", "Kim Lee", ["a"], date="2014"),
            m("r2", "Kim Lee 2", ["b"], date="2015"),
            m("r3", "Kim Lee", ["c"], date="2016"),
        ]
    )
    assert [p.slug for p in ids.persons] == ["kim-lee", "kim-lee-2", "kim-lee-3"]
    assert [ids.person_of[i] for i in range(3)] == ["kim-lee", "kim-lee-2", "kim-lee-3"]


# --- the keys `sqsgraph people` prints are the keys the identities file takes (issue 17) -----------


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from click.testing import CliRunner

    from sqsgraph.cli import main

    out = tmp_path_factory.mktemp("keys")
    result = CliRunner().invoke(main, ["build", "-o", str(out / "out"), "--no-docs", "--no-views", "--no-validate", "--no-cache"])
    assert result.exit_code == 0, result.output
    return out


def _keys(lines):
    """{person IRI: key} from the lines `sqsgraph people` prints, each key read as the TOML string
    it is printed as."""
    from sqsgraph.rdf.identity import tomllib

    keys, person = {}, None
    for line in lines:
        if not line.startswith(" ") and line.endswith(">") and " <" in line:
            person = line.rsplit(" <", 1)[1][:-1]
        elif line.startswith("    key: "):
            keys[person] = tomllib.loads("k = " + line[len("    key: ") :])["k"]
    return keys


def test_people_prints_each_persons_key_as_the_identities_file_takes_it(built):
    """Every key `sqsgraph people` prints selects that person's mentions and no one else's."""
    from click.testing import CliRunner

    from sqsgraph.cli import main
    from sqsgraph.rdf.identity import _selects
    from sqsgraph.rdf.mapper import collect_people, map_reports_with_notes, report_id
    from sqsgraph.read.parser import parse_files
    from sqsgraph.read.reader import sample_paths

    result = CliRunner().invoke(main, ["people", str(built / "out" / "sqsgraph.nq")])
    assert result.exit_code == 0, result.output
    keys = _keys(result.stdout.splitlines())
    assert keys[f"{B}person/julie-fox"] == "Julie Fox @ hmi-probation"
    assert keys[f"{B}person/julie-fox-2"] == "Julie Fox @ youth-justice-board"
    mapped = map_reports_with_notes(parse_files(sample_paths()).reports)
    ordered = sorted(parse_files(sample_paths()).reports, key=lambda r: (report_id(r), r.source.sha256, r.source.path))
    mentions = [x for r in ordered for x in collect_people(r, mapped.report_ids[r.source.path]).mentions]
    assert len(keys) == len(mapped.identities.persons) == 79
    for iri, key in keys.items():
        chosen = {mapped.identities.person_of[i] for i, mention in enumerate(mentions) if _selects(key, mention)}
        assert chosen == {iri.rsplit("/person/", 1)[1]}, key


def test_the_printed_keys_merge_a_candidate_and_a_slug_merges_nothing(built, tmp_path):
    from click.testing import CliRunner

    from sqsgraph.cli import main

    people = CliRunner().invoke(main, ["people", str(built / "out" / "sqsgraph.nq")]).stdout
    [decision] = [
        line.split("add to the --identities file: ", 1)[1]
        for line in people.splitlines()
        if "add to the --identities file: " in line
    ]
    assert decision == '[[same-as]] a = "Julie Fox @ hmi-probation"  b = "Julie Fox @ youth-justice-board"'
    ids = tmp_path / "ids.toml"
    ids.write_text(decision.replace("  b =", "\nb =").replace("]] a =", "]]\na =") + "\n", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(
        main,
        [
            "build",
            "-o",
            str(tmp_path / "merged"),
            "--no-docs",
            "--no-views",
            "--no-validate",
            "--no-cache",
            "--identities",
            str(ids),
        ],
    )
    assert result.exit_code == 0 and "matches no one" not in result.stderr
    listing = runner.invoke(main, ["people", str(tmp_path / "merged" / "sqsgraph.nq")]).stdout
    assert "person/julie-fox-2" not in listing and "Candidate matches" not in listing

    # the slug of an IRI is not a key: warned about, and nothing is merged
    ids.write_text('[[same-as]]\na = "julie-fox-2"\nb = "Julie Fox"\n', encoding="utf-8")
    result = runner.invoke(
        main,
        [
            "build",
            "-o",
            str(tmp_path / "slug"),
            "--no-docs",
            "--no-views",
            "--no-validate",
            "--no-cache",
            "--identities",
            str(ids),
        ],
    )
    assert result.exit_code == 0
    assert "'julie-fox-2' matches no one in these reports, so that decision was not applied" in result.stderr
    listing = runner.invoke(main, ["people", str(tmp_path / "slug" / "sqsgraph.nq")]).stdout
    assert "Julie Fox <https://w3id.org/sqsgraph/id/person/julie-fox-2>" in listing and "Candidate matches" in listing
