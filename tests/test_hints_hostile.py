"""Hints (answer/knowledge) read as an attacker would: absurd lines must not hang the cell, a comparison or
a conversion must blame the operand that really holds the text, a corrected line must be right or absent,
and a user's object that only *looks* like pandas or numpy is never touched.

The hints are built while the user's cell fails, so a slow pattern is a hung notebook: the timing tests
bound hint building on lines no person writes but a generated cell or a pasted literal can hold.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from IPython.utils.capture import capture_output

from hint_fixtures import hints_of, shell  # noqa: F401 - shell is a fixture
from llama_nb.answer.knowledge import MAX_SCANNED_LINE, error_hints

#: Seconds one ``error_hints`` call may take on a hostile line (today's rules take milliseconds).
BOUND = 0.5


def _says(shell: Any, cell: str, expected: list[str], not_expected: list[str]) -> None:
    """The hints of ``cell`` hold every part of ``expected`` and none of ``not_expected``."""
    text = "\n".join(hints_of(shell, cell))
    for part in expected:
        assert part in text, f"{part!r} not in the hints of:\n{cell}\n---\n{text}"
    for part in not_expected:
        assert part not in text, f"{part!r} in the hints of:\n{cell}\n---\n{text}"


def timed_hints(shell: Any, cell: str) -> tuple[float, tuple[str, ...]]:
    shell.reset(new_session=False)
    with capture_output():
        result = shell.run_cell(cell, store_history=True)
    exc = result.error_in_exec or result.error_before_exec
    assert exc is not None, f"the cell did not raise:\n{cell[:200]}"
    start = time.perf_counter()
    hints = error_hints(exc, cell)
    return time.perf_counter() - start, hints


# -- 1. long lines: no pattern may take time quadratic (or worse) in the line's length -----------------

#: Messages whose rules read the failing line's structure (comparisons, unpacking, conversions, calls).
_STRUCTURE_MESSAGES: list[tuple[type[BaseException], str]] = [
    (TypeError, "'>' not supported between instances of 'str' and 'int'"),
    (TypeError, "'<=' not supported between instances of 'float' and 'str'"),
    (ValueError, "not enough values to unpack (expected 2, got 1)"),
    (ValueError, "not enough values to unpack (expected 3, got 0)"),
    (ValueError, "too many values to unpack (expected 2)"),
    (ValueError, "could not convert string to float: '1,250'"),
    (ValueError, "could not convert string to float: '$1,250'"),
    (ValueError, 'Unable to parse string "$1,200" at position 1'),
    (TypeError, 'can only concatenate str (not "int") to str'),
    (TypeError, "unsupported operand type(s) for -: 'str' and 'int'"),
    (KeyError, "abc"),
    (AttributeError, "'list' object has no attribute 'strip'"),
    (AttributeError, "'NoneType' object has no attribute 'group'"),
    (TypeError, "'float' object cannot be interpreted as an integer"),
    (ValueError, "The truth value of a Series is ambiguous. Use a.empty, a.bool(), a.item(), a.any() or a.all()."),
    (IndexError, "list index out of range"),
    (ValueError, "All arrays must be of the same length"),
    (ValueError, "probabilities do not sum to 1"),
    (ValueError, "could not broadcast input array from shape (3,) into shape (4,)"),
    (TypeError, "unsupported operand type(s) for +: 'NoneType' and 'int'"),
    (ValueError, "Index contains duplicate entries, cannot reshape"),
    (TypeError, "Box.put() takes 1 positional argument but 2 were given"),
    (ValueError, "time data '2020-01-01' does not match format '%d'"),
    (TypeError, "'tuple' object is not callable"),
    (ValueError, "math domain error"),
    (TypeError, "'int' object is not iterable"),
    (TypeError, "list indices must be integers or slices, not float"),
]


def _raised_on(line: str, kind: type[BaseException], message: str) -> BaseException:
    """``kind(message)`` raised by line 1 of a cell whose text is ``line`` (the hints read that line)."""
    try:
        exec(compile("raise _e", "<cell hostile>", "exec"), {"_e": kind(message)})  # noqa: S102 - our own one-liner
    except BaseException as exc:  # noqa: BLE001 - the one raised just above
        return exc
    raise AssertionError("unreachable")


def _assert_fast(line: str, cell: str | None = None) -> None:
    for kind, message in _STRUCTURE_MESSAGES:
        exc = _raised_on(line, kind, message)
        start = time.perf_counter()
        hints = error_hints(exc, cell if cell is not None else line)
        took = time.perf_counter() - start
        assert isinstance(hints, tuple)
        assert took < BOUND, (f"building the hints took {took:.2f} s (bound {BOUND} s) for {kind.__name__}: {message}\n"
                              f"on a line of {len(line)} characters: {line[:120]!r}…")


_ATOMS = ["A", "a1", "_", "1", "1.5", " ", "\t", ",", ", ", "[", "]", "(", ")", "{", "}", "'", '"', "=", "==", ">", ">=", "<",
          ".", "x.", "-", "+", "*", "/", ":", "$", "%", "#", "\\", "f(", "x[", "float(", "pd.to_numeric(", "for ", " in ",
          "if ", " and ", "range(", ".astype(float)", "def f(", "=(", "x, y", " = ", "p=", "€", "1,000"]


@settings(max_examples=60, deadline=None)
@given(parts=st.lists(st.tuples(st.sampled_from(_ATOMS), st.one_of(st.integers(1, 40), st.integers(1000, 6000))),
                     min_size=1, max_size=4),
       limit=st.sampled_from([300, MAX_SCANNED_LINE - 20, MAX_SCANNED_LINE, 8000]))
def test_hint_building_is_fast_on_absurd_lines(parts: list[tuple[str, int]], limit: int) -> None:
    """Long runs of names, spaces, commas, brackets, quotes, ``=``, and mixes: each message's rules finish
    within :data:`BOUND` seconds, on the failing line and on a cell that holds it among other lines."""
    line = "".join(atom * count for atom, count in parts)[:limit]
    _assert_fast(line)
    _assert_fast("y = 1", f"{line}\nx = [1]\n{line}\ny = 1")


def test_whitespace_before_characters_python_cannot_read_is_fast() -> None:
    """Python's tokenize (the names on the line) goes back over a whole run of tabs before each character it
    cannot read: the rules read the line's names once, with each run of whitespace made one space."""
    _assert_fast("a1" * 37 + "_" * 37 + "\t" * 989 + "€" * 370 + "for " * 5)
    _assert_fast("x = 1 +" + " " * 1900 + "€" * 60)


