"""fresh_m: thirty execution-graded notebook errors (pandas, numpy, plain Python)."""

from __future__ import annotations

from bench.exec_case import ExecCase

CASES: tuple[ExecCase, ...] = (
    # ---------------------------------------------------------------- pandas
    ExecCase(
        id="m-pd-csv-padded-header",
        setup="""import io
import pandas as pd
raw = "item, price, qty\\nwidget, 2.50, 4\\ngadget, 12.00, 1\\ngizmo, 0.75, 12\\n"
df = pd.read_csv(io.StringIO(raw))
""",
        cell="""df["revenue"] = df["price"] * df["qty"]
total = df["revenue"].sum()
top = df.loc[df["revenue"].idxmax(), "item"]
print(f"total revenue {total:.2f}, best seller {top}")
""",
        raises="KeyError",
        check='abs(total - 31.0) < 1e-9 and top == "gadget" and df["revenue"].tolist() == [10.0, 12.0, 9.0]',
        intent="Compute revenue per row from price and quantity read from a CSV whose header has spaces after the commas.",
        reference="""df.columns = df.columns.str.strip()
df["revenue"] = df["price"] * df["qty"]
total = df["revenue"].sum()
top = df.loc[df["revenue"].idxmax(), "item"]
print(f"total revenue {total:.2f}, best seller {top}")
""",
    ),
    ExecCase(
        id="m-pd-currency-strings-mean",
        setup="""import pandas as pd
sales = pd.DataFrame({
    "region": ["north", "south", "east", "west"],
    "amount": ["$1,200.50", "$980.00", "$2,015.25", "$455.75"],
})
""",
        cell="""avg = sales["amount"].mean()
above = sales.loc[sales["amount"] > avg, "region"].tolist()
print(f"average sale ${avg:,.2f}; above average: {above}")
""",
        raises="TypeError",
        check='abs(avg - 1162.875) < 1e-9 and above == ["north", "east"]',
        intent="Average the dollar amounts (stored as formatted strings) and list the regions above that average.",
        reference="""sales["amount"] = sales["amount"].str.replace(r"[$,]", "", regex=True).astype(float)
avg = sales["amount"].mean()
above = sales.loc[sales["amount"] > avg, "region"].tolist()
print(f"average sale ${avg:,.2f}; above average: {above}")
""",
    ),
    ExecCase(
        id="m-pd-merge-zero-padded-key",
        setup="""import pandas as pd
orders = pd.DataFrame({"order_id": [101, 102, 103, 104], "cust_id": [7, 12, 7, 31],
                       "total": [25.0, 40.0, 15.5, 60.0]})
customers = pd.DataFrame({"cust_id": ["007", "012", "031"], "name": ["Ada", "Bo", "Cy"]})
""",
        cell="""merged = orders.merge(customers, on="cust_id", how="left")
spend = merged.groupby("name")["total"].sum()
print(spend)
""",
        raises="ValueError",
        check='spend.to_dict() == {"Ada": 40.5, "Bo": 40.0, "Cy": 60.0} and len(merged) == 4',
        intent="Join orders to customer names (customer ids are zero-padded strings in one table) and total the spend per customer.",
        reference="""customers["cust_id"] = customers["cust_id"].astype(int)
merged = orders.merge(customers, on="cust_id", how="left")
spend = merged.groupby("name")["total"].sum()
print(spend)
""",
    ),
    ExecCase(
        id="m-pd-dt-on-dayfirst-strings",
        setup="""import pandas as pd
visits = pd.DataFrame({
    "date": ["03/01/2024", "15/01/2024", "02/02/2024", "28/02/2024", "05/03/2024"],
    "visitors": [120, 95, 130, 80, 150],
})
""",
        cell="""visits["month"] = visits["date"].dt.month
monthly = visits.groupby("month")["visitors"].sum()
print(monthly)
""",
        raises="AttributeError",
        check="monthly.to_dict() == {1: 215, 2: 210, 3: 150}",
        intent="Total visitors per calendar month, the dates being day/month/year strings.",
        reference="""visits["date"] = pd.to_datetime(visits["date"], format="%d/%m/%Y")
visits["month"] = visits["date"].dt.month
monthly = visits.groupby("month")["visitors"].sum()
print(monthly)
""",
    ),
    ExecCase(
        id="m-pd-loc-two-columns-not-list",
        setup="""import pandas as pd
scores = pd.DataFrame({"name": ["ana", "ben", "cai", "dee"], "math": [88, 42, 75, 91],
                       "art": [70, 85, 60, 95]})
""",
        cell="""strong = scores.loc[scores["math"] > 70, "name", "math"]
print(strong)
mean_strong = strong["math"].mean()
""",
        raises="IndexingError",
        check=('list(strong.columns) == ["name", "math"] and strong["name"].tolist() == ["ana", "cai", "dee"] '
               'and abs(mean_strong - 254 / 3) < 1e-9'),
        intent="Select the name and math columns of students scoring above 70 in math, and their mean math score.",
        reference="""strong = scores.loc[scores["math"] > 70, ["name", "math"]]
print(strong)
mean_strong = strong["math"].mean()
""",
    ),
    ExecCase(
        id="m-pd-scalar-function-on-series",
        setup="""import pandas as pd
weather = pd.DataFrame({"city": ["Oslo", "Rome", "Cairo", "Lima"], "temp_c": [4.0, 18.5, 31.0, 22.0]})

def label(t):
    if t >= 25:
        return "hot"
    elif t >= 15:
        return "mild"
    return "cold"
""",
        cell="""weather["feel"] = label(weather["temp_c"])
counts = weather["feel"].value_counts()
print(weather)
""",
        raises="ValueError",
        check='weather["feel"].tolist() == ["cold", "mild", "hot", "mild"] and counts["mild"] == 2',
        intent="Label each city's temperature as hot, mild or cold with the existing per-value function.",
        reference="""weather["feel"] = weather["temp_c"].apply(label)
counts = weather["feel"].value_counts()
print(weather)
""",
    ),
    ExecCase(
        id="m-pd-series-sort-by-name",
        setup="""import pandas as pd
df = pd.DataFrame({"region": ["N", "S", "N", "E", "S", "E", "W"],
                   "sales": [120, 80, 60, 200, 90, 30, 150]})
""",
        cell="""totals = df.groupby("region")["sales"].sum()
ranked = totals.sort_values("sales", ascending=False)
best = ranked.index[0]
print(ranked.head(3))
""",
        raises="TypeError",
        check='best == "E" and ranked.index.tolist() == ["E", "N", "S", "W"]',
        intent="Rank regions by total sales, highest first, and take the best region.",
        reference="""totals = df.groupby("region")["sales"].sum()
ranked = totals.sort_values(ascending=False)
best = ranked.index[0]
print(ranked.head(3))
""",
    ),
    ExecCase(
        id="m-pd-concat-two-positional",
        setup="""import pandas as pd
jan = pd.DataFrame({"sku": ["A1", "B2"], "units": [5, 3]})
feb = pd.DataFrame({"sku": ["A1", "C3", "B2"], "units": [4, 7, 1]})
""",
        cell="""both = pd.concat(jan, feb)
per_sku = both.groupby("sku")["units"].sum()
print(per_sku)
""",
        raises="TypeError",
        check='per_sku.to_dict() == {"A1": 9, "B2": 4, "C3": 7} and len(both) == 5',
        intent="Stack January and February rows and total the units per SKU.",
        reference="""both = pd.concat([jan, feb])
per_sku = both.groupby("sku")["units"].sum()
print(per_sku)
""",
    ),
    ExecCase(
        id="m-pd-group-total-broadcast",
        setup="""import pandas as pd
games = pd.DataFrame({"team": ["red", "blue", "red", "green", "blue", "red"],
                      "points": [10, 7, 4, 9, 3, 6]})
""",
        cell="""games["team_total"] = games.groupby("team")["points"].sum().values
games["share"] = games["points"] / games["team_total"]
print(games.round(2))
""",
        raises="ValueError",
        check=('games["team_total"].tolist() == [20, 10, 20, 9, 10, 20] '
               'and [round(s, 2) for s in games["share"]] == [0.5, 0.7, 0.2, 1.0, 0.3, 0.3]'),
        intent="Give every game row its team's total points and the row's share of that total.",
        reference="""games["team_total"] = games.groupby("team")["points"].transform("sum")
games["share"] = games["points"] / games["team_total"]
print(games.round(2))
""",
    ),
    ExecCase(
        id="m-pd-dataframe-append-removed",
        setup="""import pandas as pd
log = pd.DataFrame({"step": [1, 2], "loss": [0.92, 0.71]})
new_row = {"step": 3, "loss": 0.55}
""",
        cell="""log = log.append(new_row, ignore_index=True)
best = log.loc[log["loss"].idxmin(), "step"]
print(log)
print("best step:", best)
""",
        raises="AttributeError",
        check=('log["step"].tolist() == [1, 2, 3] and log["loss"].tolist() == [0.92, 0.71, 0.55] '
               'and log.index.tolist() == [0, 1, 2] and best == 3'),
        intent="Add the new training step as a row of the loss log and report the step with the lowest loss.",
        reference="""log = pd.concat([log, pd.DataFrame([new_row])], ignore_index=True)
best = log.loc[log["loss"].idxmin(), "step"]
print(log)
print("best step:", best)
""",
    ),
    ExecCase(
        id="m-pd-subtract-date-strings",
        setup="""import pandas as pd
loans = pd.DataFrame({"book": ["Dune", "Emma", "Ulysses"],
                      "out": ["2024-03-01", "2024-03-10", "2024-02-20"],
                      "back": ["2024-03-15", "2024-03-12", "2024-04-01"]})
""",
        cell="""loans["days"] = (loans["back"] - loans["out"]).dt.days
late = loans.loc[loans["days"] > 14, "book"].tolist()
print(loans)
""",
        raises="TypeError",
        check='loans["days"].tolist() == [14, 2, 41] and late == ["Ulysses"]',
        intent="Number of days each book was on loan, and the books kept longer than two weeks.",
        reference="""loans["out"] = pd.to_datetime(loans["out"])
loans["back"] = pd.to_datetime(loans["back"])
loans["days"] = (loans["back"] - loans["out"]).dt.days
late = loans.loc[loans["days"] > 14, "book"].tolist()
print(loans)
""",
    ),
    ExecCase(
        id="m-pd-group-key-became-index",
        setup="""import pandas as pd
df = pd.DataFrame({"store": ["A", "B", "A", "C", "B", "A"], "sales": [100, 250, 50, 75, 25, 150]})
""",
        cell="""summary = df.groupby("store").agg(total=("sales", "sum"), visits=("sales", "size"))
summary["label"] = summary["store"] + ": " + summary["total"].astype(str)
print(summary.sort_values("total"))
""",
        raises="KeyError",
        check=('sorted(summary["label"].tolist()) == ["A: 300", "B: 275", "C: 75"] '
               'and sorted(summary["visits"].tolist()) == [1, 2, 3]'),
        intent="Summarise sales per store and build a 'store: total' label for each store.",
        reference="""summary = df.groupby("store").agg(total=("sales", "sum"), visits=("sales", "size")).reset_index()
summary["label"] = summary["store"] + ": " + summary["total"].astype(str)
print(summary.sort_values("total"))
""",
    ),
    ExecCase(
        id="m-pd-astype-int-with-missing",
        setup="""import numpy as np
import pandas as pd
inv = pd.DataFrame({"item": ["bolt", "nut", "gear", "cog"], "qty": [12.0, np.nan, 7.0, 5.0]})
""",
        cell="""inv["qty"] = inv["qty"].astype(int)
n_missing = inv["qty"].isna().sum()
avg_qty = inv["qty"].mean()
print(f"{n_missing} unknown counts, mean of known {avg_qty:.2f}")
""",
        raises="IntCastingNaNError",
        check=('pd.api.types.is_integer_dtype(inv["qty"]) and n_missing == 1 and avg_qty == 8.0 '
               'and inv["qty"].dropna().tolist() == [12, 7, 5] and len(inv) == 4'),
        intent="Store the counts as integers while keeping the unknown count missing, then report missing and mean of the known ones.",
        reference="""inv["qty"] = inv["qty"].astype("Int64")
n_missing = inv["qty"].isna().sum()
avg_qty = inv["qty"].mean()
print(f"{n_missing} unknown counts, mean of known {avg_qty:.2f}")
""",
    ),
    ExecCase(
        id="m-pd-groupby-mean-text-column",
        setup="""import pandas as pd
staff = pd.DataFrame({"dept": ["ops", "eng", "eng", "ops", "hr"],
                      "name": ["Kim", "Lee", "Max", "Ned", "Oda"],
                      "salary": [52000, 88000, 92000, 48000, 61000],
                      "years": [3, 5, 8, 1, 4]})
""",
        cell="""by_dept = staff.groupby("dept").mean()
richest = by_dept["salary"].idxmax()
print(by_dept)
""",
        raises="TypeError",
        check=('by_dept["salary"].to_dict() == {"eng": 90000.0, "hr": 61000.0, "ops": 50000.0} '
               'and by_dept["years"].to_dict() == {"eng": 6.5, "hr": 4.0, "ops": 2.0} and richest == "eng"'),
        intent="Mean salary and mean years of service per department, and the best-paid department.",
        reference="""by_dept = staff.groupby("dept").mean(numeric_only=True)
richest = by_dept["salary"].idxmax()
print(by_dept)
""",
    ),
    # ---------------------------------------------------------------- numpy
    ExecCase(
        id="m-np-row-center-broadcast",
        setup="""import numpy as np
X = np.array([[1.0, 2.0, 3.0, 6.0],
              [10.0, 10.0, 14.0, 6.0],
              [0.0, 5.0, 5.0, 10.0]])
""",
        cell="""centered = X - X.mean(axis=1)
row_spread = np.abs(centered).max(axis=1)
print(centered)
""",
        raises="ValueError",
        check=("np.allclose(centered, [[-2, -1, 0, 3], [0, 0, 4, -4], [-5, 0, 0, 5]]) "
               "and row_spread.tolist() == [3.0, 4.0, 5.0]"),
        intent="Subtract each row's own mean from that row and take each row's largest absolute deviation.",
        reference="""centered = X - X.mean(axis=1, keepdims=True)
row_spread = np.abs(centered).max(axis=1)
print(centered)
""",
    ),
    ExecCase(
        id="m-np-zeros-shape-args",
        setup="""import numpy as np
edges = [(0, 1), (1, 2), (2, 0), (2, 3)]
n = 4
""",
        cell="""adj = np.zeros(n, n)
for i, j in edges:
    adj[i, j] = adj[j, i] = 1
degree = adj.sum(axis=1)
print(degree)
""",
        raises="TypeError",
        check="adj.shape == (4, 4) and (adj == adj.T).all() and adj.sum() == 8 and degree.tolist() == [2, 2, 3, 1]",
        intent="Build the symmetric adjacency matrix of the undirected graph and each node's degree.",
        reference="""adj = np.zeros((n, n))
for i, j in edges:
    adj[i, j] = adj[j, i] = 1
degree = adj.sum(axis=1)
print(degree)
""",
    ),
    ExecCase(
        id="m-np-diff-mask-length",
        setup="""import numpy as np
days = np.array(["mon", "tue", "wed", "thu", "fri"])
close = np.array([101.0, 103.5, 102.0, 104.0, 106.5])
""",
        cell="""up = np.diff(close) > 0
up_days = days[up]
gain = np.diff(close)[up].sum()
print(up_days, gain)
""",
        raises="IndexError",
        check='up_days.tolist() == ["tue", "thu", "fri"] and gain == 7.0',
        intent="The days on which the close was higher than the previous day's, and the total of those rises.",
        reference="""up = np.diff(close) > 0
up_days = days[1:][up]
gain = np.diff(close)[up].sum()
print(up_days, gain)
""",
    ),
    ExecCase(
        id="m-np-nan-into-int-array",
        setup="""import numpy as np
readings = np.array([12, 15, 999, 14, 13, 999, 16])  # 999 = sensor dropout
""",
        cell="""readings[readings == 999] = np.nan
mean_ok = np.nanmean(readings)
n_valid = np.count_nonzero(~np.isnan(readings))
print(mean_ok, n_valid)
""",
        raises="ValueError",
        check="mean_ok == 14.0 and n_valid == 5 and len(readings) == 7 and int(np.isnan(readings).sum()) == 2",
        intent="Mark the 999 dropout readings as missing and average the valid ones.",
        reference="""readings = readings.astype(float)
readings[readings == 999] = np.nan
mean_ok = np.nanmean(readings)
n_valid = np.count_nonzero(~np.isnan(readings))
print(mean_ok, n_valid)
""",
    ),
    ExecCase(
        id="m-np-hstack-bias-column",
        setup="""import numpy as np
X = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
w = np.array([0.5, 1.0, -2.0])  # two feature weights, then the bias
""",
        cell="""Xb = np.hstack([X, np.ones(len(X))])
pred = Xb @ w
print(Xb.shape, pred)
""",
        raises="ValueError",
        check="Xb.shape == (3, 3) and np.allclose(Xb[:, 2], 1) and np.allclose(pred, [0.5, 3.5, 6.5])",
        intent="Append a column of ones to the features so the last weight acts as the bias, and predict.",
        reference="""Xb = np.hstack([X, np.ones((len(X), 1))])
pred = Xb @ w
print(Xb.shape, pred)
""",
    ),
    ExecCase(
        id="m-np-list-indexed-by-array",
        setup="""import numpy as np
classes = ["cat", "dog", "bird"]
probs = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6], [0.2, 0.5, 0.3], [0.6, 0.3, 0.1]])
""",
        cell="""pred_idx = probs.argmax(axis=1)
pred = classes[pred_idx]
n_cat = sum(p == "cat" for p in pred)
print(pred, n_cat)
""",
        raises="TypeError",
        check='[str(p) for p in pred] == ["cat", "bird", "dog", "cat"] and n_cat == 2',
        intent="Turn each row's most probable class index into its class name and count the cats.",
        reference="""pred_idx = probs.argmax(axis=1)
pred = np.array(classes)[pred_idx]
n_cat = sum(p == "cat" for p in pred)
print(pred, n_cat)
""",
    ),
    # ---------------------------------------------------------------- plain Python
    ExecCase(
        id="m-py-closure-needs-nonlocal",
        setup="""steps = [1, 1, 5, 2]
""",
        cell="""def make_counter():
    count = 0
    def tick(step=1):
        count += step
        return count
    return tick

tick = make_counter()
seen = [tick(s) for s in steps]
print(seen)
""",
        raises="UnboundLocalError",
        check="seen == [1, 2, 7, 9]",
        intent="A counter closure whose running total grows by each step: the running totals after each call.",
        reference="""def make_counter():
    count = 0
    def tick(step=1):
        nonlocal count
        count += step
        return count
    return tick

tick = make_counter()
seen = [tick(s) for s in steps]
print(seen)
""",
    ),
    ExecCase(
        id="m-py-dict-delete-while-iterating",
        setup="""stock = {"apples": 4, "pears": 0, "plums": 0, "kiwis": 9, "figs": 2}
""",
        cell="""for fruit in stock:
    if stock[fruit] == 0:
        del stock[fruit]
print(sorted(stock))
assert all(qty > 0 for qty in stock.values())
""",
        raises="RuntimeError",
        check='stock == {"apples": 4, "kiwis": 9, "figs": 2}',
        intent="Remove every fruit that is out of stock from the dictionary, keeping the rest unchanged.",
        reference="""for fruit in list(stock):
    if stock[fruit] == 0:
        del stock[fruit]
print(sorted(stock))
assert all(qty > 0 for qty in stock.values())
""",
    ),
    ExecCase(
        id="m-py-json-datetime",
        setup="""import json
from datetime import datetime
event = {"id": 17, "title": "retro", "starts": datetime(2024, 3, 5, 14, 30), "tags": ["team", "q1"]}
""",
        cell="""payload = json.dumps(event)
back = json.loads(payload)
print(payload)
assert back["id"] == 17
""",
        raises="TypeError",
        check=('back["starts"].replace("T", " ")[:16] == "2024-03-05 14:30" and back["tags"] == ["team", "q1"] '
               'and back["title"] == "retro" and back["id"] == 17'),
        intent="Serialise the whole event, start time included, to JSON and read it back.",
        reference="""payload = json.dumps(event, default=lambda o: o.isoformat())
back = json.loads(payload)
print(payload)
assert back["id"] == 17
""",
    ),
    ExecCase(
        id="m-py-dataclass-list-default",
        setup="""from dataclasses import dataclass
""",
        cell="""@dataclass
class Basket:
    owner: str
    items: list = []

a = Basket("ana")
b = Basket("ben")
a.items.append("milk")
print(a, b)
""",
        raises="ValueError",
        check='a.items == ["milk"] and b.items == [] and a.owner == "ana" and b.owner == "ben" and a.items is not b.items',
        intent="A dataclass basket whose item list starts empty and is separate for every basket.",
        reference="""from dataclasses import field

@dataclass
class Basket:
    owner: str
    items: list = field(default_factory=list)

a = Basket("ana")
b = Basket("ben")
a.items.append("milk")
print(a, b)
""",
    ),
    ExecCase(
        id="m-py-class-body-comprehension",
        setup="""import math
""",
        cell="""class Config:
    base_lr = 0.1
    decay = 0.5
    schedule = [base_lr * decay ** k for k in range(4)]

lr_at = dict(enumerate(Config.schedule))
print(lr_at)
""",
        raises="NameError",
        check=("len(Config.schedule) == 4 and all(math.isclose(a, b) for a, b in zip(Config.schedule, "
               "[0.1, 0.05, 0.025, 0.0125])) and math.isclose(lr_at[3], 0.0125)"),
        intent="A config class whose learning-rate schedule is base_lr decayed by a factor of decay per epoch, for four epochs.",
        reference="""class Config:
    base_lr = 0.1
    decay = 0.5
    schedule = [base_lr * decay ** k for base_lr, decay in [(base_lr, decay)] for k in range(4)]

lr_at = dict(enumerate(Config.schedule))
print(lr_at)
""",
    ),
    ExecCase(
        id="m-py-one-based-line-numbers",
        setup="""source = ["import os", "x = 1", "y = x +", "print(y)"]
errors = [(3, "invalid syntax"), (4, "name 'y' is not defined")]  # (line number, message) as the linter reports them
""",
        cell="""flagged = [source[n] for n, _ in errors]
for n, msg in errors:
    print(f"line {n}: {msg}")
assert len(flagged) == len(errors)
""",
        raises="IndexError",
        check='flagged == ["y = x +", "print(y)"]',
        intent="Fetch the source lines the linter flagged (its line numbers count from 1).",
        reference="""flagged = [source[n - 1] for n, _ in errors]
for n, msg in errors:
    print(f"line {n}: {msg}")
assert len(flagged) == len(errors)
""",
    ),
    ExecCase(
        id="m-py-status-case-zero-division",
        setup="""results = [
    {"student": "amy", "status": "PASS", "score": 78},
    {"student": "bo", "status": "fail", "score": 41},
    {"student": "cy", "status": "Pass", "score": 90},
    {"student": "di", "status": "PASS ", "score": 66},
    {"student": "ed", "status": "FAIL", "score": 38},
]
""",
        cell="""passed = [r for r in results if r["status"] == "pass"]
avg_pass = sum(r["score"] for r in passed) / len(passed)
print(f"{len(passed)} passed, mean score {avg_pass:.1f}")
""",
        raises="ZeroDivisionError",
        check='[r["student"] for r in passed] == ["amy", "cy", "di"] and avg_pass == 78.0',
        intent="Mean score of the students who passed, whatever the case or stray spaces in the status field.",
        reference="""passed = [r for r in results if r["status"].strip().lower() == "pass"]
avg_pass = sum(r["score"] for r in passed) / len(passed)
print(f"{len(passed)} passed, mean score {avg_pass:.1f}")
""",
    ),
    ExecCase(
        id="m-py-re-match-not-search",
        setup="""import re
log = [
    "INFO  2024-03-05 job started",
    "WARN  2024-03-06 disk at 91%",
    "ERROR 2024-03-07 job failed",
]
""",
        cell=r"""dates = [re.match(r"\d{4}-\d{2}-\d{2}", line).group() for line in log]
first, last = dates[0], dates[-1]
print(first, "->", last)
""",
        raises="AttributeError",
        check='dates == ["2024-03-05", "2024-03-06", "2024-03-07"] and (first, last) == ("2024-03-05", "2024-03-07")',
        intent="Pull the date out of every log line and report the first and last.",
        reference=r"""dates = [re.search(r"\d{4}-\d{2}-\d{2}", line).group() for line in log]
first, last = dates[0], dates[-1]
print(first, "->", last)
""",
    ),
    ExecCase(
        id="m-py-next-id-type-mismatch",
        setup="""users = [{"id": "101", "name": "ana"}, {"id": "102", "name": "ben"}, {"id": "205", "name": "cai"}]
wanted = [102, 205]  # ids typed in from a report
""",
        cell="""found = [next(u for u in users if u["id"] == uid) for uid in wanted]
names = [u["name"] for u in found]
print(names)
""",
        raises="StopIteration",
        check='names == ["ben", "cai"] and [u["id"] for u in found] == ["102", "205"]',
        intent="Look up the user record for each wanted id and list their names.",
        reference="""found = [next(u for u in users if u["id"] == str(uid)) for uid in wanted]
names = [u["name"] for u in found]
print(names)
""",
    ),
    ExecCase(
        id="m-py-format-named-placeholders",
        setup="""template = "Dear {name}, your balance is {amount:.2f} EUR."
rows = [("Ana", 12.5), ("Ben", 7.0)]
""",
        cell="""letters = [template.format(n, a) for n, a in rows]
print(letters[0])
total = sum(a for _, a in rows)
""",
        raises="KeyError",
        check='letters == ["Dear Ana, your balance is 12.50 EUR.", "Dear Ben, your balance is 7.00 EUR."]',
        intent="Fill the letter template with each person's name and balance.",
        reference="""letters = [template.format(name=n, amount=a) for n, a in rows]
print(letters[0])
total = sum(a for _, a in rows)
""",
    ),
)
