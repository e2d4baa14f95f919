"""Explain's prompt evaluated while the user reads the traceback, so its first token comes at once.

When a cell raises, the explain prompt for that error is already known (history.py keeps its
values and hints). On a 2-core CPU llama-server needs about 1 s to evaluate its ~120 new tokens,
and that is the wait before an answer's first token. This module sends the same messages to the
same local llama-server in the background, asking for one token: llama-server keeps the evaluated
prompt in its cache, so a click on **Explain** (or ``%llama explain``) a moment later starts
answering at once. The answer itself is the same request as without it.

What it never does: start a server (it uses the connection of the last answered prompt of the
default profile only), send anything to a remote endpoint (loopback llama-server only), run two
at once (one worker thread; a newer error replaces one not yet sent), or make a prompt wait longer
than it would have anyway: a prompt for the same messages waits for the in-flight evaluation
(bounded), any other prompt cuts it. Every failure is dropped silently, with the connection: this
is a speed-up, not a feature with cards. ``%config LlamaNB.warm_explain = False`` turns it off.
"""

from __future__ import annotations

import threading
from typing import Any, Sequence

from ..answer import prompts
from .client import LlamaClient, Message, is_loopback
from .watchdog import shutdown


class ExplainWarmup:
    """One background worker that evaluates the newest error's explain prompt ahead of the click."""

    def __init__(self, read_timeout: float = 60.0) -> None:
        self.read_timeout = read_timeout
        self.sent = 0  # prompts evaluated ahead (tests read it)
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._target: tuple[str, str] | None = None  # (url, api key) of the default profile's local server
        self._pending: list[Message] | None = None
        self._running: list[Message] | None = None
        self._stream: Any = None
        self._idle = threading.Event()
        self._idle.set()
        self._closed = False
        self._thread: threading.Thread | None = None

    def use(self, url: str | None, api_key: str, remote: bool) -> None:
        """The server the next warm-ups go to (the one that just answered a default-profile prompt)."""
        with self._lock:
            self._target = (url, api_key) if url and not remote and is_loopback(url) else None

    @property
    def armed(self) -> bool:
        """Whether an :meth:`offer` would be sent anywhere (a local server is known, not closed)."""
        return self._target is not None and not self._closed

    def offer(self, messages: Sequence[Message]) -> None:
        """A cell just raised: evaluate this explain prompt in the background (replaces one not yet sent)."""
        with self._lock:
            if self._closed or self._target is None:
                return
            self._pending = list(messages)
            self._idle.clear()
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="llama-nb-explain-warmup", daemon=True)
                self._thread.start()
            self._wake.notify()

    def before_prompt(self, messages: Sequence[Message], url: str, wait_at_most: float) -> None:
        """Called just before a prompt is sent to ``url``: wait for an evaluation of these very messages
        on that server (it is the work this prompt needs), cut any other."""
        with self._lock:
            self._pending = None  # not sent yet: the prompt does that work itself
            if self._running is None:
                return
            same = self._target is not None and self._target[0] == url and self._running == list(messages)
            stream = self._stream
        if not same:
            shutdown(stream)  # best effort: a prompt being evaluated finishes its batch
        elif not self._idle.wait(max(0.0, wait_at_most)):  # the server is slow or hung: stop waiting
            shutdown(self._stream)  # read now: the worker may have sent its request during the wait

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._pending = None
            stream = self._stream
            self._wake.notify()
        shutdown(stream)

    def _run(self) -> None:
        while True:
            with self._lock:
                while self._pending is None and not self._closed:
                    self._idle.set()
                    self._wake.wait()
                if self._closed:
                    self._idle.set()
                    return
                messages, self._pending, target = self._pending, None, self._target
                self._running = messages
            try:
                if target is not None and messages is not None:
                    self._evaluate(target, messages)
            except Exception:  # a speed-up only: a failure forgets the server until a prompt names it again
                with self._lock:
                    if self._target == target:
                        self._target = None
            finally:
                with self._lock:
                    self._running = None
                    self._stream = None
                    if self._pending is None:
                        self._idle.set()

    def _evaluate(self, target: tuple[str, str], messages: list[Message]) -> None:
        client = LlamaClient(target[0], target[1], connect_timeout=2.0, read_timeout=self.read_timeout)
        try:
            stream = client.chat(messages, max_tokens=1, temperature=prompts.TEMPERATURE, extra={"seed": prompts.SEED})
            with self._lock:
                if self._closed:
                    return
                self._stream = stream
            with stream:
                for _ in stream:
                    pass
            with self._lock:
                self.sent += 1
        finally:
            client.close()
