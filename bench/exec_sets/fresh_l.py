"""fresh_l: thirty execution-graded notebook errors (pandas, numpy, plain Python)."""

from __future__ import annotations

from bench.exec_case import ExecCase

CASES: tuple[ExecCase, ...] = (
    # ---------------------------------------------------------------- pandas
    ExecCase(
        id="l-merge-key-int-vs-str",
        setup='''import pandas as pd
orders = pd.DataFrame({"order_id": [101, 102, 103, 104, 105],
                       "customer_id": [1, 2, 2, 3, 1],
                       "amount": [25.0, 40.0, 15.5, 60.0, 9.5]})
# customer table came back from the CRM API with ids as text
customers = pd.DataFrame({"customer_id": ["1", "2", "3"],
                          "segment": ["retail", "wholesale", "retail"]})
''',
        cell='''enriched = orders.merge(customers, on="customer_id", how="left")
revenue_by_segment = enriched.groupby("segment")["amount"].sum()
print(revenue_by_segment)
assert len(enriched) == len(orders)
''',
        raises="ValueError",
        check='revenue_by_segment.to_dict() == {"retail": 94.5, "wholesale": 55.5} and len(enriched) == 5',
        intent="Attach each order's customer segment and total the order amounts per segment.",
        reference='''customers["customer_id"] = customers["customer_id"].astype(int)
enriched = orders.merge(customers, on="customer_id", how="left")
revenue_by_segment = enriched.groupby("segment")["amount"].sum()
print(revenue_by_segment)
assert len(enriched) == len(orders)
''',
    ),
    ExecCase(
        id="l-resample-date-column",
        setup='''import pandas as pd
visits = pd.DataFrame({
    "date": pd.to_datetime(["2024-03-04", "2024-03-05", "2024-03-07",
                            "2024-03-11", "2024-03-12", "2024-03-18"]),
    "visitors": [120, 95, 130, 80, 110, 150],
})
''',
        cell='''# weekly visitor totals (weeks ending Sunday)
weekly = visits.resample("W")["visitors"].sum()
print(weekly)
busiest_week = weekly.idxmax()
print("busiest week ends", busiest_week.date())
''',
        raises="TypeError",
        check=('weekly.tolist() == [345, 190, 150] and '
               'list(weekly.index) == list(pd.to_datetime(["2024-03-10", "2024-03-17", "2024-03-24"])) and '
               'busiest_week == pd.Timestamp("2024-03-10")'),
        intent="Sum visitors per calendar week (weeks ending Sunday) and find the busiest week.",
        reference='''# weekly visitor totals (weeks ending Sunday)
weekly = visits.resample("W", on="date")["visitors"].sum()
print(weekly)
busiest_week = weekly.idxmax()
print("busiest week ends", busiest_week.date())
''',
    ),
    ExecCase(
        id="l-pivot-duplicate-entries",
        setup='''import pandas as pd
sales = pd.DataFrame({
    "region": ["North", "North", "South", "South", "North", "South"],
    "month": ["Jan", "Feb", "Jan", "Jan", "Jan", "Feb"],
    "units": [10, 7, 4, 6, 5, 9],
})
''',
        cell='''# total units sold per region and month
table = sales.pivot(index="region", columns="month", values="units")
print(table)
north_jan_total = table.loc["North", "Jan"]
print("North, January:", north_jan_total)
''',
        raises="ValueError",
        check=('table.loc["North", "Jan"] == 15 and table.loc["South", "Jan"] == 10 and '
               'table.loc["North", "Feb"] == 7 and table.loc["South", "Feb"] == 9 and north_jan_total == 15'),
        intent="Build a region x month table of total units sold and read off North's January total.",
        reference='''# total units sold per region and month
table = sales.pivot_table(index="region", columns="month", values="units", aggfunc="sum")
print(table)
north_jan_total = table.loc["North", "Jan"]
print("North, January:", north_jan_total)
''',
    ),
    ExecCase(
        id="l-dt-accessor-on-text-dates",
        setup='''import pandas as pd
tickets = pd.DataFrame({
    "ticket_id": [1, 2, 3, 4, 5],
    "opened": ["2024-01-15", "2024-01-28", "2024-02-03", "2024-02-20", "2024-03-01"],
    "priority": ["high", "low", "low", "high", "medium"],
})
''',
        cell='''tickets_per_month = tickets.groupby(tickets["opened"].dt.month)["ticket_id"].count()
print(tickets_per_month)
assert tickets_per_month.sum() == len(tickets)
''',
        raises="AttributeError",
        check='{int(k): int(v) for k, v in tickets_per_month.items()} == {1: 2, 2: 2, 3: 1}',
        intent="Count tickets opened in each calendar month.",
        reference='''opened = pd.to_datetime(tickets["opened"])
tickets_per_month = tickets.groupby(opened.dt.month)["ticket_id"].count()
print(tickets_per_month)
assert tickets_per_month.sum() == len(tickets)
''',
    ),
    ExecCase(
        id="l-astype-int-with-missing",
        setup='''import pandas as pd
survey = pd.DataFrame({
    "respondent": ["a", "b", "c", "d", "e"],
    "household_size": [3.0, 1.0, float("nan"), 4.0, 2.0],
})
''',
        cell='''# household size is a count: store it as whole numbers, keeping unanswered ones missing
survey["household_size"] = survey["household_size"].astype(int)
print(survey.dtypes)
answered = survey["household_size"].notna().sum()
print(answered, "of", len(survey), "answered")
''',
        raises="IntCastingNaNError",
        check=('pd.api.types.is_integer_dtype(survey["household_size"]) and '
               'survey["household_size"].isna().tolist() == [False, False, True, False, False] and '
               'survey["household_size"].dropna().tolist() == [3, 1, 4, 2] and answered == 4'),
        intent="Convert household size to an integer column while keeping the unanswered value as missing.",
        reference='''# household size is a count: store it as whole numbers, keeping unanswered ones missing
survey["household_size"] = survey["household_size"].astype("Int64")
print(survey.dtypes)
answered = survey["household_size"].notna().sum()
print(answered, "of", len(survey), "answered")
''',
    ),
    ExecCase(
        id="l-apply-row-without-axis",
        setup='''import pandas as pd
cart = pd.DataFrame({
    "item": ["pen", "notebook", "bag"],
    "qty": [3, 2, 1],
    "unit_price": [1.5, 4.0, 25.0],
    "discount": [0.0, 0.1, 0.2],
})
''',
        cell='''cart["line_total"] = cart.apply(lambda row: row["qty"] * row["unit_price"] * (1 - row["discount"]))
print(cart)
order_total = cart["line_total"].sum()
print(f"order total: {order_total:.2f}")
''',
        raises="KeyError",
        check='cart["line_total"].round(6).tolist() == [4.5, 7.2, 20.0] and abs(order_total - 31.7) < 1e-9',
        intent="Compute each line's discounted total and the order total.",
        reference='''cart["line_total"] = cart.apply(lambda row: row["qty"] * row["unit_price"] * (1 - row["discount"]), axis=1)
print(cart)
order_total = cart["line_total"].sum()
print(f"order total: {order_total:.2f}")
''',
    ),
    ExecCase(
        id="l-cut-labels-vs-edges",
        setup='''import pandas as pd
patients = pd.DataFrame({"patient_id": range(1, 9),
                         "age": [4, 17, 18, 35, 64, 65, 80, 12]})
''',
        cell='''# child: up to 18, adult: up to 65, senior: older than 65
patients["age_group"] = pd.cut(patients["age"], bins=[0, 18, 65], labels=["child", "adult", "senior"])
group_counts = patients["age_group"].value_counts().sort_index()
print(group_counts)
''',
        raises="ValueError",
        check=('patients["age_group"].astype(str).tolist() == '
               '["child", "child", "child", "adult", "adult", "adult", "senior", "child"] and '
               'group_counts.to_dict() == {"child": 4, "adult": 3, "senior": 1}'),
        intent="Bucket patients into child (<=18), adult (<=65) and senior (>65) and count each group.",
        reference='''# child: up to 18, adult: up to 65, senior: older than 65
patients["age_group"] = pd.cut(patients["age"], bins=[0, 18, 65, float("inf")], labels=["child", "adult", "senior"])
group_counts = patients["age_group"].value_counts().sort_index()
print(group_counts)
''',
    ),
    ExecCase(
        id="l-query-column-with-spaces",
        setup='''import pandas as pd
inventory = pd.DataFrame({
    "sku": ["A1", "B2", "C3", "D4"],
    "unit price": [4.99, 12.50, 7.25, 19.00],
    "qty on hand": [10, 0, 3, 8],
})
''',
        cell='''pricey_in_stock = inventory.query("unit price > 5 and qty on hand > 0")
print(pricey_in_stock)
skus = pricey_in_stock["sku"].tolist()
print("reorder review:", skus)
''',
        raises="SyntaxError",
        check='skus == ["C3", "D4"] and len(pricey_in_stock) == 2',
        intent="Select the items priced above 5 that are still in stock.",
        reference='''pricey_in_stock = inventory.query("`unit price` > 5 and `qty on hand` > 0")
print(pricey_in_stock)
skus = pricey_in_stock["sku"].tolist()
print("reorder review:", skus)
''',
    ),
    ExecCase(
        id="l-groupby-mean-text-column",
        setup='''import pandas as pd
staff = pd.DataFrame({
    "dept": ["eng", "eng", "ops", "ops", "ops"],
    "name": ["Ana", "Ben", "Cy", "Di", "Ed"],
    "salary": [120, 100, 70, 80, 90],
    "years": [5, 3, 2, 8, 5],
})
''',
        cell='''# average salary and tenure per department
dept_means = staff.groupby("dept").mean()
print(dept_means)
top_paid_dept = dept_means["salary"].idxmax()
''',
        raises="TypeError",
        check=('dept_means.loc["eng", "salary"] == 110 and dept_means.loc["ops", "salary"] == 80 and '
               'dept_means.loc["eng", "years"] == 4 and dept_means.loc["ops", "years"] == 5 and top_paid_dept == "eng"'),
        intent="Average salary and years per department, and name the best-paid department.",
        reference='''# average salary and tenure per department
dept_means = staff.groupby("dept").mean(numeric_only=True)
print(dept_means)
top_paid_dept = dept_means["salary"].idxmax()
''',
    ),
    ExecCase(
        id="l-categorical-fill-new-label",
        setup='''import pandas as pd
orders = pd.DataFrame({"order_id": [1, 2, 3, 4, 5, 6],
                       "basket_eur": [12.0, 48.0, None, 95.0, 30.0, None]})
orders["basket_size"] = pd.cut(orders["basket_eur"], bins=[0, 25, 60, 200],
                               labels=["small", "medium", "large"])
''',
        cell='''# orders without a basket value get their own "unknown" bucket
orders["basket_size"] = orders["basket_size"].fillna("unknown")
size_counts = orders["basket_size"].value_counts()
print(size_counts)
share_unknown = size_counts["unknown"] / len(orders)
''',
        raises="TypeError",
        check=('orders["basket_size"].astype(str).tolist() == ["small", "medium", "unknown", "large", "medium", "unknown"] '
               'and size_counts["unknown"] == 2 and size_counts["medium"] == 2 and abs(share_unknown - 1 / 3) < 1e-9'),
        intent="Label orders with no basket value as 'unknown' and compute the share of unknown orders.",
        reference='''# orders without a basket value get their own "unknown" bucket
orders["basket_size"] = orders["basket_size"].cat.add_categories("unknown").fillna("unknown")
size_counts = orders["basket_size"].value_counts()
print(size_counts)
share_unknown = size_counts["unknown"] / len(orders)
''',
    ),
    ExecCase(
        id="l-query-local-variable",
        setup='''import pandas as pd
loans = pd.DataFrame({
    "loan_id": ["L1", "L2", "L3", "L4", "L5"],
    "amount": [5000, 12000, 800, 25000, 15000],
    "rate": [0.05, 0.07, 0.12, 0.04, 0.06],
})
''',
        cell='''min_amount = 10000
max_rate = 0.065
big_cheap = loans.query("amount >= min_amount and rate <= max_rate")
print(big_cheap)
ids = big_cheap["loan_id"].tolist()
''',
        raises="UndefinedVariableError",
        check='ids == ["L4", "L5"] and big_cheap["amount"].sum() == 40000',
        intent="Select loans of at least min_amount with a rate no higher than max_rate.",
        reference='''min_amount = 10000
max_rate = 0.065
big_cheap = loans.query("amount >= @min_amount and rate <= @max_rate")
print(big_cheap)
ids = big_cheap["loan_id"].tolist()
''',
    ),
    ExecCase(
        id="l-dataframe-append-removed",
        setup='''import pandas as pd
leaderboard = pd.DataFrame({"player": ["zed", "amy"], "score": [880, 910]})
new_result = {"player": "kai", "score": 950}
''',
        cell='''leaderboard = leaderboard.append(new_result, ignore_index=True)
leaderboard = leaderboard.sort_values("score", ascending=False).reset_index(drop=True)
print(leaderboard)
leader = leaderboard.loc[0, "player"]
''',
        raises="AttributeError",
        check=('leaderboard["player"].tolist() == ["kai", "amy", "zed"] and '
               'leaderboard["score"].tolist() == [950, 910, 880] and leader == "kai"'),
        intent="Add the new result to the leaderboard, re-rank by score and read off the leader.",
        reference='''leaderboard = pd.concat([leaderboard, pd.DataFrame([new_result])], ignore_index=True)
leaderboard = leaderboard.sort_values("score", ascending=False).reset_index(drop=True)
print(leaderboard)
leader = leaderboard.loc[0, "player"]
''',
    ),
    ExecCase(
        id="l-get-group-list-key",
        setup='''import pandas as pd
sales = pd.DataFrame({
    "store": ["S1", "S2", "S1", "S3", "S2", "S1"],
    "day": ["Mon", "Mon", "Tue", "Tue", "Wed", "Wed"],
    "revenue": [200, 150, 180, 90, 210, 240],
})
by_store = sales.groupby(["store"])
''',
        cell='''s1 = by_store.get_group("S1")
print(s1)
s1_best_day = s1.loc[s1["revenue"].idxmax(), "day"]
s1_total = s1["revenue"].sum()
print(f"S1 best day: {s1_best_day}, total {s1_total}")
''',
        raises="KeyError",
        check='s1["revenue"].tolist() == [200, 180, 240] and s1_best_day == "Wed" and s1_total == 620',
        intent="Pull out store S1's rows and find its best day and total revenue.",
        reference='''s1 = by_store.get_group(("S1",))
print(s1)
s1_best_day = s1.loc[s1["revenue"].idxmax(), "day"]
s1_total = s1["revenue"].sum()
print(f"S1 best day: {s1_best_day}, total {s1_total}")
''',
    ),
    ExecCase(
        id="l-astype-float-thousands",
        setup='''import pandas as pd
invoices = pd.DataFrame({
    "invoice": ["INV-1", "INV-2", "INV-3", "INV-4"],
    "total": ["1,250.00", "980.50", "12,400.75", "3,005.25"],
})
''',
        cell='''invoices["total"] = invoices["total"].astype(float)
grand_total = invoices["total"].sum()
print(f"Grand total: {grand_total:,.2f}")
''',
        raises="ValueError",
        check='invoices["total"].tolist() == [1250.0, 980.5, 12400.75, 3005.25] and abs(grand_total - 17636.5) < 1e-6',
        intent="Turn the invoice totals into numbers and add them up.",
        reference='''invoices["total"] = invoices["total"].str.replace(",", "", regex=False).astype(float)
grand_total = invoices["total"].sum()
print(f"Grand total: {grand_total:,.2f}")
''',
    ),
    ExecCase(
        id="l-reset-index-name-clash",
        setup='''import pandas as pd
trips = pd.DataFrame({
    "city": ["Oslo", "Rome", "Oslo", "Lima", "Rome", "Oslo"],
    "distance_km": [12, 5, 8, 20, 7, 3],
})
''',
        cell='''trips_per_city = trips.groupby("city")["city"].count().reset_index()
trips_per_city.columns = ["city", "n_trips"]
busiest_city = trips_per_city.sort_values("n_trips", ascending=False).iloc[0]["city"]
print(busiest_city, trips_per_city["n_trips"].sum())
''',
        raises="ValueError",
        check=('trips_per_city.set_index("city")["n_trips"].to_dict() == {"Lima": 1, "Oslo": 3, "Rome": 2} '
               'and busiest_city == "Oslo"'),
        intent="Count trips per city in a two-column table and name the city with the most trips.",
        reference='''trips_per_city = trips.groupby("city").size().reset_index()
trips_per_city.columns = ["city", "n_trips"]
busiest_city = trips_per_city.sort_values("n_trips", ascending=False).iloc[0]["city"]
print(busiest_city, trips_per_city["n_trips"].sum())
''',
    ),
    ExecCase(
        id="l-read-csv-semicolon-decimal-comma",
        setup='''import io
import pandas as pd
# export from the Austrian weather service: semicolon separated, decimal commas
raw = """date;station;rain_mm
2024-05-01;Graz;1,5
2024-05-02;Graz;0,0
2024-05-03;Graz;12,25
2024-05-04;Graz;3,75
"""
''',
        cell='''rain = pd.read_csv(io.StringIO(raw))
total_rain = rain["rain_mm"].sum()
rainy_days = (rain["rain_mm"] > 1).sum()
print(f"{total_rain} mm over {rainy_days} rainy days")
''',
        raises="KeyError",
        check=('abs(total_rain - 17.5) < 1e-9 and rainy_days == 3 and '
               'rain["rain_mm"].tolist() == [1.5, 0.0, 12.25, 3.75] and rain["station"].tolist() == ["Graz"] * 4'),
        intent="Load the semicolon/decimal-comma rainfall export and total the rain and the days over 1 mm.",
        reference='''rain = pd.read_csv(io.StringIO(raw), sep=";", decimal=",")
total_rain = rain["rain_mm"].sum()
rainy_days = (rain["rain_mm"] > 1).sum()
print(f"{total_rain} mm over {rainy_days} rainy days")
''',
    ),
    ExecCase(
        id="l-merge-left-on-without-right-on",
        setup='''import pandas as pd
employees = pd.DataFrame({"emp_id": [1, 2, 3, 4],
                          "name": ["Ava", "Raj", "Lin", "Tom"],
                          "dept_code": ["D1", "D2", "D1", "D3"]})
departments = pd.DataFrame({"code": ["D1", "D2", "D3"],
                            "dept_name": ["Research", "Sales", "Legal"]})
''',
        cell='''staff = employees.merge(departments, left_on="dept_code", how="left")
headcount = staff["dept_name"].value_counts()
print(headcount)
''',
        raises="MergeError",
        check=('staff.set_index("name")["dept_name"].to_dict() == '
               '{"Ava": "Research", "Raj": "Sales", "Lin": "Research", "Tom": "Legal"} and '
               'headcount.to_dict() == {"Research": 2, "Sales": 1, "Legal": 1}'),
        intent="Attach each employee's department name and count employees per department.",
        reference='''staff = employees.merge(departments, left_on="dept_code", right_on="code", how="left")
headcount = staff["dept_name"].value_counts()
print(headcount)
''',
    ),
    ExecCase(
        id="l-fillna-method-keyword",
        setup='''import pandas as pd
prices = pd.DataFrame({"day": pd.date_range("2024-06-03", periods=6, freq="D"),
                       "close": [101.0, None, None, 104.5, None, 103.0]})
''',
        cell='''# market-closed days: carry the last known close forward
prices["close"] = prices["close"].fillna(method="ffill")
prices["change"] = prices["close"].diff()
print(prices)
''',
        raises="TypeError",
        check=('prices["close"].tolist() == [101.0, 101.0, 101.0, 104.5, 104.5, 103.0] and '
               'prices["change"].iloc[1:].tolist() == [0.0, 0.0, 3.5, 0.0, -1.5]'),
        intent="Forward-fill missing closes with the last known value and compute day-over-day changes.",
        reference='''# market-closed days: carry the last known close forward
prices["close"] = prices["close"].ffill()
prices["change"] = prices["close"].diff()
print(prices)
''',
    ),
    # ---------------------------------------------------------------- numpy
    ExecCase(
        id="l-matmul-row-coefficients",
        setup='''import numpy as np
# rows = houses, columns = [size_m2, bedrooms, age_years]
X = np.array([[50.0, 1, 30], [80.0, 2, 10], [120.0, 3, 5], [65.0, 2, 50]])
coef = np.array([[2.0, 15.0, -0.5]])  # pasted from the model summary as one row
intercept = 10.0
''',
        cell='''predicted_price = X @ coef + intercept
print(predicted_price.round(1))
most_expensive = int(np.argmax(predicted_price))
print("most expensive house:", most_expensive)
''',
        raises="ValueError",
        check=('np.size(predicted_price) == 4 and np.allclose(np.ravel(predicted_price), [110.0, 195.0, 292.5, 145.0]) '
               'and most_expensive == 2'),
        intent="Predict each house's price from the linear model and find the most expensive one.",
        reference='''predicted_price = X @ coef.ravel() + intercept
print(predicted_price.round(1))
most_expensive = int(np.argmax(predicted_price))
print("most expensive house:", most_expensive)
''',
    ),
    ExecCase(
        id="l-nan-into-int-array",
        setup='''import numpy as np
# heart-rate samples; 0 means the sensor dropped out
heart_rate = np.array([72, 75, 0, 80, 0, 78])
''',
        cell='''heart_rate[heart_rate == 0] = np.nan
mean_hr = np.nanmean(heart_rate)
print(f"mean heart rate: {mean_hr:.1f} bpm")
''',
        raises="ValueError",
        check=('abs(mean_hr - 76.25) < 1e-9 and '
               'np.isnan(heart_rate).tolist() == [False, False, True, False, True, False]'),
        intent="Mark sensor dropouts as NaN in heart_rate and average the remaining samples.",
        reference='''heart_rate = heart_rate.astype(float)
heart_rate[heart_rate == 0] = np.nan
mean_hr = np.nanmean(heart_rate)
print(f"mean heart rate: {mean_hr:.1f} bpm")
''',
    ),
    ExecCase(
        id="l-diff-mask-length",
        setup='''import numpy as np
close = np.array([100.0, 102.0, 101.0, 105.0, 104.0, 108.0])
''',
        cell='''daily_return = np.diff(close) / close[:-1]
# closing prices on the days the stock went up
up_day_closes = close[daily_return > 0]
print(up_day_closes, up_day_closes.mean())
''',
        raises="IndexError",
        check='up_day_closes.tolist() == [102.0, 105.0, 108.0]',
        intent="Select the closing prices of the days on which the price rose from the previous day.",
        reference='''daily_return = np.diff(close) / close[:-1]
# closing prices on the days the stock went up
up_day_closes = close[1:][daily_return > 0]
print(up_day_closes, up_day_closes.mean())
''',
    ),
    ExecCase(
        id="l-int8-kelvin-overflow",
        setup='''import numpy as np
# temperatures in deg C, downcast to int8 earlier to save memory
temps_c = np.array([-5, 12, 23, 31, -12], dtype=np.int8)
''',
        cell='''temps_k = temps_c + 273
print(temps_k)
assert temps_k.min() > 0
''',
        raises="OverflowError",
        check='temps_k.tolist() == [268, 285, 296, 304, 261]',
        intent="Convert the Celsius readings to Kelvin.",
        reference='''temps_k = temps_c.astype(np.int16) + 273
print(temps_k)
assert temps_k.min() > 0
''',
    ),
    ExecCase(
        id="l-solve-non-square-least-squares",
        setup='''import numpy as np
hours = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
score = np.array([52.0, 55.0, 61.0, 64.0, 68.0])
''',
        cell='''# least-squares line: score ~ intercept + slope * hours
A = np.column_stack([np.ones_like(hours), hours])
intercept, slope = np.linalg.solve(A, score)
print(f"score = {intercept:.2f} + {slope:.2f} * hours")
predicted_6h = intercept + slope * 6
''',
        raises="LinAlgError",
        check='abs(slope - 4.1) < 1e-9 and abs(intercept - 47.7) < 1e-9 and abs(predicted_6h - 72.3) < 1e-9',
        intent="Fit the least-squares line of score on hours and predict the score for 6 hours.",
        reference='''# least-squares line: score ~ intercept + slope * hours
A = np.column_stack([np.ones_like(hours), hours])
intercept, slope = np.linalg.lstsq(A, score, rcond=None)[0]
print(f"score = {intercept:.2f} + {slope:.2f} * hours")
predicted_6h = intercept + slope * 6
''',
    ),
    ExecCase(
        id="l-divide-text-array",
        setup='''import numpy as np
# widths scraped from a product table come in as text
widths_cm = np.array(["12.5", "8.0", "15.25", "10.0"])
''',
        cell='''widths_in = widths_cm / 2.54
print(widths_in.round(2))
widest_in = widths_in.max()
''',
        raises="TypeError",
        check=('np.asarray(widths_in).dtype.kind == "f" and '
               'np.allclose(widths_in, np.array([12.5, 8.0, 15.25, 10.0]) / 2.54) and abs(widest_in - 15.25 / 2.54) < 1e-9'),
        intent="Convert the text widths in centimetres to inches and find the widest.",
        reference='''widths_in = widths_cm.astype(float) / 2.54
print(widths_in.round(2))
widest_in = widths_in.max()
''',
    ),
    # ---------------------------------------------------------------- plain Python
    ExecCase(
        id="l-json-dump-datetime",
        setup='''import json
from datetime import datetime
event = {"user": "mia", "action": "login", "at": datetime(2024, 4, 2, 9, 30, 15), "attempts": 2}
''',
        cell='''# one JSON log line per event, timestamp as ISO text
payload = json.dumps(event)
log_line = f"EVENT {payload}"
print(log_line)
''',
        raises="TypeError",
        check=('log_line == "EVENT " + payload and '
               '{k: v for k, v in json.loads(payload).items() if k != "at"} == {"user": "mia", "action": "login", "attempts": 2} '
               'and json.loads(payload)["at"] in ("2024-04-02T09:30:15", "2024-04-02 09:30:15")'),
        intent="Serialise the event to a JSON log line with the timestamp as ISO text.",
        reference='''# one JSON log line per event, timestamp as ISO text
payload = json.dumps({**event, "at": event["at"].isoformat()})
log_line = f"EVENT {payload}"
print(log_line)
''',
    ),
    ExecCase(
        id="l-dict-delete-while-iterating",
        setup='''stock = {"apples": 12, "bananas": 0, "cherries": 5, "dates": 0, "figs": 3}
''',
        cell='''# drop items that are sold out
for item, qty in stock.items():
    if qty == 0:
        del stock[item]
print(sorted(stock))
assert all(q > 0 for q in stock.values())
''',
        raises="RuntimeError",
        check='stock == {"apples": 12, "cherries": 5, "figs": 3}',
        intent="Remove every sold-out item (quantity 0) from the stock dict.",
        reference='''# drop items that are sold out
for item, qty in list(stock.items()):
    if qty == 0:
        del stock[item]
print(sorted(stock))
assert all(q > 0 for q in stock.values())
''',
    ),
    ExecCase(
        id="l-dataclass-list-default",
        setup='''from dataclasses import dataclass, field
''',
        cell='''@dataclass
class Playlist:
    name: str
    songs: list = []

    def add(self, title):
        self.songs.append(title)

road = Playlist("road trip"); road.add("Highway Star")
gym = Playlist("gym"); gym.add("Eye of the Tiger")
print(road.songs, gym.songs)
''',
        raises="ValueError",
        check=('road.name == "road trip" and road.songs == ["Highway Star"] and '
               'gym.name == "gym" and gym.songs == ["Eye of the Tiger"]'),
        intent="Define a Playlist whose instances each start with their own empty song list, then fill two of them.",
        reference='''@dataclass
class Playlist:
    name: str
    songs: list = field(default_factory=list)

    def add(self, title):
        self.songs.append(title)

road = Playlist("road trip"); road.add("Highway Star")
gym = Playlist("gym"); gym.add("Eye of the Tiger")
print(road.songs, gym.songs)
''',
    ),
    ExecCase(
        id="l-regex-phone-prefix-plus",
        setup='''import re
contacts = {"Ann": "+44 20 7946 0958", "Bo": "+1 212 555 0147", "Cai": "+44 161 496 0321",
            "Dara": "+49 30 901820", "Eli": "+353 1 234 5678"}
country_prefix = "+44"
''',
        cell='''# contacts whose number starts with the UK country prefix
uk_pattern = re.compile("^" + country_prefix)
uk_contacts = sorted(name for name, number in contacts.items() if uk_pattern.match(number))
print(f"{len(uk_contacts)} UK contacts: {uk_contacts}")
''',
        raises="error",
        check='uk_contacts == ["Ann", "Cai"]',
        intent="List (sorted) the contacts whose phone number starts with the literal prefix '+44'.",
        reference='''# contacts whose number starts with the UK country prefix
uk_pattern = re.compile("^" + re.escape(country_prefix))
uk_contacts = sorted(name for name, number in contacts.items() if uk_pattern.match(number))
print(f"{len(uk_contacts)} UK contacts: {uk_contacts}")
''',
    ),
    ExecCase(
        id="l-counter-unbound-local",
        setup='''log_lines = ["INFO start", "WARN disk 91%", "ERROR db timeout",
             "INFO retry", "ERROR db timeout", "WARN disk 95%"]
error_count = 0
''',
        cell='''def scan(line):
    if line.startswith("ERROR"):
        error_count += 1
    return line.split()[0]

levels = [scan(line) for line in log_lines]
print(f"{error_count} errors in {len(levels)} lines")
''',
        raises="UnboundLocalError",
        check='error_count == 2 and levels == ["INFO", "WARN", "ERROR", "INFO", "ERROR", "WARN"]',
        intent="Record each line's level while counting the ERROR lines in the global error_count.",
        reference='''def scan(line):
    global error_count
    if line.startswith("ERROR"):
        error_count += 1
    return line.split()[0]

levels = [scan(line) for line in log_lines]
print(f"{error_count} errors in {len(levels)} lines")
''',
    ),
    ExecCase(
        id="l-decode-latin1-export",
        setup='''import csv
import io
# bytes from an old Windows export tool (Latin-1 encoded)
raw_bytes = "name,city\\nJos\\u00e9,M\\u00e1laga\\nZo\\u00eb,K\\u00f6ln\\nAndr\\u00e9,Besan\\u00e7on\\n".encode("latin-1")
''',
        cell='''reader = csv.DictReader(io.StringIO(raw_bytes.decode("utf-8")))
rows = list(reader)
cities = [row["city"] for row in rows]
print(len(rows), "rows:", cities)
''',
        raises="UnicodeDecodeError",
        check='cities == ["M\\u00e1laga", "K\\u00f6ln", "Besan\\u00e7on"] and [r["name"] for r in rows] == ["Jos\\u00e9", "Zo\\u00eb", "Andr\\u00e9"]',
        intent="Decode the Latin-1 export and list each row's city with its accents intact.",
        reference='''reader = csv.DictReader(io.StringIO(raw_bytes.decode("latin-1")))
rows = list(reader)
cities = [row["city"] for row in rows]
print(len(rows), "rows:", cities)
''',
    ),
)
