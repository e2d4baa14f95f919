"""What the failing statement is computed from (llama_nb/answer/dataflow.py): a fix that computes its result
from other data than the data it indexes or calls a method of is not a repair; one that still reads that
data, directly or through names it sets first, is. And data built from the fix's own literals
(``data = {...}`` then ``df = pd.DataFrame(data)``) over the kernel's is edited data (acceptance)."""

from __future__ import annotations

import ast
from typing import Any

import numpy as np
import pytest
from helpers import checked
from hypothesis import given, settings
from hypothesis import strategies as st

from llama_nb.answer import acceptance, dataflow
from llama_nb.answer import verify as V

DAYS = 'import numpy as np\ndays = np.array(["mon", "tue", "wed", "thu", "fri"])\nclose = np.array([10.0, 12, 11, 13, 15])\n'
CELL = "up = np.diff(close) > 0\nup_days = days[up]\nprint(up_days)\n"


def test_positions_for_the_days_indexed_are_not_a_repair() -> None:
    v = checked(DAYS, CELL, "up_days = np.where(up)[0]")
    assert v.status == V.FAILED
    assert v.detail == "not a repair: `up_days` is no longer computed from `days`, the data the line that raised reads: the fix computes something else"


@pytest.mark.parametrize("fix", ["up_days = days[1:][up]", "aligned = days[1:]\nup_days = aligned[up]", "up_days = days[1:][np.nonzero(up)[0]]"])
def test_a_repair_that_still_reads_the_data_passes(fix: str) -> None:
    v = checked(DAYS, CELL, fix)
    assert v.status == V.PASSED, v.detail


def test_another_generator_than_the_users_seeded_one_is_not_a_repair() -> None:
    setup = "import numpy as np\nrng = np.random.default_rng(42)\nscores = np.arange(10.0)\n"
    cell = "idx = rng.randint(0, len(scores), size=5)\nprint(scores[idx].mean())\n"
    v = checked(setup, cell, "idx = np.random.randint(0, len(scores), size=5)")
    assert v.status == V.FAILED and "no longer computed from `rng`" in v.detail
    assert checked(setup, cell, "idx = rng.integers(0, len(scores), size=5)").status == V.PASSED


def test_an_operand_a_repair_replaces_and_modules_and_functions_are_not_judged() -> None:
    setup = 'answered = ["yes", "no", "yes"]\nn_answered = 0\n'
    v = checked(setup, "yes_rate = answered.count('yes') / n_answered\nprint(yes_rate)\n", "yes_rate = answered.count('yes') / len(answered)")
    assert v.status == V.PASSED, v.detail  # the wrong variable, an operand: not what the line reads its data from
    setup = "import math\nimport numpy as np\nxs = np.array([1.5, 2.5])\n"
    v = checked(setup, "ys = math.floor(xs)\nprint(ys)\n", "ys = np.floor(xs)")
    assert v.status == V.PASSED, v.detail  # math is a module, not data


def test_a_misspelt_name_replaced_is_not_data_dropped() -> None:
    v = checked("prices = [3, 4]\n", "total = sum(prics[:2])\nprint(total)\n", "total = sum(prices[:2])")
    assert v.status == V.PASSED, v.detail


def test_data_built_from_the_fixs_own_literals_over_the_kernels_is_edited_data() -> None:
    cell = 'by_region = df.groupby("region")["sales"].mean()\nbest = by_region.idxmax()\n'
    made_up = 'import pandas as pd\ndata = {"region": ["A", "B"], "sales": [1, 2]}\ndf = pd.DataFrame(data)\n' + cell
    why = acceptance.refusal(cell, made_up, acceptance.Span(1, 1), frozenset({"df", "pd"}))
    assert why == "it replaces the data in `df` from earlier cells with new literal values"
    cols = 'cols = ["sales"]\ndf[cols] = df[cols].astype(float)\n' + cell
    assert acceptance.refusal(cell, cols, acceptance.Span(1, 1), frozenset({"df", "pd"})) is None, "a literal list of columns is not data"


_NAMES = st.sampled_from(["a", "b", "c", "d", "e"])


@given(st.lists(st.tuples(_NAMES, st.lists(_NAMES, max_size=3)), max_size=8), _NAMES)
@settings(max_examples=200, deadline=None)
def test_depends_is_the_closure_of_what_the_assignments_read(assignments: list[tuple[str, list[str]]], start: str) -> None:
    """Against a direct model: every name reachable through the assignments' reads, and nothing else."""
    source = "\n".join(f"{t} = f({', '.join(reads)})" for t, reads in assignments) or "pass"
    graph: dict[str, set[str]] = {}
    for target, reads in assignments:
        graph.setdefault(target, set()).update(reads, {"f"})
    expected: set[str] = set()
    todo = [start]
    while todo:
        for d in graph.get(todo.pop(), set()):
            if d not in expected:
                expected.add(d)
                todo.append(d)
    assert dataflow.depends(ast.parse(source), {start}) == expected


