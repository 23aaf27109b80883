"""Crash-safe files: every file sqsgraph writes goes through here. A file is written under a
temporary name beside its target and put in place in one step, so a killed process leaves the
previous file whole and at most a temporary file that names its writer's process, which the
next run removes. Large documents are written a part at a time and never held in memory.
"""

from __future__ import annotations

import ctypes
import errno
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

# ``.{target name}.{pid of the writer}.{random}.tmp``: hidden, never the name of an output, and
# telling which process wrote it, so a later build can remove what a killed one left behind.
_TEMP_NAME = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[^.]+\.tmp$")


def temp_prefix(target: Path) -> str:
    return f".{target.name}.{os.getpid()}."


def write_atomic(path: str | Path, data: bytes, *, exchange: bool = False) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder and ``os.replace``
    (``exchange``: put in place as ``write_document`` does, for a large file rewritten often).

    A process killed mid-write leaves the previous ``path`` untouched and at most a temporary
    file named by ``temp_prefix``; ``remove_stale_temp_files`` clears those up."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(target), suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; a graph file is for others to read
        if exchange:
            _install(tmp, target)
        else:
            os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


#: Where a body sits in a document: (offset, length) in bytes.
ByteSpan = tuple[int, int]


class DocumentWriter:
    """A document (``head``, bodies joined by ``separator``, ``tail``) written a body at a time
    into a temporary file beside ``path`` and
    put in place in one step by ``commit`` (atomically like ``write_atomic``; ``abort`` removes
    it), never held in memory whole. Each ``add``/``copy`` returns where the body landed, so
    that a later build can copy an unchanged body out of this file instead of making it again."""

    def __init__(self, path: str | Path, head: bytes = b"", separator: bytes = b"", tail: bytes = b"") -> None:
        self.target = Path(path)
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self._separator = separator
        self._tail = tail
        self._fd, self._tmp = tempfile.mkstemp(prefix=temp_prefix(self.target), suffix=".tmp", dir=self.target.parent)
        self._offset = 0  # where the next byte goes, counting the bodies of ``_run`` not yet copied
        self._first = True
        self._run: tuple[int, int, int] | None = None  # (file, start, end): bodies to copy in one go
        try:
            self._write(head)
        except BaseException:
            self.abort()
            raise

    def _write(self, data: bytes) -> None:
        self.flush()
        _write_all(self._fd, data)
        self._offset += len(data)

    def _begin_body(self) -> int:
        if not self._first:
            self._write(self._separator)
        self._first = False
        return self._offset

    def add(self, data: bytes) -> ByteSpan:
        """Append one body (empty: nothing is written)."""
        if not data:
            return (self._offset, 0)
        start = self._begin_body()
        self._write(data)
        return (start, len(data))

    def copy(self, src_fd: int, span: ByteSpan) -> ByteSpan:
        """Append the body at ``span`` of the open file ``src_fd`` (keep it open until ``flush``).
        Bodies that follow each other in that file, as unchanged reports' bodies do in the last
        build's, are copied in one go, the separators between them with them: in the kernel
        (one call for gigabytes, against one a body, measured 4 s against 11 s for 4.3 GB)."""
        offset, length = span
        if length == 0:
            return (self._offset, 0)
        run, gap = self._run, len(self._separator)
        if run is not None and run[0] == src_fd and offset == run[2] + gap and not self._first:
            self._run = (src_fd, run[1], offset + length)  # what lies between is the separator
            start = self._offset + gap
        else:
            self.flush()
            start = self._begin_body()
            self._run = (src_fd, offset, offset + length)
        self._offset = start + length
        return (start, length)

    def flush(self) -> None:
        """Copy the bodies ``copy`` has put off (before their file is closed)."""
        if self._run is not None:
            src_fd, start, end = self._run
            self._run = None
            _copy_range(src_fd, start, self._fd, end - start)

    def add_file(self, path: Path) -> ByteSpan:
        """Append the body held whole in the file at ``path``."""
        with path.open("rb") as src:
            span = self.copy(src.fileno(), (0, os.fstat(src.fileno()).st_size))
            self.flush()
        return span

    def commit(self) -> Path:
        try:
            self._write(self._tail)
            os.close(self._fd)
            self._fd = -1
            os.chmod(self._tmp, 0o644)  # mkstemp makes it private; a graph file is for others to read
            _install(self._tmp, self.target)
        except BaseException:
            self.abort()
            raise
        return self.target

    def abort(self) -> None:
        self._run = None
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
        Path(self._tmp).unlink(missing_ok=True)


