"""Execution-graded cases, set B: pandas, numpy and plain-Python errors met in notebooks."""

from bench.exec_case import ExecCase

CASES: tuple[ExecCase, ...] = (
    # ------------------------------------------------------------------ pandas
    ExecCase(
        id="b-resample-without-datetime-index",
        setup=(
            "import pandas as pd\n"
            "import numpy as np\n"
            "sales = pd.DataFrame({\n"
            "    'date': ['2024-01-05', '2024-01-20', '2024-02-03', '2024-02-14', '2024-02-28', '2024-03-09'],\n"
            "    'amount': [120.0, 80.0, 200.0, 50.0, 30.0, 90.0],\n"
            "})\n"
        ),
        cell=(
            "# total sales per calendar month\n"
            "sales = sales.set_index('date')\n"
            "monthly = sales['amount'].resample('MS').sum()\n"
        ),
        raises="TypeError",
        check="len(monthly) == 3 and np.allclose(np.asarray(monthly, dtype=float).ravel(), [200.0, 280.0, 90.0])",
        intent="Sum the sales amounts per calendar month (Jan, Feb, Mar 2024).",
        reference=(
            "# total sales per calendar month\n"
            "sales['date'] = pd.to_datetime(sales['date'])\n"
            "sales = sales.set_index('date')\n"
            "monthly = sales['amount'].resample('MS').sum()\n"
        ),
    ),
    ExecCase(
        id="b-time-rolling-unsorted-index",
        setup=(
            "import pandas as pd\n"
            "import numpy as np\n"
            "temps = pd.DataFrame({\n"
            "    'day': pd.to_datetime(['2024-07-03', '2024-07-01', '2024-07-02', '2024-07-05', '2024-07-04']),\n"
            "    'temp': [25.0, 21.0, 23.0, 30.0, 28.0],\n"
            "}).set_index('day')\n"
        ),
        cell=(
            "# 3-day rolling mean temperature\n"
            "temps['temp_3d'] = temps['temp'].rolling('3D').mean()\n"
        ),
        raises="ValueError",
        check=(
            "np.allclose(temps.sort_index()['temp_3d'].to_numpy(dtype=float), "
            "[21.0, 22.0, 23.0, 76.0 / 3, 83.0 / 3])"
        ),
        intent="Add a column with the time-based 3-day rolling mean temperature for each day.",
        reference=(
            "# 3-day rolling mean temperature\n"
            "temps = temps.sort_index()\n"
            "temps['temp_3d'] = temps['temp'].rolling('3D').mean()\n"
        ),
    ),
    ExecCase(
        id="b-categorical-fillna-new-label",
        setup=(
            "import pandas as pd\n"
            "survey = pd.DataFrame({\n"
            "    'respondent': [101, 102, 103, 104, 105],\n"
            "    'plan': pd.Categorical(['basic', None, 'pro', 'basic', None], categories=['basic', 'pro']),\n"
            "})\n"
        ),
        cell=(
            "# label missing plans explicitly before counting\n"
            "survey['plan'] = survey['plan'].fillna('unknown')\n"
            "plan_counts = survey['plan'].value_counts()\n"
        ),
        raises="TypeError",
        check=(
            "{str(k): int(v) for k, v in plan_counts.items() if int(v) > 0} == {'basic': 2, 'unknown': 2, 'pro': 1}"
            " and int(survey['plan'].isna().sum()) == 0"
        ),
        intent="Replace missing plan values with 'unknown' and count respondents per plan, unknown included.",
        reference=(
            "# label missing plans explicitly before counting\n"
            "survey['plan'] = survey['plan'].cat.add_categories('unknown').fillna('unknown')\n"
            "plan_counts = survey['plan'].value_counts()\n"
        ),
    ),
    ExecCase(
        id="b-str-accessor-on-integer-zip",
        setup=(
            "import pandas as pd\n"
            "customers = pd.DataFrame({\n"
            "    'name': ['Ana', 'Ben', 'Cho', 'Dev'],\n"
            "    'zip': [2139, 10001, 60614, 501],\n"
            "})\n"
        ),
        cell=(
            "# the zip codes lost their leading zeros on import: pad back to 5 digits\n"
            "customers['zip5'] = customers['zip'].str.zfill(5)\n"
        ),
        raises="AttributeError",
        check="[str(z) for z in customers['zip5']] == ['02139', '10001', '60614', '00501']",
        intent="Make a 5-character zero-padded zip code string column from the integer zip column.",
        reference=(
            "# the zip codes lost their leading zeros on import: pad back to 5 digits\n"
            "customers['zip5'] = customers['zip'].astype(str).str.zfill(5)\n"
        ),
    ),
    ExecCase(
        id="b-multiindex-loc-inner-level",
        setup=(
            "import pandas as pd\n"
            "df = pd.DataFrame({\n"
            "    'region': ['north', 'north', 'south', 'south', 'east', 'east'],\n"
            "    'quarter': ['Q1', 'Q2', 'Q1', 'Q2', 'Q1', 'Q2'],\n"
            "    'revenue': [100, 120, 90, 95, 60, 80],\n"
            "    'units': [10, 12, 9, 9, 6, 7],\n"
            "})\n"
            "summary = df.groupby(['region', 'quarter']).sum()\n"
        ),
        cell=(
            "# Q2 revenue for every region\n"
            "q2_revenue = summary.loc[:, 'Q2']['revenue']\n"
            "best_region = q2_revenue.idxmax()\n"
        ),
        raises="KeyError",
        check=(
            "{(k[0] if isinstance(k, tuple) else k): int(v) for k, v in q2_revenue.items()}"
            " == {'east': 80, 'north': 120, 'south': 95}"
            " and (best_region[0] if isinstance(best_region, tuple) else best_region) == 'north'"
        ),
        intent="Select the Q2 revenue of each region from the (region, quarter) summary and find the best region.",
        reference=(
            "# Q2 revenue for every region\n"
            "q2_revenue = summary.xs('Q2', level='quarter')['revenue']\n"
            "best_region = q2_revenue.idxmax()\n"
        ),
    ),
    ExecCase(
        id="b-map-grades-trailing-space",
        setup=(
            "import pandas as pd\n"
            "grades = pd.DataFrame({\n"
            "    'student': ['ann', 'bo', 'cy', 'di', 'ed'],\n"
            "    'letter': ['A', 'B ', 'C', 'B', 'A '],\n"
            "})\n"
            "points = {'A': 4, 'B': 3, 'C': 2, 'D': 1, 'F': 0}\n"
        ),
        cell=(
            "grades['gpa_points'] = grades['letter'].map(points).astype(int)\n"
            "mean_gpa = grades['gpa_points'].mean()\n"
        ),
        raises="IntCastingNaNError",
        check="[int(x) for x in grades['gpa_points']] == [4, 3, 2, 3, 4] and abs(float(mean_gpa) - 3.2) < 1e-9",
        intent="Convert every letter grade to its grade points and take the mean (3.2).",
        reference=(
            "grades['gpa_points'] = grades['letter'].str.strip().map(points).astype(int)\n"
            "mean_gpa = grades['gpa_points'].mean()\n"
        ),
    ),
    ExecCase(
        id="b-tz-aware-minus-naive-timestamp",
        setup=(
            "import pandas as pd\n"
            "import numpy as np\n"
            "events = pd.DataFrame({\n"
            "    'ts': pd.to_datetime(['2024-05-01 06:00:00+00:00', '2024-05-01 18:30:00+00:00',\n"
            "                          '2024-05-02 09:15:00+00:00']),\n"
            "    'event': ['login', 'purchase', 'logout'],\n"
            "})\n"
        ),
        cell=(
            "launch = pd.Timestamp('2024-05-01 00:00')\n"
            "events['hours_since_launch'] = (events['ts'] - launch).dt.total_seconds() / 3600\n"
        ),
        raises="TypeError",
        check="np.allclose(events['hours_since_launch'].to_numpy(dtype=float), [6.0, 18.5, 33.25])",
        intent="Hours elapsed between the (UTC) launch at midnight on 2024-05-01 and each event.",
        reference=(
            "launch = pd.Timestamp('2024-05-01 00:00', tz='UTC')\n"
            "events['hours_since_launch'] = (events['ts'] - launch).dt.total_seconds() / 3600\n"
        ),
    ),
    # ------------------------------------------------------------------ numpy
    ExecCase(
        id="b-reshape-rgb-missing-channel-axis",
        setup=(
            "import numpy as np\n"
            "h, w = 4, 6\n"
            "rng = np.random.default_rng(7)\n"
            "# a flattened RGB image, stored row-major as (height, width, channel)\n"
            "img_flat = rng.integers(0, 256, size=h * w * 3).astype(float)\n"
        ),
        cell=(
            "# restore the image and get the mean of each colour channel\n"
            "img = img_flat.reshape(h, w)\n"
            "channel_means = img.mean(axis=(0, 1))\n"
        ),
        raises="ValueError",
        check=(
            "np.shape(channel_means) == (3,) and "
            "np.allclose(channel_means, [img_flat[c::3].mean() for c in range(3)])"
        ),
        intent="Reshape the flat buffer back to (h, w, 3) and compute the mean of the R, G and B channels.",
        reference=(
            "# restore the image and get the mean of each colour channel\n"
            "img = img_flat.reshape(h, w, 3)\n"
            "channel_means = img.mean(axis=(0, 1))\n"
        ),
    ),
    ExecCase(
        id="b-hstack-intercept-1d-ones",
        setup=(
            "import numpy as np\n"
            "X = np.array([[1.5, 2.0], [0.5, 1.0], [3.0, 0.5], [2.0, 2.5], [4.0, 1.0]])\n"
            "y = 1.0 + 2.0 * X[:, 0] - 1.0 * X[:, 1]\n"
        ),
        cell=(
            "# add an intercept column of ones in front of the features, then fit least squares\n"
            "X_b = np.hstack([np.ones(len(X)), X])\n"
            "theta = np.linalg.lstsq(X_b, y, rcond=None)[0]\n"
        ),
        raises="ValueError",
        check=(
            "np.shape(X_b) == (5, 3) and np.allclose(X_b[:, 0], 1.0) and np.allclose(X_b[:, 1:], X)"
            " and np.allclose(np.ravel(theta), [1.0, 2.0, -1.0])"
        ),
        intent="Prepend a column of ones to X and fit ordinary least squares, giving theta = [1, 2, -1].",
        reference=(
            "# add an intercept column of ones in front of the features, then fit least squares\n"
            "X_b = np.hstack([np.ones((len(X), 1)), X])\n"
            "theta = np.linalg.lstsq(X_b, y, rcond=None)[0]\n"
        ),
    ),
    ExecCase(
        id="b-boolean-mask-wrong-axis-mean",
        setup=(
            "import numpy as np\n"
            "# rows = students, columns = tests\n"
            "scores = np.array([[55, 70, 62], [80, 85, 90], [40, 65, 50], [72, 58, 66], [90, 95, 88]])\n"
            "names = np.array(['ana', 'ben', 'cy', 'dee', 'eli'])\n"
        ),
        cell=(
            "# students whose average across the tests is above 60\n"
            "avg = scores.mean(axis=0)\n"
            "passing = names[avg > 60]\n"
        ),
        raises="IndexError",
        check="[str(n) for n in passing] == ['ana', 'ben', 'dee', 'eli']",
        intent="Names of the students whose mean test score (row mean) exceeds 60.",
        reference=(
            "# students whose average across the tests is above 60\n"
            "avg = scores.mean(axis=1)\n"
            "passing = names[avg > 60]\n"
        ),
    ),
    ExecCase(
        id="b-linspace-float-indices",
        setup=(
            "import numpy as np\n"
            "t = np.linspace(0.0, 10.0, 101)\n"
            "signal = np.round(np.sin(t) * np.exp(-0.1 * t), 4)\n"
        ),
        cell=(
            "# take 5 evenly spaced samples across the recording\n"
            "idx = np.linspace(0, len(signal) - 1, 5)\n"
            "samples = signal[idx]\n"
        ),
        raises="IndexError",
        check="np.shape(samples) == (5,) and np.allclose(samples, signal[[0, 25, 50, 75, 100]])",
        intent="Pick the 5 evenly spaced samples at positions 0, 25, 50, 75 and 100 of the signal.",
        reference=(
            "# take 5 evenly spaced samples across the recording\n"
            "idx = np.linspace(0, len(signal) - 1, 5).astype(int)\n"
            "samples = signal[idx]\n"
        ),
    ),
    ExecCase(
        id="b-matmul-row-vector-coefficients",
        setup=(
            "import numpy as np\n"
            "# first column is the intercept\n"
            "X = np.array([[1.0, 2.0, 0.5], [1.0, 0.0, 1.5], [1.0, 3.0, 2.0], [1.0, 1.0, 1.0]])\n"
            "y_true = np.array([4.0, -1.0, 5.0, 1.0])\n"
            "# coefficients exported from the fitted model, shape (1, 3)\n"
            "theta = np.array([[0.5, 2.0, -1.0]])\n"
        ),
        cell=(
            "y_pred = X @ theta\n"
            "residuals = y_true - y_pred\n"
            "rmse = np.sqrt(np.mean(residuals ** 2))\n"
        ),
        raises="ValueError",
        check=(
            "np.allclose(np.ravel(y_pred), [4.0, -1.0, 4.5, 1.5]) and np.shape(residuals) == (4,)"
            " and np.allclose(residuals, [0.0, 0.0, 0.5, -0.5]) and abs(float(rmse) - 0.125 ** 0.5) < 1e-9"
        ),
        intent="Predict y for each row of X with the saved coefficients and compute residuals and RMSE.",
        reference=(
            "y_pred = X @ theta.ravel()\n"
            "residuals = y_true - y_pred\n"
            "rmse = np.sqrt(np.mean(residuals ** 2))\n"
        ),
    ),
    ExecCase(
        id="b-argsort-indexing-python-list",
        setup=(
            "import numpy as np\n"
            "players = ['kim', 'lee', 'park', 'choi', 'jung', 'kang']\n"
            "points = np.array([12.5, 30.1, 8.0, 22.4, 30.0, 15.2])\n"
        ),
        cell=(
            "# names of the three top scorers, best first\n"
            "order = np.argsort(points)[::-1]\n"
            "top3 = players[order[:3]]\n"
        ),
        raises="TypeError",
        check="[str(p) for p in top3] == ['lee', 'jung', 'choi']",
        intent="The names of the three highest-scoring players in descending order of points.",
        reference=(
            "# names of the three top scorers, best first\n"
            "order = np.argsort(points)[::-1]\n"
            "top3 = np.array(players)[order[:3]]\n"
        ),
    ),
    ExecCase(
        id="b-generator-has-no-randint",
        setup=(
            "import numpy as np\n"
            "rng = np.random.default_rng(42)\n"
        ),
        cell=(
            "# simulate 10 rolls of a six-sided die\n"
            "rolls = rng.randint(1, 7, size=10)\n"
            "n_sixes = int((rolls == 6).sum())\n"
        ),
        raises="AttributeError",
        check=(
            "[int(r) for r in rolls] == [int(r) for r in np.random.default_rng(42).integers(1, 7, size=10)]"
            " and n_sixes == sum(1 for r in rolls if int(r) == 6)"
        ),
        intent="Draw 10 reproducible die rolls (1-6) from the seeded Generator and count the sixes.",
        reference=(
            "# simulate 10 rolls of a six-sided die\n"
            "rolls = rng.integers(1, 7, size=10)\n"
            "n_sixes = int((rolls == 6).sum())\n"
        ),
    ),
    # ------------------------------------------------------------------ plain Python / stdlib
    ExecCase(
        id="b-generator-exhausted-by-min",
        setup=(
            "readings = [12.1, -999.0, 13.4, 11.8, -999.0, 14.2, 12.9]  # -999 marks a sensor dropout\n"
            "valid = (r for r in readings if r != -999.0)\n"
        ),
        cell=(
            "lo = min(valid)\n"
            "hi = max(valid)\n"
            "spread = hi - lo\n"
        ),
        raises="ValueError",
        check="lo == 11.8 and hi == 14.2 and abs(spread - 2.4) < 1e-9",
        intent="Smallest, largest and range of the valid (non-dropout) readings.",
        reference=(
            "valid = list(valid)\n"
            "lo = min(valid)\n"
            "hi = max(valid)\n"
            "spread = hi - lo\n"
        ),
    ),
    ExecCase(
        id="b-sorted-zip-tie-compares-dicts",
        setup=(
            "students = [\n"
            "    {'name': 'Ana', 'year': 2},\n"
            "    {'name': 'Ben', 'year': 3},\n"
            "    {'name': 'Cai', 'year': 2},\n"
            "    {'name': 'Dee', 'year': 1},\n"
            "]\n"
            "scores = [88, 92, 88, 75]\n"
        ),
        cell=(
            "# rank students from highest to lowest score\n"
            "ranked = sorted(zip(scores, students), reverse=True)\n"
            "leaderboard = [s['name'] for _, s in ranked]\n"
        ),
        raises="TypeError",
        check="leaderboard in (['Ben', 'Ana', 'Cai', 'Dee'], ['Ben', 'Cai', 'Ana', 'Dee'])",
        intent="Student names ordered by score, highest first (the two 88s may tie in either order).",
        reference=(
            "# rank students from highest to lowest score\n"
            "ranked = sorted(zip(scores, students), key=lambda pair: pair[0], reverse=True)\n"
            "leaderboard = [s['name'] for _, s in ranked]\n"
        ),
    ),
    ExecCase(
        id="b-str-format-dict-not-unpacked",
        setup=(
            "row = {'city': 'Lisbon', 'temp': 21.456, 'humidity': 0.63}\n"
            "template = '{city}: {temp:.1f}°C, humidity {humidity:.0%}'\n"
        ),
        cell=(
            "report = template.format(row)\n"
            "print(report)\n"
        ),
        raises="KeyError",
        check="report == 'Lisbon: 21.5°C, humidity 63%'",
        intent="Fill the report template with the row's fields: 'Lisbon: 21.5°C, humidity 63%'.",
        reference=(
            "report = template.format(**row)\n"
            "print(report)\n"
        ),
    ),
    ExecCase(
        id="b-dataclass-mutable-list-default",
        setup="from dataclasses import dataclass, field\n",
        cell=(
            "@dataclass\n"
            "class Basket:\n"
            "    owner: str\n"
            "    items: list = []\n"
            "\n"
            "ann = Basket('ann')\n"
            "ann.items.append('apple')\n"
            "bob = Basket('bob')\n"
        ),
        raises="ValueError",
        check=(
            "ann.owner == 'ann' and bob.owner == 'bob' and list(ann.items) == ['apple']"
            " and list(bob.items) == [] and ann.items is not bob.items"
        ),
        intent="A Basket dataclass whose items default to a fresh empty list per instance.",
        reference=(
            "@dataclass\n"
            "class Basket:\n"
            "    owner: str\n"
            "    items: list = field(default_factory=list)\n"
            "\n"
            "ann = Basket('ann')\n"
            "ann.items.append('apple')\n"
            "bob = Basket('bob')\n"
        ),
    ),
    ExecCase(
        id="b-closure-running-mean-needs-nonlocal",
        setup="stream = [4.0, 8.0, 6.0, 2.0]\n",
        cell=(
            "def make_running_mean():\n"
            "    total, n = 0.0, 0\n"
            "    def update(x):\n"
            "        total += x\n"
            "        n += 1\n"
            "        return total / n\n"
            "    return update\n"
            "\n"
            "update = make_running_mean()\n"
            "means = [update(x) for x in stream]\n"
        ),
        raises="UnboundLocalError",
        check="len(means) == 4 and all(abs(a - b) < 1e-9 for a, b in zip(means, [4.0, 6.0, 6.0, 5.0]))",
        intent="The running mean after each value of the stream: [4, 6, 6, 5].",
        reference=(
            "def make_running_mean():\n"
            "    total, n = 0.0, 0\n"
            "    def update(x):\n"
            "        nonlocal total, n\n"
            "        total += x\n"
            "        n += 1\n"
            "        return total / n\n"
            "    return update\n"
            "\n"
            "update = make_running_mean()\n"
            "means = [update(x) for x in stream]\n"
        ),
    ),
    ExecCase(
        id="b-flatten-recurses-into-strings",
        setup="nested = ['a', [1, 'bc', [2, 3]], ('d', 4)]\n",
        cell=(
            "def flatten(items):\n"
            "    out = []\n"
            "    for x in items:\n"
            "        if hasattr(x, '__iter__'):\n"
            "            out.extend(flatten(x))\n"
            "        else:\n"
            "            out.append(x)\n"
            "    return out\n"
            "\n"
            "flat = flatten(nested)\n"
        ),
        raises="RecursionError",
        check="flat == ['a', 1, 'bc', 2, 3, 'd', 4]",
        intent="Flatten the nested lists/tuples into one list, keeping strings as whole elements.",
        reference=(
            "def flatten(items):\n"
            "    out = []\n"
            "    for x in items:\n"
            "        if hasattr(x, '__iter__') and not isinstance(x, str):\n"
            "            out.extend(flatten(x))\n"
            "        else:\n"
            "            out.append(x)\n"
            "    return out\n"
            "\n"
            "flat = flatten(nested)\n"
        ),
    ),
    ExecCase(
        id="b-timedelta-has-no-hours",
        setup=(
            "from datetime import datetime\n"
            "shift_start = datetime(2024, 3, 1, 8, 0)\n"
            "shift_end = datetime(2024, 3, 2, 14, 30)\n"
        ),
        cell=(
            "# length of the shift in hours\n"
            "duration = shift_end - shift_start\n"
            "hours = duration.hours\n"
        ),
        raises="AttributeError",
        check="abs(float(hours) - 30.5) < 1e-9",
        intent="The total length of the shift in hours (30.5), including the full day.",
        reference=(
            "# length of the shift in hours\n"
            "duration = shift_end - shift_start\n"
            "hours = duration.total_seconds() / 3600\n"
        ),
    ),
    ExecCase(
        id="b-json-dumps-numpy-int64",
        setup=(
            "import json\n"
            "import numpy as np\n"
            "import pandas as pd\n"
            "df = pd.DataFrame({'x': [1.0, None, 3.0, 5.0, None]})\n"
            "summary = {'n_rows': len(df), 'n_missing': df['x'].isna().sum(), 'mean_x': df['x'].mean()}\n"
        ),
        cell=(
            "payload = json.dumps(summary, indent=2)\n"
            "print(payload)\n"
        ),
        raises="TypeError",
        check="json.loads(payload) == {'n_rows': 5, 'n_missing': 2, 'mean_x': 3.0}",
        intent="Serialise the summary dict to a JSON string with the missing count as the number 2.",
        reference=(
            "summary['n_missing'] = int(summary['n_missing'])\n"
            "payload = json.dumps(summary, indent=2)\n"
            "print(payload)\n"
        ),
    ),
    ExecCase(
        id="b-defaultdict-factory-called",
        setup=(
            "from collections import defaultdict\n"
            "orders = [('ana', 'pen'), ('ben', 'ink'), ('ana', 'pad'), ('cy', 'pen'), ('ben', 'pen')]\n"
        ),
        cell=(
            "# group the items ordered by each customer\n"
            "by_customer = defaultdict(list())\n"
            "for customer, item in orders:\n"
            "    by_customer[customer].append(item)\n"
        ),
        raises="TypeError",
        check="dict(by_customer) == {'ana': ['pen', 'pad'], 'ben': ['ink', 'pen'], 'cy': ['pen']}",
        intent="A mapping from each customer to the list of items they ordered, in order.",
        reference=(
            "# group the items ordered by each customer\n"
            "by_customer = defaultdict(list)\n"
            "for customer, item in orders:\n"
            "    by_customer[customer].append(item)\n"
        ),
    ),
    ExecCase(
        id="b-default-arg-uses-parameter",
        setup="monthly_sales = [120.0, 80.0, 200.0]\n",
        cell=(
            "def as_shares(values, total=sum(values)):\n"
            "    return [v / total for v in values]\n"
            "\n"
            "sales_share = as_shares(monthly_sales)\n"
        ),
        raises="NameError",
        check="len(sales_share) == 3 and all(abs(a - b) < 1e-9 for a, b in zip(sales_share, [0.3, 0.2, 0.5]))",
        intent="Each month's share of total sales: [0.3, 0.2, 0.5].",
        reference=(
            "def as_shares(values, total=None):\n"
            "    if total is None:\n"
            "        total = sum(values)\n"
            "    return [v / total for v in values]\n"
            "\n"
            "sales_share = as_shares(monthly_sales)\n"
        ),
    ),
)