def test_a_6000_letter_line_and_a_100000_character_line_are_fast(shell: Any) -> None:
    for n in (6000, 100_000):
        name = "A" * n
        took, hints = timed_hints(shell, f'import functools, operator\n{name} = functools.partial(operator.gt, "a", 1)\n{name}()')
        assert took < BOUND, f"the hints of a {n}-character line took {took:.2f} s (bound {BOUND} s)"
        assert hints, "the message-only hint still speaks on a long line"


def test_a_long_line_keeps_the_hints_said_by_the_message_alone(shell: Any) -> None:
    filler = " " * (MAX_SCANNED_LINE + 10)
    hints = hints_of(shell, f"import numpy as np\nnp.random.choice(5, 9, replace=False){filler}# a long comment")
    assert any("replace=True" in h for h in hints), hints


@pytest.mark.parametrize("spaces", [200, MAX_SCANNED_LINE - 40])
def test_unpacking_with_a_long_run_of_spaces_is_fast(shell: Any, spaces: int) -> None:
    """``x, y<spaces>[0] = [1]`` (valid Python: the targets are ``x`` and ``y[0]``): the names-on-the-left
    pattern once split the run of spaces between three ``\\s*`` (cubic: 1,900 spaces took seconds)."""
    gap = " " * spaces
    took, hints = timed_hints(shell, f"y = [0]\nx, y{gap}[0] = [1]")
    assert took < BOUND, f"the hints of a line with {spaces} spaces took {took:.2f} s (bound {BOUND} s)"
    took, _ = timed_hints(shell, f"def f():\n    return 1,\nx, y{gap}= f(){gap}")
    assert took < BOUND, f"the hints of a line with 2 × {spaces} spaces took {took:.2f} s (bound {BOUND} s)"


# -- 3. a str compared with a number: the operand that holds the text, not the first comparison --------

