"""A model that reasons before it answers is working, not stalled (kernel/client.py ``ChatStream``).

llama-server (``--reasoning-format``) and other endpoints stream a reasoning model's thinking as
``reasoning_content`` (or ``reasoning``) deltas with no ``content``. Those are not shown, but each one ticks the
stall watchdog, so a reasoning longer than the stall timeout is not cut as a hung server. The endpoint is the
scripted STAND-IN (tests/standins/scripted_model.py): no catalogue model reasons.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Iterator

import pytest

sys.path.insert(0, str(Path(__file__).parent / "standins"))
from kernel_fixtures import ANSWER_MIME, Shell, ipshell, llama_env  # noqa: E402,F401 - fixtures
from scripted_model import ScriptedModel  # noqa: E402

from llama_nb.kernel import watchdog as watchdog_module  # noqa: E402
from llama_nb.kernel.client import AnswerStalled, LlamaClient  # noqa: E402
from llama_nb.kernel.watchdog import StallWatchdog  # noqa: E402

ANSWER = "**Cause:** the name `x` is not defined.\n\n**Fix:** define it:\n```python\nx = 1\n```"


@pytest.fixture
def model() -> Iterator[ScriptedModel]:
    m = ScriptedModel([ANSWER]).start()
    try:
        yield m
    finally:
        m.released.set()
        m.stop()


def test_reasoning_longer_than_the_stall_timeout_is_not_a_stall(model: ScriptedModel) -> None:
    model.answers = [{"think": 2.5, "every": 0.2, "text": ANSWER}]
    client = LlamaClient(model.url + "/v1")
    try:
        with client.chat([{"role": "user", "content": "why?"}], max_tokens=50) as stream:
            deltas = list(stream)
        assert "".join(deltas) == ANSWER and stream.answer.text == ANSWER
        assert deltas.count("") >= 5, "each reasoning piece is an empty delta (something for a reader to tick on)"
        assert stream.answer.extra["reasoning_chars"] >= 5 * len("hmm, ")
        # Read as the magic reads (a tick per delta), with the first token allowed no longer than any other:
        # 2.5 s of reasoning, a piece every 0.2 s, is never 1 s without a tick.
        with client.chat([{"role": "user", "content": "why?"}], max_tokens=50) as stream:
            with StallWatchdog(stream, 1.0, first_token_timeout=1.0) as dog:
                for _ in stream:
                    dog.tick()
        assert dog.fired is None and stream.answer.text == ANSWER
    finally:
        client.close()


def test_silence_after_the_reasoning_started_is_still_a_stall(model: ScriptedModel) -> None:
    # The control: reasoning that stops (one piece, then nothing) is cut at the stall timeout, as tokens that stop are.
    model.answers = [{"think": 0.1, "every": 30.0, "text": ANSWER}]
    client = LlamaClient(model.url + "/v1")
    try:
        with pytest.raises(AnswerStalled, match="no token for 1 s"):
            client.complete([{"role": "user", "content": "why?"}], max_tokens=50, stall_timeout=1.0)
    finally:
        client.close()


def test_through_the_magic_a_reasoning_model_answers_and_its_first_token_is_the_answers(ipshell: Shell, model: ScriptedModel,
                                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LLAMA_NB_URL", model.url + "/v1")
    # The first token allowed no longer than any other (it is 60 s at least): without a tick per reasoning
    # piece, the 2.5 s of reasoning would be cut at 1 s.
    monkeypatch.setattr(watchdog_module, "first_token_allowance", lambda stall: stall)
    model.answers = [{"think": 2.5, "every": 0.2, "text": ANSWER}]
    ipshell.run("%config LlamaNB.stall_timeout = 1")  # %config outlives the test in this shell: set back below
    try:
        run = ipshell.run("%llama ask why is the sky blue?")
    finally:
        ipshell.run("%config LlamaNB.stall_timeout = 20")
    done = [o["data"][ANSWER_MIME] for o in run.answer_updates if o["data"][ANSWER_MIME].get("done")]
    assert done and "define it" in run.final_answer, run.text()
    assert "stalled" not in run.text().lower() and "no token" not in run.text()
    from llama_nb.kernel.magics import current

    record = current(ipshell.ip).last
    assert record.first_token is not None and record.first_token - record.started >= 2.0, "the first token is the answer's, not a reasoning piece"
