"""The check before every prompt: the server is ready (repairing it if needed) and the prompt fits.

:meth:`Preflight.run` returns a :class:`Ready` (the status, a client, the notes to show) or raises
:class:`~llama_nb.supervisor.LlamaNBError` with the card to show. On a healthy server it costs one
in-memory status read and one ``/tokenize`` request.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field, replace
from typing import Sequence

from ..supervisor import Action, Card, Connection, Fix, LlamaNBError, State, Status, Step
from ..supervisor.advice import Context, build_card
from ..supervisor.diagnosis import Diagnosis, Kind
from .backends import Backend
from .client import ChatError, ChatHTTPError, ConnectFailed, LlamaClient, Message

#: The answer length when none is asked for, and the least room worth answering in.
DEFAULT_MAX_TOKENS = 512
MIN_ANSWER_TOKENS = 32


@dataclass
class Ready:
    """Everything a prompt needs once the pre-flight passed."""

    status: Status
    connection: Connection
    client: LlamaClient
    max_tokens: int
    n_prompt_tokens: int | None = None
    notes: list[tuple[str, str]] = field(default_factory=list)  # (kind, text)
    elapsed: float = 0.0


@dataclass
class _Seen:
    restarts: int
    last_recovery: str | None
    degraded: str | None
    started_at: float | None


def context_card(status: Status, n_prompt: int, max_tokens: int, ctx: int, *, asked: bool, command: str = "%%llama ask") -> Card:
    """The ``context_exceeded`` card for a prompt that does not fit (nothing gets restarted).

    ``command`` is the magic the user ran (``%%llama explain``), for the "shorter answer" fix.
    """
    diagnosis = Diagnosis(
        Kind.CONTEXT_EXCEEDED,
        f"The prompt needs {n_prompt} tokens but the server's context holds {ctx}.",
        (f"prompt: {n_prompt} tokens", f"answer: up to {max_tokens} tokens", f"context (n_ctx): {ctx} tokens"),
        numbers=(("n_prompt_tokens", n_prompt), ("n_ctx", ctx)),
    )
    card = build_card(diagnosis, Context(profile=status.profile, model=status.model, ctx_requested=status.ctx_requested, ctx_actual=ctx, url=status.url))
    fixes = [f for f in card.what_you_can_do if f.action != Action.RESTART]
    if not status.remote:
        fixes.insert(0, Fix("Restart with a context large enough for this prompt and its answer", Action.RESTART, {"profile": status.profile, "ctx": _next_pow2(n_prompt + max_tokens)}))
    room = ctx - n_prompt
    if asked and room > MIN_ANSWER_TOKENS:
        fixes.insert(0, Fix("Ask for a shorter answer", Action.PROMPT, {"name": command.split()[-1], "cell": command.startswith("%%"), "max_tokens": room - 1}))
    happened = card.what_happened
    if n_prompt < ctx:
        # The prompt itself fits: it is the room for the answer that is missing.
        happened = (
            f"The prompt is {n_prompt} tokens and the answer may take up to {max_tokens} more, but the server's "
            f"context holds {ctx} tokens ({n_prompt + max_tokens - ctx} too many). Nothing was restarted: the server is fine."
        )
    tried = (Step(f"Counted the prompt with the server's tokenizer: {n_prompt} tokens; nothing was sent", True),)
    return replace(card, what_happened=happened, what_you_can_do=tuple(fixes), what_tried=tried)


def _next_pow2(n: int) -> int:
    size = 1024
    while size < n:
        size *= 2
    return size


class Preflight:
    """Remembers, per profile, what the server looked like at the last prompt (to name repairs)."""

    def __init__(self) -> None:
        self._seen: dict[str, _Seen] = {}
        self._clients: dict[tuple[str, str], LlamaClient] = {}
        self._lock = threading.Lock()
        self._born = time.time()

    # -- clients ------------------------------------------------------------------------------------

    def client_for(self, conn: Connection) -> LlamaClient:
        """A keep-alive client per server URL and key (a restarted server gets a new one)."""
        key = (conn.url, conn.api_key)
        stale: list[LlamaClient] = []
        with self._lock:
            client = self._clients.get(key)
            if client is None:
                keys = [k for k in self._clients if k[0] == conn.url or len(self._clients) > 8]
                stale = [self._clients.pop(k) for k in keys]
                client = self._clients[key] = LlamaClient(conn.url, conn.api_key)
        for old in stale:  # closing sockets is I/O: not under the lock
            old.close()
        return client

    def close(self) -> None:
        with self._lock:
            clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            client.close()

    # -- the check ----------------------------------------------------------------------------------

    def run(
        self,
        backend: Backend,
        profile: str | None,
        messages: Sequence[Message],
        max_tokens: int | None,
        *,
        retries: int = 3,
        command: str = "%%llama ask",
    ) -> Ready:
        """Ready the server and check the prompt fits. Raises ``LlamaNBError`` with the card otherwise."""
        t0 = time.perf_counter()
        last_error: ChatError | None = None
        for attempt in range(retries + 1):
            status, conn = backend.ensure(profile)
            client = self.client_for(conn)
            try:
                n_prompt = self._count(client, status, messages)
            except ConnectFailed as exc:
                # The server went away between its last health check and now (a kill -9): the
                # supervisor is already restarting it; ask again.
                last_error = exc
                _forget(backend, profile)
                time.sleep(min(0.05 * (2**attempt), 0.5))
                continue
            break
        else:
            raise LlamaNBError(_unreachable_card(status, last_error))
        ready = Ready(status, conn, client, max_tokens or DEFAULT_MAX_TOKENS, n_prompt)
        self._notes(ready)
        ctx = status.ctx_actual
        if n_prompt is not None and ctx:
            room = ctx - n_prompt
            if max_tokens is None:
                if room < MIN_ANSWER_TOKENS:
                    raise LlamaNBError(context_card(status, n_prompt, MIN_ANSWER_TOKENS, ctx, asked=False, command=command))
                ready.max_tokens = min(DEFAULT_MAX_TOKENS, room)
            elif n_prompt + max_tokens > ctx:
                raise LlamaNBError(context_card(status, n_prompt, max_tokens, ctx, asked=True, command=command))
        ready.elapsed = time.perf_counter() - t0
        return ready

    def _count(self, client: LlamaClient, status: Status, messages: Sequence[Message]) -> int | None:
        if not status.ctx_actual:
            return None  # nothing to check against (a remote endpoint that does not say)
        try:
            return client.count_prompt_tokens(messages)
        except ChatHTTPError:
            return None  # cannot count here: the server's own answer will say if it does not fit

    def _notes(self, ready: Ready) -> None:
        status = ready.status
        seen = self._seen.get(status.profile)
        now = _Seen(status.restarts, status.last_recovery, _degraded(status), status.started_at)
        self._seen[status.profile] = now
        if seen is None:
            recovered = bool(status.last_recovery) and (status.started_at or 0) >= self._born
            restarted = 0
        else:
            recovered = bool(status.last_recovery) and status.last_recovery != seen.last_recovery
            restarted = max(0, status.restarts - seen.restarts)
        if recovered:
            ready.notes.append(("repaired", f"↻ Repaired before this prompt: {status.last_recovery}."))
        elif restarted:
            ready.notes.append(("repaired", f"↻ llama-server was restarted {restarted} time{'s' if restarted > 1 else ''} since the last prompt (pid {status.pid})."))
        if now.degraded and (seen is None or seen.degraded != now.degraded or seen.started_at != now.started_at):
            ready.notes.append(("degraded", f"⚠ Running degraded: {now.degraded}."))


def _degraded(status: Status) -> str | None:
    """Why the server runs on less than asked for, if it does (the state, or a smaller context)."""
    if status.state == State.DEGRADED:
        return status.degraded_reason or "the server runs on a safer configuration than asked for"
    if status.ctx_actual and status.ctx_requested and status.ctx_actual < status.ctx_requested:
        return f"context is {status.ctx_actual} tokens, {status.ctx_requested} were asked for"
    return None


def _forget(backend: Backend, profile: str | None) -> None:
    forget = getattr(backend, "forget", None)
    if forget is not None:
        forget(profile)


def _unreachable_card(status: Status, error: ChatError | None) -> Card:
    diagnosis = Diagnosis(
        Kind.CONNECTION_FAILED,
        "The server was reported ready but did not accept connections.",
        (str(error),) if error else (),
    )
    return build_card(diagnosis, Context(profile=status.profile, model=status.model, url=status.url))
