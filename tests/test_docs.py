"""Help that is tested: every command has a one-line summary and an example, and the README
shows it; the documents' links lead somewhere and the modules they name exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from sqsgraph.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCUMENTS = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", ROOT / "CHANGELOG.md", *sorted((ROOT / "docs").glob("*.md"))]


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_has_help_with_an_example(name: str) -> None:
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0
    assert main.commands[name].get_short_help_str(), name
    assert "Example: sqsgraph " in result.output, name


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_is_in_the_readme(name: str) -> None:
    assert f"sqsgraph {name}" in README, f"`sqsgraph {name}` is not documented in README.md"


def test_the_readme_opens_with_the_two_setup_commands() -> None:
    setup = README.split("## Set-up on a fresh machine", 1)[1].split("\n## ", 1)[0]
    assert "python3 -m pip install . && sqsgraph build" in setup
    assert "python -m pip install -e '.[test]' && python -m pytest" in setup


def test_ci_runs_the_readme_test_command() -> None:
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "python -m pip install -q -e '.[test]' && python -m pytest" in ci


def test_every_named_query_is_in_the_readme() -> None:
    from sqsgraph.query.library import load_queries

    missing = [n for n in load_queries() if f"| {n} |" not in README]
    assert missing == []


def _anchors(markdown: str) -> set[str]:
    """The anchors GitHub gives a document's headings: lower case, punctuation dropped, spaces as hyphens."""
    headings = re.findall(r"^#+ (.+)$", re.sub(r"```.*?```", "", markdown, flags=re.S), re.M)
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.name)
def test_every_link_between_the_documents_leads_somewhere(document: Path) -> None:
    text = document.read_text(encoding="utf-8")
    for target, anchor in re.findall(r"\]\(([^()\s#]*)(?:#([^()\s]+))?\)", text):
        if "://" in target:
            continue
        linked = (document.parent / target) if target else document
        assert linked.exists(), f"{document.name}: link to {target}, which does not exist"
        if anchor and linked.suffix == ".md":
            headings = _anchors(linked.read_text(encoding="utf-8"))
            assert anchor in headings, f"{document.name}: no heading #{anchor} in {linked.name}"


@pytest.mark.parametrize("document", [d for d in DOCUMENTS if d.name != "CHANGELOG.md"], ids=lambda p: p.name)
def test_the_modules_the_documents_name_exist(document: Path) -> None:
    """A module moved or renamed is a stale sentence in the docs: every ``a/b.py`` (or query, or
    ontology file) they name is a file of the repository, or of the package (stage paths such as
    ``read/parser.py``). The changelog names old paths on purpose."""
    text = document.read_text(encoding="utf-8")
    named = set(re.findall(r"(?<![\w/.-])((?:[a-z_]+/)+[a-z_-]+\.(?:py|rq)|ontology/[a-z_-]+\.ttl)\b", text))
    missing = sorted(p for p in named if not (ROOT / p).exists() and not (ROOT / "sqsgraph" / p).exists())
    assert missing == [], f"{document.name} names files that do not exist"
