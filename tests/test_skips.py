"""Filters and loop ``continue`` guards a fix adds (llama_nb/answer/skips.py), judged on the real sandbox by
what they left out (llama_nb/answer/guards.py): an item holding real data left out is not a pass; blank
lines, comment lines, ``None`` and ``"n/a"`` left out are (an empty list is data: an order with no lines
is still an order); the cell's own filter may stay."""

from __future__ import annotations

import ast
from typing import Any

import pytest
from helpers import checked
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llama_nb.answer import guards, skips
from llama_nb.answer import verify as V

LABELS = "import re\nlabels = ['2 kg', '3kg', '5kg']\n"
PARSE = "kilos = [int(re.match(r'(\\d+) ?kg', s).group(1)) for s in labels]\nprint(sum(kilos))\n"


def test_a_filter_that_leaves_out_a_line_the_pattern_missed_is_not_a_pass() -> None:
    cell = PARSE.replace(" ?kg", "kg")
    v = checked(LABELS, cell, "kilos = [int(re.match(r'(\\d+)kg', s).group(1)) for s in labels if re.match(r'(\\d+)kg', s)]")
    assert v.status == V.FAILED, v.detail
    assert v.detail == ("ran with no error, but the new filter `if re.match('(\\\\d+)kg', s)` left out an item holding real data "
                        "(no missing value): the error is gone because they are")
    assert v.tried[0].output.strip() == "8"  # it ran to its end


def test_a_continue_that_skips_real_data_is_not_a_pass_and_the_repair_of_the_pattern_is() -> None:
    cell = "kilos = []\nfor s in labels:\n    m = re.match(r'(\\d+)kg', s)\n    kilos.append(int(m.group(1)))\nprint(sum(kilos))\n"
    v = checked(LABELS, cell, "    if m is None:\n        continue\n    kilos.append(int(m.group(1)))")
    assert v.status == V.FAILED and v.detail.startswith("ran with no error, but the new `if m is None: continue` skipped an item holding real data"), v.detail
    assert checked(LABELS, cell, "    m = re.match(r'(\\d+) ?kg', s)").status == V.PASSED


@pytest.mark.parametrize(("setup", "cell", "fix"), [
    # blank and comment lines of a text the cell parses
    ('text = "a,1\\n\\nb,2\\n# end\\n"\n', "pairs = [line.split(',') for line in text.splitlines()]\ntotal = sum(int(n) for _, n in pairs)\n",
     "pairs = [line.split(',') for line in text.splitlines() if line.strip() and not line.startswith('#')]"),
    # None and a marker among the answers
    ("answers = ['3', None, '5', 'n/a']\n", "scores = [int(a) for a in answers]\nprint(sum(scores))\n",
     "scores = [int(a) for a in answers if a not in (None, 'n/a')]"),
])
def test_leaving_out_items_that_hold_no_data_is_a_repair(setup: str, cell: str, fix: str) -> None:
    v = checked(setup, cell, fix)
    assert v.status == V.PASSED, v.detail


def test_the_cells_own_filter_may_stay_as_it_is() -> None:
    setup = "rows = ['1', 'x', '3']\n"
    cell = "nums = [n + 1 for n in rows if n.isdigit()]\nprint(nums)\n"
    assert checked(setup, cell, "nums = [int(n) + 1 for n in rows if n.isdigit()]").status == V.PASSED