_removals: list[subprocess.Popen[bytes]] = []


def _install(tmp: str, target: Path) -> None:
    """Move the finished ``tmp`` to ``target`` atomically. Over an existing file the two are
    exchanged (Linux ``renameat2(RENAME_EXCHANGE)``) and the old one is discarded by
    ``_discard``: ``os.replace`` over a file makes ext4 write the new one out to disk first (1.6
    s a GB measured here) and freeing a large file's blocks takes ~0.6 s a GB, both while a
    rebuild waits. What that gives up is ext4's flush before the rename: after a power cut the
    new file may be incomplete (build again; the cache makes that quick). Elsewhere, or when the
    exchange is refused, ``os.replace``."""
    if target.exists() and _exchange(tmp, target):
        _discard(tmp)
    else:
        os.replace(tmp, target)


def _discard(path: str) -> None:
    """Delete the file at ``path`` at once, and leave freeing its blocks to a process of its own
    that outlives this one if need be: its name goes now (no stray file in the folder) while a
    child holds it open; the child's exit, the last close, frees it. ``wait_for_removals``
    waits for those children."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return  # gone already, or left for remove_stale_temp_files: its name says whose it was
    try:
        os.unlink(path)
        _removals.append(
            subprocess.Popen(
                [sys.executable, "-I", "-S", "-c", "import os, sys; os.close(int(sys.argv[1]))", str(fd)],
                pass_fds=(fd,),
                start_new_session=True,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
    except OSError:
        pass  # no child: this process frees it when it closes fd below
    finally:
        os.close(fd)


def wait_for_removals() -> None:
    """Wait until the blocks of the old files ``write_document`` replaced are freed (the build
    does not wait: freeing 4 GB took 2.2 s at 10,000 reports)."""
    while _removals:
        _removals.pop().wait()


@lru_cache(maxsize=1)
def _renameat2() -> Callable[..., int] | None:
    if sys.platform != "linux":
        return None
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # a C library older than glibc 2.28
        return None
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    fn.restype = ctypes.c_int
    return fn


def _exchange(a: str | Path, b: str | Path) -> bool:
    """Swap two paths atomically; False when this system or file system cannot."""
    fn = _renameat2()
    if fn is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _copy_range(src_fd: int, offset: int, dst_fd: int, length: int) -> None:
    """``length`` bytes of ``src_fd`` from ``offset`` onto the end of ``dst_fd``."""
    done = 0
    if hasattr(os, "copy_file_range"):
        try:
            while done < length:
                n = os.copy_file_range(src_fd, dst_fd, length - done, offset + done)
                if n == 0:
                    break
                done += n
        except OSError:  # another file system, or a kernel without it: copy the rest by hand
            pass
    while done < length:
        chunk = os.pread(src_fd, min(1 << 20, length - done), offset + done)
        if not chunk:
            raise OSError(f"the file being copied ended {length - done} bytes early")
        _write_all(dst_fd, chunk)
        done += len(chunk)


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (this process counts as running)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists but belongs to someone else
        return True
    return True


def temp_writer(path: Path) -> int | None:
    """The process that writes the temporary file ``path`` (``temp_prefix``), as its name says;
    ``None`` for a file not named so."""
    m = _TEMP_NAME.match(path.name)
    return int(m["pid"]) if m else None


def remove_stale_temp_files(folder: str | Path) -> list[Path]:
    """Remove the temporary files ``write_atomic`` left in ``folder`` when its process was killed
    (the writer's process no longer runs); a running writer's files are left alone."""
    removed: list[Path] = []
    d = Path(folder)
    if not d.is_dir():
        return removed
    for f in sorted(d.glob(".*.tmp")):
        writer = temp_writer(f)
        if writer is not None and f.is_file() and not process_alive(writer):
            f.unlink(missing_ok=True)
            removed.append(f)
    return removed
