"""All profiles of one owner (a Jupyter server, or a kernel's embedded supervisor)."""

from __future__ import annotations

import threading
from typing import Callable, Mapping

from ..config.discovery import find_model
from ..config.errors import ConfigError
from ..config.profiles import Profile, SupervisorSettings
from .status import State, Status
from .subscribers import Subscribers
from .supervisor import Supervisor


class SupervisorPool:
    """One :class:`Supervisor` per local profile, created on first use, closed together."""

    def __init__(self, profiles: Mapping[str, Profile], settings: SupervisorSettings, default: str = "default") -> None:
        self.profiles = dict(profiles)
        self.settings = settings
        self.default = default
        self._sups: dict[str, Supervisor] = {}
        self._lock = threading.Lock()
        self._subscribers: Subscribers[Status] = Subscribers()

    def profile(self, name: str | None) -> Profile:
        key = name or self.default
        if key not in self.profiles:
            raise ConfigError(f"there is no profile {key!r}; known profiles: {', '.join(sorted(self.profiles))}")
        return self.profiles[key]

    def get(self, name: str | None = None) -> Supervisor:
        """The supervisor of a local profile (created, not started, on first use)."""
        profile = self.profile(name)
        if profile.is_remote:
            raise ConfigError(f"profile {profile.name!r} is a remote endpoint ({profile.url}): there is no local server")
        with self._lock:
            sup = self._sups.get(profile.name)
            if sup is None:
                sup = Supervisor(profile, self.settings, profiles=self.profiles)
                sup.subscribe(self._subscribers.publish)
                self._sups[profile.name] = sup
            return sup

    def existing(self) -> dict[str, Supervisor]:
        with self._lock:
            return dict(self._sups)

    def subscribe(self, callback: Callable[[Status], None]) -> Callable[[], None]:
        """Follow every profile, present and future. Returns the function that unsubscribes."""
        return self._subscribers.add(callback)

    def statuses(self, cached: bool = False) -> dict[str, Status]:
        """Status of every local profile; ones never used are ``not_started``. ``cached``: the last
        published ones, read without taking any supervisor's lock (for an event loop)."""
        result: dict[str, Status] = {}
        for name, profile in self.profiles.items():
            if profile.is_remote:
                continue
            sup = self.existing().get(name)
            if sup is not None:
                result[name] = sup.last_status() if cached else sup.status()
            else:
                model = find_model(profile.model).path
                result[name] = Status(profile=name, state=State.NOT_STARTED, ctx_requested=profile.ctx_size, model=str(model) if model else profile.model)
        return result

    def reconfigure(self, profiles: Mapping[str, Profile], settings: SupervisorSettings, default: str) -> list[str]:
        """Apply a new configuration, keeping every server whose profile and settings did not change.

        Returns the names of the profiles whose supervisors were closed (they start again, with the
        new configuration, on next use).
        """
        with self._lock:
            changed_settings = settings != self.settings
            closed = [name for name, sup in self._sups.items() if changed_settings or profiles.get(name) != sup.profile]
            stale = [self._sups.pop(name) for name in closed]
            self.profiles, self.settings, self.default = dict(profiles), settings, default
            for sup in self._sups.values():
                sup.update_profiles(self.profiles)
        for sup in stale:
            sup.close()
        return closed

    def close(self) -> None:
        with self._lock:
            sups = list(self._sups.values())
        threads = [threading.Thread(target=s.close, daemon=True) for s in sups]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
