"""Control never starves (issue 10): stop and status answer while many starts wait.

Jupyter with the extension runs in this process (pytest-jupyter, tests/inproc_fixtures.py). The
server that never gets ready is a **stand-in**: a script that never listens (``exec sleep``), because
a real llama-server always gets ready or fails on this machine within seconds.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from helpers import write_script
from inproc_fixtures import *  # noqa: F401,F403 - pytest-jupyter's fixtures and ``inproc``
from inproc_fixtures import REQUEST_TIMEOUT, InProcessJupyter, server_config, wait_until

N_WAITING = 30


def never_ready_server(tmp: Path) -> Path:
    return write_script(tmp / "llama-server-never-ready", "#!/bin/sh\n# stand-in: a server that never listens\nexec sleep 600\n")


@pytest.fixture
def jp_server_config(tmp_path: Path) -> Any:
    script = never_ready_server(tmp_path)
    return server_config(f"c.LlamaNB.server = {str(script)!r}\nc.LlamaNB.load_timeout = 90.0\n")


async def _post_many(server: InProcessJupyter, route: str, body: dict[str, Any], n: int) -> list["asyncio.Future[Any]"]:
    """``n`` concurrent ``POST route`` requests, each answer (or the exception) as its task's result; returns once
    the never-ready server is spawned and the requests had time to reach the extension (they wait on no event)."""

    async def post() -> httpx.Response | BaseException:
        try:
            async with server.client(timeout=REQUEST_TIMEOUT) as client:
                return await client.post(route, json=body)
        except BaseException as exc:  # noqa: BLE001 - recorded, asserted by the caller
            return exc

    tasks = [asyncio.ensure_future(post()) for _ in range(n)]
    async with server.client(timeout=REQUEST_TIMEOUT) as client:
        async def spawned() -> bool:
            st = (await client.get("status", params={"profile": "default"})).json()
            return st["state"] == "starting" and st["pid"] is not None

        await wait_until(spawned, 60, "the (never ready) server to be spawned")
    await asyncio.sleep(0.5)  # let every request reach the server
    return tasks


async def test_stop_and_status_answer_while_many_starts_wait(inproc: InProcessJupyter) -> None:
    server = inproc
    tasks = await _post_many(server, "ensure", {}, N_WAITING)
    async with server.client(timeout=REQUEST_TIMEOUT) as client:
        started = time.monotonic()
        st = await client.get("status", params={"profile": "default"})
        status_took = time.monotonic() - started
        assert st.status_code == 200 and st.json()["state"] == "starting", st.text

        started = time.monotonic()
        stopped = await client.post("stop", json={})
        stop_took = time.monotonic() - started
        assert stopped.status_code == 200, stopped.text
        assert stopped.json()["status"]["state"] == "stopped", stopped.text
        logs = await client.get("logs", params={"profile": "default", "n": 5})
        assert logs.status_code == 200
    assert status_took < 5.0, f"GET status took {status_took:.1f} s while {N_WAITING} starts waited"
    assert stop_took < 10.0, f"POST stop took {stop_took:.1f} s while {N_WAITING} starts waited (bench bar: p95 <= 2 s)"
    await asyncio.wait(tasks, timeout=30)
    answers = [t.result() for t in tasks if t.done()]
    assert len(answers) == N_WAITING, f"only {len(answers)} of {N_WAITING} waiting ensure calls answered after the stop"
    for r in answers:
        assert isinstance(r, httpx.Response), r
        body: dict[str, Any] = r.json()
        assert r.status_code == 503 and body["error"]["what_you_can_do"], body
    assert server.spawn_headers("default") == 1, "the waiting starts shared one start"


async def test_a_client_that_goes_away_releases_its_wait(inproc: InProcessJupyter) -> None:
    server = inproc
    for _ in range(40):  # clients that give up after 0.2 s: their waits must not pile up
        try:
            async with server.client(timeout=0.2) as client:
                await client.post("ensure", json={})
        except httpx.TimeoutException:
            pass
    async with server.client(timeout=REQUEST_TIMEOUT) as client:
        started = time.monotonic()
        stopped = await client.post("stop", json={})
        took = time.monotonic() - started
        assert stopped.status_code == 200 and stopped.json()["status"]["state"] == "stopped", stopped.text
    assert took < 10.0, f"POST stop took {took:.1f} s after 40 clients gave up waiting"
    assert "Traceback" not in server.log_text(), server.log_text()[-3000:]


async def test_stall_answers_while_many_starts_wait(inproc: InProcessJupyter) -> None:
    """``POST start`` waits for the server on a thread of the service: 20 of them on a server that never
    gets ready must not fill the pool so that ``stall`` (or another profile's ``ensure``) waits behind
    them until the load timeout. Identical starts share one wait, as ensures do."""
    server = inproc
    n = 20
    tasks = await _post_many(server, "start", {"ctx_size": 768}, n)
    async with server.client(timeout=REQUEST_TIMEOUT) as client:
        started = time.monotonic()
        try:
            async with server.client(timeout=10) as quick:
                stalled = await quick.post("stall", json={"reason": "no token for 30 s"})
        finally:
            took = time.monotonic() - started
            await client.post("stop", json={})
        assert stalled.status_code == 200 and stalled.json()["replaced"] is False, stalled.text
    answers = await asyncio.wait_for(asyncio.gather(*tasks), 60)
    assert took < 5.0, f"POST stall took {took:.1f} s while {n} starts waited"
    for r in answers:
        assert isinstance(r, httpx.Response) and r.status_code == 503, r
    assert server.spawn_headers("default") == 1, "the waiting starts shared one start"


async def test_status_answers_while_a_start_reads_a_slow_model_header(inproc: InProcessJupyter,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """``ctx_size`` is checked against the model's trained context, read from its header: on a hung file system
    that read never returns. It must hold that one request only, never Jupyter's event loop (the header read is
    replaced here by one that blocks until released, at most 20 s)."""
    import threading

    from llama_nb.serverext import validation

    entered, release, returned = threading.Event(), threading.Event(), threading.Event()

    def slow_limits(profile: Any, settings: Any) -> tuple[int, int, str]:
        entered.set()
        release.wait(20)
        returned.set()
        return 256, 32768, "test"

    monkeypatch.setattr(validation, "ctx_limits", slow_limits)
    server = inproc

    async def start() -> httpx.Response | BaseException:
        try:
            async with server.client(timeout=5) as client:
                return await client.post("start", json={"ctx_size": 768})
        except BaseException as exc:  # noqa: BLE001 - the client gives up; the request must not hold anything
            return exc

    task = asyncio.ensure_future(start())
    try:
        assert await asyncio.to_thread(entered.wait, 30), "the start never reached the ctx_size check"
        async with server.client(timeout=REQUEST_TIMEOUT) as client:
            st = await client.get("status", params={"profile": "default"})
            answered_while_blocked = not returned.is_set()
            assert st.status_code == 200, st.text
        assert answered_while_blocked, "GET status waited for the model header read (it ran on the event loop)"
    finally:
        release.set()
        await asyncio.wait({task}, timeout=30)
        async with server.client(timeout=REQUEST_TIMEOUT) as client:
            await client.post("stop", json={})
