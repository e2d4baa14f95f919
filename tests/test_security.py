"""Security (docs/security.md, PRODUCT.md): each attack of issue #11, reproduced on the real parts.

Real llama-server and model, real sockets: a squatter HTTP server on the port, a recording HTTP proxy,
``/proc/PID/environ`` of the real child. The REST tests run Jupyter with the extension in this process
(pytest-jupyter, tests/inproc_fixtures.py); those of a real kernel's credential start a ``jupyter server``.
"""

from __future__ import annotations

import ipaddress
import json
import os
import subprocess
import sys
import threading
import tracemalloc
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator

import httpx
import psutil
import pytest

from helpers import llama_servers, wait_for
from llama_nb.config import ConfigError, LlamaNB, Profile, SupervisorSettings, launch_environment, profile_from_mapping
from llama_nb.kernel.backends import AutoBackend
from llama_nb.kernel.client import LlamaClient
from llama_nb.kernel.extension import ExtensionBackend
from llama_nb.kernel.remote import RemoteBackend
from llama_nb.kernel.status_view import status_text
from llama_nb.supervisor import LlamaNBError, Supervisor
from llama_nb.supervisor.process import build_argv
from llama_nb.render import magic
from inproc_fixtures import *  # noqa: F401,F403 - pytest-jupyter's fixtures and ``inproc``
from inproc_fixtures import InProcessJupyter, server_config
from serverext_fixtures import BASE_URL, REQUEST_TIMEOUT, TOKEN, JupyterServer, start_jupyter

SECRET_URL = "http://alice:hunter2@127.0.0.1:9/v1"
JUPYTER_ENV_SECRET = "s3cr3t-cloud-value"


# --------------------------------------------------------------------------------------------------
# Recording HTTP servers: a squatter on llama-server's port, a proxy
# --------------------------------------------------------------------------------------------------


