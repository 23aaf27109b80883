"""Help that is tested: every command has a one-line summary and an example, and the README
shows it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from sqsgraph.cli import main

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


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
