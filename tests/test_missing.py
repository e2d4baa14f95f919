"""Missing values a fix brings in (llama_nb/answer/missing.py): a fix that makes the error go away by
turning the values that raised into NaN is not a pass, judged on the real sandbox by the data, while
missing values the data has (``"n/a"``), the cell writes (``np.nan``) or a join makes stay a pass."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llama_nb.answer import missing, sandbox
from llama_nb.answer import verify as V


def checked(setup: str, cell: str, fix: str) -> V.Verification:
    """The cell run on the setup's state (it must raise), then ``fix`` verified as the product does."""
    ns: dict[str, Any] = {"__name__": "__main__"}
    exec(setup, ns)
    with pytest.raises(Exception) as raised:
        exec(cell, dict(ns))
    return V.verify(fix, cell, raised.value, ns, known_names=frozenset(k for k in ns if not k.startswith("_")))


DATES = 'import pandas as pd\nevents = pd.DataFrame({"when": ["March 3rd, 2024", "April 1st, 2024", "May 2nd, 2024"]})\n'


def test_coercing_the_values_that_raised_to_nat_is_not_a_pass_and_says_how_many() -> None:
    v = checked(DATES, 'dates = pd.to_datetime(events["when"], format="%B %drd, %Y")\nprint(dates.dt.month.tolist())', 'dates = pd.to_datetime(events["when"], format="%B %drd, %Y", errors="coerce")')
    assert v.status == V.FAILED
    assert v.detail.startswith("ran with no error, but `dates` has 2 missing values that the data it is computed from does not have")
    assert v.tried[0].output  # it ran to its end: what it printed is kept


def test_a_repair_that_reads_every_value_passes() -> None:
    v = checked(
        DATES,
        'dates = pd.to_datetime(events["when"], format="%B %drd, %Y")\nprint(dates.dt.month.tolist())',
        'dates = pd.to_datetime(events["when"].str.replace(r"(\\d)(st|nd|rd|th)", r"\\1", regex=True), format="%B %d, %Y")',
    )
    assert v.status == V.PASSED, v.detail


def test_bins_that_leave_values_out_of_a_column_are_named_by_the_column() -> None:
    setup = 'import pandas as pd\npeople = pd.DataFrame({"age": [5, 30, 70]})\n'
    cell = 'people["group"] = pd.cut(people["age"], bins=[0, 18, 65, 120], labels=["child", "adult"])\nprint(people["group"].value_counts())'
    v = checked(setup, cell, 'people["group"] = pd.cut(people["age"], bins=[0, 18, 65], labels=["child", "adult"])')
    assert v.status == V.FAILED and "`people['group']` has 1 missing value that" in v.detail
    v = checked(setup, cell, 'people["group"] = pd.cut(people["age"], bins=[0, 18, 120], labels=["child", "adult"])')
    assert v.status == V.PASSED, v.detail


def test_a_dict_get_that_gives_none_for_the_values_that_raised_is_judged() -> None:
    setup = 'import pandas as pd\npeople = pd.DataFrame({"age": [5, 30, 70]})\nopts = {}\n'
    cell = 'people["group"] = pd.cut(people["age"], bins=[0, 18, 65, 120], labels=["child", "adult"])\nprint(people)'
    fix = 'people["group"] = pd.cut(people["age"], bins=[0, 18, 65], labels=["child", "adult"], right=opts.get("right", True))'
    assert checked(setup, cell, fix).status == V.FAILED  # a .get elsewhere on the line does not switch the check off


def test_padding_a_list_with_none_is_not_a_pass() -> None:
    setup = 'names = ["a", "b", "c"]\nprices = [1.0, 2.0]\n'
    cell = 'import pandas as pd\ntable = pd.DataFrame({"name": names, "price": prices})\nprint(table)'
    v = checked(setup, cell, "prices = prices + [None] * (len(names) - len(prices))")
    assert v.status == V.FAILED and "`prices` has 1 missing value" in v.detail


