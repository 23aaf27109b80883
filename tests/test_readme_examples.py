"""Every command in the README works as written when pasted.

Each ```bash block of the README (but the set-up one, which CI itself runs) is run as it stands,
with bash, in a folder laid out as the README assumes: ``reports/`` holding PDFs and text reports
(``reports/kent.pdf`` among them), the README's own ``identities.toml``, a small ``big-corpus/``.
Blocks run in README order in one folder, as a reader following it would. A server started in
the foreground (``sqsgraph serve``) runs until stopped: the test starts it in the background and
stops it when its block is done; servers a block starts with ``&`` are stopped then too.

Each ```python block is a Python session (``>>>`` prompts and what they print), run with doctest
in a fresh folder laid out the same way: what the README shows is what Python prints.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
FIXTURES = ROOT / "tests" / "fixtures" / "pdf"
BLOCKS = [b for b in re.findall(r"```bash\n(.*?)```", README, re.S) if "pip install" not in b]
PYTHON_BLOCKS = re.findall(r"```python\n(.*?)```", README, re.S)

pytestmark = pytest.mark.server


def _folder(tmp: Path) -> Path:
    from sqsgraph.read.reader import sample_paths
    from sqsgraph.synth.corpus import write_corpus

    reports = tmp / "reports"
    reports.mkdir()
    shutil.copy(FIXTURES / "kent-2014-lo-tagged.pdf", reports / "kent.pdf")
    for sample in sample_paths():
        if not sample.name.startswith("kent"):
            shutil.copy(sample, reports / sample.name)
    (tmp / "identities.toml").write_text(re.search(r"```toml\n(.*?)```", README, re.S)[1], encoding="utf-8")
    write_corpus(8, tmp / "big-corpus", seed=5)
    return tmp


def _script(block: str) -> str:
    lines = []
    for line in block.splitlines():
        command = line.split("  #", 1)[0].rstrip()
        if re.match(r"sqsgraph serve\b", command) and not command.endswith("&"):
            command += " &  sleep 3"  # it runs until stopped: in the background here, stopped below
        lines.append(command)
    return "\n".join(["set -euo pipefail", "trap 'kill $(jobs -p) 2>/dev/null || true' EXIT", *lines, ""])


def test_the_readme_has_the_examples_this_test_runs() -> None:
    assert len(BLOCKS) >= 8
    assert any("sqsgraph build reports/" in b for b in BLOCKS)
    assert any("curl -g" in b for b in BLOCKS)


def test_every_readme_example_works_as_written(tmp_path: Path) -> None:
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    folder = _folder(tmp_path)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    for block in BLOCKS:
        run = subprocess.run(["bash", "-c", _script(block)], cwd=folder, env=env, capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, f"README block failed:\n{block}\nstdout:\n{run.stdout[-2000:]}\nstderr:\n{run.stderr[-3000:]}"
    assert (folder / "reports.json").stat().st_size > 1000
    assert (folder / "kent.txt").read_text(encoding="utf-8").startswith("To:")
    assert (folder / "stats.csv").read_text(encoding="utf-8").count("\n") > 1


def test_every_python_session_in_the_readme_prints_what_it_shows(tmp_path: Path) -> None:
    assert PYTHON_BLOCKS and all(">>> " in b for b in PYTHON_BLOCKS)
    folder = _folder(tmp_path)
    for number, block in enumerate(PYTHON_BLOCKS):
        session = folder / f"session-{number}.txt"
        session.write_text(block, encoding="utf-8")
        run = subprocess.run(
            [sys.executable, "-m", "doctest", "-o", "ELLIPSIS", "-o", "NORMALIZE_WHITESPACE", session.name],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert run.returncode == 0, f"README python block failed:\n{block}\n{run.stdout[-4000:]}\n{run.stderr[-2000:]}"
