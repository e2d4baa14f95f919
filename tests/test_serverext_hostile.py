"""The server extension's REST API against hostile input: absurd bodies, deep nesting, event streams
whose client never reads. Pure checks of ``validation``/``events`` (Hypothesis) plus in-process Jupyter
handler tests (``jp_fetch``) for what only the handlers can show. Nothing here starts a llama-server:
every request below is refused before the service is called.
"""

from __future__ import annotations

import json
import asyncio
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from llama_nb.config import Profile, SupervisorSettings
from llama_nb.serverext import events, validation
from llama_nb.serverext.service import BadRequest

from inproc_fixtures import *  # noqa: F401,F403 - pytest-jupyter's fixtures and ``inproc``
from inproc_fixtures import InProcessJupyter, server_config
from helpers import write_script

POST_FIELDS = {
    "ensure": ("profile",),
    "start": ("profile", "ctx_size", "cpu"),
    "restart": ("profile", "ctx_size", "cpu"),
    "stop": ("profile",),
    "stall": ("profile", "reason"),
}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)
bodies = st.one_of(
    st.binary(max_size=200),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.dictionaries(st.sampled_from(["profile", "ctx_size", "cpu", "reason", "extra_args", "port", "host"]),
                    json_values, max_size=4).map(lambda v: json.dumps(v).encode()),
    st.fixed_dictionaries({}, optional={  # near-valid start bodies, so that some really spawn
        "profile": st.sampled_from([None, "default", "second", "Default", "default ", "../second"]),
        "ctx_size": st.one_of(st.integers(-2**70, 2**70), st.integers(0, 20_000), st.floats(), st.just(True)),
        "cpu": st.one_of(st.booleans(), st.none(), st.sampled_from([0, 1, "true"])),
    }).map(lambda v: json.dumps(v).encode()),
    st.sampled_from([b"NaN", b'{"ctx_size": Infinity}', b'{"ctx_size": 1e999}', b'{"ctx_size": -1}',
                     b'{"profile": "../../etc/passwd"}', b'{"profile": "\\u0000"}', b"\xff\xfe{}",
                     b'{"ctx_size": ' + b"9" * 5000 + b"}"]),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=bodies, route=st.sampled_from(sorted(POST_FIELDS)))
def test_any_body_is_a_dict_of_known_fields_or_a_bad_request(raw: bytes, route: str) -> None:
    """Every body: parsed into known fields with checked values, or BadRequest; never another exception."""
    profile = Profile(name="default", ctx_size=1024)
    try:
        data = validation.parse_body(raw, POST_FIELDS[route])
        options = validation.start_options(data, profile, SupervisorSettings()) if "ctx_size" in POST_FIELDS[route] else {}
    except BadRequest:
        return
    assert set(data) <= set(POST_FIELDS[route])
    assert data.get("profile") is None or isinstance(data["profile"], str)
    ctx = options.get("ctx_size")
    assert ctx is None or (type(ctx) is int and 0 < ctx <= 2**20)
    assert options.get("cpu") in (None, True, False)


@pytest.mark.parametrize("raw", [b"[" * 60_000, b'{"profile": ' * 5_000 + b"1" + b"}" * 5_000])
def test_deeply_nested_json_is_a_bad_request(raw: bytes) -> None:
    """Within the 64 KiB limit, JSON nested ~10,000 deep makes Python's parser raise RecursionError (not a
    ValueError): it must be a 400 like any other body that is not a JSON object, not a 500."""
    assert len(raw) <= validation.MAX_BODY_BYTES
    with pytest.raises(BadRequest, match="JSON"):
        validation.parse_body(raw, ("profile",))


async def test_deeply_nested_json_gets_a_400_not_a_500(inproc: InProcessJupyter) -> None:
    for route in POST_FIELDS:
        response = await inproc.post(route, content=b"[" * 60_000)
        assert response.status_code == 400, f"POST {route}: {response.status_code} {response.text[:300]}"
        assert "JSON" in response.json()["message"]


async def test_stall_refuses_unauthenticated_requests(inproc: InProcessJupyter) -> None:
    """``stall`` (not in test_serverext's ROUTES): no token, a wrong one, or a token without XSRF."""
    for headers in ({}, {"Authorization": "token not-the-token"}):
        async with inproc.client(auth=False, headers=headers, timeout=30) as client:
            response = await client.post("stall", json={"reason": "x"})
        assert response.status_code == 403, f"{headers}: {response.status_code} {response.text[:200]}"


def _event(seq: int, profile: str = "default") -> dict[str, Any]:
    return {"profile": profile, "seq": seq, "state": "restarting", "detail": "x" * 1000}


