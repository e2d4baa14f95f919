"""The documentation stays readable and true to the tree: a README a newcomer reads to the end, relative links
that lead somewhere, and the planned modules of docs/architecture.md's answer path (once they exist)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
ARCHITECTURE = ROOT / "docs" / "architecture.md"

#: ``[text](target)`` and ``![alt](target)``; a title after the target (``"..."``) is not part of it.
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
FENCE = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)


def _links(path: Path) -> list[str]:
    text = FENCE.sub("", path.read_text())  # a link inside a code block is an example, not a link
    text = re.sub(r"`[^`\n]*`", "", text)
    return [m.group(1) for m in LINK.finditer(text)]


def _relative(target: str) -> bool:
    return not re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) and not target.startswith("#")


def test_the_readme_is_at_most_250_lines() -> None:
    lines = README.read_text().splitlines()
    assert len(lines) <= 250, f"README.md has {len(lines)} lines; move detail into docs/"


def test_the_docs_exist() -> None:
    names = {p.name for p in DOCS}
    assert {"configuration.md", "security.md", "cards.md", "api.md", "architecture.md", "benchmarks.md"} <= names


@pytest.mark.parametrize("doc", [README, ROOT / "CONTRIBUTING.md", *DOCS], ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_points_to_a_file_that_exists(doc: Path) -> None:
    missing = []
    for target in _links(doc):
        if not _relative(target):
            continue
        path = target.split("#", 1)[0]
        if not (doc.parent / path).resolve().exists():
            missing.append(target)
    assert not missing, f"{doc.relative_to(ROOT)} links to files that do not exist: {missing}"


def test_the_link_finder_sees_links_and_skips_code() -> None:
    """The check above is only as good as its parser: images, anchors, titles and code blocks."""
    text = '![shot](img/a.png "a title") [x](api.md#events) [web](https://example.org) `[no](no.md)`\n```\n[no](no.md)\n```\n'
    found = [m.group(1) for m in LINK.finditer(re.sub(r"`[^`\n]*`", "", FENCE.sub("", text)))]
    assert found == ["img/a.png", "api.md#events", "https://example.org"], found
    assert [t for t in found if _relative(t)] == ["img/a.png", "api.md#events"]


def _answer_path_modules() -> list[str]:
    """The backticked ``llama_nb/...`` paths of the one bullet list under "## The answer path"."""
    text = ARCHITECTURE.read_text()
    section = text[text.index("## The answer path"):]
    following = re.search(r"^## ", section[3:], re.M)
    if following:
        section = section[: following.start() + 3]
    bullets = [line for line in section.splitlines() if line.startswith("- ")]
    paths = [m for line in bullets for m in re.findall(r"`(llama_nb/[^`]+)`", line)[:1]]
    assert paths and len(paths) == len(bullets), "the answer path is one bullet list, one backticked path per bullet"
    return paths


def test_the_answer_path_lists_its_planned_modules() -> None:
    paths = _answer_path_modules()
    assert all(p.startswith("llama_nb/answer/") for p in paths), paths
    assert "llama_nb/answer/verify.py" in paths and "llama_nb/answer/knowledge/" in paths


def test_the_answer_path_modules_exist() -> None:
    missing = [p for p in _answer_path_modules()
               if not ((ROOT / p).is_dir() if p.endswith("/") else (ROOT / p).is_file())]
    assert not missing, f"docs/architecture.md names modules that are not in the tree: {missing}"
