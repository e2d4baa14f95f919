"""The Explain / Fix bar in Notebook 7, in a real browser: headless Debian Chromium (Playwright) against a
real ``jupyter notebook`` (Notebook 7: ``/tree`` and ``/notebooks/NAME.ipynb``) with the llama-nb extension,
the real llama-server and model.

The same bar is tried in JupyterLab by ``test_browser_answers.py``; here a notebook is opened from
Notebook 7's file browser, a cell raises, the Explain button under its traceback is clicked and a real
answer streams into that cell's output (seen as streamed text first, then the rendered answer with its
provenance footer), Fix shows the proposed code in a box ready to copy, and ✕ hides the bar. The model's
words are not judged here (bench/quality.py does that). Waits are bounded, never fixed sleeps.
"""

from __future__ import annotations

import re

from typing import Any, Iterator

import pytest

from browser_fixtures import BROWSER_MARKS, notebook_page, run_all_cells, shot, start_lab
from serverext_fixtures import TOKEN, JupyterServer

pytestmark = BROWSER_MARKS

ANSWER_TIMEOUT = 240_000  # ms: a real answer on two busy cores, llama-server's cold start included

CELLS = [
    "%load_ext llama_nb\n"
    "__import__('llama_nb.kernel.magics', fromlist=['c']).current().error_buttons.max_tokens = 160",
    '{"a": 1}["b"]',
]
ERROR_CELL = 1

# Notebook 7's toolbar names the kernel once the session is connected, and its execution indicator says idle.
KERNEL_IDLE = """() => {
  const name = document.querySelector('.jp-Toolbar-kernelName');
  const state = document.querySelector('.jp-Notebook-ExecutionIndicator');
  return !!name && /Python 3/.test(name.textContent) && !!state && state.dataset.status === 'idle';
}"""

# Records, per output area of the error cell's bar, whether streamed text showed before the rendered answer.
STREAM_OBSERVER = """bar => {
  window.__nb7 = {streamed: [], rendered: null};
  new MutationObserver(() => {
    const streamed = bar.querySelector('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stdout"]');
    if (streamed && streamed.textContent.trim() && window.__nb7.rendered === null)
      window.__nb7.streamed.push(streamed.textContent.length);
    if (bar.querySelector('.llama-nb-answer') && window.__nb7.rendered === null)
      window.__nb7.rendered = window.__nb7.streamed.length;
  }).observe(bar, {childList: true, subtree: true, characterData: true});
}"""


@pytest.fixture(scope="module")
def notebook7(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[JupyterServer, Any]]:
    """Notebook 7, and a Chromium page on the test notebook (opened from /tree) with its cells run."""
    tmp = tmp_path_factory.mktemp("notebook7")
    server = start_lab(tmp, "", app="notebook", page="tree")

    def open_page(page: Any) -> None:
        # Notebook 7's file browser lists the notebook; its page is /notebooks/NAME.ipynb.
        page.goto(f"{server.root_url}tree?token={TOKEN}", wait_until="domcontentloaded")
        page.locator(".jp-DirListing-item", has_text="errors.ipynb").wait_for()
        page.goto(f"{server.root_url}notebooks/errors.ipynb", wait_until="domcontentloaded")
        page.locator("#main-panel .jp-Notebook .jp-Cell").nth(len(CELLS) - 1).wait_for()
        assert page.locator("#jp-main-statusbar").count() == 0, "this is Notebook 7, not JupyterLab"
        run_all_cells(page, KERNEL_IDLE)
        page.locator(".jp-Cell").nth(ERROR_CELL).locator(".llama-nb-errorbar").wait_for()

    with notebook_page(server, "errors.ipynb", CELLS, open_page, height=1200, failure_shot="nb7-setup-failure.png") as page:
        yield server, page


