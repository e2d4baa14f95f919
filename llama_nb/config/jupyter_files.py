"""Jupyter's config files, read as a Jupyter server reads them, for the surfaces that Jupyter does not
start (the llama-nb CLI)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Sequence


#: The config files read, lowest priority first, in each of Jupyter's config directories (``jupyter
#: --paths``): the ones where ``c.LlamaNB.…`` reaches a Jupyter server run by ``jupyter server``,
#: ``jupyter lab`` or ``jupyter notebook``. Each as ``.py`` then ``.json`` (the ``.json`` wins).
JUPYTER_CONFIG_FILES = ("jupyter_config", "jupyter_notebook_config", "jupyter_server_config")


@dataclass(frozen=True)
class FileConfig:
    """What :func:`jupyter_file_config` read: the merged traitlets ``Config``, the files it came from, and
    the files that could not be read (Jupyter logs those and goes on without them; so does the CLI, out loud)."""

    config: Any
    files: tuple[str, ...] = ()
    unreadable: tuple[str, ...] = ()


def jupyter_file_config(paths: Sequence[str] | None = None) -> FileConfig:
    """The traitlets config of Jupyter's config files, as a Jupyter server would load it.

    ``paths``: the config directories, highest priority first; default ``jupyter_core.paths.jupyter_config_path()``,
    the ``config`` list of ``jupyter --paths``: ``JUPYTER_CONFIG_PATH``, then the user's directory
    (``JUPYTER_CONFIG_DIR``, default ``~/.jupyter``) and the environment's ``etc/jupyter`` (their order is
    ``JUPYTER_PREFER_ENV_PATH``'s), then the system's. For one file name the directory listed first wins;
    ``jupyter_server_config`` wins over ``jupyter_notebook_config``, which wins over ``jupyter_config``, and a
    ``.json`` over the ``.py`` beside it. Environment variables come after all of these (:meth:`LlamaNB.default`).
    """
    from jupyter_core.paths import jupyter_config_path
    from traitlets.config.loader import Config, ConfigFileNotFound, JSONFileConfigLoader, PyFileConfigLoader

    merged = Config()
    files: list[str] = []
    unreadable: list[str] = []
    directories = list(jupyter_config_path() if paths is None else paths)
    for base in JUPYTER_CONFIG_FILES:
        for directory in reversed(directories):
            for loader in (PyFileConfigLoader(base + ".py", path=directory), JSONFileConfigLoader(base + ".json", path=directory)):
                try:
                    loaded = loader.load_config()
                except ConfigFileNotFound:
                    continue
                except Exception as exc:  # a broken file: Jupyter ignores it with an error in its log
                    unreadable.append(f"{loader.full_filename or os.path.join(directory, loader.filename)}: {type(exc).__name__}: {exc}")
                    continue
                merged.merge(loaded)
                files.append(loader.full_filename)
    return FileConfig(merged, tuple(files), tuple(unreadable))
