"""An answer that stops after its Cause gets its Fix (answer/followup.py).

The mechanics are fed as bytes (httpx.MockTransport: a model cannot be made to stop after its Cause on
demand); what they rely on from llama.cpp, that a final assistant message is continued and sent back
at the start of the stream, is checked against the real llama-server.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kernel_fixtures import llama_env  # noqa: F401 - fixture
from llama_nb.config import LlamaNB
from llama_nb.answer import prompts
from llama_nb.kernel.client import LlamaClient
from llama_nb.kernel.embedded import EmbeddedBackend
from llama_nb.answer.followup import FIX, FollowUpStream, _without_echo


def _sse(deltas: list[str], finish: str, predicted: int) -> bytes:
    out = [f"data: {json.dumps({'choices': [{'index': 0, 'delta': {'content': d}, 'finish_reason': None}]})}\n\n" for d in deltas]
    out.append("data: " + json.dumps({"choices": [{"index": 0, "delta": {}, "finish_reason": finish}],
                                      "timings": {"predicted_n": predicted, "prompt_n": 7}}) + "\n\n")
    out.append("data: [DONE]\n\n")
    return "".join(out).encode()


class Server:
    """Answers the first request with ``first``; a follow-up with ``echo`` (or not) plus ``more``."""

    def __init__(self, first: list[str], more: list[str], finish: str = "stop", echo: bool = True) -> None:
        self.first, self.more, self.finish, self.echo = first, more, finish, echo
        self.requests: list[dict[str, Any]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        self.requests.append(body)
        if len(self.requests) == 1:
            return httpx.Response(200, content=_sse(self.first, self.finish, len(self.first)))
        prefill = body["messages"][-1]["content"]
        deltas = [prefill + self.more[0], *self.more[1:]] if self.echo else self.more
        return httpx.Response(200, content=_sse(deltas, "stop", len(self.more)))

    def client(self) -> LlamaClient:
        client = LlamaClient("http://127.0.0.1:9")
        client._http = httpx.Client(transport=httpx.MockTransport(self))
        return client


QUESTION = prompts.explain_error("Traceback (most recent call last):\nKeyError: 'a'", "d = {}\nd['a']")


def _read(server: Server, max_tokens: int = 200) -> tuple[FollowUpStream, str]:
    with FollowUpStream(server.client(), QUESTION, max_tokens, temperature=0) as stream:
        shown = "".join(stream)
    return stream, shown


@pytest.mark.parametrize("echo", [True, False])
def test_an_answer_that_stops_after_its_cause_is_continued_from_fix(echo: bool) -> None:
    server = Server(["**Cause:** `d` has no key ", "'a'."], [" use `.get`:\n```python\n", "d.get('a')\n```"], echo=echo)
    stream, shown = _read(server)
    want = "**Cause:** `d` has no key 'a'.\n\n**Fix:** use `.get`:\n```python\nd.get('a')\n```"
    assert shown == want and stream.answer.text == want and stream.followed
    first, follow = server.requests
    assert follow["messages"][:-1] == first["messages"] == QUESTION
    assert follow["messages"][-1] == {"role": "assistant", "content": "**Cause:** `d` has no key 'a'.\n\n" + FIX}
    assert (first["max_tokens"], follow["max_tokens"]) == (200, 198)  # what the first part left
    assert stream.answer.timings is not None and stream.answer.timings["predicted_n"] == 4
    assert stream.answer.finish_reason == "stop"


@pytest.mark.parametrize("first, finish", [
    (["**Cause:** x.\n\n**Fix:** y"], "stop"),     # a whole answer
    (["**Cause:** a long cause"], "length"),        # cut by max_tokens: no room to go on
    (["Something else entirely."], "stop"),        # not the explain form
])
def test_no_follow_up_when_the_answer_is_whole_or_cut(first: list[str], finish: str) -> None:
    server = Server(first, ["never"], finish=finish)
    stream, shown = _read(server)
    assert shown == "".join(first) and len(server.requests) == 1 and not stream.followed


def test_no_follow_up_without_room_for_it() -> None:
    server = Server(["**Cause:**"] + [" word"] * 190, ["never"])
    stream, _ = _read(server, max_tokens=200)
    assert len(server.requests) == 1 and not stream.followed


@given(text=st.text(max_size=30), cuts=st.lists(st.integers(0, 30), max_size=5), extra=st.text(max_size=10))
@settings(max_examples=200, deadline=None)
def test_the_echoed_prefill_is_dropped_however_the_deltas_are_cut(text: str, cuts: list[int], extra: str) -> None:
    echo = "**Cause:** x\n\n**Fix:**"
    sent = echo + text
    points = sorted({min(c, len(sent)) for c in cuts} | {0, len(sent)})
    deltas = [sent[a:b] for a, b in zip(points, points[1:])]
    out, left = [], echo
    for d in deltas:
        if left:
            d, left = _without_echo(d, left)
        out.append(d)
    assert "".join(out) == text


def test_the_explain_prompt_is_recognised_and_no_other() -> None:
    assert prompts.asks_cause_and_fix(QUESTION)
    assert not prompts.asks_cause_and_fix(prompts.ask("hi")) and not prompts.asks_cause_and_fix(prompts.fix("x", "tb"))


def test_llama_server_continues_a_final_assistant_message_and_sends_it_back(llama_env: Path) -> None:
    """What FollowUpStream relies on, on the real llama-server: the prefill is continued, not answered
    as a finished turn, and the stream starts with it."""
    cfg = LlamaNB()
    backend = EmbeddedBackend(cfg.all_profiles(), cfg.settings(), cfg.default_profile)
    try:
        _, conn = backend.ensure(None)
        client = LlamaClient(conn.url, conn.api_key)
        prefill = "**Cause:** the key 'a' is missing.\n\n" + FIX
        messages = [*prompts.ask("Why does {}['a'] fail?"), {"role": "assistant", "content": prefill}]
        with client.chat(messages, max_tokens=8, temperature=0) as raw:
            deltas = list(raw)
        assert deltas and deltas[0].startswith(prefill), deltas[:2]
        with FollowUpStream(client, QUESTION, 8, temperature=0) as stream:
            shown = "".join(stream)
        assert shown == stream.answer.text and stream.answer.text.strip()
        client.close()
    finally:
        backend.close()
