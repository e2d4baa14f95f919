"""Set H of execution-graded cases, written blind: 30 notebook errors a data scientist or student really
meets. Twelve are pandas (merging on keys of different dtypes, aggregating numbers stored as text with
thousands separators, comparing tz-aware times with a naive local cutoff, the .str accessor on float zip
codes, pivoting with duplicate entries, apply along the wrong axis, label versus position after a filter,
day-first date strings, per-group shares that need transform, MultiIndex columns after agg, removed
fillna(method=...), casting a column with NaN to int); eight are numpy (broadcasting a row statistic,
matmul with a transposed weight matrix, in-place float ops on an int array, float indices, a scalar `if`
on an array, concatenating arrays of different ndim, object arrays with None, reshaping a length that
does not divide); ten are plain Python and the standard library (UnboundLocalError from a closure over a
global, json on a Python repr, ISO timestamps with offsets, deleting from a dict while iterating, sorting
dataclasses without a key, functools.reduce on empty lists, re.match versus re.search, csv with a
non-default delimiter via io.StringIO, a filter that silently matches nothing because of case and
whitespace, and class-body names invisible to a comprehension). Several have a tempting quick fix that
runs but computes the wrong thing (dropping or coercing bad rows, the wrong axis, the wrong time zone,
skipping the failing items), which the checks reject."""

from bench.exec_case import ExecCase

