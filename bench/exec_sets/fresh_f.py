"""Thirty execution-graded notebook errors, written blind (without reading the product, its tests or the other sets): twelve pandas cases (merges, dates, parsing, reshaping, resampling, string accessors, removed APIs), eight numpy cases (broadcasting, dtypes, shapes, indexing, linear algebra, operator precedence) and ten plain-Python and standard-library cases (datetime, json, csv from strings, functools, dataclasses, pure paths, string formatting, comprehensions, classes); several have a tempting quick fix that runs but computes the wrong thing, which the check rejects.
"""

from bench.exec_case import ExecCase

CASES: tuple[ExecCase, ...] = (
    # -- pandas -------------------------------------------------------------------------------------
    ExecCase(
        id="f-pd-merge-suffix-listprice",
        setup=(
            "import pandas as pd\n"
            "orders = pd.DataFrame({'sku': ['A1', 'B2', 'C3', 'A1'], 'qty': [2, 1, 5, 3], 'price': [9.0, 18.5, 4.0, 10.0]})\n"
            "catalog = pd.DataFrame({'sku': ['A1', 'B2', 'C3'], 'name': ['mug', 'lamp', 'pen'], 'price': [10.0, 20.0, 4.8]})\n"
        ),
        cell=(
            "merged = orders.merge(catalog, on='sku')\n"
            "merged['discount'] = merged['list_price'] - merged['price']\n"
            "avg_discount = merged.groupby('name')['discount'].mean()\n"
        ),
        raises="KeyError",
        check=(
            "len(avg_discount) == 3 and abs(avg_discount['mug'] - 0.5) < 1e-9 and abs(avg_discount['lamp'] - 1.5) < 1e-9"
            " and abs(avg_discount['pen'] - 0.8) < 1e-9"
        ),
        intent="Average, per product, how far below the catalog's list price each order was paid.",
        reference=(
            "merged = orders.merge(catalog.rename(columns={'price': 'list_price'}), on='sku')\n"
            "merged['discount'] = merged['list_price'] - merged['price']\n"
            "avg_discount = merged.groupby('name')['discount'].mean()\n"
        ),
    ),
    ExecCase(
        id="f-pd-to-datetime-dayfirst",
        setup=(
            "import pandas as pd\n"
            "visits = pd.DataFrame({'date': ['03/02/2024', '14/02/2024', '28/02/2024', '05/03/2024', '19/03/2024', '02/04/2024'],\n"
            "                       'visitors': [120, 95, 130, 80, 110, 140]})\n"
        ),
        cell=(
            "visits['date'] = pd.to_datetime(visits['date'])\n"
            "monthly_visitors = visits.groupby(visits['date'].dt.month)['visitors'].sum()\n"
        ),
        raises="ValueError",
        check="monthly_visitors.to_dict() == {2: 345, 3: 190, 4: 140}",
        intent="Parse the day-first date strings and total the visitors per month.",
        reference=(
            "visits['date'] = pd.to_datetime(visits['date'], format='%d/%m/%Y')\n"
            "monthly_visitors = visits.groupby(visits['date'].dt.month)['visitors'].sum()\n"
        ),
    ),
    ExecCase(
        id="f-pd-astype-thousands-sep",
        setup=(
            "import pandas as pd\n"
            "sales = pd.DataFrame({'region': ['north', 'south', 'east', 'west'], 'revenue': ['1,250.50', '980.00', '2,100.25', '1,005.75']})\n"
        ),
        cell=(
            "sales['revenue'] = sales['revenue'].astype(float)\n"
            "total_revenue = sales['revenue'].sum()\n"
            "top_region = sales.loc[sales['revenue'].idxmax(), 'region']\n"
        ),
        raises="ValueError",
        check="abs(total_revenue - 5336.5) < 1e-6 and top_region == 'east'",
        intent="Convert the comma-grouped revenue strings to numbers, total them and find the region with the most revenue.",
        reference=(
            "sales['revenue'] = sales['revenue'].str.replace(',', '', regex=False).astype(float)\n"
            "total_revenue = sales['revenue'].sum()\n"
            "top_region = sales.loc[sales['revenue'].idxmax(), 'region']\n"
        ),
    ),
    ExecCase(
        id="f-pd-ternary-on-series",
        setup=(
            "import pandas as pd\n"
            "exam = pd.DataFrame({'student': ['ana', 'ben', 'chloe', 'dev', 'emil'], 'score': [72, 45, 50, 38, 91]})\n"
        ),
        cell=(
            "exam['result'] = 'pass' if exam['score'] >= 50 else 'fail'\n"
            "pass_count = (exam['result'] == 'pass').sum()\n"
        ),
        raises="ValueError",
        check="list(exam['result']) == ['pass', 'fail', 'pass', 'fail', 'pass'] and pass_count == 3",
        intent="Label each student pass (score of at least 50) or fail and count the passes.",
        reference=(
            "import numpy as np\n"
            "exam['result'] = np.where(exam['score'] >= 50, 'pass', 'fail')\n"
            "pass_count = (exam['result'] == 'pass').sum()\n"
        ),
    ),
    ExecCase(
        id="f-pd-pivot-duplicate-entries",
        setup=(
            "import pandas as pd\n"
            "sales = pd.DataFrame({'store': ['A', 'A', 'A', 'B', 'B', 'B', 'A'],\n"
            "                      'month': ['jan', 'jan', 'feb', 'jan', 'feb', 'feb', 'feb'],\n"
            "                      'amount': [100, 50, 80, 60, 30, 20, 10]})\n"
        ),
        cell=(
            "monthly_totals = sales.pivot(index='store', columns='month', values='amount')\n"
            "feb_total_a = monthly_totals.loc['A', 'feb']\n"
        ),
        raises="ValueError",
        check=(
            "monthly_totals.loc['A', 'jan'] == 150 and monthly_totals.loc['A', 'feb'] == 90 and monthly_totals.loc['B', 'jan'] == 60"
            " and monthly_totals.loc['B', 'feb'] == 50 and feb_total_a == 90"
        ),
        intent="Build a store-by-month table of total sales amounts and read store A's February total.",
        reference=(
            "monthly_totals = sales.pivot_table(index='store', columns='month', values='amount', aggfunc='sum')\n"
            "feb_total_a = monthly_totals.loc['A', 'feb']\n"
        ),
    ),
    ExecCase(
        id="f-pd-str-accessor-int-zip",
        setup=(
            "import pandas as pd\n"
            "customers = pd.DataFrame({'name': ['Ava', 'Ben', 'Cy'], 'zip': [2134, 10001, 501]})\n"
        ),
        cell=(
            "customers['zip5'] = customers['zip'].str.zfill(5)\n"
            "boston_area = customers[customers['zip5'].str.startswith('02')]\n"
        ),
        raises="AttributeError",
        check="list(customers['zip5']) == ['02134', '10001', '00501'] and list(boston_area['name']) == ['Ava']",
        intent="Restore the leading zeros of the numeric ZIP codes as five-character strings and select the customers whose ZIP starts with 02.",
        reference=(
            "customers['zip5'] = customers['zip'].astype(str).str.zfill(5)\n"
            "boston_area = customers[customers['zip5'].str.startswith('02')]\n"
        ),
    ),
    ExecCase(
        id="f-pd-apply-missing-axis",
        setup=(
            "import pandas as pd\n"
            "items = pd.DataFrame({'item': ['tea', 'cake', 'soup'], 'unit_price': [2.5, 4.0, 6.0], 'qty': [4, 2, 3], 'discount': [0.0, 0.5, 1.0]})\n"
        ),
        cell=(
            "items['line_total'] = items.apply(lambda row: row['unit_price'] * row['qty'] - row['discount'])\n"
            "grand_total = items['line_total'].sum()\n"
        ),
        raises="KeyError",
        check="[round(v, 6) for v in items['line_total']] == [10.0, 7.5, 17.0] and abs(grand_total - 34.5) < 1e-9",
        intent="Compute each line's total (price times quantity less its discount) and the grand total.",
        reference=(
            "items['line_total'] = items.apply(lambda row: row['unit_price'] * row['qty'] - row['discount'], axis=1)\n"
            "grand_total = items['line_total'].sum()\n"
        ),
    ),
    ExecCase(
        id="f-pd-merge-key-int-vs-str",
        setup=(
            "import pandas as pd\n"
            "employees = pd.DataFrame({'emp_id': [101, 102, 103, 104], 'name': ['Kim', 'Lee', 'Max', 'Noor']})\n"
            "hours = pd.DataFrame({'emp_id': ['101', '103', '104', '101'], 'hours': [8, 6, 7, 4]})\n"
        ),
        cell=(
            "timesheet = employees.merge(hours, on='emp_id', how='left')\n"
            "hours_per_name = timesheet.groupby('name')['hours'].sum()\n"
        ),
        raises="ValueError",
        check="hours_per_name.to_dict() == {'Kim': 12, 'Lee': 0, 'Max': 6, 'Noor': 7}",
        intent="Join every employee to their logged hours by id and total the hours per employee name.",
        reference=(
            "timesheet = employees.merge(hours.astype({'emp_id': int}), on='emp_id', how='left')\n"
            "hours_per_name = timesheet.groupby('name')['hours'].sum()\n"
        ),
    ),
    ExecCase(
        id="f-pd-resample-needs-datetimeindex",
        setup=(
            "import pandas as pd\n"
            "daily = pd.DataFrame({'date': pd.date_range('2024-01-01', periods=14, freq='D'),\n"
            "                      'steps': [5000, 7000, 6500, 8000, 7200, 3000, 4000, 9000, 8500, 7600, 6400, 5800, 2000, 10000]})\n"
        ),
        cell=(
            "weekly_steps = daily.resample('W')['steps'].sum()\n"
            "best_week = weekly_steps.idxmax()\n"
        ),
        raises="TypeError",
        check="list(weekly_steps) == [40700, 49300] and best_week == pd.Timestamp('2024-01-14')",
        intent="Total the daily step counts per calendar week (by date) and find the week with the most steps.",
        reference=(
            "weekly_steps = daily.resample('W', on='date')['steps'].sum()\n"
            "best_week = weekly_steps.idxmax()\n"
        ),
    ),
    ExecCase(
        id="f-pd-str-extract-no-group",
        setup=(
            "import pandas as pd\n"
            "films = pd.DataFrame({'title': ['Alien (1979)', 'Heat (1995)', 'Up (2009)', 'Arrival (2016)'], 'rating': [8.5, 8.3, 8.3, 7.9]})\n"
        ),
        cell=(
            "films['year'] = films['title'].str.extract(r'\\d{4}').astype(int)\n"
            "recent = films[films['year'] >= 2000]\n"
        ),
        raises="ValueError",
        check="list(films['year']) == [1979, 1995, 2009, 2016] and list(recent['title']) == ['Up (2009)', 'Arrival (2016)']",
        intent="Pull the four-digit release year out of each title as an integer and keep the films from 2000 on.",
        reference=(
            "films['year'] = films['title'].str.extract(r'\\((\\d{4})\\)', expand=False).astype(int)\n"
            "recent = films[films['year'] >= 2000]\n"
        ),
    ),
    ExecCase(
        id="f-pd-dataframe-append-removed",
        setup=(
            "import pandas as pd\n"
            "log = pd.DataFrame({'run': [1, 2], 'accuracy': [0.81, 0.84]})\n"
            "new_row = {'run': 3, 'accuracy': 0.88}\n"
        ),
        cell=(
            "log = log.append(new_row, ignore_index=True)\n"
            "best_run = log.loc[log['accuracy'].idxmax(), 'run']\n"
        ),
        raises="AttributeError",
        check="len(log) == 3 and list(log['run']) == [1, 2, 3] and abs(log['accuracy'].iloc[2] - 0.88) < 1e-9 and best_run == 3",
        intent="Add the new run's result as a row of the log and find the run with the best accuracy.",
        reference=(
            "log = pd.concat([log, pd.DataFrame([new_row])], ignore_index=True)\n"
            "best_run = log.loc[log['accuracy'].idxmax(), 'run']\n"
        ),
    ),
    ExecCase(
        id="f-pd-cut-labels-vs-bins",
        setup=(
            "import pandas as pd\n"
            "patients = pd.DataFrame({'pid': [1, 2, 3, 4, 5, 6], 'age': [5, 17, 34, 64, 70, 88]})\n"
        ),
        cell=(
            "patients['age_group'] = pd.cut(patients['age'], bins=[0, 18, 65], labels=['child', 'adult', 'senior'])\n"
            "group_sizes = patients['age_group'].value_counts()\n"
        ),
        raises="ValueError",
        check=(
            "[str(g) for g in patients['age_group']] == ['child', 'child', 'adult', 'adult', 'senior', 'senior']"
            " and group_sizes['senior'] == 2 and group_sizes['adult'] == 2 and group_sizes['child'] == 2"
        ),
        intent="Bin the patients into child (up to 18), adult (up to 65) and senior (over 65) groups and count each group.",
        reference=(
            "patients['age_group'] = pd.cut(patients['age'], bins=[0, 18, 65, float('inf')], labels=['child', 'adult', 'senior'])\n"
            "group_sizes = patients['age_group'].value_counts()\n"
        ),
    ),
    # -- numpy --------------------------------------------------------------------------------------
    ExecCase(
        id="f-np-broadcast-row-centering",
        setup=(
            "import numpy as np\n"
            "readings = np.array([[1.0, 2.0, 3.0], [10.0, 20.0, 30.0], [4.0, 4.0, 7.0], [0.0, 5.0, 10.0]])\n"
        ),
        cell=(
            "row_means = readings.mean(axis=1)\n"
            "row_centered = readings - row_means\n"
        ),
        raises="ValueError",
        check=(
            "row_centered.shape == (4, 3) and np.allclose(row_centered, [[-1, 0, 1], [-10, 0, 10], [-1, -1, 2], [-5, 0, 5]])"
        ),
        intent="Subtract each row's own mean from that row.",
        reference=(
            "row_means = readings.mean(axis=1)\n"
            "row_centered = readings - row_means[:, np.newaxis]\n"
        ),
    ),
    ExecCase(
        id="f-np-nan-into-int-array",
        setup=(
            "import numpy as np\n"
            "sensor = np.array([12, -999, 15, 14, -999, 13])\n"
        ),
        cell=(
            "sensor[sensor == -999] = np.nan\n"
            "mean_reading = np.nanmean(sensor)\n"
        ),
        raises="ValueError",
        check="abs(mean_reading - 13.5) < 1e-9",
        intent="Treat the -999 sentinel readings as missing and average the real readings.",
        reference=(
            "sensor = sensor.astype(float)\n"
            "sensor[sensor == -999] = np.nan\n"
            "mean_reading = np.nanmean(sensor)\n"
        ),
    ),
    ExecCase(
        id="f-np-concatenate-label-column",
        setup=(
            "import numpy as np\n"
            "features = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])\n"
            "labels = np.array([0.0, 1.0, 1.0])\n"
        ),
        cell=(
            "dataset = np.concatenate([features, labels], axis=1)\n"
            "positives = dataset[dataset[:, -1] == 1]\n"
        ),
        raises="ValueError",
        check=(
            "dataset.shape == (3, 3) and np.array_equal(dataset[:, :2], features) and np.array_equal(dataset[:, 2], labels)"
            " and positives.shape == (2, 3) and np.array_equal(positives[:, 0], [3.0, 5.0])"
        ),
        intent="Append the labels as a last column of the feature matrix and select the rows labelled 1.",
        reference=(
            "dataset = np.concatenate([features, labels[:, None]], axis=1)\n"
            "positives = dataset[dataset[:, -1] == 1]\n"
        ),
    ),
    ExecCase(
        id="f-np-argmax-unpack-2d",
        setup=(
            "import numpy as np\n"
            "heat = np.array([[0.1, 0.4, 0.3], [0.2, 0.9, 0.5], [0.7, 0.6, 0.8], [0.3, 0.2, 0.1]])\n"
        ),
        cell=(
            "hot_row, hot_col = np.argmax(heat)\n"
            "hottest = heat[hot_row, hot_col]\n"
        ),
        raises="TypeError",
        check="int(hot_row) == 1 and int(hot_col) == 1 and abs(hottest - 0.9) < 1e-12",
        intent="Find the row and column of the largest value in the grid and read that value.",
        reference=(
            "hot_row, hot_col = np.unravel_index(np.argmax(heat), heat.shape)\n"
            "hottest = heat[hot_row, hot_col]\n"
        ),
    ),
    ExecCase(
        id="f-np-mask-operator-precedence",
        setup=(
            "import numpy as np\n"
            "temps_c = np.array([12.5, 18.0, 22.4, 25.0, 30.1, 15.0, 19.9])\n"
        ),
        cell=(
            "comfortable = temps_c[temps_c >= 18 & temps_c <= 24]\n"
            "share_comfortable = len(comfortable) / len(temps_c)\n"
        ),
        raises="TypeError",
        check="list(comfortable) == [18.0, 22.4, 19.9] and abs(share_comfortable - 3 / 7) < 1e-12",
        intent="Select the temperatures from 18 to 24 degrees inclusive and compute what share of all readings they are.",
        reference=(
            "comfortable = temps_c[(temps_c >= 18) & (temps_c <= 24)]\n"
            "share_comfortable = len(comfortable) / len(temps_c)\n"
        ),
    ),
    ExecCase(
        id="f-np-solve-overdetermined-fit",
        setup=(
            "import numpy as np\n"
            "x = np.array([0.0, 1.0, 2.0, 3.0, 4.0])\n"
            "y = np.array([1.1, 2.9, 5.2, 7.1, 8.8])\n"
            "A = np.column_stack([x, np.ones_like(x)])\n"
        ),
        cell=(
            "slope, intercept = np.linalg.solve(A, y)\n"
            "predicted_at_5 = slope * 5 + intercept\n"
        ),
        raises="LinAlgError",
        check="abs(slope - 1.96) < 1e-9 and abs(intercept - 1.1) < 1e-9 and abs(predicted_at_5 - 10.9) < 1e-9",
        intent="Fit the least-squares line through the five points and predict y at x = 5.",
        reference=(
            "slope, intercept = np.linalg.lstsq(A, y, rcond=None)[0]\n"
            "predicted_at_5 = slope * 5 + intercept\n"
        ),
    ),
    ExecCase(
        id="f-np-reshape-rgb-channels",
        setup=(
            "import numpy as np\n"
            "height, width = 2, 3\n"
            "rgb_flat = np.arange(18, dtype=np.uint8)  # interleaved pixels: r, g, b, r, g, b, ...\n"
        ),
        cell=(
            "image = rgb_flat.reshape(height, width)\n"
            "red_channel = image[:, :, 0]\n"
        ),
        raises="ValueError",
        check="image.shape == (2, 3, 3) and red_channel.tolist() == [[0, 3, 6], [9, 12, 15]]",
        intent="Turn the flat interleaved RGB buffer into a height x width x 3 image and take its red channel.",
        reference=(
            "image = rgb_flat.reshape(height, width, 3)\n"
            "red_channel = image[:, :, 0]\n"
        ),
    ),
    ExecCase(
        id="f-np-float-index-middle",
        setup=(
            "import numpy as np\n"
            "response_ms = np.array([230, 180, 410, 95, 300, 150, 275])\n"
        ),
        cell=(
            "ordered = np.sort(response_ms)\n"
            "median_ms = ordered[len(ordered) / 2]\n"
        ),
        raises="IndexError",
        check="median_ms == 230",
        intent="Take the middle value of the sorted response times (their median).",
        reference=(
            "ordered = np.sort(response_ms)\n"
            "median_ms = ordered[len(ordered) // 2]\n"
        ),
    ),
    # -- plain Python and the standard library ---------------------------------------------------
    ExecCase(
        id="f-py-timedelta-no-hours",
        setup=(
            "from datetime import datetime\n"
            "shift_start = datetime(2024, 5, 3, 22, 15)\n"
            "shift_end = datetime(2024, 5, 5, 6, 45)\n"
            "hourly_rate = 18.0\n"
        ),
        cell=(
            "duration = shift_end - shift_start\n"
            "hours_worked = duration.hours\n"
            "pay = hours_worked * hourly_rate\n"
        ),
        raises="AttributeError",
        check="abs(hours_worked - 32.5) < 1e-9 and abs(pay - 585.0) < 1e-9",
        intent="Compute the shift's whole length in hours and the pay for it.",
        reference=(
            "duration = shift_end - shift_start\n"
            "hours_worked = duration.total_seconds() / 3600\n"
            "pay = hours_worked * hourly_rate\n"
        ),
    ),
    ExecCase(
        id="f-py-json-loads-python-repr",
        setup=(
            "raw_config = \"{'model': 'ridge', 'alpha': 0.5, 'normalize': True, 'author': \\\"O'Neil\\\", 'features': ['age', 'income']}\"\n"
        ),
        cell=(
            "import json\n"
            "config = json.loads(raw_config)\n"
            "n_features = len(config['features'])\n"
        ),
        raises="JSONDecodeError",
        check=(
            "config == {'model': 'ridge', 'alpha': 0.5, 'normalize': True, 'author': \"O'Neil\", 'features': ['age', 'income']}"
            " and config['normalize'] is True and n_features == 2"
        ),
        intent="Read the saved configuration (a printed Python dict) back into a dict and count its features.",
        reference=(
            "import ast\n"
            "config = ast.literal_eval(raw_config)\n"
            "n_features = len(config['features'])\n"
        ),
    ),
    ExecCase(
        id="f-py-csv-semicolon-delimiter",
        setup=(
            "import csv\n"
            "import io\n"
            "export = 'product;price;qty\\nbolt;0.25;400\\nnut;0.10;650\\nwasher;0.05;1000\\n'\n"
        ),
        cell=(
            "reader = csv.DictReader(io.StringIO(export))\n"
            "stock_value = sum(float(row['price']) * int(row['qty']) for row in reader)\n"
        ),
        raises="KeyError",
        check="abs(stock_value - 215.0) < 1e-9",
        intent="Sum price times quantity over the rows of the semicolon-separated export.",
        reference=(
            "reader = csv.DictReader(io.StringIO(export), delimiter=';')\n"
            "stock_value = sum(float(row['price']) * int(row['qty']) for row in reader)\n"
        ),
    ),
    ExecCase(
        id="f-py-lru-cache-list-arg",
        setup=(
            "from functools import lru_cache\n"
            "PRICES = {'apple': 0.5, 'bread': 2.25, 'milk': 1.2, 'eggs': 3.0}\n"
            "cart = ['bread', 'milk', 'apple', 'apple']\n"
        ),
        cell=(
            "@lru_cache(maxsize=None)\n"
            "def basket_total(items):\n"
            "    return round(sum(PRICES[i] for i in items), 2)\n"
            "\n"
            "cart_total = basket_total(cart)\n"
        ),
        raises="TypeError",
        check="abs(cart_total - 4.45) < 1e-9",
        intent="Price the whole cart, every item counted, through the cached total function.",
        reference=(
            "@lru_cache(maxsize=None)\n"
            "def basket_total(items):\n"
            "    return round(sum(PRICES[i] for i in items), 2)\n"
            "\n"
            "cart_total = basket_total(tuple(cart))\n"
        ),
    ),
    ExecCase(
        id="f-py-dataclass-mutable-default",
        setup="from dataclasses import dataclass\n",
        cell=(
            "@dataclass\n"
            "class Playlist:\n"
            "    name: str\n"
            "    songs: list = []\n"
            "\n"
            "road_trip = Playlist('road trip')\n"
            "road_trip.songs.append('Hey Jude')\n"
            "gym = Playlist('gym')\n"
        ),
        raises="ValueError",
        check="road_trip.songs == ['Hey Jude'] and road_trip.name == 'road trip' and gym.name == 'gym' and gym.songs == []",
        intent="Define a playlist record whose song list starts empty and is separate for each playlist.",
        reference=(
            "from dataclasses import field\n"
            "@dataclass\n"
            "class Playlist:\n"
            "    name: str\n"
            "    songs: list = field(default_factory=list)\n"
            "\n"
            "road_trip = Playlist('road trip')\n"
            "road_trip.songs.append('Hey Jude')\n"
            "gym = Playlist('gym')\n"
        ),
    ),
    ExecCase(
        id="f-py-purepath-plus-suffix",
        setup=(
            "from pathlib import PurePosixPath\n"
            "reports_dir = PurePosixPath('/srv/reports')\n"
            "quarters = ['q1', 'q2', 'q3']\n"
        ),
        cell=(
            "report_paths = [reports_dir / q + '.csv' for q in quarters]\n"
            "report_names = [p.name for p in report_paths]\n"
        ),
        raises="TypeError",
        check=(
            "[str(p) for p in report_paths] == ['/srv/reports/q1.csv', '/srv/reports/q2.csv', '/srv/reports/q3.csv']"
            " and report_names == ['q1.csv', 'q2.csv', 'q3.csv']"
        ),
        intent="Build the path of each quarter's CSV report inside the reports folder and list the file names.",
        reference=(
            "report_paths = [reports_dir / (q + '.csv') for q in quarters]\n"
            "report_names = [p.name for p in report_paths]\n"
        ),
    ),
    ExecCase(
        id="f-py-format-spec-on-str",
        setup="menu = [('espresso', '2.5'), ('latte', '3.75'), ('cake', '4')]\n",
        cell=(
            "lines = [f'{item:<10}{price:>6.2f}' for item, price in menu]\n"
            "receipt = '\\n'.join(lines)\n"
        ),
        raises="ValueError",
        check="lines == ['espresso    2.50', 'latte       3.75', 'cake        4.00'] and receipt.count('\\n') == 2",
        intent="Print each menu item left-aligned with its price right-aligned to two decimals.",
        reference=(
            "lines = [f'{item:<10}{float(price):>6.2f}' for item, price in menu]\n"
            "receipt = '\\n'.join(lines)\n"
        ),
    ),
    ExecCase(
        id="f-py-rate-denominator-too-early",
        setup="responses = ['yes', ' no', '', 'YES', 'yes ', '  ', 'no', 'Yes']\n",
        cell=(
            "answered = []\n"
            "n_answered = len(answered)\n"
            "for r in responses:\n"
            "    if r.strip():\n"
            "        answered.append(r.strip().lower())\n"
            "yes_rate = answered.count('yes') / n_answered\n"
        ),
        raises="ZeroDivisionError",
        check="abs(yes_rate - 4 / 6) < 1e-12",
        intent="Compute the share of 'yes' among the non-blank survey answers.",
        reference=(
            "answered = []\n"
            "for r in responses:\n"
            "    if r.strip():\n"
            "        answered.append(r.strip().lower())\n"
            "n_answered = len(answered)\n"
            "yes_rate = answered.count('yes') / n_answered\n"
        ),
    ),
    ExecCase(
        id="f-py-nested-comprehension-order",
        setup="batches = [[3, 1, 4], [1, 5], [9, 2, 6, 5]]\n",
        cell=(
            "all_items = [item for item in batch for batch in batches]\n"
            "n_unique = len(set(all_items))\n"
        ),
        raises="NameError",
        check="all_items == [3, 1, 4, 1, 5, 9, 2, 6, 5] and n_unique == 7",
        intent="Flatten the batches into one list in order and count the distinct items.",
        reference=(
            "all_items = [item for batch in batches for item in batch]\n"
            "n_unique = len(set(all_items))\n"
        ),
    ),
    ExecCase(
        id="f-py-subclass-skips-super-init",
        setup=(
            "class Account:\n"
            "    def __init__(self, owner, balance=0.0):\n"
            "        self.owner = owner\n"
            "        self.balance = balance\n"
            "\n"
            "    def deposit(self, amount):\n"
            "        self.balance += amount\n"
            "        return self.balance\n"
        ),
        cell=(
            "class SavingsAccount(Account):\n"
            "    def __init__(self, owner, balance=0.0, rate=0.02):\n"
            "        self.rate = rate\n"
            "    def add_interest(self):\n"
            "        return self.deposit(self.balance * self.rate)\n"
            "\n"
            "acct = SavingsAccount('mia', 1000.0, rate=0.05)\n"
            "new_balance = acct.add_interest()\n"
        ),
        raises="AttributeError",
        check="abs(new_balance - 1050.0) < 1e-9 and abs(acct.balance - 1050.0) < 1e-9 and acct.owner == 'mia' and acct.rate == 0.05",
        intent="Open a savings account for mia with 1000 at 5% and credit one period's interest to it.",
        reference=(
            "class SavingsAccount(Account):\n"
            "    def __init__(self, owner, balance=0.0, rate=0.02):\n"
            "        super().__init__(owner, balance)\n"
            "        self.rate = rate\n"
            "    def add_interest(self):\n"
            "        return self.deposit(self.balance * self.rate)\n"
            "\n"
            "acct = SavingsAccount('mia', 1000.0, rate=0.05)\n"
            "new_balance = acct.add_interest()\n"
        ),
    ),
)
