"""The ``%llama`` / ``%%llama`` magic and the extension's load/unload hooks.

The magic only hands the line and the cell body to :class:`~llama_nb.kernel.session.LlamaSession`;
``@no_var_expand`` keeps IPython from expanding ``$var`` and ``{var}`` in the line, so prompts are
sent exactly as typed.
"""

from __future__ import annotations

from typing import Any

from IPython.core.magic import Magics, line_cell_magic, magics_class, no_var_expand

from ..config.discovery import default_model_notice
from .display import show_note
from .session import LlamaSession

_sessions: dict[int, LlamaSession] = {}


@magics_class
class LlamaMagics(Magics):
    """``%llama SUBCOMMAND [options] [text]`` and ``%%llama SUBCOMMAND [options]`` + body."""

    def __init__(self, shell: Any, session: LlamaSession) -> None:
        super().__init__(shell)
        self.session = session

    @no_var_expand
    @line_cell_magic
    def llama(self, line: str, cell: str | None = None) -> None:
        """Local-LLM help: explain, ask, fix, and the server's status, logs and controls.

        Run ``%llama help`` for the full usage.
        """
        self.session.run(line, cell)


def keep_question_marks(lines: list[str]) -> list[str]:
    """Input transformer: ``%llama ask Why is this slow?`` is a question, not IPython help syntax.

    IPython turns a line ending in ``?`` into ``pinfo`` (object help) before magics run, so the
    question would never reach ``%llama``. Such lines become explicit ``run_line_magic`` calls.
    Cell magics (``%%llama``) are untouched: their bodies are never parsed for help syntax.
    """
    if not lines or lines[0].lstrip().startswith("%%"):
        return lines
    out = []
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("%llama ") and stripped.endswith("?"):
            indent = line[: len(line) - len(line.lstrip())]
            out.append(f"{indent}get_ipython().run_line_magic('llama', {stripped[len('%llama ') :]!r})\n")
        else:
            out.append(line)
    return out


def load(shell: Any) -> LlamaSession:
    """Register ``%llama`` in ``shell`` (``%load_ext llama_nb``). Loading twice keeps one session."""
    session = _sessions.get(id(shell))
    if session is None or session._closed:
        session = _sessions[id(shell)] = LlamaSession(shell)
        _say_default_model_once()
    shell.register_magics(LlamaMagics(shell, session))
    cleanup = shell.input_transformer_manager.cleanup_transforms
    if keep_question_marks not in cleanup:
        cleanup.append(keep_question_marks)
    return session


_said_default = False


def _say_default_model_once() -> None:
    """When the coding model is not pulled, the default runs SmolLM2: said once per kernel, with the fix."""
    global _said_default
    notice = default_model_notice()
    if notice and not _said_default:
        _said_default = True
        show_note(notice.removeprefix("llama-nb: "), "info")


def unload(shell: Any) -> None:
    """Close the session: stop the servers this kernel started (``%unload_ext llama_nb``)."""
    session = _sessions.pop(id(shell), None)
    if session is not None:
        session.close()
    cleanup = shell.input_transformer_manager.cleanup_transforms
    if keep_question_marks in cleanup:
        cleanup.remove(keep_question_marks)
    magics = shell.magics_manager.magics
    for kind in ("line", "cell"):
        magics[kind].pop("llama", None)


def current(shell: Any | None = None) -> LlamaSession | None:
    """The session of ``shell`` (default: the running IPython), or ``None`` when not loaded."""
    if shell is None:
        from IPython import get_ipython

        shell = get_ipython()
    return _sessions.get(id(shell)) if shell is not None else None
