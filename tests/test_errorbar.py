"""Explain / Fix under every traceback, ``fix --insert``, and the stall watchdog, in real kernels.

A real ipykernel (jupyter_client) with llama-nb loaded and the real llama-server: a button click is
the very ``comm_msg`` a browser sends for an ipywidgets click. The browser side is in test_browser.py.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from pathlib import Path
from typing import Any, Iterator

import psutil
import pytest

from kernel_fixtures import ipshell, llama_env, wait_for  # noqa: F401
from llama_nb.kernel.display import ANSWER_MIME, NOTE_MIME
from llama_nb.answer.pipeline import extract_code

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


class Kernel:
    """A python3 kernel driven message by message; keeps every widget's state from comm traffic."""

    def __init__(self) -> None:
        from jupyter_client import KernelManager

        self.km = KernelManager(kernel_name="python3")
        self.km.start_kernel()
        self.kc = self.km.blocking_client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=60)
        self.models: dict[str, dict[str, Any]] = {}

    def close(self) -> None:
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)

    def _note_comm(self, msg: dict[str, Any]) -> None:
        content = msg["content"]
        if msg["msg_type"] == "comm_open":
            self.models[content["comm_id"]] = dict(content["data"].get("state", {}))
        elif msg["msg_type"] == "comm_msg" and content["data"].get("method") == "update":
            self.models.setdefault(content["comm_id"], {}).update(content["data"].get("state", {}))

    def until_idle(self, parent_id: str, timeout: float) -> list[dict[str, Any]]:
        """Every iopub message caused by ``parent_id`` until the kernel is idle again."""
        msgs: list[dict[str, Any]] = []
        deadline = time.monotonic() + timeout
        while True:
            assert time.monotonic() < deadline, f"the kernel did not finish within {timeout:.0f} s: {msgs[-5:]}"
            try:
                msg = self.kc.get_iopub_msg(timeout=1)
            except Exception:
                continue
            self._note_comm(msg)
            if msg["parent_header"].get("msg_id") != parent_id:
                continue
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                return msgs
            msgs.append(msg)

    def execute(self, code: str, timeout: float = 120) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        msg_id = self.kc.execute(code)
        msgs = self.until_idle(msg_id, timeout)
        reply = self.kc.get_shell_msg(timeout=10)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = self.kc.get_shell_msg(timeout=10)
        return reply, msgs

    def value(self, expression: str) -> Any:
        _, msgs = self.execute(f"import json as _j; print(_j.dumps({expression}))")
        text = "".join(m["content"].get("text", "") for m in msgs if m["msg_type"] == "stream")
        return json.loads(text.strip().splitlines()[-1])

    def click(self, comm_id: str, timeout: float = 180) -> list[dict[str, Any]]:
        """What a browser sends when a Button is clicked."""
        msg = self.kc.session.msg("comm_msg", {"comm_id": comm_id, "data": {"method": "custom", "content": {"event": "click"}}})
        self.kc.shell_channel.send(msg)
        return self.until_idle(msg["header"]["msg_id"], timeout)

    def bar_buttons(self, msgs: list[dict[str, Any]]) -> dict[str, str]:
        """The comm ids of the Explain / Fix / ✕ buttons of the bar shown in ``msgs``."""
        (view,) = [m["content"]["data"][WIDGET_VIEW]["model_id"] for m in msgs
                   if m["msg_type"] == "display_data" and WIDGET_VIEW in m["content"]["data"]]
        hbox = self.models[view]["children"][0].removeprefix("IPY_MODEL_")
        buttons = [c.removeprefix("IPY_MODEL_") for c in self.models[hbox]["children"]]
        return {self.models[b]["description"]: b for b in buttons}


@pytest.fixture
def kernel(llama_env: Path) -> Iterator[Kernel]:
    k = Kernel()
    try:
        reply, _ = k.execute("%load_ext llama_nb\n"
                             "__import__('llama_nb.kernel.magics', fromlist=['c']).current().error_buttons.max_tokens = 48")
        assert reply["content"]["status"] == "ok"
        yield k
    finally:
        k.close()


