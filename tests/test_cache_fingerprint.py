"""The cache is keyed by the code: every source file of the package counts, in subpackages too."""

from __future__ import annotations

from pathlib import Path

from sqsgraph.build.cache import _package_sources, code_fingerprint


def test_every_module_query_and_vocabulary_file_below_the_package_counts(tmp_path: Path) -> None:
    (tmp_path / "read").mkdir()
    (tmp_path / "sparql").mkdir()
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "cli.py").write_text("x = 1\n")
    (tmp_path / "read" / "parser.py").write_text("y = 2\n")
    (tmp_path / "sparql" / "timeline.rq").write_text("SELECT * {}\n")
    (tmp_path / "__pycache__" / "cli.cpython-311.pyc").write_bytes(b"\0")
    (tmp_path / "notes.txt").write_text("not code\n")
    names = [name for name, _ in _package_sources(tmp_path, "")]
    assert names == ["cli.py", "read/parser.py", "sparql/timeline.rq"]


def test_the_installed_package_fingerprint_covers_its_named_queries() -> None:
    import sqsgraph

    package = Path(sqsgraph.__file__).parent
    names = {name for name, _ in _package_sources(package, "")}
    assert "sparql/finding-source.rq" in names and "read/pdflayout.py" in names
    assert len(code_fingerprint()) == 64
