"""The explain prompt for a small coder model: what it is built from, taken from real exceptions."""

from __future__ import annotations

import linecache

import pandas as pd  # noqa: F401 - the case below raises inside pandas, as a user's cell would
import pytest

from llama_nb.answer import prompts
from llama_nb.kernel.history import format_exception

CELL_FILE = "/tmp/ipykernel_4242/1234567.py"  # how ipykernel names a cell's code


def raise_in_cell(cell: str) -> str:
    linecache.cache[CELL_FILE] = (len(cell), None, [ln + "\n" for ln in cell.splitlines()], CELL_FILE)
    try:
        exec(compile(cell, CELL_FILE, "exec"), {})
    except Exception as exc:  # noqa: BLE001 - the point is to format it
        return format_exception(exc)
    pytest.fail("the cell did not raise")


def test_facts_of_a_plain_error():
    tb = raise_in_cell('person = {"name": "Ann"}\n\nprint(person["Age"])')
    facts = prompts.error_facts(tb)
    assert facts.exception == "KeyError: 'Age'"
    assert (facts.cell_line, facts.code) == (3, 'print(person["Age"])')


def test_facts_of_a_chained_library_error_keep_the_last_exception_and_the_cell_line():
    cell = 'import pandas as pd\ndf = pd.DataFrame({"price": [1]})\ntotal = df["Price"].sum()'
    tb = raise_in_cell(cell)
    assert "During handling" in tb or "direct cause" in tb  # pandas chains KeyErrors
    facts = prompts.error_facts(tb)
    assert facts.exception == "KeyError: 'Price'"
    assert (facts.cell_line, facts.code) == (3, 'total = df["Price"].sum()')
    assert 0 < len(facts.frames) <= prompts.LAST_FRAMES and facts.frames[-1].startswith(("base.py", "frame.py"))


def test_explain_error_sends_the_exception_the_failing_line_the_frames_and_the_cell():
    cell = 'import pandas as pd\ndf = pd.DataFrame({"price": [1]})\ntotal = df["Price"].sum()'
    messages = prompts.explain_error(raise_in_cell(cell), cell)
    assert messages[0]["role"] == "system" and "**Cause:**" in messages[0]["content"] and "**Fix:**" in messages[0]["content"]
    question = messages[-1]["content"]
    assert messages[-1]["role"] == "user"
    assert cell in question
    assert 'It fails on line 3: `total = df["Price"].sum()`' in question
    assert "KeyError: 'Price'" in question and "Traceback (last frames):" in question
    # The worked examples are complete question/answer pairs before it.
    roles = [m["role"] for m in messages[1:-1]]
    assert roles == ["user", "assistant"] * (len(roles) // 2) and roles


def test_with_hints_a_library_s_frames_are_left_out_and_the_cell_s_kept():
    cell = 'import pandas as pd\ndf = pd.DataFrame({"price": [1]})\ntotal = df["Price"].sum()'
    question = prompts.explain_error(raise_in_cell(cell), cell, hints=("`df` has no column 'Price'; it has 'price'.",))[-1]["content"]
    assert "Traceback (last frames):" not in question and "frame.py" not in question
    cell = "def area(w):\n    return w * h\n\narea(2)"
    question = prompts.explain_error(raise_in_cell(cell), cell, hints=("`h` is not defined.",))[-1]["content"]
    assert "cell, line 4, in <module>: area(2)" in question and "cell, line 2, in area: return w * h" in question, question


def test_values_are_listed_only_when_no_hint_explains_the_line():
    cell = 'd = {"a": 1}\nd["b"]'
    tb = raise_in_cell(cell)
    without = prompts.explain_error(tb, cell, values=("d: dict (len 1), keys ['a']",))[-1]["content"]
    assert "Values at the failing line:" in without and "keys ['a']" in without
    with_hint = prompts.explain_error(tb, cell, values=("d: dict (len 1), keys ['a']",), hints=("`d` has no key 'b'.",))[-1]["content"]
    assert "Values at the failing line" not in with_hint and "`d` has no key 'b'." in with_hint


def test_braces_and_dollars_pass_through():
    cell = 'x = "{a}$b"\nprint(x["k"])'
    question = prompts.explain_error(raise_in_cell(cell), cell)[-1]["content"]
    assert 'x = "{a}$b"' in question


def test_a_retry_says_what_each_candidates_own_error_means_but_not_again_what_the_first_prompt_said():
    from llama_nb.answer.prompts import retry_fix

    hint = "DataFrame `sales` has no column 'unit'; its columns are 'units', 'price'."
    tried = [("revenue = sales['amt'].sum()", "still raises KeyError: 'amt'", ("DataFrame `sales` has no column 'amt'; its columns are 'units', 'price', 'amount'.",)),
             ("revenue = sales['unit'].sum()", "still raises KeyError: 'unit'", (hint,))]
    text = retry_fix("revenue = sales['unit'].sum()", "revenue = sales['unit'].sum()", "KeyError: 'unit'", tried, said=(hint,))[-1]["content"]
    assert hint not in text, "what the first prompt said (and the first fix followed) is not said again"
    assert "What that error means there:\n- DataFrame `sales` has no column 'amt'" in text
    assert text.index("still raises KeyError: 'amt'") < text.index("What that error means there")
    assert text.count("What that error means there") == 1
    plain = retry_fix("y = x + 1", None, "TypeError: ...", [("y = x + '1'", "still raises TypeError: ...", ())])[-1]["content"]
    assert "What that error means there" not in plain and "Result: still raises TypeError" in plain
