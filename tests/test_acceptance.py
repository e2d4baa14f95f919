"""Where a candidate fix goes in the cell, and the rule that tells a repair from an escape
(llama_nb/answer/acceptance.py). Pure functions: examples for each rule, properties over generated cells."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from llama_nb.answer.acceptance import Span, failing_chain, failing_line, fixed_cells, refusal, statement_span
from llama_nb.answer.bindings import computed_names


def _raise(cell: str, ns: dict | None = None) -> BaseException:
    try:
        exec(compile(cell, "<cell>", "exec"), ns if ns is not None else {})
    except Exception as exc:
        return exc
    raise AssertionError("the cell did not raise")


def test_the_failing_line_is_the_cells_deepest_frame_not_a_librarys() -> None:
    cell = "import json\nraw = '{bad'\n\ndata = json.loads(raw)\nprint(data)"
    assert failing_line(_raise(cell), cell) == 4


def test_the_failing_line_inside_a_function_defined_in_the_cell() -> None:
    cell = "def f(d):\n    return d['x']\n\nf({})"
    assert failing_line(_raise(cell), cell) == 2


_CALLED = "def share(part):\n    return part / whole\n\nshares = [share(p) for p in parts]\nbiggest = max(shares)\nprint(biggest)"


def _chain_spans(cell: str, exc: BaseException) -> tuple[Span, ...]:
    return tuple(statement_span(cell, n) for n in failing_chain(exc, cell)[:-1])


def test_the_chain_is_every_line_of_the_cell_the_error_passed_through() -> None:
    exc = _raise(_CALLED, {"parts": [1, 3]})
    assert failing_chain(exc, _CALLED) == (4, 2) and failing_line(exc, _CALLED) == 2


def test_a_repair_may_change_the_call_that_led_to_the_error_but_not_the_lines_after_it() -> None:
    # The error is in the function's body; the call after the definition raised it too, so a repair may
    # change it (a new argument), while the lines after it still run as written.
    exc = _raise(_CALLED, {"parts": [1, 3]})
    span, chain = statement_span(_CALLED, 2), _chain_spans(_CALLED, exc)
    fixed = _CALLED.replace("def share(part):", "def share(part, whole):").replace("share(p) for", "share(p, sum(parts)) for")
    assert refusal(_CALLED, fixed, span, frozenset({"parts"}), chain) is None
    assert "after the error" in (refusal(_CALLED, fixed, span, frozenset({"parts"})) or ""), "without the chain: the old rule"
    later = fixed.replace("biggest = max(shares)", "biggest = min(shares)")
    assert "after the error `biggest = max(shares)`" in (refusal(_CALLED, later, span, frozenset({"parts"}), chain) or "")
    gone = fixed.replace("shares = [share(p, sum(parts)) for p in parts]\n", "")
    assert refusal(_CALLED, gone, span, frozenset({"parts"}), chain) is not None, "a line of the chain may change, not go"


def test_a_compound_statement_fails_at_its_header_only() -> None:
    cell = "xs = [1, 2]\nfor i in len(xs):\n    print(xs[i])\nprint('done')"
    assert statement_span(cell, 2) == Span(2, 2)
    multi = "total = sum(\n    [1, 'a']\n)\nprint(total)"
    assert statement_span(multi, 2) == Span(1, 3)


@pytest.mark.parametrize("cell, line, candidate, want", [
    # only the corrected line: in place of the line it edits
    ("xs = [1, 2, 3]\nfor i in range(len(xs) + 1):\n    print(xs[i])", 3, "for i in range(len(xs)):",
     "xs = [1, 2, 3]\nfor i in range(len(xs)):\n    print(xs[i])"),
    # the header and its body, repeated: the body is not duplicated
    ("xs = [1, 2, 3]\nfor i in len(xs):\n    print(xs[i])", 2, "for i in range(len(xs)):\n    print(xs[i])",
     "xs = [1, 2, 3]\nfor i in range(len(xs)):\n    print(xs[i])"),
    # the cause is on the line before the failing one
    ("items = [3, 1, 2]\nitems = items.sort()\nprint(items[0])", 3, "items.sort()",
     "items = [3, 1, 2]\nitems.sort()\nprint(items[0])"),
    # a new line goes before the failing statement, keeping it
    ("df = pd.DataFrame({'a': [1]})\nprint(df)", 1, "import pandas as pd",
     "import pandas as pd\ndf = pd.DataFrame({'a': [1]})\nprint(df)"),
    # indentation follows the cell's
    ("def f(d):\n    return d['x']\n\nprint(f({}))", 2, "return d.get('x')",
     "def f(d):\n    return d.get('x')\n\nprint(f({}))"),
])
def test_a_candidate_is_put_where_it_belongs(cell: str, line: int, candidate: str, want: str) -> None:
    assert fixed_cells(cell, line, candidate)[0] == want


def test_a_whole_corrected_cell_is_taken_whole() -> None:
    cell = "a = 1\nb = '2'\nc = a + b\nprint(c)"
    cand = "a = 1\nb = '2'\nc = a + int(b)\nprint(c)"
    assert fixed_cells(cell, 3, cand)[0] == cand


CELL = "data = {'a': 1}\nvalue = data['b']\ntotal = value * 2\nassert total > 0\nprint(total)"
SPAN = Span(2, 2)


@pytest.mark.parametrize("fixed, words", [
    (CELL, "changes nothing"),
    ("data = {'a': 1}\ntry:\n    value = data['b']\nexcept KeyError:\n    value = 1\ntotal = value * 2\nassert total > 0\nprint(total)", "try/except"),
    ("import contextlib\ndata = {'a': 1}\nvalue = 1\nwith contextlib.suppress(KeyError):\n    value = data['b']\ntotal = value * 2\nassert total > 0\nprint(total)", "try/except"),
    ("data = {'a': 1}\ntotal = 2\nassert total > 0\nprint(total)", "no longer sets `value`"),
    ("data = {'a': 1}\nvalue = data['a']\ntotal = value * 2\nprint(total)", "removes the line `assert total > 0`"),
    ("data = {'a': 1}\nvalue = data['a']\ntotal = 3\nassert total > 0\nprint(total)", "the rest of the cell must run as written"),
    ("data = {'a': 1}\nvalue = data['a']\ntotal = value * 2\nassert total > 0\nprint(total", "does not parse"),
])
def test_escapes_are_refused_with_the_reason(fixed: str, words: str) -> None:
    why = refusal(CELL, fixed, SPAN)
    assert why is not None and words in why, why


def test_a_real_repair_is_accepted() -> None:
    assert refusal(CELL, CELL.replace("data['b']", "data.get('b', 1)"), SPAN) is None
    assert refusal(CELL, "data = {'a': 1, 'b': 2}\n" + "\n".join(CELL.splitlines()[1:]), SPAN) is None  # the cell's own literal


def test_literal_data_from_earlier_cells_is_not_replaced() -> None:
    cell = "total = df['price'].sum()\nprint(total)"
    fixed = "df = pd.DataFrame({'price': [1.0, 2.0]})\ntotal = df['price'].sum()\nprint(total)"
    why = refusal(cell, fixed, Span(1, 1), frozenset({"df", "pd"}))
    assert why is not None and "`df`" in why
    column = "df['price'] = [1.0, 2.0]\ntotal = df['price'].sum()\nprint(total)"
    assert "`df`" in (refusal(cell, column, Span(1, 1), frozenset({"df"})) or "")
    derived = "df['price'] = pd.to_numeric(df['price'])\ntotal = df['price'].sum()\nprint(total)"
    assert refusal(cell, derived, Span(1, 1), frozenset({"df", "pd"})) is None


_names = st.sampled_from(["a", "b", "c", "total", "rows", "x"])
_line = st.builds(lambda n, m, k: f"{n} = {m} + {k}", _names, _names, st.integers(0, 9))


@settings(max_examples=150, deadline=None)
@given(lines=st.lists(_line, min_size=2, max_size=7, unique=True), data=st.data())
def test_a_one_line_edit_keeps_every_other_line_in_order(lines: list[str], data: st.DataObject) -> None:
    cell = "\n".join(lines)
    i = data.draw(st.integers(0, len(lines) - 1))
    edited = lines[i].replace(" + ", " - ", 1)
    fixed = fixed_cells(cell, i + 1, edited)[0]
    out = fixed.splitlines()
    assert out == lines[:i] + [edited] + lines[i + 1:]
    assert refusal(cell, fixed, Span(i + 1, i + 1)) is None


@settings(max_examples=150, deadline=None)
@given(lines=st.lists(_line, min_size=2, max_size=7), data=st.data())
def test_deleting_or_wrapping_the_failing_line_is_never_accepted(lines: list[str], data: st.DataObject) -> None:
    cell = "\n".join(lines)
    i = data.draw(st.integers(0, len(lines) - 1))
    deleted = "\n".join(lines[:i] + lines[i + 1:])
    wrapped = "\n".join(lines[:i] + ["try:", "    " + lines[i], "except Exception:", "    pass"] + lines[i + 1:])
    assert refusal(cell, deleted, Span(i + 1, i + 1)) is not None or deleted == cell
    assert refusal(cell, wrapped, Span(i + 1, i + 1)) is not None


_BASE = "d = {'a': 1}\ntotal = d['units']\nprint('total', total)\nassert total == 42"


@pytest.mark.parametrize("fixed, words", [
    ("d = {'a': 1}\nif False:\n    total = d['units']\n    print('total', total)\n    assert total == 42\ntotal = 42", "never changes"),
    ("d = {'a': 1}\ntotal = 42\nfor _ in ():\n    total = d['units']\nprint('total', total)\nassert total == 42", "new loop"),
    ("from contextlib import suppress as ok\nd = {'a': 1}\ntotal = 42\nwith ok(Exception):\n    total = d['units']\nprint('total', total)\nassert total == 42", "new with"),
    ("d = {'a': 1}\ntotal = 42\nexec(\"try:\\n    total = d['units']\\nexcept Exception:\\n    pass\")\ntotal = d.get('units', 42)\nprint('total', total)\nassert total == 42", "`exec()`"),
    ("d = {'a': 1}\n__import__('json').dumps = str\ntotal = d.get('units', 42)\nprint('total', total)\nassert total == 42", "`__import__()`"),
    ("import json\nd = {'a': 1}\njson.dumps = str\ntotal = d.get('units', 42)\nprint('total', total)\nassert total == 42", "assignment to `json.dumps`"),
    ("import os\nd = {'a': 1}\ntotal = d.get('units', 42)\nos._exit(0)\nprint('total', total)\nassert total == 42", "`os._exit`"),
])
def test_escapes_found_by_an_attacker_are_refused(fixed: str, words: str) -> None:
    why = refusal(_BASE, fixed, Span(2, 2))
    assert why is not None and words in why, why


def test_a_guard_around_the_failing_line_alone_is_a_repair() -> None:
    cell = "import re\nm = re.match(r'(\\d+)', 'x')\nnumber = int(m.group(1))\nprint(number)"
    fixed = "import re\nm = re.match(r'(\\d+)', 'x')\nnumber = 0\nif m:\n    number = int(m.group(1))\nprint(number)"
    assert refusal(cell, fixed, Span(3, 3)) is None


@pytest.mark.parametrize("fixed", [
    "d = {'a': 1}\ntotal = 0\nprint('total', total)\nassert total == 42",
    "d = {'a': 1}\ntotal = None\nprint('total', total)\nassert total == 42",
])
def test_a_constant_in_place_of_the_failing_computation_is_refused(fixed: str) -> None:
    why = refusal(_BASE, fixed, Span(2, 2))
    assert why is not None and "`total` to a constant" in why, why


def test_a_computed_default_is_not_a_constant() -> None:
    assert refusal(_BASE, _BASE.replace("d['units']", "d.get('units', 42)"), Span(2, 2)) is None


def test_computed_names_are_the_cells_non_literal_results() -> None:
    cell = ("rows = []\nfor r in data:\n    rows.append(r)\ntotal = sum(rows)\nx, (y, z) = f(1)\n"
            "def g():\n    inner = h()\nn: int = len(rows)\nm = 3\nk = pd.DataFrame({'a': [1]})\nq = 1\nq = q + 1\n")
    # rows starts as a literal (left empty it may be what the data says), m and k are literals, inner is a
    # function's, q was once a literal: none of them is watched.
    assert computed_names(cell) == ("total", "x", "y", "z", "n")
    assert computed_names("this is not python (") == ()


@settings(max_examples=200, deadline=None)
@given(names=st.lists(st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True), min_size=1, max_size=6, unique=True),
       literal=st.lists(st.booleans(), min_size=6, max_size=6))
def test_computed_names_are_exactly_the_non_literal_assignments(names: list[str], literal: list[bool]) -> None:
    import keyword

    names = [n for n in names if not keyword.iskeyword(n)]
    cell = "\n".join(f"{n} = {'[1, 2]' if lit else 'f(' + repr(n) + ')'}" for n, lit in zip(names, literal))
    assert computed_names(cell) == tuple(n for n, lit in zip(names, literal) if not lit)


# -- escapes through the data (answer/escapes.py) ---------------------------------------------------------

_STOCK = "import pandas as pd\nstock = pd.DataFrame({'n': ['4', None, '7']})\ncount = stock['n'].astype(int)\nprint(count.sum())"


@pytest.mark.parametrize("fixed, words", [
    (_STOCK.replace("stock['n'].astype(int)", "stock['n'].fillna(0).astype(int)"), "fills in values the data does not have (`stock['n'].fillna(0)`)"),
    (_STOCK.replace("stock['n'].astype(int)", "stock['n'].ffill().astype(int)"), "fills in values"),
    (_STOCK.replace("stock['n'].astype(int)", "stock['n'].dropna().astype(int)"), "drops rows of the data (`stock['n'].dropna()`)"),
    (_STOCK.replace("stock['n'].astype(int)", "stock.drop_duplicates()['n'].astype(int)"), "drops rows"),
    (_STOCK.replace("stock['n'].astype(int)", "pd.to_numeric(stock['n'], errors='ignore')"), "skips the values that raised (`pd.to_numeric(stock['n'], errors='ignore')`)"),
    (_STOCK.replace("stock['n'].astype(int)", "np.nan_to_num(stock['n'].astype(float)).astype(int)"), "fills in values"),
    # filling under another name: a missing value replaced, or every value that is not kept given another
    (_STOCK.replace("stock['n'].astype(int)", "stock['n'].replace({None: '0'}).astype(int)"), "fills in values the data does not have (`stock['n'].replace({None: '0'})`)"),
    (_STOCK.replace("stock['n'].astype(int)", "stock['n'].replace([np.nan, None], '0').astype(int)"), "fills in values"),
    (_STOCK.replace("stock['n'].astype(int)", "stock['n'].replace(to_replace=float('nan'), value='0').astype(int)"), "fills in values"),
    (_STOCK.replace("stock['n'].astype(int)", "stock['n'].where(stock['n'].notna(), '0').astype(int)"), "fills in values"),
    (_STOCK.replace("stock['n'].astype(int)", "stock['n'].mask(stock['n'].isna(), other='0').astype(int)"), "fills in values"),
])
def test_a_fix_that_fills_drops_or_skips_the_data_is_refused(fixed: str, words: str) -> None:
    why = refusal(_STOCK, fixed, Span(3, 3))
    assert why is not None and words in why and "computes something else" in why, why


def test_a_fill_or_drop_the_cell_already_had_may_stay() -> None:
    cell = "import pandas as pd\ns = pd.Series([1.0, None])\ns = s.fillna(method='ffill')\nprint(s.dropna().sum())"
    assert refusal(cell, cell.replace(".fillna(method='ffill')", ".ffill()"), Span(3, 3)) is None
    assert refusal(cell, cell.replace("s.fillna(method='ffill')", "s.fillna(s.mean())"), Span(3, 3)) is None
    # keeping the missing values missing, or reading a missing marker as missing, is a repair
    assert refusal(_STOCK, _STOCK.replace("astype(int)", "astype('Int64')"), Span(3, 3)) is None
    assert refusal(_STOCK, _STOCK.replace("stock['n'].astype(int)", "pd.to_numeric(stock['n'], errors='coerce')"), Span(3, 3)) is None
    # a replace of text, numpy's choice and a where that keeps the missing values missing fill in nothing
    for kept in ("stock['n'].str.replace(',', '').astype('Int64')", "stock['n'].replace('4', '5').astype('Int64')",
                 "np.where(stock['n'].isna(), 0, 1)", "stock['n'].where(stock['n'] != '4').astype('Int64')",
                 # missing kept missing (NaN made None for JSON), numpy's where however spelled, a clip
                 "stock['n'].replace({np.nan: None}).astype('Int64')", "stock['n'].where(stock['n'].notna(), None)",
                 "onp.where(stock['n'].isna(), 0, 1)", "where(stock['n'].isna(), 0, 1)", "np.ma.where(stock['n'].isna(), 0, 1)",
                 "stock['n'].where(stock['n'] > '0', '0').astype('Int64')", "stock['n'].replace(to_replace=None, value='', regex=r'[$,]').astype('Int64')"):
        assert refusal(_STOCK, _STOCK.replace("stock['n'].astype(int)", kept), Span(3, 3)) is None, kept


_FRAME_NAMES = st.sampled_from(["df", "sales", "t", "rows"])
_STEPS = st.sampled_from([".fillna(0)", ".fillna(method='bfill')", ".bfill()", ".interpolate()", ".dropna()", ".dropna(subset=['k'])",
                          ".drop_duplicates()"])


@settings(max_examples=100, deadline=None)
@given(lines=st.lists(_line, min_size=1, max_size=5, unique=True), frame=_FRAME_NAMES, step=_STEPS, data=st.data())
def test_a_new_fill_or_drop_anywhere_is_never_a_repair(lines: list[str], frame: str, step: str, data: st.DataObject) -> None:
    failing = f"out = {frame}['k'].sum()"
    at = data.draw(st.integers(0, len(lines)))
    cell_lines = lines[:at] + [failing] + lines[at:]
    cell = "\n".join(cell_lines)
    fixed = "\n".join(lines[:at] + [failing.replace(f"{frame}['k']", f"{frame}{step}['k']")] + lines[at:])
    why = refusal(cell, fixed, Span(at + 1, at + 1))
    assert why is not None and ("fills in" in why or "drops rows" in why), why
    plain = "\n".join(lines[:at] + [failing.replace("['k']", "['K']")] + lines[at:])
    assert refusal(cell, plain, Span(at + 1, at + 1)) is None


def test_an_import_the_fix_no_longer_needs_may_go() -> None:
    # The failed cell already ran its import (the kernel has the module): a fix that reads the text another
    # way may drop it. A result the cell computes still may not go.
    cell = "import json\nraw = \"{'a': 1}\"\nconf = json.loads(raw)\nprint(conf['a'])"
    fixed = "import ast\nraw = \"{'a': 1}\"\nconf = ast.literal_eval(raw)\nprint(conf['a'])"
    assert refusal(cell, fixed, Span(3, 3)) is None
    assert refusal(cell, "import ast\nraw = \"{'a': 1}\"\nprint(ast.literal_eval(raw)['a'])", Span(3, 3)) is not None  # `conf` is gone
    cell2 = "from math import sqrt\nside = sqrt(-4)\nprint(side)"
    assert refusal(cell2, "import cmath\nside = cmath.sqrt(-4)\nprint(side)", Span(2, 2)) is None


def test_only_an_import_that_ran_before_the_error_and_stands_alone_may_go() -> None:
    # the failing import itself must be changed, not dropped
    cell = "import pandas as pd\nimport seaborn as sns\nsns.set_theme()"
    assert refusal(cell, "import pandas as pd\nimport matplotlib.pyplot as plt\nplt.style.use('ggplot')", Span(2, 2)) is not None
    # an import sharing its line with a statement is not an import line
    cell = "import numpy as np; df = df[df['a'] > 0]\ntotal = df['b'].sum()"
    assert refusal(cell, "total = df['B'].sum()", Span(2, 2)) is not None
    # a multi-line import may go whole
    cell = "from math import (\n    sqrt,\n    pi,\n)\nside = sqrt(-4)\nprint(side)"
    assert refusal(cell, "import cmath\nside = cmath.sqrt(-4)\nprint(side)", Span(5, 5)) is None
    # a name an import gave the cell its data under may not be given literal data instead
    cell = "from shop_data import sales\nimport pandas as pd\nrevenue = (sales['units'] * sales['price']).sum()\nprint(revenue)"
    fixed = "sales = pd.DataFrame({'units': [1, 2], 'price': [3.0, 4.0]})\nimport pandas as pd\nrevenue = (sales['units'] * sales['price']).sum()\nprint(revenue)"
    why = refusal(cell, fixed, Span(3, 3), frozenset({"sales", "pd"}))
    assert why is not None and "`sales`" in why, why


@pytest.mark.parametrize("fixed", [
    "getattr(stock['n'], 'fillna')(0).astype(int)",
    "pd.to_numeric(stock['n'], **{'errors': 'ignore'})",
    "stock['n'].str.encode('ascii', 'ignore').astype(int)",
    "pd.read_csv(io.StringIO(raw), encoding_errors='replace')['n']",
])
def test_escapes_through_the_data_written_another_way_are_refused(fixed: str) -> None:
    why = refusal(_STOCK, _STOCK.replace("stock['n'].astype(int)", fixed), Span(3, 3))
    assert why is not None and ("fills in" in why or "skips" in why), why


@pytest.mark.parametrize("fixed", [
    "np.pad(stock['n'].astype(float).to_numpy(), (0, 1)).astype(int)",  # np.pad widens an array: no fill of data
    "stock['n'].str.pad(2).astype(int)",
    "stock.drop(columns=['extra'], errors='ignore')['n'].astype('Int64')",  # a label that is not there loses no data
])
def test_steps_that_only_share_a_name_are_not_escapes(fixed: str) -> None:
    assert refusal(_STOCK, _STOCK.replace("stock['n'].astype(int)", fixed), Span(3, 3)) is None


def test_a_cell_that_does_not_parse_keeps_its_own_fill() -> None:
    cell = "import pandas as pd\ns = pd.Series([1.0, None]).fillna(0)\nprint(s.sum()"
    assert refusal(cell, cell + ")", Span(3, 3)) is None
    assert refusal(cell, cell.replace(".fillna(0)", "").replace("s.sum()", "s.dropna().sum()") + ")", Span(3, 3)) is not None


# -- filters that leave out the items that raised; constants written over the data ----------------------

_PARSE = "import re\nlabels = ['2 kg', '3kg']\nkilos = [int(re.match(r'(\\d+)kg', s).group(1)) for s in labels]\nprint(sum(kilos))"


_LOOP = "import re\nlabels = ['2 kg', '3kg']\nkilos = []\nfor s in labels:\n    kilos.append(int(re.match(r'(\\d+)kg', s).group(1)))\nprint(sum(kilos))"


@pytest.mark.parametrize(("cell", "fixed", "line"), [
    (_PARSE, _PARSE.replace("for s in labels]", "for s in labels if re.match(r'(\\d+)kg', s)]"), 3),
    (_LOOP, _LOOP.replace("    kilos.append", "    if not re.match(r'(\\d+)kg', s):\n        continue\n    kilos.append"), 5),
])
def test_a_new_filter_whose_items_are_named_is_left_to_the_run_to_judge(cell: str, fixed: str, line: int) -> None:
    # What it leaves out decides (tests/test_skips.py: real data refused, blank lines and None not); the
    # text alone cannot tell a blank line from a line the pattern missed.
    assert refusal(cell, fixed, Span(line, line)) is None


def test_a_new_continue_in_a_while_loop_is_still_refused_by_its_text() -> None:
    cell = "i = 0\nxs = [1, 0, 2]\nout = []\nwhile i < len(xs):\n    i += 1\n    out.append(1 / xs[i - 1])\nprint(out)"
    fixed = cell.replace("    out.append", "    if xs[i - 1] == 0:\n        continue\n    out.append")
    why = refusal(cell, fixed, Span(6, 6))
    assert why is not None and why.startswith("it leaves out items of the data (`continue`)") and "computes something else" in why, why


def test_a_filter_the_cell_already_had_may_stay_and_a_repair_inside_it_passes() -> None:
    cell = "rows = ['1', 'x', '3']\nnums = [n + 1 for n in rows if n.isdigit()]\nprint(nums)"
    assert refusal(cell, cell.replace("n + 1", "int(n) + 1"), Span(2, 2)) is None
    assert refusal(_PARSE, _PARSE.replace(r"re.match(r'(\d+)kg', s)", r"re.search(r'(\d+)\s*kg', s)"), Span(3, 3)) is None


def _holds(data: dict) -> Any:
    def holds(name: str, key: object) -> bool:
        value = data.get(name)
        return key in (value.columns if hasattr(value, "columns") else value) if value is not None else False
    return holds


def test_a_constant_over_a_column_the_data_has_is_edited_data_a_new_one_is_not() -> None:
    import pandas as pd

    data = {"items": pd.DataFrame({"price": [2.0, 3.0], "qty": [1, 2]}), "conf": {"rate": 0.2}}
    cell = "items['total'] = items['price'] * items['qty'] * (1 - conf['rat'])\nprint(items['total'].sum())"
    known = frozenset(data)
    over = "items['price'] = 1.0\n" + cell.replace("'rat'", "'rate'")
    why = refusal(cell, over, Span(1, 1), known, (), _holds(data))
    assert why is not None and "`items['price']`" in why and "earlier cells" in why, why
    key = "conf['rate'] = 0.5\n" + cell.replace("'rat'", "'rate'")
    assert "`conf['rate']`" in (refusal(cell, key, Span(1, 1), known, (), _holds(data)) or "")
    new_column = "items['discount'] = 0.0\n" + cell.replace("'rat'", "'rate'")
    assert refusal(cell, new_column, Span(1, 1), known, (), _holds(data)) is None
    assert refusal(cell, over, Span(1, 1), known) is None, "without the kernel's data nothing is read"

    def broken(name: str, key: object) -> bool:
        raise RuntimeError("a hostile __contains__")

    assert refusal(cell, over, Span(1, 1), known, (), broken) is None, "a holder that raises is no finding"


# -- a compound statement that fails at its header; a line rewritten for the same target; loop targets -------

_PLAYLIST = '''from dataclasses import dataclass, field
@dataclass
class Playlist:
    name: str
    songs: list = []

    def add(self, title):
        self.songs.append(title)

road = Playlist("road trip"); road.add("Highway Star")
print(road.songs)'''

_STOCK_LOOP = "for fruit, count in stock.items():\n    if count == 0:\n        del stock[fruit]\nprint(stock)"


def test_a_class_its_decorator_refused_is_repaired_in_its_body() -> None:
    span = statement_span(_PLAYLIST, 2)  # dataclass raises at the decorator: the header is the failing statement
    fixed = _PLAYLIST.replace("songs: list = []", "songs: list = field(default_factory=list)")
    assert refusal(_PLAYLIST, fixed, span) is None
    # the lines after the class still run as written, and a body line may not simply go
    assert "changes the line after the error" in (refusal(_PLAYLIST, fixed.replace('add("Highway Star")', 'add("x")'), span) or "")
    assert "removes the line `songs: list = []`" in (refusal(_PLAYLIST, _PLAYLIST.replace("    songs: list = []\n", ""), span) or "")


def test_a_loop_may_walk_the_data_another_way() -> None:
    span = statement_span(_STOCK_LOOP, 1)
    fixed = "keys = list(stock)\nfor fruit in keys:\n    if stock[fruit] == 0:\n        del stock[fruit]\nprint(stock)"
    assert refusal(_STOCK_LOOP, fixed, span) is None  # `count` was only the loop's target
    assert refusal(_STOCK_LOOP, _STOCK_LOOP.replace("stock.items()", "list(stock.items())"), span) is None
    assert "removes the line" in (refusal(_STOCK_LOOP, "print(stock)", span) or "")  # not the loop itself
    assert "changes the line after the error `print(stock)`" in (refusal(_STOCK_LOOP, fixed.replace("print(stock)", "print(len(stock))"), span) or "")
    # a name the cell also assigns outside the loop is a result: it must still be set
    cell = "count = 0\n" + _STOCK_LOOP
    assert "no longer sets `count`" in (refusal(cell, "keys = list(stock)\n" + fixed.split("\n", 1)[1], statement_span(cell, 2)) or "")


@settings(max_examples=100, deadline=None)
@given(lines=st.lists(_line, min_size=2, max_size=6, unique_by=lambda s: s.split(" = ")[0]), data=st.data())
def test_a_line_before_the_error_rewritten_for_its_own_target_is_not_a_deletion(lines: list[str], data: st.DataObject) -> None:
    at = data.draw(st.integers(0, len(lines) - 2))  # the rewritten line; the failing one is the last
    target = lines[at].split(" = ")[0]
    rewritten = f"{target} = some_function({', '.join(chr(97 + i) for i in range(data.draw(st.integers(0, 6))))}, scale=10.0)"
    cell = "\n".join(lines)
    fixed = "\n".join(lines[:at] + [rewritten] + lines[at + 1 :])
    span = Span(len(lines), len(lines))
    assert "removes the line" not in (refusal(cell, fixed, span) or "")
    gone = "\n".join(lines[:at] + lines[at + 1 :])
    assert refusal(cell, gone, span) is not None  # deleted, it is a deletion (or a name no longer set)