def test_missing_values_the_data_marks_the_cell_writes_or_a_join_makes_stay_a_pass() -> None:
    # "n/a" in the data is a missing value: coercing it is the repair.
    v = checked(
        'import pandas as pd\nraw = pd.DataFrame({"w": ["1.5", "n/a", "2"]})\n', 'raw["w"] = raw["w"].astype(float)\nprint(raw["w"].sum())', 'raw["w"] = pd.to_numeric(raw["w"], errors="coerce")'
    )
    assert v.status == V.PASSED, v.detail
    # The cell itself writes NaN into an int array: the fix makes room for them.
    v = checked("import numpy as np\nr = np.array([3, 4, 5, 6])\n", "r[[1, 2]] = np.nan\nprint(np.nanmean(r))", "r = r.astype(float)")
    assert v.status == V.PASSED, v.detail
    # A left join's rows without a match are missing by design.
    v = checked(
        'import pandas as pd\no = pd.DataFrame({"k": [1, 2, 3]})\nc = pd.DataFrame({"k": [1, 2], "s": ["a", "b"]})\n',
        'm = o.merge(c, on="key", how="left")\nprint(m)',
        'm = o.merge(c, on="k", how="left")',
    )
    assert v.status == V.PASSED, v.detail
    # Parsed text that says null: the None it gives is the data's.
    v = checked("import json\ntext = \"{'a': 1, 'b': None}\"\n", "cfg = json.loads(text)\nprint(cfg)", "import ast\ncfg = ast.literal_eval(text)")
    assert v.status == V.PASSED, v.detail


def test_changed_reads_only_the_statements_the_fix_changed() -> None:
    cell = 'a = df["x"].sum()\nb = pd.to_datetime(df["d"])\nprint(a, b)'
    fixed = 'a = df["x"].sum()\nb = pd.to_datetime(df["d"], errors="coerce")\nprint(a, b)'
    assert missing.changed(cell, fixed) == missing.Watch(targets=(("b", None),), reads=("pd", "df"))
    assert missing.changed(cell, cell) is None  # nothing changed: nothing to judge
    assert missing.changed(cell, 'df["y"], total = f(df), 3') == missing.Watch(targets=(("df", "y"), ("total", None)), reads=("f", "df"))
    assert missing.changed(cell, "b = df.shift(1)") is None  # an aligning step: its NaN may be meant
    assert missing.changed("x = None\n" + cell, fixed) is None  # the cell writes missing values itself
    assert missing.changed("x = (", fixed) is None  # a cell that does not parse


def test_the_childs_report_is_pairs_the_parent_words_from_its_own_targets() -> None:
    watch = missing.Watch(targets=(("dates", None), ("df", "a column name " * 20)), reads=())
    said = [[0, 3], [1, 1], [2, 5], [0, 0], [0, -1], "dates has 9 missing values", [True, 2], [0, 2.5], [0, 10**13]]
    assert missing.trusted(said, watch) == ("dates has 3 missing values", f"df[{'a column name ' * 20!r}] has 1 missing value")
    assert missing.trusted(said, None) == () and missing.trusted("dates has 3 missing values", watch) == ()


def test_a_long_column_name_is_still_found() -> None:
    # The child sends indexes, not sentences: a label longer than any bound on its words is not lost.
    column = "How satisfied were you with the checkout process on a scale from one to five " * 3
    setup = f"import pandas as pd\npeople = pd.DataFrame({{'age': [5, 30, 70]}})\ncol = {column!r}\n"
    cell = 'people[col] = pd.cut(people["age"], bins=[0, 18, 65, 120], labels=["c", "a"])\nprint(people)'
    v = checked(setup, cell, 'people[col] = pd.cut(people["age"], bins=[0, 18, 65], labels=["c", "a"])')
    assert v.status == V.PASSED  # a computed key is not a target we can name: not judged...
    setup = setup.replace("col = ", "unused = ")
    cell, fix = (c.replace("people[col]", f"people[{column!r}]") for c in (cell, 'people[col] = pd.cut(people["age"], bins=[0, 18, 65], labels=["c", "a"])'))
    v = checked(setup, cell, fix)
    assert v.status == V.FAILED and "has 1 missing value" in v.detail  # ...a literal one is, however long


class Spy:
    """A user's object that records any of its code being run."""

    calls: list[str] = []

    def __eq__(self, other: object) -> bool:
        Spy.calls.append("eq")
        return False

    def __hash__(self) -> int:
        Spy.calls.append("hash")
        return 0

    def __str__(self) -> str:
        Spy.calls.append("str")
        return "spy"

    def __float__(self) -> float:
        Spy.calls.append("float")
        return math.nan

    def __len__(self) -> int:
        Spy.calls.append("len")
        return 0


