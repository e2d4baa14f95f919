"""What the hint tests share: the suite's one IPython shell, the hints of a cell that raises in it, the check that
a hint's corrected line really repairs the cell, and the code of a corrected block."""

from __future__ import annotations

import re
from typing import Any

import pytest
from IPython.utils.capture import capture_output

from llama_nb.answer.knowledge import error_hints


@pytest.fixture
def shell() -> Any:
    """The test suite's one IPython shell (kernel_fixtures uses it too), left with a clean namespace."""
    from IPython.testing.globalipapp import get_ipython

    ip = get_ipython()
    yield ip
    ip.reset(new_session=False)


def hints_of(shell: Any, cell: str) -> tuple[str, ...]:
    shell.reset(new_session=False)
    with capture_output():
        result = shell.run_cell(cell, store_history=True)
    exc = result.error_in_exec or result.error_before_exec
    assert exc is not None, f"the cell did not raise:\n{cell}"
    return error_hints(exc, cell)


def assert_runs(shell: Any, cell: str) -> None:
    shell.reset(new_session=False)
    with capture_output():
        result = shell.run_cell(cell)
    assert result.success, f"the corrected cell still fails:\n{cell}\n{result.error_in_exec!r}"


def assert_corrected_line_runs(shell: Any, cell: str, fixed_marker: str) -> None:
    """The hint's corrected line replaces the cell's line that assigns ``fixed_marker`` (the failing one, or for a
    template the line that made it), and the cell then runs."""
    hints = hints_of(shell, cell)
    fixed = next((h for h in hints if h.startswith("A corrected line: ")), None)
    assert fixed, f"no corrected line for:\n{cell}\n{hints}"
    new = fixed.removeprefix("A corrected line: ").strip("`")
    lines = cell.splitlines()
    at = next(i for i, ln in enumerate(lines) if re.match(rf"{fixed_marker}\s*=", ln))
    assert_runs(shell, "\n".join(lines[:at] + [new] + lines[at + 1:]))


def corrected_block(hints: tuple[str, ...]) -> str:
    """The code of the hints' ``Corrected code:`` block (a repair of more than one line)."""
    block = next((h for h in hints if h.startswith("Corrected code:")), None)
    assert block, f"no corrected block in {hints}"
    return block.split("```python\n", 1)[1].rsplit("\n```", 1)[0]


def assert_no_hint_saying(shell: Any, cell: str, absent: str) -> None:
    """A near miss of a rule: where the cell raises at all, its hints do not say ``absent``."""
    try:
        text = " ".join(hints_of(shell, cell))
    except AssertionError:  # the near miss did not raise: nothing to hint, which is the point
        return
    assert absent not in text, f"{absent!r} should not be in the hint for:\n{cell}\n{text}"
