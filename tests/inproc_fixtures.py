"""The llama-nb server extension in *this* process, with pytest-jupyter (``jp_serverapp`` / ``jp_fetch``).

For the handler tests where a separate Jupyter process is not the point (auth, input validation, the
routes, the events stream, remote keys). The llama-server is still the real binary with the real
SmolLM2 model; only Jupyter runs in-process. Tests where the process is the point (SIGTERM or
``kill -9`` of Jupyter, real kernels, the frozen startup heap) keep ``serverext_fixtures.py``.

A test module takes every fixture with ``from inproc_fixtures import *`` and is written as
``async def`` tests (run on pytest-jupyter's loop by the hook in ``conftest.py``). Its Jupyter
configuration is ``jp_server_config``: :func:`server_config` of the lines a ``jupyter_server_config.py``
would hold, overridden per module or per test (``@pytest.mark.parametrize("jp_server_config", ...)``).

At teardown the extension is stopped as Jupyter stops it (``stop_extension``), and the fixture checks that
no llama-server of the test's state dir and no llama-nb thread outlives it.
"""

from __future__ import annotations

import asyncio
import json as _json
import logging
import textwrap
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import httpx
import psutil
import pytest
from pytest_jupyter.jupyter_server import *  # noqa: F401,F403 - jp_serverapp, jp_fetch and what they need
from jupyter_core.utils import ensure_event_loop
from jupyter_server.serverapp import ServerApp
from tornado.httpclient import HTTPResponse
from traitlets.config import Config

from helpers import llama_servers, pid_gone
from llama_nb.serverext import discovery, events

TOKEN = "llama-nb-test-token"
BASE_URL = "/jnb/"
REQUEST_TIMEOUT = 120.0
TEARDOWN_TIMEOUT = 30.0


def server_config(text: str = "") -> Config:
    """A ``jp_server_config``: the llama-nb extension on, ``ctx_size`` 1024 (as ``serverext_fixtures``), then
    ``text``: lines of a ``jupyter_server_config.py`` (``c.LlamaNB.… = …``), run as Jupyter runs that file."""
    c = Config()
    c.ServerApp.jpserver_extensions = {"llama_nb": True}
    c.IdentityProvider.token = TOKEN
    c.LlamaNB.ctx_size = 1024
    # The extension's log lines also reach the root logger, where the test reads them (LogCapture); its
    # own handler (stderr) stays. traitlets resets the logger's handlers when it configures logging.
    c.LlamaNBExtension.logging_config = {"loggers": {"LlamaNBExtension": {"propagate": True}}}
    exec(compile(textwrap.dedent(text), "<jupyter_server_config.py>", "exec"), {"c": c})  # noqa: S102 - test config
    return c


# pytest-jupyter's two autouse fixtures, made explicit: a module that imports these fixtures also
# holds process-level tests, which need neither a fresh asyncio loop nor a ServerApp cleanup.


@pytest.fixture
def jp_asyncio_loop() -> Iterator[asyncio.AbstractEventLoop]:
    loop = ensure_event_loop(prefer_selector_loop=True)
    yield loop
    loop.close()
    asyncio.set_event_loop(None)  # later tests of this process must not find a closed loop as the current one


@pytest.fixture
def jp_server_cleanup(jp_asyncio_loop: asyncio.AbstractEventLoop) -> Iterator[None]:
    """pytest-jupyter's cleanup of the ServerApp (its ``_cleanup``, as Jupyter runs it on exit)."""
    yield
    app = ServerApp.instance()
    try:
        jp_asyncio_loop.run_until_complete(app._cleanup())
    except (RuntimeError, SystemExit) as e:
        print("ignoring cleanup error", e)
    if hasattr(app, "kernel_manager"):
        app.kernel_manager.context.destroy()
    ServerApp.clear_instance()


@pytest.fixture
def jp_server_config() -> Config:
    return server_config()


@pytest.fixture
def jp_base_url() -> str:
    return BASE_URL


@pytest.fixture
def jp_argv(inproc_isolation: LogCapture) -> list[str]:
    """No arguments; requested by ``jp_serverapp``, so the isolation is in place before the extension loads."""
    return []


@dataclass
class Response:
    """What a test asserts on: the status code, the headers, the body."""

    status_code: int
    headers: Any
    text: str

    def json(self) -> Any:
        return _json.loads(self.text)


