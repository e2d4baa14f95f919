"""Backends, client, argument parsing and pre-flight of the kernel side, against a real llama-server."""

from __future__ import annotations

import _thread
import signal
import threading
import time
from pathlib import Path

import httpx
import psutil
import pytest

from kernel_fixtures import CTX, LONG_PROMPT, RemoteServer, free_port, llama_env, remote_server, servers_for_state, wait_for  # noqa: F401
from llama_nb.config import LlamaNB
from llama_nb.answer import prompts
from llama_nb.kernel.args import Command, UsageError, parse
from llama_nb.kernel.backends import AutoBackend, EmbeddedBackend, RemoteBackend
from llama_nb.kernel.client import ChatHTTPError, ConnectFailed, LlamaClient, split_url
from llama_nb.kernel.preflight import Preflight
from llama_nb.supervisor import LlamaNBError, State, Status
from llama_nb.render import magic


def _config(**traits: object) -> LlamaNB:
    cfg = LlamaNB()
    for name, value in traits.items():
        setattr(cfg, name, value)
    return cfg


@pytest.fixture
def embedded(llama_env: Path):
    cfg = _config()
    backend = EmbeddedBackend(cfg.all_profiles(), cfg.settings(), cfg.default_profile)
    yield backend
    backend.close()


# --------------------------------------------------------------------------------------------------
# Argument parsing (no server)
# --------------------------------------------------------------------------------------------------


def test_parse_keeps_text_literal() -> None:
    cmd = parse("ask -m big --max-tokens 20 -o out what is {x} and $y? 'quoted' -1")
    assert (cmd.name, cmd.model, cmd.max_tokens, cmd.out) == ("ask", "big", 20, "out")
    assert cmd.text == "what is {x} and $y? 'quoted' -1"
    assert parse("ask -- --max-tokens is an option").text == "--max-tokens is an option"
    assert parse("explain --no-stream --temperature=0.5").stream is False
    assert parse("start --cpu --ctx 2048") == Command("start", ctx=2048, cpu=True)
    assert parse("logs -n 7").n == 7
    assert parse("").name == "help"


@pytest.mark.parametrize("line", ["bogus", "ask --max-tokens x", "ask -o 1abc hi", "status --ctx 5", "stop now", "start --ctx 10"])
def test_parse_errors_name_the_problem(line: str) -> None:
    with pytest.raises(UsageError):
        parse(line)


def test_split_url() -> None:
    assert split_url("http://h:1/v1/") == ("http://h:1", "http://h:1/v1")
    assert split_url("http://h:1") == ("http://h:1", "http://h:1/v1")


def test_prompts_pass_braces_through() -> None:
    code = "d = {k: v for k, v in x.items()}\nprint(f'{d!r} {{literal}}')"
    assert code in prompts.explain_code(code)[1]["content"]
    assert code in prompts.fix(code, "Traceback ...")[1]["content"]


def test_answer_markdown_cannot_carry_html() -> None:
    from llama_nb.kernel.display import render_markdown

    answer = 'Use <img src=x onerror="alert(1)"> & `a<b`:\n```python\nif a < b and c & d:\n    pass\n```\nthen <b>bold</b>'
    html = render_markdown(answer)
    assert "<img" not in html and "<b>" not in html and "&lt;img" in html and "<code>a&lt;b</code>" in html
    assert '<code class="language-python">if a &lt; b and c &amp; d:' in html, "code blocks keep every character"
    streaming = "text <i>\n```\nx < y"  # an unclosed fence stays code
    assert render_markdown(streaming) == "<p>text &lt;i&gt;</p>\n<pre><code>x &lt; y</code></pre>\n"


# --------------------------------------------------------------------------------------------------
# Client and embedded backend against a real server
# --------------------------------------------------------------------------------------------------


def test_embedded_backend_lifecycle(embedded: EmbeddedBackend, llama_env: Path) -> None:
    seen: list[Status] = []
    embedded.subscribe(seen.append)
    assert embedded.profiles()["default"].state == State.NOT_STARTED

    status, conn = embedded.ensure(None)
    assert status.state.is_up and status.ctx_actual == CTX and status.pid
    assert conn.url.startswith("http://127.0.0.1:") and conn.api_key
    assert any(s.state == State.STARTING for s in seen) and seen[-1].state.is_up
    assert embedded.logs(None, 5)
    assert embedded.status("default").pid == status.pid

    # Fast path: a second ensure on a healthy server is an in-memory read.
    t0 = time.perf_counter()
    again, _ = embedded.ensure(None)
    assert again.pid == status.pid and time.perf_counter() - t0 < 0.05

    stopped = embedded.stop(None)
    assert stopped.state == State.STOPPED and not psutil.pid_exists(status.pid) or psutil.Process(status.pid).status() == psutil.STATUS_ZOMBIE
    embedded.ensure(None)
    embedded.close()
    wait_for(lambda: not servers_for_state(llama_env), 15, "no llama-server left after close()")


