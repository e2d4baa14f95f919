"""The eighth round of hints (kernel/hints_round8.py), on cells that are not the benchmark's.

Each rule is keyed on an interpreter, pandas or numpy message; these cells use other names, values and shapes than
heldout8's, to show the rule reads this cell rather than knowing the benchmark's. Each positive case is paired with a
near miss where the rule must stay silent (its message alone is not enough), and the corrected lines are run to show
they no longer raise.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hint_fixtures import assert_corrected_line_runs, hints_of, shell  # noqa: F401 - shell is a fixture
from llama_nb.answer.knowledge.python_text import _escaped_braces


@pytest.mark.parametrize(("cell", "expected"), [
    ("import json\nrow = \"{'id': 7, 'ok': True}\"\njson.loads(row)", ["single quotes", "ast.literal_eval(", "import ast"]),
    ("import json\nrow = '{\"id\": \\'x\\'}'\njson.loads(row)", ["single quotes"]),
    ("width = 4\nsurface = 2(width + 1)", ["`2(`", "no implicit multiplication", "`surface = 2 * (width + 1)`"]),
    ("ys = [1, 3]\nbig = next(y for y in ys if y > 10)", ["no item of `ys` satisfies `y > 10`",
                                                        "`big = next((y for y in ys if y > 10), None)`"]),
    ("empty = []\nfirst = next(v for v in empty)", ["`empty` is empty", "`first = next((v for v in empty), None)`"]),
    ('msg = \'{"level": "{lvl}"}\'\nout = msg.format(lvl=3)', ["literal braces", "doubling", "`msg = '{{\"level\": \"{lvl}\"}}'`"]),
    ('rows = [{"city": "Oslo"}, {"city": "Rome"}]\nrows["city"]', ["`rows` is a list of dicts", "`rows[0]['city']`",
                                                                 "`[d['city'] for d in rows]`"]),
    ('from decimal import Decimal\nfee = Decimal("2.50")\nfee + 0.75', ["the float 0.75", '`fee + Decimal("0.75")`']),
    ('from decimal import Decimal\n0.5 * Decimal("3")', ['Decimal("0.5")']),
    ('import io\nimport pandas as pd\npd.read_csv(io.BytesIO("x\\nZürich\\n".encode("cp1252")))',
     ["byte 0xfc is 'ü'", 'encoding="latin-1"']),
    ('import pandas as pd\ns = pd.Series([1.0, None])\ns = s.fillna(method="bfill")', ["removed in pandas 3", "`s = s.bfill()`"]),
    ('import pandas as pd\npd.cut(pd.Series([1, 9]), bins=[0, 5, 10], labels=["lo", "mid", "hi"])',
     ["3 bin edges make 2 bins", "1 label too many", "labels=['lo', 'mid']"]),
    ('import pandas as pd\nedges = [0, 1, 2, 3]\npd.cut(pd.Series([1]), bins=edges, labels=["a"])', ["4 bin edges make 3 bins", "2 labels too few"]),
    ('import pandas as pd\nt = pd.DataFrame({"k": ["a", "b"], "v": [1, 2]})\nx = int(t[t["k"] == "b"]["v"])',
     ["`int()` needs one value", ".iloc[0]", '`x = t[t["k"] == "b"]["v"].iloc[0]`']),
    ("import numpy as np\nts = np.linspace(2, 4, 0.5)", ["number of points, not the step", "np.arange(2, 4, 0.5)", "5 points",
                                                       "`ts = np.arange(2, 4, 0.5)`"]),
    ("import numpy as np\nv = np.arange(7)\nparts = np.split(v, 2)", ["`v` has 7 items", "`parts = np.array_split(v, 2)`"]),
    ("import math\nimport numpy as np\nxs = np.ones((2, 2))\nmath.exp(xs)", ["`math.exp` works on one number", "shape (2, 2)",
                                                                          "`np.exp(xs)`"]),
    ("import math\nimport numpy as np\nv = np.ones(3)\nmath.gamma(v)", ["[math.gamma(v) for v in v]"]),
    ("import numpy as np\nq = np.arange(4)\nnp.where(q % 2 == 0, 1)", ["the value otherwise", "`np.where(q % 2 == 0, 1, <other value>)`",
                                                                   "`np.where(q % 2 == 0, 1, 0)`"]),
])
def test_a_round8_error_gets_its_concrete_hint(shell: Any, cell: str, expected: list[str]) -> None:
    text = " ".join(hints_of(shell, cell))
    for part in expected:
        assert part in text, f"{part!r} not in the hint for:\n{cell}\n{text}"


@pytest.mark.parametrize(("cell", "absent"), [
    ('import json\njson.loads(\'{"a": 1,}\')', "single quotes"),  # a trailing comma: another JSON mistake
    ("def make():\n    return 3\nmake()(1)", "implicit multiplication"),  # a call of a call's result is not a number
    ("it = iter([])\nnext(it)", "satisfies"),  # a plain iterator: no generator condition to name
    ('"{0[x]}".format({})', "literal braces"),  # a real field whose key is missing
    ('rows = [1, 2]\nrows["a"]', "list of dicts"),
    ("1.5 * 'a' * 1.5", "Decimal"),
    ('import pandas as pd\ns = pd.Series([1.0, 2.0])\nfloat(s.sum)', ".iloc[0]"),
])
def test_a_near_miss_gets_no_round8_hint(shell: Any, cell: str, absent: str) -> None:
    text = " ".join(hints_of(shell, cell))
    assert absent not in text, f"{absent!r} should not be in the hint for:\n{cell}\n{text}"


@pytest.mark.parametrize(("cell", "fixed_marker"), [
    ("width = 4\nsurface = 2(width + 1)", "surface"),
    ("ys = [1, 3]\nbig = next(y for y in ys if y > 10)", "big"),
    ('msg = \'{"level": "{lvl}"}\'\nout = msg.format(lvl=3)', "msg"),
    ('rows = [{"city": "Oslo"}, {"city": "Rome"}]\nnames = rows["city"]', "names"),
    ('from decimal import Decimal\nfee = Decimal("2.50")\ntotal = fee + 0.75', "total"),
    ('import pandas as pd\nt = pd.DataFrame({"k": ["a", "b"], "v": [1, 2]})\nx = int(t[t["k"] == "b"]["v"])', "x"),
    ("import numpy as np\nts = np.linspace(2, 4, 0.5)", "ts"),
    ("import numpy as np\nv = np.arange(7)\nparts = np.split(v, 2)", "parts"),
    ("import math\nimport numpy as np\nxs = np.ones((2, 2))\ny = math.exp(xs)", "y"),
    ("import numpy as np\nq = np.arange(4)\nz = np.where(q % 2 == 0, 1)", "z"),
])
def test_the_corrected_line_runs(shell: Any, cell: str, fixed_marker: str) -> None:
    """The corrected line replaces the failing one (or, for a template, the line that made it) and the cell runs."""
    assert_corrected_line_runs(shell, cell, fixed_marker)


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
