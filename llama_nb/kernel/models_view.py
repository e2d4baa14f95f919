"""``%llama models`` (the catalogue and the GGUF files on this machine) and ``%llama pull NAME``
(a progress bar widget in a notebook, text lines elsewhere)."""

from __future__ import annotations

import time
from typing import Any

from ..local_models import catalogue_markdown, catalogue_rows, found_files
from ..pull import PullResult, pull
from .display import show_markdown


def show_catalogue() -> None:
    md, text = catalogue_markdown(catalogue_rows(), found_files())
    show_markdown(md, text)


class WidgetBar:
    """An ipywidgets progress bar with a label; updated at most 10 times a second."""

    def __init__(self, name: str) -> None:
        import ipywidgets as widgets
        from IPython.display import display

        self.bar = widgets.FloatProgress(value=0.0, min=0.0, max=1.0, description=name[:20], layout=widgets.Layout(width="50%"))
        self.label = widgets.Label(value="starting")
        self.box = widgets.HBox([self.bar, self.label])
        self.last = 0.0
        display(self.box)

    def __call__(self, what: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < 0.1 and done < total:
            return
        self.last = now
        self.bar.value = min(1.0, done / total) if total else 0.0
        unit = f"{done / 1e6:,.0f} / {total / 1e6:,.0f} MB" if total > 1000 else f"{done} / {total}"
        self.label.value = f"{what}: {unit}"

    def close(self, ok: bool) -> None:
        self.bar.bar_style = "success" if ok else "danger"
        if ok:
            self.bar.value = 1.0


class TextBar:
    """A line per step and per 10 % (plain IPython, nbclient)."""

    def __init__(self) -> None:
        self.what, self.decile = "", -1

    def __call__(self, what: str, done: int, total: int) -> None:
        decile = int(10 * done / total) if total else 0
        if what == self.what and decile == self.decile:
            return
        self.what, self.decile = what, decile
        print(f"{what}: {decile * 10} %", flush=True)

    def close(self, ok: bool) -> None:
        pass


def pull_with_progress(name: str, rich: bool) -> PullResult:
    """Pull ``name`` showing progress; raises LlamaNBError (with its card) when it cannot."""
    bar: Any = TextBar()
    if rich:
        try:
            bar = WidgetBar(name)
        except ImportError:
            pass
    try:
        result = pull(name, progress=bar, surface="notebook")
    except BaseException:
        bar.close(False)
        raise
    bar.close(True)
    return result
