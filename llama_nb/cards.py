"""Error cards: what happened, what I tried, what you can do, as data.

A :class:`Fix` is an action with its parameters (restart with a context size, set a config key, pull a
model, run an argv, …), not a line of text: whoever builds a card (the supervisor included) says *what*
to do; each surface says it in its own words (:mod:`llama_nb.render`: a magic line in a notebook, a shell
command in a terminal, JSON in REST, a button in the status panel). This module is a base layer: it
imports nothing of llama-nb but :mod:`llama_nb.redact`.
"""

from __future__ import annotations

import html
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any, Callable, Mapping

from .redact import mask_urls


class Action(str, Enum):
    """What a fix does. The parameters each takes are listed beside it (all optional unless said).

    ``profile`` is the profile the card is about (the default one goes without saying); ``use_profile``
    asks for that profile by name, the default one included (``start -m default``).
    """

    START = "start"  # profile, ctx, cpu: start the profile's server
    RESTART = "restart"  # profile, ctx, cpu: stop it and start it again
    STOP = "stop"  # profile: stop it
    LOGS = "logs"  # profile, n: read the tail of the server log
    DOCTOR = "doctor"  # profile: check binary, model, memory, ports, GPU
    STATUS = "status"  # profile: show the state of the server
    MODELS = "models"  # the catalogue, local GGUF files and every profile
    PULL = "pull"  # name (required), env: fetch a catalogue model (env: variables set for that command)
    HELP = "help"  # every subcommand and option
    SET_CONFIG = "set_config"  # key, value (required): set c.LlamaNB.<key>
    SET_ENV = "set_env"  # name, value (required): set an environment variable
    PIP_INSTALL = "pip_install"  # packages (required), options: install Python packages
    RUN = "run"  # argv (a list, quoted when shown) or line (a shell line whose $VARS are meant): run a program
    RELOAD = "reload"  # reload llama-nb in the kernel
    PROMPT = "prompt"  # name (explain, ask, fix), cell, text, max_tokens, note: an example prompt


@dataclass(frozen=True)
class Step:
    """One recovery step and whether it worked."""

    text: str
    ok: bool

    @property
    def mark(self) -> str:
        return "✓" if self.ok else "✗"


def _mask(value: Any) -> Any:
    if isinstance(value, str):
        return mask_urls(value) or ""
    if isinstance(value, (list, tuple)):
        return [_mask(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _mask(v) for k, v in value.items()}
    return value


@dataclass(frozen=True)
class Fix:
    """One thing the user can do: ``text`` says it in words, ``action`` and ``params`` say it as data."""

    text: str
    action: Action
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "action", Action(self.action))
        object.__setattr__(self, "params", dict(self.params))

    def get(self, key: str, default: Any = None) -> Any:
        return self.params.get(key, default)

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "action": self.action.value, "params": dict(self.params)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Fix":
        if "action" not in data:  # a card written before fixes were data: its line, run as written
            return cls(data.get("text", ""), Action.RUN, {"line": data.get("command", "")})
        return cls(data.get("text", ""), Action(data["action"]), data.get("params") or {})


#: How a surface says a fix in one line; ``None`` where that surface has no way to do it.
Renderer = Callable[[Fix], "str | None"]


def describe(fix: Fix) -> str:
    """A surface-free line for ``fix`` (logs and ``str(card)``): a program as its command line, any other
    action as its name and parameters. The surfaces use :mod:`llama_nb.render` instead."""
    if fix.action == Action.RUN:
        return str(fix.get("line") or " ".join(fix.get("argv") or ()))
    params = " ".join(f"{k}={v!r}" for k, v in fix.params.items())
    return f"{fix.action.value} {params}".strip()


