"""Knowledge written as data: for messages that say everything a hint needs, the message's pattern and the
sentence it means, with no line and no value read.

A sentence is ``str.format``-ed with the match: ``{0}`` the whole match, ``{1}``, ``{2}``, … its groups; literal
braces are doubled.
"""

from __future__ import annotations

import re
from typing import Callable

from ..facts import Facts

#: (pattern searched in the message, sentence), tried in order.
Said = tuple[tuple[re.Pattern[str], str], ...]


def table(*pairs: tuple[str, str]) -> Said:
    """``(pattern, sentence)`` pairs, their patterns compiled."""
    return tuple((re.compile(p), t) for p, t in pairs)


def rule(said: Said) -> Callable[[Facts], str | None]:
    """The rule that says the sentence of the first pattern of ``said`` the message matches."""

    def said_by_message(f: Facts) -> str | None:
        for pattern, sentence in said:
            m = pattern.search(f.message)
            if m:
                return sentence.format(m.group(0), *m.groups())
        return None

    return said_by_message
