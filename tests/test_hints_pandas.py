"""Hints on pandas messages (answer/knowledge/pandas*.py), on cells that are not the benchmark's.

These cells use other names, values and shapes than the benchmark's held-out sets (heldout8, heldout9), to show the
rule reads this cell rather than knowing the benchmark's. Each positive case is paired with a near miss where the rule
must stay silent (its message alone is not enough), and the corrected lines and blocks are run to show they no longer
raise.
"""

from __future__ import annotations

from typing import Any

import pytest

from hint_fixtures import assert_corrected_line_runs, assert_no_hint_saying, assert_runs, corrected_block, hints_of
from hint_fixtures import shell  # noqa: F401 - shell is a fixture
from llama_nb.answer.knowledge import MAX_LINE


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cell globs the working directory (and its hint names it): a folder of its own, never the repository."""
    monkeypatch.chdir(tmp_path)


@pytest.mark.parametrize(("cell", "expected"), [
    ('import pandas as pd\ns = pd.Series([1.0, None])\ns = s.fillna(method="bfill")', ["removed in pandas 3", "`s = s.bfill()`"]),
    ('import pandas as pd\npd.cut(pd.Series([1, 9]), bins=[0, 5, 10], labels=["lo", "mid", "hi"])',
     ["3 bin edges make 2 bins", "1 label too many", "labels=['lo', 'mid']"]),
    ('import pandas as pd\nedges = [0, 1, 2, 3]\npd.cut(pd.Series([1]), bins=edges, labels=["a"])', ["4 bin edges make 3 bins", "2 labels too few"]),
    ('import pandas as pd\nt = pd.DataFrame({"k": ["a", "b"], "v": [1, 2]})\nx = int(t[t["k"] == "b"]["v"])',
     ["`int()` needs one value", ".iloc[0]", '`x = t[t["k"] == "b"]["v"].iloc[0]`']),
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
])
def test_a_pandas_error_gets_its_concrete_hint(shell: Any, cell: str, expected: list[str]) -> None:
    hints = hints_of(shell, cell)
    text = " ".join(hints)
    for part in expected:
        assert part in text, f"{part!r} not in the hint for:\n{cell}\n{text}"
    assert all(len(h) <= MAX_LINE for h in hints)


@pytest.mark.parametrize(("cell", "absent"), [
    ('import pandas as pd\ns = pd.Series([1.0, 2.0])\nfloat(s.sum)', ".iloc[0]"),
])
def test_a_near_miss_gets_no_hint(shell: Any, cell: str, absent: str) -> None:
    text = " ".join(hints_of(shell, cell))
    assert absent not in text, f"{absent!r} should not be in the hint for:\n{cell}\n{text}"


@pytest.mark.parametrize(("cell", "absent"), [
    ('import pandas as pd\nt = pd.DataFrame({"a": [1]})\nt.unique()', "double brackets"),  # no [[...]]
    ('import pandas as pd\npd.to_datetime(pd.Series(["02/30/2023"]), format="%m/%d/%Y")', "day-first"),  # a bad day, not a swap
    ('import pandas as pd\npd.DataFrame(5)', "is a string"),  # not text
])
def test_a_near_miss_gets_no_hint_where_it_raises(shell: Any, cell: str, absent: str) -> None:
    assert_no_hint_saying(shell, cell, absent)


@pytest.mark.parametrize(("cell", "fixed_marker"), [
    ('import pandas as pd\nt = pd.DataFrame({"k": ["a", "b"], "v": [1, 2]})\nx = int(t[t["k"] == "b"]["v"])', "x"),
    ('import pandas as pd\nt = pd.DataFrame({"tag": ["x", "y"]})\nvals = t[["tag"]].tolist()', "vals"),
    ('import pandas as pd\ns = pd.Series(["05-02-2023", "25-02-2023"])\nd = pd.to_datetime(s)', "d"),
    ('import pandas as pd\nsize = pd.Series(["s", "m", None], dtype="category")\nfull = size.fillna("xl")', "full"),
])
def test_the_corrected_line_runs(shell: Any, cell: str, fixed_marker: str) -> None:
    """The corrected line replaces the failing one (or, for a template, the line that made it) and the cell runs."""
    assert_corrected_line_runs(shell, cell, fixed_marker)


def test_the_corrected_json_block_runs(shell: Any) -> None:
    """The multi-line repair of a DataFrame made of JSON text: the JSON parsed first."""
    json_cell = 'import pandas as pd\ntext = \'[{"a": 1}]\'\nframe = pd.DataFrame(text)'
    assert_runs(shell, json_cell.rsplit("\n", 1)[0] + "\n" + corrected_block(hints_of(shell, json_cell)))


# A rule never offers, as the repair, a step that loses or invents data: which aggregation combines duplicate
# pairs is the cell's choice; a real value written another way is not turned into NaT or NaN; NaN is not
# filled with a number. (Markers of a missing value may still be read as missing.)
@pytest.mark.parametrize(("cell", "absent"), [
    ('import pandas as pd\nw = pd.DataFrame({"site": ["n", "n", "s"], "yr": [1, 1, 2], "kg": [3, 4, 5]})\n'
     'w.pivot(index="site", columns="yr", values="kg")', 'aggfunc="mean"'),
    ('import pandas as pd\nw = pd.DataFrame({"site": ["n", "n", "s"], "yr": [1, 1, 2], "kg": [3, 4, 5]})\n'
     'w.pivot(index="site", columns="yr", values="kg")', "A corrected line"),
    ('import pandas as pd\nlog = pd.Series(["2021-03-04", "04.03.2021"])\nwhen = pd.to_datetime(log, format="%Y-%m-%d")', "errors='coerce')`, then"),
    ('import pandas as pd\nlog = pd.Series(["2021-03-04", "04.03.2021"])\nwhen = pd.to_datetime(log, format="%Y-%m-%d")', 'errors="coerce"'),
    ('import pandas as pd\nqty = pd.Series(["3", "seven"])\nn = pd.to_numeric(qty)', "to turn such values into NaN"),
    ('import pandas as pd\nqty = pd.Series(["3", "seven"])\nn = pd.to_numeric(qty)', 'errors="coerce"'),
    ('import pandas as pd\nimport numpy as np\nc = pd.Series([2.0, np.nan])\nc = c.astype(int)', "fillna(0)"),
])
def test_no_rule_offers_a_repair_that_loses_or_invents_data(shell: Any, cell: str, absent: str) -> None:
    assert_no_hint_saying(shell, cell, absent)


def test_a_real_date_in_another_format_is_not_sent_to_nat(shell: Any) -> None:
    hints = hints_of(shell, 'import pandas as pd\nlog = pd.Series(["2021-03-04", "04.03.2021"])\nwhen = pd.to_datetime(log, format="%Y-%m-%d")')
    assert any("'04.03.2021' is not written in the format '%Y-%m-%d'" in h and "would lose such dates" in h for h in hints), hints


def test_a_missing_marker_may_still_be_read_as_missing(shell: Any) -> None:
    hints = hints_of(shell, 'import pandas as pd\nlog = pd.Series(["2021-03-04", "unknown"])\nwhen = pd.to_datetime(log, format="%Y-%m-%d")')
    assert any("marks a missing date" in h for h in hints) and any('errors="coerce"' in h for h in hints), hints
    hints = hints_of(shell, 'import pandas as pd\nqty = pd.Series(["3", "--"])\nn = pd.to_numeric(qty)')
    assert any("marks a missing value" in h for h in hints), hints