class Recorder:
    """A loopback HTTP server that answers 200 to everything and records each request."""

    def __init__(self, status: int = 200) -> None:
        self.requests: list[dict[str, Any]] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                recorder.requests.append({"method": self.command, "path": self.path,
                                          "headers": dict(self.headers), "body": body.decode(errors="replace")})
                data = b'{"status": "ok"}'
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = _handle

            def do_CONNECT(self) -> None:  # an HTTPS request through the proxy
                recorder.requests.append({"method": "CONNECT", "path": self.path, "headers": dict(self.headers), "body": ""})
                self.send_response(502)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = int(self.server.server_address[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    rec = Recorder()
    yield rec
    rec.close()


def _non_loopback_host() -> str:
    """An address of this machine that is not loopback (what Jupyter binds with ``--ip``), else a name
    that resolves to loopback without looking like it."""
    for addrs in psutil.net_if_addrs().values():
        for addr in addrs:
            if addr.family.name == "AF_INET":
                ip = ipaddress.ip_address(addr.address)
                if not ip.is_loopback and not ip.is_link_local:
                    return addr.address
    return "localhost."


# --------------------------------------------------------------------------------------------------
# 1. Loopback by construction
# --------------------------------------------------------------------------------------------------

FORBIDDEN = [  # (extra_args, the argument the refusal must name); llama-server --help lists no short forms
    (["--host", "0.0.0.0"], "--host"), (["--host=0.0.0.0"], "--host=0.0.0.0"), (["--HOST", "::"], "--HOST"),
    (["--port", "8080"], "--port"), (["--port=8080"], "--port=8080"), (["--api-key", "k"], "--api-key"),
    (["--api-key=k"], "--api-key=k"), (["--api_key", "k"], "--api_key"), (["--api-key-file", "/tmp/k"], "--api-key-file"),
    (["--api-key-file=/tmp/k"], "--api-key-file=/tmp/k"), (["--reuse-port"], "--reuse-port"),
    (["--host 0.0.0.0"], "--host 0.0.0.0"), (["LLAMA_ARG_HOST=0.0.0.0"], "LLAMA_ARG_HOST=0.0.0.0"),
    (["-c", "512", "--host", "0.0.0.0"], "--host"),
]


@pytest.mark.parametrize(("args", "bad"), FORBIDDEN, ids=[" ".join(a) for a, _ in FORBIDDEN])
def test_extra_args_cannot_set_host_port_or_key(args: list[str], bad: str) -> None:
    with pytest.raises(ConfigError) as built:
        profile_from_mapping("open", {"extra_args": args})
    assert repr(bad) in str(built.value), built.value
    with pytest.raises(ConfigError):
        Profile(name="open", extra_args=tuple(args))  # no Profile can hold them, however it is built
    with pytest.raises(ValueError):
        build_argv("llama-server", "m.gguf", port=1, ctx_size=512, gpu_layers=None, extra_args=args)


UNSAFE = [  # llama-server options that reach past loopback and the verified model, in their --help spellings
    (["--path", "/"], "--path"), (["--tools", "all"], "--tools"), (["--tools=exec_shell_command"], "--tools=exec_shell_command"),
    (["-ag"], "-ag"), (["--agent"], "--agent"), (["--rpc", "10.0.0.2:50052"], "--rpc"), (["-hf", "a/b"], "-hf"),
    (["-hfr", "a/b"], "-hfr"), (["--hf-repo=a/b"], "--hf-repo=a/b"), (["-mu", "http://x/m.gguf"], "-mu"),
    (["--model-url", "http://x"], "--model-url"), (["-dr", "ai/smollm2"], "-dr"), (["-mmu", "http://x"], "-mmu"),
    (["--slot-save-path", "/tmp"], "--slot-save-path"), (["--media-path", "/"], "--media-path"), (["--props"], "--props"),
    (["--ui-mcp-proxy"], "--ui-mcp-proxy"), (["--webui_mcp_proxy"], "--webui_mcp_proxy"), (["--ssl-key-file", "k"], "--ssl-key-file"),
    (["--api-prefix", "/x"], "--api-prefix"), (["--models-dir", "/"], "--models-dir"),
    (["LLAMA_ARG_STATIC_PATH=/"], "LLAMA_ARG_STATIC_PATH=/"), (["LLAMA_ARG_TOOLS=all"], "LLAMA_ARG_TOOLS=all"),
]


@pytest.mark.parametrize(("args", "bad"), UNSAFE, ids=[" ".join(a) for a, _ in UNSAFE])
def test_extra_args_cannot_reach_past_loopback_or_the_verified_model(args: list[str], bad: str) -> None:
    with pytest.raises(ConfigError) as built:
        profile_from_mapping("open", {"extra_args": ["-c", "512", *args]})
    assert repr(bad) in str(built.value) and "Remove it" in str(built.value), built.value
    with pytest.raises(ConfigError):
        Profile(name="open", extra_args=tuple(args))


def test_the_options_that_turn_unsafe_ones_off_still_pass() -> None:
    profile = profile_from_mapping("ok", {"extra_args": ["--no-agent", "-no-ag", "--no-webui", "--pathology-note", "-hft", "t"]})
    assert profile.extra_args == ("--no-agent", "-no-ag", "--no-webui", "--pathology-note", "-hft", "t")


def test_harmless_extra_args_still_pass() -> None:
    profile = profile_from_mapping("ok", {"extra_args": ["--threads", "1", "--hostname-note"]})
    assert profile.extra_args == ("--threads", "1", "--hostname-note")


def test_profile_opening_the_host_is_a_bad_config_card_and_nothing_starts(tmp_path: Path) -> None:
    from traitlets.config import Config

    config = Config()
    config.LlamaNB.profiles = {"open": {"extra_args": ["--host", "0.0.0.0"], "ctx_size": 512}}
    backend = AutoBackend(lambda: LlamaNB(config=config))
    try:
        with pytest.raises(LlamaNBError) as raised:
            backend.ensure("open")
        card = raised.value.card
        assert card.kind == "bad_config"
        assert "'--host'" in card.what_happened and "extra_args" in card.what_happened, card.what_happened
        assert card.what_you_can_do and all(magic(f) for f in card.what_you_can_do)
        assert llama_servers(os.environ["LLAMA_NB_STATE_DIR"]) == []
    finally:
        backend.close()


def test_every_listening_socket_of_the_child_is_loopback(fast_settings: SupervisorSettings, supervisors: list) -> None:
    sup = Supervisor(Profile(ctx_size=512, extra_args=("--threads", "1")), fast_settings)
    supervisors.append(sup)
    status = sup.ensure(timeout=120)
    assert status.pid is not None
    group = [psutil.Process(status.pid)] + psutil.Process(status.pid).children(recursive=True)
    listening = [c.laddr for p in group for c in p.net_connections(kind="inet") if c.status == psutil.CONN_LISTEN]
    assert listening, "llama-server listens on nothing?"
    assert all(ipaddress.ip_address(addr.ip).is_loopback for addr in listening), listening


# --------------------------------------------------------------------------------------------------
# 2. Port ownership
# --------------------------------------------------------------------------------------------------


def test_a_squatter_answering_health_is_port_in_use_and_gets_no_key_or_prompt(
    recorder: Recorder, fast_settings: SupervisorSettings, supervisors: list
) -> None:
    sup = Supervisor(Profile(ctx_size=512, port=recorder.port), fast_settings)
    supervisors.append(sup)
    with pytest.raises(LlamaNBError) as raised:
        sup.ensure(timeout=120)
    card = raised.value.card
    assert card.kind == "port_in_use", card.to_text()
    assert str(recorder.port) in card.title and str(recorder.port) in card.what_happened, card.to_text()
    assert sup.status().state.value == "failed" and sup.connection() is None
    for request in recorder.requests:
        assert "authorization" not in {k.lower() for k in request["headers"]}, request
        assert request["method"] == "GET" and request["path"] == "/health", request
    assert sup.spawn_count == 1, "a taken fixed port is not retried"


# --------------------------------------------------------------------------------------------------
# 3, 5, 6. A real Jupyter server: minimal environment, scoped kernel credential, REST input, secrets
# --------------------------------------------------------------------------------------------------

JUPYTER_CONFIG = f"""
c.ServerApp.ip = "0.0.0.0"
c.ServerApp.allow_remote_access = True
c.LlamaNB.profiles = {{
    "idle": {{"ctx_size": 512}},
    "far": {{"url": {SECRET_URL!r}, "api_key": "remote-secret"}},
}}
"""


JUPYTER_ENV = {"MY_CLOUD_SECRET": JUPYTER_ENV_SECRET, "LLAMA_ARG_HOST": "0.0.0.0", "LLAMA_ARG_PORT": "1"}


@pytest.fixture(scope="module")
def jupyter(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterServer]:
    server = start_jupyter(tmp_path_factory.mktemp("security"), JUPYTER_CONFIG, env=JUPYTER_ENV)
    try:
        yield server
    finally:
        server.cleanup()


@pytest.fixture
def jp_server_config(monkeypatch: pytest.MonkeyPatch) -> Any:
    """The in-process Jupyter: the same configuration, and the same environment (set before it starts)."""
    for name, value in JUPYTER_ENV.items():
        monkeypatch.setenv(name, value)
    return server_config(JUPYTER_CONFIG)


async def _overview(server: InProcessJupyter) -> dict[str, Any]:
    data = (await server.get("status")).json()
    return {name: (st["state"], st["seq"], st["pid"]) for name, st in data["profiles"].items()}


async def test_rest_input_is_refused_before_anything_starts(inproc: InProcessJupyter) -> None:
    from llama_nb.config import bundled_model_path
    from llama_nb.supervisor.gguf import read_gguf

    model = bundled_model_path()
    assert model is not None
    trained = read_gguf(model).arch_value("context_length")
    assert trained, "the default model's GGUF names its trained context"
    cases = [
        ("POST", "start", {"json": {"ctx_size": 2147483648}}, 400, '"ctx_size"'),
        ("POST", "start", {"json": {"profile": "idle", "ctx_size": trained + 1}}, 400, str(trained)),
        ("POST", "restart", {"json": {"profile": "idle", "ctx_size": 100}}, 400, "between 512"),
        ("POST", "start", {"json": {"profile": "idle", "ctx_size": True}}, 400, '"ctx_size"'),
        ("POST", "start", {"json": {"profile": "idle", "cpu": "yes"}}, 400, '"cpu"'),
        ("POST", "ensure", {"json": {"profile": 7}}, 400, '"profile"'),
        ("POST", "ensure", {"json": {"profile": "x" * 300}}, 400, '"profile"'),
        ("POST", "start", {"content": b'{"profile": "idle", "ctx_size": 5'}, 400, "not valid JSON"),
        ("POST", "start", {"content": b"\xff\xfe{}"}, 400, "not valid JSON"),
        ("POST", "start", {"json": {"profile": "idle", "pad": "x" * (70 * 1024)}}, 413, "65536"),
        ("POST", "ensure", {"content": b" " * (64 * 1024 + 1)}, 413, "65536"),
        ("GET", "logs", {"params": {"profile": "idle", "n": "5001"}}, 400, "5000"),
        ("GET", "logs", {"params": {"profile": "idle", "n": "-1"}}, 400, '"n"'),
    ]
    before = await _overview(inproc)
    for method, route, kwargs, code, expected in cases:
        response = await inproc.fetch(method, route, **kwargs)
        assert response.status_code == code, f"{method} {route}: {response.status_code} {response.text[:300]}"
        message = response.json().get("message", "")
        assert expected in message, f"{method} {route}: {message!r} should say {expected!r}"
    assert await _overview(inproc) == before, "a refused request must change nothing"
    assert inproc.llama_servers() == [], "a refused request must start nothing"
    assert not (inproc.state_dir / "logs" / "idle.log").exists()
    assert inproc.spawn_headers("default") == 0


async def _raw_post(inproc: InProcessJupyter, headers: str, body: bytes, until_reply_s: float = 10.0) -> tuple[int, bytes]:
    """POST ``ensure`` over a bare socket, send ``body`` (possibly much less than declared), and read the reply."""
    import asyncio

    reader, writer = await asyncio.open_connection("127.0.0.1", inproc.port)
    try:
        writer.write((f"POST {inproc.base_url}llama-nb/api/ensure HTTP/1.1\r\nHost: 127.0.0.1:{inproc.port}\r\n"
                      f"Authorization: token {inproc.token}\r\nContent-Type: application/json\r\n{headers}\r\n").encode() + body)
        try:
            await writer.drain()
        except ConnectionError:
            pass  # the server answered and closed while the body was still going out: read what it said
        try:
            reply = await asyncio.wait_for(reader.read(65536), until_reply_s)
        except asyncio.TimeoutError:
            raise AssertionError(f"no reply in {until_reply_s} s: the server is waiting for the rest of the body") from None
    finally:
        writer.close()
    status = int(reply.split(b" ", 2)[1]) if reply.startswith(b"HTTP/1.1 ") else 0
    return status, reply


async def test_an_oversized_body_is_refused_before_it_is_read(inproc: InProcessJupyter) -> None:
    """A declared 100 MB body gets its 413 at once, with only 2 bytes sent: Jupyter's own limit (hundreds of MB) would
    have tornado wait for and buffer all of it before llama-nb's 64 KiB check; a chunked body is cut at the limit."""
    before = await _overview(inproc)
    status, reply = await _raw_post(inproc, "Content-Length: 104857600\r\n", b'{"')
    assert status == 413 and b"65536" in reply, reply[:400]
    status, reply = await _raw_post(inproc, "Content-Length: 12abc\r\n", b"{}")
    assert status == 400 and b"Content-Length" in reply, reply[:400]
    chunk = b"x" * 8192
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(10)) + b"0\r\n\r\n"
    status, reply = await _raw_post(inproc, "Transfer-Encoding: chunked\r\n", chunked)
    assert status in (400, 413), reply[:400]
    # Within the limit, streamed or not, a body is still read whole and checked as before.
    small = json.dumps({"profile": "no-such-profile"}).encode()
    status, reply = await _raw_post(inproc, "Transfer-Encoding: chunked\r\n", b"%x\r\n%s\r\n0\r\n\r\n" % (len(small), small))
    assert status in (400, 404) and b"no-such-profile" in reply, reply[:400]
    assert await _overview(inproc) == before and inproc.llama_servers() == []


async def _one_reply(reader: Any) -> bytes:
    """One HTTP/1.1 response: its headers, then as many body bytes as its Content-Length says."""
    import asyncio

    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
    length = next((int(h.split(b":", 1)[1]) for h in head.split(b"\r\n") if h.lower().startswith(b"content-length:")), 0)
    return head + (await asyncio.wait_for(reader.readexactly(length), 10) if length else b"")


async def test_a_refused_post_with_a_body_keeps_its_connection(inproc: InProcessJupyter) -> None:
    """Streamed bodies must not cost a refusal its connection: a 403 decided before the body was read made tornado
    close the keep-alive connection after answering, and a client that sent its next request on it in the meantime
    (httpx does) got "connection reset" (a CI flake of test_kill9_of_jupyter_leaves_no_llama_server). Refusals now wait
    for the body, so the same connection answers the next request."""
    import asyncio

    reader, writer = await asyncio.open_connection("127.0.0.1", inproc.port)
    host = f"Host: 127.0.0.1:{inproc.port}\r\n"
    try:
        for attempt, token in enumerate(["wrong", inproc.token]):
            body = json.dumps({"profile": "no-such-profile", "pad": "x" * 3000}).encode()
            writer.write((f"POST {inproc.base_url}llama-nb/api/ensure HTTP/1.1\r\n{host}Authorization: token {token}\r\n"
                          f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body)
            reply = await _one_reply(reader)
            assert reply.startswith(b"HTTP/1.1 403 " if attempt == 0 else b"HTTP/1.1 400 "), reply[:300]
            assert b"connection: close" not in reply.lower(), reply[:300]
            writer.write((f"GET {inproc.base_url}llama-nb/api/status HTTP/1.1\r\n{host}"
                          f"Authorization: token {inproc.token}\r\n\r\n").encode())
            try:
                status = await _one_reply(reader)
            except (asyncio.IncompleteReadError, ConnectionError) as exc:
                raise AssertionError(f"after the {reply[9:12].decode()} the server closed the connection: {exc!r}") from None
            assert status.startswith(b"HTTP/1.1 200 "), status[:300]
    finally:
        writer.close()
    assert inproc.llama_servers() == []


async def test_llama_server_gets_a_minimal_environment(inproc: InProcessJupyter) -> None:
    assert os.environ["MY_CLOUD_SECRET"] == JUPYTER_ENV_SECRET and inproc.token == TOKEN  # Jupyter holds both
    answer = (await inproc.post("ensure", {})).json()
    pid = answer["status"]["pid"]
    env = psutil.Process(pid).environ()
    raw = Path(f"/proc/{pid}/environ").read_bytes().decode(errors="replace")
    assert TOKEN not in raw, "the Jupyter token reached llama-server's environment"
    assert JUPYTER_ENV_SECRET not in raw and "MY_CLOUD_SECRET" not in env
    assert "LLAMA_NB_API_TOKEN" not in env and "LLAMA_ARG_HOST" not in env and "LLAMA_ARG_PORT" not in env
    assert env.get("LLAMA_API_KEY") == answer["connection"]["api_key"]
    from llama_nb.config import server_env_allowed

    assert all(server_env_allowed(k) or k == "LLAMA_API_KEY" for k in env), sorted(env)
    # LLAMA_ARG_HOST=0.0.0.0 in Jupyter's environment changes nothing: loopback only.
    for proc in [psutil.Process(pid)] + psutil.Process(pid).children(recursive=True):
        for conn in proc.net_connections(kind="inet"):
            if conn.status == psutil.CONN_LISTEN:
                assert ipaddress.ip_address(conn.laddr.ip).is_loopback, conn


def test_launch_environment_is_an_allow_list() -> None:
    base = {"PATH": "/usr/bin", "HOME": "/root", "LANG": "C.UTF-8", "LC_ALL": "C", "CUDA_VISIBLE_DEVICES": "0",
            "GGML_VK_VISIBLE_DEVICES": "1", "VK_ICD_FILENAMES": "/x.json", "HIP_VISIBLE_DEVICES": "0",
            "ROCR_VISIBLE_DEVICES": "0", "TMPDIR": "/tmp", "JUPYTER_TOKEN": "t", "LLAMA_NB_API_TOKEN": "t",
            "HF_TOKEN": "t", "AWS_SECRET_ACCESS_KEY": "s", "LLAMA_ARG_HOST": "0.0.0.0", "LLAMA_API_KEY": "k",
            "GGML_TOKEN": "t", "PYTHONPATH": "/x", "LD_PRELOAD": "/evil.so"}
    env = launch_environment(Path(sys.executable), base)
    assert set(env) == {"PATH", "HOME", "LANG", "LC_ALL", "CUDA_VISIBLE_DEVICES", "GGML_VK_VISIBLE_DEVICES",
                        "VK_ICD_FILENAMES", "HIP_VISIBLE_DEVICES", "ROCR_VISIBLE_DEVICES", "TMPDIR"}, sorted(env)


def _kernel_env(jupyter: JupyterServer) -> Iterator[dict[str, str]]:
    with httpx.Client(base_url=jupyter.root_url, headers={"Authorization": f"token {TOKEN}"},
                      timeout=REQUEST_TIMEOUT, trust_env=False) as client:
        response = client.post("api/kernels", json={"name": "python3"})
        assert response.status_code == 201, response.text
        kernel_id = response.json()["id"]
        try:
            def env() -> dict[str, str] | None:
                for child in psutil.Process(jupyter.pid).children(recursive=True):
                    try:
                        if any("ipykernel" in part for part in child.cmdline()):
                            return child.environ()
                    except psutil.Error:
                        continue
                return None

            yield wait_for(env, 60, "the kernel process to appear")
        finally:
            client.delete(f"api/kernels/{kernel_id}")


def test_kernels_get_a_credential_scoped_to_llama_nb(jupyter: JupyterServer) -> None:
    env = next(gen := _kernel_env(jupyter))
    try:
        token = env["LLAMA_NB_API_TOKEN"]
        assert token and token != TOKEN and TOKEN not in json.dumps(env), "the kernel got Jupyter's token"
        auth = {"Authorization": f"token {token}"}
        with httpx.Client(headers=auth, timeout=REQUEST_TIMEOUT, trust_env=False) as client:
            assert client.get(env["LLAMA_NB_API_URL"] + "status").status_code == 200
            # A POST needs no XSRF cookie with this header credential, as with a Jupyter token.
            stopped = client.post(env["LLAMA_NB_API_URL"] + "stop", json={"profile": "idle"})
            assert stopped.status_code == 200, stopped.text
            for path in ("api/kernels", "api/contents", "api/sessions", "api/terminals"):
                refused = client.get(jupyter.root_url + path)
                assert refused.status_code in (401, 403), f"{path}: {refused.status_code} with the kernel's credential"
            assert client.post(jupyter.root_url + "api/kernels", json={"name": "python3"}).status_code in (401, 403)
        # Kernel discovery still works with it.
        backend = ExtensionBackend(env["LLAMA_NB_API_URL"], token)
        try:
            assert backend.answers(timeout=30)
        finally:
            backend.close()
    finally:
        gen.close()


@pytest.fixture
def proxy_env(recorder: Recorder, monkeypatch: pytest.MonkeyPatch) -> Recorder:
    for var in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(var, raising=False)
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.setenv(var, recorder.url)
    return recorder


def test_jupyter_and_loopback_traffic_never_goes_through_a_proxy(jupyter: JupyterServer, proxy_env: Recorder) -> None:
    host = _non_loopback_host()
    env = next(gen := _kernel_env(jupyter))
    try:
        api = f"http://{host}:{jupyter.port}{BASE_URL}llama-nb/api/"
        backend = ExtensionBackend(api, env["LLAMA_NB_API_TOKEN"])
        try:
            answered = backend.answers(timeout=30)
            assert proxy_env.requests == [], f"sent through the proxy: {proxy_env.requests[:2]}"
            assert answered, f"the extension at {api} did not answer"
            status, conn = backend.ensure(None)
            assert status.state.is_up
        finally:
            backend.close()
        client = LlamaClient(conn.url, conn.api_key)
        try:
            assert client.tokenize("hello")
        finally:
            client.close()
    finally:
        gen.close()
    assert proxy_env.requests == [], f"sent through the proxy: {proxy_env.requests[:2]}"


async def test_remote_profile_secrets_stay_on_the_server(inproc: InProcessJupyter) -> None:
    overview = (await inproc.get("status")).text
    answer = (await inproc.post("ensure", {"profile": "far"})).json()
    far = (await inproc.get("status", params={"profile": "far"})).json()
    for text in (overview, json.dumps(answer), json.dumps(far)):
        assert "hunter2" not in text and "remote-secret" not in text, text[:400]
    assert answer["connection"] == {"url": "http://127.0.0.1:9/v1", "api_key": ""}
    assert far["url"] == "http://***@127.0.0.1:9/v1"


def test_url_credentials_are_masked_in_status_card_panel_and_cli() -> None:
    backend = RemoteBackend({"default": Profile(url=SECRET_URL, api_key="remote-secret")}, timeout=2.0)
    with pytest.raises(LlamaNBError) as raised:
        backend.ensure(None)
    card = raised.value.card
    assert "hunter2" not in json.dumps(card.to_dict()) and "hunter2" not in card.to_html(), card.to_text()
    assert "***@127.0.0.1:9" in card.to_text()
    status = backend.status(None)
    assert "hunter2" not in json.dumps(status.to_dict()) and status.url == "http://***@127.0.0.1:9/v1"
    assert "hunter2" not in status_text(status, "remote")
    out = subprocess.run([sys.executable, "-m", "llama_nb.cli", "status"], capture_output=True, text=True, timeout=60,
                         env={**os.environ, "LLAMA_NB_URL": SECRET_URL, "LLAMA_NB_API_KEY": "remote-secret"})
    assert out.returncode == 0, out.stderr
    assert "hunter2" not in out.stdout + out.stderr and "remote-secret" not in out.stdout and "***@" in out.stdout


# --------------------------------------------------------------------------------------------------
# 4. Private, bounded files
# --------------------------------------------------------------------------------------------------


def test_state_and_logs_are_private_and_created_so(fast_settings: SupervisorSettings, supervisors: list) -> None:
    state = Path(fast_settings.resolved_state_dir())
    old = os.umask(0)  # a permissive umask must not open a window: modes are given at creation
    try:
        sup = Supervisor(Profile(ctx_size=512), fast_settings)
        supervisors.append(sup)
        sup.ensure(timeout=120)
    finally:
        os.umask(old)
    assert (state / "logs").stat().st_mode & 0o777 == 0o700
    assert (state / "logs" / "default.log").stat().st_mode & 0o777 == 0o600


def test_an_existing_world_readable_log_is_tightened(fast_settings: SupervisorSettings, supervisors: list) -> None:
    logs = Path(fast_settings.resolved_state_dir()) / "logs"
    logs.mkdir(parents=True)
    logs.chmod(0o755)
    (logs / "default.log").write_text("old\n")
    (logs / "default.log").chmod(0o644)
    sup = Supervisor(Profile(ctx_size=512), fast_settings)
    supervisors.append(sup)
    sup.ensure(timeout=120)
    assert logs.stat().st_mode & 0o777 == 0o700
    assert (logs / "default.log").stat().st_mode & 0o777 == 0o600


def test_logs_rotate_by_size_while_llama_server_runs(fast_settings: SupervisorSettings, supervisors: list) -> None:
    settings = replace(fast_settings, log_max_bytes=4096, log_backups=2)
    sup = Supervisor(Profile(ctx_size=512, extra_args=("--verbose",)), settings)  # -v logs every request (prompts too)
    supervisors.append(sup)
    status = sup.ensure(timeout=120)
    conn = sup.connection()
    assert conn is not None
    logs = Path(settings.resolved_state_dir()) / "logs"
    client = LlamaClient(conn.url, conn.api_key)

    def rotated_twice() -> bool:
        if (logs / "default.log.2").exists():
            return True
        client.tokenize("a prompt that llama-server logs " * 20)
        return False

    try:
        wait_for(rotated_twice, 60, "a second rotation while llama-server runs", interval=0.05)
    finally:
        client.close()
    assert psutil.Process(status.pid).is_running()
    # A rotation is a sequence of renames (.1 -> .2, then the log -> .1), as logging's RotatingFileHandler does:
    # a listing taken while llama-server still logs the last requests can fall between two of them.
    # llama-server -v also logs the supervisor's health checks, so rotations go on: the listing and its sizes and
    # modes are read together and retried until one reading falls between rotations (bounded).
    expected = ["default.log", "default.log.1", "default.log.2"]
    seen: list[object] = []

    def settled() -> bool:
        try:
            now = {p.name: p.stat() for p in logs.iterdir()}
        except FileNotFoundError:  # renamed between the listing and its stat
            return False
        seen[:] = [sorted((k, v.st_size, oct(v.st_mode & 0o777)) for k, v in now.items())]
        return sorted(now) == expected and all(v.st_size <= 4096 + 2048 and v.st_mode & 0o777 == 0o600 for v in now.values())

    try:
        wait_for(settled, 10, f"the logs {expected}, each at most 6 KiB and 0600")
    except AssertionError as exc:
        raise AssertionError(f"{exc} (last seen: {seen})") from None


def test_logs_tail_reads_from_the_end_with_bounded_memory(fast_settings: SupervisorSettings) -> None:
    logs = Path(fast_settings.resolved_state_dir()) / "logs"
    logs.mkdir(parents=True)
    line = ("x" * 99 + "\n").encode()
    with open(logs / "default.log", "wb") as fh:
        for _ in range(32):
            fh.write(line * (1024 * 1024 // len(line) + 1))  # 32 MiB
        fh.write(b"second to last\nthe last line\n")
    sup = Supervisor(Profile(ctx_size=512), fast_settings)
    try:
        tracemalloc.start()
        try:
            lines = sup.logs(2)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    finally:
        sup.close()
    assert lines == ["second to last", "the last line"]
    assert peak < 4 * 1024 * 1024, f"reading 2 lines of a 32 MiB log took {peak / 2**20:.1f} MiB"
