"""Every file a command writes goes through here: `render --out DIR` and `lint --output FILE`.

Each file is written to a temporary file in its own directory and renamed into place, so:
- a reader (or a `kill -9` half-way) sees the old file or the new one, never a truncated one;
- a symlink at the target is replaced, never followed (a pull request cannot commit
  `out/<stack>.yaml -> ~/.bashrc` and have us write through it);
- a directory, FIFO, socket or device in the way is refused before anything is written.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ingress2cfn.cli.console import Invalid


def _in_the_way(path: Path) -> str | None:
    """Why `path` cannot be replaced by a regular file (None when it can: absent, a file or a symlink)."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"cannot inspect it: {exc.strerror}"
    if stat.S_ISREG(mode) or stat.S_ISLNK(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a directory is in the way"
    return "a special file (FIFO, socket or device) is in the way"


def _prepare_directory(directory: Path) -> None:
    try:
        mode = os.lstat(directory).st_mode
    except FileNotFoundError:
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise Invalid(f"{directory}: cannot create the output directory: {exc.strerror or exc}") from None
        return
    except OSError as exc:
        raise Invalid(f"{directory}: cannot use as the output directory: {exc.strerror or exc}") from None
    if stat.S_ISLNK(mode):
        # a committed `out -> ~/.config` would send every file (and the removal of old ones) elsewhere
        raise Invalid(f"{directory}: the output directory is a symlink; refusing to write through it (give the real directory)")
    if not stat.S_ISDIR(mode):
        raise Invalid(f"{directory}: the output directory is not a directory")


def _file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _stage(target: Path, text: str, mode: int) -> Path:
    """Write `text` to a temporary file next to `target`, flushed to disk; return its path."""
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(name, mode)
    except BaseException:
        _remove(Path(name))
        raise
    return Path(name)


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


def write_files(directory: Path, files: Iterable[tuple[str, str]], remove: Iterable[str] = ()) -> None:
    """Write (name, text) pairs into `directory` (created when missing), each atomically, then
    remove the names in `remove` (files this cluster wrote that are no longer rendered). Every
    target is checked before the first byte is written; a file that cannot be staged leaves the
    directory as it was."""
    pairs = list(files)
    _prepare_directory(directory)
    problems = [f"{directory / name}: {why}" for name, _ in pairs if (why := _in_the_way(directory / name)) is not None]
    if problems:
        raise Invalid("; ".join(problems) + ": nothing written")
    mode = _file_mode()
    staged: list[tuple[Path, Path]] = []
    try:
        for name, text in pairs:
            staged.append((_stage(directory / name, text, mode), directory / name))
    except OSError as exc:
        for temp, _ in staged:
            _remove(temp)
        raise Invalid(f"{directory}: cannot write: {exc.strerror or exc}: nothing written") from None
    for temp, target in staged:
        os.replace(temp, target)
    for name in remove:
        _remove(directory / name)
    _sync_directory(directory)


def write_file(path: Path, text: str) -> None:
    """One file, atomically (`lint --output FILE`)."""
    why = _in_the_way(path)
    if why is not None:
        raise Invalid(f"{path}: {why}: nothing written")
    parent = path.parent
    if not parent.is_dir():
        raise Invalid(f"{path}: cannot write: no such directory {parent}")
    try:
        temp = _stage(path, text, _file_mode())
    except OSError as exc:
        raise Invalid(f"{path}: cannot write: {exc.strerror or exc}") from None
    os.replace(temp, path)
    _sync_directory(parent)


def _sync_directory(directory: Path) -> None:
    """Make the renames durable (best effort: not every platform lets a directory be opened)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
