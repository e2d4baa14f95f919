"""Supervision that cannot wedge (issue 10): every path ends in a named state, in bounded time.

Against the real llama-server and SmolLM2. Where a timing cannot be made real it is forced by a small
piece of instrumentation, named as such in the test.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import struct
import subprocess
import sys
import threading
import time
import httpx
import psutil
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from llama_nb.config import SupervisorSettings
from llama_nb.supervisor import LlamaNBError, State, Supervisor, statefile
from llama_nb.supervisor.gguf import GGUFError, read_gguf
from llama_nb.render import magic

from helpers import Recorder, is_llama_server, make_supervisor, pid_gone, wait_for

CTX = 1024


def make(supervisors: list, settings: SupervisorSettings, **profile: object) -> tuple[Supervisor, Recorder]:
    return make_supervisor(supervisors, settings, CTX, **profile)


def health(sup: Supervisor) -> int:
    conn = sup.connection()
    assert conn is not None
    return httpx.get(f"{conn.url}/health", timeout=5, trust_env=False).status_code


# ------------------------------------------------------------------------------------------------
# 1. The manager loop cannot die silently
# ------------------------------------------------------------------------------------------------


def test_unexpected_error_in_the_manager_is_a_failed_card_and_the_next_ensure_starts_afresh(
    supervisors, fast_settings, monkeypatch
):
    # Instrumentation: the first state-file write raises (a stand-in for any bug in the loop).
    real_record = statefile.record
    calls = {"n": 0}

    def broken_record(*args: object, **kwargs: object) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("injected: the state file could not be written\nsecond line")
        real_record(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(statefile, "record", broken_record)
    sup, rec = make(supervisors, fast_settings)
    started = time.monotonic()
    with pytest.raises(LlamaNBError) as err:
        sup.ensure(timeout=30)
    took = time.monotonic() - started
    card = err.value.card
    assert took < 10, f"ensure() waited {took:.1f} s on a manager that had died"
    assert card.kind == "unknown" and "internal error" in card.title
    assert "RuntimeError: injected: the state file could not be written" in card.what_happened
    assert "second line" not in card.what_happened, "the exception is shown in one line"
    assert any("RuntimeError" in e for e in card.evidence)
    assert card.what_tried and card.what_tried[0].ok, card.what_tried
    commands = [magic(f) for f in card.what_you_can_do]
    assert commands[0] == "%llama restart" and commands[1].startswith("%llama logs"), commands
    failed = rec.wait_state(State.FAILED, timeout=1.0)
    assert failed.last_error is not None and failed.last_error.title == card.title
    assert sup.status().state == State.FAILED and sup.status().pid is None
    # The server it had spawned is not left behind.
    assert sup.spawn_count == 1
    first = [p for p in psutil.Process().children(recursive=True) if is_llama_server(p)]
    assert not first, f"the crash left llama-server running: {[p.pid for p in first]}"
    # A fresh loop on the next ensure().
    status = sup.ensure(timeout=60)
    assert status.state == State.READY and health(sup) == 200


# ------------------------------------------------------------------------------------------------
# 2. Everything read from disk is validated
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [b"[]", b'{"pid": "x", "port": [], "owner_pid": {}}', b'{"pid": 7, "owner_pid": null}'],
    ids=["empty-list", "wrong-types", "null-owner"],
)
def test_damaged_state_file_is_ignored_and_replaced(supervisors, fast_settings, content: bytes):
    state_dir = fast_settings.resolved_state_dir()
    path = statefile.path_for(state_dir, "default")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    sup, _ = make(supervisors, fast_settings)
    started = time.monotonic()
    status = sup.ensure(timeout=60)
    assert status.state == State.READY, status
    assert time.monotonic() - started < 60
    data = statefile.read(state_dir, "default")
    assert data is not None and data["pid"] == status.pid and data["port"] == status.port


def test_recorded_pid_now_another_program_is_left_alone(supervisors, fast_settings):
    # A leftover record whose pid is now someone else's program (same user, same start time even):
    # the old check (create time only) would have SIGKILLed its process group.
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"], start_new_session=True)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    try:
        state_dir = fast_settings.resolved_state_dir()
        statefile.record(state_dir, "default", pid=other.pid, port=18080)
        data = json.loads(statefile.path_for(state_dir, "default").read_text())
        data["owner_pid"] = dead.pid
        statefile.path_for(state_dir, "default").write_text(json.dumps(data))
        sup, _ = make(supervisors, fast_settings)
        status = sup.ensure(timeout=60)
        assert status.state == State.READY
        assert other.poll() is None, "a program that merely reuses a recorded pid must never be killed"
        assert statefile.read(state_dir, "default")["pid"] == status.pid  # type: ignore[index]
    finally:
        other.kill()
        other.wait()


def test_state_file_and_dir_are_private(supervisors, fast_settings):
    old = os.umask(0)  # the worst umask: modes must come from os.open/mkdir, not from it
    try:
        sup, _ = make(supervisors, fast_settings)
        status = sup.ensure(timeout=60)
    finally:
        os.umask(old)
    path = statefile.path_for(fast_settings.resolved_state_dir(), "default")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert status.state == State.READY


WRITER = """
import sys, os
from pathlib import Path
from llama_nb.supervisor import statefile
state, n = Path(sys.argv[1]), int(sys.argv[2])
for i in range(n):
    statefile.record(state, "default", pid=os.getpid(), port=1000 + i % 100)
