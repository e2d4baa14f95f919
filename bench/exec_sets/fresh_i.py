"""Set I of execution-graded cases, written blind: 30 notebook errors a data scientist or student meets in practice -- 11 pandas (European CSV separators and decimals, thousands separators left as text, DataFrame.apply without axis, join with overlapping column names, resample without a DatetimeIndex, splitting names into a fixed set of columns, pivot with duplicate entries, nullable Int64 missing values in a mapped function, the pandas 2 value_counts column names, day-first date strings and periods, groupby mean over text columns), 8 numpy (broadcasting along the wrong axis, int8 overflow under NEP 50, a boolean mask one element short after diff, concatenating 1-D arrays on axis 1, a singular normal-equation matrix from the dummy-variable trap, the legacy randint call on a Generator, 2-D indexing of a structured array, a scalar if applied to an array) and 11 plain Python (deleting from a dict while iterating, sorting dicts by two keys one descending, an exhausted generator, a mutable dataclass default, a subclass that skips super().__init__, str.format given a tuple, str(dict) text fed to json.loads, timedelta hours, findall returning group tuples, augmented assignment to a global in a function, a class attribute used inside a class-body comprehension); several have a tempting quick fix that runs but computes the wrong thing, which the check rejects."""

from bench.exec_case import ExecCase