_numbers = st.one_of(st.none(), st.integers(-3, 3))
_conds = st.sampled_from(["x is not None", "x", "x != 0", "x not in (0, None)", "x is not None and x > 0", "True"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(xs=st.lists(_numbers, min_size=1, max_size=6), cond=_conds, style=st.sampled_from(["filter", "continue"]))
def test_a_new_skip_passes_exactly_when_what_it_leaves_out_holds_no_data(xs: list[int | None], cond: str, style: str) -> None:
    # The model: run the fix in plain Python; it must raise as the sandbox says, and where it runs, it passes
    # if and only if every item it left out is None (0 and any other number is data).
    if all(x not in (0, None) for x in xs):
        xs = [*xs, 0]  # the cell must raise
    setup = f"xs = {xs!r}\n"
    if style == "filter":
        cell, fix = "out = [1 / x for x in xs]\nprint(len(out))\n", f"out = [1 / x for x in xs if {cond}]"
    else:
        cell = "out = []\nfor x in xs:\n    out.append(1 / x)\nprint(len(out))\n"
        fix = f"    if not ({cond}):\n        continue\n    out.append(1 / x)"
    left_out = [x for x in xs if not eval(cond, {"x": x})]
    try:
        [1 / x for x in xs if eval(cond, {"x": x})]  # type: ignore[operator]
        raises = False
    except (TypeError, ZeroDivisionError):
        raises = True
    v = checked(setup, cell, fix)
    if raises:
        assert v.status == V.FAILED and v.detail.startswith("still raises"), (xs, cond, v.detail)
    elif cond == "True":
        assert v.status == V.FAILED  # nothing left out and nothing repaired: it cannot have run clean
    elif any(x is not None for x in left_out):
        assert v.status == V.FAILED and ("real data" in v.detail or "is empty" in v.detail), (xs, cond, v.detail)
    elif len(left_out) < len(xs):
        assert v.status == V.PASSED, (xs, cond, v.detail)
    # else all of it was None and left out: an empty result, which the check may call degenerate


@settings(max_examples=60, deadline=None)
@given(values=st.lists(st.one_of(st.none(), st.integers(-2, 2), st.just("")), max_size=6),
       cond=st.sampled_from(["v", "v is not None", "v != 0", "bool(v) and v > 0"]))
def test_the_recorded_filter_computes_what_the_filter_does_and_asks_its_truth_once(values: list[Any], cond: str) -> None:
    cell = "out = [v for v in values]\n"
    fixed = f"out = [v for v in values if {cond}]\n"
    found = guards.found(cell, fixed, "out = [v for v in values]")
    assert found is not None and [g.kind for g in found.guards] == [skips.FILTER]
    asked: list[int] = []

    class Truth:
        def __init__(self, v: Any) -> None:
            self.v = v

        def __bool__(self) -> bool:
            asked.append(1)
            return bool(self.v)

    recorder = guards.Recorder(found)
    plain: dict[str, Any] = {"values": values}
    exec(fixed, plain)
    ns: dict[str, Any] = {"values": values, "__builtins__": {**__builtins__, guards.RECORDER: recorder}} if isinstance(__builtins__, dict) else {
        "values": values, "__builtins__": {**vars(__builtins__), guards.RECORDER: recorder}}
    exec(found.code, ns)
    assert ns["out"] == plain["out"]
    left_out = [v for v in values if not eval(cond, {"v": v})]
    of_data = int(any(v is not None and v != "" for v in left_out))  # read until one holds data
    assert guards.report(recorder) == ([[0, len(left_out), of_data]] if left_out else [])
    # Truth asked once per item: the test wrapped in an object that counts its bool.
    wrapped = guards.found("out = [v for v in values]\n", "out = [v for v in values if Truth(v)]\n", "out = [v for v in values]")
    assert wrapped is not None
    exec(wrapped.code, {"values": values, "Truth": Truth, "__builtins__": ns["__builtins__"]})
    assert len(asked) == len(values)


def test_a_while_loops_continue_is_not_listed_and_a_filters_items_are_its_targets() -> None:
    tree = ast.parse("i = 0\nwhile i < 3:\n    i += 1\n    if i == 2:\n        continue\nys = [a * b for a, b in pairs if a for c in b if c]\n")
    found = skips.found(tree)
    assert [(s.kind, s.items) for s in found] == [(skips.FILTER, ("a", "b")), (skips.FILTER, ("a", "b", "c"))]


def test_more_new_filters_than_are_recorded_is_no_pass_and_a_copy_of_the_cells_own_filter_is_new() -> None:
    setup = "xs = [1, 0, 2]\n"
    cell = "out = [1 / x for x in xs]\nprint(len(out))\n"
    many = "out = [1 / x for x in xs" + "".join(f" if x != {-k}" for k in range(guards.MAX_GUARDS + 1)) + "]"
    v = checked(setup, cell, many)
    assert v.status == V.FAILED and "the check cannot follow" in v.detail, v.detail
    # The cell filters one list already; the same test put on the failing line is new there, and judged.
    own = "nonzero = sum(1 for x in xs if x != 0)\nout = [1 / x for x in xs]\nprint(len(out), nonzero)\n"
    v = checked(setup, own, "out = [1 / x for x in xs if x != 0]")
    assert v.status == V.FAILED and "left out an item holding real data" in v.detail, v.detail


def test_the_cells_own_filter_rewritten_past_likeness_stands_for_itself() -> None:
    # The edge of a grid: the cell already filters its neighbours; the repair adds the bounds to that filter.
    setup = "grid = [[1, 2], [3, 4]]\nr, c = 1, 1\noffsets = [(-1, 0), (1, 0), (0, -1), (0, 1), (0, 0)]\n"
    cell = "near = [grid[r + dr][c + dc] for dr, dc in offsets if (dr, dc) != (0, 0)]\nprint(sum(near))\n"
    fix = "near = [grid[r + dr][c + dc] for dr, dc in offsets if (dr, dc) != (0, 0) and 0 <= r + dr < 2 and 0 <= c + dc < 2]"
    assert checked(setup, cell, fix).status == V.PASSED


def test_an_item_that_is_an_empty_list_is_data_left_out() -> None:
    # An order with no lines is worth 0, not gone: leaving it out is not a repair (it may be, for a mean;
    # only the intent tells, so no pass is given).
    setup = "from functools import reduce\nimport operator\norders = {'A-1': [12.0, 3.5], 'A-2': [], 'A-3': [7.25]}\n"
    cell = "totals = {oid: reduce(operator.add, lines) for oid, lines in orders.items()}\ngrand = sum(totals.values())\n"
    v = checked(setup, cell, "totals = {oid: reduce(operator.add, lines) for oid, lines in orders.items() if lines}")
    assert v.status == V.FAILED and "left out an item holding real data" in v.detail, v.detail
    assert checked(setup, cell, "totals = {oid: reduce(operator.add, lines, 0.0) for oid, lines in orders.items()}").status == V.PASSED
