"""Set j: thirty execution-graded errors from notebook cells (pandas, numpy, plain Python)."""

from __future__ import annotations

from bench.exec_case import ExecCase

CASES: tuple[ExecCase, ...] = (
    # ---------------------------------------------------------------- pandas
    ExecCase(
        id="j-pandas-merge-key-int-vs-str",
        setup='''import pandas as pd
orders = pd.DataFrame({"customer_id": [101, 102, 101, 103], "amount": [25.0, 40.0, 15.5, 60.0]})
customers = pd.DataFrame({"customer_id": ["101", "102", "103"], "segment": ["retail", "wholesale", "retail"]})
''',
        cell='''# attach each customer's segment to their orders, then total per segment
enriched = orders.merge(customers, on="customer_id", how="left")
by_segment = enriched.groupby("segment")["amount"].sum()
print(by_segment)
''',
        raises="ValueError",
        check='len(enriched) == 4 and enriched["segment"].notna().all() and abs(by_segment["retail"] - 100.5) < 1e-9 '
              'and abs(by_segment["wholesale"] - 40.0) < 1e-9',
        intent="Merge the orders with the customers table on customer_id and sum the order amounts per segment.",
        reference='''# attach each customer's segment to their orders, then total per segment
customers_int = customers.assign(customer_id=customers["customer_id"].astype(int))
enriched = orders.merge(customers_int, on="customer_id", how="left")
by_segment = enriched.groupby("segment")["amount"].sum()
print(by_segment)
''',
    ),
    ExecCase(
        id="j-pandas-concat-axis1-duplicate-index",
        setup='''import pandas as pd
north = pd.DataFrame({"store": ["N1", "N2"], "revenue": [120, 80]})
south = pd.DataFrame({"store": ["S1", "S2"], "revenue": [95, 130]})
stores = pd.concat([north, south])
targets = pd.Series([100, 100, 100, 120], name="target")
''',
        cell='''# put each store's target next to its revenue (targets are listed in the same order as the stores)
report = pd.concat([stores, targets], axis=1)
report["hit_target"] = report["revenue"] >= report["target"]
print(report)
''',
        raises="InvalidIndexError",
        check='len(report) == 4 and report["store"].tolist() == ["N1", "N2", "S1", "S2"] '
              'and report["target"].tolist() == [100, 100, 100, 120] '
              'and report["hit_target"].tolist() == [True, False, False, True]',
        intent="Place the targets column beside the stores positionally and flag which stores reached their target.",
        reference='''# put each store's target next to its revenue (targets are listed in the same order as the stores)
report = pd.concat([stores.reset_index(drop=True), targets], axis=1)
report["hit_target"] = report["revenue"] >= report["target"]
print(report)
''',
    ),
    ExecCase(
        id="j-pandas-pivot-duplicate-entries",
        setup='''import pandas as pd
sales = pd.DataFrame({
    "store": ["A", "A", "A", "B", "B", "B"],
    "month": ["Jan", "Jan", "Feb", "Jan", "Feb", "Feb"],
    "revenue": [100, 50, 80, 70, 30, 20],
})
''',
        cell='''# total revenue per store and month, stores as rows
monthly = sales.pivot(index="store", columns="month", values="revenue")
print(monthly)
best_store_jan = monthly["Jan"].idxmax()
''',
        raises="ValueError",
        check='monthly.loc["A", "Jan"] == 150 and monthly.loc["A", "Feb"] == 80 and monthly.loc["B", "Jan"] == 70 '
              'and monthly.loc["B", "Feb"] == 50 and best_store_jan == "A"',
        intent="Build a store-by-month table of summed revenue and find the store with the highest January total.",
        reference='''# total revenue per store and month, stores as rows
monthly = sales.pivot_table(index="store", columns="month", values="revenue", aggfunc="sum")
print(monthly)
best_store_jan = monthly["Jan"].idxmax()
''',
    ),
    ExecCase(
        id="j-pandas-groupby-mean-text-column",
        setup='''import pandas as pd
scores = pd.DataFrame({
    "student": ["ana", "ben", "ana", "ben", "cy"],
    "subject": ["math", "math", "bio", "bio", "math"],
    "score": [90, 70, 80, 60, 85],
})
''',
        cell='''avg_by_student = scores.groupby("student").mean()
top = avg_by_student["score"].idxmax()
print(f"best average: {top} ({avg_by_student.loc[top, 'score']:.1f})")
''',
        raises="TypeError",
        check='avg_by_student["score"].to_dict() == {"ana": 85.0, "ben": 65.0, "cy": 85.0} and top == "ana"',
        intent="Average each student's score across subjects and report the student with the best average.",
        reference='''avg_by_student = scores.groupby("student")[["score"]].mean()
top = avg_by_student["score"].idxmax()
print(f"best average: {top} ({avg_by_student.loc[top, 'score']:.1f})")
''',
    ),
    ExecCase(
        id="j-pandas-to-datetime-day-first",
        setup='''import pandas as pd
bookings = pd.DataFrame({
    "guest": ["Kim", "Lea", "Max", "Noor"],
    "check_in": ["03/01/2024", "15/01/2024", "02/02/2024", "28/02/2024"],  # DD/MM/YYYY, from the EU booking site
})
''',
        cell='''bookings["check_in"] = pd.to_datetime(bookings["check_in"])
per_month = bookings.groupby(bookings["check_in"].dt.month)["guest"].count()
print(per_month)
''',
        raises="ValueError",
        check='bookings["check_in"].dt.day.tolist() == [3, 15, 2, 28] and bookings["check_in"].dt.month.tolist() == [1, 1, 2, 2] '
              'and per_month.to_dict() == {1: 2, 2: 2}',
        intent="Parse the day-first check-in dates and count bookings per month.",
        reference='''bookings["check_in"] = pd.to_datetime(bookings["check_in"], format="%d/%m/%Y")
per_month = bookings.groupby(bookings["check_in"].dt.month)["guest"].count()
print(per_month)
''',
    ),
    ExecCase(
        id="j-pandas-dt-accessor-on-strings",
        setup='''import pandas as pd
tickets = pd.DataFrame({
    "ticket": [1, 2, 3, 4, 5],
    "opened": ["2024-03-04", "2024-03-09", "2024-03-10", "2024-03-11", "2024-03-16"],
})
''',
        cell='''# flag tickets opened on a weekend
tickets["weekend"] = tickets["opened"].dt.dayofweek >= 5
print(tickets["weekend"].sum(), "weekend tickets")
''',
        raises="AttributeError",
        check='tickets["weekend"].tolist() == [False, True, True, False, True]',
        intent="Mark each ticket whose opening date falls on a Saturday or Sunday.",
        reference='''# flag tickets opened on a weekend
tickets["weekend"] = pd.to_datetime(tickets["opened"]).dt.dayofweek >= 5
print(tickets["weekend"].sum(), "weekend tickets")
''',
    ),
    ExecCase(
        id="j-pandas-astype-int-keep-missing",
        setup='''import pandas as pd
import numpy as np
inventory = pd.DataFrame({"sku": ["A1", "B2", "C3", "D4"], "units": [12.0, np.nan, 7.0, np.nan]})
''',
        cell='''# units are whole numbers; unknown counts must stay missing (don't invent zeros)
inventory["units"] = inventory["units"].astype(int)
print(inventory.dtypes)
known = inventory["units"].notna().sum()
''',
        raises="IntCastingNaNError",
        check='pd.api.types.is_integer_dtype(inventory["units"]) and inventory["units"].isna().tolist() == [False, True, False, True] '
              'and inventory["units"].sum() == 19 and known == 2',
        intent="Convert the units column to an integer dtype while keeping the unknown counts as missing values.",
        reference='''# units are whole numbers; unknown counts must stay missing (don't invent zeros)
inventory["units"] = inventory["units"].astype("Int64")
print(inventory.dtypes)
known = inventory["units"].notna().sum()
''',
    ),
    ExecCase(
        id="j-pandas-column-name-trailing-space",
        setup='''import pandas as pd
# columns exactly as they came out of the exported spreadsheet
products = pd.DataFrame({"Product": ["pen", "mug", "cap", "bag"], "Price ": [1.5, 8.0, 12.0, 25.0], "Units Sold": [120, 30, 14, 4]})
''',
        cell='''products["Revenue"] = products["Price"] * products["Units Sold"]
ranked = products.sort_values("Revenue", ascending=False)
print(ranked.head(2))
''',
        raises="KeyError",
        check='products["Revenue"].tolist() == [180.0, 240.0, 168.0, 100.0] and ranked["Product"].tolist() == ["mug", "pen", "cap", "bag"]',
        intent="Compute revenue as price times units sold for every product and rank the products by it.",
        reference='''products.columns = products.columns.str.strip()
products["Revenue"] = products["Price"] * products["Units Sold"]
ranked = products.sort_values("Revenue", ascending=False)
print(ranked.head(2))
''',
    ),
    ExecCase(
        id="j-pandas-filter-operator-precedence",
        setup='''import pandas as pd
patients = pd.DataFrame({
    "name": ["Ada", "Bo", "Cem", "Dee", "Eli"],
    "age": [70, 71, 60, 45, 80],
    "ward": ["A", "B", "B", "A", "B"],
})
''',
        cell='''# ward B patients older than 65
seniors_b = patients[patients["age"] > 65 & patients["ward"] == "B"]
print(len(seniors_b), "patients")
''',
        raises="TypeError",
        check='seniors_b["name"].tolist() == ["Bo", "Eli"]',
        intent="Select the patients who are both in ward B and older than 65.",
        reference='''# ward B patients older than 65
seniors_b = patients[(patients["age"] > 65) & (patients["ward"] == "B")]
print(len(seniors_b), "patients")
''',
    ),
    ExecCase(
        id="j-pandas-resample-needs-datetime-index",
        setup='''import pandas as pd
readings = pd.DataFrame({
    "timestamp": pd.date_range("2024-01-01", periods=10, freq="D"),
    "kwh": [5, 6, 5, 7, 8, 9, 4, 6, 6, 7],
})
''',
        cell='''# weekly energy use (calendar weeks ending Sunday)
weekly = readings.resample("W")["kwh"].sum()
print(weekly)
assert weekly.sum() == readings["kwh"].sum()
''',
        raises="TypeError",
        check='weekly.tolist() == [44, 19] and weekly.index[0] == pd.Timestamp("2024-01-07") and weekly.index[1] == pd.Timestamp("2024-01-14")',
        intent="Sum the daily kWh readings into calendar weeks ending on Sunday, keyed by the timestamp column.",
        reference='''# weekly energy use (calendar weeks ending Sunday)
weekly = readings.resample("W", on="timestamp")["kwh"].sum()
print(weekly)
assert weekly.sum() == readings["kwh"].sum()
''',
    ),
    ExecCase(
        id="j-pandas-timedelta-has-no-hours",
        setup='''import pandas as pd
shifts = pd.DataFrame({
    "nurse": ["Ines", "Jon", "Kai"],
    "start": pd.to_datetime(["2024-05-01 07:00", "2024-05-01 14:30", "2024-05-01 22:00"]),
    "end": pd.to_datetime(["2024-05-01 15:00", "2024-05-01 23:00", "2024-05-02 06:15"]),
})
''',
        cell='''# shift length in hours, fractional (e.g. 8.5)
shifts["hours"] = (shifts["end"] - shifts["start"]).dt.hours
print(shifts[["nurse", "hours"]])
overtime = shifts.loc[shifts["hours"] > 8, "nurse"].tolist()
''',
        raises="AttributeError",
        check='shifts["hours"].tolist() == [8.0, 8.5, 8.25] and overtime == ["Jon", "Kai"]',
        intent="Compute each shift's length as fractional hours and list the nurses whose shift exceeded 8 hours.",
        reference='''# shift length in hours, fractional (e.g. 8.5)
shifts["hours"] = (shifts["end"] - shifts["start"]).dt.total_seconds() / 3600
print(shifts[["nurse", "hours"]])
overtime = shifts.loc[shifts["hours"] > 8, "nurse"].tolist()
''',
    ),
    ExecCase(
        id="j-pandas-compare-tz-aware-with-naive",
        setup='''import pandas as pd
events = pd.DataFrame({
    "event": ["signup", "login", "purchase", "logout"],
    "ts": pd.to_datetime(["2024-02-29 23:30", "2024-03-01 00:15", "2024-03-01 09:00", "2024-03-02 18:00"]).tz_localize("UTC"),
})
''',
        cell='''cutoff = pd.Timestamp("2024-03-01 00:00")  # midnight UTC
march_events = events[events["ts"] >= cutoff]
print(march_events["event"].tolist())
''',
        raises="TypeError",
        check='march_events["event"].tolist() == ["login", "purchase", "logout"]',
        intent="Keep the events at or after midnight UTC on 1 March 2024.",
        reference='''cutoff = pd.Timestamp("2024-03-01 00:00", tz="UTC")  # midnight UTC
march_events = events[events["ts"] >= cutoff]
print(march_events["event"].tolist())
''',
    ),
    ExecCase(
        id="j-pandas-query-column-with-space",
        setup='''import pandas as pd
menu = pd.DataFrame({
    "dish": ["soup", "steak", "salad", "fries"],
    "unit price": [4.5, 22.0, 7.0, 3.5],
    "vegan": [True, False, True, False],
})
''',
        cell='''cheap_vegan = menu.query("unit price < 10 and vegan")
print(cheap_vegan["dish"].tolist())
''',
        raises="SyntaxError",
        check='cheap_vegan["dish"].tolist() == ["soup", "salad"]',
        intent="Select the vegan dishes whose unit price is below 10.",
        reference='''cheap_vegan = menu.query("`unit price` < 10 and vegan")
print(cheap_vegan["dish"].tolist())
''',
    ),
    ExecCase(
        id="j-pandas-merge-validate-duplicate-lookup",
        setup='''import pandas as pd
orders = pd.DataFrame({"order_id": [1, 2, 3, 4], "sku": ["X1", "Y2", "X1", "Z3"], "qty": [2, 1, 5, 3]})
# price list pasted together from two exports, so some identical rows appear twice
prices = pd.DataFrame({"sku": ["X1", "Y2", "Z3", "X1", "Y2"], "price": [3.0, 10.0, 7.5, 3.0, 10.0]})
''',
        cell='''lines = orders.merge(prices, on="sku", how="left", validate="many_to_one")
lines["total"] = lines["qty"] * lines["price"]
print(lines["total"].sum())
''',
        raises="MergeError",
        check='lines["order_id"].tolist() == [1, 2, 3, 4] and lines["total"].tolist() == [6.0, 10.0, 15.0, 22.5]',
        intent="Look up one price per order line and compute each line's total, one row per order.",
        reference='''lines = orders.merge(prices.drop_duplicates(), on="sku", how="left", validate="many_to_one")
lines["total"] = lines["qty"] * lines["price"]
print(lines["total"].sum())
''',
    ),
    ExecCase(
        id="j-pandas-cut-labels-vs-edges",
        setup='''import pandas as pd
members = pd.DataFrame({"name": ["Ari", "Bea", "Cal", "Dov", "Eve"], "age": [12, 17, 30, 64, 82]})
''',
        cell='''# child: under 18, adult: 18-64, senior: 65 and over
members["group"] = pd.cut(members["age"], bins=[0, 18, 65], labels=["child", "adult", "senior"], right=False)
print(members["group"].value_counts())
''',
        raises="ValueError",
        check='members["group"].astype(str).tolist() == ["child", "child", "adult", "adult", "senior"]',
        intent="Bin members into child (<18), adult (18-64) and senior (65+) age groups.",
        reference='''# child: under 18, adult: 18-64, senior: 65 and over
members["group"] = pd.cut(members["age"], bins=[0, 18, 65, float("inf")], labels=["child", "adult", "senior"], right=False)
print(members["group"].value_counts())
''',
    ),
    ExecCase(
        id="j-pandas-reindex-duplicate-dates",
        setup='''import pandas as pd
# step counts synced from the watch; some days synced twice, each sync holding part of that day's steps
steps = pd.Series([4000, 2500, 6100, 3000, 1200, 8000],
                  index=pd.to_datetime(["2024-04-01", "2024-04-01", "2024-04-02", "2024-04-04", "2024-04-04", "2024-04-05"]))
''',
        cell='''# daily step totals for every day of the week, 0 on days without data
all_days = pd.date_range("2024-04-01", "2024-04-07", freq="D")
daily = steps.reindex(all_days, fill_value=0)
print(daily)
''',
        raises="ValueError",
        check='daily.tolist() == [6500, 6100, 0, 4200, 8000, 0, 0] and list(daily.index) == list(pd.date_range("2024-04-01", "2024-04-07"))',
        intent="Sum the synced step counts per day and lay them over all seven days of the week with 0 for missing days.",
        reference='''# daily step totals for every day of the week, 0 on days without data
all_days = pd.date_range("2024-04-01", "2024-04-07", freq="D")
daily = steps.groupby(level=0).sum().reindex(all_days, fill_value=0)
print(daily)
''',
    ),
    ExecCase(
        id="j-pandas-assign-int-into-str-column",
        setup='''import pandas as pd
survey = pd.DataFrame({"respondent": [1, 2, 3, 4, 5], "answer": ["yes", "no", "yes", "maybe", "no"]})
''',
        cell='''# encode answers as numbers: yes=1, no=0, maybe becomes missing
survey.loc[survey["answer"] == "yes", "answer"] = 1
survey.loc[survey["answer"] == "no", "answer"] = 0
survey.loc[survey["answer"] == "maybe", "answer"] = None
approval = survey["answer"].mean()
print(f"approval: {approval:.0%}")
''',
        raises="TypeError",
        check='survey["answer"].isna().tolist() == [False, False, False, True, False] '
              'and survey["answer"].dropna().tolist() == [1, 0, 1, 0] and approval == 0.5',
        intent="Recode the yes/no/maybe answers as 1/0/missing and compute the share of yes among definite answers.",
        reference='''# encode answers as numbers: yes=1, no=0, maybe becomes missing
survey["answer"] = survey["answer"].map({"yes": 1, "no": 0})
approval = survey["answer"].mean()
print(f"approval: {approval:.0%}")
''',
    ),
    # ---------------------------------------------------------------- numpy
    ExecCase(
        id="j-numpy-row-center-broadcast",
        setup='''import numpy as np
scores = np.array([[70., 80., 90.], [60., 65., 70.], [88., 92., 96.], [50., 50., 80.]])  # rows = students, cols = exams
''',
        cell='''# subtract each student's own average, so every row is centred on 0
centered = scores - scores.mean(axis=1)
print(centered.round(1))
assert np.allclose(centered.mean(axis=1), 0)
''',
        raises="ValueError",
        check='centered.shape == (4, 3) and np.allclose(centered, [[-10, 0, 10], [-5, 0, 5], [-4, 0, 4], [-10, -10, 20]])',
        intent="Centre each student's row of exam scores on that student's own mean.",
        reference='''# subtract each student's own average, so every row is centred on 0
centered = scores - scores.mean(axis=1, keepdims=True)
print(centered.round(1))
assert np.allclose(centered.mean(axis=1), 0)
''',
    ),
    ExecCase(
        id="j-numpy-nan-into-int-array",
        setup='''import numpy as np
temps = np.array([21, 23, -999, 22, -999, 25])  # -999 = sensor dropout
''',
        cell='''temps[temps == -999] = np.nan
mean_temp = np.nanmean(temps)
print(f"mean {mean_temp:.2f}")
''',
        raises="ValueError",
        check='abs(float(mean_temp) - 22.75) < 1e-9',
        intent="Treat the -999 dropouts as missing and average the remaining temperature readings.",
        reference='''temps = temps.astype(float)
temps[temps == -999] = np.nan
mean_temp = np.nanmean(temps)
print(f"mean {mean_temp:.2f}")
''',
    ),
    ExecCase(
        id="j-numpy-inplace-divide-int-array",
        setup='''import numpy as np
weights = np.array([3, 1, 4, 2])
holdings = np.array([100., 50., 80., 20.])
''',
        cell='''weights /= weights.sum()   # normalise so the weights sum to 1
print(weights, weights.sum())
weighted_value = (holdings * weights).sum()
''',
        raises="UFuncTypeError",
        check='np.allclose(weights, [0.3, 0.1, 0.4, 0.2]) and abs(weighted_value - 71.0) < 1e-9',
        intent="Normalise the integer weights to fractions summing to 1 and compute the weighted holdings value.",
        reference='''weights = weights / weights.sum()   # normalise so the weights sum to 1
print(weights, weights.sum())
weighted_value = (holdings * weights).sum()
''',
    ),
    ExecCase(
        id="j-numpy-zeros-shape-as-two-args",
        setup='''import numpy as np
ratings = [(0, 1, 5), (0, 2, 3), (1, 0, 4), (2, 3, 1), (1, 2, 2)]  # (user, item, stars)
n_users, n_items = 3, 4
''',
        cell='''matrix = np.zeros(n_users, n_items)
for user, item, stars in ratings:
    matrix[user, item] = stars
print(matrix)
''',
        raises="TypeError",
        check='matrix.shape == (3, 4) and matrix.tolist() == [[0, 5, 3, 0], [4, 0, 2, 0], [0, 0, 0, 1]]',
        intent="Build a users-by-items ratings matrix filled with the given star ratings.",
        reference='''matrix = np.zeros((n_users, n_items))
for user, item, stars in ratings:
    matrix[user, item] = stars
print(matrix)
''',
    ),
    ExecCase(
        id="j-numpy-float-index-median",
        setup='''import numpy as np
response_ms = np.array([120, 95, 310, 150, 101, 88, 240])
''',
        cell='''ordered = np.sort(response_ms)
middle = ordered[len(ordered) / 2]   # the median (odd number of samples)
print("median response:", middle, "ms")
''',
        raises="IndexError",
        check='middle == 120',
        intent="Take the middle element of the sorted response times as the median.",
        reference='''ordered = np.sort(response_ms)
middle = ordered[len(ordered) // 2]   # the median (odd number of samples)
print("median response:", middle, "ms")
''',
    ),
    ExecCase(
        id="j-numpy-axis-error-flat-days",
        setup='''import numpy as np
daily_sales = np.array([120, 80, 95, 130, 150, 200, 170, 90, 85, 110, 140, 160, 210, 180])  # two weeks, Mon..Sun
''',
        cell='''weekly_totals = daily_sales.sum(axis=1)   # one total per week
print(weekly_totals)
best_week = int(weekly_totals.argmax()) + 1
''',
        raises="AxisError",
        check='list(weekly_totals) == [945, 975] and best_week == 2',
        intent="Sum the fourteen daily sales into two weekly totals and find which week sold more.",
        reference='''weekly_totals = daily_sales.reshape(2, 7).sum(axis=1)   # one total per week
print(weekly_totals)
best_week = int(weekly_totals.argmax()) + 1
''',
    ),
    # ---------------------------------------------------------------- plain Python
    ExecCase(
        id="j-py-json-dumps-datetime",
        setup='''import json
from datetime import datetime
record = {"user": "mira", "action": "export", "created": datetime(2024, 3, 5, 14, 30)}
''',
        cell='''# serialise the audit record; timestamps go out as ISO-8601 strings
payload = json.dumps(record)
print(payload)
assert json.loads(payload)["user"] == "mira"
''',
        raises="TypeError",
        check='(lambda d: set(d) == {"user", "action", "created"} and d["user"] == "mira" and d["action"] == "export" '
              'and datetime.fromisoformat(d["created"]) == datetime(2024, 3, 5, 14, 30))(json.loads(payload))',
        intent="Serialise the record to JSON with the datetime written as an ISO-8601 string.",
        reference='''# serialise the audit record; timestamps go out as ISO-8601 strings
payload = json.dumps({**record, "created": record["created"].isoformat()})
print(payload)
assert json.loads(payload)["user"] == "mira"
''',
    ),
    ExecCase(
        id="j-py-dict-delete-while-iterating",
        setup='''stock = {"apples": 12, "pears": 0, "plums": 5, "figs": 0, "kiwis": 3}
''',
        cell='''# drop the sold-out items
for fruit, count in stock.items():
    if count == 0:
        del stock[fruit]
print(stock)
''',
        raises="RuntimeError",
        check='stock == {"apples": 12, "plums": 5, "kiwis": 3}',
        intent="Remove every item with a zero count from the stock dict.",
        reference='''# drop the sold-out items
for fruit, count in list(stock.items()):
    if count == 0:
        del stock[fruit]
print(stock)
''',
    ),
    ExecCase(
        id="j-py-strptime-unconverted-time",
        setup='''from datetime import datetime
log_lines = ["2024-03-05 14:30:12 INFO started", "2024-03-05 14:31:40 WARN slow disk", "2024-03-05 15:02:03 INFO done"]
''',
        cell='''stamps = [datetime.strptime(line[:19], "%Y-%m-%d") for line in log_lines]
elapsed = stamps[-1] - stamps[0]
print("job took", elapsed)
''',
        raises="ValueError",
        check='stamps[1] == datetime(2024, 3, 5, 14, 31, 40) and elapsed.total_seconds() == 1911',
        intent="Parse the full timestamp at the start of each log line and compute how long the job ran.",
        reference='''stamps = [datetime.strptime(line[:19], "%Y-%m-%d %H:%M:%S") for line in log_lines]
elapsed = stamps[-1] - stamps[0]
print("job took", elapsed)
''',
    ),
    ExecCase(
        id="j-py-sort-with-none-scores",
        setup='''entries = [("ana", 82), ("ben", None), ("cy", 95), ("dia", 67), ("eli", None)]
''',
        cell='''# leaderboard: highest score first, unscored entries at the end
leaderboard = sorted(entries, key=lambda e: e[1], reverse=True)
for rank, (name, score) in enumerate(leaderboard, 1):
    print(rank, name, score)
''',
        raises="TypeError",
        check='len(leaderboard) == 5 and [n for n, _ in leaderboard[:3]] == ["cy", "ana", "dia"] '
              'and sorted(leaderboard[3:]) == [("ben", None), ("eli", None)]',
        intent="Rank the entries by score descending with the unscored (None) entries placed last.",
        reference='''# leaderboard: highest score first, unscored entries at the end
leaderboard = sorted(entries, key=lambda e: (e[1] is not None, e[1] or 0), reverse=True)
for rank, (name, score) in enumerate(leaderboard, 1):
    print(rank, name, score)
''',
    ),
    ExecCase(
        id="j-py-dataclass-mutable-default",
        setup='''from dataclasses import dataclass, field
''',
        cell='''@dataclass
class Experiment:
    name: str
    tags: list = []
    runs: int = 0

baseline, tuned = Experiment("baseline"), Experiment("tuned", runs=3)
baseline.tags.append("v1")
print(baseline, tuned)
''',
        raises="ValueError",
        check='baseline.name == "baseline" and baseline.tags == ["v1"] and tuned.tags == [] and tuned.runs == 3 and baseline.runs == 0',
        intent="Define an Experiment dataclass whose tags default to a fresh empty list per instance.",
        reference='''@dataclass
class Experiment:
    name: str
    tags: list = field(default_factory=list)
    runs: int = 0

baseline, tuned = Experiment("baseline"), Experiment("tuned", runs=3)
baseline.tags.append("v1")
print(baseline, tuned)
''',
    ),
    ExecCase(
        id="j-py-next-no-match-case",
        setup='''users = [
    {"name": "oli", "role": "Viewer"},
    {"name": "pam", "role": "Admin"},
    {"name": "quin", "role": "Editor"},
    {"name": "rae", "role": "Admin"},
]
''',
        cell='''# the first administrator in the list (roles are case-insensitive)
first_admin = next(u for u in users if u["role"] == "admin")
print("contact:", first_admin["name"])
''',
        raises="StopIteration",
        check='first_admin == {"name": "pam", "role": "Admin"}',
        intent="Find the first user whose role is admin, compared case-insensitively.",
        reference='''# the first administrator in the list (roles are case-insensitive)
first_admin = next(u for u in users if u["role"].lower() == "admin")
print("contact:", first_admin["name"])
''',
    ),
    ExecCase(
        id="j-py-zero-division-status-spelling",
        setup='''tasks = [
    {"id": 1, "status": "Done", "hours": 3.0},
    {"id": 2, "status": "open", "hours": 1.5},
    {"id": 3, "status": "DONE", "hours": 5.0},
    {"id": 4, "status": "Done ", "hours": 2.5},
    {"id": 5, "status": "in progress", "hours": 4.0},
]
''',
        cell='''# average hours of finished tasks (the tracker spells the status inconsistently)
finished = [t["hours"] for t in tasks if t["status"] == "done"]
avg_hours = sum(finished) / len(finished)
print(f"{avg_hours:.2f} h per finished task")
''',
        raises="ZeroDivisionError",
        check='sorted(finished) == [2.5, 3.0, 5.0] and abs(avg_hours - 3.5) < 1e-9',
        intent="Average the hours of all tasks whose status is done, ignoring case and stray whitespace.",
        reference='''# average hours of finished tasks (the tracker spells the status inconsistently)
finished = [t["hours"] for t in tasks if t["status"].strip().lower() == "done"]
avg_hours = sum(finished) / len(finished)
print(f"{avg_hours:.2f} h per finished task")
''',
    ),
)
