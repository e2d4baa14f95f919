"""What a prompt is and what comes back: a chat message, and the model's answer as it fills."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: One chat message: ``{"role": "system" | "user" | "assistant", "content": ...}``.
Message = dict[str, str]


@dataclass
class Answer:
    """A finished (or stopped) answer and llama-server's own ``timings`` for it."""

    text: str = ""
    finish_reason: str | None = None
    timings: dict[str, Any] | None = None
    usage: dict[str, Any] | None = None
    chunks: int = 0
    interrupted: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
