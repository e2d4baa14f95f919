"""Every explain-quality case of bench/quality_cases.py really raises what it says, and its rubric is
well formed: a case that stopped raising (a pandas release fixed it) would be scored as invalid at bench
time; here it fails in seconds, without a model."""

from __future__ import annotations

import re

import pytest

from bench.quality import SETS
from bench.quality_cases import Case

ALL: tuple[Case, ...] = SETS["all"]


def test_case_ids_are_unique_and_every_set_is_in_all() -> None:
    ids = [c.id for c in ALL]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    named = [c for name, cases in SETS.items() if name != "all" for c in cases]
    assert sorted(c.id for c in named) == sorted(ids)


@pytest.mark.parametrize("case", ALL, ids=[c.id for c in ALL])
def test_case_raises_what_it_says(case: Case, tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # a cell that reads or writes a file does it in a fresh folder
    namespace: dict[str, object] = {"__name__": "__bench_case__"}
    with pytest.raises(Exception) as info:
        exec(compile(case.cell, f"<cell {case.id}>", "exec"), namespace)  # noqa: S102 - the bench's own cells
    names = [k.__name__ for k in type(info.value).__mro__]
    assert case.raises in names, f"{case.id}: expected {case.raises}, the cell raised {names[0]}: {info.value}"


@pytest.mark.parametrize("case", ALL, ids=[c.id for c in ALL])
def test_rubric_patterns_compile(case: Case) -> None:
    assert case.cause and case.fix, f"{case.id}: a rubric needs a cause and a fix pattern"
    for pattern in (*case.cause, *case.fix):
        re.compile(pattern)
