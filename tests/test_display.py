"""The answer's rendering (markdown-it-py, raw HTML off, safe links), the footer, the stall watchdog's
timing: pure functions, no server. The browser side is test_browser_answers.py."""

from __future__ import annotations

import re
import socket
import threading
import time
from html.parser import HTMLParser
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from llama_nb.kernel.display import answer_html, provenance_line, render_markdown
from llama_nb.answer.pipeline import extract_code
from llama_nb.kernel.watchdog import StallWatchdog

# What markdown-it's CommonMark + tables can produce; anything else would come from the model.
ALLOWED_TAGS = {"p", "em", "strong", "code", "pre", "a", "ul", "ol", "li", "blockquote", "h1", "h2", "h3", "h4",
                "h5", "h6", "hr", "br", "table", "thead", "tbody", "tr", "th", "td", "div"}
ALLOWED_ATTRS = {"href", "title", "class", "start", "style"}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.append((tag, attrs))


def _tags(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = _Tags()
    parser.feed(html)
    return parser.seen


HOSTILE_BITS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[a](javascript:alert(1))",
                "[b](JAVASCRIPT:alert(1))", "[c]( javascript:alert(1))", "[d](data:text/html,<b>x</b>)",
                "<a href='javascript:x'>e</a>", "```py`x\n", "`", "<", ">", "&", "\n", "\n\n", "- ", "> ",
                "| a | b |\n|---|---|\n", "![i](https://x/y.png)", "<!-- c -->", "<style>*{}</style>", "**", "    "]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(HOSTILE_BITS), st.text(max_size=12)), max_size=25).map("".join))
def test_rendered_answers_never_carry_html_or_unsafe_links(text: str) -> None:
    html = answer_html(text, "footer <b>x</b>")
    for tag, attrs in _tags(html):
        assert tag in ALLOWED_TAGS, (tag, text)
        for name, value in attrs:
            assert name in ALLOWED_ATTRS, (name, text)
            if name == "href":
                assert re.match(r"^(https?:|mailto:)", value or "", re.I), (value, text)


def test_faithful_commonmark() -> None:
    md = "- item\n\n  ```python\n  if a < b: pass\n  ```\n\n> ```\n> x < y\n> ```\n\n    indented < code\n"
    html = render_markdown(md)
    assert '<li>\n<p>item</p>\n<pre><code class="language-python">if a &lt; b: pass' in html
    assert "<blockquote>\n<pre><code>x &lt; y" in html
    assert "<pre><code>indented &lt; code" in html
    assert "&amp;lt;" not in html, "no double escaping"
    table = render_markdown("| a | b |\n|---|---|\n| `x|y` | 2 |\n")
    assert "<table>" in table and "<th>a</th>" in table
    assert "<code>``</code>" in render_markdown("``` `` ```") or "<code>``</code>" in render_markdown("` `` `")
    # A backtick in a backtick fence's info string: that line opens no fence (CommonMark), it is text.
    html = render_markdown("```py`x\ncode\n\nlast paragraph\n")
    assert html == "<p>```py`x\ncode</p>\n<p>last paragraph</p>\n"


def test_footer_and_code_extraction() -> None:
    line = provenance_line({"model": "m.gguf", "sha256": "abc123", "ctx_size": 1024, "temperature": 0.2, "seed": 7,
                            "build": "b1-x", "profile": "default", "recovery": ["↻ restarted"]})
    assert line == "m.gguf (sha256 abc123) · ctx 1024 · temperature 0.2 · seed 7 · llama.cpp b1-x · profile default · after: ↻ restarted"
    assert provenance_line(None) is None
    assert extract_code("Text\n```js\nx\n```\n```python\ny = 1\n```") == "y = 1"
    assert extract_code("no code") is None


def test_watchdog_unblocks_a_read_that_gets_nothing() -> None:
    """A real socket that never sends: the watchdog shuts it down and the blocked read returns."""

    class Stream:
        def __init__(self, sock: socket.socket) -> None:
            net = type("Net", (), {"get_extra_info": lambda self, key: sock if key == "socket" else None})()
            self._response = type("Resp", (), {"extensions": {"network_stream": net}, "close": lambda self: None})()

    a, b = socket.socketpair()
    try:
        dog = StallWatchdog(Stream(a), stall_timeout=0.3, first_token_timeout=0.5)
        t0 = time.monotonic()
        with dog:
            dog.tick()
            data = a.recv(10)  # blocks until the watchdog shuts the socket down
        assert data == b"" and dog.fired and "no token for" in dog.fired
        assert 0.25 < time.monotonic() - t0 < 5
        off = StallWatchdog(Stream(b), stall_timeout=0)
        with off:
            pass
        assert not off.enabled and off.fired is None
    finally:
        a.close()
        b.close()
    assert not [t for t in threading.enumerate() if t.name == "llama-nb-stall-watchdog"]


