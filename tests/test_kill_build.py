"""Issue 7: a build killed at any point leaves the previous output intact and loadable.

A build of the samples is written first; then `python -m sqsgraph.cli build` of a larger synthetic
corpus into the same folder is killed with SIGKILL at several points: at fixed times (while reading
and parsing) and as soon as it has replaced its first output file (while the next is being written).
After each kill every output file is byte-identical either to the previous build's or to a complete
build of the corpus, the graph files load, and the only other files are write_atomic's hidden
temporary files, which the next build removes.
"""

from __future__ import annotations

import os
import pickle
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from sqsgraph.cli import main
from sqsgraph.rdf.datasets import load_dataset
from sqsgraph.synth.corpus import write_corpus

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

CORPUS_SIZE = 15  # a few seconds of reading, parsing and mapping before the first file is written
RUN_LIMIT = 60.0  # seconds any one subprocess may take
TEMP = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[^.]+\.tmp$")  # write_atomic's temporary files (views too)


#: Checked on their own: the per-report cache (``cache_is_whole``) and the query store, whose
#: databases differ byte for byte from load to load (``store_is_live``; tests/test_querystore.py
#: kills its loads).
OWN_CHECKS = (".cache", "store")


def snapshot(out: Path) -> dict[str, bytes]:
    """The output files (the per-report cache and the query store are checked on their own)."""
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.relative_to(out).parts[0] not in OWN_CHECKS
    }


def store_is_live(out: Path) -> None:
    """The query store a killed build left names a whole database, which opens and has statements."""
    import pyoxigraph as ox

    from sqsgraph.query.querystore import read_live_database

    manifest = read_live_database(out / "store")
    if manifest is not None:
        assert len(ox.Store.read_only(str(out / "store" / manifest.database))) > 0


def cache_is_whole(out: Path) -> int:
    """Every cache entry a killed build left is complete: it loads. Returns how many there are."""
    entries = [p for p in (out / ".cache").rglob("*") if p.is_file() and not TEMP.match(p.name)]
    for p in entries:
        if p.suffix == ".pickle":
            pickle.loads(p.read_bytes())
        elif p.suffix == ".nq":
            list(ox.parse(p.read_bytes(), format=ox.RdfFormat.N_QUADS))
    return len(entries)


def build_cmd(corpus: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "sqsgraph.cli", "build", str(corpus), "-o", str(out), "--no-docs", "--no-validate"]


