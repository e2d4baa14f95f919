"""Fresh execution-graded cases, set A: 10 pandas, 6 numpy, 8 plain Python / standard library."""

from bench.exec_case import ExecCase

CASES: tuple[ExecCase, ...] = (
    # ------------------------------------------------------------------ pandas
    ExecCase(
        id="a-merge-id-int-vs-text",
        setup=(
            "import pandas as pd\n"
            "orders = pd.DataFrame({\n"
            "    'order_id': [101, 102, 103, 104, 105],\n"
            "    'customer_id': [1, 2, 3, 1, 2],\n"
            "    'amount': [120.0, 35.5, 80.0, 42.5, 10.0],\n"
            "})\n"
            "customers = pd.DataFrame({\n"
            "    'customer_id': ['1', '2', '3'],\n"
            "    'region': ['north', 'south', 'north'],\n"
            "})\n"
        ),
        cell=(
            "# revenue per region\n"
            "merged = orders.merge(customers, on='customer_id', how='left')\n"
            "revenue_by_region = merged.groupby('region')['amount'].sum()\n"
        ),
        raises="ValueError",
        check=(
            "abs(float(revenue_by_region['north']) - 242.5) < 1e-9"
            " and abs(float(revenue_by_region['south']) - 45.5) < 1e-9"
        ),
        intent="Join each order to its customer's region (ids are ints in one table, text in the other) and total the amount per region.",
        reference=(
            "# revenue per region\n"
            "customers['customer_id'] = customers['customer_id'].astype(int)\n"
            "merged = orders.merge(customers, on='customer_id', how='left')\n"
            "revenue_by_region = merged.groupby('region')['amount'].sum()\n"
        ),
    ),
    ExecCase(
        id="a-groupby-mean-currency-strings",
        setup=(
            "import pandas as pd\n"
            "sales = pd.DataFrame({\n"
            "    'store': ['Downtown', 'Airport', 'Downtown', 'Airport', 'Mall'],\n"
            "    'price': ['$12.50', '$8.00', '$7.50', '$4.00', '$20.00'],\n"
            "})\n"
        ),
        cell=(
            "# average ticket price per store\n"
            "avg_price = sales.groupby('store')['price'].mean()\n"
            "avg_price.sort_values(ascending=False)\n"
        ),
        raises="TypeError",
        check=(
            "abs(float(avg_price['Downtown']) - 10.0) < 1e-9"
            " and abs(float(avg_price['Airport']) - 6.0) < 1e-9"
            " and abs(float(avg_price['Mall']) - 20.0) < 1e-9"
        ),
        intent="Mean price per store, where prices are stored as text like '$12.50' and must be parsed to numbers first.",
        reference=(
            "# average ticket price per store\n"
            "sales['price'] = sales['price'].str.replace('$', '', regex=False).astype(float)\n"
            "avg_price = sales.groupby('store')['price'].mean()\n"
            "avg_price.sort_values(ascending=False)\n"
        ),
    ),
    ExecCase(
        id="a-dt-accessor-on-text-dates",
        setup=(
            "import pandas as pd\n"
            "signups = pd.DataFrame({\n"
            "    'user': ['ana', 'ben', 'cho', 'dev', 'eli', 'fay'],\n"
            "    'signup_date': ['2024-01-15', '2024-01-28', '2024-02-03',\n"
            "                    '2024-03-11', '2024-03-19', '2024-03-30'],\n"
            "})\n"
        ),
        cell=(
            "# number of signups per month\n"
            "signups['month'] = signups['signup_date'].dt.month\n"
            "monthly_signups = signups.groupby('month').size()\n"
        ),
        raises="AttributeError",
        check=(
            "[int(v) for v in monthly_signups] == [2, 1, 3]"
            " and [int(m) for m in monthly_signups.index] == [1, 2, 3]"
        ),
        intent="Count signups per calendar month; the date column holds strings and must be parsed as datetimes before using .dt.",
        reference=(
            "# number of signups per month\n"
            "signups['month'] = pd.to_datetime(signups['signup_date']).dt.month\n"
            "monthly_signups = signups.groupby('month').size()\n"
        ),
    ),
    ExecCase(
        id="a-pivot-repeated-date-product",
        setup=(
            "import pandas as pd\n"
            "sales = pd.DataFrame({\n"
            "    'date': ['2024-05-01', '2024-05-01', '2024-05-01', '2024-05-02', '2024-05-02', '2024-05-02'],\n"
            "    'product': ['apple', 'pear', 'apple', 'apple', 'pear', 'pear'],\n"
            "    'units': [5, 3, 2, 4, 1, 6],\n"
            "})\n"
        ),
        cell=(
            "# total units sold: one row per date, one column per product\n"
            "units_table = sales.pivot(index='date', columns='product', values='units')\n"
            "units_table\n"
        ),
        raises="ValueError",
        check=(
            "float(units_table.loc['2024-05-01', 'apple']) == 7.0"
            " and float(units_table.loc['2024-05-01', 'pear']) == 3.0"
            " and float(units_table.loc['2024-05-02', 'apple']) == 4.0"
            " and float(units_table.loc['2024-05-02', 'pear']) == 7.0"
        ),
        intent="A date x product table of total units, summing the several transactions that share a date and product.",
        reference=(
            "# total units sold: one row per date, one column per product\n"
            "units_table = sales.pivot_table(index='date', columns='product', values='units', aggfunc='sum')\n"
            "units_table\n"
        ),
    ),
    ExecCase(
        id="a-apply-row-lambda-without-axis",
        setup=(
            "import pandas as pd\n"
            "cart = pd.DataFrame({\n"
            "    'item': ['pen', 'notebook', 'bag'],\n"
            "    'qty': [3, 2, 1],\n"
            "    'unit_price': [1.5, 4.0, 25.0],\n"
            "    'discount': [0.0, 0.1, 0.2],\n"
            "})\n"
        ),
        cell=(
            "cart['line_total'] = cart.apply(lambda row: row['qty'] * row['unit_price'] * (1 - row['discount']))\n"
            "order_total = cart['line_total'].sum()\n"
        ),
        raises="KeyError",
        check=(
            "all(abs(float(a) - b) < 1e-9 for a, b in zip(cart['line_total'], [4.5, 7.2, 20.0]))"
            " and len(cart['line_total']) == 3"
            " and abs(float(order_total) - 31.7) < 1e-9"
        ),
        intent="Per-row discounted line totals (qty * unit_price * (1 - discount)) and their sum; the lambda must be applied row-wise.",
        reference=(
            "cart['line_total'] = cart.apply(lambda row: row['qty'] * row['unit_price'] * (1 - row['discount']), axis=1)\n"
            "order_total = cart['line_total'].sum()\n"
        ),
    ),
    ExecCase(
        id="a-groupby-key-moved-to-index",
        setup=(
            "import pandas as pd\n"
            "staff = pd.DataFrame({\n"
            "    'name': ['Ava', 'Bo', 'Cy', 'Di', 'Ed', 'Flo'],\n"
            "    'dept': ['eng', 'eng', 'sales', 'ops', 'sales', 'eng'],\n"
            "    'salary': [120, 110, 70, 65, 80, 100],  # in thousands\n"
            "})\n"
        ),
        cell=(
            "payroll = staff.groupby('dept').agg(total_salary=('salary', 'sum'), headcount=('name', 'count'))\n"
            "# departments whose payroll exceeds 140k\n"
            "big_depts = payroll[payroll['total_salary'] > 140]['dept'].tolist()\n"
        ),
        raises="KeyError",
        check="sorted(big_depts) == ['eng', 'sales']",
        intent="List the departments whose summed salary exceeds 140 (the group key lives in the index after groupby, not in a 'dept' column).",
        reference=(
            "payroll = staff.groupby('dept').agg(total_salary=('salary', 'sum'), headcount=('name', 'count'))\n"
            "# departments whose payroll exceeds 140k\n"
            "big_depts = payroll[payroll['total_salary'] > 140].index.tolist()\n"
        ),
    ),
    ExecCase(
        id="a-concat-frames-not-in-list",
        setup=(
            "import pandas as pd\n"
            "q1 = pd.DataFrame({'month': ['Jan', 'Feb', 'Mar'], 'revenue': [100, 120, 90]})\n"
            "q2 = pd.DataFrame({'month': ['Apr', 'May', 'Jun'], 'revenue': [130, 110, 150]})\n"
        ),
        cell=(
            "half_year = pd.concat(q1, q2, ignore_index=True)\n"
            "best_month = half_year.loc[half_year['revenue'].idxmax(), 'month']\n"
        ),
        raises="TypeError",
        check=(
            "[int(v) for v in half_year['revenue']] == [100, 120, 90, 130, 110, 150]"
            " and list(half_year['month']) == ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun']"
            " and best_month == 'Jun'"
        ),
        intent="Stack the two quarterly frames into one six-month frame and find the month with the highest revenue.",
        reference=(
            "half_year = pd.concat([q1, q2], ignore_index=True)\n"
            "best_month = half_year.loc[half_year['revenue'].idxmax(), 'month']\n"
        ),
    ),
    ExecCase(
        id="a-iloc-with-idxmax-label",
        setup=(
            "import pandas as pd\n"
            "results = pd.DataFrame({\n"
            "    'student': ['ana', 'ben', 'cho', 'dev', 'eli', 'fay', 'gus', 'hana'],\n"
            "    'score': [55, 82, 47, 77, 60, 38, 88, 91],\n"
            "})\n"
            "passed = results[results['score'] >= 60]\n"
        ),
        cell=(
            "# row of the best student among those who passed\n"
            "best = passed.iloc[passed['score'].idxmax()]\n"
            "best_name = best['student']\n"
        ),
        raises="IndexError",
        check="best_name == 'hana'",
        intent="Name of the top scorer among passing students; idxmax returns an index label, which must be used with .loc, not .iloc.",
        reference=(
            "# row of the best student among those who passed\n"
            "best = passed.loc[passed['score'].idxmax()]\n"
            "best_name = best['student']\n"
        ),
    ),
    ExecCase(
        id="a-csv-header-leading-spaces",
        setup=(
            "import io\n"
            "import pandas as pd\n"
            "raw = '''respondent, age, satisfaction\n"
            "1, 23, 4\n"
            "2, 35, 5\n"
            "3, 41, 3\n"
            "4, 29, 4\n"
            "5, 52, 2\n"
            "'''\n"
            "survey = pd.read_csv(io.StringIO(raw))\n"
        ),
        cell=(
            "# mean satisfaction of respondents over 30\n"
            "over_30 = survey[survey['age'] > 30]\n"
            "mean_satisfaction = over_30['satisfaction'].mean()\n"
        ),
        raises="KeyError",
        check="abs(float(mean_satisfaction) - 10 / 3) < 1e-9",
        intent="Mean satisfaction among respondents older than 30; the column names read from the CSV carry a leading space.",
        reference=(
            "# mean satisfaction of respondents over 30\n"
            "survey.columns = survey.columns.str.strip()\n"
            "over_30 = survey[survey['age'] > 30]\n"
            "mean_satisfaction = over_30['satisfaction'].mean()\n"
        ),
    ),
    ExecCase(
        id="a-filter-and-precedence",
        setup=(
            "import pandas as pd\n"
            "patients = pd.DataFrame({\n"
            "    'patient': ['p1', 'p2', 'p3', 'p4', 'p5', 'p6'],\n"
            "    'age': [34, 71, 68, 45, 80, 66],\n"
            "    'systolic': [118, 150, 135, 160, 142, 128],\n"
            "})\n"
        ),
        cell=(
            "# patients over 65 with high blood pressure (systolic >= 140)\n"
            "at_risk = patients[patients['age'] > 65 & patients['systolic'] >= 140]\n"
            "n_at_risk = len(at_risk)\n"
        ),
        raises="ValueError",
        check="list(at_risk['patient']) == ['p2', 'p5'] and n_at_risk == 2",
        intent="Rows with age > 65 and systolic >= 140; each comparison needs parentheses around it because & binds tighter than > and >=.",
        reference=(
            "# patients over 65 with high blood pressure (systolic >= 140)\n"
            "at_risk = patients[(patients['age'] > 65) & (patients['systolic'] >= 140)]\n"
            "n_at_risk = len(at_risk)\n"
        ),
    ),
    # ------------------------------------------------------------------- numpy
    ExecCase(
        id="a-matmul-coef-row-vector",
        setup=(
            "import numpy as np\n"
            "X = np.array([[1.0, 2.0, 0.5],\n"
            "              [0.0, 1.0, 3.0],\n"
            "              [2.0, 2.0, 2.0],\n"
            "              [1.5, 0.0, 1.0]])\n"
            "y_true = np.array([0.5, 0.9, 1.0, 1.0])\n"
            "w = np.array([[0.4, -0.2, 0.1]])\n"
            "b = 0.5\n"
        ),
        cell=(
            "# predictions of the linear model and their RMSE\n"
            "y_pred = X @ w + b\n"
            "rmse = np.sqrt(np.mean((y_true - y_pred) ** 2))\n"
        ),
        raises="ValueError",
        check=(
            "np.allclose(np.ravel(y_pred), [0.55, 0.6, 1.1, 1.2]) and np.size(y_pred) == 4"
            " and abs(float(rmse) - 0.035625 ** 0.5) < 1e-9"
        ),
        intent="One prediction per row of X from the (1, 3) coefficient row w, and the RMSE against y_true (predictions must be 1-D so the subtraction does not broadcast to 4x4).",
        reference=(
            "# predictions of the linear model and their RMSE\n"
            "y_pred = X @ w.ravel() + b\n"
            "rmse = np.sqrt(np.mean((y_true - y_pred) ** 2))\n"
        ),
    ),
    ExecCase(
        id="a-center-rows-by-row-mean",
        setup=(
            "import numpy as np\n"
            "# 4 students x 3 exams\n"
            "scores = np.array([[80., 90., 70.],\n"
            "                   [60., 65., 70.],\n"
            "                   [95., 85., 90.],\n"
            "                   [50., 70., 60.]])\n"
        ),
        cell=(
            "# subtract each student's own mean so every row is centred on 0\n"
            "centred = scores - scores.mean(axis=1)\n"
            "spread = np.abs(centred).max(axis=1)\n"
        ),
        raises="ValueError",
        check=(
            "np.shape(centred) == (4, 3)"
            " and np.allclose(centred, [[0, 10, -10], [-5, 0, 5], [5, -5, 0], [-10, 10, 0]])"
            " and np.allclose(spread, [10, 5, 5, 10])"
        ),
        intent="Centre each row of the 4x3 score matrix on its own mean (row means need keepdims / a new axis to broadcast) and take each row's largest deviation.",
        reference=(
            "# subtract each student's own mean so every row is centred on 0\n"
            "centred = scores - scores.mean(axis=1, keepdims=True)\n"
            "spread = np.abs(centred).max(axis=1)\n"
        ),
    ),
    ExecCase(
        id="a-nan-into-int-sensor-array",
        setup=(
            "import numpy as np\n"
            "readings = np.array([12, -1, 15, 9, -1, 14, 10])\n"
        ),
        cell=(
            "# -1 means the sensor gave no reading: mark those as missing, then average the rest\n"
            "readings[readings == -1] = np.nan\n"
            "mean_reading = np.nanmean(readings)\n"
        ),
        raises="ValueError",
        check="abs(float(mean_reading) - 12.0) < 1e-9",
        intent="Average of the valid sensor readings, treating -1 as missing; NaN cannot be stored in an integer array, so it must become float first.",
        reference=(
            "# -1 means the sensor gave no reading: mark those as missing, then average the rest\n"
            "readings = readings.astype(float)\n"
            "readings[readings == -1] = np.nan\n"
            "mean_reading = np.nanmean(readings)\n"
        ),
    ),
    ExecCase(
        id="a-diff-mask-one-shorter",
        setup=(
            "import numpy as np\n"
            "dates = np.array(['2024-06-03', '2024-06-04', '2024-06-05', '2024-06-06', '2024-06-07', '2024-06-10'])\n"
            "close = np.array([101.0, 102.5, 101.8, 103.0, 104.2, 103.9])\n"
        ),
        cell=(
            "daily_return = np.diff(close) / close[:-1]\n"
            "# dates on which the price closed higher than the day before\n"
            "up_dates = dates[daily_return > 0]\n"
        ),
        raises="IndexError",
        check="[str(d) for d in up_dates] == ['2024-06-04', '2024-06-06', '2024-06-07']",
        intent="The dates whose close beat the previous day's; the returns array is one shorter than dates, so the mask applies to dates[1:].",
        reference=(
            "daily_return = np.diff(close) / close[:-1]\n"
            "# dates on which the price closed higher than the day before\n"
            "up_dates = dates[1:][daily_return > 0]\n"
        ),
    ),
    ExecCase(
        id="a-list-indexed-by-argsort",
        setup=(
            "import numpy as np\n"
            "runners = ['ana', 'ben', 'cho', 'dev', 'eli']\n"
            "times = np.array([12.4, 11.9, 13.1, 11.2, 12.0])\n"
        ),
        cell=(
            "# finishing order, fastest first, and the podium\n"
            "order = np.argsort(times)\n"
            "ranking = runners[order]\n"
            "podium = ranking[:3]\n"
        ),
        raises="TypeError",
        check="[str(r) for r in podium] == ['dev', 'ben', 'eli'] and [str(r) for r in ranking] == ['dev', 'ben', 'eli', 'ana', 'cho']",
        intent="Runner names sorted by time (fastest first) and the top three; a Python list cannot be indexed by a numpy index array.",
        reference=(
            "# finishing order, fastest first, and the podium\n"
            "order = np.argsort(times)\n"
            "ranking = np.array(runners)[order]\n"
            "podium = ranking[:3]\n"
        ),
    ),
    ExecCase(
        id="a-axis1-on-flat-monthly-array",
        setup=(
            "import numpy as np\n"
            "monthly_rainfall = np.array([\n"
            "    45, 38, 52, 61, 70, 40, 22, 30, 55, 80, 90, 66,\n"
            "    58, 49, 60, 72, 81, 35, 28, 41, 63, 95, 102, 77,\n"
            "    40, 33, 47, 55, 66, 30, 18, 25, 50, 70, 85, 60,\n"
            "], dtype=float)\n"
        ),
        cell=(
            "# monthly_rainfall holds Jan 2021 ... Dec 2023 in order: total per year, and the wettest year\n"
            "yearly_totals = monthly_rainfall.sum(axis=1)\n"
            "wettest_year = 2021 + int(np.argmax(yearly_totals))\n"
        ),
        raises="AxisError",
        check="np.allclose(np.ravel(yearly_totals), [649, 761, 579]) and wettest_year == 2022",
        intent="Sum the 36 monthly values into 3 yearly totals (the array is flat, so it must be reshaped to (3, 12) first) and pick the wettest year.",
        reference=(
            "# monthly_rainfall holds Jan 2021 ... Dec 2023 in order: total per year, and the wettest year\n"
            "yearly_totals = monthly_rainfall.reshape(3, 12).sum(axis=1)\n"
            "wettest_year = 2021 + int(np.argmax(yearly_totals))\n"
        ),
    ),
    # ------------------------------------------------------- Python / stdlib
    ExecCase(
        id="a-json-dumps-datetime-field",
        setup=(
            "import json\n"
            "from datetime import datetime\n"
            "event = {\n"
            "    'user_id': 42,\n"
            "    'action': 'login',\n"
            "    'created_at': datetime(2024, 5, 1, 10, 30, 0),\n"
            "    'tags': ['web', 'mobile'],\n"
            "}\n"
        ),
        cell=(
            "payload = json.dumps(event)\n"
            "restored = json.loads(payload)\n"
            "print(payload)\n"
        ),
        raises="TypeError",
        check=(
            "restored['user_id'] == 42 and restored['action'] == 'login' and restored['tags'] == ['web', 'mobile']"
            " and (datetime.fromisoformat(restored['created_at']) if isinstance(restored['created_at'], str)"
            " else datetime.fromtimestamp(restored['created_at'])) == datetime(2024, 5, 1, 10, 30)"
        ),
        intent="Serialise the event dict to JSON and read it back, encoding the datetime field as a string (e.g. ISO format).",
        reference=(
            "payload = json.dumps(event, default=str)\n"
            "restored = json.loads(payload)\n"
            "print(payload)\n"
        ),
    ),
    ExecCase(
        id="a-dict-del-while-iterating",
        setup="stock = {'apples': 12, 'bananas': 0, 'cherries': 5, 'dates': 0, 'figs': 3}\n",
        cell=(
            "# drop products that are out of stock\n"
            "for product, qty in stock.items():\n"
            "    if qty == 0:\n"
            "        del stock[product]\n"
            "in_stock = sorted(stock)\n"
        ),
        raises="RuntimeError",
        check="stock == {'apples': 12, 'cherries': 5, 'figs': 3} and in_stock == ['apples', 'cherries', 'figs']",
        intent="Remove the zero-quantity entries from the stock dict and list the remaining products.",
        reference=(
            "# drop products that are out of stock\n"
            "for product, qty in list(stock.items()):\n"
            "    if qty == 0:\n"
            "        del stock[product]\n"
            "in_stock = sorted(stock)\n"
        ),
    ),
    ExecCase(
        id="a-most-common-unpack-list",
        setup=(
            "from collections import Counter\n"
            "review = 'the battery is great but the screen is dim and the case feels cheap'\n"
        ),
        cell=(
            "words = review.split()\n"
            "word, count = Counter(words).most_common(1)\n"
            "print(f'most frequent word: {word!r} ({count} times)')\n"
        ),
        raises="ValueError",
        check="word == 'the' and count == 3",
        intent="The single most frequent word and its count; most_common(1) returns a one-element list of (word, count) pairs.",
        reference=(
            "words = review.split()\n"
            "word, count = Counter(words).most_common(1)[0]\n"
            "print(f'most frequent word: {word!r} ({count} times)')\n"
        ),
    ),
    ExecCase(
        id="a-regex-group-on-unmatched-line",
        setup=(
            "import re\n"
            "log_lines = [\n"
            "    '2024-06-01 09:12 order #1042 shipped',\n"
            "    '2024-06-01 09:30 order #1043 shipped',\n"
            "    '2024-06-01 10:02 payment gateway timeout, retrying',\n"
            "    '2024-06-01 10:05 order #1047 shipped',\n"
            "]\n"
        ),
        cell=(
            "# pull out the order numbers that appear in the log\n"
            "order_ids = [int(re.search(r'#(\\d+)', line).group(1)) for line in log_lines]\n"
            "print(order_ids)\n"
        ),
        raises="AttributeError",
        check="[int(x) for x in order_ids] == [1042, 1043, 1047]",
        intent="The order numbers from the log lines that mention one, skipping lines where the regex finds no match.",
        reference=(
            "# pull out the order numbers that appear in the log\n"
            "matches = [re.search(r'#(\\d+)', line) for line in log_lines]\n"
            "order_ids = [int(m.group(1)) for m in matches if m]\n"
            "print(order_ids)\n"
        ),
    ),
    ExecCase(
        id="a-naive-cutoff-vs-aware-events",
        setup=(
            "from datetime import datetime, timezone\n"
            "events = [\n"
            "    {'id': 'e1', 'at': datetime(2023, 12, 31, 23, 0, tzinfo=timezone.utc)},\n"
            "    {'id': 'e2', 'at': datetime(2024, 1, 2, 8, 15, tzinfo=timezone.utc)},\n"
            "    {'id': 'e3', 'at': datetime(2024, 1, 5, 17, 40, tzinfo=timezone.utc)},\n"
            "    {'id': 'e4', 'at': datetime(2023, 11, 20, 12, 0, tzinfo=timezone.utc)},\n"
            "]\n"
        ),
        cell=(
            "cutoff = datetime(2024, 1, 1)\n"
            "# events from 2024 onwards\n"
            "recent_ids = [e['id'] for e in events if e['at'] >= cutoff]\n"
        ),
        raises="TypeError",
        check="recent_ids == ['e2', 'e3']",
        intent="Ids of the events at or after 1 Jan 2024 (UTC); the cutoff must be timezone-aware like the event timestamps.",
        reference=(
            "cutoff = datetime(2024, 1, 1, tzinfo=timezone.utc)\n"
            "# events from 2024 onwards\n"
            "recent_ids = [e['id'] for e in events if e['at'] >= cutoff]\n"
        ),
    ),
    ExecCase(
        id="a-method-uses-bare-attribute",
        setup="item_prices = (4.0, 2.5, 3.5)\n",
        cell=(
            "class Basket:\n"
            "    def __init__(self, prices):\n"
            "        self.prices = list(prices)\n"
            "\n"
            "    def total(self, tax_rate=0.0):\n"
            "        return sum(prices) * (1 + tax_rate)\n"
            "\n"
            "basket = Basket(item_prices)\n"
            "total_with_tax = basket.total(tax_rate=0.2)\n"
        ),
        raises="NameError",
        check="abs(float(total_with_tax) - 12.0) < 1e-9",
        intent="Total of the basket's prices plus 20% tax; the method must read the instance attribute self.prices.",
        reference=(
            "class Basket:\n"
            "    def __init__(self, prices):\n"
            "        self.prices = list(prices)\n"
            "\n"
            "    def total(self, tax_rate=0.0):\n"
            "        return sum(self.prices) * (1 + tax_rate)\n"
            "\n"
            "basket = Basket(item_prices)\n"
            "total_with_tax = basket.total(tax_rate=0.2)\n"
        ),
    ),
    ExecCase(
        id="a-format-template-with-dict",
        setup=(
            "rows = [\n"
            "    {'name': 'Ana', 'score': 91, 'grade': 'A'},\n"
            "    {'name': 'Ben', 'score': 78, 'grade': 'C'},\n"
            "    {'name': 'Chloe', 'score': 85, 'grade': 'B'},\n"
            "]\n"
            "template = '{name:<6} {score:>3}  ({grade})'\n"
        ),
        cell=(
            "lines = [template.format(row) for row in rows]\n"
            "report = '\\n'.join(lines)\n"
            "print(report)\n"
        ),
        raises="KeyError",
        check="report == 'Ana     91  (A)\\nBen     78  (C)\\nChloe   85  (B)'",
        intent="Fill the named-field template from each row dict (its keys must be passed as keyword arguments) and join the lines into a report.",
        reference=(
            "lines = [template.format(**row) for row in rows]\n"
            "report = '\\n'.join(lines)\n"
            "print(report)\n"
        ),
    ),
    ExecCase(
        id="a-namedtuple-field-assignment",
        setup=(
            "from collections import namedtuple\n"
            "Point = namedtuple('Point', ['x', 'y'])\n"
            "path = [Point(0, 0), Point(3, 4), Point(6, 8)]\n"
        ),
        cell=(
            "# shift every point of the path 10 units to the right\n"
            "for p in path:\n"
            "    p.x = p.x + 10\n"
            "xs = [p.x for p in path]\n"
        ),
        raises="AttributeError",
        check="[(p.x, p.y) for p in path] == [(10, 0), (13, 4), (16, 8)] and xs == [10, 13, 16]",
        intent="Replace every point in path by one shifted +10 in x; namedtuples are immutable, so new points must be built (e.g. with _replace).",
        reference=(
            "# shift every point of the path 10 units to the right\n"
            "path = [p._replace(x=p.x + 10) for p in path]\n"
            "xs = [p.x for p in path]\n"
        ),
    ),
)
