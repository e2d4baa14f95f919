"""bench/report.py renders a committed full-run result as the Markdown table of docs/benchmarks.md."""

from __future__ import annotations

import json
from pathlib import Path

from bench import report

RESULT = Path(__file__).resolve().parent.parent / "bench" / "results" / "full-2026-11-22-pm.json"


def test_every_bar_is_one_row_with_its_verdict_and_pipes_escaped() -> None:
    data = json.loads(RESULT.read_text())
    lines = report.table(data).splitlines()
    assert len(lines) == 2 + len(data["bars"])
    for bar, line in zip(data["bars"], lines[2:]):
        assert line.startswith(f"| {bar['id']} |") and line.count(" | ") - line.count("\\|") >= 5
        verdict = line.rsplit("|", 2)[1].strip()
        assert verdict == ("—" if bar["target"] == "reported" else "yes" if bar["met"] else "**NO**")


def test_the_machine_line_names_the_cpu_commit_and_verdict(capsys) -> None:
    assert report.main([str(RESULT), str(RESULT)]) == 0
    out = capsys.readouterr().out
    assert "AMD EPYC" in out and "commit 94b3500" in out and "16 of 17 judged bars met" in out
    assert out.count("p95 8.0 ms") >= 2  # the bar-6 line for each file


def test_the_benchmarks_table_is_the_run_it_names() -> None:
    """docs/benchmarks.md's bench table is rendered from the result file it cites, not typed in: a row edited
    by hand (or a result file replaced without the docs) fails here."""
    doc = (RESULT.parent.parent.parent / "docs" / "benchmarks.md").read_text()
    section = doc[doc.index("## The latest full run"):]
    cited = RESULT.parent / "full-2026-12-06.json"
    assert "full-2026-12-06.json" in section and "full-2026-12-04-{1,2,3}.json" in section
    rows = report.table(json.loads(cited.read_text())).splitlines()
    for row in rows[2:]:
        assert row in section, f"docs/benchmarks.md lacks this row of {cited.name}: {row[:80]}"
