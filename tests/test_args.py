"""``%llama`` option parsing: every accepted spelling of an option means the same, text stays verbatim.

No server: the parser alone (the magics tests show the usage card a refused line gives).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from llama_nb.kernel.args import _ALLOWED, USAGE, Command, UsageError, parse
from llama_nb.supervisor.process import MAX_LOG_LINES

# option attribute -> (short spelling or None, long spellings)
VALUE_OPTIONS: dict[str, tuple[str | None, tuple[str, ...]]] = {
    "model": ("-m", ("--model",)),
    "max_tokens": (None, ("--max-tokens",)),
    "temperature": (None, ("--temperature",)),
    "out": ("-o", ("--out",)),
    "ctx": (None, ("--ctx", "--ctx-size")),
    "n": ("-n", ()),
}
FLAGS = {"cpu": "--cpu", "stream": "--no-stream", "insert": "--insert"}
TRUE_WORDS = ("true", "True", "YES", "yes", "on", "1")
FALSE_WORDS = ("false", "FALSE", "no", "off", "0")

names = st.from_regex(r"[A-Za-z0-9_][A-Za-z0-9_.:-]{0,15}", fullmatch=True)
identifiers = st.from_regex(r"[a-z_][a-z0-9_]{0,10}", fullmatch=True).filter(lambda s: s not in ("if", "in", "is", "or", "as", "and", "def", "del", "for", "not", "try"))
VALUES = {
    "model": names,
    "max_tokens": st.integers(1, 100_000),
    "temperature": st.sampled_from([0.0, 0.2, 0.7, 1.0, 2.5, 5.0]),
    "out": identifiers,
    "ctx": st.integers(64, 1 << 20),
    "n": st.integers(1, MAX_LOG_LINES),
}
# Prompt text as typed: anything printable, options look-alikes and braces included.
words = st.text(st.characters(blacklist_categories=("Cs", "Zs", "Zl", "Zp", "Cc")), min_size=1, max_size=8) | st.sampled_from(
    ["-m", "--model", "-mbig", "--cpu=false", "{x}", "$y", "'q'", "-1", "--", "-n5"])
texts = st.lists(words, min_size=1, max_size=6).flatmap(
    lambda ws: st.lists(st.sampled_from([" ", "  ", "\t"]), min_size=len(ws) - 1, max_size=len(ws) - 1).map(
        lambda seps: "".join(w + s for w, s in zip(ws, [*seps, ""]))))


def spellings(attr: str, value: Any) -> list[list[str]]:
    """Every way the line may give ``attr`` its ``value`` (each as its words)."""
    if attr in FLAGS:
        flag = FLAGS[attr]
        on = (value is False) if attr == "stream" else value is True
        out = [[f"{flag}={w}"] for w in (TRUE_WORDS if on else FALSE_WORDS)]
        return out + ([[flag]] if on else [])
    text = str(value)
    short, longs = VALUE_OPTIONS[attr]
    out = [[opt, text] for opt in longs] + [[f"{opt}={text}"] for opt in longs]
    if short:
        out += [[short, text], [f"{short}{text}"], [f"{short}={text}"]]
    return out


@st.composite
def lines(draw: st.DrawFn) -> tuple[str, Command, list[list[str]]]:
    name = draw(st.sampled_from(["ask", "explain", "fix", "start", "restart", "stop", "status", "logs", "doctor"]))
    allowed = _ALLOWED[name] - {"help"}
    expected = Command(name)
    chosen = draw(st.lists(st.sampled_from(sorted(allowed)), unique=True)) if allowed else []
    parts: list[list[str]] = []
    for attr in chosen:
        value = draw(st.booleans()) if attr in FLAGS else draw(VALUES[attr])
        setattr(expected, attr, value)
        parts.append(draw(st.sampled_from(spellings(attr, value))))
    text = draw(texts) if expected.is_prompt and draw(st.booleans()) else ""
    expected.text = text
    parts = draw(st.permutations(parts))
    words = [w for part in parts for w in part]
    if text and (text.startswith("-") or draw(st.booleans())):
        words.append("--")  # text that could be read as an option needs the explicit end of options
    sep = draw(st.sampled_from([" ", "  ", "\t"]))
    line = sep.join([name, *words, *([text] if text else [])]) + draw(st.sampled_from(["", " "]))
    return line, expected, parts


@given(lines())
@settings(max_examples=400, deadline=None)
def test_every_spelling_parses_to_the_same_command_and_keeps_the_text(case: tuple[str, Command, list[list[str]]]) -> None:
    line, expected, _ = case
    assert parse(line) == expected, line


@pytest.mark.parametrize("line,expected", [
    ("start --cpu=false", Command("start", cpu=False)),
    ("restart --cpu=no --ctx=4096", Command("restart", cpu=False, ctx=4096)),
    ("start --cpu=1 -mbig", Command("start", cpu=True, model="big")),
    ("ask -mbig what is -m?", Command("ask", model="big", text="what is -m?")),
    ("ask -m=big hi", Command("ask", model="big", text="hi")),
    ("ask --model=big --max-tokens=20 -oans hi {x}", Command("ask", model="big", max_tokens=20, out="ans", text="hi {x}")),
    ("explain --no-stream=false", Command("explain", stream=True)),
    ("fix --insert=off", Command("fix", insert=False)),
    ("logs -n5", Command("logs", n=5)),
    (f"logs -n {MAX_LOG_LINES}", Command("logs", n=MAX_LOG_LINES)),
    ("ask -1 is odd?", Command("ask", text="-1 is odd?")),
])
def test_examples(line: str, expected: Command) -> None:
    assert parse(line) == expected


@pytest.mark.parametrize("line,message", [
    ("start --cpu=maybe", "--cpu is a flag"),
    ("start --cpu=", "--cpu is a flag"),
    ("explain --no-stream=2", "--no-stream is a flag"),
    ("logs -n 0", "at least 1"),
    ("logs -n -5", "at least 1"),
    ("logs -n=-5", "at least 1"),
    (f"logs -n {MAX_LOG_LINES + 1}", f"at most {MAX_LOG_LINES}"),
    ("logs -n 99999999999999999999999999", f"at most {MAX_LOG_LINES}"),
    ("logs -n many", "needs a number"),
    ("logs -n1e9", "needs a number"),
    ("logs -n", "needs a value"),
    ("ask --model= hi", "--model needs a value"),
    ("models -mbig", "has no option '-mbig'"),
    ("stop --cpu=true", "has no option '--cpu'"),
    ("ask -o=1x hi", "Python variable name"),
])
def test_refusals_say_what_is_wrong(line: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        parse(line)


def test_usage_says_the_spellings_and_the_cap() -> None:
    assert "-mbig" in USAGE and "--cpu=false" in USAGE and f"at most {MAX_LOG_LINES}" in USAGE
