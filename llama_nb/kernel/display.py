"""Putting things in the cell output: cards, one-line notes, and the streamed answer.

Everything goes through IPython's display machinery as a mimebundle, so notebooks get Markdown and
HTML while a terminal IPython gets plain text. Cards also carry their data as
``application/vnd.llama-nb.card+json`` (frontends and tests read the kind and numbers from it).
"""

from __future__ import annotations

import html
import re
import sys
import time
from typing import Any

from IPython.display import DisplayHandle, display

from ..supervisor import Card

CARD_MIME = "application/vnd.llama-nb.card+json"
NOTE_MIME = "application/vnd.llama-nb.note+json"
ANSWER_MIME = "application/vnd.llama-nb.answer+json"


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)", re.DOTALL)


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;")


def _escape_line(line: str) -> str:
    """Escape ``&`` and ``<`` outside inline code spans (inside them Markdown shows text as it is)."""
    out, pos = [], 0
    for match in _CODE_SPAN.finditer(line):
        out.append(_escape_text(line[pos:match.start()]))
        out.append(match.group(0))
        pos = match.end()
    out.append(_escape_text(line[pos:]))
    return "".join(out)


def safe_markdown(text: str) -> str:
    """Model output as Markdown that cannot carry raw HTML.

    Notebook frontends render Markdown from the running session as trusted HTML, so a ``<img
    onerror=…>`` in an answer would run. Outside code (fenced blocks and inline code spans, which
    Markdown never interprets) ``&`` and ``<`` become entities; code keeps every character.
    An unclosed fence (an answer still streaming) stays a code block to the end, as Markdown renders it.
    """
    out: list[str] = []
    fence: str | None = None
    for line in text.splitlines(keepends=True):
        match = _FENCE.match(line)
        if fence is None:
            if match:
                fence = match.group(1)
                marker_end = match.end()
                out.append(line[:marker_end] + _escape_text(line[marker_end:]))
            else:
                out.append(_escape_line(line))
            continue
        out.append(line)
        if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence) and not line[match.end():].strip():
            fence = None
    return "".join(out)


def rich_output(shell: Any) -> bool:
    """Whether outputs are rendered by a frontend (a kernel, or captured) rather than printed to a terminal.

    A terminal IPython prints every display update again, so there the answer streams as plain text.
    """
    pub = getattr(shell, "display_pub", None)
    return pub is not None and type(pub).__name__ != "DisplayPublisher"


def card_bundle(card: Card) -> dict[str, Any]:
    return {
        "text/plain": card.to_text(),
        "text/markdown": card.to_markdown(),
        "text/html": card.to_html(),
        CARD_MIME: card.to_dict(),
    }


def show_card(card: Card) -> None:
    """Display a card with all its representations."""
    display(card_bundle(card), raw=True)


def show_note(text: str, kind: str = "info") -> None:
    """Display a one-line note (a repair, a degraded state, an interrupt)."""
    display(
        {
            "text/plain": text,
            "text/markdown": text,
            "text/html": f'<div class="llama-nb-note" data-kind="{html.escape(kind)}" style="opacity:0.8">{html.escape(text)}</div>',
            NOTE_MIME: {"kind": kind, "text": text},
        },
        raw=True,
    )


def show_text(text: str) -> None:
    """Display preformatted text (logs): escaped for HTML, untouched as plain text."""
    display({"text/plain": text, "text/html": f"<pre>{html.escape(text)}</pre>"}, raw=True)


def show_markdown(markdown: str, plain: str | None = None) -> None:
    display({"text/plain": plain if plain is not None else markdown, "text/markdown": markdown}, raw=True)


class StreamView:
    """One output that shows the answer as it grows and ends as rendered Markdown.

    In a notebook it is a single display updated in place, at most every ``interval`` seconds; in a
    terminal the deltas are printed as they come. With ``stream=False`` only the final answer shows.
    """

    def __init__(self, *, rich: bool, stream: bool = True, interval: float = 0.05, meta: dict[str, Any] | None = None) -> None:
        self.rich = rich
        self.stream = stream
        self.interval = interval
        self.meta = dict(meta or {})
        self.text = ""
        self.updates = 0
        self._handle: DisplayHandle | None = None
        self._last = 0.0
        self._printed = 0

    def _bundle(self, text: str, done: bool) -> dict[str, Any]:
        shown = text if (done or text) else "…"
        return {"text/plain": shown, "text/markdown": safe_markdown(shown),
                ANSWER_MIME: {**self.meta, "done": done, **({"text": text} if done else {})}}

    def start(self) -> None:
        if self.rich and self.stream:
            self._handle = display(self._bundle("", False), raw=True, display_id=True)
            self._last = time.monotonic()

    def add(self, delta: str) -> None:
        self.text += delta
        if not self.stream:
            return
        if not self.rich:
            sys.stdout.write(delta)
            sys.stdout.flush()
            self._printed = len(self.text)
            return
        now = time.monotonic()
        if now - self._last >= self.interval:
            self._update(done=False)
            self._last = now

    def _update(self, done: bool) -> None:
        bundle = self._bundle(self.text, done)
        if self._handle is None:
            self._handle = display(bundle, raw=True, display_id=True)
        else:
            self._handle.update(bundle, raw=True)
        self.updates += 1

    def finish(self, **meta: Any) -> None:
        """Show the final text (also after an interrupt or a broken stream: the partial answer stays)."""
        self.meta.update(meta)
        if not self.rich:
            if self.stream:
                sys.stdout.write(self.text[self._printed:] + "\n")
                sys.stdout.flush()
            else:
                print(self.text)
            return
        if self.text or self._handle is not None:
            self._update(done=True)
