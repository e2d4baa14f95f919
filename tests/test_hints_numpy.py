"""Hints on NumPy messages (answer/knowledge/numpy*.py), on cells that are not the benchmark's.

These cells use other names, values and shapes than the benchmark's held-out sets (heldout8, heldout9), to show the
rule reads this cell rather than knowing the benchmark's. Each positive case is paired with a near miss where the rule
must stay silent (its message alone is not enough), and the corrected lines are run to show they no longer
raise.
"""

from __future__ import annotations

from typing import Any

import pytest

from hint_fixtures import assert_corrected_line_runs, assert_no_hint_saying, hints_of
from hint_fixtures import shell  # noqa: F401 - shell is a fixture
from llama_nb.answer.knowledge import MAX_LINE


@pytest.mark.parametrize(("cell", "expected"), [
    ("import numpy as np\nts = np.linspace(2, 4, 0.5)", ["number of points, not the step", "np.arange(2, 4, 0.5)", "5 points",
                                                       "`ts = np.arange(2, 4, 0.5)`"]),
    ("import numpy as np\nv = np.arange(7)\nparts = np.split(v, 2)", ["`v` has 7 items", "`parts = np.array_split(v, 2)`"]),
    ("import math\nimport numpy as np\nxs = np.ones((2, 2))\nmath.exp(xs)", ["`math.exp` works on one number", "shape (2, 2)",
                                                                          "`np.exp(xs)`"]),
    ("import math\nimport numpy as np\nv = np.ones(3)\nmath.gamma(v)", ["[math.gamma(v) for v in v]"]),
    ("import numpy as np\nq = np.arange(4)\nnp.where(q % 2 == 0, 1)", ["the value otherwise", "`np.where(q % 2 == 0, 1, <other value>)`",
                                                                   "`np.where(q % 2 == 0, 1, 0)`"]),
    ("import numpy as np\nflags = np.array([0.5, 1.5]).astype(np.int)", ["`np.int` was only an alias", "removed it in 1.24",
                                                                        "`flags = np.array([0.5, 1.5]).astype(int)`"]),
    ("import numpy as np\nlabels = ('lo', 'hi')\npicked = labels[np.array([1, 0])]", ["`labels` is a plain Python tuple",
                                                                                     "`picked = np.array(labels)[np.array([1, 0])]`"]),
    ("import numpy as np\ntemps = np.array([20.5, 'n/a'], dtype=object)\nbad = np.isinf(temps)", ["`temps` has dtype object",
                                                                                                 "holds Python objects"]),
    ("import numpy as np\nk = np.arange(1, 4, dtype=np.int32)\ninv = k ** (-1)", ["dtype int32", "`inv = k ** -1.0`"]),
])
def test_a_numpy_error_gets_its_concrete_hint(shell: Any, cell: str, expected: list[str]) -> None:
    hints = hints_of(shell, cell)
    text = " ".join(hints)
    for part in expected:
        assert part in text, f"{part!r} not in the hint for:\n{cell}\n{text}"
    assert all(len(h) <= MAX_LINE for h in hints)


@pytest.mark.parametrize(("cell", "absent"), [
    ("import numpy as np\nnp.floot", "alias"),  # a typo, not an alias
    ("import numpy as np\nv = np.arange(3.0)\nv ** -2 + np.array([1]) ** -1", "dtype float"),
])
def test_a_near_miss_gets_no_hint_where_it_raises(shell: Any, cell: str, absent: str) -> None:
    assert_no_hint_saying(shell, cell, absent)


@pytest.mark.parametrize(("cell", "fixed_marker"), [
    ("import numpy as np\nts = np.linspace(2, 4, 0.5)", "ts"),
    ("import numpy as np\nv = np.arange(7)\nparts = np.split(v, 2)", "parts"),
    ("import math\nimport numpy as np\nxs = np.ones((2, 2))\ny = math.exp(xs)", "y"),
    ("import numpy as np\nq = np.arange(4)\nz = np.where(q % 2 == 0, 1)", "z"),
    ("import numpy as np\nflags = np.array([0.5, 1.5]).astype(np.int)", "flags"),
    ("import numpy as np\nlabels = ('lo', 'hi')\npicked = labels[np.array([1, 0])]", "picked"),
    ("import numpy as np\nr = np.array([1.0, None])\nm = np.isnan(r)", "m"),
    ("import numpy as np\nk = np.arange(1, 4, dtype=np.int32)\ninv = k ** (-1)", "inv"),
])
def test_the_corrected_line_runs(shell: Any, cell: str, fixed_marker: str) -> None:
    """The corrected line replaces the failing one (or, for a template, the line that made it) and the cell runs."""
    assert_corrected_line_runs(shell, cell, fixed_marker)
