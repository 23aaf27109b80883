"""The synthetic corpus: deterministic, readable by the parser in both renderings, and with
national officials recurring across reports as in the real corpus."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from click.testing import CliRunner

from sqsgraph.cli import main
from sqsgraph.read.parser import parse_files
from sqsgraph.synth.corpus import CorpusGenerator, write_corpus


def test_same_seed_same_corpus_other_seed_other_corpus() -> None:
    a = [r.text for r in CorpusGenerator(7).reports(5)]
    assert a == [r.text for r in CorpusGenerator(7).reports(5)]
    assert a != [r.text for r in CorpusGenerator(8).reports(5)]


def test_every_synthetic_report_parses_without_warnings(tmp_path: Path) -> None:
    paths = write_corpus(24, tmp_path, seed=3)
    outcome = parse_files(paths)
    assert outcome.errors == []
    assert [r.warnings for r in outcome.reports] == [[] for _ in paths]
    for report in outcome.reports:
        assert report.area and report.body and report.inspection and report.lead_inspector
        assert [s.theme for s in report.sections] == [
            "reducing-reoffending",
            "protecting-the-public",
            "protecting-the-child",
            "sentence-served",
        ]
        assert len(report.copy_list) == 13


def test_both_renderings_are_generated() -> None:
    texts = [r.text for r in CorpusGenerator(1).reports(4)]
    assert sum("<i>" in t for t in texts) == 2
    assert sum("•" in t for t in texts) == 2
    assert any("\t" not in t and "rate1" in t for t in texts)


def test_national_officials_recur_across_reports(tmp_path: Path) -> None:
    reports = parse_files(write_corpus(20, tmp_path, seed=5)).reports
    national = Counter(
        h.name for r in reports for e in r.copy_list if e.post.startswith(("YJB", "Ofsted", "Care Quality")) for h in e.holders
    )
    assert national.most_common(1)[0][1] >= 5


def test_synth_command_writes_the_files(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["synth", "3", str(tmp_path / "c")])
    assert result.exit_code == 0
    assert result.output == f"wrote 3 reports to {tmp_path / 'c'}\n"
    assert len(list((tmp_path / "c").glob("*.txt"))) == 3
