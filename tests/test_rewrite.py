"""A retry that gives no new fix (it repeats one already run, or has no code) is asked once in another form:
the whole cell, corrected (answer/verify.py ``rephrase``, answer/pipeline.py, prompts.rewrite_cell).

The search itself is driven by plain functions (what the model says is the test's input); the prompt and the
reply's code are checked as text; one test asks the real llama-server for the whole cell as code from its
first token (the prefill and the stop at the closing fence it relies on); one goes through the real magics with
the scripted STAND-IN model (a remote endpoint: no prefill).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent / "standins"))
from kernel_fixtures import ANSWER_MIME, Shell, ipshell, llama_env  # noqa: E402,F401 - fixtures
from scripted_model import ScriptedModel  # noqa: E402

from llama_nb.answer import pipeline, prompts, sandbox  # noqa: E402
from llama_nb.answer.reply import Answer  # noqa: E402
from llama_nb.answer.verify import Tried, verify  # noqa: E402

pytestmark = pytest.mark.skipif(sandbox.unavailable() is not None and os.environ.get("CI") != "true",
                                reason=f"no sandbox here: {sandbox.unavailable()}")

CELL = "prices = {'tea': 2.0, 'cake': 3.5}\norder = ['tea', 'cakes']\ntotal = sum(prices[item] for item in order)\nprint(total)"
WRONG = "total = sum(prices[item] for item in order)"
WHOLE = "prices = {'tea': 2.0, 'cake': 3.5}\norder = ['tea', 'cake']\ntotal = sum(prices[item] for item in order)\nprint(total)"


def _raised() -> tuple[dict[str, Any], BaseException]:
    ns: dict[str, Any] = {}
    try:
        exec(compile(CELL, "<cell>", "exec"), ns)
    except KeyError as exc:
        return ns, exc
    raise AssertionError("the cell did not raise")


class Asked:
    """A ``more`` or ``rephrase`` that answers from a list and keeps what it was shown."""

    def __init__(self, *replies: str | None) -> None:
        self.replies = list(replies)
        self.calls: list[tuple[tuple[Tried, ...], int]] = []

    def __call__(self, tried: tuple[Tried, ...], ask: int) -> str | None:
        self.calls.append((tried, ask))
        return self.replies[min(len(self.calls), len(self.replies)) - 1]


@pytest.mark.parametrize("dead_end", [WRONG, None], ids=["repeated", "no code"])
def test_a_retry_with_no_new_fix_asks_for_the_whole_cell_and_that_is_run(dead_end: str | None) -> None:
    ns, exc = _raised()
    more, rephrase = Asked(dead_end), Asked(WHOLE)
    v = verify(WRONG, CELL, exc, ns, more=more, rephrase=rephrase, max_candidates=3, budget_s=30.0)
    assert [t.status for t in v.tried] == ["failed", "passed"], v
    assert [t.asked for t in v.tried] == ["first", "cell"] and v.to_json()["tried"][1]["asked"] == "cell"
    assert v.status == "passed" and v.ended == "passed" and v.fixed_cell == WHOLE
    assert len(more.calls) == 1 and len(rephrase.calls) == 1
    shown, ask = rephrase.calls[0]
    assert ask == 1 and [t.code for t in shown] == [WRONG] and shown[0].detail == "still raises KeyError: 'cakes'"
    assert ns["order"] == ["tea", "cakes"], "the kernel's state is never changed"


def test_a_new_fix_from_the_retry_is_run_without_asking_for_the_whole_cell() -> None:
    ns, exc = _raised()
    rephrase = Asked(WHOLE)
    v = verify(WRONG, CELL, exc, ns, more=Asked("order = ['tea', 'cake']\n" + WRONG), rephrase=rephrase, max_candidates=3, budget_s=30.0)
    assert v.status == "passed" and len(v.tried) == 2 and rephrase.calls == []
    assert [t.asked for t in v.tried] == ["first", "retry"]


def test_a_failed_request_is_not_asked_again_in_another_form() -> None:
    # A retry that stalled or was refused: asking the same server for the whole cell would wait on it twice.
    ns, exc = _raised()
    rephrase = Asked(WHOLE)

    def more(tried: Any, ask: int) -> str:
        raise TimeoutError("the answer stalled")

    v = verify(WRONG, CELL, exc, ns, more=more, rephrase=rephrase, max_candidates=3, budget_s=30.0)
    assert v.ended == "request_failed" and len(v.tried) == 1 and rephrase.calls == []


@pytest.mark.parametrize("again, ended", [
    (WRONG, "repeated"),      # the fix already run, as written
    (CELL, "repeated"),       # the cell as it failed
    ("prices = {'tea': 2.0, 'cake': 3.5}\norder = ['tea', 'cakes']\ntotal = sum(prices[item] for item in order)\n"
     "total = sum(prices[item] for item in order)\nprint(total)", "repeated"),  # the cell the first fix made: run already
    (None, "no_code"),
], ids=["the fix", "the cell", "its cell", "nothing"])
def test_when_the_whole_cell_is_no_new_fix_either_the_search_ends(again: str | None, ended: str) -> None:
    ns, exc = _raised()
    rephrase = Asked(again)
    v = verify(WRONG, CELL, exc, ns, more=Asked(WRONG), rephrase=rephrase, max_candidates=3, budget_s=30.0)
    assert v.status == "failed" and len(v.tried) == 1 and v.ended == ended
    assert len(rephrase.calls) == 1


def test_no_whole_cell_is_asked_once_the_retry_has_spent_the_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    from llama_nb.answer import verify as verify_module

    ns, exc = _raised()
    now = [0.0]
    monkeypatch.setattr(verify_module.time, "perf_counter", lambda: now[0])
    rephrase = Asked(WHOLE)

    def slow_more(tried: Any, ask: int) -> None:
        now[0] += 31.0  # the retry took the rest of the 30 s budget, and gave no code
        return None

    v = verify(WRONG, CELL, exc, ns, more=slow_more, rephrase=rephrase, max_candidates=3, budget_s=30.0)
    assert v.ended == "no_code" and rephrase.calls == []


def test_a_whole_cell_that_rewrites_the_kernels_data_is_still_not_a_repair() -> None:
    # The cell's data came from an earlier cell: written again as literals it is edited data, whole cell or not.
    ns: dict[str, Any] = {"scores": [3, None, 5]}
    cell = "ranked = sorted(scores)\nbest = ranked[-1]"
    try:
        sorted([3, None, 5])  # type: ignore[type-var]
    except TypeError as exc:
        raised = exc
    v = verify("ranked = sorted(scores)", cell, raised, ns, more=Asked(None), rephrase=Asked("scores = [3, 5]\nranked = sorted(scores)\nbest = ranked[-1]"),
               max_candidates=3, budget_s=30.0, known_names=frozenset(ns))
    assert v.status == "failed" and len(v.tried) == 2 and v.tried[1].asked == "cell", v.tried
    assert v.tried[1].detail == "not a repair: it replaces the data in `scores` from earlier cells with new literal values"


def test_the_whole_cell_prompt_has_the_facts_and_asks_for_the_cell() -> None:
    tried: list[tuple[str, str, tuple[str, ...]]] = [(WRONG, "still raises KeyError: 'cakes'", ("`prices` has no key 'cakes', but it has 'cake'", "said before"))]
    text = prompts.rewrite_cell(CELL, WRONG, "KeyError: 'cakes'", tried, said=("said before",))[-1]["content"]
    assert CELL in text and "KeyError: 'cakes'" in text and WRONG in text and "still raises KeyError: 'cakes'" in text
    assert "no key 'cakes', but it has 'cake'" in text and "said before" not in text
    assert "Write the whole cell again" in text and "no try/except" in text


@given(st.text(alphabet=st.characters(exclude_characters="`", exclude_categories=["Cs"]), max_size=200),
       st.booleans(), st.booleans())
@settings(max_examples=200, deadline=None)
def test_the_code_of_a_continued_reply_is_what_follows_the_prefill_up_to_its_fence(code: str, echo: bool, closed: bool) -> None:
    reply = (prompts.CODE_PREFILL if echo else "") + code + ("```\nThat fixes it." if closed else "")
    got = pipeline.prefilled_code(reply)
    expected = code.strip("\n")
    assert got == (expected if expected.strip() else None)


def test_a_whole_cell_cut_by_the_token_limit_or_too_long_to_ask_is_no_candidate() -> None:
    ns, exc = _raised()
    cut = Answer()
    cut.text, cut.finish_reason = "prices = {'tea': 2.0, 'cake': 3.5}\norder = ['tea', 'ca", "length"
    replies = [f"```python\n{WRONG}\n```", cut]
    calls: list[list[dict[str, str]]] = []

    def complete(messages: list[dict[str, str]], **options: Any) -> Answer:
        calls.append(messages)
        reply = replies[min(len(calls), len(replies)) - 1]
        if isinstance(reply, Answer):
            return reply
        answer = Answer()
        answer.text = reply
        return answer

    v = pipeline.check(f"**Fix:**\n```python\n{WRONG}\n```", _Error(CELL, exc), pipeline.KernelState(ns), _Settings(), complete, continues=True)
    assert len(calls) == 2 and len(v.tried) == 1 and v.ended == "no_code"
    long_cell = CELL + "\n" + "\n".join(f"step_{i} = total + {i}  # one more step of a long cell" for i in range(40))
    calls.clear()
    v = pipeline.check(f"**Fix:**\n```python\n{WRONG}\n```", _Error(long_cell, exc), pipeline.KernelState(ns), _Settings(), complete, continues=True)
    assert len(calls) == 1 and v.ended == "no_code", "a cell longer than the tokens allowed is not asked for whole"


def _complete_with(real: Any, scripted: list[str]) -> tuple[Any, list[list[dict[str, str]]]]:
    """``complete`` for pipeline.check: the retries answered from ``scripted`` (a model that repeats itself
    cannot be had on demand), the whole cell asked of the real llama-server."""
    seen: list[list[dict[str, str]]] = []

    def complete(messages: list[dict[str, str]], **options: Any) -> Answer:
        seen.append(messages)
        if messages[-1]["role"] == "assistant":
            assert options["extra"]["stop"] == ["```"] and options["temperature"] == 0.0
            return real.complete(messages, stall_timeout=30.0, **options)
        answer = Answer()
        answer.text = scripted[min(len(seen), len(scripted)) - 1]
        return answer

    return complete, seen


class _Error:
    def __init__(self, cell: str, exc: BaseException) -> None:
        import traceback

        self.cell = cell
        self.exception = exc
        self.traceback_text = "".join(traceback.format_exception(exc))
        self.values: tuple[str, ...] = ()
        self.hints: tuple[str, ...] = ()


class _Settings:
    verify_fixes, verify_candidates, verify_timeout, verify_budget = True, 2, 10.0, 120.0  # the first and one more


def test_the_real_llama_server_writes_the_whole_cell_as_code_from_its_first_token(llama_env: Path) -> None:
    from llama_nb.config import LlamaNB
    from llama_nb.kernel.client import LlamaClient
    from llama_nb.kernel.embedded import EmbeddedBackend

    ns, exc = _raised()
    cfg = LlamaNB()
    backend = EmbeddedBackend(cfg.all_profiles(), cfg.settings(), cfg.default_profile)
    try:
        _, conn = backend.ensure(None)
        client = LlamaClient(conn.url, conn.api_key)
        # The prefill is continued and the reply stops at the fence: code from the first token, never a fence.
        asked = [*prompts.rewrite_cell(CELL, WRONG, "KeyError: 'cakes'", []), {"role": "assistant", "content": prompts.CODE_PREFILL}]
        reply = client.complete(asked, max_tokens=64, temperature=0.0, extra={"seed": prompts.SEED, "stop": ["```"]}, stall_timeout=30.0)
        code = pipeline.prefilled_code(reply.text)
        assert code and "```" not in code and not code.startswith("python"), reply.text
        complete, seen = _complete_with(client, [f"```python\n{WRONG}\n```"])
        v = pipeline.check(f"**Fix:**\n```python\n{WRONG}\n```", _Error(CELL, exc), pipeline.KernelState(ns), _Settings(), complete, continues=True)
        client.close()
    finally:
        backend.close()
    assert len(seen) == 2 and seen[1][-1] == {"role": "assistant", "content": prompts.CODE_PREFILL}
    assert "Write the whole cell again" in seen[1][-2]["content"]
    # What the server wrote after the prefill became the next candidate (or, with nothing new, the search ended
    # saying why): never the prefill itself, never a fence.
    if len(v.tried) == 2:
        assert not v.tried[1].code.startswith("```") and "```" not in v.tried[1].code
        assert v.tried[1].status in ("passed", "failed", "blocked")
    else:
        assert v.ended in ("repeated", "no_code")
    assert ns["order"] == ["tea", "cakes"]


@pytest.fixture
def scripted(llama_env: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ScriptedModel]:
    model = ScriptedModel(["x"]).start()
    monkeypatch.setenv("LLAMA_NB_URL", model.url + "/v1")
    try:
        yield model
    finally:
        model.stop()


def test_through_the_magic_a_repeated_retry_gets_the_whole_cell_asked_and_shown(ipshell: Shell, scripted: ScriptedModel) -> None:
    scripted.answers = [f"**Cause:** the key is missing.\n\n**Fix:** change the line:\n```python\n{WRONG}\n```",
                        f"```python\n{WRONG}\n```",                       # the retry repeats the first fix
                        f"Here is the cell:\n```python\n{WHOLE}\n```",     # the whole cell (remote: no prefill)
                        "**Cause:** `order` names 'cakes', but the key is 'cake'."]
    assert ipshell.run(CELL).result.error_in_exec is not None
    run = ipshell.run("%llama explain")
    done = [o["data"][ANSWER_MIME] for o in run.answer_updates if o["data"][ANSWER_MIME].get("done")]
    v = done[-1]["verification"]
    assert [t["status"] for t in v["tried"]] == ["failed", "passed"] and v["ended"] == "passed"
    rewrite = scripted.requests[2]["messages"]
    assert rewrite[-1]["role"] == "user" and "Write the whole cell again" in rewrite[-1]["content"]
    assert "stop" not in scripted.requests[2]
    assert "order = ['tea', 'cake']" in run.final_answer and "✓" in run.final_answer
    assert ipshell.user_ns["order"] == ["tea", "cakes"]


def test_each_further_candidate_is_read_only_up_to_its_code() -> None:
    # A retry's sentence after its code, and a whole cell's, are not waited for: each request carries the
    # ``until`` that ends it at its code block's end (answer/pipeline.py code_complete), and where the server
    # continues a prefilled reply the whole cell ends at its fence on the server.
    ns, exc = _raised()
    for continues in (False, True):
        options_seen: list[dict[str, Any]] = []

        def complete(messages: list[dict[str, str]], **options: Any) -> Answer:
            options_seen.append(options)
            answer = Answer()
            answer.text = f"```python\n{WRONG}\n```\n\nThat fixes it."  # a repeat: the whole cell is asked next
            until = options.get("until")
            if until is not None:  # as LlamaClient.complete reads a stream: it stops once until is true
                answer.text = next(answer.text[:i] for i in range(len(answer.text) + 1) if until(answer.text[:i]))
            return answer

        pipeline.check(f"**Fix:**\n```python\n{WRONG}\n```", _Error(CELL, exc), pipeline.KernelState(ns), _Settings(), complete, continues=continues)
        retry, whole = options_seen[0], options_seen[1]
        assert retry["until"] is pipeline.code_complete
        assert (whole.get("until"), whole["extra"].get("stop")) == ((None, ["```"]) if continues else (pipeline.code_complete, None))