@pytest.mark.parametrize(("cell", "expected", "not_expected"), [
    ('x = 5\nname = "bob"\nif x > 0 and name > 3: pass',
     ["`name` is a str holding 'bob'", "`if x > 0 and int(name) > 3: pass`"], ["`x` is a str"]),
    ('limit = 3\nage = "40"\nok = limit <= 10 and 18 <= age', ["`age` is a str", "`ok = limit <= 10 and 18 <= int(age)`"], ["`10` is a str"]),
    ('cfg = {"n": "4", "m": 2}\nif cfg["m"] > 1 and cfg["n"] > 2: pass', ['`if cfg["m"] > 1 and int(cfg["n"]) > 2: pass`'], ['`cfg["m"]` is a str']),
    ('import pandas as pd\nd = pd.DataFrame({"a": [1, 2], "b": ["3", "4"]})\nd[(d["a"] > 0) & (d["b"] > 2)]',
     ['`d[(d["a"] > 0) & (d["b"].astype(int) > 2)]`'], ['`d["a"]` is a str']),
    ('a = 1\nb = "2"\nc = 3\na < c < b', ["`b` is a str", "`a < c < int(b)`"], ["`a` is a str", "`c` is a str"]),
    ('x = 2.5\ns = "1.5"\nx > 1.0 and s > 1.0', ["`s` is a str", "is a float", "`x > 1.0 and float(s) > 1.0`"], ["`x` is a str"]),
    # text inside a string literal (an f-string's too) is not code: ``x > 0`` there is not the comparison
    ('x = 5\nname = "7"\nprint("x > 0", name > 3)', ['`print("x > 0", int(name) > 3)`'], ["`x` is a str"]),
    ('x = 1\ns = "w"\nprint(f"{x > 0}", s > 1)', ['`print(f"{x > 0}", int(s) > 1)`'], ["`x` is a str"]),
    # the only comparison on the line is between two numbers: the str came from elsewhere, so no operand is named
    ('import operator\nx, y = 5, 6\nx > y or operator.gt("a", 1)', ["mix text (str) and numbers"], ["`x` is a str", "A corrected line"]),
    # unchanged where the first comparison is the one (the bench's input-str-compare-int)
    ('user_age = "17"\nif user_age >= 18:\n    pass', ["`user_age` is a str holding '17'", "`if int(user_age) >= 18:`"], []),
])
def test_a_comparison_names_the_operand_that_holds_the_text(shell: Any, cell: str, expected: list[str],
                                                             not_expected: list[str]) -> None:
    _says(shell, cell, expected, not_expected)


# -- 4. unpacking into too many names: a corrected line that runs and means what it says, or none -----

@pytest.mark.parametrize(("cell", "expected", "not_expected"), [
    # one value: ``y = [5]`` would give ``y`` the whole list; a name with a comma after it unpacks the one value
    ("x, y = [5]", ["gives 1 value;", "`x, = [5]`", "A corrected line: `x, = [5]`"], ["`y = [5]`", "1 names", "1 values"]),
    ("def one():\n    return (7,)\n\nlo, hi = one()", ["`one()` returns 1 value", "A corrected line: `lo, = one()`"], ["`hi = one()`"]),
    # no values: no line unpacks nothing, so no corrected line and no "write exactly 0 names"
    ("x, y = []", ["no values at all", "not empty"], ["0 names", "A corrected line"]),
    ("def none():\n    return ()\n\na, b, c = none()", ["`none()` returns no values"], ["0 names", "A corrected line"]),
    # two of three: unchanged (the bench's unpack-two-into-three)
    ("a, b, c = [1, 2]", ["2 values", "A corrected line: `a, c = [1, 2]`"], []),
])
def test_unpacking_corrections_are_right_or_absent(shell: Any, cell: str, expected: list[str], not_expected: list[str]) -> None:
    hints = hints_of(shell, cell)
    text = "\n".join(hints)
    for part in expected:
        assert part in text, f"{part!r} not in the hints of:\n{cell}\n---\n{text}"
    for part in not_expected:
        assert part not in text, f"{part!r} in the hints of:\n{cell}\n---\n{text}"
    for hint in hints:  # every corrected line given really runs without this error
        if hint.startswith("A corrected line: `"):
            fixed = hint.removeprefix("A corrected line: `").removesuffix("`")
            shell.reset(new_session=False)
            with capture_output():
                result = shell.run_cell(cell.rsplit("\n", 1)[0] + "\n" + fixed if "\n" in cell else fixed)
            assert result.success, f"the corrected line {fixed!r} fails: {result.error_in_exec}"


# -- 5. a conversion of text with a currency sign or a comma: clean the argument that holds that text ---

