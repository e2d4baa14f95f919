"""Private files: state and logs are readable by their owner only (directories 0700, files 0600).

Modes are given at creation (``os.mkdir``/``os.open`` with a mode), so there is no window in which the
umask leaves a file readable by others; an existing directory or file of ours that is looser is tightened.
"""

from __future__ import annotations

import os
from pathlib import Path


def private_dir(path: Path) -> Path:
    """Create ``path`` (and missing parents) with mode 0700; tighten it if it is ours and looser."""
    missing: list[Path] = []
    probe = path
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for directory in reversed(missing):
        try:
            os.mkdir(directory, 0o700)
        except FileExistsError:
            pass
    try:
        st = os.stat(path)
        if st.st_uid == os.getuid() and st.st_mode & 0o077:
            os.chmod(path, 0o700)
    except OSError:
        pass
    return path


def open_private(path: Path, append: bool = True) -> int:
    """A file descriptor for writing ``path``, created 0600 (no umask window); an existing file is tightened."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if append else os.O_TRUNC) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags, 0o600)
    os.fchmod(fd, 0o600)
    return fd
