"""The remote backend: a profile whose ``url`` names an existing OpenAI-compatible endpoint.

There is no process to supervise: :meth:`RemoteBackend.ensure` checks that the endpoint answers
(``GET {url}/v1/models``, short timeout) and reads its context size where it tells it (llama-server's
``/props``). A successful check is trusted for :attr:`RemoteBackend.check_ttl` seconds, so a prompt
costs no extra round trip; :meth:`forget` drops it after a failed request.
"""

from __future__ import annotations

import threading
import time
from typing import Callable, Mapping

import httpx

from ..config.profiles import Profile
from ..supervisor import Card, Connection, LlamaNBError, State, Status
from ..supervisor.advice import Context, build_card
from ..supervisor.diagnosis import Diagnosis, Kind
from ..supervisor.subscribers import Subscriber, Subscribers
from .client import is_loopback, split_url


class RemoteBackend:
    """Profiles that point at remote endpoints (``profile.url`` or ``LLAMA_NB_URL``)."""

    name = "remote"

    def __init__(self, profiles: Mapping[str, Profile], *, timeout: float = 3.0, check_ttl: float = 10.0) -> None:
        self.timeout = timeout
        self.check_ttl = check_ttl
        self._profiles = dict(profiles)
        self._lock = threading.Lock()
        self._checked: dict[str, tuple[float, Status]] = {}
        self._statuses: dict[str, Status] = {}
        self._subscribers: Subscribers[Status] = Subscribers()
        self._seq = 0

    def reconfigure(self, profiles: Mapping[str, Profile]) -> None:
        with self._lock:
            new = dict(profiles)
            for name in list(self._checked):
                if self._profiles.get(name) != new.get(name):
                    self._checked.pop(name, None)
                    self._statuses.pop(name, None)
            self._profiles = new

    def _profile(self, profile: str | None) -> Profile:
        name = profile or "default"
        found = self._profiles.get(name)
        if found is None or not found.is_remote:
            raise LlamaNBError(_card(Diagnosis(Kind.BAD_CONFIG, f"Profile {name!r} has no url: it is not a remote endpoint."), name, None))
        return found

    # -- Backend ------------------------------------------------------------------------------------

    def ensure(self, profile: str | None) -> tuple[Status, Connection]:
        p = self._profile(profile)
        assert p.url is not None
        conn = Connection(p.url, p.api_key or "")
        with self._lock:
            checked = self._checked.get(p.name)
        if checked is not None and time.monotonic() - checked[0] < self.check_ttl:
            return checked[1], conn
        status = self._check(p)
        with self._lock:
            self._checked[p.name] = (time.monotonic(), status)
        return status, conn

    def forget(self, profile: str | None) -> None:
        """Check the endpoint again before the next prompt (after a failed request)."""
        with self._lock:
            self._checked.pop(profile or "default", None)

    def start(self, profile: str | None, ctx_size: int | None = None, cpu: bool | None = None) -> Status:
        self.forget(profile)
        return self.ensure(profile)[0]

    restart = start

    def stop(self, profile: str | None) -> Status:
        p = self._profile(profile)
        return self._statuses.get(p.name) or self._idle(p)

    def status(self, profile: str | None) -> Status:
        p = self._profile(profile)
        return self._statuses.get(p.name) or self._idle(p)

    def logs(self, profile: str | None, n: int = 100) -> list[str]:
        p = self._profile(profile)
        return [f"{p.name} is the remote endpoint {p.url}: its log lives on that machine."]

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        return self._subscribers.add(callback)

    def profiles(self) -> dict[str, Status]:
        return {name: self._statuses.get(name) or self._idle(p) for name, p in self._profiles.items() if p.is_remote}

    def close(self) -> None:
        self._subscribers.clear()

    # -- checks -------------------------------------------------------------------------------------

    def _idle(self, p: Profile) -> Status:
        return Status(profile=p.name, state=State.NOT_STARTED, url=p.url, remote=True, ctx_requested=p.ctx_size, detail="remote endpoint, not checked yet")

    def _check(self, p: Profile) -> Status:
        assert p.url is not None
        root, api = split_url(p.url)
        headers = {"Authorization": f"Bearer {p.api_key}"} if p.api_key else {}
        try:
            with httpx.Client(headers=headers, trust_env=not is_loopback(p.url), timeout=self.timeout) as http:
                response = http.get(f"{api}/models")
                if response.status_code == 404:  # some servers only answer /health
                    response = http.get(f"{root}/health")
                if response.status_code in (401, 403):
                    raise _Failed(
                        f"The endpoint refused the API key (HTTP {response.status_code}).",
                        (f"GET {api}/models: HTTP {response.status_code}", "check LLAMA_NB_API_KEY or the profile's api_key"),
                    )
                if response.status_code >= 400:
                    raise _Failed(f"The endpoint answered HTTP {response.status_code}.", (f"GET {api}/models: HTTP {response.status_code}", response.text[:200]))
                model = _first_model(response)
                ctx_actual = _server_ctx(http, root)
        except httpx.TimeoutException:
            self._publish(self._failed(p, f"no answer within {self.timeout:.0f} s"))
            raise LlamaNBError(_card(Diagnosis(Kind.CONNECTION_FAILED, f"It did not answer within {self.timeout:.0f} s.", (f"GET {api}/models: timed out",)), p.name, p.url)) from None
        except httpx.HTTPError as exc:
            self._publish(self._failed(p, str(exc)))
            raise LlamaNBError(_card(Diagnosis(Kind.CONNECTION_FAILED, "The connection failed.", (f"GET {api}/models: {exc}",)), p.name, p.url)) from None
        except _Failed as failed:
            self._publish(self._failed(p, failed.summary))
            raise LlamaNBError(_card(Diagnosis(Kind.CONNECTION_FAILED, failed.summary, failed.evidence), p.name, p.url)) from None
        status = Status(
            profile=p.name,
            state=State.READY,
            model=model,
            ctx_requested=p.ctx_size,
            ctx_actual=ctx_actual,
            url=p.url,
            remote=True,
            started_at=time.time(),
            seq=self._next_seq(),
        )
        self._publish(status)
        return status

    def _failed(self, p: Profile, detail: str) -> Status:
        return Status(profile=p.name, state=State.FAILED, url=p.url, remote=True, ctx_requested=p.ctx_size, detail=detail, seq=self._next_seq())

    def _next_seq(self) -> int:
        with self._lock:
            self._seq += 1
            return self._seq

    def _publish(self, status: Status) -> None:
        with self._lock:
            self._statuses[status.profile] = status
        self._subscribers.publish(status)