def start(corpus: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen(build_cmd(corpus, out), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def kill(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=RUN_LIMIT)


def kill_after(seconds: float):
    def run(corpus: Path, out: Path) -> subprocess.Popen:
        proc = start(corpus, out)
        try:
            proc.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            pass
        kill(proc)
        return proc

    return run


def kill_when_first_output_replaced(corpus: Path, out: Path) -> subprocess.Popen:
    """Kill as soon as sqsgraph.ttl is a new file: sqsgraph.nq is then being put in place."""
    ttl = out / "sqsgraph.ttl"
    inode = ttl.stat().st_ino
    proc = start(corpus, out)
    deadline = time.monotonic() + RUN_LIMIT
    while proc.poll() is None and time.monotonic() < deadline:
        if ttl.stat().st_ino != inode:
            break
        time.sleep(0.002)
    kill(proc)
    return proc


def check_output(out: Path, before: dict[str, bytes], complete: dict[str, bytes]) -> set[str]:
    """Every output file is the old or the complete new one; the graph files load; any other file
    is a hidden temporary file that shadows no output. Returns which states were seen."""
    seen = set()
    for name in before:
        data = (out / name).read_bytes()
        assert data in (before[name], complete[name]), f"{name} is neither the previous nor a complete new file"
        seen.add("old" if data == before[name] else "new")
        if name.endswith((".nq", ".ttl")):
            assert len(load_dataset(out / name)) > 0
    cache_is_whole(out)
    store_is_live(out)
    for p in out.rglob("*"):
        rel = str(p.relative_to(out))
        if p.is_file() and rel not in before and p.relative_to(out).parts[0] not in OWN_CHECKS:
            assert TEMP.match(p.name), f"unexpected file {rel}"
            assert p.name.startswith(".") and p.name.endswith(".tmp")
    return seen


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    write_corpus(CORPUS_SIZE, folder)
    return folder


@pytest.fixture(scope="module")
def complete(corpus, tmp_path_factory) -> dict[str, bytes]:
    """The files of an uninterrupted build of the corpus (also: `python -m sqsgraph.cli` works)."""
    out = tmp_path_factory.mktemp("complete")
    done = subprocess.run(build_cmd(corpus, out), capture_output=True, text=True, timeout=RUN_LIMIT)
    assert done.returncode == 0, done.stderr
    return snapshot(out)


def build_samples(out: Path) -> dict[str, bytes]:
    result = CliRunner().invoke(main, ["build", "-o", str(out), "--no-docs"])
    assert result.exit_code == 0, result.output
    return snapshot(out)


@pytest.fixture(scope="module")
def previous(tmp_path_factory) -> Path:
    """The previous output: a build of the samples, copied into each test's folder."""
    out = tmp_path_factory.mktemp("previous") / "out"
    build_samples(out)
    return out


def previous_output(previous: Path, tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    out = tmp_path / "out"
    shutil.copytree(previous, out)
    return out, snapshot(out)


@pytest.mark.parametrize("seconds", [0.5, 1.5, 3.0])
def test_a_build_killed_at_a_time_leaves_the_previous_output_intact(tmp_path, corpus, complete, previous, seconds):
    out, before = previous_output(previous, tmp_path)
    assert set(before) == set(complete)
    started = time.monotonic()
    kill_after(seconds)(corpus, out)
    assert time.monotonic() - started < RUN_LIMIT
    check_output(out, before, complete)


def test_a_build_killed_between_two_files_leaves_each_file_whole(tmp_path, corpus, complete, previous):
    """Killed as soon as the Turtle is replaced: the Turtle is the complete new one, the N-Quads
    the previous or the complete new one (the build writes both at once and puts them in place
    one right after the other, so the kill may land after either), both load; the next build
    into the folder works and leaves no temporary file."""
    out, before = previous_output(previous, tmp_path)
    proc = kill_when_first_output_replaced(corpus, out)
    check_output(out, before, complete)
    assert (out / "sqsgraph.ttl").read_bytes() == complete["sqsgraph.ttl"]
    assert (out / "sqsgraph.nq").read_bytes() in (before["sqsgraph.nq"], complete["sqsgraph.nq"])
    assert build_samples(out) == before
    assert not [p for p in out.rglob("*.tmp") if (m := TEMP.match(p.name)) and int(m["pid"]) == proc.pid]


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_the_next_build_removes_temporary_files_of_a_killed_writer_only(tmp_path, previous):
    out, before = previous_output(previous, tmp_path)
    gone = dead_pid()
    stale = [
        out / f".sqsgraph.nq.{gone}.k1ll3d00.tmp",
        out / f".sqsgraph.ttl.{gone}.abc_1234.tmp",
        out / "views" / f".people.html.{gone}.x9y8z7w6.tmp",
    ]
    live = out / f".sqsgraph.nq.{os.getpid()}.wr1t1ng0.tmp"  # a writer still running: left alone
    for p in [*stale, live]:
        p.write_bytes(b"<https://example.org/s> <https://example.org/p> ")  # half a statement
    assert build_samples(out) == before | {live.name: live.read_bytes()}
    assert [p.exists() for p in stale] == [False, False, False]
    assert live.exists()


def descendants(pid: int) -> set[int]:
    """The processes under ``pid`` now (from /proc)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_the_worker_processes_of_a_killed_build_stop_too(tmp_path):
    corpus = tmp_path / "corpus"
    write_corpus(80, corpus)  # more than a build does in its own process
    proc = subprocess.Popen(
        [*build_cmd(corpus, tmp_path / "out"), "--workers", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + RUN_LIMIT
    workers: set[int] = set()
    while proc.poll() is None and time.monotonic() < deadline and len(workers) < 2:  # two workers (and a forkserver)
        workers = descendants(proc.pid)
        time.sleep(0.05)
    assert len(workers) >= 2, "the build finished before its workers were seen"
    kill(proc)
    deadline = time.monotonic() + 10
    while any(running(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(running(pid) for pid in workers), "workers of the killed build still run"