CASES: tuple[ExecCase, ...] = (
    # ------------------------------------------------------------------ pandas
    ExecCase(
        id="h-pandas-merge-padded-string-ids",
        setup=(
            "import pandas as pd\n"
            "orders = pd.DataFrame({'order_id': [1, 2, 3, 4], 'cust_id': [7, 12, 7, 305],\n"
            "                       'amount': [20.0, 35.5, 12.0, 50.0]})\n"
            "customers = pd.DataFrame({'cust_id': ['0007', '0012', '0305'], 'name': ['Ana', 'Ben', 'Caro']})\n"
        ),
        cell=(
            "# attach each customer's name to their orders, then total spend per customer name\n"
            "merged = orders.merge(customers, on='cust_id', how='left')\n"
            "spend = merged.groupby('name')['amount'].sum()\n"
        ),
        raises="ValueError",
        check=(
            "{str(k): float(v) for k, v in spend.items()} == {'Ana': 32.0, 'Ben': 35.5, 'Caro': 50.0}"
        ),
        intent="Total order amount per customer name, matching integer customer ids to zero-padded string ids.",
        reference=(
            "cust = customers.assign(cust_id=customers['cust_id'].astype(int))\n"
            "merged = orders.merge(cust, on='cust_id', how='left')\n"
            "spend = merged.groupby('name')['amount'].sum()\n"
        ),
    ),
    ExecCase(
        id="h-pandas-groupby-mean-thousands-text",
        setup=(
            "import pandas as pd\n"
            "sales = pd.DataFrame({'region': ['north', 'south', 'north', 'south', 'east'],\n"
            "                      'revenue': ['1,200', '850', '2,400', '1,150', '990']})\n"
        ),
        cell=(
            "# average revenue per region (the revenue column came from a CSV export as text)\n"
            "avg = sales.groupby('region')['revenue'].mean()\n"
            "best = avg.idxmax()\n"
        ),
        raises="TypeError",
        check=(
            "abs(float(avg['north']) - 1800.0) < 1e-9 and abs(float(avg['south']) - 1000.0) < 1e-9"
            " and abs(float(avg['east']) - 990.0) < 1e-9 and best == 'north'"
        ),
        intent="Mean numeric revenue per region, parsing text amounts that use a thousands separator.",
        reference=(
            "revenue = sales['revenue'].str.replace(',', '', regex=False).astype(float)\n"
            "avg = revenue.groupby(sales['region']).mean()\n"
            "best = avg.idxmax()\n"
        ),
    ),
    ExecCase(
        id="h-pandas-tz-aware-vs-naive-local-cutoff",
        setup=(
            "import pandas as pd\n"
            "events = pd.DataFrame({\n"
            "    'ts': pd.to_datetime(['2024-03-10 03:30', '2024-03-10 04:30', '2024-03-10 06:00',\n"
            "                          '2024-03-11 02:00']).tz_localize('UTC'),\n"
            "    'user': ['a', 'b', 'c', 'd'],\n"
            "})\n"
        ),
        cell=(
            "# events from midnight New York time on 2024-03-10 onwards (ts is stored in UTC)\n"
            "cutoff = pd.Timestamp('2024-03-10 00:00')\n"
            "recent = events[events['ts'] >= cutoff]\n"
            "users = sorted(recent['user'])\n"
        ),
        raises="TypeError",
        check="list(users) == ['c', 'd']",
        intent="Users with events at or after 2024-03-10 00:00 America/New_York, the timestamps being UTC.",
        reference=(
            "cutoff = pd.Timestamp('2024-03-10 00:00', tz='America/New_York')\n"
            "recent = events[events['ts'] >= cutoff]\n"
            "users = sorted(recent['user'])\n"
        ),
    ),
    ExecCase(
        id="h-pandas-str-accessor-float-zip",
        setup=(
            "import pandas as pd\n"
            "addr = pd.DataFrame({'city': ['Boston', 'New York', 'Holtsville'], 'zip': [2134.0, 10001.0, 501.0]})\n"
        ),
        cell=(
            "# five-digit zip codes as text with their leading zeros, then a label per row\n"
            "addr['zip5'] = addr['zip'].str.zfill(5)\n"
            "labels = (addr['city'] + ' ' + addr['zip5']).tolist()\n"
        ),
        raises="AttributeError",
        check="list(labels) == ['Boston 02134', 'New York 10001', 'Holtsville 00501']",
        intent="Zero-padded five-digit zip strings from float zip codes, joined to the city names.",
        reference=(
            "addr['zip5'] = addr['zip'].astype(int).astype(str).str.zfill(5)\n"
            "labels = (addr['city'] + ' ' + addr['zip5']).tolist()\n"
        ),
    ),
    ExecCase(
        id="h-pandas-pivot-duplicate-entries",
        setup=(
            "import pandas as pd\n"
            "log = pd.DataFrame({'date': ['2024-05-01', '2024-05-01', '2024-05-01', '2024-05-02', '2024-05-02'],\n"
            "                    'product': ['pen', 'pen', 'ink', 'pen', 'ink'],\n"
            "                    'qty': [3, 2, 5, 4, 1]})\n"
        ),
        cell=(
            "# total quantity sold per date (rows) and product (columns)\n"
            "table = log.pivot(index='date', columns='product', values='qty')\n"
            "pen_total = table['pen'].sum()\n"
        ),
        raises="ValueError",
        check=(
            "float(table.loc['2024-05-01', 'pen']) == 5 and float(table.loc['2024-05-01', 'ink']) == 5"
            " and float(table.loc['2024-05-02', 'pen']) == 4 and float(table.loc['2024-05-02', 'ink']) == 1"
            " and float(pen_total) == 9"
        ),
        intent="A date-by-product table of summed quantities, where a date can have several rows per product.",
        reference=(
            "table = log.pivot_table(index='date', columns='product', values='qty', aggfunc='sum')\n"
            "pen_total = table['pen'].sum()\n"
        ),
    ),
    ExecCase(
        id="h-pandas-apply-row-wise-axis",
        setup=(
            "import pandas as pd\n"
            "items = pd.DataFrame({'price': [2.5, 4.0, 10.0], 'qty': [4, 3, 1], 'discount': [0.0, 0.5, 1.0]})\n"
        ),
        cell=(
            "# line total for each row: price times quantity minus that row's flat discount\n"
            "items['total'] = items.apply(lambda r: r['price'] * r['qty'] - r['discount'])\n"
            "grand = items['total'].sum()\n"
        ),
        raises="KeyError",
        check=(
            "[round(float(x), 9) for x in items['total']] == [10.0, 11.5, 9.0] and abs(float(grand) - 30.5) < 1e-9"
        ),
        intent="A per-row total price*qty-discount column and its grand total.",
        reference=(
            "items['total'] = items.apply(lambda r: r['price'] * r['qty'] - r['discount'], axis=1)\n"
            "grand = items['total'].sum()\n"
        ),
    ),
    ExecCase(
        id="h-pandas-loc-label-after-filter-sort",
        setup=(
            "import pandas as pd\n"
            "staff = pd.DataFrame({'name': ['Ivy', 'Jon', 'Kim', 'Lee', 'Max'],\n"
            "                      'dept': ['sales', 'ops', 'ops', 'sales', 'ops'],\n"
            "                      'score': [88, 72, 95, 91, 60]})\n"
        ),
        cell=(
            "# name of the highest-scoring person in the ops department\n"
            "ops = staff[staff['dept'] == 'ops'].sort_values('score', ascending=False)\n"
            "best = ops.loc[0, 'name']\n"
            "msg = f'Top ops: {best}'\n"
        ),
        raises="KeyError",
        check="best == 'Kim' and msg == 'Top ops: Kim'",
        intent="The name on the first row (by position) of the ops staff sorted by descending score.",
        reference=(
            "ops = staff[staff['dept'] == 'ops'].sort_values('score', ascending=False)\n"
            "best = ops.iloc[0]['name']\n"
            "msg = f'Top ops: {best}'\n"
        ),
    ),
    ExecCase(
        id="h-pandas-to-datetime-day-first",
        setup=(
            "import pandas as pd\n"
            "visits = pd.DataFrame({'day': ['12/01/2024', '25/01/2024', '03/02/2024', '14/02/2024'],\n"
            "                       'n': [5, 7, 2, 4]})\n"
        ),
        cell=(
            "# visits per calendar month; the dates are written day/month/year\n"
            "visits['day'] = pd.to_datetime(visits['day'])\n"
            "monthly = visits.groupby(visits['day'].dt.month)['n'].sum()\n"
        ),
        raises="ValueError",
        check="{int(k): int(v) for k, v in monthly.items()} == {1: 12, 2: 6}",
        intent="Sum of visits per month, parsing dd/mm/yyyy date strings correctly.",
        reference=(
            "visits['day'] = pd.to_datetime(visits['day'], format='%d/%m/%Y')\n"
            "monthly = visits.groupby(visits['day'].dt.month)['n'].sum()\n"
        ),
    ),
    ExecCase(
        id="h-pandas-group-share-needs-transform",
        setup=(
            "import pandas as pd\n"
            "pts = pd.DataFrame({'player': ['a', 'b', 'c', 'd', 'e'], 'team': ['x', 'x', 'y', 'y', 'y'],\n"
            "                    'pts': [10, 30, 5, 5, 10]})\n"
        ),
        cell=(
            "# each player's share of their own team's points, and the player with the biggest share\n"
            "team_tot = pts.groupby('team')['pts'].sum()\n"
            "pts['share'] = pts['pts'] / team_tot.values\n"
            "top = pts.loc[pts['share'].idxmax(), 'player']\n"
        ),
        raises="ValueError",
        check=(
            "[round(float(x), 9) for x in pts['share']] == [0.25, 0.75, 0.25, 0.25, 0.5] and top == 'b'"
        ),
        intent="Per-row points divided by that row's team total, and the player with the largest share.",
        reference=(
            "pts['share'] = pts['pts'] / pts.groupby('team')['pts'].transform('sum')\n"
            "top = pts.loc[pts['share'].idxmax(), 'player']\n"
        ),
    ),
    ExecCase(
        id="h-pandas-agg-multiindex-columns",
        setup=(
            "import pandas as pd\n"
            "menu = pd.DataFrame({'cat': ['drink', 'drink', 'food', 'food', 'snack'],\n"
            "                     'price': [3.0, 5.0, 12.0, 8.0, 2.5]})\n"
        ),
        cell=(
            "# mean and max price per category, then the categories whose mean price is under 6\n"
            "stats = menu.groupby('cat')[['price']].agg(['mean', 'max'])\n"
            "cheap = stats[stats['mean'] < 6].index.tolist()\n"
        ),
        raises="KeyError",
        check="sorted(cheap) == ['drink', 'snack']",
        intent="Categories whose mean price is below 6, from a mean/max aggregation per category.",
        reference=(
            "stats = menu.groupby('cat')[['price']].agg(['mean', 'max'])\n"
            "cheap = stats[stats[('price', 'mean')] < 6].index.tolist()\n"
        ),
    ),
    ExecCase(
        id="h-pandas-fillna-method-removed",
        setup=(
            "import numpy as np\n"
            "import pandas as pd\n"
            "temps = pd.DataFrame({'sensor': ['s1'] * 5, 'temp': [20.5, np.nan, np.nan, 22.0, np.nan]})\n"
        ),
        cell=(
            "# carry the last known reading forward over the gaps, then the average temperature\n"
            "filled = temps.fillna(method='ffill')\n"
            "avg = filled['temp'].mean()\n"
        ),
        raises="TypeError",
        check=(
            "[float(x) for x in filled['temp']] == [20.5, 20.5, 20.5, 22.0, 22.0] and abs(float(avg) - 21.1) < 1e-9"
        ),
        intent="Forward-filled temperatures and their mean.",
        reference=(
            "filled = temps.ffill()\n"
            "avg = filled['temp'].mean()\n"
        ),
    ),
    ExecCase(
        id="h-pandas-astype-int-with-nan",
        setup=(
            "import numpy as np\n"
            "import pandas as pd\n"
            "people = pd.DataFrame({'name': ['a', 'b', 'c', 'd', 'e'], 'age': [34.0, np.nan, 27.0, 45.0, np.nan]})\n"
        ),
        cell=(
            "# ages as whole numbers, keeping unknown ages missing; then how many are missing and the mean known age\n"
            "people['age'] = people['age'].astype(int)\n"
            "n_missing = int(people['age'].isna().sum())\n"
            "mean_age = float(people['age'].mean())\n"
        ),
        raises="IntCastingNaNError",
        check=(
            "len(people) == 5 and pd.api.types.is_integer_dtype(people['age']) and n_missing == 2"
            " and [int(x) for x in people['age'].dropna()] == [34, 27, 45] and abs(mean_age - 106 / 3) < 1e-9"
        ),
        intent="An integer age column that keeps missing ages as missing (nullable Int64), the missing count and mean.",
        reference=(
            "people['age'] = people['age'].astype('Int64')\n"
            "n_missing = int(people['age'].isna().sum())\n"
            "mean_age = float(people['age'].mean())\n"
        ),
    ),
    # ------------------------------------------------------------------ numpy
    ExecCase(
        id="h-numpy-row-mean-broadcast",
        setup=(
            "import numpy as np\n"
            "X = np.array([[1., 2., 3.], [4., 6., 8.], [0., 0., 3.], [10., 10., 10.]])\n"
        ),
        cell=(
            "# subtract each row's own mean so that every row is centred at zero\n"
            "centered = X - X.mean(axis=1)\n"
            "row_ranges = centered.max(axis=1) - centered.min(axis=1)\n"
        ),
        raises="ValueError",
        check=(
            "np.shape(centered) == (4, 3) and np.allclose(centered, [[-1., 0., 1.], [-2., 0., 2.], [-1., -1., 2.],"
            " [0., 0., 0.]]) and np.allclose(row_ranges, [2., 4., 3., 0.])"
        ),
        intent="Each row of X minus that row's mean, and the range of each centred row.",
        reference=(
            "centered = X - X.mean(axis=1, keepdims=True)\n"
            "row_ranges = centered.max(axis=1) - centered.min(axis=1)\n"
        ),
    ),
    ExecCase(
        id="h-numpy-matmul-weights-transposed",
        setup=(
            "import numpy as np\n"
            "X = np.array([[1., 0., 2.], [0., 1., 1.], [3., 1., 0.], [1., 1., 1.], [2., 0., 1.]])  # 5 samples x 3 features\n"
            "W = np.array([[0.5, -1.0, 0.0], [1.0, 1.0, 1.0]])  # 2 outputs x 3 features\n"
            "b = np.array([0.1, -0.2])\n"
        ),
        cell=(
            "# scores: one row per sample, one column per output; then the best output per sample\n"
            "scores = X @ W + b\n"
            "pred = scores.argmax(axis=1)\n"
        ),
        raises="ValueError",
        check=(
            "np.shape(scores) == (5, 2) and np.allclose(scores, [[0.6, 2.8], [-0.9, 1.8], [0.6, 3.8], [-0.4, 2.8],"
            " [1.1, 2.8]]) and list(np.asarray(pred).tolist()) == [1, 1, 1, 1, 1]"
        ),
        intent="Per-sample output scores X W^T + b (W stored as outputs x features) and the argmax output.",
        reference=(
            "scores = X @ W.T + b\n"
            "pred = scores.argmax(axis=1)\n"
        ),
    ),
    ExecCase(
        id="h-numpy-inplace-float-on-int-array",
        setup=(
            "import numpy as np\n"
            "prices = np.array([100, 250, 80, 40])\n"
        ),
        cell=(
            "# raise every price by 15% and report the new total\n"
            "prices *= 1.15\n"
            "total = prices.sum()\n"
        ),
        raises="UFuncTypeError",
        check="np.allclose(prices, [115.0, 287.5, 92.0, 46.0]) and abs(float(total) - 540.5) < 1e-9",
        intent="Prices increased by 15% (keeping the fractional cents) and their sum.",
        reference=(
            "prices = prices * 1.15\n"
            "total = prices.sum()\n"
        ),
    ),
    ExecCase(
        id="h-numpy-float-index-median",
        setup=(
            "import numpy as np\n"
            "times = np.array([3.2, 1.5, 4.8, 2.2, 9.0, 0.7])\n"
        ),
        cell=(
            "# median time by hand: the average of the two middle values of the sorted array\n"
            "s = np.sort(times)\n"
            "n = len(s)\n"
            "median = (s[n / 2 - 1] + s[n / 2]) / 2\n"
        ),
        raises="IndexError",
        check="abs(float(median) - 2.7) < 1e-9",
        intent="The median of an even-length array as the mean of its two middle sorted values.",
        reference=(
            "s = np.sort(times)\n"
            "n = len(s)\n"
            "median = (s[n // 2 - 1] + s[n // 2]) / 2\n"
        ),
    ),
    ExecCase(
        id="h-numpy-scalar-if-on-array",
        setup=(
            "import numpy as np\n"
            "signal = np.array([-2.0, 0.5, -0.1, 3.0, 0.0, 1.5])\n"
            "def clip_negative(x):\n"
            "    return x if x > 0 else 0.0\n"
        ),
        cell=(
            "# zero out the negative samples (keeping every position), then the energy of what is left\n"
            "clipped = clip_negative(signal)\n"
            "energy = float((clipped ** 2).sum())\n"
        ),
        raises="ValueError",
        check=(
            "np.shape(clipped) == (6,) and np.allclose(clipped, [0.0, 0.5, 0.0, 3.0, 0.0, 1.5])"
            " and abs(energy - 11.5) < 1e-9"
        ),
        intent="The signal with negative samples set to zero, same length, and the sum of its squares.",
        reference=(
            "clipped = np.where(signal > 0, signal, 0.0)\n"
            "energy = float((clipped ** 2).sum())\n"
        ),
    ),
    ExecCase(
        id="h-numpy-concatenate-row-ndim",
        setup=(
            "import numpy as np\n"
            "table = np.array([[1, 10], [2, 20], [3, 30]])\n"
            "new_row = np.array([4, 40])\n"
        ),
        cell=(
            "# add new_row as a fourth row of the table, then the column sums\n"
            "table2 = np.concatenate([table, new_row])\n"
            "col_sums = table2.sum(axis=0)\n"
        ),
        raises="ValueError",
        check=(
            "np.shape(table2) == (4, 2) and np.asarray(table2).tolist() == [[1, 10], [2, 20], [3, 30], [4, 40]]"
            " and np.asarray(col_sums).tolist() == [10, 100]"
        ),
        intent="The 3x2 table with new_row appended as a fourth row, and its column sums.",
        reference=(
            "table2 = np.vstack([table, new_row])\n"
            "col_sums = table2.sum(axis=0)\n"
        ),
    ),
    ExecCase(
        id="h-numpy-object-array-with-none",
        setup=(
            "import numpy as np\n"
            "readings = [1.5, None, 3.0, 4.5, None]\n"
        ),
        cell=(
            "# mean of the readings, ignoring the missing ones\n"
            "arr = np.array(readings)\n"
            "avg = arr.mean()\n"
        ),
        raises="TypeError",
        check="abs(float(avg) - 3.0) < 1e-9",
        intent="The mean of the non-missing readings.",
        reference=(
            "arr = np.array(readings, dtype=float)\n"
            "avg = np.nanmean(arr)\n"
        ),
    ),
    ExecCase(
        id="h-numpy-reshape-windows-remainder",
        setup=(
            "import numpy as np\n"
            "signal = np.arange(10, dtype=float)\n"
        ),
        cell=(
            "# split the signal into consecutive windows of 4 samples (drop the incomplete tail), mean per window\n"
            "windows = signal.reshape(-1, 4)\n"
            "win_means = windows.mean(axis=1)\n"
        ),
        raises="ValueError",
        check=(
            "np.shape(windows) == (2, 4) and np.allclose(windows, [[0, 1, 2, 3], [4, 5, 6, 7]])"
            " and np.allclose(win_means, [1.5, 5.5])"
        ),
        intent="Complete windows of 4 consecutive samples (the last 2 samples dropped) and each window's mean.",
        reference=(
            "k = len(signal) // 4 * 4\n"
            "windows = signal[:k].reshape(-1, 4)\n"
            "win_means = windows.mean(axis=1)\n"
        ),
    ),
    # ------------------------------------------------------------------ Python / standard library
    ExecCase(
        id="h-py-unboundlocal-running-total",
        setup=(
            "basket = [('apple', 0.5, 4), ('bread', 2.25, 1), ('milk', 1.1, 2)]\n"
            "total = 0.0\n"
        ),
        cell=(
            "# add each line's cost (price * qty) to the running total\n"
            "def add_line(price, qty):\n"
            "    total += price * qty\n"
            "for _, price, qty in basket:\n"
            "    add_line(price, qty)\n"
            "summary = f'{total:.2f}'\n"
        ),
        raises="UnboundLocalError",
        check="abs(total - 6.45) < 1e-9 and summary == '6.45'",
        intent="The global running total of price*qty over the basket, formatted with two decimals.",
        reference=(
            "def add_line(price, qty):\n"
            "    global total\n"
            "    total += price * qty\n"
            "for _, price, qty in basket:\n"
            "    add_line(price, qty)\n"
            "summary = f'{total:.2f}'\n"
        ),
    ),
    ExecCase(
        id="h-py-json-loads-python-repr",
        setup=(
            "raw = str({'name': 'run-7', 'lr': 0.01, 'augment': True, 'seed': None, 'layers': [64, 32]})\n"
        ),
        cell=(
            "import json\n"
            "# turn the saved config text back into a dict and add up the layer sizes\n"
            "cfg = json.loads(raw)\n"
            "width = sum(cfg['layers'])\n"
        ),
        raises="JSONDecodeError",
        check=(
            "cfg == {'name': 'run-7', 'lr': 0.01, 'augment': True, 'seed': None, 'layers': [64, 32]}"
            " and cfg['augment'] is True and cfg['seed'] is None and width == 96"
        ),
        intent="The config dict recovered from its Python repr text, and the sum of its layer sizes.",
        reference=(
            "import ast\n"
            "cfg = ast.literal_eval(raw)\n"
            "width = sum(cfg['layers'])\n"
        ),
    ),
    ExecCase(
        id="h-py-strptime-iso-offsets",
        setup=(
            "from datetime import datetime\n"
            "stamps = ['2024-03-05T14:30:00+01:00', '2024-03-05T18:00:00Z', '2024-03-05T12:15:00-05:00']\n"
        ),
        cell=(
            "# parse the timestamps and find the hours from the earliest to the latest moment\n"
            "parsed = [datetime.strptime(s, '%Y-%m-%dT%H:%M:%S') for s in stamps]\n"
            "span_h = (max(parsed) - min(parsed)).total_seconds() / 3600\n"
        ),
        raises="ValueError",
        check="abs(span_h - 4.5) < 1e-9",
        intent="Hours between the earliest and latest instants, honouring each timestamp's UTC offset.",
        reference=(
            "parsed = [datetime.fromisoformat(s) for s in stamps]\n"
            "span_h = (max(parsed) - min(parsed)).total_seconds() / 3600\n"
        ),
    ),
    ExecCase(
        id="h-py-dict-delete-while-iterating",
        setup=(
            "stock = {'pens': 12, 'ink': 0, 'paper': 5, 'clips': 0, 'tape': 0, 'glue': 3}\n"
        ),
        cell=(
            "# drop the items that are out of stock, then list what is left\n"
            "for item in stock:\n"
            "    if stock[item] == 0:\n"
            "        del stock[item]\n"
            "available = sorted(stock)\n"
        ),
        raises="RuntimeError",
        check="stock == {'pens': 12, 'paper': 5, 'glue': 3} and list(available) == ['glue', 'paper', 'pens']",
        intent="The stock dict with every zero-count item removed, and the sorted remaining item names.",
        reference=(
            "for item in list(stock):\n"
            "    if stock[item] == 0:\n"
            "        del stock[item]\n"
            "available = sorted(stock)\n"
        ),
    ),
    ExecCase(
        id="h-py-sort-dataclass-by-area",
        setup=(
            "from dataclasses import dataclass\n"
            "@dataclass\n"
            "class Room:\n"
            "    name: str\n"
            "    w: float\n"
            "    h: float\n"
            "rooms = [Room('hall', 2.0, 6.0), Room('kitchen', 3.5, 3.0), Room('bath', 2.0, 2.5), Room('bed', 4.0, 3.5)]\n"
        ),
        cell=(
            "# rooms from largest to smallest floor area, as a list of names\n"
            "ordered = sorted(rooms, reverse=True)\n"
            "names = [r.name for r in ordered]\n"
        ),
        raises="TypeError",
        check="list(names) == ['bed', 'hall', 'kitchen', 'bath']",
        intent="Room names ordered by floor area w*h, largest first.",
        reference=(
            "ordered = sorted(rooms, key=lambda r: r.w * r.h, reverse=True)\n"
            "names = [r.name for r in ordered]\n"
        ),
    ),
    ExecCase(
        id="h-py-reduce-empty-order",
        setup=(
            "from functools import reduce\n"
            "import operator\n"
            "orders = {'A-1': [12.0, 3.5], 'A-2': [], 'A-3': [7.25], 'A-4': []}\n"
        ),
        cell=(
            "# total value of every order (an order with no lines is worth 0), then the grand total\n"
            "totals = {oid: reduce(operator.add, lines) for oid, lines in orders.items()}\n"
            "grand = sum(totals.values())\n"
        ),
        raises="TypeError",
        check="totals == {'A-1': 15.5, 'A-2': 0, 'A-3': 7.25, 'A-4': 0} and abs(grand - 22.75) < 1e-9",
        intent="A total per order id for every order, zero for orders without lines, and their sum.",
        reference=(
            "totals = {oid: reduce(operator.add, lines, 0.0) for oid, lines in orders.items()}\n"
            "grand = sum(totals.values())\n"
        ),
    ),
    ExecCase(
        id="h-py-re-match-not-search",
        setup=(
            "labels = ['12kg bag of rice', 'Flour 2 kg', 'Sugar: 5kg', '0.5 kg yeast']\n"
        ),
        cell=(
            "import re\n"
            "# weight in kg from every product label, then the total weight\n"
            "weights = [float(re.match(r'(\\d+)kg', s).group(1)) for s in labels]\n"
            "total_kg = sum(weights)\n"
        ),
        raises="AttributeError",
        check="[float(w) for w in weights] == [12.0, 2.0, 5.0, 0.5] and abs(total_kg - 19.5) < 1e-9",
        intent="The kg weight written anywhere in each label (with or without a space, possibly decimal) and their sum.",
        reference=(
            "weights = [float(re.search(r'(\\d+(?:\\.\\d+)?)\\s*kg', s).group(1)) for s in labels]\n"
            "total_kg = sum(weights)\n"
        ),
    ),
    ExecCase(
        id="h-py-csv-semicolon-delimiter",
        setup=(
            "import io\n"
            "export = 'name;amount;currency\\nana;12.50;EUR\\nben;7.25;EUR\\ncaro;30.00;EUR\\n'\n"
        ),
        cell=(
            "import csv\n"
            "# total amount over all rows of the exported text\n"
            "rows = list(csv.DictReader(io.StringIO(export)))\n"
            "total = sum(float(r['amount']) for r in rows)\n"
        ),
        raises="KeyError",
        check="len(rows) == 3 and abs(total - 49.75) < 1e-9",
        intent="The sum of the amount column of the semicolon-separated export.",
        reference=(
            "rows = list(csv.DictReader(io.StringIO(export), delimiter=';'))\n"
            "total = sum(float(r['amount']) for r in rows)\n"
        ),
    ),
    ExecCase(
        id="h-py-zerodivision-status-case",
        setup=(
            "results = [('ana', 'Pass', 78), ('ben', 'FAIL', 40), ('caro', 'pass ', 91), ('dan', 'PASS', 66),\n"
            "           ('eve', 'fail', 52)]\n"
        ),
        cell=(
            "# mean score of the students who passed\n"
            "passed = [score for _, status, score in results if status == 'pass']\n"
            "mean_passed = sum(passed) / len(passed)\n"
        ),
        raises="ZeroDivisionError",
        check="abs(mean_passed - 235 / 3) < 1e-9",
        intent="Mean score of the students whose status is pass in any case or surrounding whitespace.",
        reference=(
            "passed = [score for _, status, score in results if status.strip().lower() == 'pass']\n"
            "mean_passed = sum(passed) / len(passed)\n"
        ),
    ),
    ExecCase(
        id="h-py-class-scope-comprehension",
        setup=(
            "prices = [10.0, 25.0, 40.0]\n"
        ),
        cell=(
            "# a pricing class whose gross prices are computed from its own rate\n"
            "class Pricing:\n"
            "    rate = 0.2\n"
            "    gross = [round(p * (1 + rate), 2) for p in prices]\n"
            "total_gross = sum(Pricing.gross)\n"
        ),
        raises="NameError",
        check="Pricing.rate == 0.2 and list(Pricing.gross) == [12.0, 30.0, 48.0] and abs(total_gross - 90.0) < 1e-9",
        intent="A class attribute of prices grossed up by the class's own rate, and their sum.",
        reference=(
            "class Pricing:\n"
            "    rate = 0.2\n"
            "    gross = [round(p * (1 + r), 2) for r in [rate] for p in prices]\n"
            "total_gross = sum(Pricing.gross)\n"
        ),
    ),
)