@dataclass(frozen=True)
class Card:
    """A failure explained in three parts. ``evidence`` holds the numbers and log lines."""

    kind: str
    title: str
    what_happened: str
    evidence: tuple[str, ...] = ()
    what_tried: tuple[Step, ...] = ()
    what_you_can_do: tuple[Fix, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        # URL credentials never reach a card, whoever built it (evidence often quotes a URL).
        object.__setattr__(self, "title", mask_urls(self.title))
        object.__setattr__(self, "what_happened", mask_urls(self.what_happened))
        object.__setattr__(self, "evidence", tuple(mask_urls(e) or "" for e in self.evidence))
        object.__setattr__(self, "what_tried", tuple(Step(mask_urls(s.text) or "", s.ok) for s in self.what_tried))
        object.__setattr__(self, "what_you_can_do", tuple(Fix(mask_urls(f.text) or "", f.action, _mask(f.params)) for f in self.what_you_can_do))

    # -- serialisation ------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["evidence"] = list(self.evidence)
        data["what_tried"] = [asdict(s) for s in self.what_tried]
        data["what_you_can_do"] = [f.to_dict() for f in self.what_you_can_do]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Card":
        return cls(
            kind=data["kind"],
            title=data["title"],
            what_happened=data["what_happened"],
            evidence=tuple(data.get("evidence", ())),
            what_tried=tuple(Step(**s) for s in data.get("what_tried", ())),
            what_you_can_do=tuple(Fix.from_dict(f) for f in data.get("what_you_can_do", ())),
        )

    # -- rendering ----------------------------------------------------------------------------------
    # ``line`` says each fix in the words of a surface (llama_nb.render.magic, .shell); a fix it cannot
    # say (None) is left out of that rendering.

    def fix_lines(self, line: Renderer = describe) -> list[tuple[str, str]]:
        """``(text, command)`` of each fix this surface can say."""
        out: list[tuple[str, str]] = []
        for fix in self.what_you_can_do:
            command = line(fix)
            if command:
                out.append((fix.text, mask_urls(command) or ""))
        return out

    def to_text(self, line: Renderer = describe) -> str:
        lines = [f"✗ {self.title}", "", "What happened:", f"  {self.what_happened}"]
        lines += [f"    | {e}" for e in self.evidence]
        lines += ["", "What I tried:"]
        lines += [f"  {s.mark} {s.text}" for s in self.what_tried] or ["  nothing: this cannot be fixed by retrying"]
        lines += ["", "What you can do:"]
        for i, (text, command) in enumerate(self.fix_lines(line), 1):
            lines += [f"  {i}. {text}", f"       {command}"]
        return "\n".join(lines)

    def to_markdown(self, line: Renderer = describe) -> str:
        parts = [f"### ✗ {self.title}", "", "**What happened**", "", self.what_happened]
        if self.evidence:
            parts += ["", "```text", *self.evidence, "```"]
        parts += ["", "**What I tried**", ""]
        parts += [f"- {s.mark} {s.text}" for s in self.what_tried] or ["- nothing: this cannot be fixed by retrying"]
        parts += ["", "**What you can do**", ""]
        for i, (text, command) in enumerate(self.fix_lines(line), 1):
            fence = "python" if command.startswith("%") else "bash"
            parts += [f"{i}. {text}", "", f"   ```{fence}", f"   {command}", "   ```"]
        return "\n".join(parts)

    def to_html(self, line: Renderer = describe) -> str:
        e = html.escape
        tried = "".join(f'<li class="llama-nb-step {"ok" if s.ok else "failed"}">{s.mark} {e(s.text)}</li>' for s in self.what_tried) or "<li>nothing: this cannot be fixed by retrying</li>"
        fixes = "".join(f'<li>{e(text)}<pre class="llama-nb-fix"><code>{e(command)}</code></pre></li>' for text, command in self.fix_lines(line))
        evidence = f'<pre class="llama-nb-evidence">{e(chr(10).join(self.evidence))}</pre>' if self.evidence else ""
        return (
            f'<div class="llama-nb-card" data-kind="{e(self.kind)}" '
            'style="border-left:4px solid #d33;padding:8px 12px;margin:4px 0;background:rgba(221,51,51,0.06)">'
            f'<div class="llama-nb-title" style="font-weight:bold">✗ {e(self.title)}</div>'
            f'<div class="llama-nb-what-happened"><b>What happened</b><p>{e(self.what_happened)}</p>{evidence}</div>'
            f'<div class="llama-nb-what-tried"><b>What I tried</b><ul>{tried}</ul></div>'
            f'<div class="llama-nb-what-you-can-do"><b>What you can do</b><ol>{fixes}</ol></div>'
            "</div>"
        )

    def __str__(self) -> str:
        return self.to_text()
