"""Data a candidate makes up in place of the kernel's (llama_nb/answer/madeup.py) is taken out before the
candidate is judged: the fix that follows ``# Sample data`` or a read of a file that is not there is run on
the user's own data, and shown without them; data recomputed from the data, a file that exists, or the
cell's own names are kept as written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from llama_nb.answer import madeup
from llama_nb.answer import verify as V


def state(setup: str, cell: str) -> tuple[dict[str, Any], BaseException]:
    ns: dict[str, Any] = {"__name__": "__main__"}
    exec(setup, ns)
    with pytest.raises(Exception) as raised:
        exec(compile(cell, "<cell>", "exec"), ns)
    return ns, raised.value


STAFF = 'import pandas as pd\nstaff = pd.DataFrame({"name": ["a", "b", "c"], "age": [31, 45, 22], "city": ["Paris", "Rome", "Paris"]})\n'
CELL = 'senior = staff[staff["age"] > 30 & staff["city"] == "Paris"]\nprint(senior["name"].tolist())\n'
RIGHT = 'senior = staff[(staff["age"] > 30) & (staff["city"] == "Paris")]\nprint(senior["name"].tolist())'


def test_a_read_of_a_file_that_is_not_there_is_taken_out_and_the_fix_runs_on_the_users_data() -> None:
    ns, exc = state(STAFF, CELL)
    v = V.verify(f"import numpy as np\nstaff = pd.read_csv('staff.csv')  # your data file\n\n{RIGHT}", CELL, exc, ns, max_candidates=1, known_names=frozenset(ns))
    assert v.status == V.PASSED, v.detail
    assert v.code == f"import numpy as np\n\n{RIGHT}", "shown without the made-up line"
    assert "Paris" not in v.output or "['a']" in v.output


def test_sample_data_built_from_literals_is_taken_out_with_its_comment() -> None:
    ns, exc = state(STAFF, CELL)
    code = f'# Sample data\ndata = {{"name": ["x"], "age": [50], "city": ["Paris"]}}\nstaff = pd.DataFrame(data)\n\n# Corrected code\n{RIGHT}'
    v = V.verify(code, CELL, exc, ns, max_candidates=1, known_names=frozenset(ns))
    assert v.status == V.PASSED, v.detail
    assert v.code == f"# Corrected code\n{RIGHT}"
    assert "['a']" in v.output


def test_a_candidate_that_only_makes_up_data_is_refused_for_it_and_its_repeat_is_not_run_again() -> None:
    # Left with nothing once the made-up data is out, the candidate is judged as written (the model is told
    # why); a retry that differs only in the data it makes up is the same fix, not a new one.
    ns, exc = state(STAFF, CELL)
    made_up = 'staff = pd.DataFrame({"name": ["x"], "age": [50], "city": ["Paris"]})\n'
    wrong = 'senior = staff[staff["age"] > 31 & staff["city"] == "Paris"]\nprint(senior["name"].tolist())'
    replies = iter([made_up + CELL, 'staff = pd.DataFrame({"name": ["y"], "age": [60], "city": ["Rome"]})\n' + wrong])
    v = V.verify(made_up.replace("50", "40") + wrong, CELL, exc, ns, more=lambda tried, n: next(replies), max_candidates=4, known_names=frozenset(ns))
    assert [t.asked for t in v.tried] == ["first", "retry"] and v.ended == "repeated", v.tried
    assert v.tried[1].detail == "not a repair: it replaces the data in `staff` from earlier cells with new literal values"


def test_what_is_computed_from_the_data_or_is_the_cells_own_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ns, _ = state(STAFF, CELL)
    is_data = V._data_in(ns)
    kept = [
        'staff = staff.astype({"age": int})\n' + RIGHT,  # recomputed from the data
        'senior = pd.DataFrame({"name": []})\n' + RIGHT,  # the cell's own name
        "ages = [1, 2]\n" + RIGHT,  # a new name no made-up line reads
    ]
    for code in kept:
        assert madeup.without(code, CELL, is_data) == code, code
    monkeypatch.chdir(tmp_path)
    (tmp_path / "staff.csv").write_text("name,age,city\n")
    code = "staff = pd.read_csv('staff.csv')\n" + RIGHT
    assert madeup.without(code, CELL, is_data) == code, "a file that exists is the user's own"
    only = "staff = pd.DataFrame({'a': [1]})"
    assert madeup.without(only, CELL, is_data) == only, "nothing would be left: kept (and refused as it stands)"


@given(st.text(max_size=200))
@settings(max_examples=200, deadline=None)
def test_any_text_comes_back_as_itself_or_a_subset_of_its_lines(code: str) -> None:
    out = madeup.without(code, "x = y\n", lambda name: name in {"y", "df"})
    assert out == code or set(out.splitlines()) <= set(code.splitlines())
