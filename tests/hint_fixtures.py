"""What the hint tests share: the suite's one IPython shell and the hints of a cell that raises in it."""

from __future__ import annotations

from typing import Any

import pytest
from IPython.utils.capture import capture_output

from llama_nb.kernel.hints import error_hints


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