def test_counting_runs_no_code_of_the_users_objects_and_says_when_it_cannot_tell() -> None:
    Spy.calls = []
    values: list[Any] = [Spy(), [Spy()], {"a": Spy()}, pd.Series([Spy(), "n/a"], dtype=object), np.array([Spy(), None], dtype=object), pd.DataFrame({"x": [Spy()]})]
    counts = [missing.count(v, markers=True) for v in values]
    assert Spy.calls == []
    assert counts == [None] * 6  # a user's object is not data we can count: nothing is judged from it
    assert missing.count(list(range(missing.ITEM_LIMIT + 1))) is None  # too large: not counted
    assert missing.count([[0] * 1000] * 1000) is None  # nor when the items one level in are too many
    assert missing.count(pd.Series(["x"] * (missing.ITEM_LIMIT + 1)), markers=True) is None
    assert missing.count(np.zeros(missing.SCAN_LIMIT + 1)) is None
    assert missing.count(["x" * 1000] * 3000, markers=True) is None  # more text than is searched
    assert missing.count({"users": [{"age": None}]}, markers=True) is None  # deeper than one level
    assert missing.count(np.array([(1, 2.0)], dtype=[("a", int), ("b", float)])) is None  # a structured array


def test_what_is_counted() -> None:
    from decimal import Decimal

    assert missing.count(pd.Series(["n/a", "x", None, " NULL "], dtype=object), markers=True) == 3
    assert missing.count(pd.Series(["n/a", "x"], dtype="category"), markers=True) == 1  # a categorical's text too
    assert missing.count(pd.Series([1, None], dtype="Int64")) == 1
    assert missing.count([np.datetime64("NaT"), Decimal("NaN"), float("nan"), pd.NaT, 1, "a"]) == 4
    assert missing.count('{"a": null, "b": [None, 1]}', markers=True) == 2  # words in text that is parsed
    assert [missing.count(x) for x in (pd, len, print, Spy, checked)] == [0] * 5  # modules, functions, classes hold no data


finite = st.floats(allow_nan=False, allow_infinity=False, width=32)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=st.lists(finite, min_size=1, max_size=40), holes=st.sets(st.integers(0, 39)), kind=st.sampled_from(["list", "series", "array", "frame"]))
def test_count_is_exactly_the_missing_values_put_in(values: list[float], holes: set[int], kind: str) -> None:
    holes = {i for i in holes if i < len(values)}
    data: list[Any] = [None if i in holes else v for i, v in enumerate(values)]
    value: Any = {
        "list": data,
        "series": pd.Series([math.nan if x is None else x for x in data], dtype=float),
        "array": np.array([math.nan if x is None else x for x in data], dtype=float),
        "frame": pd.DataFrame({"a": [math.nan if x is None else x for x in data]}),
    }[kind]
    assert missing.count(value) == len(holes)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(values=st.lists(st.integers(1, 10_000), min_size=2, max_size=12), holes=st.sets(st.integers(0, 11), max_size=4))
def test_a_run_is_judged_by_what_its_changed_lines_left(values: list[int], holes: set[int]) -> None:
    """On the real sandbox: a changed line that turns ``holes`` into NaN is found with their exact count;
    one that keeps every value is not; and the kernel's namespace is never changed either way."""
    holes = {i for i in holes if i < len(values)}
    ns: dict[str, Any] = {"pd": pd, "xs": pd.Series(values), "drop": sorted(holes)}
    cell = "ys = xs.astype(str).astype(float)\nprint(ys.sum())"
    fixed = 'ys = xs.astype(float)\nys[ys.index.isin(drop)] = float("nan")\nprint(ys.sum())'
    watch = missing.changed(cell, fixed)
    outcome = sandbox.run(fixed, ns, changes=watch)
    assert outcome.status == sandbox.OK
    assert outcome.introduced == ((f"ys has {len(holes)} missing value{'s' if len(holes) != 1 else ''}",) if holes else ())
    assert ns["xs"].tolist() == values and "ys" not in ns
