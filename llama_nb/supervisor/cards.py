"""Error cards: what happened, what I tried, what you can do. Rendered as text, Markdown and HTML."""

from __future__ import annotations

import html
from dataclasses import asdict, dataclass, field
from typing import Any

from .redact import mask_urls


@dataclass(frozen=True)
class Step:
    """One recovery step and whether it worked."""

    text: str
    ok: bool

    @property
    def mark(self) -> str:
        return "✓" if self.ok else "✗"


@dataclass(frozen=True)
class Fix:
    """One thing the user can do, with a single copy-pasteable line (a magic or a shell command)."""

    text: str
    command: str


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
        object.__setattr__(self, "what_you_can_do",
                           tuple(Fix(mask_urls(f.text) or "", mask_urls(f.command) or "") for f in self.what_you_can_do))

    # -- serialisation ------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["evidence"] = list(self.evidence)
        data["what_tried"] = [asdict(s) for s in self.what_tried]
        data["what_you_can_do"] = [asdict(f) for f in self.what_you_can_do]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Card":
        return cls(
            kind=data["kind"],
            title=data["title"],
            what_happened=data["what_happened"],
            evidence=tuple(data.get("evidence", ())),
            what_tried=tuple(Step(**s) for s in data.get("what_tried", ())),
            what_you_can_do=tuple(Fix(**f) for f in data.get("what_you_can_do", ())),
        )

    # -- rendering ----------------------------------------------------------------------------------

    def to_text(self) -> str:
        lines = [f"✗ {self.title}", "", "What happened:", f"  {self.what_happened}"]
        lines += [f"    | {e}" for e in self.evidence]
        lines += ["", "What I tried:"]
        lines += [f"  {s.mark} {s.text}" for s in self.what_tried] or ["  nothing: this cannot be fixed by retrying"]
        lines += ["", "What you can do:"]
        for i, fix in enumerate(self.what_you_can_do, 1):
            lines += [f"  {i}. {fix.text}", f"       {fix.command}"]
        return "\n".join(lines)

    def to_markdown(self) -> str:
        parts = [f"### ✗ {self.title}", "", "**What happened**", "", self.what_happened]
        if self.evidence:
            parts += ["", "```text", *self.evidence, "```"]
        parts += ["", "**What I tried**", ""]
        parts += [f"- {s.mark} {s.text}" for s in self.what_tried] or ["- nothing: this cannot be fixed by retrying"]
        parts += ["", "**What you can do**", ""]
        for i, fix in enumerate(self.what_you_can_do, 1):
            fence = "python" if fix.command.startswith("%") else "bash"
            parts += [f"{i}. {fix.text}", "", f"   ```{fence}", f"   {fix.command}", "   ```"]
        return "\n".join(parts)

    def to_html(self) -> str:
        e = html.escape
        tried = "".join(
            f'<li class="llama-nb-step {"ok" if s.ok else "failed"}">{s.mark} {e(s.text)}</li>' for s in self.what_tried
        ) or "<li>nothing: this cannot be fixed by retrying</li>"
        fixes = "".join(
            f"<li>{e(f.text)}<pre class=\"llama-nb-fix\"><code>{e(f.command)}</code></pre></li>" for f in self.what_you_can_do
        )
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

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def _repr_html_(self) -> str:
        return self.to_html()

    def __str__(self) -> str:
        return self.to_text()


class LlamaNBError(RuntimeError):
    """Raised where a failure must stop a caller; it carries the card to show."""

    def __init__(self, card: Card) -> None:
        super().__init__(card.title)
        self.card = card