@pytest.mark.parametrize(("cell", "expected", "not_expected"), [
    ('a = "1"\nb = "1,250"\ntotal = float(a) + float(b)',
     ["`float(b.replace(',', ''))`", "A corrected line: `total = float(a) + float(b.replace(',', ''))`"], ["a.replace"]),
    ('a = "1,250"\nb = "3"\ntotal = float(b) + float(a)', ["A corrected line: `total = float(b) + float(a.replace(',', ''))`"], ["b.replace"]),
    # the message's quoted text names the literal
    ('total = float("12") + float("$4.50")', ["A corrected line: `total = float(\"12\") + float(\"$4.50\".strip('$'))`"], ['"12".strip']),
    ('row = {"qty": "2", "price": "$3"}\ncost = float(row["qty"]) * float(row["price"])',
     ["A corrected line: `cost = float(row[\"qty\"]) * float(row[\"price\"].strip('$'))`"], ["row[\"qty\"].strip"]),
    ('import pandas as pd\nt = pd.DataFrame({"a": ["1", "2"], "b": ["3", "4,000"]})\nt["s"] = pd.to_numeric(t["a"]) + pd.to_numeric(t["b"])',
     ["A corrected line: `t[\"s\"] = pd.to_numeric(t[\"a\"]) + pd.to_numeric(t[\"b\"].str.replace(',', ''))`"], ["t[\"a\"].str.replace"]),
    ('import pandas as pd\nt = pd.DataFrame({"a": ["1", "2"], "b": ["3", "4,000"]})\nt["s"] = t["a"].astype(float) + t["b"].astype(float)',
     ["A corrected line: `t[\"s\"] = t[\"a\"].astype(float) + t[\"b\"].str.replace(',', '').astype(float)`"], ["t[\"a\"].str.replace"]),
    # a decimal comma and a decimal point in int(): the older rules, the same question
    ('x = "9"\ny = "2,5"\nfloat(y) + float(x)', ["A corrected line: `float(y.replace(',', '.')) + float(x)`"], ["x.replace"]),
    ('x = "9"\ny = "2.5"\nint(x) + int(y)', ["A corrected line: `int(x) + int(float(y))`"], ["float(x)"]),
    # two calls and neither provably holds the text: no guess
    ('def p(k):\n    return {"a": "1", "b": "7,5"}[k]\nfloat(p("a")) + float(p("b"))', [], ["A corrected line"]),
    # one call: unchanged (the bench's float-dollar-sign), and a compound argument is cleaned as a whole
    ('price_text = "$19.99"\nprice = float(price_text)', ["A corrected line: `price = float(price_text.strip('$'))`"], []),
    ('a = "$1"\nb = "2"\nfloat(a + b)', ["A corrected line: `float((a + b).strip('$'))`"], []),
])
def test_a_conversion_cleans_the_argument_that_holds_the_text(shell: Any, cell: str, expected: list[str],
                                                              not_expected: list[str]) -> None:
    _says(shell, cell, expected, not_expected)


# -- 6. only real pandas and numpy objects are read as such; big values are not copied or repr'd whole --

_SPY = """
LOG = []
class _Spy:
    # Records every attribute read and every protocol call the hints could make on it.
    def __getattribute__(self, name):
        LOG.append(name)
        if name == "sort":
            raise AttributeError("'DataFrame' object has no attribute 'sort'")
        raise AttributeError(name)
    def __len__(self): LOG.append("len"); return 3
    def __iter__(self): LOG.append("iter"); return iter([1, 2, 3])
    def __repr__(self): LOG.append("repr"); return "spy"
    def __eq__(self, other): LOG.append("eq"); return False
    def __hash__(self): LOG.append("hash"); return 1
    def __bool__(self): LOG.append("bool"); return True
class DataFrame(_Spy):
    def __getitem__(self, key): raise KeyError(key)
class ndarray(_Spy):
    def __getitem__(self, key): raise IndexError("index 5 is out of bounds for axis 0 with size 3")
    def __setitem__(self, key, value):
        if key == 0:
            raise ValueError("cannot convert float NaN to integer")
        raise ValueError("could not broadcast input array from shape (3,) into shape (4,)")
"""