class LogCapture(logging.Handler):
    """Every log record of this process while the test runs, formatted with its traceback, if any
    (the Jupyter log of the process-level tests)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("[%(levelname)s %(name)s] %(message)s"))
        self.lines: list[str] = []
        self._lock_lines = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = self.format(record)
        except Exception:  # noqa: BLE001 - a log line must never fail a request
            text = repr(record.msg)
        with self._lock_lines:
            self.lines.append(text)

    def text(self) -> str:
        with self._lock_lines:
            return "\n".join(self.lines)


@dataclass
class InProcessJupyter:
    """The in-process Jupyter of one test, with the llama-nb extension."""

    app: Any  # jupyter_server.serverapp.ServerApp
    fetch_raw: Callable[..., Any]  # pytest-jupyter's jp_fetch
    port: int
    state_dir: Path
    token: str
    log: LogCapture
    base_url: str = BASE_URL
    seen: set[int] = field(default_factory=set)

    @property
    def api(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.base_url}llama-nb/api/"

    @property
    def root_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.base_url}"

    @property
    def extension(self) -> Any:
        """The ``LlamaNBExtension`` instance."""
        return self.app.extension_manager.extension_apps["llama_nb"].copy().pop()

    async def fetch(
        self,
        method: str,
        route: str,
        *,
        json: Any = None,
        content: bytes | None = None,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = REQUEST_TIMEOUT,
    ) -> Response:
        """``method route`` of the llama-nb API through ``jp_fetch`` (Jupyter's token; never raises on
        an HTTP error status)."""
        body: bytes | None = content
        if json is not None:
            body = _json.dumps(json).encode()
        if method == "POST" and body is None:
            body = b""
        response: HTTPResponse = await self.fetch_raw(
            "llama-nb", "api", route, method=method, body=body, params={k: str(v) for k, v in (params or {}).items()},
            headers=dict(headers or {}), request_timeout=timeout, raise_error=False, allow_nonstandard_methods=True,
        )
        if response.code == 599:  # no HTTP answer at all (timeout, connection refused)
            raise AssertionError(f"{method} {route}: no answer: {response.error!r}")
        return Response(response.code, response.headers, (response.body or b"").decode(errors="replace"))

    async def get(self, route: str, **kwargs: Any) -> Response:
        return await self.fetch("GET", route, **kwargs)

    async def post(self, route: str, body: Any = None, **kwargs: Any) -> Response:
        return await self.fetch("POST", route, json={} if body is None and "content" not in kwargs else body, **kwargs)

    def client(self, auth: bool = True, **kwargs: Any) -> httpx.AsyncClient:
        """An httpx client of the API, for what ``jp_fetch``'s client cannot do: many requests at once
        (it runs at most 10), clients that hang up, a request without any Authorization header."""
        headers = {"Authorization": f"token {self.token}"} if auth else {}
        headers.update(kwargs.pop("headers", {}))
        kwargs.setdefault("timeout", REQUEST_TIMEOUT)
        limits = httpx.Limits(max_connections=200, max_keepalive_connections=0)
        return httpx.AsyncClient(base_url=self.api, headers=headers, trust_env=False, limits=limits, **kwargs)

    def log_text(self) -> str:
        return self.log.text()

    def llama_servers(self) -> list[psutil.Process]:
        """The live llama-servers started under this test's state dir (remembered for the teardown check)."""
        found = llama_servers(str(self.state_dir))
        self.seen.update(p.pid for p in found)
        return found

    def spawn_headers(self, profile: str) -> int:
        """How many llama-servers this profile has spawned: one header line per spawn in its log."""
        path = self.state_dir / "logs" / f"{profile}.log"
        try:
            return sum(1 for line in path.read_text(errors="replace").splitlines() if line.startswith("=== llama-nb ") and ": /" in line)
        except OSError:
            return 0


def _llama_nb_threads(before: set[threading.Thread]) -> list[threading.Thread]:
    """llama-nb's threads started since ``before``, but the spawner's (one module-level worker for the
    whole process, by design)."""
    return [t for t in threading.enumerate()
            if t.name.startswith("llama-nb") and not t.name.startswith("llama-nb-spawner") and t not in before]


@pytest.fixture
def inproc_isolation(monkeypatch: pytest.MonkeyPatch, _isolated_state: Path) -> Iterator[LogCapture]:
    """What the in-process extension would change in this whole process, undone or kept out; set up
    before ``jp_serverapp`` (through ``jp_argv``), i.e. before the extension initializes. Yields the
    capture of the log: the records a ``jupyter server`` process would write to its log, i.e. the
    extension's (made to propagate by :func:`server_config`), Jupyter's own (pytest-jupyter makes it
    propagate), and whatever else reaches the root logger (tornado, asyncio, llama_nb's modules)."""
    capture = LogCapture()
    logging.getLogger().addHandler(capture)
    # Discovery writes LLAMA_NB_API_URL / _TOKEN into this process's environment for future kernels:
    # undo it after the test (conftest already removed any inherited value).
    for var in (discovery.ENV_API_URL, discovery.ENV_API_TOKEN):
        monkeypatch.setenv(var, "")
        monkeypatch.delenv(var)
    # gc.freeze() of the whole pytest process would keep every earlier test's garbage forever; the
    # process-level test (test_serverext.py) proves that Jupyter's startup heap is frozen.
    monkeypatch.setattr(events, "freeze_startup_heap", lambda: None)
    yield capture
    logging.getLogger().removeHandler(capture)