class _Failed(LlamaNBError):
    """The endpoint answered, but not as a working endpoint does (the caller adds profile and URL)."""

    def __init__(self, summary: str, evidence: tuple[str, ...]) -> None:
        super().__init__(summary)
        self.summary = summary
        self.evidence = evidence

    def make_card(self) -> Card:
        return build_card(Diagnosis(Kind.CONNECTION_FAILED, self.summary, self.evidence), Context())


def _card(diagnosis: Diagnosis, profile: str, url: str | None) -> Card:
    return build_card(diagnosis, Context(profile=profile, url=url))


def _first_model(response: httpx.Response) -> str | None:
    try:
        data = response.json()
    except ValueError:
        return None
    for key in ("data", "models"):
        items = data.get(key) if isinstance(data, dict) else None
        if items:
            first = items[0]
            name = first.get("id") or first.get("name") or first.get("model")
            return str(name) if name else None
    return None


def _server_ctx(http: httpx.Client, root: str) -> int | None:
    """The context size a llama-server reports in ``/props`` (other servers: ``None``).

    llama-server answers ``/v1/models`` without a key but guards ``/props``: a refusal here is
    the first sign of a wrong key.
    """
    response = http.get(f"{root}/props")
    if response.status_code in (401, 403):
        raise _Failed(
            f"The endpoint refused the API key (HTTP {response.status_code}).",
            (f"GET {root}/props: HTTP {response.status_code}", "check LLAMA_NB_API_KEY or the profile's api_key"),
        )
    if response.status_code != 200:
        return None
    try:
        props = response.json()
    except ValueError:
        return None
    settings = props.get("default_generation_settings") or {}
    n_ctx = settings.get("n_ctx") or props.get("n_ctx")
    return int(n_ctx) if n_ctx else None
