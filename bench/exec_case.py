"""An execution-graded explain/fix case: the fix is judged by running it, never by keywords.

A case is real kernel state (``setup``), a cell that really raises (``raises``) on it, and a ``check``:
a Python expression, evaluated in the namespace left by the fixed cell, that is true only when the cell
computed what it was meant to (``intent``). ``reference`` is one fixed cell that satisfies ``check``;
bench/exec_quality.py proves for every case that the cell as written raises, that the reference passes,
and that deleting the failing line or swallowing its error with ``try``/``except`` does *not* pass.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ExecCase:
    id: str
    #: Code run first, in a fresh namespace: the data the user's earlier cells made (inline, no files, no network).
    setup: str
    #: The user's cell: it raises ``raises`` when run after ``setup``.
    cell: str
    #: The exception's class name, e.g. ``"KeyError"``.
    raises: str
    #: An expression over the namespace after the fixed cell: true only for the intended result.
    check: str
    #: One sentence: what the cell was meant to compute (documentation; never shown to the model).
    intent: str
    #: A whole fixed cell that satisfies ``check``.
    reference: str
