"""Real errors a data scientist meets, each with the rubric that scores an explanation of it.

Every ``cell`` really raises ``raises`` when run (bench/quality.py runs it and refuses a case that
does not). An answer passes when

* **cause**: at least one ``cause`` pattern matches the whole answer (case-insensitive): the concrete
  thing (the key, the name, the index, the value, the type) or the precise reason, not a generic
  restatement such as "there is an error in your code";
* **fix**: at least one ``fix`` pattern matches the answer's *code* (fenced blocks and inline code
  spans, case-sensitive): a change that removes the error for the reason the case is about.

Both are required. The patterns are deliberately permissive about form (any correct variant of the
fix counts) and strict about content. bench/README.md documents the rubric.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    id: str
    cell: str
    raises: str
    cause: tuple[str, ...]
    fix: tuple[str, ...]


CASES: tuple[Case, ...] = (
    Case("dict-key-case", 'person = {"name": "Ann", "age": 31}\nprint(person["Age"])', "KeyError",
         (r"['\"`]Age['\"`]", r"\bAge\b.*(key|not (found|exist|present))"),
         (r'person\[["\']age["\']\]', r'\.get\(\s*["\'](age|Age)["\']', r'if\s+["\']Age["\']\s+in\s+person')),
    Case("mean-empty-list", "scores = []\naverage = sum(scores) / len(scores)\nprint(average)", "ZeroDivisionError",
         (r"empty", r"len\(scores\)\s*(is|==|returns|equals)\s*0", r"zero (items|elements|length)"),
         (r"if\s+(not\s+)?scores\b", r"if\s+len\(scores\)", r"len\(scores\)\s*(>|!=|==)\s*0", r"if\s+scores\s*(else|:)")),
    Case("str-plus-int", 'age = 42\nmessage = "Age: " + age\nprint(message)', "TypeError",
         (r"\bstr(ing)?\b.*\bint(eger)?\b", r"\bint(eger)?\b.*\bstr(ing)?\b", r"concatenat"),
         (r"str\(age\)", r"f[\"'][^\"']*\{age\}", r"\.format\(age\)", r"\"Age:\s*\"\s*,\s*age")),
    Case("off-by-one", "values = [10, 20, 30]\nfor i in range(len(values) + 1):\n    print(values[i])", "IndexError",
         (r"\b3\b.*(index|out of range)", r"(index|out of range).*\b3\b", r"len\(values\)\s*\+\s*1", r"one (too many|extra|past)"),
         (r"range\(len\(values\)\)", r"for\s+\w+\s+in\s+values\s*:")),
    Case("sort-returns-none", "items = [3, 1, 2]\nitems = items.sort()\nprint(items[0])", "TypeError",
         (r"sort\(\)[^.]*\bNone\b", r"\bNone\b[^.]*sort", r"in[- ]place"),
         (r"sorted\(items\)", r"(?m)^\s*items\.sort\(\)\s*$")),
    Case("missing-import-pandas", 'df = pd.DataFrame({"a": [1, 2, 3]})\nprint(df)', "NameError",
         (r"['\"`]pd['\"`]", r"\bpd\b.*(not defined|import)", r"import"),
         (r"import pandas as pd",)),
    Case("int-of-float-string", 'value = int("3.5")\nprint(value)', "ValueError",
         (r"3\.5", r"decimal", r"float"),
         (r"int\(float\(", r"float\(\s*[\"']3\.5")),
    Case("module-typo", "import panda as pd\ndf = pd.DataFrame()", "ModuleNotFoundError",
         (r"['\"`]panda['\"`]", r"\bpanda\b.*(module|typo|misspel|pandas)"),
         (r"import pandas as pd", r"pip install pandas")),
    Case("for-in-len", "xs = [1, 2, 3]\nfor i in len(xs):\n    print(xs[i])", "TypeError",
         (r"len\(xs\)", r"\bint\b.*(not )?iterable", r"integer.*(not )?iterable"),
         (r"range\(len\(xs\)\)", r"for\s+\w+\s+in\s+xs\s*:")),
    Case("recursion-no-base", "def factorial(n):\n    return n * factorial(n - 1)\n\nfactorial(5)", "RecursionError",
         (r"base case", r"never (stops|ends)", r"(no|without a?) (stopping|base|termination)", r"infinite"),
         (r"if\s+n\s*(<=|==|<)\s*[01]",)),
    Case("missing-csv", 'import pandas as pd\nsales = pd.read_csv("sales_2023.csv")', "FileNotFoundError",
         (r"sales_2023\.csv",),
         (r"os\.path\.exists", r"os\.getcwd\(\)", r"os\.listdir", r"Path\(", r"read_csv\([\"'](/|\.\./|[A-Za-z]:|~)", r"exists\(\)")),
    Case("list-as-dict-key", 'lookup = {}\nlookup[[1, 2]] = "pair"', "TypeError",
         (r"unhashable", r"\blist\b.*(key|hash)"),
         (r"tuple\(", r"lookup\[\(1,\s*2\)\]", r"lookup\[1,\s*2\]", r"\{\s*\(1,\s*2\)\s*:")),
    Case("json-empty-string", 'import json\nraw = ""\ndata = json.loads(raw)', "JSONDecodeError",
         (r"empty",),
         (r"if\s+(not\s+)?raw(\.strip\(\))?\s*:", r"try\s*:", r"if\s+raw\s*(!=|==)")),
    Case("missing-argument", "def area(width, height):\n    return width * height\n\nprint(area(3))", "TypeError",
         (r"['\"`]height['\"`]", r"\bheight\b.*(missing|argument|not (given|passed|provided))", r"(missing|argument).*\bheight\b"),
         (r"area\(3,\s*\w+\)", r"height\s*=\s*\d")),
    Case("list-push", "stack = [1, 2]\nstack.push(3)", "AttributeError",
         (r"push",),
         (r"stack\.append\(3\)", r"\.append\(")),
    Case("count-missing-key", 'counts = {}\nfor word in ["a", "b", "a"]:\n    counts[word] += 1', "KeyError",
         (r"['\"`]a['\"`]", r"(key|word).*(not (yet )?(in|exist|present)|missing|first time)"),
         (r"\.get\(word,\s*0\)", r"defaultdict", r"Counter\(", r"if\s+word\s+(not\s+)?in\s+counts", r"setdefault\(")),
    Case("sqrt-negative", "import math\nprint(math.sqrt(-1))", "ValueError",
         (r"negative", r"-1"),
         (r"cmath", r"abs\(", r">=\s*0", r"<\s*0")),
    Case("pandas-column-case", 'import pandas as pd\ndf = pd.DataFrame({"price": [9.5, 12.0]})\nprint(df["Price"].sum())', "KeyError",
         (r"['\"`]Price['\"`]", r"\bPrice\b.*(column|key|case)"),
         (r'df\[["\']price["\']\]', r"df\.price\b", r"str\.lower\(\)")),
    Case("pandas-mean-of-strings", 'import pandas as pd\ndf = pd.DataFrame({"price": ["10", "20", "30"]})\nprint(df["price"].mean())', "TypeError",
         (r"\bstr(ing)?s?\b", r"\bobject\b", r"\btext\b"),
         (r"astype\((float|int)", r"pd\.to_numeric\(")),
    Case("pandas-iloc-out-of-bounds", 'import pandas as pd\ndf = pd.DataFrame({"a": [1, 2, 3]})\nprint(df.iloc[3])', "IndexError",
         (r"\b3\b", r"out[- ]of[- ]bounds", r"only (has )?(3|three) rows"),
         (r"iloc\[(2|-1)\]", r"len\(df\)", r"df\.tail\(")),
    Case("pandas-merge-key", 'import pandas as pd\nleft = pd.DataFrame({"id": [1, 2], "x": [3, 4]})\nright = pd.DataFrame({"ID": [1, 2], "y": [5, 6]})\nmerged = pd.merge(left, right, on="id")',
         "KeyError",
         (r"['\"`]id['\"`].*(right|column|ID)", r"['\"`]ID['\"`]", r"\bID\b"),
         (r"left_on\s*=", r"right_on\s*=", r"rename\(", r"columns\s*=\s*\{?[\"']ID")),
    Case("pandas-series-truth", 'import pandas as pd\ndf = pd.DataFrame({"a": [1, 5, 3]})\nif df["a"] > 2:\n    print("big")', "ValueError",
         (r"ambiguous", r"\bSeries\b"),
         (r"\.any\(\)", r"\.all\(\)", r"df\[df\[[\"']a[\"']\]\s*>\s*2\]")),
    Case("pandas-and-or", 'import pandas as pd\ndf = pd.DataFrame({"a": [1, 5, 3], "b": [2, 2, 9]})\nsubset = df[df["a"] > 1 and df["b"] < 5]', "ValueError",
         (r"\band\b.*(&|element|Series|ambiguous)", r"ambiguous", r"&"),
         (r"\)\s*&\s*\(",)),
    Case("pandas-concat-args", 'import pandas as pd\na = pd.DataFrame({"x": [1]})\nb = pd.DataFrame({"x": [2]})\nboth = pd.concat(a, b)', "TypeError",
         (r"\blist\b", r"iterable", r"sequence"),
         (r"pd\.concat\(\[\s*a\s*,\s*b\s*\]",)),
    Case("numpy-matmul-shapes", "import numpy as np\na = np.ones((2, 3))\nb = np.ones((2, 3))\nc = a @ b", "ValueError",
         (r"\(2,\s*3\)", r"\b3\b.*\b2\b", r"shape", r"dimension"),
         (r"b\.T\b", r"a\.T\b", r"np\.transpose\(", r"reshape\(", r"a\s*\*\s*b")),
    Case("numpy-index-size", "import numpy as np\narr = np.array([1, 2, 3])\nprint(arr[3])", "IndexError",
         (r"\b3\b.*(index|size|bounds)", r"(index|size|bounds).*\b3\b"),
         (r"arr\[(2|-1)\]", r"len\(arr\)")),
    Case("numpy-append-method", "import numpy as np\narr = np.array([1, 2, 3])\narr.append(4)", "AttributeError",
         (r"append",),
         (r"np\.append\(", r"np\.concatenate\(", r"np\.hstack\(")),
    Case("numpy-zeros-shape", "import numpy as np\ngrid = np.zeros(3, 4)", "TypeError",
         (r"tuple", r"\b4\b.*(dtype|data type|type)", r"shape"),
         (r"np\.zeros\(\(3,\s*4\)\)", r"np\.zeros\(\[3,\s*4\]\)")),
    Case("regex-no-match", 'import re\nm = re.match(r"\\d+", "abc")\nprint(m.group())', "AttributeError",
         (r"\bNone\b", r"no match", r"did not match", r"doesn't match"),
         (r"if\s+m\s*(is not None)?\s*:", r"if\s+m\s+is\s+None", r"if\s+not\s+m\b")),
    Case("unbound-local", "count = 0\n\ndef increment():\n    count += 1\n\nincrement()", "UnboundLocalError",
         (r"\bcount\b.*(local|global|before)", r"(local|global).*\bcount\b"),
         (r"global\s+count", r"return\s+count\s*\+\s*1", r"def increment\(count\)")),
)
