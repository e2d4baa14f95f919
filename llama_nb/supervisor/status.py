"""The live status of one profile: a named state plus the facts a user needs to see."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from .cards import Card
from .redact import mask_urls


class State(str, Enum):
    """Every state a profile can be in. The panel and the REST API use these exact names."""

    NOT_STARTED = "not_started"
    STARTING = "starting"
    READY = "ready"
    DEGRADED = "degraded"
    RESTARTING = "restarting"
    FAILED = "failed"
    STOPPING = "stopping"
    STOPPED = "stopped"

    @property
    def is_up(self) -> bool:
        """The server answers prompts (possibly on a safer configuration)."""
        return self in (State.READY, State.DEGRADED)


@dataclass(frozen=True)
class Status:
    """A snapshot of one profile. Never carries the API key."""

    profile: str
    state: State
    pid: int | None = None
    model: str | None = None
    ctx_requested: int | None = None
    ctx_actual: int | None = None
    mode: str | None = None  # "gpu" | "cpu"
    restarts: int = 0
    recent_restarts: int = 0
    started_at: float | None = None  # wall-clock time the server became ready
    uptime: float | None = None
    port: int | None = None
    url: str | None = None
    degraded_reason: str | None = None
    last_recovery: str | None = None
    last_error: Card | None = None
    detail: str | None = None  # what is going on right now, e.g. "loading model (attempt 2)"
    seq: int = 0
    remote: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # A status is shown (panel, REST, CLI): URL credentials are masked from the start.
        object.__setattr__(self, "url", mask_urls(self.url))
        object.__setattr__(self, "detail", mask_urls(self.detail))

    def to_dict(self) -> dict[str, Any]:
        return {
            "profile": self.profile,
            "state": self.state.value,
            "pid": self.pid,
            "model": self.model,
            "ctx_requested": self.ctx_requested,
            "ctx_actual": self.ctx_actual,
            "mode": self.mode,
            "restarts": self.restarts,
            "recent_restarts": self.recent_restarts,
            "started_at": self.started_at,
            "uptime": self.uptime,
            "port": self.port,
            "url": self.url,
            "degraded_reason": self.degraded_reason,
            "last_recovery": self.last_recovery,
            "last_error": self.last_error.to_dict() if self.last_error else None,
            "detail": self.detail,
            "seq": self.seq,
            "remote": self.remote,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Status":
        card = data.get("last_error")
        known: dict[str, Any] = {
            k: data.get(k)
            for k in (  # JSON values, as untyped as data itself
                "pid",
                "model",
                "ctx_requested",
                "ctx_actual",
                "mode",
                "started_at",
                "uptime",
                "port",
                "url",
                "degraded_reason",
                "last_recovery",
                "detail",
            )
        }
        return cls(
            profile=data["profile"],
            state=State(data["state"]),
            restarts=data.get("restarts", 0),
            recent_restarts=data.get("recent_restarts", 0),
            last_error=Card.from_dict(card) if card else None,
            seq=data.get("seq", 0),
            remote=data.get("remote", False),
            **known,
        )
