"""One answer read as one stream, with a follow-up when a small model stops after its Cause.

Asked for **Cause:** then **Fix:**, a 0.5B model sometimes copies a hint as its Cause and ends
there: the user gets no code. llama-server continues a final assistant message (prefill), so the
answer so far plus ``**Fix:**`` is sent back once and the model writes the fix; the prompt is in
its cache, so this costs only the new tokens. Measured by bench/quality.py (answers without a fix).

:class:`FollowUpStream` behaves like the stream it wraps (the kernel's ``client.ChatStream``: a context
manager, iterated for deltas, ``answer`` filling as it goes, ``_response`` for the stall watchdog), so the
session's error handling is the same for both parts. It knows the client only as :class:`Chat`.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Iterator, Protocol, Sequence

from .reply import Answer, Message


class Stream(Protocol):
    answer: Answer
    _response: Any

    def __enter__(self) -> Any: ...
    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> Any: ...
    def __iter__(self) -> Iterator[str]: ...
    def close(self) -> None: ...


class Chat(Protocol):
    def chat(self, messages: Sequence[Message], *, max_tokens: int | None = ..., temperature: float | None = ..., model: str | None = ..., extra: dict[str, Any] | None = ...) -> Stream: ...


CAUSE, FIX = "**Cause:**", "**Fix:**"
#: The follow-up is not worth starting with fewer tokens left than this.
MIN_TOKENS = 24


def needs_fix(answer: Answer) -> bool:
    """The model finished on its own (not cut by ``max_tokens``) after a Cause and before any Fix."""
    return answer.finish_reason == "stop" and CAUSE in answer.text and FIX not in answer.text


class FollowUpStream:
    """The answer to ``messages``; if it :func:`needs_fix`, one continuation from ``**Fix:**``."""

    def __init__(self, client: Chat, messages: Sequence[Message], max_tokens: int | None, **options: Any) -> None:
        self._client = client
        self._messages = list(messages)
        self._max_tokens = max_tokens
        self._options = options
        self._current: Stream = client.chat(messages, max_tokens=max_tokens, **options)
        self.answer = Answer()
        self.followed = False  # whether the continuation was asked for

    @property
    def _response(self) -> Any:  # the part being read now (the stall watchdog shuts its socket)
        return self._current._response

    def __enter__(self) -> "FollowUpStream":
        self._current.__enter__()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if exc_type is not None and issubclass(exc_type, KeyboardInterrupt):
            self.answer.interrupted = True
        self._current.__exit__(exc_type, exc, tb)

    def close(self) -> None:
        self._current.close()

    def __iter__(self) -> Iterator[str]:
        first = self._current
        for delta in first:
            self._add(delta)
            yield delta
        self._merge(first.answer)
        used = (first.answer.timings or {}).get("predicted_n") or first.answer.chunks
        left = None if self._max_tokens is None else self._max_tokens - int(used or 0)
        if not needs_fix(self.answer) or (left is not None and left < MIN_TOKENS):
            return
        prefill = self.answer.text.rstrip() + "\n\n" + FIX
        first.close()
        self.followed = True
        self._current = self._client.chat([*self._messages, {"role": "assistant", "content": prefill}], max_tokens=left, **self._options)
        self._current.__enter__()
        joint = prefill[len(self.answer.text) :]
        self.answer.text = prefill
        yield joint
        echo = prefill  # llama-server sends the prefill back at the start of its first delta
        for delta in self._current:
            if delta and echo:
                delta, echo = _without_echo(delta, echo)
            self.answer.text += delta
            yield delta  # "" too (the echoed prefill, a reasoning piece): the model is working, the reader ticks
        self._merge(self._current.answer, add_tokens=True)

    def _add(self, delta: str) -> None:
        self.answer.text += delta
        self.answer.chunks += 1

    def _merge(self, part: Answer, add_tokens: bool = False) -> None:
        answer = self.answer
        answer.finish_reason = part.finish_reason
        answer.usage = part.usage or answer.usage
        if part.timings:
            if add_tokens and answer.timings:
                merged = dict(part.timings)
                merged["predicted_n"] = (answer.timings.get("predicted_n") or 0) + (part.timings.get("predicted_n") or 0)
                merged["prompt_n"] = answer.timings.get("prompt_n", part.timings.get("prompt_n"))
                answer.timings = merged
            else:
                answer.timings = part.timings
        if add_tokens:
            answer.chunks += part.chunks


def _without_echo(delta: str, echo: str) -> tuple[str, str]:
    """``delta`` less the part of ``echo`` it repeats, and what of ``echo`` is still to come.

    A server that does not echo the prefill (its first delta is not a prefix of it) ends the check."""
    if echo.startswith(delta):
        return "", echo[len(delta) :]
    if delta.startswith(echo):
        return delta[len(echo) :], ""
    return delta, ""
