"""Guards a fix puts around the failing statement (llama_nb/answer/guards.py), judged on the real sandbox by
what they skipped: an item holding real data skipped, or the whole statement, is not a pass; an item that
holds a missing value skipped, a branch that runs the statement another way, or a removal skipped is."""

from __future__ import annotations

import ast
from typing import Any

import pytest
from helpers import checked
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llama_nb.answer import guards
from llama_nb.answer import verify as V

LINES = 'import re\nlines = ["Order ID 1042 shipped", "order id 977 late", "ID 1100", "ID 1201 ok"]\n'
REGEX = 'ids = []\nfor line in lines:\n    m = re.search(r"ID (\\d+)", line)\n    ids.append(int(m.group(1)))\nlatest = max(ids)\nprint(latest)\n'


def test_a_guard_that_skips_a_line_the_pattern_missed_is_not_a_pass() -> None:
    v = checked(LINES, REGEX, "    if m:\n        ids.append(int(m.group(1)))")
    assert v.status == V.FAILED, v.detail
    assert v.detail == "ran with no error, but the new `if m:` skipped the line that raised for an item holding real data (no missing value): the error is gone because they are"
    assert v.tried[0].output  # it ran to its end: what it printed is kept


def test_the_repair_of_the_pattern_passes_and_a_guard_that_never_skips_is_no_finding() -> None:
    assert checked(LINES, REGEX, '    m = re.search(r"ID (\\d+)", line, re.I)').status == V.PASSED
    both = '    m = re.search(r"ID (\\d+)", line, re.I)\n    if m:\n        ids.append(int(m.group(1)))'
    v = checked(LINES, REGEX, both)
    assert v.status == V.PASSED, v.detail


def test_skipping_items_that_hold_no_data_is_a_repair() -> None:
    cell = "total = 0\nfor v in values:\n    total += v\nprint(total)\n"
    for missing in ("None", '"n/a"', '""', '"  "'):
        v = checked(f"values = [3, {missing}, 4]\n", cell, "    if isinstance(v, (int, float)) and v == v:\n        total += v")
        assert v.status == V.PASSED, (missing, v.detail)
    rows = 'rows = [("ann", 3), ("bob", None), ("cy", 4)]\n'
    v = checked(rows, "total = 0\nfor name, score in rows:\n    total += score\nprint(total)\n", "    if score is not None:\n        total += score")
    assert v.status == V.PASSED, v.detail


def test_a_guard_outside_any_loop_that_is_false_skips_the_statement() -> None:
    setup = 'answered = []\nn_answered = len(answered)\nanswered = ["yes", "no", "yes"]\nyes_rate = 0.5\n'
    cell = "yes_rate = answered.count('yes') / n_answered\nprint(yes_rate)\n"
    v = checked(setup, cell, "if n_answered > 0:\n    yes_rate = answered.count('yes') / n_answered")
    assert v.status == V.FAILED and v.detail == "ran with no error, but the new `if n_answered > 0:` was false, so the line that raised never ran"
    v = checked(setup, cell, "if n_answered > 0:\n    yes_rate = answered.count('yes') / n_answered\nelse:\n    yes_rate = 0.0")
    assert v.status == V.FAILED and "never ran" in v.detail, "an else that sets a constant instead is the same skip"
    assert checked(setup, cell, "yes_rate = answered.count('yes') / len(answered)").status == V.PASSED


def test_a_zero_denominator_skipped_in_a_loop_is_real_data_left_out() -> None:
    setup = 'jobs = {"etl": (96, 2), "backup": (10, 0)}\nrates = {}\n'
    cell = "for name, (rows, days) in jobs.items():\n    rates[name] = rows / days\nprint(rates)\n"
    v = checked(setup, cell, "    if days != 0:\n        rates[name] = rows / days")
    assert v.status == V.FAILED and "`if days != 0:` skipped the line that raised for an item" in v.detail


def test_a_branch_that_runs_the_statement_another_way_is_not_a_skip() -> None:
    cell = "total = 0\nfor v in values:\n    total += v\nprint(total)\n"
    fix = "    if isinstance(v, str):\n        total += float(v)\n    else:\n        total += v"
    v = checked('values = [3, "4.5", 1]\n', cell, fix)
    assert v.status == V.PASSED, v.detail


def test_a_guarded_removal_loses_no_data() -> None:
    setup = 'cfg = {"a": 1}\n'
    cell = 'del cfg["debug"]\nprint(sorted(cfg))\n'
    v = checked(setup, cell, 'if "debug" in cfg:\n    del cfg["debug"]')
    assert v.status == V.PASSED, v.detail