@pytest.fixture
def inproc(
    jp_server_cleanup: None,
    jp_serverapp: Any,
    jp_fetch: Callable[..., Any],
    http_server: Any,
    jp_asyncio_loop: asyncio.AbstractEventLoop,
    _isolated_state: Path,
    inproc_isolation: LogCapture,
) -> Iterator[InProcessJupyter]:
    """Jupyter with the llama-nb extension, in this process, started as ``jupyter server`` starts it.

    pytest-jupyter builds the app and serves it on a free loopback port; this runs the step that
    ``ServerApp.start_ioloop`` would (``_post_start``: each extension's ``_start_jupyter_server_extension``,
    where llama-nb learns the final port and starts its idle timer and autostart)."""
    port = int(next(iter(http_server._sockets.values())).getsockname()[1])
    assert jp_serverapp.port == port, (jp_serverapp.port, port)
    capture = inproc_isolation
    threads_before = set(threading.enumerate())  # an earlier test's leftovers are not this server's
    token = jp_serverapp.identity_provider.token
    jp_asyncio_loop.run_until_complete(jp_serverapp._post_start())
    server = InProcessJupyter(app=jp_serverapp, fetch_raw=jp_fetch, port=port, state_dir=_isolated_state,
                              token=token, log=capture)
    try:
        yield server
        server.llama_servers()
        # Jupyter's own shutdown path for extensions (ServerApp._cleanup -> stop_extension), checked here;
        # pytest-jupyter's cleanup calls it again later, which must do nothing.
        jp_asyncio_loop.run_until_complete(asyncio.wait_for(server.extension.stop_extension(), TEARDOWN_TIMEOUT))
        deadline = time.monotonic() + TEARDOWN_TIMEOUT
        while time.monotonic() < deadline:
            alive = [pid for pid in server.seen if not pid_gone(pid)] + [p.pid for p in server.llama_servers()]
            left = _llama_nb_threads(threads_before)
            if not alive and not left:
                break
            jp_asyncio_loop.run_until_complete(asyncio.sleep(0.05))
        else:
            raise AssertionError(
                f"after the extension stopped: llama-server(s) still alive {alive}, llama-nb threads still running "
                f"{[t.name for t in left]}\n{capture.text()[-3000:]}"
            )
    finally:
        for pid in server.seen:  # only if the check above failed: leave nothing behind
            try:
                psutil.Process(pid).kill()
            except psutil.Error:
                pass


class EventStream:
    """Reads ``GET events`` on the test's loop; statuses arrive in :attr:`events`, in order."""

    def __init__(self, server: InProcessJupyter, profile: str | None = None) -> None:
        self._client = server.client(timeout=httpx.Timeout(10.0, read=60.0))
        self._params = {"profile": profile} if profile else {}
        self.events: list[dict[str, Any]] = []
        self.arrival: list[float] = []
        self.content_type = ""
        self.status_code = 0
        self._queue: asyncio.Queue[dict[str, Any] | BaseException | None] = asyncio.Queue()
        self._opened = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    @classmethod
    async def open(cls, server: InProcessJupyter, profile: str | None = None) -> "EventStream":
        stream = cls(server, profile)
        stream._task = asyncio.get_running_loop().create_task(stream._read())
        try:
            await asyncio.wait_for(stream._opened.wait(), 30)
        except asyncio.TimeoutError:
            await stream.close()
            raise AssertionError("the events stream did not open within 30 s") from None
        return stream

    async def _read(self) -> None:
        try:
            async with self._client.stream("GET", "events", params=self._params) as response:
                self.status_code = response.status_code
                self.content_type = response.headers.get("content-type", "")
                self._opened.set()
                async for line in response.aiter_lines():
                    if line.startswith("data: "):
                        self._queue.put_nowait(_json.loads(line[6:]))
        except asyncio.CancelledError:
            raise
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            self._opened.set()
            self._queue.put_nowait(exc)
        finally:
            self._queue.put_nowait(None)

    async def wait(self, predicate: Callable[[dict[str, Any]], bool], timeout: float, message: str) -> dict[str, Any]:
        """The first event (already received or future) that matches ``predicate``."""
        for event in self.events:
            if predicate(event):
                return event
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"timed out after {timeout:.0f} s waiting for {message}; states seen: {self.states()}")
            try:
                item = await asyncio.wait_for(self._queue.get(), remaining)
            except asyncio.TimeoutError:
                continue
            if item is None or isinstance(item, BaseException):
                raise AssertionError(f"the events stream ended ({item!r}) while waiting for {message}; states seen: {self.states()}")
            self.events.append(item)
            self.arrival.append(time.monotonic())
            if predicate(item):
                return item

    def states(self, profile: str | None = None) -> list[str]:
        return [e["state"] for e in self.events if profile is None or e["profile"] == profile]

    async def close(self) -> None:
        """Hang up, as a browser tab that closes does (the connection is closed, not kept alive)."""
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except (asyncio.CancelledError, Exception):  # noqa: BLE001 - ended either way
                pass
        await self._client.aclose()


async def wait_until(predicate: Callable[[], Any], timeout: float, message: str, interval: float = 0.02) -> Any:
    """:func:`helpers.wait_for` for async tests: the loop (and so the server) keeps running while it waits.
    ``predicate`` may be a coroutine function."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {message}")
        await asyncio.sleep(interval)


async def wait_gone(pids: list[int], timeout: float, message: str) -> None:
    await wait_until(lambda: all(pid_gone(p) for p in pids), timeout,
                     f"{message}; still alive: {[p for p in pids if not pid_gone(p)]}")


