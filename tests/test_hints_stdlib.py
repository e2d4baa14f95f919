"""Hints on standard-library messages (answer/knowledge/stdlib.py), on cells that are not the benchmark's.

These cells use other names, values and shapes than the benchmark's held-out sets (heldout8, heldout9), to show the
rule reads this cell rather than knowing the benchmark's. Each positive case is paired with a near miss where the rule
must stay silent (its message alone is not enough), and the corrected lines and blocks are run to show they no longer
raise.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hint_fixtures import assert_corrected_line_runs, assert_no_hint_saying, assert_runs, corrected_block, hints_of
from hint_fixtures import shell  # noqa: F401 - shell is a fixture
from llama_nb.answer.knowledge import MAX_LINE


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cells write and read files (t.csv, u.txt, p.txt): in a folder of their own, never the repository."""
    monkeypatch.chdir(tmp_path)


_CLOSED = ('with open("t.csv", "w") as out:\n    out.write("a\\nb\\n")\nwith open("t.csv") as src:\n    first = src.readline()\n'
           'rows = src.readlines()\nprint(rows)')
_SIGMOID = "import math\n\ndef logistic(t):\n    return 1 / (1 + math.exp(-t))\n\nys = [logistic(v) for v in (0.0, -800)]"


@pytest.mark.parametrize(("cell", "expected"), [
    ("import json\nrow = \"{'id': 7, 'ok': True}\"\njson.loads(row)", ["single quotes", "ast.literal_eval(", "import ast"]),
    ("import json\nrow = '{\"id\": \\'x\\'}'\njson.loads(row)", ["single quotes"]),
    ('from decimal import Decimal\nfee = Decimal("2.50")\nfee + 0.75', ["the float 0.75", '`fee + Decimal("0.75")`']),
    ('from decimal import Decimal\n0.5 * Decimal("3")', ['Decimal("0.5")']),
    ('import io\nimport pandas as pd\npd.read_csv(io.BytesIO("x\\nZürich\\n".encode("cp1252")))',
     ["byte 0xfc is 'ü'", 'encoding="latin-1"']),
    (_CLOSED, ["`src` is closed", "(line 3)", "line 5 is outside the `with` block", "Corrected code:",
               'with open("t.csv") as src:\n    first = src.readline()\n    rows = src.readlines()']),
    ("import math\nbig = math.exp(n) if (n := 1200) else 0", ["overflowed", "with n = 1200", "709"]),
    (_SIGMOID, ["`math.exp(-t)` overflowed with t = -800", "def logistic(t):\n    if t >= 0:"]),
])
def test_a_stdlib_error_gets_its_concrete_hint(shell: Any, cell: str, expected: list[str]) -> None:
    hints = hints_of(shell, cell)
    text = " ".join(hints)
    for part in expected:
        assert part in text, f"{part!r} not in the hint for:\n{cell}\n{text}"
    assert all(len(h) <= MAX_LINE for h in hints)


@pytest.mark.parametrize(("cell", "absent"), [
    ('import json\njson.loads(\'{"a": 1,}\')', "single quotes"),  # a trailing comma: another JSON mistake
    ("1.5 * 'a' * 1.5", "Decimal"),
])
def test_a_near_miss_gets_no_hint(shell: Any, cell: str, absent: str) -> None:
    text = " ".join(hints_of(shell, cell))
    assert absent not in text, f"{absent!r} should not be in the hint for:\n{cell}\n{text}"


@pytest.mark.parametrize(("cell", "absent"), [
    ('f = open("u.txt", "w")\nf.close()\nf.write("x")', "is outside the"),  # closed by .close(): no with block to name
    ("import math\nmath.pow(10.0, 400)", "overflowed"),  # not math.exp
])
def test_a_near_miss_gets_no_hint_where_it_raises(shell: Any, cell: str, absent: str) -> None:
    assert_no_hint_saying(shell, cell, absent)


@pytest.mark.parametrize(("cell", "fixed_marker"), [
    ('from decimal import Decimal\nfee = Decimal("2.50")\ntotal = fee + 0.75', "total"),
])
def test_the_corrected_line_runs(shell: Any, cell: str, fixed_marker: str) -> None:
    """The corrected line replaces the failing one (or, for a template, the line that made it) and the cell runs."""
    assert_corrected_line_runs(shell, cell, fixed_marker)


def test_the_corrected_blocks_run(shell: Any) -> None:
    """The multi-line repairs: the with block holding the read, the sigmoid that never overflows."""
    assert_runs(shell, _CLOSED.split("with open(\"t.csv\") as src:")[0] + corrected_block(hints_of(shell, _CLOSED)))
    sigmoid = corrected_block(hints_of(shell, _SIGMOID))
    assert_runs(shell, _SIGMOID.replace("def logistic(t):\n    return 1 / (1 + math.exp(-t))", sigmoid))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(inside=st.integers(0, 2), loop_body=st.integers(1, 3), after=st.booleans(), indent=st.sampled_from([2, 4, 8]))
def test_a_read_after_its_with_block_is_moved_inside_and_reads_every_line(
        shell: Any, inside: int, loop_body: int, after: bool, indent: int) -> None:
    """Whatever the block holds and however deep the loop's body is, the corrected block runs and reads what a
    correctly indented cell reads."""
    pad = " " * indent
    head = 'with open("p.txt", "w") as w:\n' + pad + 'w.write("1\\n2\\n3\\n")\nseen = []\n'
    block = 'with open("p.txt") as h:\n' + "".join(f"{pad}h.readline()\n" for _ in range(inside)) + (pad + "pass\n" if not inside else "")
    loop = "for ln in h:\n" + "".join(f"{pad}seen.append(ln.strip())\n" for _ in range(loop_body))
    cell = head + block + loop + ("print(len(seen))\n" if after else "")
    fixed = corrected_block(hints_of(shell, cell))
    assert_runs(shell, head + fixed + f"\nassert len(seen) == {(3 - inside) * loop_body}, seen")