def test_a_guard_in_a_function_judges_its_parameters() -> None:
    setup = 'import re\nlabels = ["12kg", "2 kg", "5kg"]\n'
    cell = 'def kg(s):\n    m = re.match(r"(\\d+)kg", s)\n    return float(m.group(1))\nweights = [kg(s) for s in labels]\nprint(weights)\n'
    fix = 'def kg(s):\n    m = re.match(r"(\\d+)kg", s)\n    if m:\n        return float(m.group(1))\nweights = [kg(s) for s in labels]\nprint(weights)\n'
    v = checked(setup, cell, fix)
    assert v.status == V.FAILED and "skipped the line that raised for an item" in v.detail, v.detail


def test_a_fix_that_names_the_recorder_is_not_run() -> None:
    v = checked(LINES, REGEX, f"    {guards.RECORDER} = lambda i, t: True\n    if m:\n        ids.append(int(m.group(1)))")
    assert v.status == V.FAILED and guards.RECORDER in v.detail and v.tried[0].fixed_cell is None


def test_the_child_words_nothing_only_rows_of_the_parents_own_guards_count() -> None:
    found = guards.found("x = f(a)\n", "if a:\n    x = f(a)\n", "x = f(a)")
    assert found is not None and [g.test for g in found.guards] == ["a"] and found.guards[0].items == ()
    assert guards.trusted([[0, 2, 1]], found) == ("the new `if a:` was false, so the line that raised never ran",)
    for forged in ([[1, 2, 1]], [[0, 1, 2]], [[0, 0, 0]], [["0", 2, 1]], [[0, True, 1]], [[0, 2, 1, 5]], "x", None, [{"a": 1}], [[0, 10**13, 1]]):
        assert guards.trusted(forged, found) == (), forged


@given(st.recursive(st.none() | st.integers() | st.text(max_size=8) | st.booleans(), lambda c: st.lists(c, max_size=4), max_leaves=12))
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_report_the_child_sends_is_read_without_raising(said: Any) -> None:
    found = guards.found("x = f(a)\n", "if a:\n    x = f(a)\n", "x = f(a)")
    out = guards.trusted(said, found)
    assert all(text.startswith("the new `if a:`") for text in out)


class _Truth:
    """Counts how often its truth is asked: ``if`` asks once; the recorder must too."""

    def __init__(self, value: bool) -> None:
        self.value, self.asked = value, 0

    def __bool__(self) -> bool:
        self.asked += 1
        return self.value


_CONDITIONS = ("v > {k}", "v % {k} == 0", "v != {k}", "T(v > {k})", "T(v > {k}) and T(v % 2 == 0)", "T(v > {k}) or T(v < -{k})", "(T(v > {k}) and T(v > 0)) or T(v == 0)")


@given(
    values=st.lists(st.integers(-5, 5), max_size=8),
    condition=st.sampled_from(_CONDITIONS),
    k=st.integers(1, 3),
    with_else=st.booleans(),
)
@settings(max_examples=60, deadline=None)
def test_the_recorded_cell_computes_what_the_cell_does(values: list[int], condition: str, k: int, with_else: bool) -> None:
    """The instrumented cell behaves as written: same results, each truth asked once (``and``/``or`` too)."""
    test = condition.format(k=k)
    cell = "out = []\nfor v in values:\n    out.append(v * 2)\n"
    fixed = f"out = []\nfor v in values:\n    if {test}:\n        out.append(v * 2)\n" + ("    else:\n        other = 0\n" if with_else else "")
    found = guards.found(cell, fixed, "out.append(v * 2)")
    assert found is not None and len(found.guards) == 1 and found.guards[0].items == ("v",)
    made: list[_Truth] = []

    def truth(value: bool) -> _Truth:
        made.append(_Truth(value))
        return made[-1]

    plain: dict[str, Any] = {"values": values, "T": truth}
    recorded: dict[str, Any] = {"values": values, "T": truth}
    exec(compile(ast.parse(fixed), "<fix>", "exec"), plain)
    recorder = guards.Recorder(found)
    recorded[guards.RECORDER] = recorder
    exec(found.code, recorded)
    assert recorded["out"] == plain["out"]
    assert all(t.asked == 1 for t in made)
    skipped = sum(1 for v in values if not eval(test, {"v": v, "T": bool}))
    assert guards.report(recorder) == ([[0, skipped, 1]] if skipped else [])  # an int is data: read until the first


def test_a_truth_that_raises_raises_as_written() -> None:
    found = guards.found("y = g(x)\n", "if x:\n    y = g(x)\n", "y = g(x)")
    assert found is not None
    ns: dict[str, Any] = {"x": _Raising(), guards.RECORDER: guards.Recorder(found)}
    with pytest.raises(ValueError, match="ambiguous"):
        exec(found.code, ns)


