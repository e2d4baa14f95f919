"""Putting things in the cell output: cards, one-line notes, and the streamed answer.

Everything goes through IPython's display machinery as a mimebundle, so notebooks get Markdown and
HTML while a terminal IPython gets plain text. Cards also carry their data as
``application/vnd.llama-nb.card+json`` (frontends and tests read the kind and numbers from it).
"""

from __future__ import annotations

import html
import sys
import time
from typing import Any

from IPython.display import DisplayHandle, clear_output, display
from markdown_it import MarkdownIt

from ..render import card_json, magic
from ..supervisor import Card

CARD_MIME = "application/vnd.llama-nb.card+json"
NOTE_MIME = "application/vnd.llama-nb.note+json"
ANSWER_MIME = "application/vnd.llama-nb.answer+json"


_ALLOWED_SCHEMES = ("http:", "https:", "mailto:")


class _SafeMarkdown(MarkdownIt):
    """CommonMark with tables, raw HTML off, links only to http, https and mailto.

    Everything the model writes is text: ``<script>`` or ``<img onerror=…>`` shows as typed, a
    ``javascript:`` link stays literal text, and images are not loaded (``![alt](url)`` shows as a link).
    """

    def __init__(self) -> None:
        super().__init__("commonmark", {"html": False, "linkify": False, "typographer": False})
        self.enable("table")
        self.disable("image")

    def validateLink(self, url: str) -> bool:  # noqa: N802 (markdown-it's name)
        lowered = url.strip().lower()
        return lowered.startswith(_ALLOWED_SCHEMES)


_MD = _SafeMarkdown()


def render_markdown(text: str) -> str:
    """Model output (Markdown) as safe HTML: CommonMark via markdown-it-py, no raw HTML, safe links only."""
    return _MD.render(text)


HOLD_NOTE = "⏳ the fix is shown once it has been run on a copy of your data…"


def answer_html(text: str, footer: str | None = None, extra: str = "") -> str:
    """The final answer as one HTML block: the rendered Markdown, ``extra`` (HTML of ours, already
    escaped: the fix check's output) and, when asked, its provenance footer."""
    body = render_markdown(text)
    foot = f'<div class="llama-nb-provenance" style="opacity:0.6;font-size:85%">{html.escape(footer)}</div>' if footer else ""
    return f'<div class="llama-nb-answer">{body}{extra}{foot}</div>'


def safe_markdown(text: str) -> str:
    """Deprecated name kept for callers: the answer rendered to safe HTML (see :func:`render_markdown`)."""
    return render_markdown(text)


def rich_output(shell: Any) -> bool:
    """Whether outputs are rendered by a frontend (a kernel, or captured) rather than printed to a terminal.

    A terminal IPython prints every display update again, so there the answer streams as plain text.
    """
    pub = getattr(shell, "display_pub", None)
    return pub is not None and type(pub).__name__ != "DisplayPublisher"


def card_bundle(card: Card) -> dict[str, Any]:
    return {
        "text/plain": card.to_text(magic),
        "text/markdown": card.to_markdown(magic),
        "text/html": card.to_html(magic),
        CARD_MIME: card_json(card),
    }


def show_card(card: Card) -> None:
    """Display a card with all its representations."""
    display(card_bundle(card), raw=True)


def note_bundle(text: str, kind: str = "info") -> dict[str, Any]:
    return {
        "text/plain": text,
        "text/html": f'<div class="llama-nb-note" data-kind="{html.escape(kind)}" style="opacity:0.8">{html.escape(text)}</div>',
        NOTE_MIME: {"kind": kind, "text": text},
    }


def show_note(text: str, kind: str = "info") -> dict[str, Any]:
    """Display a one-line note (a repair, a degraded state, an interrupt); returns what was shown."""
    bundle = note_bundle(text, kind)
    display(bundle, raw=True)
    return bundle


