"""The one chat-stream reader (llama_nb.sse): bytes as llama-server writes them, cut at any point.

These are parser tests over byte streams (httpx.MockTransport), not a stand-in server: the chat
client and the CLI are tested against the real llama-server in test_kernel_backends.py and
test_cli.py. What a real server cannot be made to send on demand here (an ``error:`` line in the
middle of an answer, an answer holding U+2028) is fed as bytes.
"""

from __future__ import annotations

import json
from typing import Iterator

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llama_nb.kernel.client import ChatHTTPError as HTTPError, LlamaClient, StreamBroken
from llama_nb.sse import ChatItem, iter_chat_lines, iter_events, sse_lines


def _chunk(content: str, finish: str | None = None) -> dict:
    return {"choices": [{"index": 0, "delta": {"content": content}, "finish_reason": finish}], "object": "chat.completion.chunk"}


def _llama_stream(deltas: list[str], newline: str = "\n", comments: bool = False) -> str:
    """A chat stream as llama-server writes it (raw UTF-8 JSON, a blank line after each event)."""
    out = []
    for i, delta in enumerate(deltas):
        if comments and i % 2:
            out.append(f": keep-alive{newline}{newline}")
        out.append(f"data: {json.dumps(_chunk(delta), ensure_ascii=False)}{newline}{newline}")
    out.append(f"data: {json.dumps(_chunk('', 'stop'))}{newline}{newline}data: [DONE]{newline}{newline}")
    return "".join(out)


def _cut(text: str, cuts: list[int]) -> list[str]:
    points = sorted({min(c, len(text)) for c in cuts} | {0, len(text)})
    return [text[a:b] for a, b in zip(points, points[1:])]


# Text a model may answer with, line and paragraph separators included (str.splitlines and httpx's
# iter_lines cut a line at U+2028, U+0085, \x0b, \x0c... ; SSE cuts only at \r\n, \r and \n).
answer_text = st.lists(st.text(st.characters(codec="utf-8"), max_size=4)
                       | st.sampled_from(["\u2028", "\u2029", "\x85", "\x0c", "\r", "\n", "\r\n", "{", "}", "data: x", "\n\ndata: [DONE]\n\n"]),
                       max_size=5).map("".join)


@given(deltas=st.lists(answer_text, max_size=8), newline=st.sampled_from(["\n", "\r\n", "\r"]),
       comments=st.booleans(), cuts=st.lists(st.integers(0, 4000), max_size=12))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_every_delta_arrives_intact_however_the_stream_is_cut(deltas, newline, comments, cuts) -> None:
    text = _llama_stream(deltas, newline, comments)
    items = list(iter_chat_lines(sse_lines(_cut(text, cuts))))
    assert items[-1] == ChatItem("done")
    got = [c["choices"][0]["delta"]["content"] for c in (i.body for i in items[:-1])]
    assert got == [*deltas, ""]


def test_errors_in_the_stream_are_error_items() -> None:
    lines = list(sse_lines(['data: {"choices": []}\n\n',
                            'error: {"code": 500, "message": "slot failed", "type": "server_error"}\n\n',
                            'event: error\ndata: {"message": "boom"}\n\n',
                            'data: {"error": {"message": "in the data"}}\n\n',
                            "error: not json\n\n", "data: not json either\n\n", ": comment\n\n", "data: [DONE]\n\n",
                            'data: {"after": "done"}\n\n']))
    items = list(iter_chat_lines(lines))
    assert items == [
        ChatItem("chunk", {"choices": []}),
        ChatItem("error", {"code": 500, "message": "slot failed", "type": "server_error"}),
        ChatItem("error", {"message": "boom"}),
        ChatItem("error", {"error": {"message": "in the data"}}),
        ChatItem("error", "not json"),
        ChatItem("done"),
    ]


def test_a_last_event_without_its_blank_line_still_counts() -> None:
    items = list(iter_chat_lines(sse_lines(['data: {"choices": []}\r\n\r\ndata: {"a": 1}\r'])))
    assert items == [ChatItem("chunk", {"choices": []}), ChatItem("chunk", {"a": 1})]


# -- through the chat client (the kernel's), over bytes ----------------------------------------------


def _client(body: bytes | list[bytes], content_type: str = "text/event-stream") -> LlamaClient:
    parts = [body] if isinstance(body, bytes) else body

    def stream() -> Iterator[bytes]:
        yield from parts

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-type": content_type}, content=stream())

    client = LlamaClient("http://127.0.0.1:9")
    client._http = httpx.Client(transport=httpx.MockTransport(handler))
    return client


def test_client_keeps_line_separators_inside_an_answer() -> None:
    deltas = ["a\u2028b", "c\x85d", "e\u2029f", "\x0c"]
    raw = _llama_stream(deltas).encode()
    answer = _client([raw[i:i + 7] for i in range(0, len(raw), 7)]).complete([{"role": "user", "content": "hi"}])
    assert answer.text == "".join(deltas)
    assert answer.finish_reason == "stop"


def test_client_turns_an_error_line_into_an_http_error_with_its_message() -> None:
    raw = (_llama_stream(["partial "]).split("data: {")[0] + 'data: {"choices":[{"delta":{"content":"so far"}}]}\n\n'
           + 'error: {"code": 500, "message": "the slot died", "type": "server_error"}\n\n').encode()
    with pytest.raises(HTTPError, match="the slot died") as info:
        _client(raw).complete([{"role": "user", "content": "hi"}])
    assert info.value.status_code == 500


def test_client_says_when_the_answer_ends_early() -> None:
    raw = b'data: {"choices":[{"delta":{"content":"half an ans"}}]}\n\n'
    with pytest.raises(StreamBroken) as info:
        _client(raw).complete([{"role": "user", "content": "hi"}])
    assert info.value.partial == "half an ans"


# -- the server extension's events: httpx-sse ------------------------------------------------------


def test_events_are_read_with_httpx_sse() -> None:
    body = b': llama-nb status events\n\ndata: {"profile": "default", "state": "ready"}\n\n: keep-alive\n\ndata: {"a":\n'
    response = httpx.Response(200, headers={"content-type": "text/event-stream; charset=utf-8"}, content=body)
    assert [e.json() for e in iter_events(response)] == [{"profile": "default", "state": "ready"}]