class _Raising:
    def __bool__(self) -> bool:
        raise ValueError("the truth value is ambiguous")


# -- what an attacker's and a skeptic's review found (each passed, or was refused, for the wrong reason) --------


def test_a_guard_in_an_index_or_key_loop_judges_the_container_its_test_reads() -> None:
    cell = "total = 0\nfor i in range(len(values)):\n    total += values[i]\nprint(total)\n"
    v = checked("values = [3, None, 4]\n", cell, "    if values[i] is not None:\n        total += values[i]")
    assert v.status == V.PASSED, v.detail
    cell = "total = 0\nfor k in scores:\n    total += scores[k]\nprint(total)\n"
    v = checked('scores = {"a": 3, "b": None}\n', cell, "    if scores[k] is not None:\n        total += scores[k]")
    assert v.status == V.PASSED, v.detail


def test_a_guard_that_makes_a_rerun_cell_safe_is_not_a_skip() -> None:
    setup = 'import pandas as pd\ndf = pd.DataFrame({"x": [1, 2]})\ndf.insert(0, "id", [10, 11])\n'
    v = checked(setup, 'df.insert(0, "id", [10, 11])\nprint(df.columns.tolist())\n', 'if "id" not in df.columns:\n    df.insert(0, "id", [10, 11])')
    assert v.status == V.PASSED, v.detail


def test_an_inverted_guard_and_an_else_that_sets_a_constant_are_skips() -> None:
    inverted = '    if m is None:\n        print("no id in", line)\n    else:\n        ids.append(int(m.group(1)))'
    v = checked(LINES, REGEX, inverted)
    assert v.status == V.FAILED and "skipped the line that raised for an item holding real data" in v.detail, v.detail
    setup = 'jobs = {"etl": (96, 2), "backup": (10, 0)}\nrates = {}\n'
    cell = "for name, (rows, days) in jobs.items():\n    rates[name] = rows // days\nprint(rates)\n"
    v = checked(setup, cell, "    if days != 0:\n        rates[name] = rows // days\n    else:\n        rates[name] = 0")
    assert v.status == V.FAILED and "`if days != 0:` skipped" in v.detail, v.detail


def test_a_guard_that_normalises_an_item_before_the_unchanged_line_is_not_a_skip() -> None:
    cell = "out = []\nfor s in items:\n    n = s.upper()\n    out.append(n)\nprint(out)\n"
    v = checked('items = ["a", 5, "c"]\n', cell, "    if not isinstance(s, str):\n        s = str(s)\n    n = s.upper()")
    assert v.status == V.PASSED, v.detail


def test_a_real_item_after_many_blank_ones_is_still_found_and_comments_hold_no_data() -> None:
    lines = ["", "  "] * 30 + ["Order ID 1", "order id 977 late"]
    v = checked(f"import re\nlines = {lines!r}\n", REGEX, "    if m:\n        ids.append(int(m.group(1)))")
    assert v.status == V.FAILED, v.detail
    comments = ["# exported 2024", "ID 1", "ID 2"]
    cell = "ids = []\nfor line in lines:\n    ids.append(int(line.split()[1]))\nprint(ids)\n"
    v = checked(f"lines = {comments!r}\n", cell, '    if not line.startswith("#"):\n        ids.append(int(line.split()[1]))')
    assert v.status == V.PASSED, v.detail


@pytest.mark.parametrize(
    "forge",
    [
        'getattr(lambda: 0, "__glob" + "als__")["__llama_nb_" + "guard__"] = lambda i: None',
        "(lambda: 0).__globals__['x'] = 1",
        "import llama_nb.answer.guards as g",
    ],
)
def test_the_count_cannot_be_reached_another_way(forge: str) -> None:
    v = checked(LINES, REGEX, f"    {forge}\n    if m:\n        ids.append(int(m.group(1)))")
    assert v.status in (V.BLOCKED, V.FAILED) and v.status != V.PASSED, v.detail
    assert "which a fix has no need of" in v.detail, v.detail


def test_an_else_that_handles_the_other_items_with_their_data_is_not_a_skip() -> None:
    setup = 'enrollments = [("ann", "math"), ("bob", "art"), ("cy", "math")]\nby_course = {}\n'
    cell = "for student, course in enrollments:\n    by_course[course].append(student)\nprint(by_course)\n"
    fix = "for student, course in enrollments:\n    if course in by_course:\n        by_course[course].append(student)\n    else:\n        by_course[course] = [student]\nprint(by_course)\n"
    v = checked(setup, cell, fix)
    assert v.status == V.PASSED, v.detail
