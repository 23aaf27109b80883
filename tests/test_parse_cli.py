"""`sqsgraph parse`: the JSON contract, the digest, and bad files named on stderr."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from sqsgraph.cli import main
from sqsgraph.read.reader import sample_paths

CONTRACT_KEYS = [
    "source",
    "title",
    "area",
    "body",
    "addressee",
    "author",
    "publication_date",
    "inspection",
    "cases_examined",
    "previous_inspection_year",
    "reoffending",
    "lead_inspector",
    "sections",
    "operational_management",
    "key_strengths",
    "areas_for_improvement",
    "copy_list",
    "case_pseudonyms",
    "warnings",
]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_json_has_one_object_per_file_in_the_order_given_with_the_contract_keys() -> None:
    samples = sample_paths()
    order = [str(samples[3]), str(samples[0])]
    code, out, _ = run("parse", "--format", "json", *order)
    assert code == 0
    data = json.loads(out)
    assert [d["source"] for d in data] == order
    assert all(list(d) == CONTRACT_KEYS for d in data)
    finding = data[0]["sections"][0]["findings"][0]
    assert set(finding) == {"number", "text", "span", "quotes", "proportions"}
    assert isinstance(finding["span"][0], int) and finding["span"][0] < finding["span"][1]


def test_json_dates_are_iso_and_numbers_are_numbers() -> None:
    code, out, _ = run("parse", "--format", "json", str(next(p for p in sample_paths() if p.name.startswith("bedfordshire"))))
    assert code == 0
    report = json.loads(out)[0]
    assert report["publication_date"] == "2014-12-10"
    assert report["inspection"] == {"start": "2014-11-17", "end": "2014-11-19"}
    assert report["cases_examined"] == 20
    assert report["reoffending"]["rate"] == 34.2
    assert report["reoffending"]["cohort_start"] == "2011-10"


def test_no_arguments_parses_the_bundled_samples() -> None:
    code, out, _ = run("parse")
    assert code == 0
    assert out.count("findings") == len(sample_paths()) == 5
    assert "kent-2014.txt: Kent - Kent Youth Offending Service (YOS)" in out.splitlines()


def test_directory_arguments_are_expanded(tmp_path: Path) -> None:
    for p in sample_paths()[:2]:
        (tmp_path / p.name).write_bytes(p.read_bytes())
    code, out, _ = run("parse", "--format", "json", str(tmp_path))
    assert code == 0
    assert len(json.loads(out)) == 2


def test_a_bad_file_is_named_and_the_others_still_parsed(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x01\x02" * 50)
    broken = tmp_path / "scan.txt"  # a PDF's header and then garbage, whatever the file's name
    broken.write_bytes(b"%PDF-1.4\x00\x01\x02" * 50)
    prose = tmp_path / "letter.txt"
    prose.write_text("Dear colleague,\n\nThank you for your letter.\n", encoding="utf-8")
    good = sample_paths()[0]
    code, out, err = run("parse", "--format", "json", str(empty), str(good), str(binary), str(broken), str(prose))
    assert code == 1
    assert [d["source"] for d in json.loads(out)] == [str(good)]
    assert err.splitlines() == [
        f"error: {empty}: the file is empty",
        f"error: {binary}: binary data (NUL bytes), not a text report",
        f"error: {broken}: a damaged PDF: it cannot be opened (truncated, or not a PDF inside)",
        f"error: {prose}: not an SQS report: expected at least two of a 'To:/From:' header, a 'Report of "
        "Short Quality Screening' title, numbered findings and a copy list",
    ]


def test_strict_stops_at_the_first_bad_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"   \n")
    code, out, err = run("parse", "--strict", str(empty), str(sample_paths()[0]))
    assert code == 1
    assert out == ""
    assert err.strip() == f"Error: {empty}: the file is empty"


def test_a_missing_file_is_an_error_naming_it(tmp_path: Path) -> None:
    code, _, err = run("parse", str(tmp_path / "nope.txt"))
    assert code == 1
    assert err.strip() == f"error: {tmp_path / 'nope.txt'}: no such file"


def test_windows_1252_is_decoded_with_a_warning(tmp_path: Path) -> None:
    text = sample_paths()[0].read_text(encoding="utf-8").replace("'", "\u2019")
    cp = tmp_path / "cp1252.txt"
    cp.write_bytes(text.encode("cp1252", errors="replace"))
    code, out, _ = run("parse", "--format", "json", str(cp))
    assert code == 0
    report = json.loads(out)[0]
    assert report["warnings"][0].startswith("not valid UTF-8; decoded as ")
    assert report["area"] == json.loads(run("parse", "--format", "json", str(sample_paths()[0]))[1])[0]["area"]
    assert "\u2019" in report["sections"][0]["findings"][0]["text"]


def test_help_has_a_summary_and_an_example() -> None:
    code, out, _ = run("parse", "--help")
    assert code == 0
    assert "Read reports into the typed model" in out
    assert "Example: sqsgraph parse" in out


def test_a_huge_file_is_refused_by_size_with_its_name(tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as f:
        f.truncate(30 * 1024 * 1024)  # 30 MB, one enormous line of NULs, written sparse
    code, out, err = run("parse", "--format", "json", str(huge), str(sample_paths()[0]))
    assert code == 1
    assert len(json.loads(out)) == 1
    assert err.strip() == f"error: {huge}: too large to be an SQS report (30.0 MB; reports are tens of KB, limit 8 MB)"


def test_utf16_with_bom_reads_like_utf8(tmp_path: Path) -> None:
    sample = sample_paths()[0]
    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes(sample.read_text(encoding="utf-8").encode("utf-16"))
    code, out, _ = run("parse", "--format", "json", str(utf16), str(sample))
    assert code == 0
    a, b = json.loads(out)
    assert a["warnings"] == b["warnings"] == []
    assert {k: v for k, v in a.items() if k != "source"} == {k: v for k, v in b.items() if k != "source"}


# ---------------------------------------------------------------- what was named (issue 17)

PROSE = "# Our reports\n\nThe SQS reports we downloaded in May, for the board meeting.\n"


def folder_with_a_readme(tmp_path: Path) -> Path:
    reports = tmp_path / "reports"
    reports.mkdir()
    for p in sample_paths()[:2]:
        (reports / p.name).write_bytes(p.read_bytes())
    (reports / "README.md").write_text(PROSE, encoding="utf-8")
    (reports / "notes.md").write_text("", encoding="utf-8")
    return reports


def test_files_found_in_a_folder_that_are_not_reports_are_skipped_with_one_note(tmp_path: Path) -> None:
    reports = folder_with_a_readme(tmp_path)
    skipped = (
        f"note: skipped 2 file(s) found in folders that are not SQS reports (name one to see why): "
        f"{reports / 'README.md'}, {reports / 'notes.md'}"
    )
    for args in ([], ["--strict"], ["--format", "json"]):
        code, out, err = run("parse", str(reports), *args)
        assert code == 0, (args, err)
        assert err.splitlines() == [skipped], args
    code, out, err = run("parse", str(reports), "--text")  # text is read, not parsed: only the empty file is skipped
    assert code == 0
    assert err.splitlines() == [
        f"note: skipped 1 file(s) found in folders that are not SQS reports (name one to see why): {reports / 'notes.md'}"
    ]
    code, out, _ = run("parse", str(reports), "--format", "json")
    assert [Path(r["source"]).name for r in json.loads(out)] == [p.name for p in sample_paths()[:2]]


def test_a_file_named_that_is_not_a_report_stays_an_error(tmp_path: Path) -> None:
    reports = folder_with_a_readme(tmp_path)
    code, _, err = run("parse", str(reports / "README.md"), str(reports / "notes.md"))
    assert code == 1
    assert err.splitlines() == [
        f"error: {reports / 'README.md'}: not an SQS report: expected at least two of a 'To:/From:' header, a 'Report of "
        "Short Quality Screening' title, numbered findings and a copy list",
        f"error: {reports / 'notes.md'}: the file is empty",
    ]
    code, _, err = run("parse", str(reports), str(reports / "README.md"))  # named, and in a folder named
    assert code == 1
    assert f"error: {reports / 'README.md'}: not an SQS report" in err
    assert f"{reports / 'README.md'}" not in "".join(line for line in err.splitlines() if "skipped" in line)


def test_a_binary_file_found_in_a_folder_stays_an_error(tmp_path: Path) -> None:
    reports = folder_with_a_readme(tmp_path)
    (reports / "data.txt").write_bytes(b"\x00\x01\x02 binary")
    code, _, err = run("parse", str(reports))
    assert code == 1
    assert f"error: {reports / 'data.txt'}: binary data (NUL bytes), not a text report" in err.splitlines()


def test_a_bad_file_among_many_parsed_in_worker_processes_is_named(tmp_path: Path) -> None:
    """From 16 files parse reads in worker processes: the error comes back whole (it could not be
    unpickled, and the parse ended in a BrokenProcessPool traceback)."""
    reports = tmp_path / "reports"
    reports.mkdir()
    for n in range(4):
        for p in sample_paths():
            (reports / f"{n}-{p.name}").write_bytes(p.read_bytes())
    (reports / "letter.txt").write_text(PROSE, encoding="utf-8")
    code, out, err = run("parse", str(reports), str(reports / "letter.txt"))
    assert code == 1
    assert err.splitlines()[-1].startswith(f"error: {reports / 'letter.txt'}: not an SQS report: ")
    assert out.count("findings") == 20


def test_the_same_file_named_twice_is_read_once_and_said_once(tmp_path: Path) -> None:
    sample = sample_paths()[0]
    reports = tmp_path / "reports"
    reports.mkdir()
    a = reports / "a.txt"
    a.write_bytes(sample.read_bytes())
    code, out, err = run("parse", "--format", "json", str(a), str(a))
    assert code == 0
    assert len(json.loads(out)) == 1
    assert err.splitlines() == [f"note: {a} was named twice; read once"]
    code, out, err = run("parse", "--format", "json", str(reports), str(a))
    assert code == 0 and len(json.loads(out)) == 1
    assert err.splitlines() == [f"note: {a} was named twice (also in {reports}); read once"]


def test_hidden_folders_and_files_in_a_folder_are_not_reports(tmp_path: Path) -> None:
    """A Jupyter checkpoint copy of an edited report, macOS forks and git's folder are not read."""
    sample = sample_paths()[0]
    reports = tmp_path / "reports"
    (reports / ".ipynb_checkpoints").mkdir(parents=True)
    (reports / ".git").mkdir()
    edited = sample.read_text(encoding="utf-8").replace("cases", "case files", 1)
    (reports / sample.name).write_text(edited, encoding="utf-8")
    (reports / ".ipynb_checkpoints" / f"{sample.stem}-checkpoint.txt").write_text(sample.read_text(encoding="utf-8"))
    (reports / ".git" / "notes.txt").write_text("not a report\n")
    (reports / f"._{sample.name}").write_bytes(b"\x00\x05\x16\x07 resource fork")
    code, out, err = run("parse", "--format", "json", str(reports))
    assert code == 0, err
    assert [d["source"] for d in json.loads(out)] == [str(reports / sample.name)]
    assert err == ""
