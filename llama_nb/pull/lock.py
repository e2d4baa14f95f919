"""One pull of a model at a time: an exclusive lock on its file in the models dir (two kernels, or the
CLI and a kernel); the second waits, saying so, for a bounded time."""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path
from typing import Callable


class _Lock:
    """An exclusive lock on one model's file in the models dir, so two pulls (two kernels, the CLI and a
    kernel) never write it at once; the second waits, saying so, then finds the file verified."""

    def __init__(self, path: Path, timeout: float, waiting: Callable[[], None] = lambda: None) -> None:
        self.path, self.timeout, self.waiting = path, timeout, waiting
        self.fd = -1

    def __enter__(self) -> "_Lock":
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            deadline = time.monotonic() + self.timeout
            said = False
            while True:
                try:
                    fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    return self
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise TimeoutError(f"another pull held {self.path} for {self.timeout:.0f} s") from None
                    if not said:
                        self.waiting()
                        said = True
                    time.sleep(0.2)
        except BaseException:  # the timeout, a kernel interrupt: never leak the descriptor
            os.close(self.fd)
            raise

    def __exit__(self, *exc: object) -> None:
        os.close(self.fd)
