"""Issue 7: duplicate report files are built once and said so; two different versions of the same
report (same area and publication date) are not merged: the first in sorted order is built, the
other is a failure. Exact lines and exit codes from `sqsgraph build`."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from sqsgraph.build.pipeline import build
from sqsgraph.cli import main
from sqsgraph.rdf.datasets import load_dataset
from sqsgraph.read.reader import sample_paths

ORIGINAL = "Most plans relating to the likelihood of reoffending had been reviewed well."
CHANGED = "Most plans relating to the likelihood of reoffending had been reviewed badly."


def sample(name: str) -> Path:
    return next(p for p in sample_paths() if p.name == name)


def corpus(folder: Path) -> Path:
    folder.mkdir()
    for name in ("kent-2014.txt", "thurrock-2015.txt"):
        shutil.copy(sample(name), folder / name)
    return folder


def graph_text(out: Path) -> str:
    return (out / "sqsgraph.nq").read_text(encoding="utf-8")


def test_a_duplicate_file_is_built_once_and_said_so(tmp_path):
    reports = corpus(tmp_path / "reports")
    runner = CliRunner()
    before = runner.invoke(main, ["build", str(reports), "-o", str(tmp_path / "before"), "--no-docs", "--no-views"])
    assert before.exit_code == 0, before.output
    shutil.copy(reports / "kent-2014.txt", reports / "kent-copy.txt")

    result = runner.invoke(main, ["build", str(reports), "-o", str(tmp_path / "out"), "--no-docs", "--no-views"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"note: duplicate: {reports / 'kent-copy.txt'} has the same content as {reports / 'kent-2014.txt'}; built once",
    ]
    assert result.stdout.splitlines()[2].startswith("reports: 2, ")
    assert result.stdout.splitlines()[-1] == "validation: conforms"
    # the same graph, byte for byte, as without the copy
    assert (tmp_path / "out" / "sqsgraph.nq").read_bytes() == (tmp_path / "before" / "sqsgraph.nq").read_bytes()
    assert "kent-copy" not in graph_text(tmp_path / "out")


def test_a_conflicting_version_is_reported_not_merged(tmp_path):
    reports = corpus(tmp_path / "reports")
    text = (reports / "kent-2014.txt").read_text(encoding="utf-8")
    assert text.count(ORIGINAL) == 1
    (reports / "kent-2014b.txt").write_text(text.replace(ORIGINAL, CHANGED), encoding="utf-8")

    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(reports), "-o", str(out), "--no-docs", "--no-views"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: {reports / 'kent-2014b.txt'}: conflicts with {reports / 'kent-2014.txt'} "
        "(same area and publication date, different content); not built",
    ]
    assert result.stdout.splitlines()[2].startswith("reports: 2, ")
    assert result.stdout.splitlines()[-1] == "validation: conforms"
    # the first version is built, the other left out, nothing merged
    text = graph_text(out)
    assert "reviewed well" in text and "reviewed badly" not in text
    assert "kent-2014b" not in text
    ds = load_dataset(out / "sqsgraph.nq")
    assert len({g for *_, g in ds.quads((None, None, None, None)) if "/graph/kent-2014" in str(g)}) == 1


def test_the_first_in_sorted_order_wins_whatever_order_the_files_come_in(tmp_path):
    reports = corpus(tmp_path / "reports")
    text = (reports / "kent-2014.txt").read_text(encoding="utf-8")
    (reports / "a-kent-revised.txt").write_text(text.replace(ORIGINAL, CHANGED), encoding="utf-8")
    shutil.copy(reports / "thurrock-2015.txt", reports / "b-thurrock-copy.txt")
    files = sorted(reports.iterdir())
    for order in (files, files[::-1]):
        result = build(order, tmp_path / "out", docs=False, views=False)
        assert [f.line() for f in result.failures] == [
            f"{reports / 'kent-2014.txt'}: conflicts with {reports / 'a-kent-revised.txt'} "
            "(same area and publication date, different content); not built",
        ]
        assert result.notes == [
            f"duplicate: {reports / 'thurrock-2015.txt'} has the same content as {reports / 'b-thurrock-copy.txt'}; built once",
        ]
        assert sorted(result.report_ids) == [str(reports / "a-kent-revised.txt"), str(reports / "b-thurrock-copy.txt")]
        assert not result.ok
        assert "reviewed badly" in graph_text(tmp_path / "out")
