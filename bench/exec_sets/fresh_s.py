"""Fresh set S: 30 long-tail notebook errors (pandas, numpy, stdlib), each graded by running the fix."""

from __future__ import annotations

from bench.exec_case import ExecCase

CASES: tuple[ExecCase, ...] = (
    # -- pandas ---------------------------------------------------------------------------------------
    ExecCase(
        id="s-pd-read-csv-semicolon",
        setup="""\
import pandas as pd
# export from a European spreadsheet
raw = "item;price;qty\\napple;1.5;4\\npear;2.0;3\\nfig;3.25;2\\n"
""",
        cell="""\
import io
orders = pd.read_csv(io.StringIO(raw))
orders["total"] = orders["price"] * orders["qty"]
revenue = orders["total"].sum()
""",
        raises="KeyError",
        check=(
            'list(orders.columns) == ["item", "price", "qty", "total"] and orders["item"].tolist() == ["apple", "pear", "fig"]'
            ' and orders["total"].tolist() == [6.0, 6.0, 6.5] and revenue == 18.5'
        ),
        intent="Parse the semicolon-separated text into a frame, add a line total per order and sum the revenue.",
        reference="""\
import io
orders = pd.read_csv(io.StringIO(raw), sep=";")
orders["total"] = orders["price"] * orders["qty"]
revenue = orders["total"].sum()
""",
    ),
    ExecCase(
        id="s-pd-unsorted-datetime-slice",
        setup="""\
import pandas as pd
readings = pd.DataFrame(
    {"temp": [12.1, 14.3, 11.8, 13.0, 15.2, 10.9]},
    index=pd.to_datetime(["2024-03-04", "2024-03-01", "2024-03-06", "2024-03-02", "2024-03-08", "2024-03-03"]),
)
""",
        cell="""\
week = readings.loc["2024-03-02":"2024-03-05"]
avg_temp = week["temp"].mean()
""",
        raises="KeyError",
        check=(
            'sorted(week.index.strftime("%Y-%m-%d").tolist()) == ["2024-03-02", "2024-03-03", "2024-03-04"]'
            " and abs(avg_temp - 12.0) < 1e-9"
        ),
        intent="Select the readings dated 2 to 5 March 2024 (inclusive) and average their temperature.",
        reference="""\
week = readings.sort_index().loc["2024-03-02":"2024-03-05"]
avg_temp = week["temp"].mean()
""",
    ),
    ExecCase(
        id="s-pd-tz-aware-compare",
        setup="""\
import pandas as pd
events = pd.DataFrame({
    "ts": pd.to_datetime(["2024-02-28 23:30", "2024-03-01 00:15", "2024-03-02 09:00", "2024-02-27 12:00"]).tz_localize("UTC"),
    "user": ["ana", "ben", "cho", "dev"],
})
""",
        cell="""\
cutoff = pd.Timestamp("2024-03-01")
recent = events[events["ts"] >= cutoff]
recent_users = recent["user"].tolist()
""",
        raises="TypeError",
        check='recent_users == ["ben", "cho"] and len(recent) == 2',
        intent="List the users whose events happened on or after midnight UTC on 1 March 2024.",
        reference="""\
cutoff = pd.Timestamp("2024-03-01", tz="UTC")
recent = events[events["ts"] >= cutoff]
recent_users = recent["user"].tolist()
""",
    ),
    ExecCase(
        id="s-pd-epoch-ms-dt-accessor",
        setup="""\
import pandas as pd
# click log from the web API: timestamps are Unix epoch milliseconds (UTC)
clicks = pd.DataFrame({
    "ts_ms": [1709280900000, 1709300400000, 1709330700000, 1709339400000],
    "page": ["/home", "/pricing", "/home", "/docs"],
})
""",
        cell="""\
clicks["hour"] = clicks["ts_ms"].dt.hour
night = clicks[(clicks["hour"] >= 22) | (clicks["hour"] < 6)]
""",
        raises="AttributeError",
        check='clicks["hour"].tolist() == [8, 13, 22, 0] and night["page"].tolist() == ["/home", "/docs"]',
        intent="Add the UTC hour of day of each click and keep the clicks made between 22:00 and 06:00.",
        reference="""\
clicks["hour"] = pd.to_datetime(clicks["ts_ms"], unit="ms").dt.hour
night = clicks[(clicks["hour"] >= 22) | (clicks["hour"] < 6)]
""",
    ),
    ExecCase(
        id="s-pd-multiindex-inner-level",
        setup="""\
import pandas as pd
sales = pd.DataFrame({
    "region": ["north", "north", "south", "south", "west"],
    "product": ["apples", "pears", "apples", "pears", "apples"],
    "units": [120, 80, 95, 60, 40],
}).set_index(["region", "product"])
""",
        cell="""\
apples = sales.loc["apples"]
apple_units = apples["units"].sum()
apple_share = apple_units / sales["units"].sum()
""",
        raises="KeyError",
        check="apple_units == 255 and abs(apple_share - 255 / 395) < 1e-12",
        intent="Total the units of apples sold across all regions and their share of all units sold.",
        reference="""\
apples = sales.xs("apples", level="product")
apple_units = apples["units"].sum()
apple_share = apple_units / sales["units"].sum()
""",
    ),
    ExecCase(
        id="s-pd-join-overlapping-columns",
        setup="""\
import pandas as pd
customers = pd.DataFrame(
    {"name": ["Ines", "Omar", "Lena"], "city": ["Lisbon", "Cairo", "Berlin"]},
    index=pd.Index([101, 102, 103], name="cust_id"),
)
# city here is where the order was shipped to
orders = pd.DataFrame({
    "order_id": [1, 2, 3, 4],
    "cust_id": [101, 103, 101, 102],
    "city": ["Porto", "Berlin", "Lisbon", "Giza"],
})
""",
        cell="""\
enriched = orders.join(customers, on="cust_id")
away = enriched[enriched["city"] != enriched["city_home"]]
""",
        raises="ValueError",
        check=(
            'len(enriched) == 4 and enriched["name"].tolist() == ["Ines", "Lena", "Ines", "Omar"]'
            ' and enriched["city"].tolist() == ["Porto", "Berlin", "Lisbon", "Giza"]'
            ' and enriched["city_home"].tolist() == ["Lisbon", "Berlin", "Lisbon", "Cairo"]'
            ' and away["order_id"].tolist() == [1, 4]'
        ),
        intent="Attach each customer's name and home city (as city_home) to their orders and keep orders shipped away from home.",
        reference="""\
enriched = orders.join(customers, on="cust_id", rsuffix="_home")
away = enriched[enriched["city"] != enriched["city_home"]]
""",
    ),
    ExecCase(
        id="s-pd-named-agg-bare-string",
        setup="""\
import pandas as pd
games = pd.DataFrame({
    "team": ["red", "blue", "red", "blue", "red"],
    "points": [10, 7, 14, 9, 3],
})
""",
        cell="""\
summary = games.groupby("team").agg(total=("points", "sum"), best="max")
summary = summary.sort_values("total", ascending=False)
""",
        raises="TypeError",
        check=(
            'summary.index.tolist() == ["red", "blue"] and summary["total"].tolist() == [27, 16]'
            ' and summary["best"].tolist() == [14, 9]'
        ),
        intent="Per team, the total and the best single-game points, ordered by total descending.",
        reference="""\
summary = games.groupby("team").agg(total=("points", "sum"), best=("points", "max"))
summary = summary.sort_values("total", ascending=False)
""",
    ),
    ExecCase(
        id="s-pd-query-column-with-space",
        setup="""\
import pandas as pd
stock = pd.DataFrame({
    "item": ["pen", "stapler", "eraser", "lamp", "mug"],
    "unit price": [2.5, 4.0, 1.2, 6.75, 3.5],
    "qty": [40, 0, 25, 3, 12],
})
""",
        cell="""\
pricey = stock.query("unit price > 3 and qty > 0")
pricey_items = pricey["item"].tolist()
""",
        raises="SyntaxError",
        check='pricey_items == ["lamp", "mug"] and len(pricey) == 2',
        intent="List the in-stock items whose unit price is above 3.",
        reference="""\
pricey = stock.query("`unit price` > 3 and qty > 0")
pricey_items = pricey["item"].tolist()
""",
    ),
    ExecCase(
        id="s-pd-cut-labels-vs-edges",
        setup="""\
import numpy as np
import pandas as pd
people = pd.DataFrame({"name": ["Ada", "Bo", "Cy", "Di", "Ed", "Flo"], "age": [3, 18, 27, 65, 68, 81]})
""",
        cell="""\
# child: up to 18, adult: 19-65, senior: over 65
people["group"] = pd.cut(people["age"], bins=[0, 18, 65], labels=["child", "adult", "senior"])
counts = people["group"].value_counts()
""",
        raises="ValueError",
        check=(
            'people["group"].astype(str).tolist() == ["child", "child", "adult", "adult", "senior", "senior"]'
            ' and int(counts["senior"]) == 2 and int(counts["child"]) == 2 and int(counts["adult"]) == 2'
        ),
        intent="Label each person child (age <= 18), adult (19-65) or senior (over 65) and count each group.",
        reference="""\
# child: up to 18, adult: 19-65, senior: over 65
people["group"] = pd.cut(people["age"], bins=[0, 18, 65, 150], labels=["child", "adult", "senior"])
counts = people["group"].value_counts()
""",
    ),
    ExecCase(
        id="s-pd-percent-strings",
        setup="""\
import pandas as pd
loans = pd.DataFrame({
    "loan_id": [1, 2, 3, 4],
    "rate": ["4.5%", "3.25%", "6%", "5.75%"],
    "principal": [10000, 2500, 8000, 4000],
})
""",
        cell="""\
loans["rate"] = loans["rate"].astype(float) / 100
loans["interest"] = loans["principal"] * loans["rate"]
""",
        raises="ValueError",
        check=(
            'loans["rate"].round(6).tolist() == [0.045, 0.0325, 0.06, 0.0575]'
            ' and loans["interest"].round(6).tolist() == [450.0, 81.25, 480.0, 230.0]'
        ),
        intent="Turn the percentage strings into fractional rates and compute one year's interest per loan.",
        reference="""\
loans["rate"] = loans["rate"].str.rstrip("%").astype(float) / 100
loans["interest"] = loans["principal"] * loans["rate"]
""",
    ),
    ExecCase(
        id="s-pd-nlargest-text-scores",
        setup="""\
import pandas as pd
# scores scraped from the grading portal
scores = pd.DataFrame({
    "student": ["ali", "bea", "cal", "dan", "eve"],
    "score": ["88", "100", "79", "95", "91"],
})
""",
        cell="""\
top3 = scores.nlargest(3, "score")
top_students = top3["student"].tolist()
""",
        raises="TypeError",
        check='top_students == ["bea", "dan", "eve"]',
        intent="The three students with the highest numeric scores, best first.",
        reference="""\
scores["score"] = pd.to_numeric(scores["score"])
top3 = scores.nlargest(3, "score")
top_students = top3["student"].tolist()
""",
    ),
    ExecCase(
        id="s-pd-read-json-literal-string",
        setup="""\
import pandas as pd
# body of the inventory API response
payload = (
    '[{"sku": "A1", "qty": 3, "price": 2.5},'
    ' {"sku": "B7", "qty": 1, "price": 10.0},'
    ' {"sku": "C3", "qty": 4, "price": 1.25}]'
)
""",
        cell="""\
items = pd.read_json(payload)
items["value"] = items["qty"] * items["price"]
total_value = items["value"].sum()
""",
        raises="FileNotFoundError",
        check=(
            'items["sku"].tolist() == ["A1", "B7", "C3"] and items["value"].tolist() == [7.5, 10.0, 5.0]'
            " and total_value == 22.5"
        ),
        intent="Load the JSON response text into a frame, value each line (qty x price) and total the stock value.",
        reference="""\
import io
items = pd.read_json(io.StringIO(payload))
items["value"] = items["qty"] * items["price"]
total_value = items["value"].sum()
""",
    ),
    # -- numpy ----------------------------------------------------------------------------------------
    ExecCase(
        id="s-np-singular-normal-equations",
        setup="""\
import numpy as np
# intercept, size in m^2, size in 0.5 m^2 units (a duplicated feature)
X = np.array([[1.0, 1.0, 2.0], [1.0, 2.0, 4.0], [1.0, 3.0, 6.0], [1.0, 4.0, 8.0]])
y = np.array([3.1, 4.9, 7.2, 8.8])
""",
        cell="""\
beta = np.linalg.solve(X.T @ X, X.T @ y)
fitted = X @ beta
""",
        raises="LinAlgError",
        check=(
            "beta.shape == (3,) and np.allclose(fitted, [3.09, 5.03, 6.97, 8.91])"
            " and np.allclose(fitted, X @ beta)"
        ),
        intent="Fit least-squares coefficients for all three columns of X and the fitted values.",
        reference="""\
beta, *_ = np.linalg.lstsq(X, y, rcond=None)
fitted = X @ beta
""",
    ),
    ExecCase(
        id="s-np-uint8-scale-overflow",
        setup="""\
import numpy as np
img = np.array([[0, 51, 102], [153, 204, 255]], dtype=np.uint8)
""",
        cell="""\
# brightness in per-mille, 0..1000
permille = img * 1000 // 255
""",
        raises="OverflowError",
        check="permille.tolist() == [[0, 200, 400], [600, 800, 1000]]",
        intent="Rescale each 0-255 pixel to an integer per-mille brightness 0-1000.",
        reference="""\
# brightness in per-mille, 0..1000
permille = img.astype(np.int64) * 1000 // 255
""",
    ),
    ExecCase(
        id="s-np-submatrix-fancy-index",
        setup="""\
import numpy as np
dist = np.arange(20).reshape(4, 5)  # distance table: rows are depots, columns are stores
depots = [0, 2]
stores = [1, 3, 4]
""",
        cell="""\
sub = dist[depots, stores]
nearest_depot = sub.argmin(axis=0)
""",
        raises="IndexError",
        check="sub.tolist() == [[1, 3, 4], [11, 13, 14]] and nearest_depot.tolist() == [0, 0, 0]",
        intent="Take the depots-by-stores block of the distance table and find, per store, the nearest chosen depot.",
        reference="""\
sub = dist[np.ix_(depots, stores)]
nearest_depot = sub.argmin(axis=0)
""",
    ),
    ExecCase(
        id="s-np-ragged-to-padded",
        setup="""\
import numpy as np
token_ids = [[3, 1, 4], [1, 5], [9, 2, 6, 5]]
""",
        cell="""\
batch = np.array(token_ids)
mask = batch != 0
""",
        raises="ValueError",
        check=(
            "batch.shape == (3, 4) and batch.tolist() == [[3, 1, 4, 0], [1, 5, 0, 0], [9, 2, 6, 5]]"
            " and mask.sum() == 9"
        ),
        intent="Build a right-zero-padded batch matrix of the token sequences and its non-padding mask.",
        reference="""\
width = max(len(s) for s in token_ids)
batch = np.array([s + [0] * (width - len(s)) for s in token_ids])
mask = batch != 0
""",
    ),
    ExecCase(
        id="s-np-int-negative-power",
        setup="""\
import numpy as np
# inverse-square weighting of station readings by distance (km)
distance = np.array([1, 2, 4, 5])
reading = np.array([10.0, 20.0, 30.0, 40.0])
""",
        cell="""\
w = distance ** -2
estimate = (w * reading).sum() / w.sum()
""",
        raises="ValueError",
        check="np.allclose(w, [1.0, 0.25, 0.0625, 0.04]) and abs(estimate - 18.475 / 1.3525) < 1e-9",
        intent="Inverse-square-distance weighted average of the readings.",
        reference="""\
w = distance.astype(float) ** -2
estimate = (w * reading).sum() / w.sum()
""",
    ),
    ExecCase(
        id="s-np-diff-mask-length",
        setup="""\
import numpy as np
close = np.array([100, 102, 101, 105, 107, 104])
""",
        cell="""\
up_closes = close[np.diff(close) > 0]
n_up = len(up_closes)
""",
        raises="IndexError",
        check="up_closes.tolist() == [102, 105, 107] and n_up == 3",
        intent="The closing prices of the days that closed higher than the previous day.",
        reference="""\
up_closes = close[1:][np.diff(close) > 0]
n_up = len(up_closes)
""",
    ),
    ExecCase(
        id="s-np-loadtxt-csv-header",
        setup="""\
import numpy as np
raw = "x,y\\n1.0,2.5\\n2.0,4.1\\n3.0,6.2\\n"
""",
        cell="""\
import io
data = np.loadtxt(io.StringIO(raw))
slope, intercept = np.polyfit(data[:, 0], data[:, 1], 1)
""",
        raises="ValueError",
        check="data.shape == (3, 2) and abs(slope - 1.85) < 1e-9 and abs(intercept - 0.5666666666666667) < 1e-9",
        intent="Load the CSV text (with its header) as a 3x2 float array and fit a straight line y = slope*x + intercept.",
        reference="""\
import io
data = np.loadtxt(io.StringIO(raw), delimiter=",", skiprows=1)
slope, intercept = np.polyfit(data[:, 0], data[:, 1], 1)
""",
    ),
    ExecCase(
        id="s-np-datetime64-add-month",
        setup="""\
import numpy as np
invoice_dates = np.array(["2024-01-15", "2024-02-03", "2024-11-20", "2024-12-31"], dtype="datetime64[D]")
""",
        cell="""\
# payment is due on the first day of the following month
due = invoice_dates + np.timedelta64(1, "M")
due_str = [str(d) for d in due]
""",
        raises="UFuncTypeError",
        check='due_str == ["2024-02-01", "2024-03-01", "2024-12-01", "2025-01-01"]',
        intent="The due date of each invoice: the first day of the month after its invoice date.",
        reference="""\
# payment is due on the first day of the following month
due = (invoice_dates.astype("datetime64[M]") + np.timedelta64(1, "M")).astype("datetime64[D]")
due_str = [str(d) for d in due]
""",
    ),
    # -- plain Python / stdlib ------------------------------------------------------------------------
    ExecCase(
        id="s-py-decimal-times-float",
        setup="""\
from decimal import Decimal
prices = [Decimal("19.99"), Decimal("5.50"), Decimal("12.00")]
vat_rate = 0.2
""",
        cell="""\
gross = [p * (1 + vat_rate) for p in prices]
total = sum(gross).quantize(Decimal("0.01"))
""",
        raises="TypeError",
        check='gross == [Decimal("23.988"), Decimal("6.6"), Decimal("14.4")] and str(total) == "44.99"',
        intent="Exact VAT-inclusive prices as Decimals and their total rounded to cents.",
        reference="""\
gross = [p * (1 + Decimal(str(vat_rate))) for p in prices]
total = sum(gross).quantize(Decimal("0.01"))
""",
    ),
    ExecCase(
        id="s-py-fraction-mixed-number",
        setup="""\
recipe = {"flour": "2 1/4", "sugar": "3/4", "butter": "1/2", "milk": "1 1/3"}  # cups
""",
        cell="""\
from fractions import Fraction
cups = {name: Fraction(qty) for name, qty in recipe.items()}
total_cups = sum(cups.values())
""",
        raises="ValueError",
        check=(
            'cups == {"flour": Fraction(9, 4), "sugar": Fraction(3, 4), "butter": Fraction(1, 2), "milk": Fraction(4, 3)}'
            " and total_cups == Fraction(29, 6)"
        ),
        intent="Parse each (possibly mixed-number) quantity into an exact Fraction of cups and total them.",
        reference="""\
from fractions import Fraction
cups = {name: sum(Fraction(part) for part in qty.split()) for name, qty in recipe.items()}
total_cups = sum(cups.values())
""",
    ),
    ExecCase(
        id="s-py-stdev-single-reading",
        setup="""\
readings = {"s1": [20.0, 22.0, 24.0], "s2": [18.5], "s3": [30.0, 31.0]}
""",
        cell="""\
import statistics
# population spread of each sensor's readings
spread = {sensor: statistics.stdev(vals) for sensor, vals in readings.items()}
""",
        raises="StatisticsError",
        check=(
            'set(spread) == {"s1", "s2", "s3"} and abs(spread["s1"] - (8 / 3) ** 0.5) < 1e-12'
            ' and spread["s2"] == 0.0 and abs(spread["s3"] - 0.5) < 1e-12'
        ),
        intent="The population standard deviation of every sensor's readings (a single reading has spread 0).",
        reference="""\
import statistics
# population spread of each sensor's readings
spread = {sensor: statistics.pstdev(vals) for sensor, vals in readings.items()}
""",
    ),
    ExecCase(
        id="s-py-decode-legacy-bytes",
        setup="""\
# bytes received from a legacy Windows (Latin-1) export
raw = b"name,city\\nJos\\xe9,M\\xfcnchen\\nAnna,Z\\xfcrich\\n"
""",
        cell="""\
import csv
import io
text = raw.decode("utf-8")
rows = list(csv.DictReader(io.StringIO(text)))
cities = [r["city"] for r in rows]
""",
        raises="UnicodeDecodeError",
        check='cities == ["M\\u00fcnchen", "Z\\u00fcrich"] and [r["name"] for r in rows] == ["Jos\\u00e9", "Anna"]',
        intent="Decode the Latin-1 export and read its rows, keeping the accented names and cities intact.",
        reference="""\
import csv
import io
text = raw.decode("latin-1")
rows = list(csv.DictReader(io.StringIO(text)))
cities = [r["city"] for r in rows]
""",
    ),
    ExecCase(
        id="s-py-tree-depth-self-parent",
        setup="""\
# category tree; by convention the root is its own parent
parent = {"root": "root", "animals": "root", "mammals": "animals", "cats": "mammals", "plants": "root"}
""",
        cell="""\
def depth(node):
    if node is None:
        return 0
    return 1 + depth(parent[node])

depths = {node: depth(node) for node in parent}
""",
        raises="RecursionError",
        check='depths == {"root": 0, "animals": 1, "mammals": 2, "cats": 3, "plants": 1}',
        intent="The depth of every category in the tree, the root being at depth 0.",
        reference="""\
def depth(node):
    if parent[node] == node:
        return 0
    return 1 + depth(parent[node])

depths = {node: depth(node) for node in parent}
""",
    ),
    ExecCase(
        id="s-py-next-no-match-case",
        setup="""\
log = [
    "2024-05-01 10:00:01 [info] service start",
    "2024-05-01 10:00:07 [warn] disk 91% full",
    "2024-05-01 10:02:13 [error] db timeout",
    "2024-05-01 10:05:00 [error] retry failed",
]
""",
        cell="""\
first_error = next(line for line in log if "ERROR" in line)
first_error_time = first_error.split()[1]
""",
        raises="StopIteration",
        check='first_error == "2024-05-01 10:02:13 [error] db timeout" and first_error_time == "10:02:13"',
        intent="Find the first error-level line in the log and its time of day.",
        reference="""\
first_error = next(line for line in log if "error" in line.lower())
first_error_time = first_error.split()[1]
""",
    ),
    ExecCase(
        id="s-py-enum-lookup-by-value",
        setup="""\
from enum import Enum


class Status(Enum):
    ACTIVE = "active"
    PAUSED = "paused"
    CLOSED = "closed"


accounts = [
    {"id": 1, "status": "active"},
    {"id": 2, "status": "closed"},
    {"id": 3, "status": "paused"},
    {"id": 4, "status": "active"},
]
""",
        cell="""\
statuses = [Status[acct["status"]] for acct in accounts]
n_active = statuses.count(Status.ACTIVE)
""",
        raises="KeyError",
        check="statuses == [Status.ACTIVE, Status.CLOSED, Status.PAUSED, Status.ACTIVE] and n_active == 2",
        intent="Convert each account's status string to the Status enum member and count the active accounts.",
        reference="""\
statuses = [Status(acct["status"]) for acct in accounts]
n_active = statuses.count(Status.ACTIVE)
""",
    ),
    ExecCase(
        id="s-py-growth-rate-same-year",
        setup="""\
from datetime import date
start_date, end_date = date(2024, 1, 15), date(2024, 9, 15)
start_value, end_value = 100.0, 110.0
""",
        cell="""\
years = end_date.year - start_date.year
annualized = (end_value / start_value) ** (1 / years) - 1
""",
        raises="ZeroDivisionError",
        check="0.6 < years < 0.7 and abs(annualized - (1.1 ** (365.25 / 244) - 1)) < 1e-3",
        intent="The annualized growth rate over the (fractional) number of years between the two dates.",
        reference="""\
years = (end_date - start_date).days / 365.25
annualized = (end_value / start_value) ** (1 / years) - 1
""",
    ),
    ExecCase(
        id="s-py-groupby-unsorted-assert",
        setup="""\
sales = [("north", 120), ("south", 80), ("north", 45), ("east", 60), ("south", 30), ("east", 15)]
""",
        cell="""\
from itertools import groupby
totals = {region: sum(amount for _, amount in rows) for region, rows in groupby(sales, key=lambda r: r[0])}
assert sum(totals.values()) == sum(amount for _, amount in sales), "lost some sales"
""",
        raises="AssertionError",
        check='totals == {"north": 165, "south": 110, "east": 75}',
        intent="Total the sales amount per region.",
        reference="""\
from itertools import groupby
ordered = sorted(sales, key=lambda r: r[0])
totals = {region: sum(amount for _, amount in rows) for region, rows in groupby(ordered, key=lambda r: r[0])}
assert sum(totals.values()) == sum(amount for _, amount in sales), "lost some sales"
""",
    ),
    ExecCase(
        id="s-py-heapq-tie-dicts",
        setup="""\
import heapq
tasks = [
    (2, {"name": "email"}),
    (1, {"name": "deploy"}),
    (2, {"name": "review"}),
    (3, {"name": "lunch"}),
    (1, {"name": "backup"}),
]
""",
        cell="""\
queue = []
for prio, task in tasks:  # equal priorities keep arrival order
    heapq.heappush(queue, (prio, task))
order = [heapq.heappop(queue)[-1]["name"] for _ in range(len(queue))]
""",
        raises="TypeError",
        check='order == ["deploy", "backup", "email", "review", "lunch"]',
        intent="Pop the tasks lowest priority number first, ties in the order they arrived.",
        reference="""\
queue = []
for seq, (prio, task) in enumerate(tasks):  # equal priorities keep arrival order
    heapq.heappush(queue, (prio, seq, task))
order = [heapq.heappop(queue)[-1]["name"] for _ in range(len(queue))]
""",
    ),
)
