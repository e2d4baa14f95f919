"""The ninth round of hints (kernel/hints_round9.py), on cells that are not the benchmark's.

Each rule is keyed on an interpreter, pandas or numpy message; these cells use other names, values and shapes than
heldout9's, to show the rule reads this cell rather than knowing the benchmark's. Each positive case is paired with a
near miss where the rule must stay silent (its message alone is not enough), and the corrected lines and blocks are
run to show they no longer raise.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hint_fixtures import assert_corrected_line_runs, assert_runs, hints_of, shell  # noqa: F401 - shell is a fixture
from llama_nb.answer.knowledge import MAX_LINE

@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cells write files (t.csv, p.txt): in a folder of their own, never the repository."""
    monkeypatch.chdir(tmp_path)


_CLOSED = ('with open("t.csv", "w") as out:\n    out.write("a\\nb\\n")\nwith open("t.csv") as src:\n    first = src.readline()\n'
           'rows = src.readlines()\nprint(rows)')
_SIGMOID = "import math\n\ndef logistic(t):\n    return 1 / (1 + math.exp(-t))\n\nys = [logistic(v) for v in (0.0, -800)]"
_BRACKETS = ('def ok(expr):\n    seen = []\n    for c in expr:\n        if c == "[":\n            seen.append(c)\n        elif c == "]":\n'
             '            seen.pop()\n    return not seen\n\nok("x]")')


@pytest.mark.parametrize(("cell", "expected"), [
    (_CLOSED, ["`src` is closed", "(line 3)", "line 5 is outside the `with` block", "Corrected code:",
               'with open("t.csv") as src:\n    first = src.readline()\n    rows = src.readlines()']),
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
    ("import math\nbig = math.exp(n) if (n := 1200) else 0", ["overflowed", "with n = 1200", "709"]),
    (_SIGMOID, ["`math.exp(-t)` overflowed with t = -800", "def logistic(t):\n    if t >= 0:"]),
    (_BRACKETS, ["`seen` is empty when `.pop()` runs", "closing ']' with no '['", "return False",
                 "if not seen:\n    return False\nseen.pop()"]),
    ("queue = []\nqueue.pop()", ["`queue` is empty when `.pop()` runs", "`if queue:`"]),
    ('import pandas as pd\nt = pd.DataFrame({"tag": ["x", "y"]})\nvals = t[["tag"]].tolist()',
     ["`t[['tag']]` with double brackets", "one-column DataFrame", "`vals = t[\"tag\"].tolist()`"]),
    ('import glob\nimport pandas as pd\nparts = sorted(glob.glob("nowhere/*.parquet"))\nall_ = pd.concat([pd.read_parquet(p) for p in parts])',
     ["`parts` is empty", "`glob('nowhere/*.parquet')` matched no file", "if not parts:"]),
    ('import pandas as pd\nframes = []\npd.concat(frames)', ["`frames` is empty", "`if not frames:`"]),
    ('import pandas as pd\ns = pd.Series(["05-02-2023", "25-02-2023"])\nd = pd.to_datetime(s)',
     ["'25-02-2023' has 25", "no month 25", "dayfirst=True", "`d = pd.to_datetime(s, format='%d-%m-%Y')`"]),
    ('import pandas as pd\nsize = pd.Series(["s", "m", None], dtype="category")\nfull = size.fillna("xl")',
     ["`size` is categorical", "('m', 's')", "'xl' is not one of them", "`full = size.cat.add_categories('xl').fillna(\"xl\")`"]),
    ('import pandas as pd\ntext = \'{"a": [1, 2]}\'\nframe = pd.DataFrame(text)', ["`text` is a string (JSON text)",
                                                                              "pd.DataFrame(json.loads(text))"]),
    ('import pandas as pd\ncsv = "a,b\\n1,2"\nframe = pd.DataFrame(csv)', ["for CSV text", "pd.read_csv(io.StringIO(csv))"]),
    ("import numpy as np\nflags = np.array([0.5, 1.5]).astype(np.int)", ["`np.int` was only an alias", "removed it in 1.24",
                                                                        "`flags = np.array([0.5, 1.5]).astype(int)`"]),
    ("import numpy as np\nlabels = ('lo', 'hi')\npicked = labels[np.array([1, 0])]", ["`labels` is a plain Python tuple",
                                                                                     "`picked = np.array(labels)[np.array([1, 0])]`"]),
    ("import numpy as np\ntemps = np.array([20.5, 'n/a'], dtype=object)\nbad = np.isinf(temps)", ["`temps` has dtype object",
                                                                                                 "holds Python objects"]),
    ("import numpy as np\nk = np.arange(1, 4, dtype=np.int32)\ninv = k ** (-1)", ["dtype int32", "`inv = k ** -1.0`"]),
])
def test_a_round9_error_gets_its_concrete_hint(shell: Any, cell: str, expected: list[str]) -> None:
    hints = hints_of(shell, cell)
    text = " ".join(hints)
    for part in expected:
        assert part in text, f"{part!r} not in the hint for:\n{cell}\n{text}"
    assert all(len(h) <= MAX_LINE for h in hints)


