"""Reading server-sent events: httpx-sse where the stream is standard, one reader where it is not.

* The server extension's ``GET events`` is standard SSE: read it with :func:`iter_events`
  (httpx-sse's ``EventSource``).
* A chat completion stream from llama-server (or any OpenAI-compatible endpoint) is SSE too, but
  llama-server reports an error in the middle of an answer with a non-standard ``error: {json}``
  field, which a standard reader (httpx-sse included) must ignore. :func:`iter_chat` is the one
  reader for those streams (the kernel's chat client and the ``llama-nb`` CLI both use it): it
  follows the SSE rules (lines end at ``\\r\\n``, ``\\r`` or ``\\n`` only, so an answer holding
  U+2028 or U+0085 is not cut; ``data`` lines are joined; comments are skipped) and also turns the
  ``error`` field, an ``event: error`` and a ``{"error": ...}`` payload into an error item.

Nothing here waits on its own: each read blocks in httpx, under the client's read timeout, and the
caller closes the response to stop it (a kernel interrupt, the stall watchdog).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Literal

import httpx
from httpx_sse import EventSource, ServerSentEvent

__all__ = ["ChatItem", "ServerSentEvent", "iter_chat", "iter_chat_lines", "iter_events", "parse_body", "sse_lines"]


def iter_events(response: httpx.Response) -> Iterator[ServerSentEvent]:
    """The events of a standard SSE response (httpx-sse; a wrong Content-Type raises ``httpx_sse.SSEError``)."""
    return EventSource(response).iter_sse()


@dataclass(frozen=True)
class ChatItem:
    """One item of a chat stream: a JSON ``chunk``, an ``error`` (its body), or ``done`` (``data: [DONE]``)."""

    kind: Literal["chunk", "error", "done"]
    body: Any = None


def sse_lines(chunks: Iterable[str]) -> Iterator[str]:
    """Lines of an event stream, split at ``\\r\\n``, ``\\r`` and ``\\n`` only (the SSE rule, unlike ``str.splitlines``)."""
    buffer = ""
    for text in chunks:
        if not text:
            continue
        buffer += text
        start = 0
        while True:
            cr, lf = buffer.find("\r", start), buffer.find("\n", start)
            if cr < 0 and lf < 0:
                break
            if cr < 0 or (0 <= lf < cr):
                yield buffer[start:lf]
                start = lf + 1
            elif cr == len(buffer) - 1:
                break  # a lone \r at the end may be the first half of \r\n: wait for the next chunk
            else:
                yield buffer[start:cr]
                start = cr + 2 if buffer[cr + 1] == "\n" else cr + 1
        buffer = buffer[start:]
    if buffer.endswith("\r"):
        buffer = buffer[:-1]
        yield buffer
    elif buffer:
        yield buffer


def iter_chat(response: httpx.Response) -> Iterator[ChatItem]:
    """The items of a streamed chat completion (see the module's docstring)."""
    return iter_chat_lines(sse_lines(response.iter_text()))


def iter_chat_lines(lines: Iterable[str]) -> Iterator[ChatItem]:
    """:func:`iter_chat` over lines already split (the reader's core; tests feed it directly)."""
    data: list[str] = []
    error: list[str] = []
    event = ""
    for line in lines:
        if line:
            if line.startswith(":"):
                continue  # a comment (keep-alive)
            field, _, value = line.partition(":")
            if value.startswith(" "):
                value = value[1:]
            if field == "data":
                data.append(value)
            elif field == "error":  # llama-server's own field, not in the SSE standard
                error.append(value)
            elif field == "event":
                event = value
            continue
        item = _dispatch(data, error, event)
        data, error, event = [], [], ""
        if item is not None:
            yield item
            if item.kind == "done":
                return
    # The stream ended without the blank line after its last event: what arrived still counts.
    item = _dispatch(data, error, event)
    if item is not None:
        yield item


def _dispatch(data: list[str], error: list[str], event: str) -> ChatItem | None:
    if error:
        return ChatItem("error", parse_body("\n".join(error)))
    if not data:
        return None
    raw = "\n".join(data)
    if raw.strip() == "[DONE]":
        return ChatItem("done")
    if event == "error":
        return ChatItem("error", parse_body(raw))
    try:
        chunk = json.loads(raw)
    except ValueError:
        return None  # not JSON: nothing a chat client can use
    if not isinstance(chunk, dict):
        return None
    if "error" in chunk:
        return ChatItem("error", chunk)
    return ChatItem("chunk", chunk)


def parse_body(raw: str | bytes) -> dict[str, Any] | str:
    """An error body: its JSON object, else its text (at most 2,000 characters)."""
    text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
    try:
        data = json.loads(text)
    except ValueError:
        return text.strip()[:2000]
    return data if isinstance(data, dict) else str(data)
