"""No lock held across I/O in the kernel's routing (issue 15): a slow probe of the server extension
must not block another caller of the same :class:`AutoBackend`.

The extension here is a real TCP socket on loopback that accepts the probe's connection and never
answers (a Jupyter server that hangs); the probe waits on it while another thread asks for a remote
profile, which needs the router's lock but no probe.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from llama_nb.config import LlamaNB
from llama_nb.kernel.backends import AutoBackend
from llama_nb.kernel.extension import ExtensionBackend
from llama_nb.kernel.preflight import Preflight
from llama_nb.supervisor import Connection

from helpers import HungServer
from kernel_fixtures import llama_env  # noqa: F401 - fixture

PROBE_TIMEOUT = 60.0  # the hung extension holds the probe this long at most; the test releases it sooner


@pytest.fixture
def hung_extension(monkeypatch: pytest.MonkeyPatch):
    server = HungServer()
    monkeypatch.setenv("LLAMA_NB_API_URL", f"http://127.0.0.1:{server.port}/llama-nb/api/")
    monkeypatch.setenv("LLAMA_NB_API_TOKEN", "test-token")
    answers = ExtensionBackend.answers
    monkeypatch.setattr(ExtensionBackend, "answers", lambda self, timeout=2.0: answers(self, PROBE_TIMEOUT))
    yield server
    server.close()


def test_a_slow_extension_probe_does_not_block_another_caller(llama_env: Path, hung_extension: HungServer) -> None:
    cfg = LlamaNB()
    cfg.profiles = {"far": {"url": "http://127.0.0.1:9/v1"}}
    auto = AutoBackend(lambda: cfg)
    chosen: list[str] = []
    prober = threading.Thread(target=lambda: chosen.append(auto.backend_of(None)), daemon=True)
    try:
        prober.start()
        assert hung_extension.accepted.wait(30), "the router never probed the extension"
        # The probe is in flight (the hung server holds it); another caller needs the router too.
        other: list[str] = []
        caller = threading.Thread(target=lambda: other.append(auto.backend_of("far")), daemon=True)
        caller.start()
        caller.join(PROBE_TIMEOUT / 2)
        assert other == ["remote"], "a caller waited on another caller's extension probe (a lock held across I/O)"
        assert prober.is_alive(), "the probe ended before the other caller was checked: the test proved nothing"
    finally:
        hung_extension.close()  # the probe fails at once: no extension, so embedded
        prober.join(PROBE_TIMEOUT)
        auto.close()
    assert chosen == ["embedded"]


def test_two_callers_racing_for_the_first_choice_share_one_backend(llama_env: Path, hung_extension: HungServer) -> None:
    cfg = LlamaNB()
    auto = AutoBackend(lambda: cfg)
    results: list[object] = []
    threads = [threading.Thread(target=lambda: results.append(auto.route(None)[0]), daemon=True) for _ in range(2)]
    try:
        for t in threads:
            t.start()
        assert hung_extension.accepted.wait(30)
        hung_extension.close()
        for t in threads:
            t.join(PROBE_TIMEOUT)
        assert len(results) == 2 and results[0] is results[1] is auto.local, results
    finally:
        auto.close()


def test_closing_stale_clients_happens_outside_the_preflight_lock() -> None:
    preflight = Preflight()
    first = preflight.client_for(Connection("http://127.0.0.1:9", "a"))
    closed_under_lock: list[bool] = []
    close = first.close

    def spy() -> None:
        closed_under_lock.append(preflight._lock.locked())
        close()

    first.close = spy  # type: ignore[method-assign]
    second = preflight.client_for(Connection("http://127.0.0.1:9", "b"))  # same URL, new key: the old one goes
    assert second is not first and closed_under_lock == [False]
    preflight.close()