@pytest.mark.parametrize(("cell", "absent"), [
    ('f = open("u.txt", "w")\nf.close()\nf.write("x")', "is outside the"),  # closed by .close(): no with block to name
    ("'ab' * 1.5", "is a list"),  # text times a float: the older text rule speaks
    ('word = "abc"\nword["x"]', "loops over the dict's keys"),  # no loop over a dict
    ("import math\nmath.pow(10.0, 400)", "overflowed"),  # not math.exp
    ("todo = [1]\ntodo.pop()\ntodo.pop()", "closing"),  # no bracket matching in the cell: the plain hint
    ('import pandas as pd\nt = pd.DataFrame({"a": [1]})\nt.unique()', "double brackets"),  # no [[...]]
    ('import pandas as pd\npd.to_datetime(pd.Series(["02/30/2023"]), format="%m/%d/%Y")', "day-first"),  # a bad day, not a swap
    ('import pandas as pd\npd.DataFrame(5)', "is a string"),  # not text
    ("import numpy as np\nnp.floot", "alias"),  # a typo, not an alias
    ("import numpy as np\nv = np.arange(3.0)\nv ** -2 + np.array([1]) ** -1", "dtype float"),
])
def test_a_near_miss_gets_no_round9_hint(shell: Any, cell: str, absent: str) -> None:
    try:
        text = " ".join(hints_of(shell, cell))
    except AssertionError:  # the near miss did not raise: nothing to hint, which is the point
        return
    assert absent not in text, f"{absent!r} should not be in the hint for:\n{cell}\n{text}"


@pytest.mark.parametrize(("cell", "fixed_marker"), [
    ("weights = [2, 4]\nhalf = 0.5 * weights", "half"),
    ('base = {"x": 1}\nextra = {"y": 2}\nboth = base + extra', "both"),
    ('import pandas as pd\nt = pd.DataFrame({"tag": ["x", "y"]})\nvals = t[["tag"]].tolist()', "vals"),
    ('import pandas as pd\ns = pd.Series(["05-02-2023", "25-02-2023"])\nd = pd.to_datetime(s)', "d"),
    ('import pandas as pd\nsize = pd.Series(["s", "m", None], dtype="category")\nfull = size.fillna("xl")', "full"),
    ("import numpy as np\nflags = np.array([0.5, 1.5]).astype(np.int)", "flags"),
    ("import numpy as np\nlabels = ('lo', 'hi')\npicked = labels[np.array([1, 0])]", "picked"),
    ("import numpy as np\nr = np.array([1.0, None])\nm = np.isnan(r)", "m"),
    ("import numpy as np\nk = np.arange(1, 4, dtype=np.int32)\ninv = k ** (-1)", "inv"),
])
def test_the_corrected_line_runs(shell: Any, cell: str, fixed_marker: str) -> None:
    assert_corrected_line_runs(shell, cell, fixed_marker)


def _block(hints: tuple[str, ...]) -> str:
    block = next((h for h in hints if h.startswith("Corrected code:")), None)
    assert block, f"no corrected block in {hints}"
    return block.split("```python\n", 1)[1].rsplit("\n```", 1)[0]


def test_the_corrected_blocks_run(shell: Any) -> None:
    """The multi-line repairs: the with block holding the read, the sigmoid that never overflows, the JSON parsed."""
    assert_runs(shell, _CLOSED.split("with open(\"t.csv\") as src:")[0] + _block(hints_of(shell, _CLOSED)))
    sigmoid = _block(hints_of(shell, _SIGMOID))
    assert_runs(shell, _SIGMOID.replace("def logistic(t):\n    return 1 / (1 + math.exp(-t))", sigmoid))
    json_cell = 'import pandas as pd\ntext = \'[{"a": 1}]\'\nframe = pd.DataFrame(text)'
    assert_runs(shell, json_cell.rsplit("\n", 1)[0] + "\n" + _block(hints_of(shell, json_cell)))
    fixed = _block(hints_of(shell, _BRACKETS))
    body = "\n".join("            " + ln for ln in fixed.splitlines())
    repaired = _BRACKETS.replace("            seen.pop()", body)
    assert_runs(shell, repaired.replace('ok("x]")', 'assert ok("x]") is False and ok("[x]") is True'))


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
    fixed = _block(hints_of(shell, cell))
    assert_runs(shell, head + fixed + f"\nassert len(seen) == {(3 - inside) * loop_body}, seen")
