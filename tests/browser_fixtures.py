"""What the browser tests share: headless Debian Chromium (Playwright, never its own browser download)
on a real JupyterLab or Notebook 7 with the llama-nb extension (``serverext_fixtures.start_jupyter``).

A test module takes its marks with ``pytestmark = BROWSER_MARKS``, starts its server with
:func:`start_lab` and opens its notebook with :func:`notebook_page` in a module-scoped fixture.
Screenshots land in ``test-artifacts/`` (git-ignored). Waits are bounded, never fixed sleeps.
"""

from __future__ import annotations

import json
import textwrap
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

import nbformat
import pytest

from serverext_fixtures import TOKEN, JupyterServer, start_jupyter

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
UI_TIMEOUT = 90_000  # ms: JupyterLab's first load in headless Chromium on two busy cores

BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium (apt install chromium)"),
]

# JupyterLab's status bar names the kernel and says Idle (before that it says "No Kernel | Initializing").
LAB_KERNEL_IDLE = """() => {
  const bar = document.querySelector('#jp-main-statusbar');
  return !!bar && /Python 3[^|]*\\|\\s*Idle/.test(bar.textContent);
}"""


def start_lab(tmp: Path, config: str, app: str = "jupyterlab", page: str = "lab") -> JupyterServer:
    """``python -m jupyterlab`` (or ``app="notebook"``: Notebook 7, ``page="tree"``) with the llama-nb
    extension, isolated config/runtime/state dirs, a token, a free port, no browser; returns once both the
    llama-nb API and ``/lab`` (``page``) answer."""
    settings = tmp / "jupyter-config" / "lab" / "user-settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    # No news or update toasts over the notebook.
    (settings / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    lab_config = "c.LanguageServerManager.autodetect = False\nc.LlamaNB.backoff_initial = 0.05\n"
    return start_jupyter(tmp, lab_config + textwrap.dedent(config), app=app, ready_paths=(page,))


def shot(page: Any, name: str, element: Any = None) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    (element or page).screenshot(path=str(path))
    return path


def run_all_cells(page: Any, kernel_idle: str = LAB_KERNEL_IDLE) -> None:
    """Run → Run All Cells once the kernel is idle (``kernel_idle``: a JS predicate); again if the first
    cell did not start (a click that lands while JupyterLab is still wiring the notebook up can be lost)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.wait_for_function(kernel_idle, timeout=UI_TIMEOUT)
    for attempt in range(3):
        page.locator(".lm-MenuBar-item", has_text="Run").first.click()
        page.locator(".lm-Menu-item:visible", has_text="Run All Cells").first.click()
        try:
            page.locator(".jp-Cell .jp-InputPrompt", has_text="[1]").first.wait_for(timeout=20_000)
            return
        except PlaywrightTimeout:
            if attempt == 2:
                raise
            page.keyboard.press("Escape")


def open_in_lab(page: Any, server: JupyterServer, name: str, cells: list[str]) -> None:
    """JupyterLab on the notebook ``name`` (with ``cells``), every cell drawn, then Run All Cells."""
    page.goto(f"{server.root_url}lab/tree/{name}?token={TOKEN}", wait_until="domcontentloaded")
    page.locator(".jp-Notebook .jp-Cell").nth(len(cells) - 1).wait_for()
    run_all_cells(page)


@contextmanager
def notebook_page(server: JupyterServer, name: str, cells: list[str], open_page: Callable[[Any], None], *,
                  height: int, failure_shot: str, dismiss_dialogs: bool = True) -> Iterator[Any]:
    """Write the notebook ``name`` (a Python 3 kernel, one code cell per item of ``cells``) into the
    server's root, and yield a headless Chromium page (1280 × ``height``) that ``open_page`` has made
    ready; a failure there leaves the page in ``failure_shot`` (test-artifacts/). When the block ends the
    browser closes and the server is stopped (SIGTERM, then whatever is left is killed)."""
    from playwright.sync_api import sync_playwright

    try:
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nb.cells = [nbformat.v4.new_code_cell(src) for src in cells]
        nbformat.write(nb, str(server.root / name))
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
            try:
                page = browser.new_page(viewport={"width": 1280, "height": height})
                page.set_default_timeout(UI_TIMEOUT)
                if dismiss_dialogs:
                    page.on("dialog", lambda dialog: dialog.dismiss())
                try:
                    open_page(page)
                except BaseException:
                    shot(page, failure_shot)
                    raise
                yield page
            finally:
                browser.close()
    finally:
        server.close()