def test_client_streams_counts_and_stops_on_interrupt(embedded: EmbeddedBackend) -> None:
    status, conn = embedded.ensure(None)
    client = LlamaClient(conn.url, conn.api_key)
    try:
        n = client.count_prompt_tokens(prompts.ask("What is Python?"))
        assert n is not None and 10 < n < 100

        with client.chat(prompts.ask("What is Python?"), max_tokens=12, temperature=0) as stream:
            deltas = list(stream)
        assert "".join(deltas) == stream.answer.text and stream.answer.text.strip()
        assert stream.answer.finish_reason in ("length", "stop")
        assert stream.answer.timings and stream.answer.timings["predicted_n"] >= 1

        # A kernel interrupt is a KeyboardInterrupt in the thread that reads the stream. That needs SIGINT's
        # default handler in this process, which something earlier in the full suite leaves ignored (SIG_IGN, as
        # ipykernel's IPKernelApp.init_signal sets it): set it for this part, and put back what was there.
        handler = signal.signal(signal.SIGINT, signal.default_int_handler)
        started = threading.Event()
        timer = threading.Thread(target=lambda: started.wait(30) and _thread.interrupt_main(), daemon=True)
        timer.start()
        t_interrupt = None
        interrupted = False
        try:
            # ignore_eos: the answer cannot end on its own before the interrupt arrives
            with client.chat([{"role": "user", "content": LONG_PROMPT}], max_tokens=900, extra={"ignore_eos": True}) as stream:
                for _ in stream:
                    if not started.is_set():
                        t_interrupt = time.monotonic()
                        started.set()
        except KeyboardInterrupt:
            interrupted = True
        finally:
            signal.signal(signal.SIGINT, handler)
        answer = stream.answer
        assert interrupted, (f"the stream ended without the interrupt: {len(answer.text)} characters, finish {answer.finish_reason!r}, "
                             f"timings {answer.timings}, SIGINT handler before {handler!r}, interrupt sent {started.is_set()}")
        assert stream.answer.interrupted

        # llama-server notices the closed connection and frees the slot; the server stays healthy.
        def idle() -> bool:
            slots = httpx.get(f"{conn.url}/slots", headers={"Authorization": f"Bearer {conn.api_key}"}).json()
            return not any(s.get("is_processing") for s in slots)

        wait_for(idle, 2.0, "llama-server to stop generating after the stream was closed")
        assert embedded.status(None).pid == status.pid
        assert client.complete(prompts.ask("Say hi."), max_tokens=4).text
    finally:
        client.close()


def test_a_side_request_ends_once_it_holds_what_is_used_and_the_server_stops_generating(embedded: EmbeddedBackend) -> None:
    # A retry is used only up to its code block's end, a cause only to its first paragraph: ``until`` closes
    # the stream there. ignore_eos and 900 tokens: the answer cannot end on its own first.
    status, conn = embedded.ensure(None)
    client = LlamaClient(conn.url, conn.api_key)
    try:
        seen: list[str] = []

        def enough(text: str) -> bool:
            seen.append(text)
            return len(text) >= 20 and "\n" in text

        answer = client.complete([{"role": "user", "content": LONG_PROMPT}], max_tokens=900, temperature=0, extra={"ignore_eos": True}, until=enough)
        assert answer.extra.get("enough") is True and answer.finish_reason is None
        assert answer.text == seen[-1] and not any(len(t) >= 20 and "\n" in t for t in seen[:-1])
        assert seen and all("\n" in t for t in seen), "asked only once a line has ended"

        def idle() -> bool:
            slots = httpx.get(f"{conn.url}/slots", headers={"Authorization": f"Bearer {conn.api_key}"}).json()
            return not any(s.get("is_processing") for s in slots)

        # Idle within 2 s, where the 900 tokens asked for take SmolLM2 over 10 s here: the server stopped.
        wait_for(idle, 2.0, "llama-server to stop generating after the side request had what it uses")
        assert client.complete(prompts.ask("Say hi."), max_tokens=4).text
    finally:
        client.close()


def test_client_reports_http_errors(embedded: EmbeddedBackend) -> None:
    status, conn = embedded.ensure(None)
    bad = LlamaClient(conn.url, "wrong-key")
    try:
        with pytest.raises(ChatHTTPError) as info:
            bad.tokenize("hello")
        assert info.value.status_code == 401
    finally:
        bad.close()
    dead = LlamaClient(f"http://127.0.0.1:{free_port()}")
    try:
        with pytest.raises(ConnectFailed):
            dead.tokenize("hello")
        with pytest.raises(ConnectFailed):
            dead.chat(prompts.ask("hi"), max_tokens=2).__enter__()
    finally:
        dead.close()


