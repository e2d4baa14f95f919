"""fresh_n: thirty execution-graded notebook errors (pandas, numpy, plain Python)."""

from __future__ import annotations

from bench.exec_case import ExecCase

CASES: tuple[ExecCase, ...] = (
    # ---------------------------------------------------------------- pandas
    ExecCase(
        id="n-pd-survey-age-with-units",
        setup=r"""import pandas as pd
survey = pd.DataFrame({"respondent": [101, 102, 103, 104, 105],
                       "age": ["34", "29", "41 yrs", "25", "38"],
                       "satisfaction": [4, 5, 3, 4, 2]})
""",
        cell=r"""mean_age = survey["age"].mean()
older = survey[survey["age"] >= 35]
print(f"mean age {mean_age:.1f}; {len(older)} respondents aged 35+")
print(older["satisfaction"].mean())
""",
        raises="TypeError",
        check=r"""abs(mean_age - 33.4) < 1e-9 and older["respondent"].tolist() == [103, 105]""",
        intent="Average the survey ages (one entered as '41 yrs') and select respondents aged 35 or over.",
        reference=r"""survey["age"] = survey["age"].str.extract(r"(\d+)", expand=False).astype(int)
mean_age = survey["age"].mean()
older = survey[survey["age"] >= 35]
print(f"mean age {mean_age:.1f}; {len(older)} respondents aged 35+")
print(older["satisfaction"].mean())
""",
    ),
    ExecCase(
        id="n-pd-csv-header-spaces",
        setup=r"""import io
import pandas as pd
raw = '''timestamp, sensor, temp_c
2024-05-01 08:00, A, 21.5
2024-05-01 08:00, B, 27.0
2024-05-01 09:00, A, 23.0
2024-05-01 09:00, B, 28.5
'''
readings = pd.read_csv(io.StringIO(raw))
""",
        cell=r"""readings["temp_f"] = readings["temp_c"] * 9 / 5 + 32
hot = readings[readings["temp_f"] > 80]
print(hot)
print(f"{len(hot)} of {len(readings)} readings above 80F")
""",
        raises="KeyError",
        check=r"""readings["temp_f"].round(1).tolist() == [70.7, 80.6, 73.4, 83.3] and len(hot) == 2 and len(readings) == 4""",
        intent="Add a Fahrenheit column to the sensor readings and keep the readings above 80F.",
        reference=r"""readings.columns = readings.columns.str.strip()
readings["temp_f"] = readings["temp_c"] * 9 / 5 + 32
hot = readings[readings["temp_f"] > 80]
print(hot)
print(f"{len(hot)} of {len(readings)} readings above 80F")
""",
    ),
    ExecCase(
        id="n-pd-to-datetime-day-first",
        setup=r"""import pandas as pd
visits = pd.DataFrame({"date": ["03/04/2024", "15/04/2024", "28/04/2024", "02/05/2024", "19/05/2024", "07/06/2024"],
                       "visitors": [120, 95, 143, 88, 130, 101]})
""",
        cell=r"""visits["date"] = pd.to_datetime(visits["date"])
monthly = visits.groupby(visits["date"].dt.month)["visitors"].sum()
print(monthly)
busiest_month = monthly.idxmax()
""",
        raises="ValueError",
        check=r"""visits["date"].dt.day.tolist() == [3, 15, 28, 2, 19, 7] and monthly.to_dict() == {4: 358, 5: 218, 6: 101} and busiest_month == 4""",
        intent="Parse the day/month/year visit dates and total the visitors per month.",
        reference=r"""visits["date"] = pd.to_datetime(visits["date"], format="%d/%m/%Y")
monthly = visits.groupby(visits["date"].dt.month)["visitors"].sum()
print(monthly)
busiest_month = monthly.idxmax()
""",
    ),
    ExecCase(
        id="n-pd-resample-without-datetime-index",
        setup=r"""import pandas as pd
power = pd.DataFrame({
    "time": pd.to_datetime(["2024-02-01 06:00", "2024-02-01 18:00", "2024-02-02 06:00",
                            "2024-02-02 18:00", "2024-02-03 06:00", "2024-02-03 18:00"]),
    "kwh": [1.2, 3.4, 1.0, 2.8, 1.5, 3.9],
})
""",
        cell=r"""daily = power.resample("D").sum()
peak_day = daily["kwh"].idxmax()
print(daily)
print("peak:", peak_day.date())
""",
        raises="TypeError",
        check=r"""daily["kwh"].round(2).tolist() == [4.6, 3.8, 5.4] and peak_day == pd.Timestamp("2024-02-03")""",
        intent="Total the meter's kWh per day and find the day with the highest consumption.",
        reference=r"""daily = power.set_index("time").resample("D").sum()
peak_day = daily["kwh"].idxmax()
print(daily)
print("peak:", peak_day.date())
""",
    ),
    ExecCase(
        id="n-pd-pivot-duplicate-receipts",
        setup=r"""import pandas as pd
receipts = pd.DataFrame({
    "store": ["North", "North", "South", "North", "South", "South"],
    "month": ["Jan", "Jan", "Jan", "Feb", "Feb", "Feb"],
    "amount": [200, 150, 310, 230, 90, 160],
})
""",
        cell=r"""wide = receipts.pivot(index="store", columns="month", values="amount")
assert wide.to_numpy().sum() == receipts["amount"].sum()
best_feb = wide["Feb"].idxmax()
print(wide)
print("best store in February:", best_feb)
""",
        raises="ValueError",
        check=r"""wide.loc["North", "Jan"] == 350 and wide.loc["South", "Jan"] == 310 and wide.loc["North", "Feb"] == 230 and wide.loc["South", "Feb"] == 250 and best_feb == "South" """,
        intent="Build a store-by-month table of total receipt amounts and find February's best store.",
        reference=r"""wide = receipts.pivot_table(index="store", columns="month", values="amount", aggfunc="sum")
assert wide.to_numpy().sum() == receipts["amount"].sum()
best_feb = wide["Feb"].idxmax()
print(wide)
print("best store in February:", best_feb)
""",
    ),
    ExecCase(
        id="n-pd-merge-padded-string-ids",
        setup=r"""import pandas as pd
orders = pd.DataFrame({"order_id": [1, 2, 3, 4, 5],
                       "customer_id": [10, 11, 10, 12, 13],
                       "total": [25.0, 40.0, 15.5, 60.0, 12.0]})
# exported from the CRM: ids are zero-padded text
customers = pd.DataFrame({"customer_id": ["0010", "0011", "0012", "0013"],
                          "segment": ["retail", "wholesale", "retail", "retail"]})
""",
        cell=r"""joined = orders.merge(customers, on="customer_id", how="left")
by_segment = joined.groupby("segment")["total"].sum()
print(by_segment)
print(joined["segment"].isna().sum(), "orders without a segment")
""",
        raises="ValueError",
        check=r"""len(joined) == 5 and joined["segment"].tolist() == ["retail", "wholesale", "retail", "retail", "retail"] and by_segment.to_dict() == {"retail": 112.5, "wholesale": 40.0}""",
        intent="Attach each order's customer segment and total order value per segment.",
        reference=r"""customers["customer_id"] = customers["customer_id"].astype(int)
joined = orders.merge(customers, on="customer_id", how="left")
by_segment = joined.groupby("segment")["total"].sum()
print(by_segment)
print(joined["segment"].isna().sum(), "orders without a segment")
""",
    ),
    ExecCase(
        id="n-pd-scalar-function-on-series",
        setup=r"""import pandas as pd
grades = pd.DataFrame({"student": ["Ana", "Ben", "Chloe", "Dev", "Eli"],
                       "score": [91, 78, 85, 62, 70]})

def letter(score):
    if score >= 90:
        return "A"
    elif score >= 80:
        return "B"
    elif score >= 70:
        return "C"
    return "F"
""",
        cell=r"""grades["letter"] = letter(grades["score"])
counts = grades["letter"].value_counts()
print(grades)
print(counts)
""",
        raises="ValueError",
        check=r"""grades["letter"].tolist() == ["A", "C", "B", "F", "C"] and counts.to_dict() == {"C": 2, "A": 1, "B": 1, "F": 1}""",
        intent="Give every student a letter grade from their score and count the letters.",
        reference=r"""grades["letter"] = grades["score"].apply(letter)
counts = grades["letter"].value_counts()
print(grades)
print(counts)
""",
    ),
    ExecCase(
        id="n-pd-groupby-mean-text-column",
        setup=r"""import numpy as np
import pandas as pd
sales = pd.DataFrame({
    "region": ["East", "West", "East", "West", "East", "North"],
    "rep": ["Kim", "Lee", "Kim", "Ortiz", "Patel", "Quinn"],
    "units": [12, 7, 9, 15, 4, 10],
    "revenue": [1440.0, 840.0, 1080.0, 1800.0, 480.0, 1250.0],
})
""",
        cell=r"""by_region = sales.groupby("region").mean()
by_region["price_per_unit"] = by_region["revenue"] / by_region["units"]
top = by_region["revenue"].idxmax()
print(by_region.round(2))
print("highest average revenue:", top)
""",
        raises="TypeError",
        check=r"""sorted(by_region.index) == ["East", "North", "West"] and np.allclose(by_region.loc[["East", "North", "West"], "revenue"], [1000.0, 1250.0, 1320.0]) and np.allclose(by_region.loc[["East", "North", "West"], "units"], [25 / 3, 10.0, 11.0]) and np.allclose(by_region.loc[["East", "North", "West"], "price_per_unit"], [120.0, 125.0, 120.0]) and top == "West" """,
        intent="Average units and revenue per sale for each region, with the implied price per unit.",
        reference=r"""by_region = sales.groupby("region")[["units", "revenue"]].mean()
by_region["price_per_unit"] = by_region["revenue"] / by_region["units"]
top = by_region["revenue"].idxmax()
print(by_region.round(2))
print("highest average revenue:", top)
""",
    ),
    ExecCase(
        id="n-pd-int-cast-missing-count",
        setup=r"""import numpy as np
import pandas as pd
traffic = pd.DataFrame({"hour": [7, 8, 9, 10, 11],
                        "cars": [112.0, 240.0, np.nan, 198.0, 150.0]})  # the 9:00 counter failed
""",
        cell=r"""traffic["cars"] = traffic["cars"].astype(int)
total = traffic["cars"].sum()
busiest = traffic.loc[traffic["cars"].idxmax(), "hour"]
print(traffic)
print(total, busiest)
""",
        raises="IntCastingNaNError",
        check=r"""pd.api.types.is_integer_dtype(traffic["cars"].dtype) and traffic["cars"].isna().tolist() == [False, False, True, False, False] and traffic["cars"].dropna().tolist() == [112, 240, 198, 150] and total == 700 and busiest == 8""",
        intent="Store the hourly car counts as integers while keeping the failed 9:00 count missing, then total them.",
        reference=r"""traffic["cars"] = traffic["cars"].astype("Int64")
total = traffic["cars"].sum()
busiest = traffic.loc[traffic["cars"].idxmax(), "hour"]
print(traffic)
print(total, busiest)
""",
    ),
    ExecCase(
        id="n-pd-dataframe-append-removed",
        setup=r"""import pandas as pd
log = pd.DataFrame({"day": [1, 2], "steps": [8200, 10450]})
new_days = [{"day": 3, "steps": 7600}, {"day": 4, "steps": 12010}]
""",
        cell=r"""for row in new_days:
    log = log.append(row, ignore_index=True)
avg_steps = log["steps"].mean()
print(len(log), "days logged, average", avg_steps)
""",
        raises="AttributeError",
        check=r"""log["day"].tolist() == [1, 2, 3, 4] and log["steps"].tolist() == [8200, 10450, 7600, 12010] and avg_steps == 9565.0""",
        intent="Add the two new days to the step log and compute the average daily steps.",
        reference=r"""log = pd.concat([log, pd.DataFrame(new_days)], ignore_index=True)
avg_steps = log["steps"].mean()
print(len(log), "days logged, average", avg_steps)
""",
    ),
    ExecCase(
        id="n-pd-currency-strings-to-float",
        setup=r"""import pandas as pd
cart = pd.DataFrame({"item": ["desk", "chair", "lamp", "monitor"],
                     "price": ["$120.00", "$45.50", "$18.25", "$1,150.00"],
                     "qty": [2, 6, 4, 1]})
""",
        cell=r"""cart["price"] = cart["price"].astype(float)
cart["revenue"] = cart["price"] * cart["qty"]
total = cart["revenue"].sum()
print(f"total revenue: {total:,.2f}")
""",
        raises="ValueError",
        check=r"""cart["price"].tolist() == [120.0, 45.5, 18.25, 1150.0] and cart["revenue"].tolist() == [240.0, 273.0, 73.0, 1150.0] and total == 1736.0""",
        intent="Turn the '$1,150.00'-style prices into numbers and total price times quantity.",
        reference=r"""cart["price"] = cart["price"].str.replace(r"[$,]", "", regex=True).astype(float)
cart["revenue"] = cart["price"] * cart["qty"]
total = cart["revenue"].sum()
print(f"total revenue: {total:,.2f}")
""",
    ),
    ExecCase(
        id="n-pd-drop-column-default-axis",
        setup=r"""import pandas as pd
scores = pd.DataFrame({"name": ["Ana", "Ben", "Chloe"],
                       "hw1": [8, 9, 7], "hw2": [10, 6, 9],
                       "notes": ["", "late", ""]})
""",
        cell=r"""numeric = scores.drop("notes").set_index("name")
numeric["avg"] = numeric.mean(axis=1)
print(numeric)
print("best:", numeric["avg"].idxmax())
""",
        raises="KeyError",
        check=r"""list(numeric.columns) == ["hw1", "hw2", "avg"] and numeric["avg"].to_dict() == {"Ana": 9.0, "Ben": 7.5, "Chloe": 8.0}""",
        intent="Drop the notes column, index by student and average each student's homework marks.",
        reference=r"""numeric = scores.drop(columns="notes").set_index("name")
numeric["avg"] = numeric.mean(axis=1)
print(numeric)
print("best:", numeric["avg"].idxmax())
""",
    ),
    ExecCase(
        id="n-pd-email-domain-missing",
        setup=r"""import pandas as pd
signups = pd.DataFrame({"user": ["u1", "u2", "u3", "u4", "u5"],
                        "email": ["ana@uni.edu", "ben@mail.com", None, "dev@uni.edu", "eli@uni.edu"]})
""",
        cell=r"""signups["domain"] = signups["email"].apply(lambda e: e.split("@")[1])
per_domain = signups["domain"].value_counts()
print(per_domain)
print(len(signups), "signups")
""",
        raises="AttributeError",
        check=r"""len(signups) == 5 and signups["domain"].isna().tolist() == [False, False, True, False, False] and signups["domain"].dropna().tolist() == ["uni.edu", "mail.com", "uni.edu", "uni.edu"] and per_domain.to_dict() == {"uni.edu": 3, "mail.com": 1}""",
        intent="Extract each signup's email domain (leaving the user without an email missing) and count signups per domain.",
        reference=r"""signups["domain"] = signups["email"].str.split("@").str[1]
per_domain = signups["domain"].value_counts()
print(per_domain)
print(len(signups), "signups")
""",
    ),
    # ---------------------------------------------------------------- numpy
    ExecCase(
        id="n-np-missing-intercept-column",
        setup=r"""import numpy as np
X = np.array([[1.0, 2.0], [2.0, 0.5], [3.0, 1.5], [4.0, 3.0]])   # two features per row
w = np.array([0.5, 2.0, -1.0])                                   # fitted weights: intercept first, then one per feature
y = np.array([3.0, 4.0, 6.5, 6.0])
""",
        cell=r"""pred = X @ w
resid = y - pred
print(pred)
print("max abs residual:", np.abs(resid).max())
""",
        raises="ValueError",
        check=r"""np.allclose(pred, [0.5, 4.0, 5.0, 5.5]) and np.allclose(resid, [2.5, 0.0, 1.5, 0.5])""",
        intent="Predict with the fitted linear model (intercept plus two weights) and compute the residuals.",
        reference=r"""pred = np.column_stack([np.ones(len(X)), X]) @ w
resid = y - pred
print(pred)
print("max abs residual:", np.abs(resid).max())
""",
    ),
    ExecCase(
        id="n-np-flat-gps-track",
        setup=r"""import numpy as np
track = np.array([0.0, 0.0, 3.0, 4.0, 3.0, 10.0, 11.0, 16.0])   # GPS log as logged: x, y, x, y, ...
""",
        cell=r"""xs, ys = track[:, 0], track[:, 1]
dist = np.sqrt(np.diff(xs) ** 2 + np.diff(ys) ** 2).sum()
print(f"{len(xs)} points, path length {dist:.2f}")
""",
        raises="IndexError",
        check=r"""xs.tolist() == [0.0, 3.0, 3.0, 11.0] and ys.tolist() == [0.0, 4.0, 10.0, 16.0] and abs(dist - 21.0) < 1e-9""",
        intent="Split the interleaved x,y GPS log into coordinates and compute the total path length.",
        reference=r"""pts = track.reshape(-1, 2)
xs, ys = pts[:, 0], pts[:, 1]
dist = np.sqrt(np.diff(xs) ** 2 + np.diff(ys) ** 2).sum()
print(f"{len(xs)} points, path length {dist:.2f}")
""",
    ),
    ExecCase(
        id="n-np-ragged-sensor-lists",
        setup=r"""import numpy as np
# one list per sensor; sensor C dropped two readings
readings = [[20.1, 20.4, 20.9, 21.3], [19.8, 20.0, 20.2, 20.6], [22.0, 22.6]]
""",
        cell=r"""arr = np.array(readings)
sensor_means = arr.mean(axis=1)
warmest = int(np.argmax(sensor_means))
print(sensor_means.round(2), "warmest sensor:", "ABC"[warmest])
""",
        raises="ValueError",
        check=r"""np.allclose(sensor_means, [20.675, 20.15, 22.3]) and warmest == 2""",
        intent="Average each sensor's readings (the lists have different lengths) and find the warmest sensor.",
        reference=r"""sensor_means = np.array([np.mean(r) for r in readings])
warmest = int(np.argmax(sensor_means))
print(sensor_means.round(2), "warmest sensor:", "ABC"[warmest])
""",
    ),
    ExecCase(
        id="n-np-decade-bins-float-index",
        setup=r"""import numpy as np
ages = np.array([23, 35, 41, 19, 27, 58, 33, 30, 44, 21])
""",
        cell=r"""decade = ages / 10
counts = np.zeros(6, dtype=int)
np.add.at(counts, decade, 1)
print(dict(zip(["0s", "10s", "20s", "30s", "40s", "50s"], counts.tolist())))
""",
        raises="IndexError",
        check=r"""counts.tolist() == [0, 1, 3, 3, 2, 1]""",
        intent="Count how many of the ages fall in each decade (0s to 50s).",
        reference=r"""decade = ages // 10
counts = np.zeros(6, dtype=int)
np.add.at(counts, decade, 1)
print(dict(zip(["0s", "10s", "20s", "30s", "40s", "50s"], counts.tolist())))
""",
    ),
    ExecCase(
        id="n-np-solve-overdetermined-fit",
        setup=r"""import numpy as np
hours = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
score = np.array([52.0, 57.0, 61.0, 68.0, 72.0])
A = np.column_stack([np.ones_like(hours), hours])
""",
        cell=r"""coef = np.linalg.solve(A, score)
intercept, slope = coef
pred6 = intercept + slope * 6
print(f"slope {slope:.2f} points/hour; predicted score for 6h: {pred6:.1f}")
""",
        raises="LinAlgError",
        check=r"""abs(intercept - 46.7) < 1e-9 and abs(slope - 5.1) < 1e-9 and abs(pred6 - 77.3) < 1e-9""",
        intent="Fit a least-squares line of exam score on study hours and predict the score for 6 hours.",
        reference=r"""coef = np.linalg.lstsq(A, score, rcond=None)[0]
intercept, slope = coef
pred6 = intercept + slope * 6
print(f"slope {slope:.2f} points/hour; predicted score for 6h: {pred6:.1f}")
""",
    ),
    ExecCase(
        id="n-np-nan-into-int-array",
        setup=r"""import numpy as np
raw_cells = ["12", "15", "", "14", "err", "18"]   # thermometer column typed in by hand
""",
        cell=r"""temps = np.zeros(len(raw_cells), dtype=int)
for i, v in enumerate(raw_cells):
    temps[i] = int(v) if v.isdigit() else np.nan
valid_mean = np.nanmean(temps)
print(temps, valid_mean)
""",
        raises="ValueError",
        check=r"""np.isnan(temps).tolist() == [False, False, True, False, True, False] and temps[~np.isnan(temps)].tolist() == [12.0, 15.0, 14.0, 18.0] and abs(valid_mean - 14.75) < 1e-9""",
        intent="Convert the hand-typed temperatures to numbers, marking the blank and 'err' cells as NaN, and average the valid ones.",
        reference=r"""temps = np.zeros(len(raw_cells), dtype=float)
for i, v in enumerate(raw_cells):
    temps[i] = int(v) if v.isdigit() else np.nan
valid_mean = np.nanmean(temps)
print(temps, valid_mean)
""",
    ),
    ExecCase(
        id="n-np-zeros-shape-args",
        setup=r"""import numpy as np
rows, cols = 4, 5
""",
        cell=r"""grid = np.zeros(rows, cols)
grid[0, :] = 100.0   # hot top edge
for _ in range(2):
    grid[1:-1, 1:-1] = (grid[:-2, 1:-1] + grid[2:, 1:-1] + grid[1:-1, :-2] + grid[1:-1, 2:]) / 4
print(grid.round(2))
""",
        raises="TypeError",
        check=r"""grid.shape == (4, 5) and grid[0].tolist() == [100.0] * 5 and np.allclose(grid[1], [0, 31.25, 37.5, 31.25, 0]) and np.allclose(grid[2], [0, 6.25, 6.25, 6.25, 0]) and not grid[3].any()""",
        intent="Run two Jacobi heat-diffusion steps on a 4x5 plate whose top edge is held at 100.",
        reference=r"""grid = np.zeros((rows, cols))
grid[0, :] = 100.0   # hot top edge
for _ in range(2):
    grid[1:-1, 1:-1] = (grid[:-2, 1:-1] + grid[2:, 1:-1] + grid[1:-1, :-2] + grid[1:-1, 2:]) / 4
print(grid.round(2))
""",
    ),
    # ---------------------------------------------------------------- plain Python
    ExecCase(
        id="n-py-csv-price-format-spec",
        setup=r"""import csv
import io
text = "item,price,qty\nnotebook,3.5,4\npen,1.25,10\nbackpack,24.99,1\n"
""",
        cell=r"""lines = []
for row in csv.DictReader(io.StringIO(text)):
    lines.append(f"{row['item']:<10}{row['price']:>8.2f} x{row['qty']}")
total = sum(float(r["price"]) * int(r["qty"]) for r in csv.DictReader(io.StringIO(text)))
print("\n".join(lines))
print(f"total {total:.2f}")
""",
        raises="ValueError",
        check=r"""lines == ["notebook      3.50 x4", "pen           1.25 x10", "backpack     24.99 x1"] and abs(total - 51.49) < 1e-9""",
        intent="Print an aligned receipt line per CSV row with the price to two decimals, and the order total.",
        reference=r"""lines = []
for row in csv.DictReader(io.StringIO(text)):
    lines.append(f"{row['item']:<10}{float(row['price']):>8.2f} x{row['qty']}")
total = sum(float(r["price"]) * int(r["qty"]) for r in csv.DictReader(io.StringIO(text)))
print("\n".join(lines))
print(f"total {total:.2f}")
""",
    ),
    ExecCase(
        id="n-py-dict-delete-while-iterating",
        setup=r"""stock = {"apples": 12, "bananas": 0, "cherries": 30, "dates": 0, "figs": 5, "grapes": 0}
""",
        cell=r"""for fruit in stock:
    if stock[fruit] == 0:
        del stock[fruit]
in_stock = sorted(stock)
print(in_stock, sum(stock.values()))
""",
        raises="RuntimeError",
        check=r"""stock == {"apples": 12, "cherries": 30, "figs": 5} and in_stock == ["apples", "cherries", "figs"]""",
        intent="Remove every sold-out fruit from the stock dict and list what is left.",
        reference=r"""for fruit in list(stock):
    if stock[fruit] == 0:
        del stock[fruit]
in_stock = sorted(stock)
print(in_stock, sum(stock.values()))
""",
    ),
    ExecCase(
        id="n-py-timedelta-hours-multiday",
        setup=r"""from datetime import datetime
jobs = [("etl", "2024-03-01 22:15", "2024-03-02 01:45"),
        ("train", "2024-03-02 08:00", "2024-03-03 14:30"),
        ("report", "2024-03-03 09:10", "2024-03-03 09:40")]
""",
        cell=r"""fmt = "%Y-%m-%d %H:%M"
hours = {}
for name, start, end in jobs:
    took = datetime.strptime(end, fmt) - datetime.strptime(start, fmt)
    hours[name] = took.hours
longest = max(hours, key=hours.get)
print(hours, "longest:", longest)
""",
        raises="AttributeError",
        check=r"""hours == {"etl": 3.5, "train": 30.5, "report": 0.5} and longest == "train" """,
        intent="Compute each job's run time in hours (jobs may run past midnight or for more than a day) and find the longest.",
        reference=r"""fmt = "%Y-%m-%d %H:%M"
hours = {}
for name, start, end in jobs:
    took = datetime.strptime(end, fmt) - datetime.strptime(start, fmt)
    hours[name] = took.total_seconds() / 3600
longest = max(hours, key=hours.get)
print(hours, "longest:", longest)
""",
    ),
    ExecCase(
        id="n-py-json-dump-dataclass",
        setup=r"""import json
from dataclasses import dataclass

@dataclass
class Reading:
    sensor: str
    value: float
    unit: str = "C"

batch = [Reading("A1", 21.4), Reading("B7", 19.9), Reading("C3", 70.2, "F")]
""",
        cell=r"""payload = json.dumps({"station": "roof", "readings": batch})
decoded = json.loads(payload)
print(len(payload), "bytes")
print(decoded["readings"][2])
""",
        raises="TypeError",
        check=r"""decoded == {"station": "roof", "readings": [{"sensor": "A1", "value": 21.4, "unit": "C"}, {"sensor": "B7", "value": 19.9, "unit": "C"}, {"sensor": "C3", "value": 70.2, "unit": "F"}]}""",
        intent="Serialise the station's batch of dataclass readings to JSON with every field, and read it back.",
        reference=r"""from dataclasses import asdict
payload = json.dumps({"station": "roof", "readings": [asdict(r) for r in batch]})
decoded = json.loads(payload)
print(len(payload), "bytes")
print(decoded["readings"][2])
""",
    ),
    ExecCase(
        id="n-py-subclass-skips-super-init",
        setup=r"""class Account:
    def __init__(self, owner, balance=0.0):
        self.owner = owner
        self.balance = balance
        self.history = []

    def deposit(self, amount):
        self.balance += amount
        self.history.append(("deposit", amount))
""",
        cell=r"""class SavingsAccount(Account):
    def __init__(self, owner, rate):
        self.rate = rate

acct = SavingsAccount("Mia", 0.02)
acct.deposit(500)
acct.deposit(round(acct.balance * acct.rate, 2))   # one month's interest
print(acct.owner, acct.balance, acct.history)
""",
        raises="AttributeError",
        check=r"""isinstance(acct, Account) and acct.owner == "Mia" and acct.rate == 0.02 and acct.balance == 510.0 and acct.history == [("deposit", 500), ("deposit", 10.0)]""",
        intent="Open a 2% savings account for Mia, deposit 500 and credit one month of interest.",
        reference=r"""class SavingsAccount(Account):
    def __init__(self, owner, rate):
        super().__init__(owner)
        self.rate = rate

acct = SavingsAccount("Mia", 0.02)
acct.deposit(500)
acct.deposit(round(acct.balance * acct.rate, 2))   # one month's interest
print(acct.owner, acct.balance, acct.history)
""",
    ),
    ExecCase(
        id="n-py-flatten-recurses-into-strings",
        setup=r"""survey_tags = [["python", "pandas"], "sql", [["excel"], ["python", ["r"]]], "sql"]
""",
        cell=r"""def flatten(items):
    if not hasattr(items, "__iter__"):
        return [items]
    return [leaf for x in items for leaf in flatten(x)]

tags = flatten(survey_tags)
unique_tags = sorted(set(tags))
print(tags, unique_tags)
""",
        raises="RecursionError",
        check=r"""tags == ["python", "pandas", "sql", "excel", "python", "r", "sql"] and unique_tags == ["excel", "pandas", "python", "r", "sql"]""",
        intent="Flatten the nested survey tag lists into one list of tag strings and list the distinct tags.",
        reference=r"""def flatten(items):
    if isinstance(items, str) or not hasattr(items, "__iter__"):
        return [items]
    return [leaf for x in items for leaf in flatten(x)]

tags = flatten(survey_tags)
unique_tags = sorted(set(tags))
print(tags, unique_tags)
""",
    ),
    ExecCase(
        id="n-py-counter-in-helper-function",
        setup=r"""rolls = [4, 6, 2, 6, 6, 1, 3, 6, 5, 6]
sixes = 0
""",
        cell=r"""def tally(roll):
    if roll == 6:
        sixes += 1

for r in rolls:
    tally(r)
print(f"{sixes} sixes in {len(rolls)} rolls ({sixes / len(rolls):.0%})")
""",
        raises="UnboundLocalError",
        check=r"""sixes == 5""",
        intent="Count the sixes among the dice rolls with the tally helper.",
        reference=r"""def tally(roll):
    global sixes
    if roll == 6:
        sixes += 1

for r in rolls:
    tally(r)
print(f"{sixes} sixes in {len(rolls)} rolls ({sixes / len(rolls):.0%})")
""",
    ),
    ExecCase(
        id="n-py-sort-grades-with-none",
        setup=r"""results = [
    {"name": "Ana", "grade": 88},
    {"name": "Ben", "grade": None},   # absent from the exam
    {"name": "Chloe", "grade": 95},
    {"name": "Dev", "grade": 72},
    {"name": "Eli", "grade": None},   # absent from the exam
]
""",
        cell=r"""# best first; students without a grade go at the bottom
ranking = sorted(results, key=lambda r: r["grade"], reverse=True)
names = [r["name"] for r in ranking]
print(names)
print("top:", names[0])
""",
        raises="TypeError",
        check=r"""names == ["Chloe", "Ana", "Dev", "Ben", "Eli"] and len(ranking) == 5""",
        intent="Rank all students best grade first, with the ungraded students at the bottom.",
        reference=r"""# best first; students without a grade go at the bottom
ranking = sorted(results, key=lambda r: (r["grade"] is not None, r["grade"] or 0), reverse=True)
names = [r["name"] for r in ranking]
print(names)
print("top:", names[0])
""",
    ),
    ExecCase(
        id="n-py-regex-log-milliseconds",
        setup=r"""import re
log_lines = [
    "2024-06-01 10:02:11 [INFO] job started",
    "2024-06-01 10:02:15 [WARN] disk at 91%",
    "2024-06-01 10:03:40 [INFO] 1200 rows loaded",
    "2024-06-01 10:04:02.513 [ERROR] connection reset",
    "2024-06-01 10:04:05 [INFO] retrying",
    "2024-06-01 10:05:30 [ERROR] connection reset again",
]
""",
        cell=r"""from collections import Counter
pattern = re.compile(r"^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) \[(\w+)\] (.*)$")
parsed = [pattern.match(line).groups() for line in log_lines]
levels = Counter(p[2] for p in parsed)
errors = [(p[1], p[3]) for p in parsed if p[2] == "ERROR"]
print(levels)
print(errors)
""",
        raises="AttributeError",
        check=r"""len(parsed) == 6 and dict(levels) == {"INFO": 3, "WARN": 1, "ERROR": 2} and [e[1] for e in errors] == ["connection reset", "connection reset again"] and [e[0][:8] for e in errors] == ["10:04:02", "10:05:30"]""",
        intent="Parse every log line into date, time, level and message, count the levels and list the errors.",
        reference=r"""from collections import Counter
pattern = re.compile(r"^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.\d+)? \[(\w+)\] (.*)$")
parsed = [pattern.match(line).groups() for line in log_lines]
levels = Counter(p[2] for p in parsed)
errors = [(p[1], p[3]) for p in parsed if p[2] == "ERROR"]
print(levels)
print(errors)
""",
    ),
    ExecCase(
        id="n-py-groups-float-count",
        setup=r"""participants = ["P01", "P02", "P03", "P04", "P05", "P06", "P07", "P08", "P09", "P10", "P11"]
group_size = 4
""",
        cell=r"""n_groups = len(participants) / group_size
groups = [participants[i * group_size:(i + 1) * group_size] for i in range(n_groups)]
assert sum(len(g) for g in groups) == len(participants), "someone was left out"
print(len(groups), "groups; last:", groups[-1])
""",
        raises="TypeError",
        check=r"""groups == [["P01", "P02", "P03", "P04"], ["P05", "P06", "P07", "P08"], ["P09", "P10", "P11"]]""",
        intent="Split the participants into consecutive groups of four, the last group taking the remainder.",
        reference=r"""n_groups = -(-len(participants) // group_size)
groups = [participants[i * group_size:(i + 1) * group_size] for i in range(n_groups)]
assert sum(len(g) for g in groups) == len(participants), "someone was left out"
print(len(groups), "groups; last:", groups[-1])
""",
    ),
)
