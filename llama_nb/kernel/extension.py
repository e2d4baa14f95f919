"""The extension backend: the llama-nb Jupyter server extension owns the servers; this kernel asks it.

Kernels started by such a Jupyter server get ``LLAMA_NB_API_URL`` and ``LLAMA_NB_API_TOKEN``. Every
kernel of that server shares one llama-server per profile. Status changes arrive over ``GET events``
(server-sent events) on a background thread; while that stream is live and says the profile is up,
:meth:`ExtensionBackend.ensure` answers from memory with no round trip.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
import threading
import time
from typing import Any, Callable
from urllib.parse import unquote

import httpx

from ..sse import iter_events
from ..supervisor import Action, Card, Connection, Fix, LlamaNBError, Status
from ..supervisor.advice import Context, build_card
from ..supervisor.diagnosis import Diagnosis, Kind
from ..supervisor.subscribers import Subscriber, Subscribers

ENV_API_URL = "LLAMA_NB_API_URL"
ENV_API_TOKEN = "LLAMA_NB_API_TOKEN"


def extension_from_env(env: dict[str, str] | None = None) -> "ExtensionBackend | None":
    """An :class:`ExtensionBackend` for the URL in ``LLAMA_NB_API_URL``, or ``None`` when unset."""
    env = dict(os.environ if env is None else env)
    url = env.get(ENV_API_URL)
    if not url:
        return None
    return ExtensionBackend(url, env.get(ENV_API_TOKEN, ""))


class ExtensionBackend:
    """Talks to ``{base_url}llama-nb/api/`` of the Jupyter server that started this kernel."""

    name = "extension"

    def __init__(self, api_url: str, token: str = "", *, request_timeout: float = 10.0, ensure_timeout: float = 600.0) -> None:
        self.api_url = api_url if api_url.endswith("/") else api_url + "/"
        self.request_timeout = request_timeout
        self.ensure_timeout = ensure_timeout
        self._token = token
        self._http = self._client(httpx.Timeout(request_timeout, connect=3.0))
        self._events_http = self._client(httpx.Timeout(60.0, connect=3.0))
        self._lock = threading.Lock()
        self._subscribers: Subscribers[Status] = Subscribers()
        self._latest: dict[str, Status] = {}
        self._connections: dict[str, tuple[Status, Connection]] = {}
        self._default: str | None = None
        self._events_live = threading.Event()
        self._events_thread: threading.Thread | None = None
        self._closed = threading.Event()

    def _client(self, timeout: httpx.Timeout) -> httpx.Client:
        """An HTTP client for the API; ``http+unix://%2Fpath%2Fjupyter.sock/base/`` URLs go over the socket."""
        headers = {"Authorization": f"token {self._token}"} if self._token else {}
        url = self.api_url
        if url.startswith("http+unix://"):
            netloc, _, path = url[len("http+unix://") :].partition("/")
            transport = httpx.HTTPTransport(uds=unquote(netloc))
            return httpx.Client(base_url=f"http://localhost/{path}", headers=headers, transport=transport, trust_env=False, timeout=timeout)
        # The Jupyter server that started this kernel is on this machine: its API traffic (which carries
        # the token) never goes through a proxy, even when Jupyter binds a non-loopback address.
        return httpx.Client(base_url=url, headers=headers, trust_env=False, timeout=timeout)

    def _xsrf_headers(self) -> dict[str, str]:
        """Without a token, Jupyter wants the ``_xsrf`` cookie echoed on POSTs (a GET sets it)."""
        if self._token:
            return {}
        cookie = self._http.cookies.get("_xsrf")
        if cookie is None:
            try:
                self._http.get("status")
            except httpx.HTTPError:
                return {}
            cookie = self._http.cookies.get("_xsrf")
        return {"X-XSRFToken": cookie} if cookie else {}

    # -- probing ------------------------------------------------------------------------------------

    def answers(self, timeout: float = 2.0) -> bool:
        """Whether the extension answers an authenticated ``GET status`` (used to choose the backend)."""
        try:
            response = self._http.get("status", timeout=timeout)
        except httpx.HTTPError:
            return False
        if response.status_code != 200:
            return False
        try:
            data = response.json()
        except ValueError:
            return False
        self._default = data.get("default_profile") or self._default
        return True

    # -- Backend ------------------------------------------------------------------------------------

    def ensure(self, profile: str | None) -> tuple[Status, Connection]:
        self._start_events()
        name = profile or self._default
        if name is not None and self._events_live.is_set():
            with self._lock:
                latest = self._latest.get(name)
                cached = self._connections.get(name)
            if latest is not None and cached is not None and latest.state.is_up and latest.pid == cached[0].pid and latest.port == cached[0].port:
                return latest, cached[1]
        data = self._post("ensure", {"profile": profile}, timeout=self.ensure_timeout)
        status = Status.from_dict(data["status"])
        conn_data = data.get("connection") or {}
        if not conn_data.get("url"):
            raise LlamaNBError(self._card(Diagnosis(Kind.CONNECTION_FAILED, "The server extension gave no connection for a ready server."), profile))
        conn = Connection(conn_data["url"], conn_data.get("api_key") or "")
        with self._lock:
            self._connections[status.profile] = (status, conn)
            self._remember(status)
            if profile is None:
                self._default = status.profile
        return status, conn

    def forget(self, profile: str | None) -> None:
        """Ask the extension again before the next prompt (after a failed request)."""
        with self._lock:
            self._connections.pop(profile or self._default or "", None)

    def start(self, profile: str | None, ctx_size: int | None = None, cpu: bool | None = None) -> Status:
        return self._command("start", profile, ctx_size, cpu)

    def restart(self, profile: str | None, ctx_size: int | None = None, cpu: bool | None = None) -> Status:
        return self._command("restart", profile, ctx_size, cpu)

    def stop(self, profile: str | None) -> Status:
        data = self._post("stop", {"profile": profile}, timeout=self.request_timeout + 30.0)
        status = Status.from_dict(data["status"])
        self.forget(status.profile)
        return status

    def status(self, profile: str | None) -> Status:
        if profile is None:
            data = self._overview()
            return Status.from_dict(data["profiles"][data["default_profile"]])
        return Status.from_dict(self._get("status", params={"profile": profile}))

    def logs(self, profile: str | None, n: int = 100) -> list[str]:
        params: dict[str, Any] = {"n": n}
        if profile is not None:
            params["profile"] = profile
        return list(self._get("logs", params=params).get("lines", []))

    def report_stall(self, profile: str | None, reason: str) -> bool:
        """The answer stalled: ask the extension to replace the server as hung (``POST stall``)."""
        data = self._post("stall", {"profile": profile, "reason": reason[:200]}, timeout=self.request_timeout)
        self.forget(profile)
        return bool(data.get("replaced"))

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        unsubscribe = self._subscribers.add(callback)
        self._start_events()
        return unsubscribe

    def profiles(self) -> dict[str, Status]:
        data = self._overview()
        return {name: Status.from_dict(s) for name, s in (data.get("profiles") or {}).items()}

    def _overview(self) -> dict[str, Any]:
        """``GET status``; the extension's own settings error, if it has one, as its card."""
        data = self._get("status")
        error = data.get("error")
        if isinstance(error, dict) and "what_happened" in error:
            raise LlamaNBError(Card.from_dict(error))
        self._default = data.get("default_profile") or self._default
        return data

    @property
    def default_profile(self) -> str | None:
        return self._default

    def close(self) -> None:
        self._closed.set()
        self._events_live.clear()
        self._http.close()
        self._events_http.close()

    # -- HTTP ---------------------------------------------------------------------------------------

    def _command(self, route: str, profile: str | None, ctx_size: int | None, cpu: bool | None) -> Status:
        data = self._post(route, {"profile": profile, "ctx_size": ctx_size, "cpu": cpu}, timeout=self.ensure_timeout)
        status = Status.from_dict(data["status"])
        self.forget(status.profile)
        with self._lock:
            self._remember(status)
        return status

    def _get(self, route: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return self._answer(route, lambda: self._http.get(route, params=params), params.get("profile") if params else None)

    def _post(self, route: str, body: dict[str, Any], timeout: float) -> dict[str, Any]:
        headers = self._xsrf_headers()
        return self._answer(route, lambda: self._http.post(route, json=body, timeout=timeout, headers=headers), body.get("profile"))

    def _answer(self, route: str, send: Callable[[], httpx.Response], profile: str | None) -> dict[str, Any]:
        try:
            response = send()
        except httpx.HTTPError as exc:
            raise LlamaNBError(
                self._card(
                    Diagnosis(
                        Kind.CONNECTION_FAILED,
                        "The llama-nb server extension of this Jupyter server did not answer.",
                        (f"{route}: {exc}",),
                    ),
                    profile,
                )
            ) from None
        try:
            data = response.json()
        except ValueError:
            data = {}
        if response.status_code < 400 and isinstance(data, dict):
            return data
        error = data.get("error") if isinstance(data, dict) else None
        if isinstance(error, dict) and "what_happened" in error:
            raise LlamaNBError(Card.from_dict(error))
        if response.status_code == 400 and isinstance(data, dict) and data.get("message"):
            # The extension refused the request itself: an unknown profile, a bad option.
            raise LlamaNBError(self._card(Diagnosis(Kind.BAD_CONFIG, str(data["message"])), profile))
        what = {401: "Jupyter refused this kernel's token.", 403: "Jupyter refused this kernel's token."}.get(response.status_code, f"The server extension answered HTTP {response.status_code}.")
        raise LlamaNBError(self._card(Diagnosis(Kind.CONNECTION_FAILED, what, (f"{route}: HTTP {response.status_code}", response.text[:300])), profile))

    def _card(self, diagnosis: Diagnosis, profile: str | None) -> Card:
        card = build_card(diagnosis, Context(profile=profile or self._default or "default", url=self.api_url))
        if diagnosis.kind != Kind.CONNECTION_FAILED:
            return card
        return replace(
            card,
            what_you_can_do=(
                Fix("Check that the Jupyter server loaded the llama-nb extension (its log says why not)", Action.RUN, {"argv": ["jupyter", "server", "extension", "list"], "shell_escape": True}),
                Fix("Or run llama-server inside this kernel instead (the next prompt starts it)", Action.SET_ENV, {"name": "LLAMA_NB_BACKEND", "value": "embedded"}),
                Fix("See the state of every profile", Action.MODELS),
            ),
        )

    # -- events -------------------------------------------------------------------------------------

    def _remember(self, status: Status) -> None:
        """Keep the newest status of a profile (called with the lock held)."""
        old = self._latest.get(status.profile)
        if old is None or status.seq >= old.seq or status.pid != old.pid:
            self._latest[status.profile] = status

    def _start_events(self) -> None:
        with self._lock:
            if self._events_thread is not None or self._closed.is_set():
                return
            self._events_thread = threading.Thread(target=self._follow_events, name="llama-nb-events", daemon=True)
            self._events_thread.start()

    def _follow_events(self) -> None:
        delay = 0.5
        while not self._closed.is_set():
            try:
                with self._events_http.stream("GET", "events", headers={"Accept": "text/event-stream"}) as response:
                    if response.status_code != 200:
                        raise httpx.HTTPError(f"events: HTTP {response.status_code}")
                    if "text/event-stream" not in response.headers.get("content-type", ""):
                        raise httpx.HTTPError("events: not an event stream")
                    self._events_live.set()
                    delay = 0.5
                    for event in iter_events(response):
                        if self._closed.is_set():
                            return
                        if event.data:
                            self._on_event(event.data)
            except (httpx.HTTPError, RuntimeError):
                pass  # reconnect below (httpx_sse.SSEError is an httpx error); RuntimeError: the client was closed
            self._events_live.clear()
            if self._closed.wait(delay):
                return
            delay = min(delay * 2, 10.0)

    def _on_event(self, raw: str) -> None:
        try:
            data = json.loads(raw)
        except ValueError:
            return
        items = list(data["profiles"].values()) if isinstance(data, dict) and isinstance(data.get("profiles"), dict) else [data]
        for item in items:
            if not isinstance(item, dict) or "profile" not in item or "state" not in item:
                continue
            try:
                status = Status.from_dict(item)
            except (KeyError, ValueError, TypeError):
                continue
            with self._lock:
                self._remember(status)
                if not status.state.is_up:
                    self._connections.pop(status.profile, None)
            self._subscribers.publish(status)

    def wait_events_live(self, timeout: float) -> bool:
        """Block until the event stream is connected (tests and benchmarks use it)."""
        self._start_events()
        deadline = time.monotonic() + timeout
        return self._events_live.wait(max(0.0, deadline - time.monotonic()))
