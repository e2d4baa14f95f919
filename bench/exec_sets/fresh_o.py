"""fresh_o: thirty execution-graded notebook errors (pandas, numpy, plain Python)."""

from __future__ import annotations

from bench.exec_case import ExecCase

CASES: tuple[ExecCase, ...] = (
    # ---------------------------------------------------------------- pandas
    ExecCase(
        id="o-pd-append-row",
        setup="""import pandas as pd
inventory = pd.DataFrame({"item": ["pen", "notebook", "stapler"], "qty": [120, 45, 8]})
new_item = {"item": "tape", "qty": 30}
""",
        cell="""inventory = inventory.append(new_item, ignore_index=True)
low_stock = inventory[inventory["qty"] < 40]
print(inventory)
print(low_stock["item"].tolist())
""",
        raises="AttributeError",
        check='inventory["item"].tolist() == ["pen", "notebook", "stapler", "tape"] and inventory["qty"].tolist() == [120, 45, 8, 30] and list(inventory.index) == [0, 1, 2, 3] and low_stock["item"].tolist() == ["stapler", "tape"]',
        intent="Add the new item as a fourth row of the inventory and list the items with fewer than 40 in stock.",
        reference="""inventory = pd.concat([inventory, pd.DataFrame([new_item])], ignore_index=True)
low_stock = inventory[inventory["qty"] < 40]
print(inventory)
print(low_stock["item"].tolist())
""",
    ),
    ExecCase(
        id="o-pd-merge-key-names",
        setup="""import pandas as pd
orders = pd.DataFrame({"order_id": [101, 102, 103, 104], "customer_id": [1, 2, 1, 3], "amount": [25.0, 40.0, 15.5, 60.0]})
customers = pd.DataFrame({"id": [1, 2, 3], "region": ["North", "South", "North"]})
""",
        cell="""merged = orders.merge(customers, on="customer_id", how="left")
by_region = merged.groupby("region")["amount"].sum()
print(by_region)
""",
        raises="KeyError",
        check='len(merged) == 4 and merged["region"].tolist() == ["North", "South", "North", "North"] and by_region.to_dict() == {"North": 100.5, "South": 40.0}',
        intent="Attach each order's customer region (orders.customer_id matches customers.id) and total the order amounts per region.",
        reference="""merged = orders.merge(customers, left_on="customer_id", right_on="id", how="left")
by_region = merged.groupby("region")["amount"].sum()
print(by_region)
""",
    ),
    ExecCase(
        id="o-pd-scraped-prices",
        setup="""import pandas as pd
listings = pd.DataFrame({"city": ["Austin", "Denver", "Boston", "Austin"], "price": ["$1,250", "$980", "$2,100", "$1,400"]})
""",
        cell="""avg_price = listings["price"].mean()
by_city = listings.groupby("city")["price"].mean()
print(f"Average rent: {avg_price:.0f}")
print(by_city)
""",
        raises="TypeError",
        check='abs(avg_price - 1432.5) < 1e-9 and by_city.to_dict() == {"Austin": 1325.0, "Boston": 2100.0, "Denver": 980.0}',
        intent="Average the scraped rent prices (strings like '$1,250') overall and per city.",
        reference="""listings["price"] = listings["price"].str.replace("$", "").str.replace(",", "").astype(float)
avg_price = listings["price"].mean()
by_city = listings.groupby("city")["price"].mean()
print(f"Average rent: {avg_price:.0f}")
print(by_city)
""",
    ),
    ExecCase(
        id="o-pd-date-format",
        setup="""import pandas as pd
visits = pd.DataFrame({"patient": ["A", "B", "C", "D"], "visit": ["03/15/2024", "04/02/2024", "04/28/2024", "05/09/2024"]})
""",
        cell="""visits["visit"] = pd.to_datetime(visits["visit"], format="%Y-%m-%d")
per_month = visits.groupby(visits["visit"].dt.month).size()
print(per_month)
""",
        raises="ValueError",
        check='str(visits["visit"].dtype).startswith("datetime64") and visits["visit"].dt.day.tolist() == [15, 2, 28, 9] and per_month.to_dict() == {3: 1, 4: 2, 5: 1}',
        intent="Parse the month/day/year visit dates and count visits per month.",
        reference="""visits["visit"] = pd.to_datetime(visits["visit"], format="%m/%d/%Y")
per_month = visits.groupby(visits["visit"].dt.month).size()
print(per_month)
""",
    ),
    ExecCase(
        id="o-pd-pivot-duplicates",
        setup="""import pandas as pd
sales = pd.DataFrame({
    "store": ["S1", "S1", "S1", "S2", "S2", "S2"],
    "month": ["Jan", "Jan", "Feb", "Jan", "Feb", "Feb"],
    "units": [10, 5, 7, 3, 4, 6],
})
""",
        cell="""table = sales.pivot(index="store", columns="month", values="units")
table["total"] = table.sum(axis=1)
print(table)
""",
        raises="ValueError",
        check='table.loc["S1", "Jan"] == 15 and table.loc["S1", "Feb"] == 7 and table.loc["S2", "Jan"] == 3 and table.loc["S2", "Feb"] == 10 and table["total"].to_dict() == {"S1": 22, "S2": 13}',
        intent="Build a store-by-month table of total units sold (summing repeated store/month rows) with a per-store total column.",
        reference="""table = sales.pivot_table(index="store", columns="month", values="units", aggfunc="sum")
table["total"] = table.sum(axis=1)
print(table)
""",
    ),
    ExecCase(
        id="o-pd-fillna-method",
        setup="""import pandas as pd
readings = pd.DataFrame({"hour": [0, 1, 2, 3, 4, 5], "temp": [21.5, None, None, 23.0, None, 22.0]})
""",
        cell="""readings["temp"] = readings["temp"].fillna(method="ffill")
print(readings)
peak = readings["temp"].max()
assert readings["temp"].notna().all()
""",
        raises="TypeError",
        check='readings["temp"].tolist() == [21.5, 21.5, 21.5, 23.0, 23.0, 22.0] and peak == 23.0',
        intent="Forward-fill the missing temperature readings with the last known value.",
        reference="""readings["temp"] = readings["temp"].ffill()
print(readings)
peak = readings["temp"].max()
assert readings["temp"].notna().all()
""",
    ),
    ExecCase(
        id="o-pd-dt-on-strings",
        setup="""import pandas as pd
rides = pd.DataFrame({"ride_id": [1, 2, 3, 4, 5], "start": ["2024-06-01 08:15", "2024-06-01 17:40", "2024-06-02 12:10", "2024-06-02 18:30", "2024-06-03 22:05"]})
""",
        cell="""rides["hour"] = rides["start"].dt.hour
rides["rush"] = rides["hour"].isin([7, 8, 9, 17, 18])
print(rides)
print(rides["rush"].sum(), "rides in rush hour")
""",
        raises="AttributeError",
        check='rides["hour"].tolist() == [8, 17, 12, 18, 22] and rides["rush"].tolist() == [True, True, False, True, False]',
        intent="Extract the starting hour of each ride and flag the rides that start in rush hour.",
        reference="""rides["start"] = pd.to_datetime(rides["start"])
rides["hour"] = rides["start"].dt.hour
rides["rush"] = rides["hour"].isin([7, 8, 9, 17, 18])
print(rides)
print(rides["rush"].sum(), "rides in rush hour")
""",
    ),
    ExecCase(
        id="o-pd-rename-list",
        setup="""import pandas as pd
raw = pd.DataFrame({"Unnamed: 0": ["Ann", "Bo", "Cy"], "Score (pts)": [88, 92, 79], "Grade Lvl": [10, 11, 10]})
""",
        cell="""clean = raw.rename(columns=["name", "score", "grade"])
top = clean.sort_values("score", ascending=False).iloc[0]["name"]
print(clean.head())
print("Top student:", top)
""",
        raises="TypeError",
        check='list(clean.columns) == ["name", "score", "grade"] and clean["name"].tolist() == ["Ann", "Bo", "Cy"] and clean["score"].tolist() == [88, 92, 79] and top == "Bo"',
        intent="Give the scraped table short column names (name, score, grade) and find the top-scoring student.",
        reference="""clean = raw.rename(columns={"Unnamed: 0": "name", "Score (pts)": "score", "Grade Lvl": "grade"})
top = clean.sort_values("score", ascending=False).iloc[0]["name"]
print(clean.head())
print("Top student:", top)
""",
    ),
    ExecCase(
        id="o-pd-query-space-column",
        setup="""import pandas as pd
products = pd.DataFrame({"product": ["mug", "lamp", "desk", "pen"], "unit price": [8.5, 32.0, 150.0, 1.2], "stock": [40, 12, 6, 500]})
""",
        cell="""pricey = products.query("unit price > 10 and stock > 5")
print(pricey)
value = (pricey["unit price"] * pricey["stock"]).sum()
print(value)
""",
        raises="SyntaxError",
        check='pricey["product"].tolist() == ["lamp", "desk"] and value == 1284.0',
        intent="Select products priced above 10 with more than 5 in stock and compute their stock value.",
        reference="""pricey = products.query("`unit price` > 10 and stock > 5")
print(pricey)
value = (pricey["unit price"] * pricey["stock"]).sum()
print(value)
""",
    ),
    ExecCase(
        id="o-pd-resample-month-alias",
        setup="""import pandas as pd
daily = pd.DataFrame({"date": pd.date_range("2024-01-29", periods=8, freq="D"), "revenue": [100, 120, 90, 110, 130, 95, 105, 140]})
""",
        cell="""monthly = daily.set_index("date")["revenue"].resample("M").sum()
print(monthly)
best = monthly.idxmax()
print("Best month:", best.strftime("%B"))
""",
        raises="ValueError",
        check='monthly.tolist() == [310, 580] and [d.month for d in monthly.index] == [1, 2] and best.month == 2',
        intent="Total the daily revenue per calendar month and report the best month.",
        reference="""monthly = daily.set_index("date")["revenue"].resample("ME").sum()
print(monthly)
best = monthly.idxmax()
print("Best month:", best.strftime("%B"))
""",
    ),
    ExecCase(
        id="o-pd-cut-labels",
        setup="""import pandas as pd
people = pd.DataFrame({"name": ["Ava", "Ben", "Cal", "Dee", "Eli"], "age": [12, 34, 70, 17, 45]})
""",
        cell="""people["group"] = pd.cut(people["age"], bins=[0, 17, 64], labels=["child", "adult", "senior"])
counts = people["group"].value_counts()
print(people)
print(counts)
""",
        raises="ValueError",
        check='people["group"].astype(str).tolist() == ["child", "adult", "senior", "child", "adult"] and counts["child"] == 2 and counts["adult"] == 2 and counts["senior"] == 1',
        intent="Label each person child (0-17), adult (18-64) or senior (65 and over) and count each group.",
        reference="""people["group"] = pd.cut(people["age"], bins=[0, 17, 64, 120], labels=["child", "adult", "senior"])
counts = people["group"].value_counts()
print(people)
print(counts)
""",
    ),
    ExecCase(
        id="o-pd-filter-precedence",
        setup="""import pandas as pd
staff = pd.DataFrame({"name": ["Ana", "Raj", "Lea", "Tom", "Mei"], "age": [45, 29, 38, 52, 33], "city": ["Paris", "Paris", "Lyon", "Paris", "Lyon"]})
""",
        cell="""senior_paris = staff[staff["age"] > 30 & staff["city"] == "Paris"]
print(senior_paris)
print(len(senior_paris), "people")
""",
        raises="TypeError",
        check='senior_paris["name"].tolist() == ["Ana", "Tom"]',
        intent="Select the staff who are over 30 and based in Paris.",
        reference="""senior_paris = staff[(staff["age"] > 30) & (staff["city"] == "Paris")]
print(senior_paris)
print(len(senior_paris), "people")
""",
    ),
    ExecCase(
        id="o-pd-drop-column-axis",
        setup="""import pandas as pd
survey = pd.DataFrame({"respondent": [1, 2, 3], "age": [23, 35, 41], "notes": ["n/a", "", "late"], "score": [7, 9, 6]})
""",
        cell="""survey = survey.drop("notes")
print(survey.columns.tolist())
avg = survey["score"].mean()
print(survey.describe())
""",
        raises="KeyError",
        check='survey.columns.tolist() == ["respondent", "age", "score"] and len(survey) == 3 and survey["score"].tolist() == [7, 9, 6] and abs(avg - 22 / 3) < 1e-9',
        intent="Remove the free-text notes column from the survey and summarise the remaining numeric columns.",
        reference="""survey = survey.drop(columns="notes")
print(survey.columns.tolist())
avg = survey["score"].mean()
print(survey.describe())
""",
    ),
    # ---------------------------------------------------------------- numpy
    ExecCase(
        id="o-np-float-alias",
        setup="""import numpy as np
heights_cm = [172, 165, 181, 158, 177]
weights_kg = [68, 59, 85, 52, 74]
""",
        cell="""h = np.array(heights_cm, dtype=np.float_) / 100
bmi = np.array(weights_kg) / h**2
print(h.mean().round(3), bmi.round(1))
""",
        raises="AttributeError",
        check='h.dtype == np.float64 and np.allclose(h, [1.72, 1.65, 1.81, 1.58, 1.77]) and np.allclose(bmi, np.array([68, 59, 85, 52, 74]) / np.array([1.72, 1.65, 1.81, 1.58, 1.77]) ** 2)',
        intent="Convert heights to metres as floats and compute each person's BMI.",
        reference="""h = np.array(heights_cm, dtype=np.float64) / 100
bmi = np.array(weights_kg) / h**2
print(h.mean().round(3), bmi.round(1))
""",
    ),
    ExecCase(
        id="o-np-center-rows",
        setup="""import numpy as np
scores = np.array([[70, 80, 90, 60], [55, 65, 75, 85], [90, 92, 94, 96]], dtype=float)
""",
        cell="""centered = scores - scores.mean(axis=1)
print(centered)
assert np.allclose(centered.mean(axis=1), 0)
""",
        raises="ValueError",
        check='centered.shape == (3, 4) and np.allclose(centered, [[-5, 5, 15, -15], [-15, -5, 5, 15], [-3, -1, 1, 3]])',
        intent="Subtract each student's (row's) mean score from that student's scores.",
        reference="""centered = scores - scores.mean(axis=1, keepdims=True)
print(centered)
assert np.allclose(centered.mean(axis=1), 0)
""",
    ),
    ExecCase(
        id="o-np-histogram-normed",
        setup="""import numpy as np
waits = np.array([1.2, 2.5, 3.1, 0.8, 4.6, 2.2, 3.9, 1.7, 2.9, 3.3])
""",
        cell="""density, edges = np.histogram(waits, bins=4, range=(0, 5), normed=True)
widths = np.diff(edges)
print(density, (density * widths).sum())
""",
        raises="TypeError",
        check='np.allclose(edges, [0, 1.25, 2.5, 3.75, 5]) and np.allclose(density, [0.16, 0.16, 0.32, 0.16])',
        intent="Compute a probability-density histogram of the waiting times over four bins from 0 to 5.",
        reference="""density, edges = np.histogram(waits, bins=4, range=(0, 5), density=True)
widths = np.diff(edges)
print(density, (density * widths).sum())
""",
    ),
    ExecCase(
        id="o-np-nan-into-int-array",
        setup="""import numpy as np
readings = np.array([12, 15, 999, 14, 13, 999, 16])
""",
        cell="""readings[readings == 999] = np.nan
avg = np.nanmean(readings)
print(readings, avg)
""",
        raises="ValueError",
        check='readings.dtype.kind == "f" and readings.shape == (7,) and np.isnan(readings[[2, 5]]).all() and np.allclose(readings[[0, 1, 3, 4, 6]], [12, 15, 14, 13, 16]) and avg == 14.0',
        intent="Mark the 999 error codes as missing (NaN) and average the valid sensor readings.",
        reference="""readings = readings.astype(float)
readings[readings == 999] = np.nan
avg = np.nanmean(readings)
print(readings, avg)
""",
    ),
    ExecCase(
        id="o-np-median-float-index",
        setup="""import numpy as np
rt = np.array([340, 290, 410, 385, 300, 520, 275])
""",
        cell="""ordered = np.sort(rt)
median = ordered[len(ordered) / 2]
print("median reaction time:", median)
assert median == np.median(rt)
""",
        raises="IndexError",
        check='median == 340 and list(ordered) == [275, 290, 300, 340, 385, 410, 520]',
        intent="Find the median reaction time by taking the middle element of the sorted array.",
        reference="""ordered = np.sort(rt)
median = ordered[len(ordered) // 2]
print("median reaction time:", median)
assert median == np.median(rt)
""",
    ),
    ExecCase(
        id="o-np-quarterly-axis",
        setup="""import numpy as np
monthly = np.array([12, 15, 11, 20, 22, 18, 25, 24, 19, 14, 13, 17])
""",
        cell="""quarterly = monthly.sum(axis=1)
best_q = int(np.argmax(quarterly)) + 1
print(quarterly, "best quarter: Q%d" % best_q)
""",
        raises="AxisError",
        check='list(quarterly) == [38, 60, 68, 44] and best_q == 3',
        intent="Sum the twelve monthly sales into four quarterly totals and find the best quarter.",
        reference="""quarterly = monthly.reshape(4, 3).sum(axis=1)
best_q = int(np.argmax(quarterly)) + 1
print(quarterly, "best quarter: Q%d" % best_q)
""",
    ),
    ExecCase(
        id="o-np-concatenate-args",
        setup="""import numpy as np
week1 = np.array([5.0, 6.5, 7.2])
week2 = np.array([6.1, 5.8, 8.0, 7.7])
""",
        cell="""all_runs = np.concatenate(week1, week2)
print(all_runs.size, "runs, mean", all_runs.mean().round(2))
longest = all_runs.max()
""",
        raises="TypeError",
        check='all_runs.shape == (7,) and np.allclose(all_runs, [5.0, 6.5, 7.2, 6.1, 5.8, 8.0, 7.7]) and longest == 8.0',
        intent="Join the two weeks of run distances into one array and find the longest run.",
        reference="""all_runs = np.concatenate([week1, week2])
print(all_runs.size, "runs, mean", all_runs.mean().round(2))
longest = all_runs.max()
""",
    ),
    # ---------------------------------------------------------------- plain Python
    ExecCase(
        id="o-py-dict-del-in-loop",
        setup="""stock = {"apples": 5, "pears": 0, "plums": 12, "kiwis": 0, "figs": 3}
""",
        cell="""for fruit in stock:
    if stock[fruit] == 0:
        del stock[fruit]
print(stock)
print(len(stock), "fruits in stock")
""",
        raises="RuntimeError",
        check='stock == {"apples": 5, "plums": 12, "figs": 3}',
        intent="Remove the fruits whose stock count is zero from the dictionary.",
        reference="""for fruit in list(stock):
    if stock[fruit] == 0:
        del stock[fruit]
print(stock)
print(len(stock), "fruits in stock")
""",
    ),
    ExecCase(
        id="o-py-fstring-float-spec",
        setup="""row = {"item": "coffee beans", "price": "12.5", "qty": "3"}
""",
        cell="""label = f"{row['item']}: ${row['price']:.2f} x {row['qty']}"
total = float(row["price"]) * int(row["qty"])
print(label)
print(f"Total: ${total:.2f}")
""",
        raises="ValueError",
        check='label == "coffee beans: $12.50 x 3" and total == 37.5',
        intent="Format a receipt line showing the price with two decimals, and compute the line total.",
        reference="""label = f"{row['item']}: ${float(row['price']):.2f} x {row['qty']}"
total = float(row["price"]) * int(row["qty"])
print(label)
print(f"Total: ${total:.2f}")
""",
    ),
    ExecCase(
        id="o-py-strptime-format",
        setup="""from datetime import datetime
log = ["2024-03-15 14:30", "2024-03-15 16:05", "2024-03-16 09:45"]
""",
        cell="""times = [datetime.strptime(s, "%Y-%m-%d") for s in log]
afternoon = [t for t in times if t.hour >= 12]
print(len(afternoon), "afternoon entries")
""",
        raises="ValueError",
        check='[(t.day, t.hour, t.minute) for t in times] == [(15, 14, 30), (15, 16, 5), (16, 9, 45)] and len(afternoon) == 2',
        intent="Parse the timestamped log entries (date and time) and count those from the afternoon.",
        reference="""times = [datetime.strptime(s, "%Y-%m-%d %H:%M") for s in log]
afternoon = [t for t in times if t.hour >= 12]
print(len(afternoon), "afternoon entries")
""",
    ),
    ExecCase(
        id="o-py-sort-returns-none",
        setup="""scores = [72, 95, 88, 61, 99, 84]
""",
        cell="""top3 = scores.sort(reverse=True)[:3]
print("Top three:", top3)
print("Average of top three:", sum(top3) / 3)
""",
        raises="TypeError",
        check='top3 == [99, 95, 88]',
        intent="Take the three highest scores, largest first.",
        reference="""top3 = sorted(scores, reverse=True)[:3]
print("Top three:", top3)
print("Average of top three:", sum(top3) / 3)
""",
    ),
    ExecCase(
        id="o-py-super-init-args",
        setup="""class Person:
    def __init__(self, name, age):
        self.name = name
        self.age = age

    def greet(self):
        return f"Hi, I'm {self.name}"
""",
        cell="""class Student(Person):
    def __init__(self, name, age, school):
        super().__init__()
        self.school = school
s = Student("Maya", 19, "MIT")
print(s.greet(), "from", s.school, "aged", s.age)
""",
        raises="TypeError",
        check='isinstance(s, Person) and s.name == "Maya" and s.age == 19 and s.school == "MIT" and s.greet() == "Hi, I\'m Maya"',
        intent="Define a Student subclass that reuses Person's initialiser for name and age and adds a school.",
        reference="""class Student(Person):
    def __init__(self, name, age, school):
        super().__init__(name, age)
        self.school = school
s = Student("Maya", 19, "MIT")
print(s.greet(), "from", s.school, "aged", s.age)
""",
    ),
    ExecCase(
        id="o-py-json-python-repr",
        setup="""import json
payload = "{'user': 'kim', 'items': [3, 5, 8], 'active': True}"
""",
        cell="""data = json.loads(payload)
total = sum(data["items"])
print(data["user"], total)
""",
        raises="JSONDecodeError",
        check='data == {"user": "kim", "items": [3, 5, 8], "active": True} and total == 16',
        intent="Parse the logged dictionary string (a Python repr, not JSON) and total its items.",
        reference="""import ast
data = ast.literal_eval(payload)
total = sum(data["items"])
print(data["user"], total)
""",
    ),
    ExecCase(
        id="o-py-timedelta-hours",
        setup="""from datetime import datetime
shifts = [("2024-05-01 09:00", "2024-05-01 17:30"), ("2024-05-02 22:00", "2024-05-03 06:15")]
""",
        cell="""hours = []
for start, end in shifts:
    delta = datetime.fromisoformat(end) - datetime.fromisoformat(start)
    hours.append(delta.hours)
print(hours, "total:", sum(hours))
""",
        raises="AttributeError",
        check='hours == [8.5, 8.25]',
        intent="Compute the length of each shift in hours (as a decimal number).",
        reference="""hours = []
for start, end in shifts:
    delta = datetime.fromisoformat(end) - datetime.fromisoformat(start)
    hours.append(delta.total_seconds() / 3600)
print(hours, "total:", sum(hours))
""",
    ),
    ExecCase(
        id="o-py-word-count-keyerror",
        setup="""text = "the cat sat on the mat the end"
""",
        cell="""counts = {}
for word in text.split():
    counts[word] += 1
most_common = max(counts, key=counts.get)
print(most_common, counts[most_common])
""",
        raises="KeyError",
        check='counts == {"the": 3, "cat": 1, "sat": 1, "on": 1, "mat": 1, "end": 1} and most_common == "the"',
        intent="Count how often each word occurs and find the most common word.",
        reference="""counts = {}
for word in text.split():
    counts[word] = counts.get(word, 0) + 1
most_common = max(counts, key=counts.get)
print(most_common, counts[most_common])
""",
    ),
    ExecCase(
        id="o-py-unbound-counter",
        setup="""total_calls = 0
prices = [4.0, 2.5, 10.0]
""",
        cell="""def with_tax(price):
    total_calls += 1
    return round(price * 1.2, 2)
taxed = [with_tax(p) for p in prices]
print(taxed, "calls:", total_calls)
""",
        raises="UnboundLocalError",
        check='taxed == [4.8, 3.0, 12.0] and total_calls == 3',
        intent="Add 20% tax to each price while counting how many times the helper was called in the global counter.",
        reference="""def with_tax(price):
    global total_calls
    total_calls += 1
    return round(price * 1.2, 2)
taxed = [with_tax(p) for p in prices]
print(taxed, "calls:", total_calls)
""",
    ),
    ExecCase(
        id="o-py-format-missing-arg",
        setup="""students = [("Lina", 91), ("Omar", 78), ("Zoe", 85)]
""",
        cell=r"""lines = []
for name, mark in students:
    lines.append("{} scored {} points".format(name))
report = "\n".join(lines)
print(report)
""",
        raises="IndexError",
        check='report == "Lina scored 91 points\\nOmar scored 78 points\\nZoe scored 85 points"',
        intent="Build a report with one 'NAME scored MARK points' line per student.",
        reference=r"""lines = []
for name, mark in students:
    lines.append("{} scored {} points".format(name, mark))
report = "\n".join(lines)
print(report)
""",
    ),
)
