"""``%llama`` end to end: a real IPython shell and real kernels (nbclient), a real llama-server and model.

A 135M model's words are not asserted on; the structure is: a non-empty streamed Markdown answer,
the exact prompt that was sent, the card and its numbers, the notes.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import httpx
import psutil
import pytest

from kernel_fixtures import (  # noqa: F401
    CTX,
    collect_reply,
    connect_kernel,
    LONG_PROMPT,
    RemoteServer,
    Shell,
    answer_of,
    cards_of,
    has_traceback,
    ipshell,
    live_kernel,
    llama_env,
    notes_of,
    remote_server,
    servers_for_state,
    small_ctx_server,
    wait_for,
)
from llama_nb.kernel.display import ANSWER_MIME, NOTE_MIME

BRACES = '''data = {"a": 1, "b": 2}
squares = {k: v ** 2 for k, v in data.items()}
print(f"{squares!r} {{not a field}} ${HOME}")'''


def _sent(shell: Shell) -> str:
    """The user message of the last prompt, exactly as sent to the server."""
    return shell.session.last.messages[-1]["content"]


# --------------------------------------------------------------------------------------------------
# In-process IPython shell
# --------------------------------------------------------------------------------------------------


def test_explain_body_streams_markdown_and_keeps_braces(ipshell: Shell) -> None:
    run = ipshell.run(f"%%llama explain --max-tokens 40\n{BRACES}")
    assert run.result.success and not run.cards
    assert BRACES in _sent(ipshell)
    # A %%llama cell owns its output: the answer streamed as plain-text deltas, then was rendered once.
    (answer,) = run.answer_updates
    assert answer["data"][ANSWER_MIME]["done"] and "text/html" in answer["data"]
    assert ipshell.session.last.answer.chunks > 2, "the answer should have streamed"
    assert run.final_answer.strip()
    assert ipshell.user_ns["_llama"] == run.final_answer
    timings = ipshell.session.last.answer.timings
    assert timings and timings["predicted_n"] >= 1


def test_line_magic_is_not_interpolated_and_out_var(ipshell: Shell) -> None:
    ipshell.user_ns.update(x="EXPANDED", y="EXPANDED")
    run = ipshell.run("%llama ask --max-tokens 8 -o reply what is {x} and $y in {'k': 1}?")
    assert run.result.success and not run.cards
    assert _sent(ipshell) == "what is {x} and $y in {'k': 1}?"
    assert isinstance(ipshell.user_ns["reply"], str) and ipshell.user_ns["reply"].strip()
    assert ipshell.user_ns["reply"] == ipshell.user_ns["_llama"]


def test_question_mark_is_a_question_not_ipython_help(ipshell: Shell) -> None:
    """IPython reads a line ending in ``name?`` as object help; a %llama question must still be asked."""
    run = ipshell.run("%llama ask --max-tokens 8 -o q What is a tuple in Python?")
    assert run.result.success and not run.cards
    assert _sent(ipshell) == "What is a tuple in Python?"
    assert ipshell.user_ns["q"].strip()


def test_explain_last_exception_then_previous_cell(ipshell: Shell) -> None:
    ipshell.run("values = [1, 2, 3]\ntotal = sum(values)")
    run = ipshell.run("%llama explain --max-tokens 16")
    assert "total = sum(values)" in _sent(ipshell), "with no exception: the previous cell"
    assert run.final_answer.strip()

    failing = "ratios = {k: 1 / v for k, v in {'a': 0}.items()}"
    assert not ipshell.run(failing).result.success
    ipshell.run("unrelated = 1")
    run = ipshell.run("%llama explain --max-tokens 24")
    sent = _sent(ipshell)
    assert failing in sent and "ZeroDivisionError: division by zero" in sent and "Traceback" in sent
    assert "interactiveshell.py" not in sent
    assert run.final_answer.strip() and not run.cards

    run = ipshell.run("%llama fix --max-tokens 24")
    sent = _sent(ipshell)
    assert failing in sent and "ZeroDivisionError" in sent and "corrected code" in sent
    assert run.final_answer.strip()


def test_fix_cell_body(ipshell: Shell) -> None:
    body = "def mean(xs):\n    return sum(xs) / len(xs\n"
    run = ipshell.run(f"%%llama fix --max-tokens 32 -o fixed\n{body}")
    assert body.strip() in _sent(ipshell) and "```python" in _sent(ipshell)
    assert ipshell.user_ns["fixed"].strip() and run.final_answer.strip()


def test_prompt_over_the_context_shows_card_and_restarts_nothing(ipshell: Shell) -> None:
    ipshell.run("%llama ask --max-tokens 4 hi")
    before = ipshell.session.backend.status(None)
    long_body = "x = 1  # padding\n" * 400
    run = ipshell.run(f"%%llama explain --max-tokens 64\n{long_body}")
    assert run.result.success and not run.answer_updates
    (card,) = run.cards
    assert card["kind"] == "context_exceeded"
    n_prompt = ipshell.session.last.card.evidence[0].split()[1]
    assert int(n_prompt) > CTX
    assert f"{n_prompt} tokens" in card["what_happened"] and f"{CTX} tokens" in card["what_happened"]
    assert card["what_you_can_do"] and card["what_tried"]
    after = ipshell.session.backend.status(None)
    assert (after.pid, after.restarts) == (before.pid, before.restarts)
    # The mimebundle has all three renderings.
    bundle = next(o["data"] for o in run.outputs if "text/html" in o["data"])
    assert {"text/plain", "text/markdown", "text/html"} <= set(bundle)


def test_server_commands_and_failures_end_in_cards(ipshell: Shell) -> None:
    for line in ("%llama help", "%llama", "%llama models", "%llama status", "%llama logs -n 3", "%llama doctor"):
        run = ipshell.run(line)
        assert run.result.success and run.text().strip(), line
    assert "%%llama explain" in ipshell.run("%llama help").text()

    run = ipshell.run("%llama start --ctx 512")
    assert run.notes and "512 tokens" in run.notes[0]["text"]
    assert "512" in ipshell.run("%llama status").text()
    logs = ipshell.run("%llama logs -n 5").text()
    assert logs.strip()
    run = ipshell.run("%llama stop")
    assert run.notes[0]["text"].endswith("stopped.")
    assert ipshell.run("%llama status").text().count("stopped")

    # Even a bug inside llama-nb ends in a card.
    session = ipshell.session
    original = session.backend.status
    session.backend.status = lambda profile: (_ for _ in ()).throw(RuntimeError("simulated bug"))
    try:
        run = ipshell.run("%llama status")
    finally:
        session.backend.status = original
    assert run.result.success and run.cards[0]["kind"] == "internal_error" and "simulated bug" in run.cards[0]["what_happened"]

    run = ipshell.run("%llama ask --no-stream --max-tokens 4 hi")
    (answer,) = run.answer_updates
    assert answer["data"][ANSWER_MIME]["done"] and not answer["update"] and run.final_answer.strip()

    run = ipshell.run("%llama ask --max-tokens nope hi")
    assert run.result.success and run.cards[0]["kind"] == "usage"
    run = ipshell.run("%llama ask -m nosuch hi")
    assert run.result.success and run.cards[0]["kind"] == "bad_config" and "nosuch" in run.cards[0]["what_happened"]
    ipshell.run('%config LlamaNB.profiles = {"odd": {"bogus_key": 1}}')
    run = ipshell.run("%llama ask hi")
    assert run.result.success and run.cards[0]["kind"] == "bad_config" and "bogus_key" in run.cards[0]["what_happened"]
    ipshell.run("%config LlamaNB.profiles = {}")
    run = ipshell.run("%llama ask --max-tokens 4 hi")
    assert run.result.success and not run.cards and run.final_answer.strip()

    # %reload_ext (the fix an internal-error card offers) gives a fresh session that works.
    old_session = ipshell.session
    assert ipshell.run("%reload_ext llama_nb").result.success
    assert ipshell.session is not old_session and old_session._closed
    run = ipshell.run("%llama ask --max-tokens 4 hi")
    assert not run.cards and run.final_answer.strip()


def test_option_spellings_reach_the_backend_and_bad_values_are_usage_cards(ipshell: Shell) -> None:
    for line in ("%llama logs -n 99999", "%llama logs -n -5", "%llama logs -n=0", "%llama logs -n lots",
                 "%llama start --cpu=maybe", "%llama ask --model= hi"):
        run = ipshell.run(line)
        assert run.result.success and [c["kind"] for c in run.cards] == ["usage"], line
    # -mNAME is the profile, not the prompt: an unknown one is a bad_config card naming it.
    run = ipshell.run("%llama ask -mnosuch hi")
    assert run.result.success and run.cards[0]["kind"] == "bad_config" and "nosuch" in run.cards[0]["what_happened"]
    backend = ipshell.session.backend
    calls: list[tuple] = []
    original = backend.start
    backend.start = lambda *args: (calls.append(args), original(*args))[1]  # type: ignore[method-assign]
    try:
        run = ipshell.run("%llama start --cpu=false --ctx=512 -mdefault")
    finally:
        backend.start = original  # type: ignore[method-assign]
    assert run.result.success and not run.cards, run.cards
    assert calls == [("default", 512, False)]
    assert ipshell.run("%llama logs -n5").text().strip()


def test_degraded_context_is_said_once_and_used_for_the_check(ipshell: Shell, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # STAND-IN: a server that runs with half the context it is asked for (cannot happen with the real one).
    monkeypatch.setenv("LLAMA_NB_SERVER", str(small_ctx_server(tmp_path, monkeypatch)))
    ipshell.run("%config LlamaNB.ctx_size = 2048")
    run = ipshell.run("%llama ask --max-tokens 8 Say hello.")
    assert run.final_answer.strip() and not run.cards
    assert [n["kind"] for n in run.notes] == ["degraded"]
    assert "1024 tokens, 2048 were asked for" in run.notes[0]["text"]
    run = ipshell.run("%llama ask --max-tokens 8 Say hello again.")
    assert not run.notes, "the degraded state is said once, not on every prompt"
    # The prompt is checked against the context the server really has.
    run = ipshell.run("%%llama explain --max-tokens 64\n" + "x = 1  # padding\n" * 150)
    (card,) = run.cards
    assert card["kind"] == "context_exceeded" and "1024 tokens" in card["what_happened"]


def test_terminal_shell_streams_plain_text(ipshell: Shell, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    result = ipshell.ip.run_cell("%llama ask --max-tokens 8 Say hello.", store_history=True)
    assert result.success
    out = capsys.readouterr().out
    assert out.strip() and ipshell.user_ns["_llama"].strip() in out


def test_server_killed_mid_answer_keeps_partial_and_recovers(ipshell: Shell) -> None:
    ipshell.run("%llama ask --max-tokens 4 hi")
    pid = ipshell.session.backend.status(None).pid
    session = ipshell.session

    def kill_when_streaming() -> None:
        if session.streaming.wait(60):
            os.kill(pid, signal.SIGKILL)

    killer = threading.Thread(target=kill_when_streaming, daemon=True)
    killer.start()
    run = ipshell.run(f"%llama ask --max-tokens 900 {LONG_PROMPT}")
    killer.join(5)
    assert run.result.success, "no traceback"
    (card,) = run.cards
    assert card["kind"] == "crashed" and card["what_tried"]
    partial = session.last.answer.text
    assert partial.strip() and run.final_answer == partial
    assert ipshell.user_ns["_llama"] == partial

    run = ipshell.run("%llama ask --max-tokens 8 Say hello.")
    assert not run.cards and run.final_answer.strip()
    status = session.backend.status(None)
    assert status.pid != pid and status.restarts >= 1
    assert any("Repaired" in n["text"] or "restarted" in n["text"] for n in run.notes), run.notes


@pytest.mark.parametrize("action", ["stop", "restart"])
def test_a_stop_or_restart_mid_answer_is_said_as_such_not_as_a_crash(ipshell: Shell, action: str) -> None:
    """Another kernel, a panel button or the CLI stops or restarts the shared server while this cell streams:
    the cell keeps its partial answer and says what happened in one line; no 'crashed' card."""
    ipshell.run("%llama ask --max-tokens 4 hi")
    session = ipshell.session
    pid = session.backend.status(None).pid

    def act_when_streaming() -> None:
        if session.streaming.wait(60):
            getattr(session.backend, action)(None)

    actor = threading.Thread(target=act_when_streaming, daemon=True)
    actor.start()
    run = ipshell.run(f"%llama ask --max-tokens 900 {LONG_PROMPT}")
    actor.join(60)
    assert run.result.success and not run.cards, run.cards
    notes = [n for n in run.notes if "on request" in n["text"]]
    assert len(notes) == 1, (run.notes, run.stdout[-300:], session.last.answer.text[-200:] if session.last and session.last.answer else None)
    (note,) = notes
    assert f"llama-server was {action}ped on request" in note["text"] or f"llama-server was {action}ed on request" in note["text"], note
    assert "partial answer" in note["text"] or "nothing had arrived" in note["text"]
    status = session.backend.status(None)
    assert (status.state.value == "stopped") if action == "stop" else (status.pid != pid)
    run = ipshell.run("%llama ask --max-tokens 8 Say hello.")
    assert not run.cards and run.final_answer.strip()


# --------------------------------------------------------------------------------------------------
# Real kernels (nbclient)
# --------------------------------------------------------------------------------------------------


def test_kernel_prompts_and_kill_between_prompts(llama_env: Path) -> None:
    with live_kernel() as kernel:
        cell = kernel.execute(f"%%llama explain --max-tokens 24\n{BRACES}")
        assert not has_traceback(cell) and not cards_of(cell)
        assert answer_of(cell).strip()
        assert BRACES in kernel.value("__import__('llama_nb.kernel.magics').kernel.magics.current().last.messages[-1]['content']")

        kernel.execute("import math\nmath.sqrt(-1)", allow_error=True)
        cell = kernel.execute("%llama explain --max-tokens 16 -o why")
        assert answer_of(cell).strip() and not cards_of(cell)
        sent = kernel.value("__import__('llama_nb.kernel.magics').kernel.magics.current().last.messages[-1]['content']")
        assert "math.sqrt(-1)" in sent and "ValueError: math domain error" in sent
        assert kernel.value("why") == answer_of(cell)

        pid = kernel.value("__import__('llama_nb.kernel.magics').kernel.magics.current().backend.status(None).pid")
        os.kill(pid, signal.SIGKILL)
        cell = kernel.execute("%llama ask --max-tokens 8 Say hello.")
        assert not has_traceback(cell) and not cards_of(cell)
        assert answer_of(cell).strip(), "the prompt after kill -9 is answered"
        notes = [n["text"] for n in notes_of(cell)]
        assert len(notes) == 1 and "killed by SIGKILL" in notes[0] and "restarted" in notes[0], notes
        new_pid = kernel.value("__import__('llama_nb.kernel.magics').kernel.magics.current().backend.status(None).pid")
        assert new_pid != pid
        # kill -9 of the kernel itself leaves no orphan llama-server.
        kernel_pid = kernel.value("__import__('os').getpid()")
        os.kill(kernel_pid, signal.SIGKILL)
        wait_for(lambda: not servers_for_state(llama_env), 15, "no llama-server left after the kernel was killed")


def test_kernel_interrupt_stops_generation(llama_env: Path) -> None:
    with live_kernel() as kernel:
        kernel.execute("%llama ask --max-tokens 4 hi")
        conn = kernel.value(
            "(lambda c: [c.url, c.api_key])(__import__('llama_nb.kernel.magics').kernel.magics.current().backend.ensure(None)[1])"
        )
        kc = kernel.blocking_client()
        msg_id = kc.execute(f"%llama ask --max-tokens 900 {LONG_PROMPT}")
        interrupted_at = None
        notes: list[dict] = []
        deadline = time.monotonic() + 60
        reply = None
        while reply is None:
            assert time.monotonic() < deadline, "the long prompt never streamed or never stopped"
            try:
                msg = kc.get_iopub_msg(timeout=1)
            except Exception:
                continue
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "stream" and interrupted_at is None and msg["content"]["text"].strip():
                interrupted_at = time.monotonic()  # the answer is streaming (as plain-text deltas)
                kernel.interrupt()
            if msg["msg_type"] == "display_data" and NOTE_MIME in msg["content"]["data"]:
                notes.append(msg["content"]["data"][NOTE_MIME])
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                reply = kc.get_shell_msg(timeout=10)
        kc.stop_channels()
        stopped_after = time.monotonic() - interrupted_at
        print(f"interrupt -> idle: {stopped_after * 1000:.0f} ms")
        assert stopped_after < 2.0, f"generation went on for {stopped_after:.1f} s after the interrupt"
        assert reply["content"]["status"] == "ok", "the interrupt ends the answer, not the cell with a traceback"
        assert [n["kind"] for n in notes] == ["interrupted"], notes

        def idle() -> bool:
            slots = httpx.get(f"{conn[0]}/slots", headers={"Authorization": f"Bearer {conn[1]}"}).json()
            return not any(s.get("is_processing") for s in slots)

        wait_for(idle, 2.0, "llama-server to stop generating after the interrupt")
        cell = kernel.execute("%llama ask --max-tokens 8 Say hello.")
        assert answer_of(cell).strip() and not cards_of(cell) and not notes_of(cell)


def test_kernel_remote_endpoint(remote_server: RemoteServer, llama_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LLAMA_NB_URL", remote_server.url + "/v1")
    monkeypatch.setenv("LLAMA_NB_API_KEY", remote_server.api_key)
    with live_kernel() as kernel:
        cell = kernel.execute("%llama ask --max-tokens 8 Say hello.")
        assert answer_of(cell).strip() and not cards_of(cell)
        status = kernel.execute("%llama status")
        text = "".join(o.get("data", {}).get("text/plain", "") for o in status.outputs)
        assert "remote" in text and remote_server.api_key not in text
        cell = kernel.execute("%%llama explain --max-tokens 64\n" + "z = 0  # padding\n" * 400)
        assert [c["kind"] for c in cards_of(cell)] == ["context_exceeded"]

        # The configuration is read at each call: a new key is checked at once, and refused.
        cell = kernel.execute("%env LLAMA_NB_API_KEY=wrong\n%llama ask --max-tokens 4 hi")
        assert [c["kind"] for c in cards_of(cell)] == ["connection_failed"] and not has_traceback(cell)
    assert not servers_for_state(llama_env), "a remote profile starts no local server"


def test_two_kernels_of_one_jupyter_server_share_one_llama_server(llama_env: Path, tmp_path: Path) -> None:
    from serverext_fixtures import start_jupyter

    server = start_jupyter(tmp_path / "jupyter")
    clients = []
    try:
        with server.client() as api:
            ids = [api.post(server.root_url + "api/kernels", json={"name": "python3"}).json()["id"] for _ in range(2)]
            clients = [connect_kernel(tmp_path / "jupyter" / "runtime" / f"kernel-{kid}.json") for kid in ids]
            for kc in clients:
                reply, _ = collect_reply(kc, kc.execute("%load_ext llama_nb"), 60)
                assert reply["content"]["status"] == "ok"
            # Both kernels prompt at once on a cold server: one llama-server is started, for both.
            probe = (
                "%llama ask --max-tokens 8 Say hello.\n"
                "from llama_nb.kernel.magics import current as _c\n"
                "print('BACKEND', _c().backend.backend_of(None), _c().backend.status(None).pid)"
            )
            pending = [(kc, kc.execute(probe)) for kc in clients]
            results = [collect_reply(kc, msg_id, 120) for kc, msg_id in pending]
            seen = set()
            for reply, outputs in results:
                assert reply["content"]["status"] == "ok", outputs
                done = [o for o in outputs if ANSWER_MIME in o.get("data", {}) and o["data"][ANSWER_MIME].get("done")]
                assert done and done[-1]["data"]["text/plain"].strip(), outputs
                assert not [o for o in outputs if "application/vnd.llama-nb.card+json" in o.get("data", {})], outputs
                line = next(o["text"] for o in outputs if o["type"] == "stream" and "BACKEND" in o["text"])
                _, backend, pid = line.split()
                assert backend == "extension"
                seen.add(int(pid))
            assert len(seen) == 1, f"each kernel saw a different llama-server: {seen}"
            assert [p.pid for p in server.llama_servers()] == list(seen)
            assert server.spawn_headers("default") == 1
            for kid in ids:
                api.delete(server.root_url + f"api/kernels/{kid}")
        for kc in clients:
            kc.stop_channels()
        assert server.terminate() == 0
        pids = list(seen)
        wait_for(lambda: not [p for p in pids if psutil.pid_exists(p) and psutil.Process(p).status() != psutil.STATUS_ZOMBIE],
                 15, "the shared llama-server to stop with Jupyter")
    finally:
        server.cleanup()