# --------------------------------------------------------------------------------------------------
# Pre-flight
# --------------------------------------------------------------------------------------------------


def test_preflight_fast_path_and_context_card(embedded: EmbeddedBackend) -> None:
    preflight = Preflight()
    try:
        first = preflight.run(embedded, None, prompts.ask("hi"), 16)
        assert first.n_prompt_tokens and first.max_tokens == 16 and not first.notes
        timings = []
        for _ in range(20):
            t0 = time.perf_counter()
            preflight.run(embedded, None, prompts.ask("hi"), 16)
            timings.append(time.perf_counter() - t0)
        timings.sort()
        # Not a benchmark (bench/ measures the 2 ms bar): only a guard against an accidental slow path.
        assert timings[len(timings) // 2] < 0.05, timings

        # Without --max-tokens the answer gets the room that is left.
        long_text = "word " * 700
        ready = preflight.run(embedded, None, prompts.ask(long_text), None)
        assert ready.max_tokens == CTX - ready.n_prompt_tokens

        with pytest.raises(LlamaNBError) as info:
            preflight.run(embedded, None, prompts.ask("word " * 1500), 64)
        card = info.value.card
        assert card.kind == "context_exceeded"
        n_prompt = int(card.evidence[0].split()[1])
        assert n_prompt > CTX and f"{n_prompt} tokens" in card.what_happened and f"{CTX} tokens" in card.what_happened
        assert any(magic(f).startswith("%llama restart --ctx 2048") for f in card.what_you_can_do)
        # Nothing was restarted.
        assert embedded.status(None).restarts == 0 and embedded.status(None).pid == first.status.pid
    finally:
        preflight.close()


# --------------------------------------------------------------------------------------------------
# Remote endpoints
# --------------------------------------------------------------------------------------------------


def test_remote_backend_checks_the_endpoint(remote_server: RemoteServer, llama_env: Path) -> None:
    cfg = _config(url=remote_server.url + "/v1", api_key=remote_server.api_key)
    backend = RemoteBackend(cfg.all_profiles())
    status, conn = backend.ensure(None)
    assert status.remote and status.state == State.READY and status.ctx_actual == CTX
    assert conn.url == remote_server.url + "/v1" and conn.api_key == remote_server.api_key
    assert "api_key" not in str(status.to_dict()) and remote_server.api_key not in str(status.to_dict())
    client = LlamaClient(conn.url, conn.api_key)
    try:
        assert client.complete(prompts.ask("Say hi."), max_tokens=4, model=status.model).text
    finally:
        client.close()

    wrong = RemoteBackend(_config(url=remote_server.url, api_key="nope").all_profiles())
    with pytest.raises(LlamaNBError) as info:
        wrong.ensure(None)
    assert info.value.card.kind == "connection_failed" and "401" in info.value.card.what_happened
    assert wrong.status(None).state == State.FAILED

    dead_url = f"http://127.0.0.1:{free_port()}"
    dead = RemoteBackend(_config(url=dead_url).all_profiles(), timeout=1.0)
    t0 = time.monotonic()
    with pytest.raises(LlamaNBError) as info:
        dead.ensure(None)
    assert time.monotonic() - t0 < 3.0
    card = info.value.card
    assert card.kind == "connection_failed" and dead_url in card.what_happened
    assert card.what_you_can_do and magic(card.what_you_can_do[0]).startswith("curl -s " + dead_url)


# --------------------------------------------------------------------------------------------------
# Backend choice
# --------------------------------------------------------------------------------------------------


def test_auto_backend_choice(llama_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = _config(profiles={"far": {"url": "http://127.0.0.1:9/v1"}})
    # The extension's URL is set but nothing answers there: embedded, without starting anything.
    monkeypatch.setenv("LLAMA_NB_API_URL", f"http://127.0.0.1:{free_port()}/llama-nb/api/")
    auto = AutoBackend(lambda: cfg)
    try:
        assert auto.backend_of(None) == "embedded"
        assert auto.backend_of("far") == "remote"
        assert set(auto.profiles()) == {"default", "far"}
        assert auto.profiles()["default"].state == State.NOT_STARTED
        assert not servers_for_state(llama_env)

        # A setting that cannot work becomes a bad_config card, on the next call.
        cfg.profiles = {"broken": {"bogus": 1}}
        with pytest.raises(LlamaNBError) as info:
            auto.status(None)
        assert info.value.card.kind == "bad_config" and "bogus" in info.value.card.what_happened
    finally:
        auto.close()

    monkeypatch.setenv("LLAMA_NB_URL", "http://127.0.0.1:9/v1")
    auto = AutoBackend(LlamaNB)
    try:
        assert auto.backend_of(None) == "remote"
    finally:
        auto.close()

    monkeypatch.delenv("LLAMA_NB_URL")
    auto = AutoBackend(LlamaNB)
    try:
        assert auto.backend_of(None) == "embedded"
        first = auto.local
        # Changing LLAMA_NB_BACKEND (%env) is read at the next call: a new choice is made.
        monkeypatch.setenv("LLAMA_NB_BACKEND", "sideways")
        with pytest.raises(LlamaNBError) as info:
            auto.status(None)
        assert info.value.card.kind == "bad_config" and "LLAMA_NB_BACKEND" in info.value.card.what_happened
        monkeypatch.setenv("LLAMA_NB_BACKEND", "embedded")
        assert auto.backend_of(None) == "embedded" and auto.local is not first
    finally:
        auto.close()

    monkeypatch.setenv("LLAMA_NB_BACKEND", "extension")
    monkeypatch.delenv("LLAMA_NB_API_URL")
    auto = AutoBackend(LlamaNB)
    try:
        with pytest.raises(LlamaNBError) as info:
            auto.status(None)
        assert info.value.card.kind == "bad_config" and "LLAMA_NB_API_URL" in info.value.card.what_happened
    finally:
        auto.close()


def test_embedded_reconfigure_applies_config_changes(llama_env: Path) -> None:
    cfg = _config()
    auto = AutoBackend(lambda: cfg)
    try:
        status, _ = auto.ensure(None)
        assert status.ctx_actual == CTX
        cfg.ctx_size = 2 * CTX  # what `%config LlamaNB.ctx_size = 2048` does
        status2, _ = auto.ensure(None)
        assert status2.ctx_actual == 2 * CTX and status2.pid != status.pid
        assert not psutil.pid_exists(status.pid) or psutil.Process(status.pid).status() == psutil.STATUS_ZOMBIE
    finally:
        auto.close()
    wait_for(lambda: not servers_for_state(llama_env), 15, "no llama-server left after close()")


# --------------------------------------------------------------------------------------------------
# The server extension's REST API (a real Jupyter server)
# --------------------------------------------------------------------------------------------------


def test_extension_backend_over_rest(llama_env: Path, tmp_path: Path) -> None:
    from serverext_fixtures import start_jupyter

    from llama_nb.kernel.extension import ExtensionBackend

    server = start_jupyter(tmp_path / "jupyter")
    backend = ExtensionBackend(server.api, server.token)
    try:
        assert backend.answers()
        assert backend.profiles()["default"].state == State.NOT_STARTED
        seen: list[Status] = []
        backend.subscribe(seen.append)
        assert backend.wait_events_live(30), "the event stream did not connect"

        status, conn = backend.ensure(None)
        assert status.profile == "default" and status.state.is_up and status.ctx_actual == CTX
        assert conn.url.startswith("http://127.0.0.1:") and conn.api_key
        wait_for(lambda: any(s.state.is_up for s in seen), 10, "a ready status on the event stream")

        # Fast path: while the event stream says the profile is up, ensure makes no request.
        requests: list[str] = []
        backend._http.event_hooks["request"].append(lambda r: requests.append(str(r.url)))
        again, conn2 = backend.ensure(None)
        assert again.pid == status.pid and conn2 == conn and requests == []

        assert backend.logs(None, 5) and backend.status("default").pid == status.pid
        restarted = backend.restart(None, ctx_size=512)
        assert restarted.ctx_actual == 512 and restarted.pid != status.pid
        fresh, conn3 = backend.ensure(None)
        assert fresh.pid == restarted.pid and conn3 != conn

        with pytest.raises(LlamaNBError) as info:
            backend.ensure("nosuch")
        assert info.value.card.kind == "bad_config" and "nosuch" in info.value.card.what_happened

        stopped = backend.stop(None)
        assert stopped.state == State.STOPPED
        wait_for(lambda: not server.llama_servers(), 15, "llama-server to stop")
    finally:
        backend.close()
        server.cleanup()

    dead = ExtensionBackend(server.api, server.token)
    try:
        assert not dead.answers(timeout=1.0)
        with pytest.raises(LlamaNBError) as info:
            dead.ensure(None)
        assert info.value.card.kind == "connection_failed"
    finally:
        dead.close()


def test_extension_backend_without_token_uses_xsrf(llama_env: Path, tmp_path: Path) -> None:
    from serverext_fixtures import start_jupyter

    from llama_nb.kernel.extension import ExtensionBackend

    server = start_jupyter(tmp_path / "jupyter", 'c.IdentityProvider.token = ""\n')
    backend = ExtensionBackend(server.api, "")
    try:
        status, conn = backend.ensure(None)
        assert status.state.is_up and conn.api_key
    finally:
        backend.close()
        server.cleanup()
