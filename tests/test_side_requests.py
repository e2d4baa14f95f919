"""A side request (a further candidate, the cause after a fix) is read only as far as what is used of it
(answer/pipeline.py's ``code_complete`` and ``cause_complete``, the ``until`` of ``LlamaClient.complete``).

The property that makes it safe: wherever a reply is cut, at any character, once the predicate is true of
what has come, what is taken of it (``extract_code``, ``cause_from``) is what the whole reply gives. The
replies are generated from the pieces a model's Markdown is made of (fences with and without a language,
indented and tilde fences, blank lines, **Fix:**, text), so the cut falls inside every kind of line.
That the server stops generating when the stream is closed is tested on the real llama-server
(test_kernel_backends.py).
"""

from __future__ import annotations

from typing import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from llama_nb.answer.pipeline import cause_complete, cause_from, code_complete, extract_code

PIECES = [
    "```python\n", "```py\n", "```\n", "````python\n", "````\n", "~~~python\n", "~~~\n", "   ```\n", "    ```\n",
    "```js\n", "> ```python\n", "- ```python\n", "x = 1\n", "y = df['a'].sum()\n", "print(x)", "\n", "\n\n", " \n",
    "**Cause:** the key is missing.", "**Fix:** change it:\n", "Here is the fix:\n", "text ", "`code` ", "\r\n",
    "\u2028", "Explanation: it works.",
]

_pieces = st.lists(st.sampled_from(PIECES), max_size=6).map("".join)
#: Any run of pieces, or one shaped as a retry's reply is (text, a Python block, more text), pieces inside.
replies = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=14).map("".join),
    st.tuples(_pieces, st.sampled_from(["```python\n", "```py\n", "````python\n", "~~~python\n"]), _pieces,
              st.sampled_from(["```\n", "````\n", "~~~\n", "```", "    ```\n"]), _pieces).map("".join),
)


def _cuts(reply: str, data: st.DataObject) -> list[int]:
    """A cut anywhere, and every cut beside a line's end (where code and paragraphs end)."""
    ends = {i for i, ch in enumerate(reply) if ch == "\n"}
    return sorted({data.draw(st.integers(0, len(reply)))} | ends | {i + 1 for i in ends} | {len(reply)})


@pytest.mark.parametrize(("complete", "taken"), [(code_complete, extract_code), (cause_complete, cause_from)], ids=["code", "cause"])
@settings(max_examples=400, deadline=None)
@given(reply=replies, data=st.data())
def test_a_reply_cut_once_what_is_used_of_it_has_come_gives_the_same(
    complete: Callable[[str], bool], taken: Callable[[str], str | None], reply: str, data: st.DataObject
) -> None:
    # code_complete: the first Python code block is closed; cause_complete: the first paragraph has ended.
    for cut in _cuts(reply, data):
        if complete(reply[:cut]):
            assert taken(reply[:cut]) == taken(reply), (reply[:cut], reply)


def test_what_ends_a_side_request() -> None:
    # A retry's reply: the code block closed, the sentence after it not waited for.
    assert not code_complete("Here is the fix:\n```python\nx = 1\n")
    assert not code_complete("Here is the fix:\n```python\nx = 1\n``")  # the closing fence still arriving
    assert code_complete("Here is the fix:\n```python\nx = 1\n```\n")
    assert code_complete("```python\nx = 1\n```\n\nThis changes")
    # Only a Python block ends it (extract_code prefers one that comes later), and a line inside the block
    # that only looks like a fence (indented four spaces) does not close it.
    assert not code_complete("```\nls\n```\n")
    assert not code_complete("```python\nx = 1\n    ```\n")
    # A cause: its first paragraph, ended by a blank line, a fence or the **Fix:** the model goes on to.
    assert not cause_complete("**Cause:** the column `units` is")
    assert not cause_complete("\n\n**Cause:** the column `units` is missing.")  # blank lines before it are not its end
    assert cause_complete("**Cause:** the column `units` is missing.\n\n")
    assert cause_complete("**Cause:** the column `units` is missing.\n**Fix:** use")
