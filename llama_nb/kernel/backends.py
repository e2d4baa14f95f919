"""Where the model server comes from: the Jupyter server extension, this kernel, or a remote endpoint.

Every backend speaks :class:`Backend`. :class:`AutoBackend` routes each profile to the right one,
with no configuration at all:

1. a profile with a ``url`` (or ``LLAMA_NB_URL`` for the default profile) → :class:`RemoteBackend`;
2. else the server extension, when ``LLAMA_NB_API_URL`` is set and answers → :class:`ExtensionBackend`;
3. else → :class:`EmbeddedBackend` (a supervisor inside this kernel).

``LLAMA_NB_BACKEND=extension|embedded`` forces the choice for local profiles; changing it
(``%env LLAMA_NB_BACKEND=embedded``) takes effect at the next call.
Failures are raised as :class:`~llama_nb.supervisor.LlamaNBError` carrying the card to show.
"""

from __future__ import annotations

import os
import threading
from typing import Callable, Mapping, Protocol, runtime_checkable

from ..config.defaults import DEFAULT_PROFILE
from ..config.errors import ConfigError
from ..config.profiles import Profile, SupervisorSettings
from ..config.traits import LlamaNB
from ..supervisor import Card, Connection, LlamaNBError, Status
from ..supervisor.advice import Context, build_card
from ..supervisor.diagnosis import Diagnosis, Kind
from ..supervisor.subscribers import Subscriber, Subscribers
from .embedded import EmbeddedBackend
from .extension import ENV_API_URL, ExtensionBackend, extension_from_env
from .remote import RemoteBackend

ENV_BACKEND = "LLAMA_NB_BACKEND"


__all__ = [
    "AutoBackend",
    "Backend",
    "EmbeddedBackend",
    "ExtensionBackend",
    "RemoteBackend",
    "config_card",
    "ENV_BACKEND",
]


