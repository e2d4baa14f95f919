"""Fresh execution-graded cases, set E: 30 notebook errors (12 pandas, 8 numpy, 10 Python/standard library), written blind.

Topics: string cleaning, resampling, groupby shares, categoricals, missing values, boolean masks, pivoting,
sorting with keys, melting, merge key dtypes, datetime accessors, string splitting; numpy broadcasting,
float indices, dtype casting, seeded sampling, least squares, np.select, argsort, np.add.at; generators,
dictionaries of lists, timedeltas, JSON lines, properties, scoping, itertools, next(), imports, parsing.
Several cases have a tempting quick fix that runs but computes the wrong thing; their checks reject it.
"""

from bench.exec_case import ExecCase

CASES: tuple[ExecCase, ...] = (
    # ---------------------------------------------------------------- pandas
    ExecCase(
        id="e-pd-price-string-clean",
        setup=r'''
import pandas as pd
orders = pd.DataFrame({"item": ["desk", "chair", "lamp", "shelf"],
                       "price": ["$1,200.50", " $85.00", "$42.25 ", "$310"]})
''',
        cell=r'''orders["price_num"] = orders["price"].astype(float)
total = orders["price_num"].sum()
expensive = orders.loc[orders["price_num"] > 100, "item"].tolist()
print(total, expensive)''',
        raises="ValueError",
        check='abs(total - 1637.75) < 1e-9 and expensive == ["desk", "shelf"] and orders["price_num"].tolist() == [1200.5, 85.0, 42.25, 310.0]',
        intent="Parse the currency strings (dollar sign, thousands comma, stray spaces) into numbers, total them, and list items over $100.",
        reference=r'''orders["price_num"] = orders["price"].str.strip().str.replace("$", "", regex=False).str.replace(",", "", regex=False).astype(float)
total = orders["price_num"].sum()
expensive = orders.loc[orders["price_num"] > 100, "item"].tolist()
print(total, expensive)''',
    ),
    ExecCase(
        id="e-pd-resample-string-dates",
        setup=r'''
import pandas as pd
visits = pd.DataFrame({"day": ["2024-03-04", "2024-03-05", "2024-03-08", "2024-03-11", "2024-03-13", "2024-03-19"],
                       "visitors": [120, 95, 130, 80, 110, 140]})
''',
        cell=r'''weekly = visits.resample("W-SUN", on="day")["visitors"].sum()
busiest_week = weekly.idxmax()
print(weekly)''',
        raises="TypeError",
        check='[int(v) for v in weekly.tolist()] == [345, 190, 140] and str(pd.Timestamp(busiest_week).date()) == "2024-03-10"',
        intent="Total the visitors per calendar week (weeks ending Sunday) and find the week with the most visitors.",
        reference=r'''visits["day"] = pd.to_datetime(visits["day"])
weekly = visits.resample("W-SUN", on="day")["visitors"].sum()
busiest_week = weekly.idxmax()
print(weekly)''',
    ),
    ExecCase(
        id="e-pd-groupby-share-of-total",
        setup=r'''
import pandas as pd
sales = pd.DataFrame({"region": ["north", "south", "north", "east", "south", "north"],
                      "amount": [200, 150, 300, 400, 50, 500]})
''',
        cell=r'''region_total = sales.groupby("region")["amount"].sum()
sales["share"] = sales["amount"].values / region_total.values
top_share = sales.loc[sales["share"].idxmax(), "region"]''',
        raises="ValueError",
        check='sales["share"].round(6).tolist() == [0.2, 0.75, 0.3, 1.0, 0.25, 0.5] and top_share == "east"',
        intent="Give every sale its share of its own region's total amount and find the region of the largest share.",
        reference=r'''region_total = sales.groupby("region")["amount"].sum()
sales["share"] = sales["amount"] / sales.groupby("region")["amount"].transform("sum")
top_share = sales.loc[sales["share"].idxmax(), "region"]''',
    ),
    ExecCase(
        id="e-pd-categorical-new-level",
        setup=r'''
import pandas as pd
shirts = pd.DataFrame({"sku": ["a1", "a2", "a3", "a4", "a5"],
                       "size": pd.Categorical(["S", "M", "L", "XL", "M"], categories=["S", "M", "L", "XL"], ordered=True),
                       "chest_cm": [88, 96, 104, 118, 97]})
''',
        cell=r'''shirts.loc[shirts["chest_cm"] > 115, "size"] = "XXL"
counts = shirts["size"].value_counts()
print(counts)''',
        raises="TypeError",
        check='shirts["size"].astype(str).tolist() == ["S", "M", "L", "XXL", "M"] and int(counts["XXL"]) == 1 and int(counts["M"]) == 2',
        intent="Relabel the shirts with a chest over 115 cm as size XXL and count the shirts per size.",
        reference=r'''shirts["size"] = shirts["size"].cat.add_categories(["XXL"])
shirts.loc[shirts["chest_cm"] > 115, "size"] = "XXL"
counts = shirts["size"].value_counts()
print(counts)''',
    ),
    ExecCase(
        id="e-pd-fill-na-text-placeholder",
        setup=r'''
import pandas as pd
survey = pd.DataFrame({"respondent": [1, 2, 3, 4, 5, 6],
                       "score": [8.0, "n/a", 9.0, 6.0, "n/a", 5.0]})
''',
        cell=r'''mean_score = survey["score"].mean()
survey["score_filled"] = survey["score"].fillna(mean_score)
print(survey)''',
        raises="TypeError",
        check='mean_score == 7.0 and [float(v) for v in survey["score_filled"]] == [8.0, 7.0, 9.0, 6.0, 7.0, 5.0]',
        intent="Treat the 'n/a' answers as missing and fill them with the mean of the real scores (7.0).",
        reference=r'''survey["score"] = pd.to_numeric(survey["score"], errors="coerce")
mean_score = survey["score"].mean()
survey["score_filled"] = survey["score"].fillna(mean_score)
print(survey)''',
    ),
    ExecCase(
        id="e-pd-mask-operator-precedence",
        setup=r'''
import pandas as pd
staff = pd.DataFrame({"name": ["ana", "ben", "cho", "dev", "eli"],
                      "age": [25, 41, 33, 52, 29],
                      "city": ["Oslo", "Bergen", "Oslo", "Oslo", "Bergen"]})
''',
        cell=r'''picked = staff[staff["age"] > 30 & staff["city"] == "Oslo"]
names = picked["name"].tolist()
print(names)''',
        raises="TypeError",
        check='names == ["cho", "dev"]',
        intent="Select the staff who are over 30 and live in Oslo.",
        reference=r'''picked = staff[(staff["age"] > 30) & (staff["city"] == "Oslo")]
names = picked["name"].tolist()
print(names)''',
    ),
    ExecCase(
        id="e-pd-pivot-duplicate-entries",
        setup=r'''
import pandas as pd
tx = pd.DataFrame({"store": ["A", "A", "B", "A", "B", "B"],
                   "month": ["Jan", "Jan", "Jan", "Feb", "Feb", "Feb"],
                   "sales": [100, 50, 80, 120, 60, 40]})
''',
        cell=r'''table = tx.pivot(index="store", columns="month", values="sales")
feb_b = table.loc["B", "Feb"]
print(table)''',
        raises="ValueError",
        check='table.loc["A", "Jan"] == 150 and table.loc["A", "Feb"] == 120 and table.loc["B", "Jan"] == 80 and table.loc["B", "Feb"] == 100 and feb_b == 100',
        intent="Build a store-by-month table of total sales (several transactions per store and month are summed).",
        reference=r'''table = tx.pivot_table(index="store", columns="month", values="sales", aggfunc="sum")
feb_b = table.loc["B", "Feb"]
print(table)''',
    ),
    ExecCase(
        id="e-pd-sort-custom-order-cat",
        setup=r'''
import pandas as pd
tickets = pd.DataFrame({"id": [101, 102, 103, 104, 105],
                        "priority": ["low", "high", "medium", "high", "low"]})
''',
        cell=r'''tickets["priority"] = tickets["priority"].cat.set_categories(["high", "medium", "low"], ordered=True)
ordered = tickets.sort_values("priority")
queue = ordered["id"].tolist()
print(queue)''',
        raises="AttributeError",
        check='len(queue) == 5 and sorted(queue[:2]) == [102, 104] and queue[2] == 103 and sorted(queue[3:]) == [101, 105]',
        intent="Order the tickets high, then medium, then low priority (not alphabetically) and list their ids in that order.",
        reference=r'''tickets["priority"] = pd.Categorical(tickets["priority"], categories=["high", "medium", "low"], ordered=True)
ordered = tickets.sort_values("priority")
queue = ordered["id"].tolist()
print(queue)''',
    ),
    ExecCase(
        id="e-pd-melt-column-case",
        setup=r'''
import pandas as pd
grades = pd.DataFrame({"student": ["kim", "lee", "max"],
                       "Q1": [70, 85, 90], "Q2": [75, 80, 95], "Q3": [60, 90, 85]})
''',
        cell=r'''long = grades.melt(id_vars="student", value_vars=["q1", "q2", "q3"], var_name="quarter", value_name="grade")
quarter_mean = long.groupby("quarter")["grade"].mean()
print(quarter_mean)''',
        raises="KeyError",
        check='len(long) == 9 and [round(float(v), 4) for v in quarter_mean.tolist()] == [81.6667, 83.3333, 78.3333]',
        intent="Reshape the wide quarterly grades into long form and average the grade per quarter.",
        reference=r'''long = grades.melt(id_vars="student", value_vars=["Q1", "Q2", "Q3"], var_name="quarter", value_name="grade")
quarter_mean = long.groupby("quarter")["grade"].mean()
print(quarter_mean)''',
    ),
    ExecCase(
        id="e-pd-merge-key-dtype-mismatch",
        setup=r'''
import pandas as pd
purchases = pd.DataFrame({"customer_id": [1, 2, 2, 3], "total": [30.0, 12.5, 7.5, 40.0]})
customers = pd.DataFrame({"customer_id": ["1", "2", "3"], "name": ["ada", "bo", "cy"]})
''',
        cell=r'''joined = purchases.merge(customers, on="customer_id", how="left")
spend = joined.groupby("name")["total"].sum()
print(spend)''',
        raises="ValueError",
        check='len(joined) == 4 and {k: float(v) for k, v in spend.items()} == {"ada": 30.0, "bo": 20.0, "cy": 40.0}',
        intent="Attach each purchase to its customer's name and total the spending per customer.",
        reference=r'''customers["customer_id"] = customers["customer_id"].astype(int)
joined = purchases.merge(customers, on="customer_id", how="left")
spend = joined.groupby("name")["total"].sum()
print(spend)''',
    ),
    ExecCase(
        id="e-pd-dt-accessor-on-strings",
        setup=r'''
import pandas as pd
log = pd.DataFrame({"ts": ["2024-05-01 08:15", "2024-05-01 09:40", "2024-05-01 08:55", "2024-05-02 17:05", "2024-05-02 08:30"],
                    "user": ["u1", "u2", "u3", "u1", "u2"]})
''',
        cell=r'''log["hour"] = log["ts"].dt.hour
per_hour = log["hour"].value_counts().sort_index()
peak_hour = per_hour.idxmax()''',
        raises="AttributeError",
        check='{int(k): int(v) for k, v in per_hour.items()} == {8: 3, 9: 1, 17: 1} and int(peak_hour) == 8',
        intent="Count the log events per hour of the day and find the busiest hour.",
        reference=r'''log["hour"] = pd.to_datetime(log["ts"]).dt.hour
per_hour = log["hour"].value_counts().sort_index()
peak_hour = per_hour.idxmax()''',
    ),
    ExecCase(
        id="e-pd-str-split-element",
        setup=r'''
import pandas as pd
emails = pd.Series(["ana@uio.no", "ben@gmail.com", "cy@uio.no", "dee@yahoo.com"],
                   index=["ana", "ben", "cy", "dee"])
''',
        cell=r'''domains = emails.str.split("@")[1]
domain_counts = domains.value_counts()
print(domain_counts)''',
        raises="KeyError",
        check='{k: int(v) for k, v in domain_counts.items()} == {"uio.no": 2, "gmail.com": 1, "yahoo.com": 1} and list(domains) == ["uio.no", "gmail.com", "uio.no", "yahoo.com"]',
        intent="Take the domain part of every e-mail address and count the addresses per domain.",
        reference=r'''domains = emails.str.split("@").str[1]
domain_counts = domains.value_counts()
print(domain_counts)''',
    ),
    # ---------------------------------------------------------------- numpy
    ExecCase(
        id="e-np-center-rows-broadcast",
        setup=r'''
import numpy as np
ratings = np.array([[4.0, 5.0, 3.0, 4.0],
                    [2.0, 3.0, 2.0, 1.0],
                    [5.0, 5.0, 4.0, 2.0]])
''',
        cell=r'''user_means = ratings.mean(axis=1)
centered = ratings - user_means
print(centered.round(2))''',
        raises="ValueError",
        check='bool(centered.shape == (3, 4) and np.allclose(centered, [[0, 1, -1, 0], [0, 1, 0, -1], [1, 1, 0, -2]]))',
        intent="Subtract each user's (row's) mean rating from that user's ratings.",
        reference=r'''user_means = ratings.mean(axis=1)
centered = ratings - user_means[:, None]
print(centered.round(2))''',
    ),
    ExecCase(
        id="e-np-float-index-median",
        setup=r'''
import numpy as np
signal = np.array([3, 8, 1, 9, 4, 7, 2, 6])
''',
        cell=r'''sorted_sig = np.sort(signal)
n = len(sorted_sig)
median = (sorted_sig[n / 2 - 1] + sorted_sig[n / 2]) / 2
print(median)''',
        raises="IndexError",
        check='bool(median == 5.0)',
        intent="Compute the median of the even-length signal by averaging the two middle sorted values.",
        reference=r'''sorted_sig = np.sort(signal)
n = len(sorted_sig)
median = (sorted_sig[n // 2 - 1] + sorted_sig[n // 2]) / 2
print(median)''',
    ),
    ExecCase(
        id="e-np-astype-int-decimal-strings",
        setup=r'''
import numpy as np
raw = ["12.5", "7", "3.25", "10"]
''',
        cell=r'''readings = np.array(raw).astype(int)
total = readings.sum()
mean = readings.mean()''',
        raises="ValueError",
        check='bool(total == 32.75 and mean == 8.1875)',
        intent="Convert the text readings (some with decimals) to numbers and compute their total and mean without losing the fractions.",
        reference=r'''readings = np.array(raw).astype(float)
total = readings.sum()
mean = readings.mean()''',
    ),
    ExecCase(
        id="e-np-bootstrap-choice-replace",
        setup=r'''
import numpy as np
heights = np.array([160, 172, 168, 181, 175])
''',
        cell=r'''rng = np.random.default_rng(7)
boot = rng.choice(heights, size=10, replace=False)
boot_mean = boot.mean()''',
        raises="ValueError",
        check='bool(np.array_equal(boot, np.random.default_rng(7).choice(heights, size=10, replace=True)) and boot_mean == boot.mean())',
        intent="Draw a seeded bootstrap sample of 10 heights (sampling with replacement) and take its mean.",
        reference=r'''rng = np.random.default_rng(7)
boot = rng.choice(heights, size=10, replace=True)
boot_mean = boot.mean()''',
    ),
    ExecCase(
        id="e-np-solve-nonsquare-fit",
        setup=r'''
import numpy as np
x = np.array([0.0, 1.0, 2.0, 3.0, 4.0])
y = np.array([1.0, 3.0, 5.0, 7.0, 9.0])
''',
        cell=r'''X = np.column_stack([np.ones_like(x), x])
coef = np.linalg.solve(X, y)
intercept, slope = coef
print(intercept, slope)''',
        raises="LinAlgError",
        check='bool(np.isclose(intercept, 1.0) and np.isclose(slope, 2.0))',
        intent="Fit the straight line y = intercept + slope * x to the five points by least squares.",
        reference=r'''X = np.column_stack([np.ones_like(x), x])
coef = np.linalg.lstsq(X, y, rcond=None)[0]
intercept, slope = coef
print(intercept, slope)''',
    ),
    ExecCase(
        id="e-np-select-default-dtype",
        setup=r'''
import numpy as np
temps = np.array([-5, 3, 12, 25, 31, 18])
''',
        cell=r'''labels = np.select([temps < 0, temps < 15, temps < 28], ["freezing", "cold", "mild"], default=0)
hot_days = int((labels == "hot").sum())
print(labels, hot_days)''',
        raises="TypeError",
        check='list(labels) == ["freezing", "cold", "cold", "mild", "hot", "mild"] and hot_days == 1',
        intent="Label each temperature freezing/cold/mild, and 'hot' for everything from 28 up, then count the hot days.",
        reference=r'''labels = np.select([temps < 0, temps < 15, temps < 28], ["freezing", "cold", "mild"], default="hot")
hot_days = int((labels == "hot").sum())
print(labels, hot_days)''',
    ),
    ExecCase(
        id="e-np-argsort-index-python-list",
        setup=r'''
import numpy as np
names = ["ana", "ben", "cho", "dev", "eli", "fay"]
scores = np.array([88, 95, 70, 99, 85, 91])
''',
        cell=r'''order = np.argsort(-scores)
top3 = names[order[:3]]
print(top3)''',
        raises="TypeError",
        check='list(top3) == ["dev", "ben", "fay"]',
        intent="List the names of the three highest scorers, best first.",
        reference=r'''order = np.argsort(-scores)
top3 = np.array(names)[order[:3]]
print(top3)''',
    ),
    ExecCase(
        id="e-np-add-at-one-based",
        setup=r'''
import numpy as np
stars = np.array([5, 3, 4, 5, 1, 2, 5, 4])
''',
        cell=r'''counts = np.zeros(5, dtype=int)
np.add.at(counts, stars, 1)
share_five = counts[-1] / counts.sum()''',
        raises="IndexError",
        check='bool(list(counts[-5:]) == [1, 1, 1, 2, 3] and share_five == 3 / 8)',
        intent="Count how many reviews gave 1, 2, 3, 4 and 5 stars and the share of 5-star reviews.",
        reference=r'''counts = np.zeros(5, dtype=int)
np.add.at(counts, stars - 1, 1)
share_five = counts[-1] / counts.sum()''',
    ),
    # ---------------------------------------------------------------- Python / standard library
    ExecCase(
        id="e-py-generator-consumed-twice",
        setup=r'''
readings = [12.0, 15.5, 9.5, 13.0]
''',
        cell=r'''valid = (r for r in readings if r > 10)
total = sum(valid)
count = sum(1 for _ in valid)
average = total / count
print(average)''',
        raises="ZeroDivisionError",
        check='total == 40.5 and count == 3 and average == 13.5',
        intent="Average the readings above 10 (12.0, 15.5, 13.0).",
        reference=r'''valid = [r for r in readings if r > 10]
total = sum(valid)
count = sum(1 for _ in valid)
average = total / count
print(average)''',
    ),
    ExecCase(
        id="e-py-dict-of-lists-missing-key",
        setup=r'''
enrollments = [("ana", "math"), ("ben", "bio"), ("cho", "math"), ("dev", "chem"), ("eli", "bio"), ("fay", "math")]
''',
        cell=r'''by_course = {}
for student, course in enrollments:
    by_course[course].append(student)
sizes = {c: len(s) for c, s in by_course.items()}''',
        raises="KeyError",
        check='dict(by_course) == {"math": ["ana", "cho", "fay"], "bio": ["ben", "eli"], "chem": ["dev"]} and sizes == {"math": 3, "bio": 2, "chem": 1}',
        intent="Group the students by course into lists and count the students in each course.",
        reference=r'''by_course = {}
for student, course in enrollments:
    by_course.setdefault(course, []).append(student)
sizes = {c: len(s) for c, s in by_course.items()}''',
    ),
    ExecCase(
        id="e-py-timedelta-hours-attr",
        setup=r'''
from datetime import datetime
shifts = [("2024-06-01 22:00", "2024-06-02 06:30"),
          ("2024-06-03 09:00", "2024-06-03 17:15"),
          ("2024-06-04 20:00", "2024-06-06 08:00")]
''',
        cell=r'''fmt = "%Y-%m-%d %H:%M"
hours = []
for start, end in shifts:
    delta = datetime.strptime(end, fmt) - datetime.strptime(start, fmt)
    hours.append(delta.hours)
total_hours = sum(hours)''',
        raises="AttributeError",
        check='hours == [8.5, 8.25, 36.0] and total_hours == 52.75',
        intent="Compute each shift's length in hours (one spans more than a day) and the total hours worked.",
        reference=r'''fmt = "%Y-%m-%d %H:%M"
hours = []
for start, end in shifts:
    delta = datetime.strptime(end, fmt) - datetime.strptime(start, fmt)
    hours.append(delta.total_seconds() / 3600)
total_hours = sum(hours)''',
    ),
    ExecCase(
        id="e-py-json-lines-extra-data",
        setup=r'''
import json
payload = '{"id": 1, "tags": ["a", "b"]}\n{"id": 2, "tags": []}\n{"id": 3, "tags": ["b"]}\n'
''',
        cell=r'''records = json.loads(payload)
tag_counts = {}
for rec in records:
    for t in rec["tags"]:
        tag_counts[t] = tag_counts.get(t, 0) + 1
n_records = len(records)''',
        raises="JSONDecodeError",
        check='n_records == 3 and tag_counts == {"a": 1, "b": 2}',
        intent="Parse the newline-delimited JSON records and count how often each tag occurs.",
        reference=r'''records = [json.loads(line) for line in payload.splitlines() if line.strip()]
tag_counts = {}
for rec in records:
    for t in rec["tags"]:
        tag_counts[t] = tag_counts.get(t, 0) + 1
n_records = len(records)''',
    ),
    ExecCase(
        id="e-py-property-called",
        setup=r'''
import math

class Circle:
    def __init__(self, r):
        self.r = r

    @property
    def area(self):
        return math.pi * self.r ** 2

shapes = [Circle(1), Circle(2), Circle(0.5)]
''',
        cell=r'''areas = [round(s.area(), 3) for s in shapes]
largest = max(areas)
print(areas, largest)''',
        raises="TypeError",
        check='areas == [3.142, 12.566, 0.785] and largest == 12.566',
        intent="List each circle's area rounded to 3 decimals and find the largest.",
        reference=r'''areas = [round(s.area, 3) for s in shapes]
largest = max(areas)
print(areas, largest)''',
    ),
    ExecCase(
        id="e-py-unbound-local-running-total",
        setup=r'''
prices = {"apple": 0.5, "bread": 2.25, "milk": 1.2}
basket = ["apple", "milk", "apple", "bread"]
''',
        cell=r'''total = 0
def add_to_total(item):
    total += prices[item]
for item in basket:
    add_to_total(item)
print(round(total, 2))''',
        raises="UnboundLocalError",
        check='abs(total - 4.45) < 1e-9',
        intent="Add up the price of every item in the basket into the running total.",
        reference=r'''total = 0
def add_to_total(item):
    global total
    total += prices[item]
for item in basket:
    add_to_total(item)
print(round(total, 2))''',
    ),
    ExecCase(
        id="e-py-itertools-chain-unpacked",
        setup=r'''
weekly_steps = [[8000, 9500, 7000], [12000, 6000], [10000, 11000, 9000, 8500]]
''',
        cell=r'''import itertools
all_days = list(itertools.chain(weekly_steps))
total = sum(all_days)
best_day = max(all_days)
print(total, best_day)''',
        raises="TypeError",
        check='total == 81000 and best_day == 12000 and len(all_days) == 9',
        intent="Flatten the weekly step lists into one list of days, then total the steps and find the best single day.",
        reference=r'''import itertools
all_days = list(itertools.chain(*weekly_steps))
total = sum(all_days)
best_day = max(all_days)
print(total, best_day)''',
    ),
    ExecCase(
        id="e-py-next-case-mismatch",
        setup=r'''
contacts = [{"name": "Alice", "phone": "555-0101"},
            {"name": "Bob", "phone": "555-0199"},
            {"name": "Carmen", "phone": "555-0123"}]
query = "bob"
''',
        cell=r'''match = next(c for c in contacts if c["name"] == query)
phone = match["phone"]
print(phone)''',
        raises="StopIteration",
        check='phone == "555-0199"',
        intent="Look up the phone number of the contact named by the query, ignoring upper/lower case.",
        reference=r'''match = next(c for c in contacts if c["name"].lower() == query.lower())
phone = match["phone"]
print(phone)''',
    ),
    ExecCase(
        id="e-py-module-not-imported",
        setup=r'''
lap_times = [61.2, 59.8, 60.5, 62.1, 58.9]
''',
        cell=r'''mean_lap = sum(lap_times) / len(lap_times)
spread = statistics.stdev(lap_times)
consistent = spread < 1.5
print(mean_lap, spread, consistent)''',
        raises="NameError",
        check='abs(spread - 1.2349089035228469) < 1e-9 and consistent is True and abs(mean_lap - 60.5) < 1e-9',
        intent="Compute the mean lap time and the sample standard deviation of the laps, and flag whether it is under 1.5 s.",
        reference=r'''import statistics
mean_lap = sum(lap_times) / len(lap_times)
spread = statistics.stdev(lap_times)
consistent = spread < 1.5
print(mean_lap, spread, consistent)''',
    ),
    ExecCase(
        id="e-py-config-lines-unpack",
        setup=r'''
config_text = "# training settings\nlr=0.01\n\nepochs=20\nbatch_size = 32\n"
''',
        cell=r'''settings = {}
for line in config_text.splitlines():
    key, value = line.split("=")
    settings[key.strip()] = float(value)
n_settings = len(settings)''',
        raises="ValueError",
        check='settings == {"lr": 0.01, "epochs": 20.0, "batch_size": 32.0} and n_settings == 3',
        intent="Parse the key=value lines of the config into a dict of floats, skipping the comment and blank lines.",
        reference=r'''settings = {}
for line in config_text.splitlines():
    if not line.strip() or line.lstrip().startswith("#"):
        continue
    key, value = line.split("=")
    settings[key.strip()] = float(value)
n_settings = len(settings)''',
    ),
)
