"""Areas that join with official statistics: each area carries the ONS (GSS) codes of its local
authority, from the identities file, the bundled table or the ONS lookup (in that order); an area
none of them names is warned about, never guessed."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from graph_samples import B, sample_dataset, sample_mapped
from rdflib import Dataset, URIRef
from rdflib.namespace import RDF, SDO, SKOS

import sqsgraph.build.pipeline
from sqsgraph.build.pipeline import build
from sqsgraph.cli import main
from sqsgraph.errors import UsageError
from sqsgraph.rdf.areacodes import STATISTICAL_GEOGRAPHY, AreaCodes, Match, area_key, ons_records, table_rows
from sqsgraph.rdf.datasets import load_dataset
from sqsgraph.rdf.identity import load_overrides
from sqsgraph.rdf.vocab import SQS
from sqsgraph.read.reader import sample_paths

#: what a reader looking the five samples' areas up in the ONS lookup (and Bedfordshire in the
#: Bedfordshire (Structural Changes) Order 2008) finds; Essex is served by a body one report names
SAMPLE_CODES = {
    "barnet": ["E09000003"],
    "bedfordshire": ["E06000055", "E06000056"],  # Bedford and Central Bedfordshire
    "cumbria": ["E10000006"],
    "england-and-wales": ["K04000001"],  # the national comparator of the reoffending rates
    "essex": ["E10000012"],
    "kent": ["E10000016"],
    "thurrock": ["E06000034"],
}


def area_codes(ds: Dataset) -> dict[str, list[str]]:
    """Each area's codes by its IRI's slug, checking that its exact matches say the same."""
    out = {}
    for area in set(ds.subjects(RDF.type, SDO.AdministrativeArea)):
        codes = sorted(str(c) for c in ds.objects(area, SQS.gssCode))
        matches = sorted(str(m) for m in ds.objects(area, SKOS.exactMatch))
        assert matches == [STATISTICAL_GEOGRAPHY + c for c in codes], area
        out[str(area).rsplit("/", 1)[1]] = codes
    return out


# --------------------------------------------------------------------------- in the graph


def test_the_samples_areas_carry_the_codes_of_their_authorities():
    assert area_codes(sample_dataset()) == SAMPLE_CODES
    assert not [w for w in sample_mapped().warnings if w.startswith("area ")]


def test_the_code_is_on_the_area_in_the_shared_graph():
    kent = URIRef(f"{B}area/kent")
    shared = sample_dataset().graph(URIRef(f"{B}graph/shared"))
    assert (kent, SKOS.exactMatch, URIRef("http://statistics.data.gov.uk/id/statistical-geography/E10000016")) in shared
    assert [str(c) for c in shared.objects(kent, SQS.gssCode)] == ["E10000016"]


def made_up_report(folder: Path) -> Path:
    """The Kent sample with its place renamed: a report of an area no authority has the name of."""
    kent = next(p for p in sample_paths() if p.name.startswith("kent"))
    folder.mkdir()
    path = folder / "northshire.txt"
    path.write_text(kent.read_text(encoding="utf-8").replace("Kent", "Northshire"), encoding="utf-8")
    return path


def test_an_area_no_source_names_gets_a_warning_and_no_code(tmp_path):
    made_up_report(tmp_path / "reports")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(tmp_path / "reports"), "-o", str(out), "--no-docs", "--no-views"])
    assert result.exit_code == 0, result.output  # a warning, not a failure
    assert "warnings: 1" in result.stdout
    assert result.stderr.splitlines() == [
        "warning: area 'Northshire' has no GSS code: no local authority of that name in the ONS lookup of local "
        "authorities (April 2021) or sqsgraph's table of areas; give its code(s) under [gss] in the --identities file"
    ]
    assert area_codes(load_dataset(out / "sqsgraph.nq"))["northshire"] == []


def test_an_override_wins_and_a_rebuild_after_it_changed_is_right(tmp_path, monkeypatch):
    """The identities file's [gss] wins over the lookup; changing it changes the graph on the next
    build without making the identity decisions again (they do not depend on it)."""
    ids = tmp_path / "ids.toml"
    ids.write_text(
        '[gss]\nCumbria = ["E06000064", "E06000063"]  # its successors since 2023\n'
        "northshire = []  # no code, and no warning wanted\n",
        encoding="utf-8",
    )
    reports = tmp_path / "reports"
    made_up_report(reports)
    for p in sample_paths():
        if p.name.startswith(("cumbria", "bedfordshire")):
            (reports / p.name).write_bytes(p.read_bytes())
    out = tmp_path / "out"

    def built() -> tuple[dict[str, list[str]], list[str]]:
        result = build([reports], out, identities=ids, docs=False, views=False, validate=False, workers=1)
        assert result.ok
        return area_codes(load_dataset(out / "sqsgraph.nq")), result.warnings

    codes, warnings = built()
    assert codes["cumbria"] == ["E06000063", "E06000064"] and codes["bedfordshire"] == ["E06000055", "E06000056"]
    assert codes["northshire"] == [] and warnings == []

    calls: list[int] = []
    real = sqsgraph.build.pipeline.resolve_identities
    monkeypatch.setattr(sqsgraph.build.pipeline, "resolve_identities", lambda mentions, *a: calls.append(1) or real(mentions, *a))
    ids.write_text('[gss]\nBedfordshire = "E06000055"\n', encoding="utf-8")
    codes, warnings = built()
    assert codes["cumbria"] == ["E10000006"] and codes["bedfordshire"] == ["E06000055"]
    assert [w.split(":")[0] for w in warnings] == ["area 'Northshire' has no GSS code"]
    assert calls == []  # the same names and decisions: only the shared part was made again


def test_an_override_that_names_no_area_is_not_applied_with_a_warning():
    coded = AreaCodes([("Westshire", ("E10000016",))], "ids.toml").assign(["Kent"])
    assert coded.codes == {"kent": ("E10000016",)}
    assert coded.warnings == ("ids.toml: [gss] 'Westshire' names no area of these reports, so it was not applied",)


# --------------------------------------------------------------------------- the matching


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Kent", "E10000016"),
        ("KENT", "E10000016"),
        ("Kent County Council", "E10000016"),
        ("London Borough of Barnet", "E09000003"),
        ("Telford & Wrekin", "E06000020"),
        ("Stockton on Tees", "E06000004"),  # ONS: "Stockton-on-Tees"
        ("St Helens", "E08000013"),  # ONS: "St. Helens"
        ("Bristol", "E06000023"),  # ONS: "Bristol, City of"
        ("City of Bristol", "E06000023"),
        ("Herefordshire", "E06000019"),  # ONS: "Herefordshire, County of"
        ("Durham", "E06000047"),  # ONS: "County Durham"
        ("City of London", "E09000001"),
        ("The Vale of Glamorgan", "W06000014"),
        ("Ynys Môn", "W06000001"),  # the Welsh name, from the bundled table
        ("Canterbury", "E07000106"),  # a lower-tier authority
    ],
)
def test_names_are_compared_after_normalisation_only(name, code):
    found = AreaCodes().match(name)
    assert isinstance(found, Match) and found.codes == (code,), found


@pytest.mark.parametrize("name", ["London", "Hull", "Kentt", "North Kent", "Bedford shire", "Northshire"])
def test_a_near_miss_is_no_match(name):
    found = AreaCodes().match(name)
    assert isinstance(found, str) and "no local authority of that name" in found


def test_the_bundled_table_wins_over_the_lookup_and_says_where_it_comes_from():
    bedfordshire = AreaCodes().match("Bedfordshire")
    assert bedfordshire == Match(
        ("E06000055", "E06000056"), "the bundled table (https://www.legislation.gov.uk/uksi/2008/907/contents/made)"
    )
    dorset = AreaCodes().match("Dorset")  # the lookup has the unitary Dorset of 2019; the reports, the county
    assert isinstance(dorset, Match) and dorset.codes == ("E10000009",)


def test_the_identities_file_wins_over_the_table():
    found = AreaCodes([("BEDFORDSHIRE", ("E06000056",))], "ids.toml").match("Bedfordshire")
    assert found == Match(("E06000056",), "ids.toml ([gss] 'BEDFORDSHIRE')")


def test_every_row_of_the_bundled_table_names_its_source_and_agrees_with_the_ons_lookup():
    ons = {}
    for ltla_code, ltla_name, utla_code, utla_name in ons_records():
        ons[ltla_code], ons[utla_code] = ltla_name, utla_name
    rows = table_rows()
    assert len(rows) >= 20
    for row in rows:
        assert row.source.startswith(
            ("https://www.legislation.gov.uk/", "http://statistics.data.gov.uk/id/statistical-geography/")
        )
        if row.source.startswith("http://statistics"):
            assert row.source.endswith("/" + row.code), row
        if row.code in ons:  # a code the 2021 lookup has: the authority the row names is the lookup's
            assert ons[row.code] == row.authority, row
    # a name the table gives a code the lookup gives too means the same authority
    for row in rows:
        found = [c for c, n in ons.items() if area_key(n) == area_key(row.area)]
        assert found in ([], [row.code]) or row.area in ("Dorset", "Buckinghamshire"), row  # those: their codes before 2019, 2020


def test_the_ons_lookup_is_the_april_2021_one_for_england_and_wales():
    records = ons_records()
    assert len(records) == 331
    assert {code[0] for row in records for code in (row[0], row[2])} == {"E", "W"}


# --------------------------------------------------------------------------- the identities file


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[gss]\nKent = "E1000016"\n', r"\[gss\] 'Kent': 'E1000016' is not a GSS code"),
        ("[gss]\nKent = 10000016\n", r"\[gss\] 'Kent' must be a code"),
        ('[gss]\nKent = ["E10000016", 1]\n', r"\[gss\] 'Kent' must be a code"),
        ('gss = "E10000016"\n', r"\[gss\] must be a table"),
        (
            '[gss]\nKent = "E10000016"\n"KENT COUNTY COUNCIL" = "E10000016"\n',
            r"names 'Kent' and 'KENT COUNTY COUNCIL', one area, twice",
        ),
    ],
)
def test_a_bad_gss_table_is_a_usage_error_naming_the_file(tmp_path, toml, message):
    f = tmp_path / "ids.toml"
    f.write_text(toml, encoding="utf-8")
    with pytest.raises(UsageError, match=message):
        load_overrides(f)


def test_the_gss_table_is_read_beside_the_identity_decisions(tmp_path):
    f = tmp_path / "ids.toml"
    f.write_text('[[same-as]]\na = "A @ x"\nb = "A @ y"\n\n[gss]\n"West Mercia" = ["E06000019", "E10000034"]\n', encoding="utf-8")
    overrides = load_overrides(f)
    assert overrides.area_codes == (("West Mercia", ("E06000019", "E10000034")),)
    assert overrides.same_as == (("A @ x", "A @ y"),)
    # the identity decisions do not depend on the area codes
    assert overrides.identity_key == replace(overrides, area_codes=()).identity_key
