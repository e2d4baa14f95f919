"""The value objects handed to the supervisor (no traitlets, no Jupyter): a :class:`Profile` (one named
way of running a model), the :class:`SupervisorSettings` shared by all, and a profile read from a dict."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping

from .defaults import DEFAULT_CTX_SIZE, DEFAULT_PROFILE, ENV_STATE_DIR
from .errors import ConfigError
from .server_launch import check_extra_args


@dataclass(frozen=True)
class Profile:
    """One named way of running a model.

    ``gpu_layers``: ``None`` lets llama.cpp decide (offload when a GPU exists), ``0`` is CPU only.
    ``url`` names a remote OpenAI-compatible endpoint: then there is no process to supervise.
    """

    name: str = DEFAULT_PROFILE
    model: str | None = None
    server: str | None = None
    ctx_size: int = DEFAULT_CTX_SIZE
    gpu_layers: int | None = None
    port: int = 0
    fallback: str | None = None
    url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    extra_args: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Loopback by construction: no Profile can exist whose extra_args set the host, port or key.
        if isinstance(self.extra_args, str):
            raise ConfigError(f"profile {self.name!r} extra_args must be a list of strings (an argv list, not a shell string)")
        check_extra_args(self.extra_args, f"profile {self.name!r}")

    @property
    def is_remote(self) -> bool:
        return bool(self.url)

    def with_overrides(self, **changes: Any) -> "Profile":
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


@dataclass(frozen=True)
class SupervisorSettings:
    """Timing and policy knobs shared by every profile. Defaults are documented in the README."""

    health_interval: float = 1.0
    health_timeout: float = 2.0
    load_timeout: float = 120.0
    stop_grace: float = 5.0
    backoff_initial: float = 0.5
    backoff_max: float = 8.0
    restart_budget: int = 5
    budget_window: float = 60.0
    stability_window: float = 30.0
    min_ctx_size: int = 512
    log_tail_lines: int = 400
    state_dir: str | None = None
    log_max_bytes: int = 5 * 1024 * 1024
    log_backups: int = 2

    def __post_init__(self) -> None:
        for name in ("health_interval", "health_timeout", "load_timeout", "stop_grace", "budget_window"):
            if getattr(self, name) <= 0:
                raise ConfigError(f"LlamaNB.{name} must be a positive number of seconds, got {getattr(self, name)!r}")
        for name in ("backoff_initial", "backoff_max", "stability_window"):
            if getattr(self, name) < 0:
                raise ConfigError(f"LlamaNB.{name} must be zero or more seconds, got {getattr(self, name)!r}")
        if self.restart_budget < 0:
            raise ConfigError(f"LlamaNB.restart_budget must be zero or more, got {self.restart_budget!r}")
        if self.log_max_bytes < 4096:
            raise ConfigError(f"LlamaNB.log_max_bytes must be at least 4096 bytes, got {self.log_max_bytes!r}")
        if self.log_backups < 0:
            raise ConfigError(f"LlamaNB.log_backups must be zero or more, got {self.log_backups!r}")
        if self.min_ctx_size < 64:
            raise ConfigError(f"LlamaNB.min_ctx_size must be at least 64 tokens, got {self.min_ctx_size!r}")

    def resolved_state_dir(self) -> Path:
        """Where logs and state files live: configured, ``LLAMA_NB_STATE_DIR``, or XDG state home."""
        if self.state_dir:
            return Path(self.state_dir).expanduser()
        env = os.environ.get(ENV_STATE_DIR)
        if env:
            return Path(env).expanduser()
        base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
        return Path(base) / "llama-nb"


def parse_ctx_size(value: Any, source: str) -> int:
    """A context size in tokens: a whole number >= 64 (``0`` is not accepted: be explicit)."""
    try:
        ctx = int(str(value).strip())
    except ValueError:
        raise ConfigError(f"{source} must be a whole number of tokens such as 4096, got {value!r}") from None
    if ctx < 64:
        raise ConfigError(f"{source} must be at least 64 tokens, got {ctx}")
    return ctx


_PROFILE_KEYS = {"model", "server", "ctx_size", "gpu_layers", "port", "fallback", "url", "api_key", "extra_args"}


def profile_from_mapping(name: str, data: Mapping[str, Any], base: Profile | None = None) -> Profile:
    """Build a profile from a config dict such as ``{"model": "...", "ctx_size": 8192}``."""
    unknown = set(data) - _PROFILE_KEYS
    if unknown:
        raise ConfigError(f"profile {name!r} has unknown key(s) {sorted(unknown)}; known keys are {sorted(_PROFILE_KEYS)}")
    profile = replace(base or Profile(), name=name)
    changes: dict[str, Any] = {}
    if "ctx_size" in data:
        changes["ctx_size"] = parse_ctx_size(data["ctx_size"], f"profile {name!r} ctx_size")
    if "gpu_layers" in data:
        value = data["gpu_layers"]
        if value is not None and (not isinstance(value, int) or value < 0):
            raise ConfigError(f"profile {name!r} gpu_layers must be null (auto), 0 (CPU) or a layer count, got {value!r}")
        changes["gpu_layers"] = value
    if "port" in data:
        port = data["port"]
        if not isinstance(port, int) or not 0 <= port <= 65535:
            raise ConfigError(f"profile {name!r} port must be 0 (pick a free one) or 1-65535, got {port!r}")
        changes["port"] = port
    if "extra_args" in data:
        args = data["extra_args"]
        if isinstance(args, str) or not all(isinstance(a, str) for a in args):
            raise ConfigError(f"profile {name!r} extra_args must be a list of strings (an argv list, not a shell string)")
        check_extra_args(args, f"profile {name!r}")
        changes["extra_args"] = tuple(args)
    for key in ("model", "server", "fallback", "url", "api_key"):
        if key in data:
            changes[key] = data[key] or None
    return replace(profile, **changes)
