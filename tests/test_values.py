"""Values at the failing line (llama_nb/answer/values.py): real exceptions in a real IPython shell
give the explain prompt short facts about the data, bounded, without running user code."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kernel_fixtures import ipshell, llama_env  # noqa: F401
from llama_nb.answer import prompts
from llama_nb.kernel import errorbar
from llama_nb.answer.values import MAX_LINE, MAX_NAMES, columns_on, describe, names_on


def explain_prompt(ipshell: Any) -> str:
    error = ipshell.session.history.most_recent_error()
    assert error is not None
    return prompts.explain_error(error.traceback_text, error.cell, error.values)[-1]["content"]


def test_dict_keys_none_and_dataframe_columns_reach_the_explain_prompt(ipshell: Any) -> None:
    assert not ipshell.run('person = {"name": "Ann", "age": 31}\nprint(person["Age"])').result.success
    text = explain_prompt(ipshell)
    assert "Values at the failing line:" in text
    assert "person: dict (len 2), keys ['name', 'age']" in text

    ipshell.run("items = [3, 1, 2]\nitems = items.sort()\nprint(items[0])")
    assert "items: None" in explain_prompt(ipshell)

    ipshell.run('import pandas as pd\nleft = pd.DataFrame({"id": [1, 2], "x": [3, 4]})\nright = pd.DataFrame({"ID": [1, 2], "y": [5, 6]})\nmerged = pd.merge(left, right, on="id")')
    values = ipshell.session.history.most_recent_error().values
    assert any(v.startswith("left: DataFrame 2x2, columns ['id', 'x']") for v in values), values
    assert any(v.startswith("right: DataFrame 2x2, columns ['ID', 'y']") for v in values), values
    assert not any(v.startswith(("pd:", "on:")) for v in values)  # a module and a keyword argument say nothing

    ipshell.run("import numpy as np\na = np.ones((2, 3))\nc = a @ a")
    assert ipshell.session.history.most_recent_error().values == ("a: numpy array, shape (2, 3), dtype float64",)


def test_values_come_from_the_deepest_frame_of_the_cell(ipshell: Any) -> None:
    ipshell.run("def area(width, height):\n    return width * height[0]\n\narea(3, None)")
    values = ipshell.session.history.most_recent_error().values
    assert values == ("width: int 3", "height: None"), values  # the function's locals, not the cell's globals


def test_bounded_and_never_calls_user_code(ipshell: Any) -> None:
    calls = []
    ipshell.ip.user_ns["calls"] = calls
    cell = (
        "import time\n"
        "class Evil:\n"
        "    def __repr__(self):\n        calls.append('repr'); time.sleep(5); raise RuntimeError('repr')\n"
        "    __str__ = __repr__\n"
        "    def __len__(self):\n        calls.append('len'); return 1\n"
        "    def __eq__(self, other):\n        calls.append('eq'); return False\n"
        "    def __hash__(self):\n        calls.append('hash'); return 1\n"
        "class EvilDict(dict):\n"
        "    def __repr__(self):\n        calls.append('dict repr'); return 'x'\n"
        "    def keys(self):\n        calls.append('keys'); return []\n"
        "    def __len__(self):\n        calls.append('dict len'); return 0\n"
        "e = Evil()\nd = EvilDict(a=1)\nlong = 'x' * 10000\nbig = list(range(10**5))\n"
        + "".join(f"v{i} = {i}\n" for i in range(20))
        + "r = (e, d, long, big, "
        + ", ".join(f"v{i}" for i in range(20))
        + ", 1/0)"
    )
    t0 = time.monotonic()
    assert not ipshell.run(cell).result.success
    assert time.monotonic() - t0 < 3
    values = ipshell.session.history.most_recent_error().values
    assert calls == []
    assert values[:2] == ("e: Evil object", "d: EvilDict (len 1), keys ['a']"), values  # type name, dict.keys
    assert values[2].startswith("long: str (len 10000) 'xxxx") and values[2].endswith("…") and len(values[2]) < 90
    assert values[3] == "big: list (len 100000): [0, 1, 2, 3, 4, 5, 6, 7, …]"
    assert len(values) == MAX_NAMES and all(len(v) <= MAX_LINE for v in values)
    prompt = explain_prompt(ipshell)
    assert calls == [] and len(prompt) < 3000


@pytest.fixture
def values_setting_restored(ipshell: Any) -> Any:
    yield ipshell
    ipshell.run("%config LlamaNB.explain_values = True")  # %config outlives %unload_ext in this shell


def test_the_setting_turns_it_off(values_setting_restored: Any) -> None:
    ipshell = values_setting_restored
    ipshell.run("%config LlamaNB.explain_values = False")
    ipshell.run('person = {"name": "Ann"}\nprint(person["Age"])')
    assert ipshell.session.history.most_recent_error().values == ()
    assert "Values at the failing line" not in explain_prompt(ipshell)


def test_the_explain_button_gets_the_same_values(values_setting_restored: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    ipshell = values_setting_restored
    # STAND-IN: a terminal shell has no widgets frontend; pretend it has one and do not display the bar.
    monkeypatch.setattr(errorbar, "widgets_frontend", lambda shell: True)
    monkeypatch.setattr(errorbar.ErrorBar, "show", lambda self: None)
    ipshell.run('counts = {}\nfor word in ["a", "b"]:\n    counts[word] += 1')
    bar = ipshell.session.error_buttons.bars[-1]
    assert bar.error.values == ("counts: dict (empty)", "word: str 'a'")
    assert bar.error.hints and "counts.get(word, 0) + 1" in bar.error.hints[-1]
    assert bar.request("explain").messages == prompts.explain_error(bar.error.traceback_text, bar.error.cell, bar.error.values, bar.error.hints)
    # With hints the prompt says what the values mean instead of listing them (prompts.error_question).
    explain = bar.request("explain").messages[-1]["content"]
    assert "counts.get(word, 0) + 1" in explain and "Values at the failing line" not in explain
    assert "A corrected line: `counts[word] = counts.get(word, 0) + 1`" in bar.request("fix").messages[-1]["content"]
    ipshell.run("%config LlamaNB.explain_values = False")
    ipshell.run('counts = {}\ncounts["a"] += 1')
    assert ipshell.session.error_buttons.bars[-1].error.values == ()


def test_names_on_a_line() -> None:
    assert names_on('merged = pd.merge(left, right, on="id")') == ["pd", "left", "right"]
    assert names_on("for i in len(xs):") == ["len", "xs"]
    assert names_on("counts[word] += 1") == ["counts", "word"]
    assert names_on("if (x") == ["x"]  # an unfinished line still gives its names
    assert describe(None) == "None" and describe({}) == "dict (empty)" and describe(Path) == "class Path"


@pytest.mark.parametrize("blank", [" ", "\t", " \t\f"])
def test_names_on_is_fast_on_whitespace_before_characters_python_cannot_read(blank: str) -> None:
    # tokenize goes back over a whole run of whitespace before each character it cannot read: 4,000 tabs before
    # a '€' took 4 s in failing_values, on the explain path of the user's cell
    line = "x = total +" + blank * 4000 + "€" + (blank * 50 + "€") * 200
    started = time.perf_counter()
    found = names_on(line)
    took = time.perf_counter() - started
    assert took < 0.5, f"names_on took {took:.2f} s on {len(line):,} characters"
    assert found == names_on("x = total + € " + "€ " * 200) == ["total"]


def test_an_unassigned_local_is_told_apart_from_the_global_of_that_name(ipshell: Any) -> None:
    ipshell.run("count = 0\n\ndef increment():\n    count += 1\n\nincrement()")
    assert ipshell.session.history.most_recent_error().values == ("count: local variable of increment(), not assigned yet (the global count is not used)",)


def test_a_series_shows_its_first_values_and_a_column_on_the_failing_line_is_shown_as_one(ipshell: Any) -> None:
    # What the data looks like is often the cause ('$1,200' will not become a float); the kernel can show it.
    ipshell.run("import pandas as pd\nsales = pd.DataFrame({'price': ['$1,200', '$950', None, '$3', '4', 'x'], 'qty': [1, 2, 3, 4, 5, 6]})")
    assert not ipshell.run("total = (sales['price'].astype(float) * sales.qty).sum()").result.success
    values = ipshell.session.history.most_recent_error().values
    assert values[0].startswith("sales: DataFrame 6x2, columns ['price', 'qty']"), values
    missing = "nan" if str(ipshell.ip.user_ns["sales"]["price"].dtype) == "str" else "None"  # pandas 3 holds it as NaN
    assert any(v.startswith("sales['price']: Series len 6") and v.endswith(f": ['$1,200', '$950', {missing}, '$3', '4', …]") for v in values), values
    assert "sales['qty']: Series len 6, dtype int64: [1, 2, 3, 4, 5, …]" in values, values
    assert "Values at the failing line:" in explain_prompt(ipshell) and "'$1,200'" in explain_prompt(ipshell)
    ipshell.run("prices = sales['price']")
    assert not ipshell.run("prices.astype(float)").result.success
    dtype = ipshell.ip.user_ns["sales"]["price"].dtype
    assert ipshell.session.history.most_recent_error().values == (f"prices: Series len 6, dtype {dtype}, name 'price': ['$1,200', '$950', {missing}, '$3', '4', …]",)
    # Dates keep their time zone (pandas' own text), an attribute that is not a column and a name that is not a
    # literal are not read as columns.
    ipshell.run("events = pd.DataFrame({'at': pd.to_datetime(['2024-01-05 10:00'], utc=True)})\ncol = 'at'")
    assert not ipshell.run("late = events[col] > pd.Timestamp('2024-01-05') or events.shape.x").result.success
    values = ipshell.session.history.most_recent_error().values
    assert not any(v.startswith("events[") for v in values), values
    assert not ipshell.run("late = events['at'] > pd.Timestamp('2024-01-05')").result.success
    values = ipshell.session.history.most_recent_error().values
    assert any(v.startswith("events['at']: Series len 1, dtype datetime64") and "2024-01-05 10:00:00+00:00" in v for v in values), values


def test_a_column_of_user_objects_is_shown_by_type_name_and_their_code_never_runs(ipshell: Any) -> None:
    calls: list[str] = []
    ipshell.ip.user_ns["calls"] = calls
    cell = (
        "import pandas as pd\n"
        "class Evil:\n"
        "    def __repr__(self):\n        calls.append('repr'); return 'evil'\n"
        "    __str__ = __repr__\n"
        "    def __float__(self):\n        calls.append('float'); raise TypeError('no')\n"
        "frame = pd.DataFrame({'thing': [Evil(), Evil()]})\n"
    )
    ipshell.run(cell)
    calls.clear()
    assert not ipshell.run("frame['thing'].sum() + frame['thing'] / 0").result.success
    values = ipshell.session.history.most_recent_error().values
    assert calls == [], calls
    assert "frame['thing']: Series len 2, dtype object: [Evil, Evil]" in values, values


@given(st.text(max_size=120), st.sampled_from(["df", "sales", "x"]))
@settings(max_examples=300, deadline=None)
def test_columns_on_never_raises_and_names_only_columns_the_frame_has(line: str, name: str) -> None:
    import pandas as pd

    frame = pd.DataFrame({"price": [1], 2: [3], "qty": [4]})
    found = columns_on(line, name, frame)
    assert all(c in ("price", 2, "qty") for c in found) and len(found) == len(set(found))
    assert columns_on(f"{name}['price'] + {name}.qty + {name}[2] + {name}['nope'] + {name}.shape", name, frame) == ["price", "qty", 2]


# -- the signatures of library callables on the failing line ----------------------------------------------


def test_a_library_call_on_the_failing_line_is_shown_by_its_signature(ipshell: Any) -> None:
    assert not ipshell.run("import numpy as np\nn = 3\ngrid = np.zeros(n, n)\nprint(grid.shape)").result.success
    values = ipshell.session.history.most_recent_error().values
    assert values == ("n: int 3", "np.zeros: signature (shape, dtype=None, order='C', *, device, like)"), values
    assert "np.zeros: signature (shape, dtype=None" in explain_prompt(ipshell)
    ipshell.run('import pandas as pd\nsales = pd.DataFrame({"d": [1, 1], "s": [2, 3], "v": [4, 5]})\ntable = sales.pivot(index="d", columns="s", values="v", aggfunc="sum")')
    values = ipshell.session.history.most_recent_error().values
    assert values[-1] == "sales.pivot: signature (*, columns, index, values)", values  # a method, by its class


def test_no_signature_of_a_users_code_and_no_user_code_run_to_find_one(ipshell: Any) -> None:
    calls: list[str] = []
    ipshell.ip.user_ns["calls"] = calls
    cell = (
        "import pandas as pd\n"
        "class Meta(type):\n"
        "    def __getattr__(cls, name):\n        calls.append('meta getattr'); raise AttributeError(name)\n"
        "class Frame(pd.DataFrame):\n"
        "    @property\n    def pivot(self):\n        calls.append('property'); return print\n"
        "class Tool(metaclass=Meta):\n"
        "    def __getattr__(self, name):\n        calls.append('getattr'); return print\n"
        "    def run(self, a, b):\n        calls.append('run')\n"
        "def helper(x, y):\n    return x / y\n"
        "f, t = Frame({'a': [1]}), Tool()\n"
        "r = (f.pivot(1), t.run(1), t.other(2), Tool.missing(1), helper(1, 0))"
    )
    assert not ipshell.run(cell).result.success
    values = ipshell.session.history.most_recent_error().values
    assert not any("signature" in v for v in values), values
    assert calls == ["property"]  # the cell's own call ran it; finding the values did not run it again


_DOTTED = st.lists(st.sampled_from(["pd", "np", "df", "json", "os", "x", "concat", "zeros", "read_csv", "pivot", "loads", "path", "join", "str"]), min_size=1, max_size=4).map(".".join)


@settings(max_examples=200, deadline=None)
@given(calls=st.lists(_DOTTED, min_size=1, max_size=5), junk=st.text(max_size=20))
def test_signatures_are_bounded_for_any_line(calls: list[str], junk: str) -> None:
    import json
    import os

    import numpy as np
    import pandas as pd

    from llama_nb.answer.values import MAX_SIGNATURES, library_signatures

    class Frame:
        f_locals: dict[str, Any] = {}
        f_globals = {"pd": pd, "np": np, "json": json, "os": os, "df": pd.DataFrame({"a": [1]}), "x": object()}

    line = " + ".join(f"{c}({junk!r})" for c in calls)
    found = library_signatures(line, Frame())
    assert len(found) <= MAX_SIGNATURES and all(len(v) <= MAX_LINE and ": signature (" in v for v in found)
    assert all(v.split(":")[0] in calls for v in found)


def test_a_proxy_or_a_forged_library_class_is_never_asked_anything(ipshell: Any) -> None:
    calls: list[str] = []
    ipshell.ip.user_ns["calls"] = calls
    cell = (
        "import types, sys\n"
        "class Lazy:\n"
        "    @property\n    def __class__(self):\n        calls.append('__class__'); return dict\n"
        "    def __getattribute__(self, name):\n        calls.append('getattribute ' + name); return object.__getattribute__(self, name)\n"
        "class Forged:\n    __module__ = 'pandas'\n    def go(self, a, b):\n        pass\n"
        "fake = types.ModuleType('random')  # named like the standard library's, not the one imported\n"
        "fake.shuffle = lambda secret_param=1: None\n"
        "lazy, forged = Lazy(), Forged()\n"
        "r = (fake.shuffle(1, 2), lazy.go(1), forged.go())  # the TypeError comes first: the cell never touches lazy"
    )
    assert not ipshell.run(cell).result.success
    values = ipshell.session.history.most_recent_error().values
    assert calls == [], calls
    assert not any("signature" in v for v in values), values
