"""The shipped notebooks run top to bottom in a real kernel with the real server, and say the right things."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from kernel_fixtures import answer_of, cards_of, has_traceback, notes_of

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def execute(name: str) -> list[nbformat.NotebookNode]:
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    NotebookClient(nb, timeout=240, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    return [c for c in nb.cells if c.cell_type == "code"]


def text_of(cell: nbformat.NotebookNode) -> str:
    """The cell's text as a frontend shows it: consecutive stream outputs are one text (a kernel may
    send one ``print`` in two stream messages; JupyterLab and nbconvert join them)."""
    parts: list[str] = []
    previous_stream = False
    for out in cell.outputs:
        if out.output_type == "stream":
            if previous_stream:
                parts[-1] += out.text
            else:
                parts.append(out.text)
            previous_stream = True
            continue
        previous_stream = False
        data = out.get("data", {})
        parts.append(str(data.get("text/plain", "")))
        parts.append(str(data.get("text/markdown", "")))
    return "\n".join(parts)


def cell(cells: list[nbformat.NotebookNode], starts: str) -> nbformat.NotebookNode:
    for c in cells:
        if c.source.startswith(starts):
            return c
    raise AssertionError(f"no cell starting with {starts!r}")


def test_quickstart(monkeypatch: pytest.MonkeyPatch):
    cells = execute("quickstart.ipynb")
    explain = cell(cells, "%%llama explain")
    assert answer_of(explain).strip() and not cards_of(explain) and not has_traceback(explain)
    ask = cell(cells, "%llama ask")
    assert answer_of(ask).strip() and not cards_of(ask)
    assert "True True" in text_of(cell(cells, "print(len(answer)"))
    assert "ready" in text_of(cell(cells, "%llama status"))
    raised = cell(cells, "scores =")
    errors = [o for o in raised.outputs if o.output_type == "error"]
    assert has_traceback(raised) and errors[-1].ename == "KeyError"
    # Under the traceback: the Explain / Fix bar (a widget view; its text/plain says what it is).
    assert raised.outputs.index(errors[-1]) < len(raised.outputs) - 1
    assert "application/vnd.jupyter.widget-view+json" in raised.outputs[-1].get("data", {})
    last_error = cell(cells, "%llama explain --max-tokens")
    assert answer_of(last_error).strip() and not cards_of(last_error)
    assert "%%llama explain" in text_of(cell(cells, "%llama help"))


def test_recovery_tour():
    cells = execute("recovery-tour.ipynb")
    killed = cell(cells, "import os, signal")
    assert "killed llama-server pid" in text_of(killed)
    back = cell(cells, "%llama ask --max-tokens 40")
    assert answer_of(back).strip(), "the prompt after kill -9 must be answered"
    notes = " ".join(str(n) for n in notes_of(back))
    assert "SIGKILL" in notes, notes
    status = text_of(next(c for c in cells if c.source == "%llama status"))
    assert "ready" in status and "restarts" in status and "SIGKILL" in status
    limited = text_of(cell(cells, "%llama start -m limited"))
    assert "degraded" in limited and "131072" in limited
    assert "degraded" in text_of(cell(cells, "%llama status -m limited"))
    over = cell(cells, "long_text =")
    cards = cards_of(over)
    assert len(cards) == 1 and cards[0]["kind"] == "context_exceeded", cards
    card_text = text_of(over)
    assert "The prompt is longer than the context" in card_text and "512 tokens" in card_text
    models = text_of(cell(cells, "%llama models"))
    assert "limited" in models and "small" in models
    assert not any(has_traceback(c) for c in cells)
