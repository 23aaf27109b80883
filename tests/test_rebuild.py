"""A rebuild looks again only at what may have changed: files by their stamp (the manifest),
identity decisions by the names they were made from; old outputs are swapped out, not left."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

import sqsgraph.build.pipeline
import sqsgraph.read.reader
from sqsgraph.build.cache import CACHE_FOLDER
from sqsgraph.build.manifest import MANIFEST_FILE, load_manifest
from sqsgraph.build.pipeline import build
from sqsgraph.files import _exchange
from sqsgraph.rdf.mapper import collect_people, report_id
from sqsgraph.read.parser import parse_file
from sqsgraph.synth.corpus import write_corpus

HOUR_AGO = time.time() - 3600


@pytest.fixture()
def reports(tmp_path) -> Path:
    """Ten synthetic reports last modified an hour ago (well before any build)."""
    folder = tmp_path / "reports"
    write_corpus(10, folder, seed=5)
    for p in folder.glob("*.txt"):
        os.utime(p, (HOUR_AGO, HOUR_AGO))
    return folder


def edit_a_finding(path: Path, words: str) -> None:
    """Put ``words`` into the first finding of the report, as an editor would."""
    report = parse_file(path)
    span = report.sections[0].findings[0].span
    cut = report.source.text.index(" ", span.start)
    path.write_text(report.source.text[:cut] + f" {words}" + report.source.text[cut:], encoding="utf-8")


def quick_build(reports: Path, out: Path):
    return build([reports], out, docs=False, views=False, validate=False, workers=1)


@pytest.fixture()
def opened(monkeypatch) -> list[str]:
    """The report files the build opens."""
    seen: list[str] = []
    real = sqsgraph.read.reader.read_report_file
    monkeypatch.setattr(sqsgraph.read.reader, "read_report_file", lambda path: seen.append(str(path)) or real(path))
    return seen


def test_a_rebuild_opens_no_file_whose_stamp_is_unchanged(reports, tmp_path, opened):
    out = tmp_path / "out"
    first = quick_build(reports, out)
    assert len(opened) == 10 and first.ok
    opened.clear()
    again = quick_build(reports, out)
    assert opened == []
    assert again.summary() == first.summary() and again.report_ids == first.report_ids

    changed = sorted(reports.glob("*.txt"))[4]
    edit_a_finding(changed, "on the whole")
    third = quick_build(reports, out)
    assert opened == [str(changed)]
    assert b" on the whole " in (out / "sqsgraph.nq").read_bytes()
    assert third.summary()["triples"] == first.summary()["triples"]


def test_new_content_behind_an_old_modification_time_is_still_read(reports, tmp_path, opened):
    out = tmp_path / "out"
    quick_build(reports, out)
    changed = sorted(reports.glob("*.txt"))[2]
    finding = parse_file(changed).sections[0].findings[0]
    text = finding.text
    word = next(w for w in text.split() if w.isalpha() and w.islower() and len(w) > 4)
    changed.write_text(changed.read_text(encoding="utf-8").replace(word, word.upper(), 1), encoding="utf-8")  # same size
    os.utime(changed, (HOUR_AGO, HOUR_AGO))  # and the old time: the change time still moves
    opened.clear()
    quick_build(reports, out)
    assert opened == [str(changed)]
    assert word.upper().encode() in (out / "sqsgraph.nq").read_bytes()


def test_a_file_modified_just_before_a_build_is_read_again_by_the_next(reports, tmp_path, opened):
    out = tmp_path / "out"
    recent = sorted(reports.glob("*.txt"))[0]
    os.utime(recent)  # now: it may change again within the same clock tick, unseen by its stamp
    quick_build(reports, out)
    opened.clear()
    quick_build(reports, out)
    assert opened == [str(recent)]


def test_identity_decisions_are_made_again_only_when_a_name_changes(reports, tmp_path, monkeypatch):
    out = tmp_path / "out"
    quick_build(reports, out)
    calls: list[int] = []
    real = sqsgraph.build.pipeline.resolve_identities
    monkeypatch.setattr(
        sqsgraph.build.pipeline, "resolve_identities", lambda mentions, *a: calls.append(len(mentions)) or real(mentions, *a)
    )

    path = sorted(reports.glob("*.txt"))[6]
    edit_a_finding(path, "on the whole")
    quick_build(reports, out)
    assert calls == []  # a finding changed, no one's name

    report = parse_file(path)
    name = collect_people(report, report_id(report)).mentions[-1].name
    path.write_text(report.source.text.replace(name, "Zebedee Quillfeather"), encoding="utf-8")
    result = quick_build(reports, out)
    assert len(calls) == 1
    assert any(p.name == "Zebedee Quillfeather" for p in result.identities.persons)
    assert not any(p.name == name and p.slug.startswith("zebedee") for p in result.identities.persons)


@pytest.mark.parametrize("damage", [b"", b"not a pickle", None])
def test_a_damaged_or_foreign_manifest_is_ignored(reports, tmp_path, opened, damage, monkeypatch):
    out = tmp_path / "out"
    first = quick_build(reports, out)
    manifest = out / CACHE_FOLDER / MANIFEST_FILE
    assert load_manifest(out / CACHE_FOLDER) is not None
    if damage is None:  # written by other code
        monkeypatch.setattr(sqsgraph.build.manifest, "code_fingerprint", lambda: "another version")
    else:
        manifest.write_bytes(damage)
    opened.clear()
    again = quick_build(reports, out)
    assert len(opened) == 10 and again.summary() == first.summary()


def test_a_replaced_output_leaves_neither_its_old_copy_nor_a_temporary_file(reports, tmp_path):
    out = tmp_path / "out"
    quick_build(reports, out)
    path = sorted(reports.glob("*.txt"))[1]
    edit_a_finding(path, "once again")
    quick_build(reports, out)
    assert sorted(p.name for p in out.iterdir()) == [CACHE_FOLDER, ".sqsgraph-build.json", "sqsgraph.nq", "sqsgraph.ttl"]
    assert b" once again " in (out / "sqsgraph.ttl").read_bytes()


def test_outputs_are_exchanged_in_one_step_where_the_system_can(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.write_text("new")
    b.write_text("old")
    if not _exchange(a, b):
        pytest.skip("this system or file system cannot exchange two paths; os.replace is used")
    assert (a.read_text(), b.read_text()) == ("old", "new")


def test_the_manifest_holds_what_the_build_saw(reports, tmp_path):
    out = tmp_path / "out"
    result = quick_build(reports, out)
    manifest = load_manifest(out / CACHE_FOLDER)
    assert manifest is not None
    assert sorted(manifest.reads) == sorted(str(p) for p in sorted(reports.glob("*.txt")))
    assert {r.rid for _, r in manifest.reads.values()} == set(result.report_ids.values())
    assert len(manifest.mapped) == 10 and manifest.identities is not None
    assert all((out / CACHE_FOLDER / name).is_file() for name in manifest.used)
    shutil.rmtree(out / CACHE_FOLDER)
    assert load_manifest(out / CACHE_FOLDER) is None


def test_an_output_whose_parts_did_not_change_is_not_written_again(reports, tmp_path):
    out = tmp_path / "out"
    quick_build(reports, out)
    ttl = out / "sqsgraph.ttl"
    first = (ttl.stat().st_ino, ttl.stat().st_mtime_ns)
    quick_build(reports, out)
    assert (ttl.stat().st_ino, ttl.stat().st_mtime_ns) == first  # untouched

    ttl.write_bytes(b"# edited by hand\n")  # someone else's change: the build puts its own back
    quick_build(reports, out)
    assert b"# edited by hand" not in ttl.read_bytes() and ttl.stat().st_size > 10_000

    edit_a_finding(sorted(reports.glob("*.txt"))[3], "at long last")
    quick_build(reports, out)
    assert b" at long last " in ttl.read_bytes()


FORMATS_ALL = ("turtle", "trig", "nquads", "ntriples", "jsonld")


def outputs(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.glob("sqsgraph.*"))}


def test_a_rebuild_copies_unchanged_bodies_into_exactly_what_a_fresh_build_writes(reports, tmp_path):
    out = tmp_path / "out"
    build([reports], out, formats=FORMATS_ALL, docs=False, views=False, validate=False, workers=1)
    edit_a_finding(sorted(reports.glob("*.txt"))[4], "after all")
    build([reports], out, formats=FORMATS_ALL, docs=False, views=False, validate=False, workers=1)
    fresh = tmp_path / "fresh"
    build([reports], fresh, formats=FORMATS_ALL, docs=False, views=False, validate=False, workers=1, cache=False)
    assert outputs(out) == outputs(fresh) and len(outputs(out)) == 5
    assert b" after all " in outputs(out)["sqsgraph.nq"]


@pytest.mark.parametrize("change", ["overwrite a byte", "delete"])
def test_bodies_are_not_copied_out_of_an_output_changed_since_it_was_written(reports, tmp_path, change):
    """The manifest says where each report's body is in the last build's files; a file someone
    changed since (same size or not) is not a source: its reports are mapped again."""
    out = tmp_path / "out"
    quick_build(reports, out)
    nq = out / "sqsgraph.nq"
    if change == "delete":
        nq.unlink()
    else:
        data = bytearray(nq.read_bytes())
        at = data.index(b"<http", len(data) // 3)
        data[at + 1] = ord("H")  # <Http...: no longer the IRI the report's body had
        with nq.open("r+b") as fh:  # in place: same size and inode, only the times move
            fh.write(data)
    edit_a_finding(sorted(reports.glob("*.txt"))[6], "in time")
    quick_build(reports, out)
    fresh = tmp_path / "fresh"
    build([reports], fresh, docs=False, views=False, validate=False, workers=1, cache=False)
    assert outputs(out) == outputs(fresh)