CASES: tuple[ExecCase, ...] = (
    ExecCase(
        id="i-pandas-csv-semicolon-decimal-comma",
        setup=(
            "import io\n"
            "import pandas as pd\n"
            'raw = "product;price;qty\\nA;1,50;3\\nB;2,25;4\\nC;10,00;1\\n"\n'
        ),
        cell=(
            "# revenue per product and in total from the exported (European) CSV\n"
            "df = pd.read_csv(io.StringIO(raw))\n"
            'df["revenue"] = df["price"] * df["qty"]\n'
            'total = df["revenue"].sum()\n'
            "print(df, total)\n"
        ),
        raises="KeyError",
        check='abs(float(total) - 23.5) < 1e-9 and [round(float(x), 6) for x in df["revenue"]] == [4.5, 9.0, 10.0]',
        intent="Read the semicolon-separated, decimal-comma CSV so price is numeric, and compute revenue per row (4.5, 9, 10) and the total 23.5.",
        reference=(
            'df = pd.read_csv(io.StringIO(raw), sep=";", decimal=",")\n'
            'df["revenue"] = df["price"] * df["qty"]\n'
            'total = df["revenue"].sum()\n'
            "print(df, total)\n"
        ),
    ),
    ExecCase(
        id="i-pandas-thousands-separator-mean",
        setup=(
            "import io\n"
            "import pandas as pd\n"
            'raw = \'city,population\\nOslo,"709,037"\\nBergen,"289,330"\\nTrondheim,"214,565"\\n\'\n'
            "df = pd.read_csv(io.StringIO(raw))\n"
        ),
        cell=(
            "# average city population, printed with a thousands separator\n"
            'mean_pop = df["population"].mean()\n'
            'print(f"{mean_pop:,.0f}")\n'
        ),
        raises="TypeError",
        check="abs(float(mean_pop) - (709037 + 289330 + 214565) / 3) < 1e-6",
        intent="Average the three populations, which were read as text with thousands separators, giving 404310.67.",
        reference=(
            'df["population"] = df["population"].str.replace(",", "").astype(int)\n'
            'mean_pop = df["population"].mean()\n'
            'print(f"{mean_pop:,.0f}")\n'
        ),
    ),
    ExecCase(
        id="i-pandas-apply-rowwise-without-axis",
        setup=(
            "import pandas as pd\n"
            'df = pd.DataFrame({"item": ["pen", "book", "bag"], "price": [2.5, 12.0, 30.0], "qty": [4, 2, 1], "discount": [0.0, 4.0, 5.0]})\n'
        ),
        cell=(
            "# net amount per order line (price * qty - discount) and the grand total\n"
            'df["net"] = df.apply(lambda r: r["price"] * r["qty"] - r["discount"])\n'
            'grand_total = df["net"].sum()\n'
            "print(df)\n"
        ),
        raises="KeyError",
        check='[float(x) for x in df["net"]] == [10.0, 20.0, 25.0] and float(grand_total) == 55.0',
        intent="Compute price * qty - discount for every row (10, 20, 25) and their sum 55.",
        reference=(
            'df["net"] = df.apply(lambda r: r["price"] * r["qty"] - r["discount"], axis=1)\n'
            'grand_total = df["net"].sum()\n'
            "print(df)\n"
        ),
    ),
    ExecCase(
        id="i-pandas-join-overlapping-columns",
        setup=(
            "import pandas as pd\n"
            'orders = pd.DataFrame({"order_id": [101, 102, 103, 104], "cust": ["c1", "c2", "c1", "c3"], "name": ["lamp", "desk", "chair", "mug"]})\n'
            'customers = pd.DataFrame({"name": ["Ann", "Bob", "Cid"], "country": ["NO", "SE", "NO"]}, index=["c1", "c2", "c3"])\n'
        ),
        cell=(
            "# attach each customer's name and country to their orders, then count orders per country\n"
            'full = orders.join(customers, on="cust")\n'
            'per_country = full.groupby("country")["order_id"].count()\n'
            "print(full)\n"
        ),
        raises="ValueError",
        check='len(full) == 4 and {k: int(v) for k, v in per_country.items()} == {"NO": 3, "SE": 1} and any(list(full[c]) == ["Ann", "Bob", "Ann", "Cid"] for c in full.columns) and any(list(full[c]) == ["lamp", "desk", "chair", "mug"] for c in full.columns)',
        intent="Join the customer table on the cust key keeping both the item name and the customer name, and count orders per country (NO 3, SE 1).",
        reference=(
            'full = orders.join(customers, on="cust", rsuffix="_customer")\n'
            'per_country = full.groupby("country")["order_id"].count()\n'
            "print(full)\n"
        ),
    ),
    ExecCase(
        id="i-pandas-resample-string-dates",
        setup=(
            "import pandas as pd\n"
            'df = pd.DataFrame({"date": ["2024-01-01", "2024-01-02", "2024-01-08", "2024-01-09", "2024-01-15"], "sales": [10, 20, 30, 40, 50]})\n'
        ),
        cell=(
            "# weekly total sales (weeks ending Sunday) and the best week\n"
            'weekly = df.resample("W")["sales"].sum()\n'
            "best_week = weekly.idxmax()\n"
            "print(weekly)\n"
        ),
        raises="TypeError",
        check='[int(x) for x in weekly] == [30, 70, 50] and pd.Timestamp(best_week) == pd.Timestamp("2024-01-14")',
        intent="Resample the sales by calendar week ending Sunday (30, 70, 50) and find the best week, the one ending 2024-01-14.",
        reference=(
            'df["date"] = pd.to_datetime(df["date"])\n'
            'weekly = df.resample("W", on="date")["sales"].sum()\n'
            "best_week = weekly.idxmax()\n"
            "print(weekly)\n"
        ),
    ),
    ExecCase(
        id="i-pandas-split-names-middle-names",
        setup=(
            "import pandas as pd\n"
            'df = pd.DataFrame({"name": ["Mary Ann Smith", "John Smith", "Li Wei", "Peter Jan Olsen", "Kari Olsen"], "age": [34, 36, 29, 51, 48]})\n'
        ),
        cell=(
            "# split full names into first name and surname (the last word), then people per surname\n"
            'df[["first", "last"]] = df["name"].str.split(" ", expand=True)\n'
            'per_family = df.groupby("last").size()\n'
            "print(per_family)\n"
        ),
        raises="ValueError",
        check='list(df["last"]) == ["Smith", "Smith", "Wei", "Olsen", "Olsen"] and {k: int(v) for k, v in per_family.items()} == {"Smith": 2, "Wei": 1, "Olsen": 2} and list(df["first"]) in (["Mary", "John", "Li", "Peter", "Kari"], ["Mary Ann", "John", "Li", "Peter Jan", "Kari"])',
        intent="Take the last word of each name as the surname (some people have middle names) and count people per surname: Smith 2, Wei 1, Olsen 2.",
        reference=(
            'df[["first", "last"]] = df["name"].str.rsplit(" ", n=1, expand=True)\n'
            'per_family = df.groupby("last").size()\n'
            "print(per_family)\n"
        ),
    ),
    ExecCase(
        id="i-pandas-pivot-duplicate-receipts",
        setup=(
            "import pandas as pd\n"
            "sales = pd.DataFrame({\n"
            '    "date": ["2024-05-01", "2024-05-01", "2024-05-01", "2024-05-02", "2024-05-02"],\n'
            '    "store": ["north", "south", "north", "north", "south"],\n'
            '    "amount": [120, 80, 30, 100, 90],\n'
            "})\n"
        ),
        cell=(
            "# a date x store table of total sales, and each store's total\n"
            'table = sales.pivot(index="date", columns="store", values="amount")\n'
            "store_totals = table.sum()\n"
            "print(table)\n"
        ),
        raises="ValueError",
        check='float(table.loc["2024-05-01", "north"]) == 150.0 and float(table.loc["2024-05-02", "south"]) == 90.0 and {k: float(v) for k, v in store_totals.items()} == {"north": 250.0, "south": 170.0}',
        intent="Sum the several receipts a store can have on one day into a date x store table (north on 05-01 is 150) and total per store (north 250, south 170).",
        reference=(
            'table = sales.pivot_table(index="date", columns="store", values="amount", aggfunc="sum")\n'
            "store_totals = table.sum()\n"
            "print(table)\n"
        ),
    ),
    ExecCase(
        id="i-pandas-nullable-int-missing-in-map",
        setup=(
            "import pandas as pd\n"
            'df = pd.DataFrame({"student": ["ana", "ben", "cho", "dev"], "score": pd.array([72, None, 45, 88], dtype="Int64")})\n'
        ),
        cell=(
            '# label each student pass (>= 50) or fail; a missing score means "absent"\n'
            "def grade(s):\n"
            '    return "pass" if s >= 50 else "fail"\n'
            'df["result"] = df["score"].map(grade)\n'
            'summary = df["result"].value_counts().to_dict()\n'
        ),
        raises="TypeError",
        check='list(df["result"]) == ["pass", "absent", "fail", "pass"] and {k: int(v) for k, v in summary.items()} == {"pass": 2, "absent": 1, "fail": 1}',
        intent="Label scores pass/fail at 50 and the missing (pd.NA) score as absent: pass, absent, fail, pass.",
        reference=(
            "def grade(s):\n"
            '    return "absent" if pd.isna(s) else ("pass" if s >= 50 else "fail")\n'
            'df["result"] = df["score"].map(grade)\n'
            'summary = df["result"].value_counts().to_dict()\n'
        ),
    ),
    ExecCase(
        id="i-pandas-value-counts-reset-index-names",
        setup=(
            "import pandas as pd\n"
            'df = pd.DataFrame({"color": ["red", "blue", "red", "green", "red", "blue"]})\n'
        ),
        cell=(
            "# most common colour and how often it occurs\n"
            'vc = df["color"].value_counts().reset_index()\n'
            'top_color = vc.loc[0, "index"]\n'
            'top_count = vc.loc[0, "color"]\n'
            'print(f"{top_color}: {top_count}")\n'
        ),
        raises="KeyError",
        check='top_color == "red" and int(top_count) == 3',
        intent="Find the most frequent colour (red) and its count (3) from value_counts, whose reset columns are color and count in pandas 2.",
        reference=(
            'vc = df["color"].value_counts().reset_index()\n'
            'top_color = vc.loc[0, "color"]\n'
            'top_count = vc.loc[0, "count"]\n'
            'print(f"{top_color}: {top_count}")\n'
        ),
    ),
    ExecCase(
        id="i-pandas-dayfirst-dates-to-period",
        setup=(
            "import pandas as pd\n"
            'df = pd.DataFrame({"date": ["03/01/2024", "15/01/2024", "02/02/2024", "20/02/2024", "05/03/2024"], "amount": [100, 200, 50, 25, 10]})\n'
        ),
        cell=(
            "# total amount per calendar month (the dates are day/month/year)\n"
            'df["month"] = df["date"].dt.to_period("M")\n'
            'monthly = df.groupby("month")["amount"].sum()\n'
            "print(monthly)\n"
        ),
        raises="AttributeError",
        check='[str(k)[:7] for k in monthly.index] == ["2024-01", "2024-02", "2024-03"] and [int(v) for v in monthly] == [300, 75, 10]',
        intent="Parse the day-first date strings and total the amounts per month: January 300, February 75, March 10.",
        reference=(
            'df["date"] = pd.to_datetime(df["date"], format="%d/%m/%Y")\n'
            'df["month"] = df["date"].dt.to_period("M")\n'
            'monthly = df.groupby("month")["amount"].sum()\n'
            "print(monthly)\n"
        ),
    ),
    ExecCase(
        id="i-pandas-groupby-mean-text-column",
        setup=(
            "import pandas as pd\n"
            'df = pd.DataFrame({"team": ["red", "red", "blue", "blue", "blue"], "player": ["ann", "bo", "cy", "di", "ed"], "points": [10, 20, 12, 18, 9], "assists": [3, 5, 2, 4, 6]})\n'
        ),
        cell=(
            "# average points and assists per team, and the team with the best average points\n"
            'means = df.groupby("team").mean()\n'
            'best_team = means["points"].idxmax()\n'
            "print(means.round(1))\n"
        ),
        raises="TypeError",
        check='best_team == "red" and abs(float(means.loc["red", "points"]) - 15.0) < 1e-9 and abs(float(means.loc["blue", "points"]) - 13.0) < 1e-9 and abs(float(means.loc["red", "assists"]) - 4.0) < 1e-9 and abs(float(means.loc["blue", "assists"]) - 4.0) < 1e-9',
        intent="Average the numeric columns per team (red 15 points, blue 13; 4 assists each) despite the text player column, and pick red as best.",
        reference=(
            'means = df.groupby("team")[["points", "assists"]].mean()\n'
            'best_team = means["points"].idxmax()\n'
            "print(means.round(1))\n"
        ),
    ),
    ExecCase(
        id="i-numpy-standardise-wrong-axis",
        setup=(
            "import numpy as np\n"
            "X = np.array([[1.0, 200.0, 0.5], [2.0, 180.0, 0.7], [3.0, 220.0, 0.2], [4.0, 160.0, 0.9], [5.0, 240.0, 0.2]])\n"
        ),
        cell=(
            "# standardise every feature (column) to mean 0 and std 1\n"
            "Z = (X - X.mean(axis=1)) / X.std(axis=1)\n"
            "print(Z.mean(axis=0).round(6), Z.std(axis=0).round(6))\n"
        ),
        raises="ValueError",
        check="Z.shape == (5, 3) and (np.allclose(Z, (X - X.mean(axis=0)) / X.std(axis=0)) or np.allclose(Z, (X - X.mean(axis=0)) / X.std(axis=0, ddof=1)))",
        intent="Standardise each column of the 5x3 feature matrix (subtract the column mean, divide by the column std).",
        reference=(
            "Z = (X - X.mean(axis=0)) / X.std(axis=0)\n"
            "print(Z.mean(axis=0).round(6), Z.std(axis=0).round(6))\n"
        ),
    ),
    ExecCase(
        id="i-numpy-int8-offset-overflow",
        setup=(
            "import numpy as np\n"
            "temps_c = np.array([-12, 0, 7, 21, 35], dtype=np.int8)  # stored compactly as int8\n"
        ),
        cell=(
            "# convert the readings to kelvin and report the mean\n"
            "kelvin = temps_c + 273\n"
            "mean_k = kelvin.mean()\n"
            "print(kelvin, mean_k)\n"
        ),
        raises="OverflowError",
        check="len(kelvin) == 5 and (bool(np.allclose(kelvin, [261, 273, 280, 294, 308])) and abs(float(mean_k) - 283.2) < 1e-9 or bool(np.allclose(kelvin, [261.15, 273.15, 280.15, 294.15, 308.15])) and abs(float(mean_k) - 283.35) < 1e-9)",
        intent="Add the kelvin offset to int8 Celsius readings without overflowing, giving 261..308 and mean 283.2.",
        reference=(
            "kelvin = temps_c.astype(np.int64) + 273\n"
            "mean_k = kelvin.mean()\n"
            "print(kelvin, mean_k)\n"
        ),
    ),
    ExecCase(
        id="i-numpy-diff-mask-one-short",
        setup=(
            "import numpy as np\n"
            'days = np.array(["mon", "tue", "wed", "thu", "fri", "sat"])\n'
            "prices = np.array([10.0, 10.5, 10.2, 10.8, 11.0, 10.9])\n"
        ),
        cell=(
            "# the days on which the price rose compared with the previous day\n"
            "rose = np.diff(prices) > 0\n"
            "rise_days = days[rose]\n"
            "print(list(rise_days))\n"
        ),
        raises="IndexError",
        check='[str(d) for d in rise_days] == ["tue", "thu", "fri"]',
        intent="Select the days whose price is above the previous day's (tue, thu, fri), aligning the diff mask with days[1:].",
        reference=(
            "rose = np.diff(prices) > 0\n"
            "rise_days = days[1:][rose]\n"
            "print(list(rise_days))\n"
        ),
    ),
    ExecCase(
        id="i-numpy-concatenate-1d-axis1",
        setup=(
            "import numpy as np\n"
            "heights = np.array([1.62, 1.75, 1.80, 1.68])\n"
            "weights = np.array([55.0, 72.0, 81.0, 60.0])\n"
        ),
        cell=(
            "# one row per person with columns (height, weight), then BMI per row\n"
            "data = np.concatenate([heights, weights], axis=1)\n"
            "bmi = data[:, 1] / data[:, 0] ** 2\n"
            "print(data.shape, bmi.round(1))\n"
        ),
        raises="AxisError",
        check="data.shape == (4, 2) and bool(np.allclose(data[:, 0], heights)) and bool(np.allclose(data[:, 1], weights)) and bool(np.allclose(bmi, weights / heights ** 2))",
        intent="Stack the two 1-D arrays as the columns of a 4x2 array and compute weight / height**2 per person.",
        reference=(
            "data = np.column_stack([heights, weights])\n"
            "bmi = data[:, 1] / data[:, 0] ** 2\n"
            "print(data.shape, bmi.round(1))\n"
        ),
    ),
    ExecCase(
        id="i-numpy-normal-equations-dummy-trap",
        setup=(
            "import numpy as np\n"
            "# columns: intercept, is_city, is_rural (every house is one of the two), size in 100 m2\n"
            "X = np.array([\n"
            "    [1.0, 1.0, 0.0, 0.8],\n"
            "    [1.0, 0.0, 1.0, 1.2],\n"
            "    [1.0, 1.0, 0.0, 1.5],\n"
            "    [1.0, 0.0, 1.0, 0.9],\n"
            "    [1.0, 1.0, 0.0, 1.1],\n"
            "    [1.0, 0.0, 1.0, 2.0],\n"
            "])\n"
            "y = np.array([310.0, 260.0, 450.0, 200.0, 380.0, 390.0])\n"
        ),
        cell=(
            "# least-squares fit via the normal equations, then the fitted prices\n"
            "w = np.linalg.inv(X.T @ X) @ X.T @ y\n"
            "fitted = X @ w\n"
            "print(w.round(2), fitted.round(1))\n"
        ),
        raises="LinAlgError",
        check="fitted.shape == (6,) and bool(np.allclose(fitted, X @ np.linalg.lstsq(X, y, rcond=None)[0], atol=1e-6))",
        intent="Fit the least-squares model although the dummy columns make X.T @ X singular, and give the least-squares fitted prices.",
        reference=(
            "w = np.linalg.lstsq(X, y, rcond=None)[0]\n"
            "fitted = X @ w\n"
            "print(w.round(2), fitted.round(1))\n"
        ),
    ),
    ExecCase(
        id="i-numpy-generator-has-no-randint",
        setup=(
            "import numpy as np\n"
            "rng = np.random.default_rng(42)\n"
            "scores = np.array([55, 61, 70, 48, 90, 82, 77, 66, 59, 73])\n"
        ),
        cell=(
            "# reproducible bootstrap: 5 random indices from our seeded generator, mean of those scores\n"
            "idx = rng.randint(0, len(scores), size=5)\n"
            "sample_mean = scores[idx].mean()\n"
            "print(idx, sample_mean)\n"
        ),
        raises="AttributeError",
        check="abs(float(sample_mean) - float(scores[np.random.default_rng(42).integers(0, 10, size=5)].mean())) < 1e-9 and len(idx) == 5",
        intent="Draw 5 indices with the seeded Generator (its integers method) and average those scores, reproducibly.",
        reference=(
            "idx = rng.integers(0, len(scores), size=5)\n"
            "sample_mean = scores[idx].mean()\n"
            "print(idx, sample_mean)\n"
        ),
    ),
    ExecCase(
        id="i-numpy-structured-array-2d-index",
        setup=(
            "import numpy as np\n"
            "people = np.array(\n"
            '    [("ann", 23, 1.62), ("bob", 35, 1.80), ("cat", 29, 1.70), ("dan", 41, 1.75)],\n'
            '    dtype=[("name", "U10"), ("age", "i4"), ("height", "f8")],\n'
            ")\n"
        ),
        cell=(
            "# mean age, and the names of people taller than 1.72 m\n"
            "mean_age = people[:, 1].mean()\n"
            "tall = people[people[:, 2] > 1.72][:, 0]\n"
            "print(mean_age, tall)\n"
        ),
        raises="IndexError",
        check='abs(float(mean_age) - 32.0) < 1e-9 and sorted(str(n) for n in tall) == ["bob", "dan"]',
        intent="Use the structured array's fields: mean age 32 and the names with height above 1.72 (bob, dan).",
        reference=(
            'mean_age = people["age"].mean()\n'
            'tall = people[people["height"] > 1.72]["name"]\n'
            "print(mean_age, tall)\n"
        ),
    ),
    ExecCase(
        id="i-numpy-scalar-if-on-array",
        setup=(
            "import numpy as np\n"
            "incomes = np.array([0.0, 8000.0, 15250.0, 40000.0, 12130.0])\n"
        ),
        cell=(
            "# tax: nothing up to 10000, then 15% of the part above 10000\n"
            "def tax(x):\n"
            "    return 0 if x <= 10000 else (x - 10000) * 0.15\n"
            "taxes = tax(incomes)\n"
            "print(taxes, taxes.sum())\n"
        ),
        raises="ValueError",
        check="np.shape(taxes) == (5,) and bool(np.allclose(taxes, [0.0, 0.0, 787.5, 4500.0, 319.5]))",
        intent="Apply the piecewise tax to every income element-wise: 0, 0, 787.5, 4500, 319.5.",
        reference=(
            "def tax(x):\n"
            "    return np.where(x <= 10000, 0.0, (x - 10000) * 0.15)\n"
            "taxes = tax(incomes)\n"
            "print(taxes, taxes.sum())\n"
        ),
    ),
    ExecCase(
        id="i-python-dict-delete-while-iterating",
        setup=('stock = {"apples": 12, "pears": 0, "plums": 5, "kiwis": 0, "figs": 3}\n'),
        cell=(
            "# drop the sold-out items, then list what is left alphabetically\n"
            "for item in stock:\n"
            "    if stock[item] == 0:\n"
            "        del stock[item]\n"
            "available = sorted(stock)\n"
        ),
        raises="RuntimeError",
        check='stock == {"apples": 12, "plums": 5, "figs": 3} and list(available) == ["apples", "figs", "plums"]',
        intent="Remove every zero-count item from stock (pears and kiwis) and list the rest alphabetically.",
        reference=(
            "stock = {item: n for item, n in stock.items() if n != 0}\n"
            "available = sorted(stock)\n"
        ),
    ),
    ExecCase(
        id="i-python-sort-dicts-two-keys",
        setup=(
            "staff = [\n"
            '    {"name": "ann", "dept": "sales", "salary": 52000},\n'
            '    {"name": "bob", "dept": "it", "salary": 61000},\n'
            '    {"name": "cyd", "dept": "sales", "salary": 58000},\n'
            '    {"name": "dee", "dept": "it", "salary": 75000},\n'
            '    {"name": "eli", "dept": "hr", "salary": 48000},\n'
            "]\n"
        ),
        cell=(
            "# order by department A-Z, and within a department by salary, highest first\n"
            "ordered = sorted(staff)\n"
            'names = [p["name"] for p in ordered]\n'
            "print(names)\n"
        ),
        raises="TypeError",
        check='list(names) == ["eli", "dee", "bob", "cyd", "ann"]',
        intent="Sort the records by department ascending and salary descending: eli, dee, bob, cyd, ann.",
        reference=(
            'ordered = sorted(staff, key=lambda p: (p["dept"], -p["salary"]))\n'
            'names = [p["name"] for p in ordered]\n'
            "print(names)\n"
        ),
    ),
    ExecCase(
        id="i-python-generator-consumed-twice",
        setup=('raw = ["12.5", "", "7.0", "  ", "10.5", "3.0"]\n'),
        cell=(
            "# mean of the non-blank readings\n"
            "valid = (float(r) for r in raw if r.strip())\n"
            "total = sum(valid)\n"
            "count = sum(1 for _ in valid)\n"
            "mean = total / count\n"
            'print(f"{count} readings, mean {mean:.2f}")\n'
        ),
        raises="ZeroDivisionError",
        check="count == 4 and abs(mean - 8.25) < 1e-9",
        intent="Count the four non-blank readings and average them (8.25), not reusing an exhausted generator.",
        reference=(
            "valid = [float(r) for r in raw if r.strip()]\n"
            "total = sum(valid)\n"
            "count = len(valid)\n"
            "mean = total / count\n"
            'print(f"{count} readings, mean {mean:.2f}")\n'
        ),
    ),
    ExecCase(
        id="i-python-dataclass-mutable-default",
        setup=("from dataclasses import dataclass\n"),
        cell=(
            "# a shopping basket per customer, each with its own list of items\n"
            "@dataclass\n"
            "class Basket:\n"
            "    owner: str\n"
            "    items: list = []\n"
            'a, b = Basket("ann"), Basket("bob")\n'
            'a.items.append("milk")\n'
        ),
        raises="ValueError",
        check='a.owner == "ann" and b.owner == "bob" and list(a.items) == ["milk"] and list(b.items) == [] and a.items is not b.items',
        intent="Define a Basket dataclass whose items list is created fresh for each instance, so ann's milk is not in bob's basket.",
        reference=(
            "from dataclasses import field\n"
            "@dataclass\n"
            "class Basket:\n"
            "    owner: str\n"
            "    items: list = field(default_factory=list)\n"
            'a, b = Basket("ann"), Basket("bob")\n'
            'a.items.append("milk")\n'
        ),
    ),
    ExecCase(
        id="i-python-subclass-skips-super-init",
        setup=(
            "class Account:\n"
            "    def __init__(self, owner, balance=0.0):\n"
            "        self.owner = owner\n"
            "        self.balance = balance\n"
            "\n"
            "    def deposit(self, amount):\n"
            "        self.balance += amount\n"
            "\n"
            "\n"
            "class Savings(Account):\n"
            "    def __init__(self, owner, rate):\n"
            "        self.rate = rate\n"
            "\n"
            "    def add_interest(self):\n"
            "        self.deposit(self.balance * self.rate)\n"
        ),
        cell=(
            "# open a savings account, deposit 200, add one year of 5% interest\n"
            'acct = Savings("kim", 0.05)\n'
            "acct.deposit(200)\n"
            "acct.add_interest()\n"
            "print(acct.owner, acct.balance)\n"
        ),
        raises="AttributeError",
        check='isinstance(acct, Account) and acct.owner == "kim" and acct.rate == 0.05 and abs(acct.balance - 210.0) < 1e-9',
        intent="A Savings account for kim initialised through Account (owner, balance 0), so 200 plus 5% interest leaves 210.",
        reference=(
            "class Savings(Account):\n"
            "    def __init__(self, owner, rate):\n"
            "        super().__init__(owner)\n"
            "        self.rate = rate\n"
            "\n"
            "    def add_interest(self):\n"
            "        self.deposit(self.balance * self.rate)\n"
            "\n"
            'acct = Savings("kim", 0.05)\n'
            "acct.deposit(200)\n"
            "acct.add_interest()\n"
            "print(acct.owner, acct.balance)\n"
        ),
    ),
    ExecCase(
        id="i-python-format-given-a-tuple",
        setup=(
            'rows = [("ann", 3, 4.5), ("bob", 12, 19.25), ("cyd", 7, 8.0)]\n'
            'template = "{}: {} items, {:.2f} EUR"\n'
        ),
        cell=(
            "# one formatted report line per customer, then the whole report\n"
            "lines = [template.format(row) for row in rows]\n"
            'report = "\\n".join(lines)\n'
            "print(report)\n"
        ),
        raises="IndexError",
        check='report == "ann: 3 items, 4.50 EUR\\nbob: 12 items, 19.25 EUR\\ncyd: 7 items, 8.00 EUR"',
        intent="Fill the three-field template from each row's fields (name, count, amount) and join the lines into the report.",
        reference=(
            "lines = [template.format(*row) for row in rows]\n"
            'report = "\\n".join(lines)\n'
            "print(report)\n"
        ),
    ),
    ExecCase(
        id="i-python-json-loads-python-repr",
        setup=(
            "import json\n"
            "payloads = [\n"
            '    "{\'id\': 1, \'name\': \\"O\'Neil\\", \'vip\': True, \'spend\': 120.5}",\n'
            '    "{\'id\': 2, \'name\': \'Berg\', \'vip\': False, \'spend\': None}",\n'
            '    "{\'id\': 3, \'name\': \'Diaz\', \'vip\': True, \'spend\': 88.0}",\n'
            "]\n"
        ),
        cell=(
            "# parse the logged payloads and total the spend of the VIP customers\n"
            "records = [json.loads(p) for p in payloads]\n"
            'vip_spend = sum(r["spend"] for r in records if r["vip"])\n'
            "print(vip_spend)\n"
        ),
        raises="JSONDecodeError",
        check='[r["name"] for r in records] == ["O\'Neil", "Berg", "Diaz"] and abs(vip_spend - 208.5) < 1e-9',
        intent="Parse the Python-literal (not JSON) payloads, e.g. with ast.literal_eval, and total the VIP spend 120.5 + 88.0 = 208.5.",
        reference=(
            "import ast\n"
            "records = [ast.literal_eval(p) for p in payloads]\n"
            'vip_spend = sum(r["spend"] for r in records if r["vip"])\n'
            "print(vip_spend)\n"
        ),
    ),
    ExecCase(
        id="i-python-timedelta-hours",
        setup=(
            "from datetime import datetime\n"
            'shifts = [("2024-03-01 22:00", "2024-03-02 06:30"), ("2024-03-02 08:00", "2024-03-02 16:15"), ("2024-03-03 07:00", "2024-03-04 09:00")]\n'
        ),
        cell=(
            "# hours worked per shift and in total\n"
            'fmt = "%Y-%m-%d %H:%M"\n'
            "hours = [(datetime.strptime(e, fmt) - datetime.strptime(s, fmt)).hours for s, e in shifts]\n"
            "total_hours = sum(hours)\n"
            "print(hours, total_hours)\n"
        ),
        raises="AttributeError",
        check="[round(h, 6) for h in hours] == [8.5, 8.25, 26.0] and abs(total_hours - 42.75) < 1e-9",
        intent="Convert each shift's timedelta to hours including whole days (8.5, 8.25, 26) and total 42.75.",
        reference=(
            'fmt = "%Y-%m-%d %H:%M"\n'
            "hours = [(datetime.strptime(e, fmt) - datetime.strptime(s, fmt)).total_seconds() / 3600 for s, e in shifts]\n"
            "total_hours = sum(hours)\n"
            "print(hours, total_hours)\n"
        ),
    ),
    ExecCase(
        id="i-python-findall-group-tuples",
        setup=(
            "import re\n"
            'text = "Contact ann.lee@example.com or sales@shop.example.org; bob@mail.net for billing."\n'
        ),
        cell=(
            "# all e-mail addresses in the text, as one comma-separated string\n"
            'emails = re.findall(r"([\\w.]+)@([\\w.-]+\\.[a-z]+)", text)\n'
            'joined = ", ".join(emails)\n'
            "print(joined)\n"
        ),
        raises="TypeError",
        check='joined == "ann.lee@example.com, sales@shop.example.org, bob@mail.net"',
        intent="Join the full addresses found (user@domain), not the group tuples findall returns.",
        reference=(
            'emails = ["@".join(m) for m in re.findall(r"([\\w.]+)@([\\w.-]+\\.[a-z]+)", text)]\n'
            'joined = ", ".join(emails)\n'
            "print(joined)\n"
        ),
    ),
    ExecCase(
        id="i-python-global-counter-in-function",
        setup=(
            'tweets = ["loving #python and #pandas", "no tags here", "#numpy rocks", "#jupyter #python #datascience"]\n'
            "tag_count = 0\n"
        ),
        cell=(
            "# count all hashtags across the tweets\n"
            "def add_tags(text):\n"
            '    tag_count += text.count("#")\n'
            "for t in tweets:\n"
            "    add_tags(t)\n"
            "print(tag_count)\n"
        ),
        raises="UnboundLocalError",
        check="tag_count == 6",
        intent="Accumulate the number of # tags over all tweets into the notebook's tag_count, giving 6.",
        reference=(
            "def add_tags(text):\n"
            "    global tag_count\n"
            '    tag_count += text.count("#")\n'
            "for t in tweets:\n"
            "    add_tags(t)\n"
            "print(tag_count)\n"
        ),
    ),
    ExecCase(
        id="i-python-class-body-comprehension-scope",
        setup=('BOARD_NAME = "tic-tac-toe"\n'),
        cell=(
            "# a 3x3 board of zeros stored on the class, then mark the centre\n"
            "class Board:\n"
            "    size = 3\n"
            "    cells = [[0] * size for _ in range(size)]\n"
            "Board.cells[1][1] = 1\n"
        ),
        raises="NameError",
        check="Board.size == 3 and Board.cells == [[0, 0, 0], [0, 1, 0], [0, 0, 0]]",
        intent="Build independent 3x3 rows on the class (the comprehension cannot see the class attribute size) and mark only the centre.",
        reference=(
            "class Board:\n"
            "    size = 3\n"
            "    cells = [[0] * 3 for _ in range(3)]\n"
            "Board.cells[1][1] = 1\n"
        ),
    ),
)