@runtime_checkable
class Backend(Protocol):
    """What the magics need from a model server, wherever it runs. ``profile=None``: the default."""

    name: str

    def ensure(self, profile: str | None) -> tuple[Status, Connection]:
        """Make the profile ready (starting or repairing it); its status and how to reach it."""

    def start(self, profile: str | None, ctx_size: int | None = None, cpu: bool | None = None) -> Status: ...

    def stop(self, profile: str | None) -> Status: ...

    def restart(self, profile: str | None, ctx_size: int | None = None, cpu: bool | None = None) -> Status: ...

    def status(self, profile: str | None) -> Status: ...

    def logs(self, profile: str | None, n: int = 100) -> list[str]: ...

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Call ``callback(status)`` on every status change (from another thread); returns an unsubscribe."""

    def profiles(self) -> dict[str, Status]: ...

    def close(self) -> None: ...


def config_card(exc: ConfigError, profile: str | None = None) -> Card:
    """The ``bad_config`` card for an invalid setting."""
    return build_card(Diagnosis(Kind.BAD_CONFIG, str(exc)), Context(profile=profile or DEFAULT_PROFILE))


class AutoBackend:
    """Routes every call to the backend of its profile; re-reads the configuration on each call.

    ``config`` is called for the current :class:`LlamaNB` (so ``%config`` changes apply at once).
    """

    name = "auto"

    def __init__(self, config: Callable[[], LlamaNB], env: dict[str, str] | None = None) -> None:
        self._config = config
        self._env = env
        self._lock = threading.Lock()
        self._local: EmbeddedBackend | ExtensionBackend | None = None
        self._remote: RemoteBackend | None = None
        self._forced = ""  # LLAMA_NB_BACKEND when the local backend was chosen
        self._subscribers: Subscribers[Status] = Subscribers()
        self._closed = False

    # -- routing ------------------------------------------------------------------------------------

    def _environ(self) -> dict[str, str]:
        return dict(os.environ if self._env is None else self._env)

    def route(self, profile: str | None) -> tuple[EmbeddedBackend | ExtensionBackend | RemoteBackend, str | None]:
        """The backend for ``profile`` and the profile name to pass it. Raises ``LlamaNBError`` (bad_config)."""
        try:
            cfg = self._config()
            profiles = cfg.all_profiles()
            settings = cfg.settings()
        except ConfigError as exc:
            raise LlamaNBError(config_card(exc, profile)) from None
        name = profile or cfg.default_profile
        chosen = profiles.get(name)
        remote_profiles = {n: p for n, p in profiles.items() if p.is_remote}
        forced_now = self._forced_now()
        with self._lock:
            self._check_open(name)
            if self._remote is None:
                self._remote = RemoteBackend(remote_profiles)
                self._follow(self._remote)
            else:
                self._remote.reconfigure(remote_profiles)
            if chosen is not None and chosen.is_remote:
                return self._remote, name
            local = self._local
            if local is not None and self._forced != forced_now:
                # LLAMA_NB_BACKEND changed (%env): choose again; the old backend's servers stop.
                retired, local = local, None
                self._local = None
                threading.Thread(target=retired.close, name="llama-nb-retire", daemon=True).start()
        fresh = local is None
        if local is None:
            # Chosen outside the lock: asking the extension whether it answers is an HTTP request (up to
            # its timeout), and no other caller (a panel's status, another thread's prompt) waits on it.
            candidate = self._choose_local(profiles, settings, cfg.default_profile, forced_now)
            loser: EmbeddedBackend | ExtensionBackend | None = None
            with self._lock:
                if self._closed:
                    loser = candidate
                elif self._local is None:
                    local = self._local = candidate
                    self._forced = forced_now
                    self._follow(local)
                else:  # another caller chose meanwhile: keep its choice
                    loser, local, fresh = candidate, self._local, False
            if loser is not None:
                loser.close()
            if local is None:
                self._check_open(name)
            assert local is not None
        if isinstance(local, EmbeddedBackend) and not fresh:
            # Outside the lock: replacing the pool stops servers, whose status changes reach _dispatch.
            local.reconfigure(profiles, settings, cfg.default_profile)
        if isinstance(local, ExtensionBackend):
            # The extension has its own default profile; name ours only when the user changed it.
            return local, profile or (cfg.default_profile if cfg.default_profile != DEFAULT_PROFILE else None)
        return local, name

    def _check_open(self, name: str) -> None:
        if self._closed:
            raise LlamaNBError(build_card(Diagnosis(Kind.UNKNOWN, "llama-nb was unloaded in this kernel."), Context(profile=name)))

    def _forced_now(self) -> str:
        return (self._environ().get(ENV_BACKEND) or "").strip().lower()

    def _choose_local(self, profiles: Mapping[str, Profile], settings: SupervisorSettings, default: str, forced: str) -> EmbeddedBackend | ExtensionBackend:
        """The local backend for ``forced`` (LLAMA_NB_BACKEND); may probe the extension: never call it
        with the lock held."""
        env = self._environ()
        if forced not in ("", "auto", "extension", "embedded"):
            raise LlamaNBError(config_card(ConfigError(f"{ENV_BACKEND} must be 'extension', 'embedded' or 'auto', got {forced!r}")))
        if forced != "embedded":
            ext = extension_from_env(env)
            if ext is not None and (forced == "extension" or ext.answers()):
                return ext
            if ext is not None:
                ext.close()
            if forced == "extension":
                raise LlamaNBError(config_card(ConfigError(f"{ENV_BACKEND}=extension but {ENV_API_URL} is not set: this kernel was not started by a Jupyter server running the llama-nb extension")))
        return EmbeddedBackend(profiles, settings, default)

    @property
    def local(self) -> EmbeddedBackend | ExtensionBackend | None:
        """The local backend once chosen (``None`` before the first call)."""
        return self._local

    def _follow(self, backend: EmbeddedBackend | ExtensionBackend | RemoteBackend) -> None:
        backend.subscribe(self._dispatch)

    def _dispatch(self, status: Status) -> None:
        self._subscribers.publish(status)

    # -- Backend ------------------------------------------------------------------------------------

    def ensure(self, profile: str | None) -> tuple[Status, Connection]:
        backend, name = self.route(profile)
        return backend.ensure(name)

    def forget(self, profile: str | None) -> None:
        """Drop any cached readiness of ``profile`` (after a request to it failed)."""
        backend, name = self.route(profile)
        forget = getattr(backend, "forget", None)
        if forget is not None:
            forget(name)

    def start(self, profile: str | None, ctx_size: int | None = None, cpu: bool | None = None) -> Status:
        backend, name = self.route(profile)
        return backend.start(name, ctx_size, cpu)

    def restart(self, profile: str | None, ctx_size: int | None = None, cpu: bool | None = None) -> Status:
        backend, name = self.route(profile)
        return backend.restart(name, ctx_size, cpu)

    def stop(self, profile: str | None) -> Status:
        backend, name = self.route(profile)
        return backend.stop(name)

    def status(self, profile: str | None) -> Status:
        backend, name = self.route(profile)
        return backend.status(name)

    def logs(self, profile: str | None, n: int = 100) -> list[str]:
        backend, name = self.route(profile)
        return backend.logs(name, n)

    def report_stall(self, profile: str | None, reason: str) -> bool:
        """Tell whoever supervises ``profile`` that its answer stalled; ``False`` for a remote endpoint (nothing to replace)."""
        backend, name = self.route(profile)
        report = getattr(backend, "report_stall", None)
        if report is None:
            return False
        return bool(report(name, reason))

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        return self._subscribers.add(callback)

    def profiles(self) -> dict[str, Status]:
        """Every profile this kernel can use: the local ones, then the remote ones."""
        self.route(None)
        assert self._remote is not None
        result: dict[str, Status] = {}
        if self._local is not None:
            result.update(self._local.profiles())
        result.update(self._remote.profiles())
        return result

    def backend_of(self, profile: str | None) -> str:
        """``embedded``, ``extension`` or ``remote``: who serves ``profile``."""
        return self.route(profile)[0].name

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            local, remote = self._local, self._remote
        for backend in (local, remote):
            if backend is not None:
                backend.close()