def _sent(k: Kernel) -> str:
    return k.value("__import__('llama_nb.kernel.magics', fromlist=['current']).current().last.messages[-1]['content']")


def _answers(msgs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [m["content"]["data"] for m in msgs if m["msg_type"] == "display_data" and ANSWER_MIME in m["content"]["data"]]


def test_buttons_under_each_traceback_act_on_that_cells_error(kernel: Kernel) -> None:
    first = "ratio = 1 / 0"
    reply, msgs = kernel.execute(first)
    assert reply["content"]["status"] == "error"
    kinds = [m["msg_type"] for m in msgs]
    assert "error" in kinds
    bar_at = next(i for i, m in enumerate(msgs) if m["msg_type"] == "display_data" and WIDGET_VIEW in m["content"]["data"])
    assert bar_at > kinds.index("error"), "the bar is under the traceback"
    bar_data = msgs[bar_at]["content"]["data"]
    assert "Explain" in bar_data["text/plain"], "a frontend without widgets still says what it is"
    first_bar = kernel.bar_buttons(msgs)
    assert set(first_bar) == {"Explain", "Fix", "✕"}

    reply, msgs = kernel.execute("undefined_name_xyz + 1")
    assert reply["content"]["status"] == "error"
    second_bar = kernel.bar_buttons(msgs)
    count_before = kernel.value("get_ipython().execution_count")

    # Explain on the FIRST bar: its own error, not the last one.
    clicked = kernel.click(first_bar["Explain"])
    sent = _sent(kernel)
    assert first in sent and "ZeroDivisionError" in sent and "undefined_name_xyz" not in sent
    streamed = [m for m in clicked if m["msg_type"] == "stream"]
    assert streamed, "the answer streamed into the cell"
    (answer,) = _answers(clicked)
    assert answer[ANSWER_MIME]["done"] and answer["text/plain"].strip() and "text/html" in answer
    assert any(m["msg_type"] == "clear_output" for m in clicked), "the streamed text is replaced by the rendered answer"
    assert not [m for m in clicked if m["msg_type"] == "execute_input"], "a click adds no cell"

    # Fix on the second bar: proposes code in a text box, runs nothing.
    clicked = kernel.click(second_bar["Fix"])
    sent = _sent(kernel)
    assert "undefined_name_xyz" in sent and "NameError" in sent and first not in sent
    (answer,) = _answers(clicked)
    code = extract_code(answer["text/plain"])
    textareas = [s for s in kernel.models.values() if s.get("_model_name") == "TextareaModel"]
    if code:
        assert textareas and textareas[-1]["value"] == code
    # Only this test's three probes (two _sent, this one) ran since: the clicks executed nothing.
    assert kernel.value("get_ipython().execution_count") == count_before + 3, "nothing was executed by the click"

    # Dismiss hides the bar.
    kernel.click(first_bar["✕"], timeout=30)
    vbox = next(k for k, s in kernel.models.items() if s.get("_model_name") == "VBoxModel"
                and s.get("children", [None])[0] and s["children"][0].removeprefix("IPY_MODEL_") in kernel.models
                and first_bar["Explain"] in [c.removeprefix("IPY_MODEL_") for c in kernel.models[s["children"][0].removeprefix("IPY_MODEL_")].get("children", [])])
    layout = kernel.models[vbox]["layout"].removeprefix("IPY_MODEL_")
    assert kernel.models[layout].get("display") == "none"


def test_buttons_can_be_turned_off_and_other_handlers_keep_working(kernel: Kernel) -> None:
    # Another extension's custom exception handler keeps working (we never call set_custom_exc).
    reply, _ = kernel.execute(
        "def _mine(shell, etype, evalue, tb, tb_offset=None):\n"
        "    print('MINE', etype.__name__)\n"
        "get_ipython().set_custom_exc((KeyError,), _mine)"
    )
    assert reply["content"]["status"] == "ok"
    _, msgs = kernel.execute("{}['missing']")
    assert any("MINE KeyError" in m["content"].get("text", "") for m in msgs if m["msg_type"] == "stream")
    kernel.execute("get_ipython().set_custom_exc((), None)")

    reply, _ = kernel.execute("%config LlamaNB.error_buttons = False")
    assert reply["content"]["status"] == "ok"
    _, msgs = kernel.execute("1 / 0")
    assert not [m for m in msgs if m["msg_type"] == "display_data" and WIDGET_VIEW in m["content"]["data"]]
    kernel.execute("%config LlamaNB.error_buttons = True")
    _, msgs = kernel.execute("1 / 0")
    assert [m for m in msgs if m["msg_type"] == "display_data" and WIDGET_VIEW in m["content"]["data"]]


def test_terminal_ipython_gets_no_buttons(ipshell: Any) -> None:
    run = ipshell.run("1 / 0")
    assert not run.result.success
    assert not run.outputs, "a terminal IPython shows the traceback and nothing else"


def test_fix_insert_puts_code_in_a_new_cell_and_runs_nothing(kernel: Kernel) -> None:
    kernel.execute("def mean(xs):\n    return sum(xs) / len(xs)\nmean([])")
    reply, msgs = kernel.execute("%llama fix --insert --max-tokens 96")
    assert reply["content"]["status"] == "ok"
    (answer,) = _answers(msgs)
    code = extract_code(answer["text/plain"])
    payloads = [p for p in reply["content"].get("payload", []) if p.get("source") == "set_next_input"]
    notes = [m["content"]["data"][NOTE_MIME] for m in msgs if m["msg_type"] == "display_data" and NOTE_MIME in m["content"]["data"]]
    verification = answer[ANSWER_MIME].get("verification") or {}
    if verification.get("status") == "passed":  # the fixed cell that ran on a copy is what goes below
        assert payloads and payloads[0]["text"] == verification["fixed_cell"] and payloads[0]["replace"] is False
        assert any(n["kind"] == "inserted" for n in notes)
    elif code and verification.get("status") == "not_run":
        assert payloads and payloads[0]["text"] == code and any(n["kind"] == "inserted" for n in notes)
    else:  # a fix that still raises (or no code) is not inserted, and the note says why
        assert not payloads and notes
        assert not code or any(verification.get("detail", "~") in n.get("text", "") for n in notes), notes
    assert not [m for m in msgs if m["msg_type"] == "execute_input" and m["content"]["code"] == code]


# --------------------------------------------------------------------------------------------------
# The stall watchdog, with a real SIGSTOP of the real llama-server during an answer
# --------------------------------------------------------------------------------------------------


def _stop_when_streaming(session: Any, pid_of: Any) -> threading.Thread:
    def stop() -> None:
        assert session.streaming.wait(120), "the answer never started"
        time.sleep(0.3)
        os.kill(pid_of(), signal.SIGSTOP)

    thread = threading.Thread(target=stop, daemon=True)
    thread.start()
    return thread


def test_stall_watchdog_embedded_sigstop(ipshell: Any) -> None:
    # The health loop is slowed down so that it is the watchdog, not /health, that sees the stall
    # (a stalled slot whose /health still answers behaves the same for the watchdog).
    ipshell.run("%config LlamaNB.health_interval = 600")
    first = ipshell.run("%llama ask --max-tokens 4 hi")  # warm-up under the default stall timeout (see below)
    assert first.result.success and not first.cards and not first.notes
    ipshell.run("%config LlamaNB.stall_timeout = 2")
    session = ipshell.session
    old_pid = session.backend.status(None).pid
    thread = _stop_when_streaming(session, lambda: old_pid)
    t0 = time.monotonic()
    run = ipshell.run("%%llama ask --max-tokens 400\nWrite a very long story about a dragon.")
    elapsed = time.monotonic() - t0
    thread.join(5)
    assert run.result.success and not run.cards
    (note,) = [n for n in run.notes if n["kind"] == "stalled"]
    assert "no token for 2 s" in note["text"] and "replaced" in note["text"]
    assert run.final_answer.strip(), "the partial answer is kept"
    assert session.last.stalled and run.answer_updates[-1]["data"][ANSWER_MIME].get("stalled")
    assert elapsed < 60
    wait_for(lambda: not psutil.pid_exists(old_pid) or psutil.Process(old_pid).status() == psutil.STATUS_ZOMBIE,
             15, "the stopped llama-server to be killed")
    nxt = ipshell.run("%llama ask --max-tokens 8 Say hello.")
    assert nxt.result.success and not nxt.cards and nxt.final_answer.strip()
    status = session.backend.status(None)
    assert status.pid != old_pid and status.restarts >= 1


def test_a_side_request_that_stalls_while_the_fix_is_checked_replaces_the_embedded_server(ipshell: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # A retry or the cause after a fix is bounded like the answer; when it stalls, the server is as hung as it
    # would be for the answer, so it is replaced, not left for the next prompt to meet. The server is really
    # stopped (SIGSTOP); the check is a STAND-IN (named) that asks once, as a retry does: a small model cannot be
    # made to write a failing fix on demand.
    from llama_nb.answer import pipeline
    from llama_nb.answer.verify import not_run
    from llama_nb.kernel import client, watchdog

    ipshell.run("%config LlamaNB.health_interval = 600")
    first = ipshell.run("%llama ask --max-tokens 4 hi")
    assert first.result.success and not first.cards and not first.notes
    ipshell.run("%config LlamaNB.stall_timeout = 2")
    session = ipshell.session
    old_pid = session.backend.status(None).pid
    asked: list[str] = []

    def check(answer_text: str, error: Any, state: Any, settings: Any, complete: Any, progress: Any = None, continues: bool = False) -> Any:
        # this request's first token too: 2 s (the watchdog's, and the wait for the response to begin)
        monkeypatch.setattr(watchdog, "first_token_allowance", lambda stall: stall)
        monkeypatch.setattr(client, "first_token_allowance", lambda stall: stall)
        os.kill(old_pid, signal.SIGSTOP)
        try:
            complete([{"role": "user", "content": "Another fix, please."}], max_tokens=8, temperature=0.0)
        except Exception as exc:  # what verify does with a failed request: the search ends
            asked.append(type(exc).__name__)
        return not_run("a stand-in check")

    monkeypatch.setattr(pipeline, "check", check)
    try:
        ipshell.run("%config LlamaNB.stall_timeout = 2")
        ipshell.run("counts = {}\ncounts['a'] += 1")
        t0 = time.monotonic()
        run = ipshell.run("%llama explain --max-tokens 16")
        elapsed = time.monotonic() - t0
    finally:
        ipshell.run("%config LlamaNB.stall_timeout = 20")
    assert asked == ["AnswerStalled"] and elapsed < 60, (run.text(), run.notes, elapsed)
    assert run.result.success and not run.cards and run.final_answer.strip(), "the answer is shown, with its check"
    (note,) = [n for n in run.notes if n["kind"] == "stalled"]
    assert note["text"].startswith("⏸ The answer to a request made while checking the fix stalled (no first token within 2 s)"), note
    assert "replaced" in note["text"] and "the answer and its checked fix are kept above" in note["text"]
    wait_for(lambda: not psutil.pid_exists(old_pid) or psutil.Process(old_pid).status() == psutil.STATUS_ZOMBIE,
             15, "the stopped llama-server to be killed")
    nxt = ipshell.run("%llama ask --max-tokens 8 Say hello.")
    assert nxt.result.success and not nxt.cards and nxt.final_answer.strip()
    assert session.backend.status(None).pid != old_pid


def test_stall_watchdog_extension_sigstop(llama_env: Path, tmp_path: Path) -> None:
    """The same through the Jupyter server extension: the kernel reports the stall with ``POST stall``."""
    from kernel_fixtures import connect_kernel
    from serverext_fixtures import start_jupyter

    server = start_jupyter(tmp_path / "jupyter", "c.LlamaNB.health_interval = 600\n")
    kc = None
    try:
        with server.client() as api:
            kid = api.post(server.root_url + "api/kernels", json={"name": "python3"}).json()["id"]
        kc = connect_kernel(tmp_path / "jupyter" / "runtime" / f"kernel-{kid}.json")
        k = Kernel.__new__(Kernel)
        k.kc, k.models = kc, {}
        # The warm-up answer runs under the default stall timeout: on a loaded CI machine a 2 s gap between
        # two of its tokens is possible, and the stall under test is the SIGSTOP below.
        reply, msgs = k.execute("%load_ext llama_nb\n%llama ask --max-tokens 4 hi")
        assert reply["content"]["status"] == "ok"
        assert _answers(msgs) and not [m for m in msgs if "application/vnd.llama-nb.card+json" in m["content"].get("data", {})], msgs
        assert not [m for m in msgs if NOTE_MIME in m["content"].get("data", {})], msgs
        reply, _ = k.execute("%config LlamaNB.stall_timeout = 2")
        assert reply["content"]["status"] == "ok"
        assert k.value("__import__('llama_nb.kernel.magics', fromlist=['c']).current().backend.backend_of(None)") == "extension"
        with server.client() as api:
            st = api.get("status", params={"profile": "default"}).json()
            old_pid = st["pid"]
        assert isinstance(old_pid, int), st
        server.llama_servers()  # remembered for cleanup

        msg_id = kc.execute("%%llama ask --max-tokens 400\nWrite a very long story about a dragon.")
        msgs: list[dict[str, Any]] = []
        stopped = False
        deadline = time.monotonic() + 180
        while True:
            assert time.monotonic() < deadline, f"the cell did not finish: {msgs[-5:]}"
            try:
                msg = kc.get_iopub_msg(timeout=1)
            except Exception:
                continue
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "stream" and not stopped:
                os.kill(old_pid, signal.SIGSTOP)
                stopped = True
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                break
            msgs.append(msg)
        assert stopped, "the answer never streamed"
        notes = [m["content"]["data"][NOTE_MIME] for m in msgs if m["msg_type"] == "display_data" and NOTE_MIME in m["content"]["data"]]
        assert [n for n in notes if n["kind"] == "stalled"], notes
        (answer,) = _answers(msgs)
        assert answer["text/plain"].strip() and answer[ANSWER_MIME].get("stalled"), "the partial answer is kept"
        wait_for(lambda: not psutil.pid_exists(old_pid) or psutil.Process(old_pid).status() == psutil.STATUS_ZOMBIE,
                 15, "the stopped llama-server to be killed")
        reply, msgs = k.execute("%llama ask --max-tokens 8 Say hello.")
        assert reply["content"]["status"] == "ok"
        (answer,) = [a for a in _answers(msgs)] or [None]
        assert answer is not None and answer["text/plain"].strip()
        with server.client() as api:
            status = api.get("status", params={"profile": "default"}).json()
        assert status["pid"] != old_pid and status["restarts"] >= 1
        # POST stall validates its input and changes nothing when refused.
        with server.client() as api:
            for body in ({"reason": ""}, {"reason": "x" * 201}, {"reason": "x", "extra": 1}, {"profile": 3, "reason": "x"}):
                assert api.post("stall", json=body).status_code == 400, body
            assert api.post("stall", json={"reason": "x"}, headers={"Authorization": ""}).status_code in (401, 403)
            assert api.get("status", params={"profile": "default"}).json()["pid"] == status["pid"]
    finally:
        if kc is not None:
            kc.stop_channels()
        server.close()