def test_the_kernels_objects_are_asked_nothing() -> None:
    class Loud:
        def __getattribute__(self, name: str) -> Any:
            raise AssertionError(f"asked {name}")

    setup = "xs = [1, 2]\n"
    ns: dict[str, Any] = {"__name__": "__main__", "np": np}
    exec(setup, ns)
    ns["thing"] = Loud()
    cell = "ys = thing[xs]\nprint(ys)\n"
    with pytest.raises(Exception) as raised:
        exec(cell, ns)
    why = acceptance.refusal(cell, "ys = np.array(xs)\nprint(ys)\n", acceptance.Span(1, 1), frozenset(ns), is_data=V._data_in(ns))
    assert why is not None and "no longer computed from `thing`" in why
    v = V.verify("ys = np.array(xs)", cell, raised.value, ns, max_candidates=1, known_names=frozenset(ns))
    assert v.status == V.FAILED and "asked" not in v.detail  # refused in place; the other placement still raises


COUNTER = 'orders = [{"qty": 2, "price": 3.0}, {"qty": 1, "price": 5.0}]\n'
HANDLE = 'processed = 0\ndef handle(order):\n    processed += 1\n    return order["qty"] * order["price"]\nrevenue = sum(handle(o) for o in orders)\nprint(processed, revenue)\n'


def test_a_counter_made_a_parameter_the_function_only_updates_is_lost() -> None:
    fix = 'def handle(order, processed):\n    processed += 1\n    return order["qty"] * order["price"]\nrevenue = sum(handle(o, processed) for o in orders)'
    v = checked(COUNTER, HANDLE, fix)
    assert v.status == V.FAILED
    assert "`processed` is now a parameter of `handle` that it only updates" in v.detail
    right = checked(COUNTER, HANDLE, HANDLE.replace("def handle(order):\n", "def handle(order):\n    global processed\n"))
    assert right.status == V.PASSED, right.detail


def test_a_new_parameter_that_is_read_or_returned_is_not_lost() -> None:
    old = ast.parse("def f(x):\n    n += x\n")
    for new in ("def f(x, n):\n    n += x\n    return n\n", "def f(x, n=0):\n    n += x\n    print(n)\n", "def f(x, n):\n    return x + n\n"):
        assert dataflow.lost_update(old, ast.parse(new)) is None, new
    assert dataflow.lost_update(old, ast.parse("def f(x, n):\n    n += x\n")) == ("n", "f")


@pytest.mark.parametrize(
    "fix",
    [
        "def pick(mask):\n    return days[1:][mask]\nup_days = pick(up)",  # a helper reads the data
        "up_days = list()\nup_days.extend(days[1:][up])",  # a method writes what it is called on
    ],
)
def test_data_read_through_a_helper_or_a_method_is_still_read(fix: str) -> None:
    v = checked(DAYS, CELL, fix)
    assert v.status == V.PASSED, v.detail


def test_a_comprehension_name_or_the_right_frame_for_the_wrong_one_is_not_data_dropped() -> None:
    v = checked('s = "leftover"\nraw = ["1", " 2", "x3"]\n', "vals = [float(s.strip()) for s in raw]\nprint(vals)\n", "vals = [float(v.strip().lstrip('x')) for v in raw]")
    assert v.status == V.PASSED, v.detail
    setup = 'import pandas as pd\norders = pd.DataFrame({"region": ["n", "s"], "amount": [1, 2]})\ndf = pd.DataFrame({"x": [1]})\n'
    v = checked(setup, 'by = df.groupby("region")["amount"].sum()\nprint(by)\n', 'by = orders.groupby("region")["amount"].sum()')
    assert v.status == V.PASSED, v.detail


def test_renaming_the_kernels_frame_through_a_mapping_is_not_new_literal_data() -> None:
    setup = 'import pandas as pd\ndf = pd.DataFrame({"Price": [1.0, 2.0]})\n'
    cell = 'total = df["price"].sum()\nprint(total)\n'
    v = checked(setup, cell, 'mapping = {"Price": "price"}\ndf = df.rename(columns=mapping)\ntotal = df["price"].sum()')
    assert v.status == V.PASSED, v.detail
    v = checked(setup, cell, 'df = df.rename(columns={"Price": "price"})\ntotal = df["price"].sum()')
    assert v.status == V.PASSED, v.detail