"""


def test_two_owners_recording_at_once_never_tear_the_file(tmp_path):
    # Two owner processes (two Jupyter servers, or a kernel and a server) record the same profile at the
    # same moment; with one shared temp name one of them failed (FileNotFoundError) or renamed the
    # other's half-written file.
    state = tmp_path / "state"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(state), "400"], env=env, stderr=subprocess.PIPE)
               for _ in range(3)]
    seen = 0
    while any(w.poll() is None for w in writers):
        data = statefile.read(state, "default") if statefile.path_for(state, "default").exists() else None
        if data is not None:
            assert data["pid"] in {w.pid for w in writers}
            seen += 1
    errors = [w.stderr.read().decode() for w in writers if w.stderr is not None]
    assert [w.returncode for w in writers] == [0, 0, 0], errors
    assert statefile.read(state, "default") is not None
    assert not [p.name for p in (state / "run").iterdir() if p.name.endswith(".tmp")], "temp files left behind"


def gguf_header(kv: list[tuple[str, int, bytes]], n_tensors: int = 0, version: int = 3) -> bytes:
    out = b"GGUF" + struct.pack("<IQQ", version, n_tensors, len(kv))
    for key, vtype, value in kv:
        k = key.encode()
        out += struct.pack("<Q", len(k)) + k + struct.pack("<I", vtype) + value
    return out


def s(text: str) -> bytes:
    return struct.pack("<Q", len(text.encode())) + text.encode()


ARCH = ("general.architecture", 8, s("llama"))
MALFORMED = {
    "alignment-zero": gguf_header([ARCH, ("general.alignment", 4, struct.pack("<I", 0))]),
    "alignment-not-power-of-two": gguf_header([ARCH, ("general.alignment", 4, struct.pack("<I", 24))]),
    "alignment-a-string": gguf_header([ARCH, ("general.alignment", 8, s("32"))]),
    "alignment-a-float": gguf_header([ARCH, ("general.alignment", 6, struct.pack("<f", 32.0))]),
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_gguf_header_is_model_corrupt_before_llama_server_runs(supervisors, fast_settings, tmp_path, name):
    model = tmp_path / f"{name}.gguf"
    model.write_bytes(MALFORMED[name] + b"\0" * 4096)
    sup, rec = make(supervisors, fast_settings, model=str(model))
    started = time.monotonic()
    with pytest.raises(LlamaNBError) as err:
        sup.ensure(timeout=20)
    assert time.monotonic() - started < 10
    card = err.value.card
    assert card.kind == "model_corrupt", card.to_text()
    assert "damaged" in card.title and model.name in card.what_happened
    assert sup.spawn_count == 0, "llama-server must not run on a damaged model"
    assert rec.wait_state(State.FAILED, timeout=1.0)


SCALAR_FORMATS = {0: "B", 1: "b", 2: "H", 3: "h", 4: "I", 5: "i", 6: "f", 7: "?", 10: "Q", 11: "q", 12: "d"}


@settings(max_examples=300, deadline=2000, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fuzzed_gguf_headers_only_ever_raise_ggufferror(tmp_path, data):
    # A small valid header whose general.alignment (type and value) and bytes are fuzzed, then cut.
    vtype = data.draw(st.sampled_from(sorted(SCALAR_FORMATS)))
    fmt = SCALAR_FORMATS[vtype]
    value = data.draw({"f": st.floats(width=32), "d": st.floats(), "?": st.booleans()}.get(
        fmt, st.integers(0, 2 ** (8 * struct.calcsize(fmt) - (1 if fmt.islower() else 0)) - 1)))
    header = gguf_header([ARCH, ("general.alignment", vtype, struct.pack("<" + fmt, value)),
                          ("llama.block_count", 4, struct.pack("<I", 2)),
                          ("tokenizer.ggml.tokens", 9, struct.pack("<IQ", 8, 2) + s("a") + s("b"))], n_tensors=1) \
        + s("tok_embd.weight") + struct.pack("<I", 2) + struct.pack("<QQ", 4, 4) + struct.pack("<IQ", 0, 0)
    raw = bytearray(header + b"\0" * 64)
    for _ in range(data.draw(st.sampled_from([0, 0, 1, 2, 8]))):
        i = data.draw(st.integers(0, len(raw) - 1))
        raw[i] = data.draw(st.integers(0, 255))
    cut = data.draw(st.one_of(st.just(len(raw)), st.integers(4, len(raw))))
    path = tmp_path / "fuzz.gguf"
    path.write_bytes(bytes(raw[:cut]))
    try:
        info = read_gguf(path)
    except GGUFError:
        return
    info.kv_cache_bytes(1024)  # must not raise on whatever metadata it kept
    assert isinstance(info.truncated, bool)


@settings(max_examples=300, deadline=2000, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.one_of(
    st.binary(max_size=300),
    st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                 lambda c: st.lists(c, max_size=4) | st.dictionaries(st.sampled_from(
                     ["pid", "port", "owner_pid", "create_time", "exe", "x"]), c, max_size=6),
                 max_leaves=12).map(lambda v: json.dumps(v).encode()),
))
def test_fuzzed_state_files_are_ignored_or_valid(tmp_path, content):
    state = tmp_path / "fuzz-state"
    path = statefile.path_for(state, "default")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    data = statefile.read(state, "default")
    if data is None:
        assert not path.exists(), "a record that is not ours is removed"
    else:
        assert isinstance(data["pid"], int) and isinstance(data["port"], int) and isinstance(data["owner_pid"], int)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    assert statefile.reap_leftover(state, "default") in (None,)  # never raises, never kills a stranger


# ------------------------------------------------------------------------------------------------
# 4. No work under the lock; 5. races
# ------------------------------------------------------------------------------------------------


def test_subscriber_raising_in_the_caller_thread_does_not_strand_the_profile(supervisors, fast_settings):
    # A kernel interrupt that lands while a status callback runs raises KeyboardInterrupt in it. It used
    # to run on the caller's thread before the manager thread was started: wanted, but no manager.
    # (A BaseException of our own stands in for KeyboardInterrupt, so pytest does not stop the session.)
    sup, rec = make(supervisors, fast_settings)
    caller = threading.get_ident()
    ran_on: list[int] = []

    class SimulatedInterrupt(BaseException):
        pass

    def interrupted(status: object) -> None:
        ran_on.append(threading.get_ident())
        raise SimulatedInterrupt

    sup.subscribe(interrupted)
    status = sup.ensure(timeout=60)
    assert status.state == State.READY and health(sup) == 200
    assert ran_on and caller not in ran_on, "status callbacks must never run on the caller's thread"


def test_slow_subscriber_delays_only_itself(supervisors, fast_settings):
    sup, rec = make(supervisors, fast_settings)
    release = threading.Event()
    slow_seen: list[str] = []

    def slow(status) -> None:  # type: ignore[no-untyped-def]
        slow_seen.append(status.state.value)
        release.wait(30)

    sup.subscribe(slow)
    try:
        started = time.monotonic()
        status = sup.ensure(timeout=60)
        assert status.state == State.READY
        t = time.monotonic()
        for _ in range(50):
            sup.status()
        assert time.monotonic() - t < 1.0, "status() must not wait behind a slow subscriber"
        rec.wait_state(State.READY, timeout=2.0)  # the other subscriber got everything, in order
        seqs = [e.seq for e in rec.events]
        assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs), seqs
        assert slow_seen == ["starting"], slow_seen  # still stuck on its first status
        assert time.monotonic() - started < 30
    finally:
        release.set()
    wait_for(lambda: slow_seen[-1:] == ["ready"], 5, "the slow subscriber catches up, in order")


def test_stop_racing_a_dying_load_ends_stopped_and_is_no_restart(supervisors, fast_settings):
    # The load dies (kill -9 of the real llama-server while it loads) at the moment the user stops.
    # To make "at the moment" exact, the test holds the supervisor's lock across the kill and the stop
    # request (instrumentation of timing only: both orders of manager/stop are then possible).
    sup, rec = make(supervisors, fast_settings)
    for _attempt in range(5):
        thread = threading.Thread(target=lambda: _swallow(sup.ensure, 60), daemon=True)
        thread.start()
        proc = wait_for(lambda: sup._proc, 30, "llama-server spawned", interval=0.001)
        try:
            os.kill(proc.pid, signal.SIGSTOP)  # keep it loading
        except ProcessLookupError:
            pass
        if sup.status().state == State.STARTING:
            break
        sup.stop()  # it got ready first; try again
        thread.join(15)
    else:
        pytest.fail("could not catch llama-server while it was loading")
    with sup._lock:  # reentrant: stop() below takes it again, and its wait releases it
        os.killpg(proc.pid, signal.SIGKILL)
        assert proc.exited.wait(15)
        status = sup.stop(timeout=15)
    assert status.state == State.STOPPED, (status.state, rec.states())  # type: ignore[union-attr]
    assert status.restarts == 0, "the user's stop is not a restart"  # type: ignore[union-attr]
    assert sup.status().state == State.STOPPED and sup.spawn_count == 1
    thread.join(15)
    assert not thread.is_alive()
    assert "restarting" not in rec.states()[-3:], rec.states()


def _swallow(fn, timeout):  # type: ignore[no-untyped-def]
    try:
        fn(timeout=timeout)
    except LlamaNBError:
        pass


def test_close_does_not_close_the_http_client_under_a_running_health_check(supervisors, tmp_path):
    settings_ = SupervisorSettings(health_interval=0.2, health_timeout=5.0, load_timeout=60.0, stop_grace=0.5,
                                   state_dir=str(tmp_path / "llama-nb-state"))
    sup, _ = make(supervisors, settings_)
    sup.ensure(timeout=60)
    pid = sup.status().pid
    # Instrumentation: the next health check is slow (it waits until close() has given up on the
    # manager thread), as a check of a server that answers slowly would be.
    in_check, closed_returned = threading.Event(), threading.Event()
    real_get = sup._http.get
    thread_errors: list[BaseException] = []
    old_hook = threading.excepthook
    threading.excepthook = lambda args: thread_errors.append(args.exc_value)  # type: ignore[assignment]

    def slow_get(url, **kwargs):  # type: ignore[no-untyped-def]
        if url.endswith("/health"):
            in_check.set()
            closed_returned.wait(15)
        return real_get(url, **kwargs)

    sup._http.get = slow_get  # type: ignore[method-assign]
    try:
        assert in_check.wait(10)
        sup.close()
        closed_returned.set()
        thread = sup._thread
        assert thread is not None
        thread.join(15)
        assert not thread.is_alive()
    finally:
        threading.excepthook = old_hook
    assert not thread_errors, f"the manager thread died: {thread_errors!r}"
    assert sup.status().state == State.STOPPED
    assert pid is not None and wait_for(lambda: pid_gone(pid), 10, "llama-server gone after close()")
    assert sup._http.is_closed, "the manager closes the client on its way out"


@pytest.mark.parametrize("kind", ["fifo", "directory"])
def test_a_model_path_that_is_not_a_regular_file_is_refused_without_blocking(tmp_path, kind):
    """A named pipe in a model's place blocks an ordinary open/read for ever (until a writer comes): the header
    reader (doctor, the pre-start check, the server extension's ctx_size limit) must refuse it at once."""
    path = tmp_path / "model.gguf"
    os.mkfifo(path) if kind == "fifo" else path.mkdir()
    outcome: list[BaseException | object] = []
    reader = threading.Thread(target=lambda: outcome.append(_raised_by(read_gguf, path)), daemon=True)
    reader.start()
    reader.join(10)
    if reader.is_alive() and kind == "fifo":  # the reader is stuck in open(): unblock it before failing
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)
        reader.join(10)
        pytest.fail("read_gguf blocked on a named pipe")
    assert outcome and isinstance(outcome[0], GGUFError), outcome
    assert ("named pipe" if kind == "fifo" else "directory") in str(outcome[0])


def _raised_by(fn, *args):
    try:
        return fn(*args)
    except BaseException as exc:  # noqa: BLE001 - the test inspects it
        return exc


def test_a_named_pipe_as_the_model_is_a_card_that_says_so(supervisors, fast_settings, tmp_path):
    model = tmp_path / "model.gguf"
    os.mkfifo(model)
    sup, _ = make(supervisors, fast_settings, model=str(model))
    started = time.monotonic()
    with pytest.raises(LlamaNBError) as err:
        sup.ensure(timeout=20)
    assert time.monotonic() - started < 10
    card = err.value.card
    assert card.kind == "model_missing" and "not a regular file, not a model file" in card.what_happened, card.to_text()
    assert sup.spawn_count == 0
