"""Hints on plain-Python messages (answer/knowledge/python_*.py), on cells that are not the benchmark's.

These cells use other names, values and shapes than the benchmark's held-out sets (heldout8, heldout9), to show the
rule reads this cell rather than knowing the benchmark's. Each positive case is paired with a near miss where the rule
must stay silent (its message alone is not enough), and the corrected lines and blocks are run to show they no longer
raise.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hint_fixtures import assert_corrected_line_runs, assert_no_hint_saying, assert_runs, corrected_block, hints_of
from hint_fixtures import shell  # noqa: F401 - shell is a fixture
from llama_nb.answer.knowledge import MAX_LINE
from llama_nb.answer.knowledge.python_text import _escaped_braces


_BRACKETS = ('def ok(expr):\n    seen = []\n    for c in expr:\n        if c == "[":\n            seen.append(c)\n        elif c == "]":\n'
             '            seen.pop()\n    return not seen\n\nok("x]")')


@pytest.mark.parametrize(("cell", "expected"), [
    ("width = 4\nsurface = 2(width + 1)", ["`2(`", "no implicit multiplication", "`surface = 2 * (width + 1)`"]),
    ("ys = [1, 3]\nbig = next(y for y in ys if y > 10)", ["no item of `ys` satisfies `y > 10`",
                                                        "`big = next((y for y in ys if y > 10), None)`"]),
    ("empty = []\nfirst = next(v for v in empty)", ["`empty` is empty", "`first = next((v for v in empty), None)`"]),
    ('msg = \'{"level": "{lvl}"}\'\nout = msg.format(lvl=3)', ["literal braces", "doubling", "`msg = '{{\"level\": \"{lvl}\"}}'`"]),
    ('rows = [{"city": "Oslo"}, {"city": "Rome"}]\nrows["city"]', ["`rows` is a list of dicts", "`rows[0]['city']`",
                                                                 "`[d['city'] for d in rows]`"]),
    ("weights = [2, 4]\nhalf = 0.5 * weights", ["`weights` is a list", "repeats it", "`half = [x * 0.5 for x in weights]`"]),
    ("growth = (1, 2, 3)\nrate = 1.1\nnew = growth * rate", ["`growth` is a tuple",
                                                                                          "`new = [x * rate for x in growth]`"]),
    ('payload = {"items": [{"sku": 1}], "count": 1}\nfor it in payload:\n    print(it["sku"])',
     ["`for it in payload` loops over the dict's keys", "`for it in payload['items']:`"]),
    ('groups = {"a": {"n": 1}, "b": {"n": 2}}\nfor g in groups:\n    print(g["n"])', ["`for g in groups.values():`"]),
    ('base = {"x": 1}\nextra = {"y": 2}\nboth = base + extra', ["merge them with `base | extra`", "`both = base | extra`"]),
    ('env = {"a": 1}\nenv += {"b": 2}', ["`env |= {", "merge"]),
    ('ages = {"ann": 3}\nfor k in ages.iterkeys():\n    print(k)', ["Python 2", "`.keys()`", "`for k in ages.keys():`"]),
    ('ages = {"ann": 3}\nprint(ages.has_key("ann"))', ["`in`", "`print(\"ann\" in ages)`"]),
    (_BRACKETS, ["`seen` is empty when `.pop()` runs", "closing ']' with no '['", "return False",
                 "if not seen:\n    return False\nseen.pop()"]),
    ("queue = []\nqueue.pop()", ["`queue` is empty when `.pop()` runs", "`if queue:`"]),
])
def test_a_python_error_gets_its_concrete_hint(shell: Any, cell: str, expected: list[str]) -> None:
    hints = hints_of(shell, cell)
    text = " ".join(hints)
    for part in expected:
        assert part in text, f"{part!r} not in the hint for:\n{cell}\n{text}"
    assert all(len(h) <= MAX_LINE for h in hints)


@pytest.mark.parametrize(("cell", "absent"), [
    ("def make():\n    return 3\nmake()(1)", "implicit multiplication"),  # a call of a call's result is not a number
    ("it = iter([])\nnext(it)", "satisfies"),  # a plain iterator: no generator condition to name
    ('"{0[x]}".format({})', "literal braces"),  # a real field whose key is missing
    ('rows = [1, 2]\nrows["a"]', "list of dicts"),
])
def test_a_near_miss_gets_no_hint(shell: Any, cell: str, absent: str) -> None:
    text = " ".join(hints_of(shell, cell))
    assert absent not in text, f"{absent!r} should not be in the hint for:\n{cell}\n{text}"


@pytest.mark.parametrize(("cell", "absent"), [
    ("'ab' * 1.5", "is a list"),  # text times a float: the older text rule speaks
    ('word = "abc"\nword["x"]', "loops over the dict's keys"),  # no loop over a dict
    ("todo = [1]\ntodo.pop()\ntodo.pop()", "closing"),  # no bracket matching in the cell: the plain hint
])
def test_a_near_miss_gets_no_hint_where_it_raises(shell: Any, cell: str, absent: str) -> None:
    assert_no_hint_saying(shell, cell, absent)


@pytest.mark.parametrize(("cell", "fixed_marker"), [
    ("width = 4\nsurface = 2(width + 1)", "surface"),
    ("ys = [1, 3]\nbig = next(y for y in ys if y > 10)", "big"),
    ('msg = \'{"level": "{lvl}"}\'\nout = msg.format(lvl=3)', "msg"),
    ('rows = [{"city": "Oslo"}, {"city": "Rome"}]\nnames = rows["city"]', "names"),
    ("weights = [2, 4]\nhalf = 0.5 * weights", "half"),
    ('base = {"x": 1}\nextra = {"y": 2}\nboth = base + extra', "both"),
])
def test_the_corrected_line_runs(shell: Any, cell: str, fixed_marker: str) -> None:
    """The corrected line replaces the failing one (or, for a template, the line that made it) and the cell runs."""
    assert_corrected_line_runs(shell, cell, fixed_marker)


def test_the_corrected_bracket_block_runs(shell: Any) -> None:
    """The multi-line repair of a pop from an empty stack: return False where a closing bracket has no opening one."""
    fixed = corrected_block(hints_of(shell, _BRACKETS))
    body = "\n".join("            " + ln for ln in fixed.splitlines())
    repaired = _BRACKETS.replace("            seen.pop()", body)
    assert_runs(shell, repaired.replace('ok("x]")', 'assert ok("x]") is False and ok("[x]") is True'))


_IDENT = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)
_TEXT = st.text(st.characters(min_codepoint=32, max_codepoint=126, blacklist_characters="{}'\\"), max_size=12)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(_IDENT, st.one_of(_TEXT, st.integers(), st.booleans()), min_size=1, max_size=4), st.data())
def test_escaping_a_json_template_keeps_its_fields_and_nothing_else(payload: dict[str, Any], data: st.DataObject) -> None:
    """For any JSON object whose string values hold ``{field}`` placeholders, the escaped template formats without
    error to exactly the JSON with the fields filled in."""
    fields = data.draw(st.lists(_IDENT, min_size=1, max_size=3, unique=True))
    with_fields = {**payload, **{f"k_{f}": "{" + f + "}" for f in fields}}
    template = json.dumps(with_fields)
    src = f"template = '{template}'"
    escaped = _escaped_braces(src, fields)
    literal = escaped.split("=", 1)[1].strip()[1:-1]
    values = {f: f"<{f}>" for f in fields}
    expected = json.dumps({**payload, **{f"k_{f}": f"<{f}>" for f in fields}})
    assert literal.format(**values) == expected