@pytest.mark.parametrize(("failing", "not_expected"), [
    ('df["b"]', []),                           # a KeyError on a "DataFrame": its columns were read
    ("arr[5]", ["shape"]),                     # an IndexError on an "ndarray": its shape was read
    ('arr[0] = float("nan")', ["dtype"]),      # NaN into an "int array": its dtype was read
    ("arr[1] = [7, 8, 9]", []),                # broadcast into a "2-D array": its ndim was read
    ('df.sort("a")', ["sort_values"]),         # not pandas: no pandas advice
])
def test_a_users_look_alike_of_pandas_or_numpy_is_never_touched(shell: Any, failing: str, not_expected: list[str]) -> None:
    """Classes named ``DataFrame`` and ``ndarray`` from the user's own module (not from the cell: the
    failing line must be the cell's), whose every attribute read and protocol call is recorded."""
    module: dict[str, Any] = {"__name__": "users_module"}
    exec(compile(_SPY, "users_module.py", "exec"), module)  # noqa: S102 - the test's own class definitions
    shell.reset(new_session=False)
    shell.user_ns.update(df=module["DataFrame"](), arr=module["ndarray"]())
    with capture_output():
        result = shell.run_cell(failing, store_history=True)
    exc = result.error_in_exec
    assert exc is not None
    log = module["LOG"]
    log.clear()  # what the cell itself did is not the hints' doing
    hints = error_hints(exc, failing)
    assert log == [], f"the hints read {log} on a user's object for {failing!r}: {hints}"
    for part in not_expected:
        assert all(part not in h for h in hints), f"{part!r} in the hints of {failing!r}: {hints}"


@pytest.mark.parametrize("cell", [
    'keys = {str(i): i for i in range(10**6)}\nkeys["Keyz"]',                  # "did you mean" over a million keys
    'keys = {str(i): i for i in range(10**6)}\nkeys.get("Keyz").upper()',
    'amount = "$" + "1" * 10**7\nfloat(amount)',                               # a message that quotes 10 million characters
    's = "7" * 10**7\nif s > 3:\n    pass',                                    # a 10-million-character str shown in the hint
    'n = "5" * 10**7\nn - 2',
    'import pandas as pd\ncols = {"a": [1, 2], "b": [1]}\ncols.update({str(i): [1] for i in range(10**6)})\npd.DataFrame(cols)',
    'import pandas as pd\nn = 10**6\nt = pd.DataFrame({"d": ["x"] * n, "c": ["y"] * n, "v": [1] * n})\nt.pivot(index="d", columns="c", values="v")',
    'xs = list(range(10**7))\nxs.remove(-1)',
    'mixed = list(range(10**7)) + ["a"]\nsorted(mixed)',
])
def test_big_values_are_not_copied_or_repred_whole(shell: Any, cell: str) -> None:
    took, hints = timed_hints(shell, cell)
    assert took < BOUND, f"the hints took {took:.2f} s (bound {BOUND} s) for:\n{cell}\n{hints}"
    assert all(len(h) <= 240 for h in hints)


def test_a_modules_own_getattr_is_not_run(shell: Any) -> None:
    """``'module' object is not callable``: the hint looks for a same-named function in the module's own
    namespace; a module-level ``__getattr__`` (a lazy loader: it may import a heavy package) is not run."""
    import types

    calls: list[str] = []
    lazy = types.ModuleType("lazy")
    lazy.__getattr__ = lambda name: calls.append(name)  # type: ignore[method-assign]
    shell.reset(new_session=False)
    shell.user_ns["lazy"] = lazy
    with capture_output():
        result = shell.run_cell("lazy(3)", store_history=True)
    assert result.error_in_exec is not None
    calls.clear()
    hints = error_hints(result.error_in_exec, "lazy(3)")
    assert calls == [], f"the module's __getattr__ ran for {calls}: {hints}"
    assert any("module" in h for h in hints), hints


@pytest.mark.parametrize("cell", [
    "x = None\n" + "          \n" * 8000 + "x.foo",
    "total = 10\n" + "   \n" * 8000 + "half = total / 4\n" + "   \n" * 8000 + "for k in range(half):\n    pass",
])
def test_a_cell_with_thousands_of_blank_lines_is_fast(shell: Any, cell: str) -> None:
    """The cell's earlier lines are searched line by line (``^[ \\t]*name = ...``): a ``^\\s*`` ran from every
    blank line over all the blank lines after it (8,000 took more than a second)."""
    took, hints = timed_hints(shell, cell)
    assert took < BOUND, f"the hints took {took:.2f} s (bound {BOUND} s): {hints}"
    assert hints


def test_a_blank_line_before_a_def_is_not_its_indentation(shell: Any) -> None:
    """``^\\s*def`` took the blank line before the ``def`` as its indentation: the corrected code had blank
    lines inside it."""
    cell = "x = 1\n\ndef add(item, items=[]):\n    items.append(item)\n    return items\n\nadd(1)\nassert add(2) == [2]"
    hints = hints_of(shell, cell)
    assert ("Corrected code:\n```python\ndef add(item, items=None):\n    if items is None:\n        items = []\n"
            "    items.append(item)\n    return items\n```") in hints, hints
