"""Explain's prompt evaluated while the user reads the traceback (kernel/warmup.py).

On the real llama-server: after an error, the explain that follows has (nearly) nothing left to
evaluate (``prompt_n`` in llama-server's own timings), and without the warm-up it has the whole
error to evaluate. Around it: never a server started for it, never a remote endpoint, a dead or
silent server costs nothing but a bounded wait, and nothing is left running.
"""

from __future__ import annotations

import socket
import time
from pathlib import Path

from helpers import HungServer, wait_for
from kernel_fixtures import Shell, ipshell, llama_env, servers_for_state  # noqa: F401 - fixtures
from llama_nb.kernel.warmup import ExplainWarmup

FAILING = "ages = {'ada': 36, 'alan': 41}\nages['Ada']"
OTHER = "xs = [1, 2, 3]\nxs[3]"
MESSAGES = [{"role": "user", "content": "explain this"}]


def _explain_prompt_n(ipshell: Shell) -> int:
    run = ipshell.run("%llama explain --max-tokens 4")
    record = ipshell.session.last
    assert record.answer is not None, f"the explain gave no answer: {run.text}"
    return int(record.answer.timings["prompt_n"])


def test_an_explain_after_an_error_finds_its_prompt_already_evaluated(ipshell: Shell) -> None:
    session = ipshell.session
    ipshell.run("%llama ask Say hi. --max-tokens 2")  # the default profile's server answers once
    assert session.last.answer is not None

    ipshell.run(FAILING)
    wait_for(lambda: session.warmup.sent == 1, 60, "the error's explain prompt to be evaluated in the background")
    warmed = _explain_prompt_n(ipshell)
    assert warmed <= 2, f"the explain evaluated {warmed} new tokens: the warm-up's cache was not used"

    ipshell.run("%config LlamaNB.warm_explain = False")
    ipshell.run(OTHER)
    cold = _explain_prompt_n(ipshell)
    assert session.warmup.sent == 1, "warm_explain = False still sent a prompt ahead"
    assert cold > 20, f"without the warm-up the new error should be evaluated by the explain itself (prompt_n {cold})"


def test_an_explain_asked_at_once_waits_for_the_same_evaluation_instead_of_doubling_it(ipshell: Shell) -> None:
    session = ipshell.session
    ipshell.run("%llama ask Say hi. --max-tokens 2")
    ipshell.run(FAILING)
    prompt_n = _explain_prompt_n(ipshell)  # no wait: the warm-up is in flight or done
    # Either the warm-up had started (the explain waited for it and evaluated nothing) or it had not
    # (it was dropped and the explain evaluated the prompt itself): never both.
    outcome = (session.warmup.sent, prompt_n <= 2)
    assert outcome in {(0, False), (1, True)}, f"warm-ups sent {outcome[0]}, the explain evaluated {prompt_n} tokens"


def test_no_server_is_started_for_a_warm_up(ipshell: Shell, llama_env: Path) -> None:
    ipshell.run(FAILING)
    ipshell.run("x = 1")  # give a (wrong) background start the chance to show
    assert session_sent(ipshell) == 0
    assert not servers_for_state(llama_env), "an error started llama-server: only a prompt may"


def session_sent(ipshell: Shell) -> int:
    return ipshell.session.warmup.sent


def test_a_remote_or_non_loopback_endpoint_is_never_sent_a_prompt_ahead() -> None:
    server = HungServer()
    try:
        warmup = ExplainWarmup(read_timeout=2)
        warmup.use(f"http://127.0.0.1:{server.port}", "key", remote=True)
        warmup.offer(MESSAGES)
        warmup.use(f"http://10.0.0.7:{server.port}", "key", remote=False)
        warmup.offer(MESSAGES)
        assert not warmup.armed
        assert not server.accepted.wait(0.3), "a prompt was sent ahead to a remote endpoint"  # the negative: bounded
        warmup.close()
    finally:
        server.close()


def test_a_dead_server_is_forgotten_and_a_silent_one_costs_a_bounded_wait() -> None:
    warmup = ExplainWarmup(read_timeout=3)
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        dead = free.getsockname()[1]
    warmup.use(f"http://127.0.0.1:{dead}", "", remote=False)
    warmup.offer(MESSAGES)
    wait_for(lambda: warmup._target is None, 10, "a refused connection to forget the server")
    t0 = time.monotonic()
    warmup.before_prompt(MESSAGES, f"http://127.0.0.1:{dead}", 5)
    assert time.monotonic() - t0 < 1

    server = HungServer()
    try:
        url = f"http://127.0.0.1:{server.port}"
        warmup.use(url, "", remote=False)
        warmup.offer(MESSAGES)
        assert server.accepted.wait(10), "the warm-up never connected"
        t0 = time.monotonic()
        warmup.before_prompt(MESSAGES, url, 0.5)  # the same prompt: waits, but not past its bound
        assert time.monotonic() - t0 < 3
        warmup.close()
        thread = warmup._thread
        assert thread is not None
        thread.join(10)
        assert not thread.is_alive(), "the warm-up thread outlived close() and its read timeout"
    finally:
        server.close()