def show_text(text: str) -> None:
    """Display preformatted text (logs): escaped for HTML, untouched as plain text."""
    display({"text/plain": text, "text/html": f"<pre>{html.escape(text)}</pre>"}, raw=True)


def show_markdown(markdown: str, plain: str | None = None) -> None:
    display({"text/plain": plain if plain is not None else markdown, "text/markdown": markdown}, raw=True)


class StreamView:
    """One answer in the output: plain text while it streams, one Markdown render when it ends.

    The cost is linear in the answer. While tokens arrive, only the new text is sent, as stream
    output (``stdout``, which the kernel batches every ~0.2 s). When the answer ends, the
    outputs this prompt owns are cleared in one step (``clear_output(wait=True)``), the ``replay``
    bundles shown before the answer (repair notes) are shown again, and the answer follows once,
    rendered. ``owns_output`` says the cell (or the widget ``Output`` it runs in) shows nothing but
    this prompt: a ``%%llama`` cell, a cell that is only a ``%llama`` line, a button's output area.

    Elsewhere (a ``%llama`` line among other code, whose outputs must not be cleared) the answer is
    one display updated in place, at most every ``interval`` seconds as plain text, then rendered.
    In a terminal the deltas are printed as they come. With ``stream=False`` only the final answer shows.
    """

    def __init__(
        self,
        *,
        rich: bool,
        stream: bool = True,
        interval: float = 0.5,
        meta: dict[str, Any] | None = None,
        owns_output: bool = False,
        replay: list[dict[str, Any]] | None = None,
        footer: bool = True,
        hold_code: bool = False,
    ) -> None:
        self.rich = rich
        #: Code is shown once its status is known: while streaming, the text stops at the first fence.
        self.hold_code = hold_code
        self.extra_html = ""
        self.stream = stream
        self.interval = interval
        self.meta = dict(meta or {})
        self.owns_output = owns_output
        self.replay = list(replay or [])
        self.footer = footer
        #: Deltas go out at most every ``append_interval`` seconds at first, then the interval grows
        #: linearly to ``max_append_interval`` over the first ``ramp`` seconds of text: each message
        #: costs ~270 bytes of envelope, so a long answer sends ~3x fewer of them, and a short one (the
        #: usual explain) still appears as it is written.
        self.append_interval = 0.25
        self.max_append_interval = 1.0
        self.ramp = 8.0
        self._first = 0.0
        self.text = ""
        #: When the checked fix was first on screen (``time.perf_counter()``; set by kernel/fixcheck.py).
        self.checked_at: float | None = None
        self.updates = 0
        self._handle: DisplayHandle | None = None
        self._last = 0.0
        self._printed = 0

    @property
    def _appending(self) -> bool:
        return self.rich and self.stream and self.owns_output

    def _bundle(self, text: str, done: bool) -> dict[str, Any]:
        meta = {**self.meta, "done": done}
        if not done:
            return {"text/plain": self._visible(text) or "…", ANSWER_MIME: meta}
        footer = provenance_line(self.meta.get("provenance")) if self.footer else None
        return {"text/plain": text, "text/html": answer_html(text, footer, self.extra_html), ANSWER_MIME: meta}

    def _visible(self, text: str) -> str:
        """What may show while streaming: with ``hold_code``, the text before the first code fence."""
        if not self.hold_code:
            return text
        at = text.find("```")
        if at < 0:
            return text.rstrip("`")  # a fence may be arriving
        return text[:at] + HOLD_NOTE

    def progress(self, note: str) -> None:
        """A line of progress while the held code is being checked (replaced by the final answer)."""
        if not self.stream:
            return
        if not self.rich or self._appending:
            sys.stdout.write(f"\n{note}")
            sys.stdout.flush()
            return
        self.meta["progress"] = note
        if self._handle is not None:
            self._handle.update({"text/plain": self._visible(self.text) + "\n" + note, ANSWER_MIME: {**self.meta, "done": False}}, raw=True)

    def interim(self, text: str, note: str) -> None:
        """Show ``text`` rendered, with a progress ``note`` under it, before the final answer replaces it: the
        checked fix is shown as soon as its status is known, while the cause is asked again in view of it.
        (In a terminal nothing is shown twice: the final answer comes once.)"""
        if not (self.rich and self.stream):
            return
        bundle = {"text/plain": f"{text}\n{note}", "text/html": answer_html(f"{text}\n\n{note}", None, self.extra_html), ANSWER_MIME: {**self.meta, "done": False, "progress": note}}
        if self._appending:
            sys.stdout.flush()
            clear_output(wait=True)
            for replayed in self.replay:
                display(replayed, raw=True)
            display(bundle, raw=True)
            self._printed = max(self._printed, 1)  # what finish() clears
        elif self._handle is not None:
            self._handle.update(bundle, raw=True)
        else:
            self._handle = display(bundle, raw=True, display_id=True)
        self.updates += 1

    def start(self) -> None:
        self._last = time.monotonic() - self.append_interval  # the first token shows at once
        if self.rich and self.stream and not self.owns_output:
            self._handle = display(self._bundle("", False), raw=True, display_id=True)
            self._last = time.monotonic()

    def add(self, delta: str) -> None:
        self.text += delta
        if not self.stream:
            return
        if not self.rich:
            visible = self._visible(self.text)
            sys.stdout.write(visible[self._printed :])
            sys.stdout.flush()
            self._printed = max(self._printed, len(visible))
            return
        now = time.monotonic()
        if self.owns_output:
            # Only the new text, at most every ``_interval``: each message costs its envelope too.
            if not self._first:
                self._first = now
            if now - self._last >= self._interval(now):
                visible = self._visible(self.text)
                sys.stdout.write(visible[self._printed :])
                # Sent now, not after ipykernel's 0.2 s batching: the first token shows at once, and the
                # writes are already rate-limited, so this sends no more messages than batching would.
                sys.stdout.flush()
                self._printed = max(self._printed, len(visible))
                self._last = now
            return
        if now - self._last >= self.interval:
            self._update(done=False)
            self._last = now

    def _interval(self, now: float) -> float:
        grown = self.append_interval + (self.max_append_interval - self.append_interval) * min(1.0, (now - self._first) / self.ramp)
        return max(self.append_interval, grown)

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
            if self.stream and self.hold_code:
                at = self.text.find("```")
                sys.stdout.write("\n\n" + (self.text[at:] if at >= 0 else self.text[self._printed :]) + "\n")
                sys.stdout.flush()
            elif self.stream:
                sys.stdout.write(self.text[self._printed :] + "\n")
                sys.stdout.flush()
            else:
                print(self.text)
            return
        if self._appending:
            if self._printed:
                sys.stdout.flush()
                clear_output(wait=True)  # the streamed text goes; the notes before it come back
                for bundle in self.replay:
                    display(bundle, raw=True)
            if self.text:
                display(self._bundle(self.text, True), raw=True)
                self.updates += 1
            return
        if self.text or self._handle is not None:
            self._update(done=True)


def provenance_line(prov: dict[str, Any] | None) -> str | None:
    """The short footer under an answer: model, its sha256 prefix, context, sampling, llama.cpp build, profile."""
    if not prov:
        return None
    parts = []
    if prov.get("model"):
        sha = prov.get("sha256")
        parts.append(f"{prov['model']}" + (f" (sha256 {sha})" if sha else ""))
    if prov.get("ctx_size"):
        parts.append(f"ctx {prov['ctx_size']}")
    if prov.get("temperature") is not None:
        parts.append(f"temperature {prov['temperature']}")
    if prov.get("seed") is not None:
        parts.append(f"seed {prov['seed']}")
    if prov.get("build"):
        parts.append(f"llama.cpp {prov['build']}")
    if prov.get("profile"):
        parts.append(f"profile {prov['profile']}")
    if prov.get("recovery"):
        parts.append("after: " + "; ".join(prov["recovery"]))
    return " · ".join(parts) or None