def test_notebook7_explain_fix_and_dismiss_under_the_traceback(notebook7: tuple[JupyterServer, Any]) -> None:
    _, page = notebook7
    cell = page.locator(".jp-Cell").nth(ERROR_CELL)
    bar = cell.locator(".llama-nb-errorbar")
    assert "KeyError" in cell.locator(".jp-OutputArea-output").first.inner_text(), "the traceback is shown"
    buttons = bar.locator("button")
    assert [t.strip() for t in buttons.all_inner_texts()] == ["Explain", "Fix", "✕"], buttons.all_inner_texts()
    assert bar.is_visible()
    cells_before = page.locator(".jp-Notebook .jp-Cell").count()
    cell.scroll_into_view_if_needed()
    shot(page, "nb7-errorbar.png", cell)

    # Explain: the answer streams into this cell (plain text first), then shows rendered with its footer.
    bar.element_handle().evaluate(STREAM_OBSERVER)
    bar.locator("button", has_text="Explain").click()
    answer = bar.locator(".llama-nb-answer")
    try:
        answer.wait_for(timeout=ANSWER_TIMEOUT)
    except BaseException:
        shot(page, "nb7-explain-failure.png", cell)
        raise
    seen = page.evaluate("window.__nb7")
    assert seen["rendered"], f"the answer streamed into the cell as text before it was rendered: {seen}"
    footer = answer.locator(".llama-nb-provenance")
    assert footer.count() == 1 and ".gguf" in footer.inner_text(), "the provenance footer names the model file"
    prose = answer.inner_text().replace(footer.inner_text(), "").strip()
    assert prose, "the answer has text"
    assert page.locator(".jp-Notebook .jp-Cell").count() == cells_before, "no new cell"
    # The buttons come back when the whole run has returned and the widget's state has reached the page.
    from playwright.sync_api import expect

    expect(bar.locator("button", has_text="Explain")).to_be_enabled(timeout=ANSWER_TIMEOUT)
    cell.scroll_into_view_if_needed()
    shot(page, "nb7-explain.png", cell)

    # Fix: the proposed code in a box ready to copy, in the same cell, labelled with what running it on a
    # sandboxed copy showed; nothing is run in the kernel.
    count = cell.locator(".jp-InputPrompt").inner_text()
    bar.locator("button", has_text="Fix").click()
    code = bar.locator(".llama-nb-fix-code textarea")
    try:
        code.wait_for(timeout=ANSWER_TIMEOUT)
    except BaseException:
        shot(page, "nb7-fix-failure.png", cell)
        raise
    assert code.input_value().strip(), "the proposed code is in the box"
    label = re.search(r"Proposed code \((.+?)\): copy it into a cell", bar.inner_text())
    assert label and label.group(1).startswith(("ran on a copy of your data", "still raises", "not a repair",
                                                "blocked", "not run", "did not finish", "used more")), bar.inner_text()
    assert bar.locator(".llama-nb-answer").count() == 1, "the Fix answer replaced the Explain answer"
    assert page.locator(".jp-Notebook .jp-Cell").count() == cells_before, "no new cell"
    assert cell.locator(".jp-InputPrompt").inner_text() == count, "the cell was not run again"
    code.select_text()  # ready to copy: a plain text box the user can select
    assert page.evaluate("window.getSelection().toString() || document.activeElement.value.substring("
                         "document.activeElement.selectionStart, document.activeElement.selectionEnd)") == code.input_value()
    cell.scroll_into_view_if_needed()
    shot(page, "nb7-fix.png", cell)

    # ✕ hides the bar and its answer; the traceback stays.
    bar.locator("button", has_text="✕").click()
    page.wait_for_function("() => { const b = document.querySelectorAll('.jp-Cell')[%d].querySelector('.llama-nb-errorbar');"
                           " return !b || getComputedStyle(b).display === 'none'; }" % ERROR_CELL)
    assert "KeyError" in cell.locator(".jp-OutputArea-output").first.inner_text()
    shot(page, "nb7-dismissed.png", cell)