def test_a_listener_that_is_not_read_stays_bounded() -> None:
    """An events client that never reads blocks its stream's flush; what the hub keeps offering it must not
    pile up without bound (a crash loop publishes forever). The newest status of each profile survives."""
    import asyncio

    async def run() -> None:
        listener = events.Listener(None)
        for seq in range(1, 20_001):
            listener.offer(_event(seq, "default" if seq % 3 else "second"))
        assert listener.queue.qsize() <= events.MAX_QUEUED, listener.queue.qsize()
        drained = []
        while not listener.queue.empty():
            drained.append(listener.queue.get_nowait())
        last = {e["profile"]: e["seq"] for e in drained}
        assert last == {"default": 20_000, "second": 19_998}
        seqs = [e["seq"] for e in drained]
        assert seqs == sorted(seqs), "events keep their order"

    asyncio.run(run())


def test_a_listener_that_keeps_up_gets_every_event() -> None:
    """Under the bound nothing is dropped: a reader that keeps up sees restarting, then ready."""
    import asyncio

    async def run() -> None:
        listener = events.Listener("default")
        for seq in range(1, 11):
            listener.offer(_event(seq))
        assert [listener.queue.get_nowait()["seq"] for _ in range(10)] == list(range(1, 11))

    asyncio.run(run())


async def test_query_profile_names_are_checked_like_body_ones(inproc: InProcessJupyter) -> None:
    """``?profile=`` of status, logs and events: over 200 characters is refused as in a body (docs/security.md's
    promise), and the answer does not echo a 30,000-character name back; ``../`` and unicode are just unknown (tornado drops control characters from query arguments)."""
    long = "a" * 30_000
    for route in ("status", "logs", "events"):
        response = await inproc.get(route, params={"profile": long})
        assert response.status_code == 400, f"GET {route}: {response.status_code}"
        assert '"profile" must be a profile name' in response.json()["message"], response.text[:300]
        assert len(response.text) < 2_000, f"GET {route} echoed {len(response.text)} characters"
        for odd in ("../../etc/passwd", "défault\u202e", "%2e%2e"):
            response = await inproc.get(route, params={"profile": odd})
            assert response.status_code == 400, f"GET {route} {odd!r}: {response.status_code} {response.text[:200]}"
            assert "there is no profile" in response.json()["message"]


@pytest.fixture
def argv_log(tmp_path: Path) -> Path:
    return tmp_path / "argv.log"


@pytest.fixture
def jp_server_config(tmp_path: Path, argv_log: Path) -> Any:
    """A stand-in llama-server that records its argv and refuses it at once (bad_argument, not retried):
    what matters here is which settings reach a spawn, not a model loading."""
    script = write_script(tmp_path / "llama-server-records-argv",
                          f"#!/bin/sh\n# stand-in: records its argv, then refuses it\n"
                          f"printf '%s\\n' \"$*\" >> {str(argv_log)!r}\n"
                          f"echo 'error: invalid argument: --stand-in' >&2\nexit 1\n")
    return server_config(f'c.LlamaNB.server = {str(script)!r}\nc.LlamaNB.profiles = {{"second": {{"ctx_size": 512}}}}\n')


async def test_any_body_to_any_post_route_is_answered_and_spawns_only_checked_settings(
        inproc: InProcessJupyter, argv_log: Path) -> None:
    """Hypothesis over the real handlers: every body to every POST route gets a JSON answer (a 400 card
    message, or 200/503 with a status) within a bound, never a 500; every spawn it caused has a
    ``--ctx-size`` within the profile's limits, the loopback host, and none of the body's extra fields."""
    import httpx

    def run() -> None:
        with httpx.Client(base_url=inproc.api, headers={"Authorization": f"token {inproc.token}"},
                          timeout=30, trust_env=False) as client:
            @settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
            @given(raw=bodies, route=st.sampled_from(sorted(POST_FIELDS)))
            @example(raw=b'{"ctx_size": 2048, "cpu": true}', route="start")
            @example(raw=b'{"ctx_size": 8192, "profile": "second"}', route="restart")
            @example(raw=b'{"ctx_size": 8193}', route="start")
            @example(raw=b'{"ctx_size": 2048, "extra_args": ["--host", "0.0.0.0"]}', route="start")
            def post(raw: bytes, route: str) -> None:
                response = client.post(route, content=raw, headers={"Content-Type": "application/json"})
                assert response.status_code in (200, 400, 503), f"POST {route} {raw[:100]!r}: {response.status_code} {response.text[:300]}"
                data = response.json()
                if response.status_code == 400:
                    assert data["message"], data
                elif response.status_code == 503:
                    assert data["error"]["what_happened"] and data["error"]["what_you_can_do"], data

            post()

    await asyncio.wait_for(asyncio.to_thread(run), 240)
    spawned = argv_log.read_text().splitlines() if argv_log.exists() else []
    assert spawned, "no body reached a spawn: the check below would prove nothing"
    for argv in spawned:
        words = argv.split()
        assert words[words.index("--host") + 1] == "127.0.0.1", argv
        ctx = int(words[words.index("-c") + 1])
        assert 512 <= ctx <= 8192, argv  # min_ctx_size .. SmolLM2's trained context
        assert "extra_args" not in argv and "0.0.0.0" not in argv, argv
    assert "Traceback" not in inproc.log_text(), inproc.log_text()[-3000:]