def test_streamed_deltas_are_sent_at_a_bounded_and_growing_interval(monkeypatch, capsys) -> None:
    """Bar 16's cost is mostly message envelopes: a token every 10 ms for 30 s (3,000 deltas) must become
    a few dozen stdout writes, the first at once, none further apart than the longest interval, and the
    text written is exactly the answer (the final render is not part of this: no shell)."""
    from llama_nb.kernel import display as display_mod

    clock = [1000.0]
    monkeypatch.setattr(display_mod.time, "monotonic", lambda: clock[0])
    writes: list[tuple[float, str]] = []

    class Out:
        def write(self, text: str) -> None:
            writes.append((clock[0], text))

        def flush(self) -> None:
            pass

    monkeypatch.setattr(display_mod.sys, "stdout", Out())
    view = display_mod.StreamView(rich=True, owns_output=True)
    view.start()
    sent = ""
    for i in range(3000):
        delta = f"w{i} "
        sent += delta
        view.add(delta)
        clock[0] += 0.01
    assert writes[0][0] == 1000.0, "the first token shows at once"
    gaps = [b[0] - a[0] for a, b in zip(writes, writes[1:])]
    assert all(g >= view.append_interval - 1e-9 for g in gaps)
    assert max(gaps) <= view.max_append_interval + 0.011
    assert 30 <= len(writes) <= 45, len(writes)  # 0.25 s throughout would be 120 messages
    assert "".join(t for _, t in writes) + view.text[view._printed:] == sent


def test_streamed_text_is_flushed_at_once(monkeypatch) -> None:
    """Each streamed piece is flushed as it is written: ipykernel otherwise holds stdout for 0.2 s, which
    delayed the first token by that much (bench row 21). The pieces stay rate-limited: no more writes."""
    import io
    import sys

    from llama_nb.kernel.display import StreamView

    class Out(io.StringIO):
        def __init__(self) -> None:
            super().__init__()
            self.calls: list[str] = []

        def write(self, s: str) -> int:
            self.calls.append("write")
            return super().write(s)

        def flush(self) -> None:
            self.calls.append("flush")

    out = Out()
    monkeypatch.setattr(sys, "stdout", out)
    view = StreamView(rich=True, owns_output=True)
    view.start()
    view.add("first")
    assert out.calls == ["write", "flush"] and out.getvalue() == "first", "the first token is sent at once"
    view.add(" second")  # within append_interval: held, not written
    assert out.calls == ["write", "flush"]


def test_an_interim_answer_is_shown_rendered_in_each_output_and_the_final_one_replaces_it(monkeypatch) -> None:
    """The checked fix is shown before its cause is asked again (kernel/fixcheck.py): rendered, not done,
    with its progress note; the final answer then replaces it. In a terminal nothing is shown twice."""
    import llama_nb.kernel.display as display_mod

    calls: list[tuple[str, Any]] = []

    class Handle:
        def update(self, bundle: dict[str, Any], raw: bool = False) -> None:
            calls.append(("update", bundle))

    def fake_display(bundle: dict[str, Any], raw: bool = False, display_id: bool = False) -> Any:
        calls.append(("display", bundle))
        return Handle() if display_id else None

    monkeypatch.setattr(display_mod, "display", fake_display)
    monkeypatch.setattr(display_mod, "clear_output", lambda wait=False: calls.append(("clear", wait)))
    mime = display_mod.ANSWER_MIME
    for owns in (True, False):
        calls.clear()
        view = display_mod.StreamView(rich=True, owns_output=owns, replay=[{"text/plain": "repaired"}], hold_code=True)
        view.start()
        view.add("**Cause:** x\n\n```python\ny = 1\n```")
        view.interim("**Cause:** x\n\n```python\ny = 1\n```\n\n✓ ran", "⏳ explaining…")
        shown = [b for kind, b in calls if kind in ("display", "update") and isinstance(b, dict) and mime in b and "✓ ran" in b["text/plain"]]
        assert shown and not shown[-1][mime]["done"] and "⏳ explaining…" in shown[-1]["text/plain"] and "<code" in shown[-1]["text/html"]
        if owns:  # the streamed text goes and the notes before it come back, as at the end
            at = calls.index(("clear", True))
            assert calls[at + 1] == ("display", {"text/plain": "repaired"})
        view.text = "**Cause:** new\n\n```python\ny = 1\n```\n\n✓ ran"
        view.finish(done=True)
        last = [b for kind, b in calls if kind in ("display", "update") and isinstance(b, dict) and mime in b][-1]
        assert last[mime]["done"] and "new" in last["text/plain"] and "⏳" not in last["text/plain"]
        if owns:
            assert calls.count(("clear", True)) == 2
    terminal = display_mod.StreamView(rich=False, hold_code=True)
    calls.clear()
    terminal.interim("text", "note")
    assert calls == []
