"""Set G of execution-graded cases, written blind: thirty notebook errors a data scientist or student really meets, twelve in pandas (string accessors, time zones, label versus position indexing, MultiIndex levels, join key dtypes, time-based windows, categoricals, pivots with duplicates, number and date parsing, removed APIs, groupby over mixed columns), eight in numpy (broadcasting, least squares, in-place casting, boolean masks, axes, the Generator API, stacking, NaN in integer arrays) and ten in plain Python and the standard library (dicts, sorting with None, format specs, closures, iterators, aware datetimes, Decimal, namedtuples, comprehensions, typing generics), several with a tempting quick fix that runs but computes the wrong thing, which the check rejects.
"""

from bench.exec_case import ExecCase

CASES: tuple[ExecCase, ...] = (
    # -- pandas ------------------------------------------------------------------------------------------
    ExecCase(
        id="g-pandas-str-zfill-on-int-zip",
        setup=(
            "import pandas as pd\n"
            "customers = pd.DataFrame({\"name\": [\"Ann\", \"Bo\", \"Cy\", \"Di\"], \"zip\": [2134, 10001, 501, 94105]})\n"
        ),
        cell=(
            "# US ZIP codes lost their leading zeros when loaded; restore the 5-digit form\n"
            "customers[\"zip5\"] = customers[\"zip\"].str.zfill(5)\n"
            "boston = customers[customers[\"zip5\"].str.startswith(\"021\")][\"name\"].tolist()\n"
        ),
        raises="AttributeError",
        check="list(customers[\"zip5\"]) == [\"02134\", \"10001\", \"00501\", \"94105\"] and boston == [\"Ann\"]",
        intent="Rebuild the zero-padded 5-digit ZIP code strings and list the customers in Boston (ZIP 021xx).",
        reference=(
            "customers[\"zip5\"] = customers[\"zip\"].astype(str).str.zfill(5)\n"
            "boston = customers[customers[\"zip5\"].str.startswith(\"021\")][\"name\"].tolist()\n"
        ),
    ),
    ExecCase(
        id="g-pandas-tz-aware-vs-naive-cutoff",
        setup=(
            "import pandas as pd\n"
            "events = pd.DataFrame({\n"
            "    \"id\": [1, 2, 3, 4, 5],\n"
            "    \"ts\": pd.to_datetime([\"2024-02-29 23:00\", \"2024-03-01 03:00\", \"2024-03-01 06:00\",\n"
            "                         \"2024-03-02 12:00\", \"2024-02-28 08:00\"]).tz_localize(\"UTC\"),\n"
            "})  # the server logs in UTC\n"
        ),
        cell=(
            "# keep events from March 1st onward, midnight New York local time\n"
            "cutoff = pd.Timestamp(\"2024-03-01 00:00\")\n"
            "march = events[events[\"ts\"] >= cutoff]\n"
            "march_ids = sorted(march[\"id\"])\n"
        ),
        raises="TypeError",
        check="[int(i) for i in march_ids] == [3, 4]",
        intent="Select the events at or after midnight of March 1st in New York (05:00 UTC), comparing time-zone-aware timestamps.",
        reference=(
            "cutoff = pd.Timestamp(\"2024-03-01 00:00\", tz=\"America/New_York\")\n"
            "march = events[events[\"ts\"] >= cutoff]\n"
            "march_ids = sorted(march[\"id\"])\n"
        ),
    ),
    ExecCase(
        id="g-pandas-loc-zero-on-bib-index",
        setup=(
            "import pandas as pd\n"
            "results = pd.DataFrame({\"runner\": [\"Ines\", \"Tom\", \"Mara\", \"Kofi\", \"Lena\"],\n"
            "                        \"time_s\": [812, 745, 799, 731, 768]},\n"
            "                       index=[101, 102, 103, 104, 105])  # index = bib numbers\n"
        ),
        cell=(
            "ranked = results.sort_values(\"time_s\")\n"
            "winner = ranked.loc[0, \"runner\"]\n"
            "margin = ranked[\"time_s\"].iloc[1] - ranked[\"time_s\"].iloc[0]\n"
        ),
        raises="KeyError",
        check="winner == \"Kofi\" and margin == 14",
        intent="Take the fastest runner (first row after sorting by time) and the winning margin in seconds.",
        reference=(
            "ranked = results.sort_values(\"time_s\")\n"
            "winner = ranked[\"runner\"].iloc[0]\n"
            "margin = ranked[\"time_s\"].iloc[1] - ranked[\"time_s\"].iloc[0]\n"
        ),
    ),
    ExecCase(
        id="g-pandas-multiindex-inner-level-loc",
        setup=(
            "import pandas as pd\n"
            "sales = pd.DataFrame({\"year\": [2022] * 4 + [2023] * 4,\n"
            "                      \"quarter\": [\"Q1\", \"Q2\", \"Q3\", \"Q4\"] * 2,\n"
            "                      \"revenue\": [120, 135, 150, 160, 130, 142, 155, 170]})\n"
            "totals = sales.groupby([\"year\", \"quarter\"])[\"revenue\"].sum()\n"
        ),
        cell=(
            "# Q2 revenue for every year, to compare year over year\n"
            "q2 = totals.loc[\"Q2\"]\n"
            "q2_growth = q2[2023] - q2[2022]\n"
        ),
        raises="KeyError",
        check="q2_growth == 7 and sorted(int(v) for v in q2.tolist()) == [135, 142]",
        intent="Select the Q2 revenue of each year from the (year, quarter) MultiIndex and the growth from 2022 to 2023.",
        reference=(
            "q2 = totals.xs(\"Q2\", level=\"quarter\")\n"
            "q2_growth = q2[2023] - q2[2022]\n"
        ),
    ),
    ExecCase(
        id="g-pandas-merge-int-key-with-str-key",
        setup=(
            "import pandas as pd\n"
            "orders = pd.DataFrame({\"order_id\": [1, 2, 3, 4], \"customer_id\": [10, 11, 10, 12],\n"
            "                       \"amount\": [25.0, 40.0, 15.0, 60.0]})\n"
            "customers = pd.DataFrame({\"customer_id\": [\"10\", \"11\", \"12\"],\n"
            "                          \"segment\": [\"retail\", \"wholesale\", \"retail\"]})  # ids came from a text export\n"
        ),
        cell=(
            "merged = orders.merge(customers, on=\"customer_id\", how=\"left\")\n"
            "by_segment = merged.groupby(\"segment\")[\"amount\"].sum()\n"
        ),
        raises="ValueError",
        check="{k: float(v) for k, v in by_segment.items()} == {\"retail\": 100.0, \"wholesale\": 40.0}",
        intent="Join each order to its customer's segment and total the order amounts per segment.",
        reference=(
            "customers[\"customer_id\"] = customers[\"customer_id\"].astype(int)\n"
            "merged = orders.merge(customers, on=\"customer_id\", how=\"left\")\n"
            "by_segment = merged.groupby(\"segment\")[\"amount\"].sum()\n"
        ),
    ),
    ExecCase(
        id="g-pandas-rolling-7d-without-datetime-index",
        setup=(
            "import pandas as pd\n"
            "daily = pd.DataFrame({\n"
            "    \"date\": pd.to_datetime([\"2024-01-01\", \"2024-01-02\", \"2024-01-04\", \"2024-01-05\",\n"
            "                            \"2024-01-08\", \"2024-01-09\", \"2024-01-10\", \"2024-01-12\"]),\n"
            "    \"sales\": [10, 12, 8, 15, 20, 7, 9, 11],\n"
            "})\n"
        ),
        cell=(
            "# trailing 7-calendar-day sales total (days with no sales have no row)\n"
            "daily[\"sales_7d\"] = daily[\"sales\"].rolling(\"7D\").sum()\n"
        ),
        raises="ValueError",
        check="[float(v) for v in daily[\"sales_7d\"]] == [10.0, 22.0, 30.0, 45.0, 55.0, 50.0, 59.0, 47.0]",
        intent="Add, for each row, the total sales of the 7 calendar days ending on that row's date, using the date column as the window axis.",
        reference="daily[\"sales_7d\"] = daily.rolling(\"7D\", on=\"date\")[\"sales\"].sum()\n",
    ),
    ExecCase(
        id="g-pandas-categorical-fillna-new-label",
        setup=(
            "import pandas as pd\n"
            "shirts = pd.DataFrame({\"order\": [1, 2, 3, 4, 5],\n"
            "                       \"size\": pd.Categorical([\"L\", None, \"S\", \"XL\", \"M\"],\n"
            "                                             categories=[\"S\", \"M\", \"L\", \"XL\"], ordered=True)})\n"
        ),
        cell=(
            "# the size was never asked for on some orders: label them \"unknown\", then list orders from smallest size up\n"
            "shirts[\"size\"] = shirts[\"size\"].fillna(\"unknown\")\n"
            "by_size = shirts.sort_values(\"size\")[\"order\"].tolist()\n"
        ),
        raises="TypeError",
        check=(
            "[int(o) for o in by_size if o != 2] == [3, 5, 1, 4] and int(by_size[0]) in (2, 3) and len(by_size) == 5"
            " and shirts.loc[shirts[\"order\"] == 2, \"size\"].tolist() == [\"unknown\"]"
        ),
        intent="Fill the missing sizes with an \"unknown\" label while keeping the ordered S < M < L < XL categories for sorting.",
        reference=(
            "shirts[\"size\"] = shirts[\"size\"].cat.add_categories(\"unknown\").fillna(\"unknown\")\n"
            "by_size = shirts.sort_values(\"size\")[\"order\"].tolist()\n"
        ),
    ),
    ExecCase(
        id="g-pandas-pivot-duplicate-receipts",
        setup=(
            "import pandas as pd\n"
            "receipts = pd.DataFrame({  # one row per receipt\n"
            "    \"date\": [\"2024-06-01\"] * 4 + [\"2024-06-02\"] * 3,\n"
            "    \"store\": [\"north\", \"north\", \"south\", \"south\", \"north\", \"south\", \"south\"],\n"
            "    \"amount\": [20.0, 35.0, 12.0, 8.0, 50.0, 30.0, 5.0],\n"
            "})\n"
        ),
        cell=(
            "# total takings per day per store\n"
            "table = receipts.pivot(index=\"date\", columns=\"store\", values=\"amount\")\n"
            "best_day_north = table[\"north\"].idxmax()\n"
        ),
        raises="ValueError",
        check=(
            "float(table.loc[\"2024-06-01\", \"north\"]) == 55.0 and float(table.loc[\"2024-06-01\", \"south\"]) == 20.0"
            " and float(table.loc[\"2024-06-02\", \"north\"]) == 50.0 and float(table.loc[\"2024-06-02\", \"south\"]) == 35.0"
            " and best_day_north == \"2024-06-01\""
        ),
        intent="Sum the receipts into a date-by-store table of daily takings and find the north store's best day.",
        reference=(
            "table = receipts.pivot_table(index=\"date\", columns=\"store\", values=\"amount\", aggfunc=\"sum\")\n"
            "best_day_north = table[\"north\"].idxmax()\n"
        ),
    ),
    ExecCase(
        id="g-pandas-astype-float-thousands-separator",
        setup=(
            "import pandas as pd\n"
            "invoices = pd.DataFrame({\"client\": [\"A\", \"B\", \"C\", \"D\"],\n"
            "                         \"amount\": [\"950.00\", \"1,234.50\", \"2,000.00\", \"87.25\"]})\n"
        ),
        cell=(
            "invoices[\"amount\"] = invoices[\"amount\"].astype(float)\n"
            "total = invoices[\"amount\"].sum()\n"
        ),
        raises="ValueError",
        check="abs(total - 4271.75) < 1e-9 and [float(v) for v in invoices[\"amount\"]] == [950.0, 1234.5, 2000.0, 87.25]",
        intent="Convert the invoice amounts, written with thousands separators, to numbers and total them.",
        reference=(
            "invoices[\"amount\"] = invoices[\"amount\"].str.replace(\",\", \"\").astype(float)\n"
            "total = invoices[\"amount\"].sum()\n"
        ),
    ),
    ExecCase(
        id="g-pandas-to-datetime-day-first",
        setup=(
            "import pandas as pd\n"
            "visits = pd.DataFrame({\"patient\": [\"p1\", \"p2\", \"p3\", \"p4\"],\n"
            "                       \"visit\": [\"03/02/2024\", \"15/02/2024\", \"28/02/2024\", \"04/03/2024\"]})\n"
            "# recorded by the UK clinic: day/month/year\n"
        ),
        cell=(
            "visits[\"visit\"] = pd.to_datetime(visits[\"visit\"])\n"
            "feb_visits = int((visits[\"visit\"].dt.month == 2).sum())\n"
        ),
        raises="ValueError",
        check=(
            "feb_visits == 3 and list(visits[\"visit\"]) == [pd.Timestamp(\"2024-02-03\"), pd.Timestamp(\"2024-02-15\"),"
            " pd.Timestamp(\"2024-02-28\"), pd.Timestamp(\"2024-03-04\")]"
        ),
        intent="Parse the day/month/year visit dates and count the visits in February.",
        reference=(
            "visits[\"visit\"] = pd.to_datetime(visits[\"visit\"], format=\"%d/%m/%Y\")\n"
            "feb_visits = int((visits[\"visit\"].dt.month == 2).sum())\n"
        ),
    ),
    ExecCase(
        id="g-pandas-dataframe-append-removed",
        setup=(
            "import pandas as pd\n"
            "log = pd.DataFrame({\"experiment\": [\"e1\", \"e2\", \"e3\"], \"accuracy\": [0.81, 0.84, 0.79]})\n"
        ),
        cell=(
            "new_run = {\"experiment\": \"e4\", \"accuracy\": 0.88}\n"
            "log = log.append(new_run, ignore_index=True)\n"
            "best = log.loc[log[\"accuracy\"].idxmax(), \"experiment\"]\n"
        ),
        raises="AttributeError",
        check=(
            "len(log) == 4 and log.index.tolist() == [0, 1, 2, 3] and log[\"experiment\"].tolist() == [\"e1\", \"e2\", \"e3\", \"e4\"]"
            " and abs(float(log[\"accuracy\"].iloc[3]) - 0.88) < 1e-12 and best == \"e4\""
        ),
        intent="Add the new run as a fourth row of the experiment log and pick the experiment with the best accuracy.",
        reference=(
            "new_run = {\"experiment\": \"e4\", \"accuracy\": 0.88}\n"
            "log = pd.concat([log, pd.DataFrame([new_run])], ignore_index=True)\n"
            "best = log.loc[log[\"accuracy\"].idxmax(), \"experiment\"]\n"
        ),
    ),
    ExecCase(
        id="g-pandas-groupby-mean-with-text-column",
        setup=(
            "import pandas as pd\n"
            "orders = pd.DataFrame({\"region\": [\"east\", \"west\", \"east\", \"north\", \"west\", \"north\"],\n"
            "                       \"rep\": [\"Ana\", \"Ben\", \"Cal\", \"Dee\", \"Eve\", \"Fay\"],\n"
            "                       \"amount\": [120.0, 90.0, 60.0, 200.0, 150.0, 60.0],\n"
            "                       \"items\": [3, 2, 1, 5, 4, 1]})\n"
        ),
        cell=(
            "# average order amount per region, and the region with the highest average\n"
            "region_avg = orders.groupby(\"region\").mean()\n"
            "top_region = region_avg[\"amount\"].idxmax()\n"
        ),
        raises="TypeError",
        check="top_region == \"north\" and abs(float(region_avg[\"amount\"][\"east\"]) - 90.0) < 1e-9 and abs(float(region_avg[\"amount\"][\"west\"]) - 120.0) < 1e-9",
        intent="Average the numeric order columns per region (the rep names cannot be averaged) and find the region with the highest mean amount.",
        reference=(
            "region_avg = orders.groupby(\"region\").mean(numeric_only=True)\n"
            "top_region = region_avg[\"amount\"].idxmax()\n"
        ),
    ),
    # -- numpy -------------------------------------------------------------------------------------------
    ExecCase(
        id="g-numpy-center-rows-broadcast",
        setup=(
            "import numpy as np\n"
            "# rows = 3 patients, columns = 4 repeated measurements\n"
            "X = np.array([[1.0, 2.0, 3.0, 6.0], [10.0, 12.0, 14.0, 16.0], [5.0, 5.0, 5.0, 9.0]])\n"
        ),
        cell=(
            "# center each patient's measurements on that patient's own mean\n"
            "centered = X - X.mean(axis=1)\n"
        ),
        raises="ValueError",
        check="np.shape(centered) == (3, 4) and np.allclose(centered, [[-2, -1, 0, 3], [-3, -1, 1, 3], [-1, -1, -1, 3]])",
        intent="Subtract each row's own mean from that row.",
        reference="centered = X - X.mean(axis=1, keepdims=True)\n",
    ),
    ExecCase(
        id="g-numpy-linalg-solve-overdetermined",
        setup=(
            "import numpy as np\n"
            "hours = np.array([1.0, 2.0, 3.0, 4.0, 5.0])\n"
            "score = np.array([52.0, 55.0, 61.0, 64.0, 68.0])\n"
        ),
        cell=(
            "# fit score = slope * hours + intercept by least squares\n"
            "A = np.column_stack([hours, np.ones_like(hours)])\n"
            "slope, intercept = np.linalg.solve(A, score)\n"
        ),
        raises="LinAlgError",
        check="abs(slope - 4.1) < 1e-9 and abs(intercept - 47.7) < 1e-9",
        intent="Fit the least-squares line through the five (hours, score) points.",
        reference=(
            "A = np.column_stack([hours, np.ones_like(hours)])\n"
            "slope, intercept = np.linalg.lstsq(A, score, rcond=None)[0]\n"
        ),
    ),
    ExecCase(
        id="g-numpy-inplace-add-float-into-int-zeros",
        setup=(
            "import numpy as np\n"
            "counts = np.array([[3, 0, 2], [1, 4, 0], [0, 2, 5]])  # rows = shops, columns = products\n"
            "prices = np.array([2.5, 1.25, 4.0])  # unit price of each product\n"
        ),
        cell=(
            "# revenue per product across all shops\n"
            "revenue = np.zeros_like(counts[0])\n"
            "for shop_counts in counts:\n"
            "    revenue += shop_counts * prices\n"
        ),
        raises="UFuncTypeError",
        check="np.shape(revenue) == (3,) and np.allclose(revenue, [10.0, 7.5, 28.0])",
        intent="Sum, over the shops, units sold times unit price for each product, keeping the cents.",
        reference=(
            "revenue = np.zeros(counts.shape[1])\n"
            "for shop_counts in counts:\n"
            "    revenue += shop_counts * prices\n"
        ),
    ),
    ExecCase(
        id="g-numpy-diff-mask-length-mismatch",
        setup=(
            "import numpy as np\n"
            "prices = np.array([100.0, 101.5, 104.0, 103.0, 107.5, 108.0, 111.0])  # daily closing prices\n"
        ),
        cell=(
            "# closing prices on the days that rose by more than 2 over the previous day\n"
            "jumps = np.diff(prices) > 2\n"
            "jump_prices = prices[jumps]\n"
        ),
        raises="IndexError",
        check="[float(p) for p in jump_prices] == [104.0, 107.5, 111.0]",
        intent="Select the closing prices of the days whose rise from the previous day exceeded 2.",
        reference=(
            "jumps = np.diff(prices) > 2\n"
            "jump_prices = prices[1:][jumps]\n"
        ),
    ),
    ExecCase(
        id="g-numpy-axis1-on-concatenated-1d",
        setup=(
            "import numpy as np\n"
            "# quiz scores of the same 4 students, in the same order, on three quizzes\n"
            "quiz1 = np.array([7, 9, 5, 8])\n"
            "quiz2 = np.array([6, 10, 7, 8])\n"
            "quiz3 = np.array([8, 8, 6, 5])\n"
        ),
        cell=(
            "scores = np.concatenate([quiz1, quiz2, quiz3])\n"
            "student_avg = scores.mean(axis=1)\n"
        ),
        raises="AxisError",
        check="np.shape(student_avg) == (4,) and np.allclose(student_avg, [7.0, 9.0, 6.0, 7.0])",
        intent="Average each student's three quiz scores.",
        reference=(
            "scores = np.stack([quiz1, quiz2, quiz3], axis=1)\n"
            "student_avg = scores.mean(axis=1)\n"
        ),
    ),
    ExecCase(
        id="g-numpy-generator-has-no-randint",
        setup="import numpy as np\n",
        cell=(
            "# simulate 10 rolls of a fair six-sided die with a seeded generator\n"
            "rng = np.random.default_rng(2024)\n"
            "rolls = rng.randint(1, 7, size=10)\n"
            "sixes = int((rolls == 6).sum())\n"
        ),
        raises="AttributeError",
        check=(
            "[int(r) for r in rolls] == [int(r) for r in np.random.default_rng(2024).integers(1, 7, size=10)]"
            " and sixes == [int(r) for r in rolls].count(6)"
        ),
        intent="Draw ten die rolls (1 to 6) from the seeded Generator and count the sixes.",
        reference=(
            "rng = np.random.default_rng(2024)\n"
            "rolls = rng.integers(1, 7, size=10)\n"
            "sixes = int((rolls == 6).sum())\n"
        ),
    ),
    ExecCase(
        id="g-numpy-hstack-1d-bias-column",
        setup=(
            "import numpy as np\n"
            "X = np.array([[2.0, 3.0], [1.0, 5.0], [4.0, 0.5], [3.0, 2.0]])  # 4 samples, 2 features\n"
            "w = np.array([0.5, -1.0, 2.0])  # weights for the 2 features, then the bias\n"
        ),
        cell=(
            "# append a column of ones so the bias is the last weight\n"
            "X_b = np.hstack([X, np.ones(len(X))])\n"
            "preds = X_b @ w\n"
        ),
        raises="ValueError",
        check="np.shape(X_b) == (4, 3) and np.shape(preds) == (4,) and np.allclose(preds, [0.0, -2.5, 3.5, 1.5])",
        intent="Add a trailing column of ones to X and compute the linear predictions with the bias as the last weight.",
        reference=(
            "X_b = np.hstack([X, np.ones((len(X), 1))])\n"
            "preds = X_b @ w\n"
        ),
    ),
    ExecCase(
        id="g-numpy-nan-into-int-array",
        setup=(
            "import numpy as np\n"
            "ages = np.array([34, 27, -1, 45, -1, 52])  # -1 = age not given\n"
        ),
        cell=(
            "# treat -1 as missing and average the real ages\n"
            "ages[ages == -1] = np.nan\n"
            "mean_age = np.nanmean(ages)\n"
        ),
        raises="ValueError",
        check="abs(mean_age - 39.5) < 1e-9",
        intent="Mark the -1 placeholders as missing and average only the given ages.",
        reference=(
            "ages = ages.astype(float)\n"
            "ages[ages == -1] = np.nan\n"
            "mean_age = np.nanmean(ages)\n"
        ),
    ),
    # -- plain Python / standard library -------------------------------------------------------------
    ExecCase(
        id="g-py-dict-changed-size-during-iteration",
        setup="grades = {\"ana\": 78, \"ben\": 45, \"cai\": 91, \"dan\": 38, \"eve\": 50, \"fay\": 62}\n",
        cell=(
            "# drop the students who failed (below 50), then compute the class average\n"
            "for name, grade in grades.items():\n"
            "    if grade < 50:\n"
            "        del grades[name]\n"
            "class_avg = sum(grades.values()) / len(grades)\n"
        ),
        raises="RuntimeError",
        check="grades == {\"ana\": 78, \"cai\": 91, \"eve\": 50, \"fay\": 62} and class_avg == 70.25",
        intent="Remove the grades below 50 from the dict and average the remaining ones.",
        reference=(
            "for name, grade in list(grades.items()):\n"
            "    if grade < 50:\n"
            "        del grades[name]\n"
            "class_avg = sum(grades.values()) / len(grades)\n"
        ),
    ),
    ExecCase(
        id="g-py-sorted-with-none-scores",
        setup=(
            "import statistics\n"
            "exam_scores = [72, None, 88, 65, None, 91, 79]  # None = student was absent\n"
        ),
        cell=(
            "# median and lowest score among the students who sat the exam\n"
            "ranked = sorted(exam_scores)\n"
            "median_score = statistics.median(ranked)\n"
            "lowest = ranked[0]\n"
        ),
        raises="TypeError",
        check="median_score == 79 and lowest == 65",
        intent="Rank the scores of the students who were present, skipping the absent ones, and take their median and minimum.",
        reference=(
            "ranked = sorted(s for s in exam_scores if s is not None)\n"
            "median_score = statistics.median(ranked)\n"
            "lowest = ranked[0]\n"
        ),
    ),
    ExecCase(
        id="g-py-fstring-float-spec-on-text-price",
        setup=(
            "cart = [{\"item\": \"notebook\", \"price\": \"3.5\", \"qty\": 4},\n"
            "        {\"item\": \"pen\", \"price\": \"1.25\", \"qty\": 10},\n"
            "        {\"item\": \"bag\", \"price\": \"24\", \"qty\": 1}]  # prices came from a web form, as text\n"
        ),
        cell=(
            "lines = []\n"
            "for row in cart:\n"
            "    lines.append(f\"{row['item']:<10}{row['qty'] * row['price']:>8.2f}\")\n"
            "receipt = \"\\n\".join(lines)\n"
        ),
        raises="ValueError",
        check="[ln.split() for ln in receipt.splitlines()] == [[\"notebook\", \"14.00\"], [\"pen\", \"12.50\"], [\"bag\", \"24.00\"]]",
        intent="Print one receipt line per item with the line total (quantity times numeric price) to two decimals.",
        reference=(
            "lines = []\n"
            "for row in cart:\n"
            "    lines.append(f\"{row['item']:<10}{row['qty'] * float(row['price']):>8.2f}\")\n"
            "receipt = \"\\n\".join(lines)\n"
        ),
    ),
    ExecCase(
        id="g-py-closure-counter-needs-nonlocal",
        setup="",
        cell=(
            "def make_counter():\n"
            "    count = 0\n"
            "    def increment():\n"
            "        count += 1\n"
            "        return count\n"
            "    return increment\n"
            "tick = make_counter()\n"
            "ticks = [tick(), tick(), tick()]\n"
        ),
        raises="UnboundLocalError",
        check="ticks == [1, 2, 3] and make_counter()() == 1 and tick() == 4",
        intent="Build a counter closure whose calls return 1, 2, 3, each counter keeping its own count.",
        reference=(
            "def make_counter():\n"
            "    count = 0\n"
            "    def increment():\n"
            "        nonlocal count\n"
            "        count += 1\n"
            "        return count\n"
            "    return increment\n"
            "tick = make_counter()\n"
            "ticks = [tick(), tick(), tick()]\n"
        ),
    ),
    ExecCase(
        id="g-py-len-of-filter-object",
        setup="readings = [12, 7, 18, 3, 22, 9, 14]\n",
        cell=(
            "# average of the even readings\n"
            "evens = filter(lambda n: n % 2 == 0, readings)\n"
            "total = sum(evens)\n"
            "avg_even = total / len(evens)\n"
        ),
        raises="TypeError",
        check="avg_even == 16.5",
        intent="Average the even readings.",
        reference=(
            "evens = list(filter(lambda n: n % 2 == 0, readings))\n"
            "total = sum(evens)\n"
            "avg_even = total / len(evens)\n"
        ),
    ),
    ExecCase(
        id="g-py-datetime-naive-minus-aware",
        setup=(
            "from datetime import datetime, timedelta, timezone\n"
            "deadline = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)\n"
            "# from the upload log: the student's laptop clock, Berlin summer time (UTC+2)\n"
            "submitted = datetime(2024, 5, 1, 13, 30)\n"
        ),
        cell=(
            "minutes_late = (submitted - deadline).total_seconds() / 60\n"
            "on_time = minutes_late <= 0\n"
        ),
        raises="TypeError",
        check="minutes_late == -30 and on_time is True",
        intent="Compare the Berlin-local submission time with the UTC deadline: it came 30 minutes early.",
        reference=(
            "submitted = submitted.replace(tzinfo=timezone(timedelta(hours=2)))\n"
            "minutes_late = (submitted - deadline).total_seconds() / 60\n"
            "on_time = minutes_late <= 0\n"
        ),
    ),
    ExecCase(
        id="g-py-decimal-times-float-tip",
        setup=(
            "from decimal import Decimal, ROUND_HALF_UP\n"
            "bill = Decimal(\"12.30\")\n"
        ),
        cell=(
            "# add a 15% tip and round to the cent, halves rounding up\n"
            "total = (bill * 1.15).quantize(Decimal(\"0.01\"), rounding=ROUND_HALF_UP)\n"
        ),
        raises="TypeError",
        check="isinstance(total, Decimal) and total == Decimal(\"14.15\")",
        intent="Compute the bill plus a 15% tip exactly in Decimal (14.145) and round it half up to 14.15.",
        reference="total = (bill * Decimal(\"1.15\")).quantize(Decimal(\"0.01\"), rounding=ROUND_HALF_UP)\n",
    ),
    ExecCase(
        id="g-py-namedtuple-field-assignment",
        setup=(
            "from collections import namedtuple\n"
            "Item = namedtuple(\"Item\", [\"name\", \"price\", \"qty\"])\n"
            "stock = [Item(\"lamp\", 40.0, 12), Item(\"rug\", 120.0, 60), Item(\"vase\", 25.0, 75), Item(\"desk\", 300.0, 5)]\n"
        ),
        cell=(
            "# 10% clearance discount on items with more than 50 in stock\n"
            "for item in stock:\n"
            "    if item.qty > 50:\n"
            "        item.price = round(item.price * 0.9, 2)\n"
            "stock_value = sum(i.price * i.qty for i in stock)\n"
        ),
        raises="AttributeError",
        check=(
            "[i.name for i in stock] == [\"lamp\", \"rug\", \"vase\", \"desk\"] and [i.price for i in stock] == [40.0, 108.0, 22.5, 300.0]"
            " and abs(stock_value - 10147.5) < 1e-9"
        ),
        intent="Discount by 10% the price of every item with more than 50 units in stock and value the whole stock.",
        reference=(
            "stock = [i._replace(price=round(i.price * 0.9, 2)) if i.qty > 50 else i for i in stock]\n"
            "stock_value = sum(i.price * i.qty for i in stock)\n"
        ),
    ),
    ExecCase(
        id="g-py-int-in-comprehension-blank-answers",
        setup="raw_ages = [\"23\", \"31\", \"\", \"n/a\", \"45\", \"19\", \"\"]  # survey answers; blank or \"n/a\" = not answered\n",
        cell=(
            "ages = [int(a) for a in raw_ages]\n"
            "answered = len(ages)\n"
            "mean_age = sum(ages) / answered\n"
        ),
        raises="ValueError",
        check="ages == [23, 31, 45, 19] and answered == 4 and mean_age == 29.5",
        intent="Parse only the answered ages, skipping blanks and \"n/a\", and average them.",
        reference=(
            "ages = [int(a) for a in raw_ages if a not in (\"\", \"n/a\")]\n"
            "answered = len(ages)\n"
            "mean_age = sum(ages) / answered\n"
        ),
    ),
    ExecCase(
        id="g-py-isinstance-parameterized-generic",
        setup="rows = [[1, 2, 3], [4, \"5\", 6], [7, 8], \"9 10\", [11, 12.0]]  # each row should be a list of ints\n",
        cell=(
            "# keep only the rows that really are lists of ints\n"
            "clean = [r for r in rows if isinstance(r, list[int])]\n"
            "n_dropped = len(rows) - len(clean)\n"
        ),
        raises="TypeError",
        check="clean == [[1, 2, 3], [7, 8]] and [type(v) for r in clean for v in r] == [int] * 5 and n_dropped == 3",
        intent="Keep the rows that are lists whose every element is an int, and count the rows dropped.",
        reference=(
            "clean = [r for r in rows if isinstance(r, list) and all(isinstance(v, int) for v in r)]\n"
            "n_dropped = len(rows) - len(clean)\n"
        ),
    ),
)
