"""fresh_q: thirty execution-graded notebook errors (pandas, numpy, plain Python)."""

from bench.exec_case import ExecCase

CASES: tuple[ExecCase, ...] = (
    # -- pandas ----------------------------------------------------------------------------------------
    ExecCase(
        id="q-pd-thousands-separator",
        setup='''import pandas as pd
df = pd.DataFrame({"item": ["desk", "chair", "lamp", "monitor"],
                   "price": ["1,200.00", "85.50", "40.00", "2,350.75"],
                   "qty": [2, 6, 3, 1]})
''',
        cell='''df["price"] = df["price"].astype(float)
df["revenue"] = df["price"] * df["qty"]
total = df["revenue"].sum()
print(f"total revenue: {total:,.2f}")
''',
        raises="ValueError",
        check='''df["price"].tolist() == [1200.0, 85.5, 40.0, 2350.75] and abs(total - 5383.75) < 1e-6''',
        intent="Turn the comma-grouped price strings into numbers and total price times quantity over all items.",
        reference='''df["price"] = df["price"].str.replace(",", "").astype(float)
df["revenue"] = df["price"] * df["qty"]
total = df["revenue"].sum()
print(f"total revenue: {total:,.2f}")
''',
    ),
    ExecCase(
        id="q-pd-groupby-mean-text-column",
        setup='''import pandas as pd
scores = pd.DataFrame({"team": ["red", "blue", "red", "green", "blue", "red"],
                       "player": ["ana", "ben", "cy", "dee", "eli", "fay"],
                       "points": [12, 7, 9, 15, 11, 6]})
''',
        cell='''avg = scores.groupby("team").mean()
best = avg["points"].idxmax()
print(avg)
print("best team:", best)
''',
        raises="TypeError",
        check='''avg["points"].to_dict() == {"blue": 9.0, "green": 15.0, "red": 9.0} and best == "green"''',
        intent="Average points per team and name the team with the highest average.",
        reference='''avg = scores.groupby("team").mean(numeric_only=True)
best = avg["points"].idxmax()
print(avg)
print("best team:", best)
''',
    ),
    ExecCase(
        id="q-pd-merge-key-dtype",
        setup='''import pandas as pd
customers = pd.DataFrame({"customer_id": ["101", "102", "103"], "name": ["Ines", "Karl", "Mona"]})
orders = pd.DataFrame({"order_id": [1, 2, 3, 4],
                       "customer_id": [102, 101, 102, 103],
                       "amount": [30.0, 12.5, 20.0, 8.0]})
''',
        cell='''merged = orders.merge(customers, on="customer_id", how="left")
per_name = merged.groupby("name")["amount"].sum()
print(per_name)
''',
        raises="ValueError",
        check='''len(merged) == 4 and per_name.to_dict() == {"Ines": 12.5, "Karl": 50.0, "Mona": 8.0}''',
        intent="Attach each order to its customer's name and total the order amounts per customer.",
        reference='''orders["customer_id"] = orders["customer_id"].astype(str)
merged = orders.merge(customers, on="customer_id", how="left")
per_name = merged.groupby("name")["amount"].sum()
print(per_name)
''',
    ),
    ExecCase(
        id="q-pd-loc-position-on-date-index",
        setup='''import pandas as pd
prices = pd.DataFrame({"date": ["2024-03-01", "2024-03-04", "2024-03-05", "2024-03-06"],
                       "close": [101.2, 99.8, 103.5, 104.1]}).set_index("date")
''',
        cell='''first, last = prices.loc[[0, -1], "close"]
change_pct = (last - first) / first * 100
print(f"change over the period: {change_pct:.2f}%")
''',
        raises="KeyError",
        check='''first == 101.2 and last == 104.1 and abs(change_pct - (104.1 - 101.2) / 101.2 * 100) < 1e-9''',
        intent="Take the first and last closing price of the period and compute the percentage change between them.",
        reference='''first, last = prices["close"].iloc[[0, -1]]
change_pct = (last - first) / first * 100
print(f"change over the period: {change_pct:.2f}%")
''',
    ),
    ExecCase(
        id="q-pd-to-datetime-day-first",
        setup='''import pandas as pd
# dates come from a European booking system: day/month/year
visits = pd.DataFrame({"date": ["05/01/2024", "11/01/2024", "28/01/2024", "03/02/2024", "14/02/2024", "02/03/2024"],
                       "visitors": [120, 95, 143, 88, 110, 131]})
''',
        cell='''visits["date"] = pd.to_datetime(visits["date"])
monthly = visits.groupby(visits["date"].dt.month)["visitors"].sum()
print(monthly)
''',
        raises="ValueError",
        check='''monthly.to_dict() == {1: 358, 2: 198, 3: 131} and visits["date"].dt.day.tolist() == [5, 11, 28, 3, 14, 2]''',
        intent="Parse the day/month/year visit dates and total the visitors per calendar month.",
        reference='''visits["date"] = pd.to_datetime(visits["date"], format="%d/%m/%Y")
monthly = visits.groupby(visits["date"].dt.month)["visitors"].sum()
print(monthly)
''',
    ),
    ExecCase(
        id="q-pd-concat-positional-frames",
        setup='''import pandas as pd
jan = pd.DataFrame({"store": ["A", "B"], "sales": [250, 180]})
feb = pd.DataFrame({"store": ["A", "B"], "sales": [270, 150]})
mar = pd.DataFrame({"store": ["A", "B"], "sales": [300, 210]})
''',
        cell='''q1 = pd.concat(jan, feb, mar, ignore_index=True)
by_store = q1.groupby("store")["sales"].sum()
print(len(q1), by_store.to_dict())
''',
        raises="TypeError",
        check='''len(q1) == 6 and q1.index.tolist() == list(range(6)) and by_store.to_dict() == {"A": 820, "B": 540}''',
        intent="Stack the three monthly frames into one quarter frame and total the sales per store.",
        reference='''q1 = pd.concat([jan, feb, mar], ignore_index=True)
by_store = q1.groupby("store")["sales"].sum()
print(len(q1), by_store.to_dict())
''',
    ),
    ExecCase(
        id="q-pd-str-accessor-on-int-zip",
        setup='''import pandas as pd
# the zip codes were read as integers, so the leading zeros are gone
addr = pd.DataFrame({"city": ["Boston", "Newark", "Austin", "Hartford"], "zip": [2134, 7102, 78701, 6103]})
''',
        cell='''addr["zip"] = addr["zip"].str.zfill(5)
addr["label"] = addr["city"] + " " + addr["zip"]
print(addr["label"].tolist())
''',
        raises="AttributeError",
        check='''addr["zip"].tolist() == ["02134", "07102", "78701", "06103"] and addr["label"].tolist() == ["Boston 02134", "Newark 07102", "Austin 78701", "Hartford 06103"]''',
        intent="Restore the five-digit zip codes with their leading zeros and build 'city zip' labels.",
        reference='''addr["zip"] = addr["zip"].astype(str).str.zfill(5)
addr["label"] = addr["city"] + " " + addr["zip"]
print(addr["label"].tolist())
''',
    ),
    ExecCase(
        id="q-pd-inplace-returns-none",
        setup='''import pandas as pd
results = pd.DataFrame({"runner": ["Ada", "Bo", "Cai", "Dev", "Eun"],
                        "time_s": [312.5, 298.1, 305.0, 290.4, 320.9]})
''',
        cell='''ranked = results.sort_values("time_s", inplace=True)
podium = ranked["runner"].head(3).tolist()
print("podium:", podium)
''',
        raises="TypeError",
        check='''podium == ["Dev", "Bo", "Cai"]''',
        intent="Sort the runners by finishing time and list the three fastest.",
        reference='''ranked = results.sort_values("time_s")
podium = ranked["runner"].head(3).tolist()
print("podium:", podium)
''',
    ),
    ExecCase(
        id="q-pd-mask-operator-precedence",
        setup='''import pandas as pd
staff = pd.DataFrame({"name": ["Aki", "Bea", "Cal", "Dina", "Eko"],
                      "age": [28, 41, 35, 52, 33],
                      "city": ["Paris", "Paris", "Lyon", "Paris", "Lyon"],
                      "salary": [3900, 5200, 4100, 6100, 4000]})
''',
        cell='''senior_paris = staff[staff["age"] > 30 & staff["city"] == "Paris"]
avg_salary = senior_paris["salary"].mean()
print(senior_paris["name"].tolist(), avg_salary)
''',
        raises="TypeError",
        check='''senior_paris["name"].tolist() == ["Bea", "Dina"] and avg_salary == 5650.0''',
        intent="Select the Paris staff older than 30 and average their salaries.",
        reference='''senior_paris = staff[(staff["age"] > 30) & (staff["city"] == "Paris")]
avg_salary = senior_paris["salary"].mean()
print(senior_paris["name"].tolist(), avg_salary)
''',
    ),
    ExecCase(
        id="q-pd-pivot-duplicate-entries",
        setup='''import pandas as pd
# one row per receipt, so a store has several rows in the same month
sales = pd.DataFrame({"store": ["N", "N", "S", "N", "S", "S", "N"],
                      "month": ["Jan", "Jan", "Jan", "Feb", "Feb", "Feb", "Feb"],
                      "amount": [100, 40, 80, 120, 60, 30, 10]})
''',
        cell='''table = sales.pivot(index="store", columns="month", values="amount")
table["total"] = table.sum(axis=1)
print(table)
''',
        raises="ValueError",
        check='''(table.loc["N", "Jan"], table.loc["N", "Feb"], table.loc["S", "Jan"], table.loc["S", "Feb"]) == (140, 130, 80, 90) and table["total"].to_dict() == {"N": 270, "S": 170}''',
        intent="Build a store-by-month table of total sales with a total column per store.",
        reference='''table = sales.pivot_table(index="store", columns="month", values="amount", aggfunc="sum")
table["total"] = table.sum(axis=1)
print(table)
''',
    ),
    ExecCase(
        id="q-pd-resample-without-datetime-index",
        setup='''import pandas as pd
log = pd.DataFrame({"date": pd.to_datetime(["2024-01-03", "2024-01-17", "2024-02-02",
                                            "2024-02-20", "2024-02-27", "2024-03-09"]),
                    "kwh": [12.0, 9.5, 14.0, 11.0, 8.5, 10.0]})
''',
        cell='''monthly = log.resample("MS")["kwh"].sum()
peak = monthly.idxmax().strftime("%B")
print(monthly)
print("peak month:", peak)
''',
        raises="TypeError",
        check='''monthly.tolist() == [21.5, 33.5, 10.0] and [d.month for d in monthly.index] == [1, 2, 3] and peak == "February"''',
        intent="Total the energy use per calendar month and name the month with the highest use.",
        reference='''monthly = log.resample("MS", on="date")["kwh"].sum()
peak = monthly.idxmax().strftime("%B")
print(monthly)
print("peak month:", peak)
''',
    ),
    ExecCase(
        id="q-pd-column-named-count-attribute",
        setup='''import pandas as pd
inv = pd.DataFrame({"sku": ["A1", "B2", "C3"], "count": [4, 10, 2], "price": [2.5, 1.25, 9.0]})
''',
        cell='''inv["value"] = inv.count * inv.price
total_value = inv["value"].sum()
print(inv)
print("stock value:", total_value)
''',
        raises="TypeError",
        check='''inv["value"].tolist() == [10.0, 12.5, 18.0] and total_value == 40.5''',
        intent="Compute the stock value of each SKU (count times price) and the total stock value.",
        reference='''inv["value"] = inv["count"] * inv["price"]
total_value = inv["value"].sum()
print(inv)
print("stock value:", total_value)
''',
    ),
    # -- numpy -----------------------------------------------------------------------------------------
    ExecCase(
        id="q-np-nan-into-int-array",
        setup='''import numpy as np
# the sensor writes -999 when it has no reading
temps = np.array([21, 23, -999, 22, 24, -999, 25])
''',
        cell='''temps[temps == -999] = np.nan
mean_temp = np.nanmean(temps)
print(f"mean of valid readings: {mean_temp:.2f}")
''',
        raises="ValueError",
        check='''temps.dtype.kind == "f" and len(temps) == 7 and np.isnan(temps).tolist() == [False, False, True, False, False, True, False] and abs(mean_temp - 23.0) < 1e-9''',
        intent="Mark the -999 sentinel readings as missing (NaN) in the seven-reading array and average the valid ones.",
        reference='''temps = temps.astype(float)
temps[temps == -999] = np.nan
mean_temp = np.nanmean(temps)
print(f"mean of valid readings: {mean_temp:.2f}")
''',
    ),
    ExecCase(
        id="q-np-row-mean-broadcast",
        setup='''import numpy as np
X = np.array([[1.0, 2.0, 3.0],
              [4.0, 6.0, 8.0],
              [0.0, 0.0, 3.0],
              [10.0, 10.0, 10.0]])
''',
        cell='''centered = X - X.mean(axis=1)
row_norms = np.linalg.norm(centered, axis=1)
print(centered.round(2))
print(row_norms.round(3))
''',
        raises="ValueError",
        check='''np.allclose(centered, [[-1, 0, 1], [-2, 0, 2], [-1, -1, 2], [0, 0, 0]]) and np.allclose(row_norms, [2 ** 0.5, 8 ** 0.5, 6 ** 0.5, 0.0])''',
        intent="Subtract each row's own mean from that row and compute the norm of every centred row.",
        reference='''centered = X - X.mean(axis=1, keepdims=True)
row_norms = np.linalg.norm(centered, axis=1)
print(centered.round(2))
print(row_norms.round(3))
''',
    ),
    ExecCase(
        id="q-np-matmul-operand-order",
        setup='''import numpy as np
features = np.array([[1.0, 0.5, 2.0],
                     [0.0, 1.0, 1.0],
                     [3.0, 2.0, 0.0],
                     [1.0, 1.0, 1.0]])   # 4 samples x 3 features
weights = np.array([0.2, -1.0, 0.5])
bias = 0.1
''',
        cell='''scores = weights @ features + bias
pred = (scores > 0).astype(int)
print(scores, pred)
''',
        raises="ValueError",
        check='''np.shape(scores) == (4,) and np.allclose(scores, [0.8, -0.4, -1.3, -0.2]) and pred.tolist() == [1, 0, 0, 0]''',
        intent="Score each of the four samples with the linear model (features times weights plus bias) and threshold at zero.",
        reference='''scores = features @ weights + bias
pred = (scores > 0).astype(int)
print(scores, pred)
''',
    ),
    ExecCase(
        id="q-np-concatenate-row-dims",
        setup='''import numpy as np
readings = np.array([[1.5, 2.0, 0.5],
                     [1.0, 1.8, 0.7],
                     [1.2, 2.2, 0.4]])
new = np.array([1.4, 2.1, 0.6])   # today's reading, one value per sensor
''',
        cell='''readings = np.concatenate([readings, new])
col_means = readings.mean(axis=0)
print(readings.shape, col_means)
''',
        raises="ValueError",
        check='''readings.shape == (4, 3) and np.allclose(readings[-1], [1.4, 2.1, 0.6]) and np.allclose(readings[0], [1.5, 2.0, 0.5]) and np.allclose(col_means, [1.275, 2.025, 0.55])''',
        intent="Append today's reading as a fourth row and compute each sensor's (column's) mean.",
        reference='''readings = np.vstack([readings, new])
col_means = readings.mean(axis=0)
print(readings.shape, col_means)
''',
    ),
    ExecCase(
        id="q-np-inplace-divide-int-array",
        setup='''import numpy as np
counts = np.array([12, 30, 8, 50])   # clicks per banner
''',
        cell='''counts /= counts.sum()
top_share = counts.max()
print(counts.round(3), top_share)
''',
        raises="UFuncTypeError",
        check='''np.allclose(counts, [0.12, 0.3, 0.08, 0.5]) and abs(top_share - 0.5) < 1e-12''',
        intent="Turn the click counts into shares of all clicks and find the largest share.",
        reference='''counts = counts / counts.sum()
top_share = counts.max()
print(counts.round(3), top_share)
''',
    ),
    ExecCase(
        id="q-np-float-index-middle",
        setup='''import numpy as np
latencies = np.array([120, 85, 240, 95, 110, 300, 150, 90, 130])   # ms
''',
        cell='''ordered = np.sort(latencies)
median = ordered[len(ordered) / 2]
p_over = (latencies > median).mean()
print(median, round(p_over, 3))
''',
        raises="IndexError",
        check='''median == 120 and abs(p_over - 4 / 9) < 1e-12''',
        intent="Take the middle value of the sorted latencies (the median) and the share of requests slower than it.",
        reference='''ordered = np.sort(latencies)
median = ordered[len(ordered) // 2]
p_over = (latencies > median).mean()
print(median, round(p_over, 3))
''',
    ),
    ExecCase(
        id="q-np-builtin-max-on-2d",
        setup='''import numpy as np
grid = np.array([[3, 8, 1],
                 [6, 2, 9],
                 [4, 7, 5]])   # yield per field plot
''',
        cell='''best = max(grid)
r, c = np.argwhere(grid == best)[0]
print(f"best plot yields {best} at row {r}, col {c}")
''',
        raises="ValueError",
        check='''best == 9 and (int(r), int(c)) == (1, 2)''',
        intent="Find the largest yield over the whole grid and the row and column of that plot.",
        reference='''best = grid.max()
r, c = np.argwhere(grid == best)[0]
print(f"best plot yields {best} at row {r}, col {c}")
''',
    ),
    ExecCase(
        id="q-np-split-unequal",
        setup='''import numpy as np
daily = np.array([5, 7, 6, 8, 9, 4, 3, 6, 7, 10])   # ten days of tickets
''',
        cell='''chunks = np.split(daily, 3)
chunk_totals = [int(c.sum()) for c in chunks]
print(chunk_totals)
''',
        raises="ValueError",
        check='''[len(c) for c in chunks] == [4, 3, 3] and chunk_totals == [26, 16, 23]''',
        intent="Split all ten days into three consecutive, nearly equal chunks and total the tickets in each.",
        reference='''chunks = np.array_split(daily, 3)
chunk_totals = [int(c.sum()) for c in chunks]
print(chunk_totals)
''',
    ),
    # -- plain Python / standard library ---------------------------------------------------------------
    ExecCase(
        id="q-py-json-datetime",
        setup='''import json
from datetime import datetime
event = {"id": 17, "user": "mira", "created": datetime(2024, 3, 5, 10, 30), "tags": ["beta", "mobile"]}
''',
        cell='''payload = json.dumps(event)
roundtrip = json.loads(payload)
print(len(payload), roundtrip["created"])
''',
        raises="TypeError",
        check='''roundtrip["created"] in ("2024-03-05T10:30:00", "2024-03-05 10:30:00") and roundtrip["id"] == 17 and roundtrip["user"] == "mira" and roundtrip["tags"] == ["beta", "mobile"]''',
        intent="Serialise the whole event, its creation time as a date-time string, to JSON and read it back.",
        reference='''payload = json.dumps(event, default=lambda o: o.isoformat())
roundtrip = json.loads(payload)
print(len(payload), roundtrip["created"])
''',
    ),
    ExecCase(
        id="q-py-csv-from-bytes",
        setup='''import csv, io
# what the HTTP download returned: UTF-8 encoded bytes
raw = "name,city,age\\nJosé,Málaga,34\\nZoë,Köln,29\\nLiam,Cork,41\\n".encode("utf-8")
''',
        cell='''reader = csv.DictReader(io.StringIO(raw))
people = list(reader)
mean_age = sum(int(p["age"]) for p in people) / len(people)
print([p["name"] for p in people], mean_age)
''',
        raises="TypeError",
        check='''[p["name"] for p in people] == ["José", "Zoë", "Liam"] and [p["city"] for p in people] == ["Málaga", "Köln", "Cork"] and abs(mean_age - 104 / 3) < 1e-9''',
        intent="Parse the downloaded UTF-8 CSV into rows with their accented names intact and average the ages.",
        reference='''reader = csv.DictReader(io.StringIO(raw.decode("utf-8")))
people = list(reader)
mean_age = sum(int(p["age"]) for p in people) / len(people)
print([p["name"] for p in people], mean_age)
''',
    ),
    ExecCase(
        id="q-py-counter-unhashable-list",
        setup='''from collections import Counter
baskets = [["bread", "milk", "eggs"], ["milk", "bread"], ["beer", "chips"],
           ["bread", "milk"], ["eggs", "bread", "milk"], ["milk", "bread"]]
''',
        cell='''combo_counts = Counter(sorted(b) for b in baskets)
top_combo, top_n = combo_counts.most_common(1)[0]
print(top_combo, top_n)
''',
        raises="TypeError",
        check='''len(combo_counts) == 3 and tuple(sorted(top_combo)) == ("bread", "milk") and top_n == 3''',
        intent="Count how often each basket content (ignoring item order) occurs and find the most common one.",
        reference='''combo_counts = Counter(tuple(sorted(b)) for b in baskets)
top_combo, top_n = combo_counts.most_common(1)[0]
print(top_combo, top_n)
''',
    ),
    ExecCase(
        id="q-py-generator-len-reuse",
        setup='''raw = "12.5, 14.0, 13.2, 15.8, 11.9"
''',
        cell='''readings = (float(x) for x in raw.split(","))
mean = sum(readings) / len(readings)
spread = max(readings) - min(readings)
print(f"mean={mean:.2f} spread={spread:.2f}")
''',
        raises="TypeError",
        check='''abs(mean - 13.48) < 1e-9 and abs(spread - 3.9) < 1e-9''',
        intent="Parse the five readings and compute their mean and their spread (max minus min).",
        reference='''readings = [float(x) for x in raw.split(",")]
mean = sum(readings) / len(readings)
spread = max(readings) - min(readings)
print(f"mean={mean:.2f} spread={spread:.2f}")
''',
    ),
    ExecCase(
        id="q-py-unbound-local-counter",
        setup='''orders = [{"qty": 2, "price": 3.5}, {"qty": 1, "price": 10.0},
          {"qty": 4, "price": 1.25}, {"qty": 3, "price": 2.0}]
''',
        cell='''processed = 0
def handle(order):
    processed += 1
    return order["qty"] * order["price"]
revenue = sum(handle(o) for o in orders)
print(processed, revenue)
''',
        raises="UnboundLocalError",
        check='''processed == 4 and abs(revenue - 28.0) < 1e-9''',
        intent="Total the revenue of all orders while counting in processed how many orders were handled.",
        reference='''processed = 0
def handle(order):
    global processed
    processed += 1
    return order["qty"] * order["price"]
revenue = sum(handle(o) for o in orders)
print(processed, revenue)
''',
    ),
    ExecCase(
        id="q-py-method-missing-self",
        setup='''fruit = [("apple", 3), ("pear", 1), ("fig", 2)]
''',
        cell='''class Basket:
    def __init__(self): self.items = []
    def add(item, qty=1): self.items.append((item, qty))
cart = Basket()
for name, qty in fruit:
    cart.add(name, qty)
n_units = sum(q for _, q in cart.items)
print(n_units, cart.items)
''',
        raises="TypeError",
        check='''cart.items == [("apple", 3), ("pear", 1), ("fig", 2)] and n_units == 6''',
        intent="Put every fruit with its quantity into a Basket and count the units in it.",
        reference='''class Basket:
    def __init__(self): self.items = []
    def add(self, item, qty=1): self.items.append((item, qty))
cart = Basket()
for name, qty in fruit:
    cart.add(name, qty)
n_units = sum(q for _, q in cart.items)
print(n_units, cart.items)
''',
    ),
    ExecCase(
        id="q-py-findall-groups-tuples",
        setup='''import re
receipt = "Coffee $3.50\\nBagel $2.25\\nJuice $4.75\\nTip $1.00"
''',
        cell='''amounts = [float(m) for m in re.findall(r"\\$(\\d+)\\.(\\d{2})", receipt)]
total = sum(amounts)
print(f"{len(amounts)} items, total ${total:.2f}")
''',
        raises="TypeError",
        check='''amounts == [3.5, 2.25, 4.75, 1.0] and abs(total - 11.5) < 1e-9''',
        intent="Extract every dollar amount on the receipt as a float, cents included, and total them.",
        reference='''amounts = [float(m) for m in re.findall(r"\\$(\\d+\\.\\d{2})", receipt)]
total = sum(amounts)
print(f"{len(amounts)} items, total ${total:.2f}")
''',
    ),
    ExecCase(
        id="q-py-one-based-day-index",
        setup='''week_temps = [18.5, 20.1, 22.4, 19.8, 17.2, 21.0, 23.6]   # Monday (day 1) .. Sunday (day 7)
rain_days = [2, 5, 7]                                     # day numbers from the weather report
''',
        cell='''rain_temps = []
for day in rain_days:
    t = week_temps[day]
    rain_temps.append(t)
avg_rain_temp = sum(rain_temps) / len(rain_temps)
print(rain_temps, round(avg_rain_temp, 2))
''',
        raises="IndexError",
        check='''rain_temps == [20.1, 17.2, 23.6] and abs(avg_rain_temp - 20.3) < 1e-9''',
        intent="Look up the temperature of each rainy day (days numbered 1 to 7) and average them.",
        reference='''rain_temps = []
for day in rain_days:
    t = week_temps[day - 1]
    rain_temps.append(t)
avg_rain_temp = sum(rain_temps) / len(rain_temps)
print(rain_temps, round(avg_rain_temp, 2))
''',
    ),
    ExecCase(
        id="q-py-isinstance-parameterized-generic",
        setup='''config = {"name": "exp-7", "layers": [64, 32, 16], "dropout": 0.2,
          "seeds": [1, 2, 3], "tags": ["baseline", "small"], "epochs": 20}
''',
        cell='''int_lists = {k: v for k, v in config.items() if isinstance(v, list[int])}
n_values = sum(len(v) for v in int_lists.values())
print(sorted(int_lists), n_values)
''',
        raises="TypeError",
        check='''sorted(int_lists) == ["layers", "seeds"] and n_values == 6''',
        intent="Collect the settings whose value is a list of integers and count the integers in them.",
        reference='''int_lists = {k: v for k, v in config.items() if isinstance(v, list) and all(isinstance(x, int) for x in v)}
n_values = sum(len(v) for v in int_lists.values())
print(sorted(int_lists), n_values)
''',
    ),
    ExecCase(
        id="q-py-datetime-minus-date",
        setup='''from datetime import date, datetime
signup = {"ana": date(2024, 1, 10), "bo": date(2024, 2, 28), "cy": date(2023, 12, 31)}
last_login = {"ana": datetime(2024, 3, 1, 9, 15), "bo": datetime(2024, 3, 1, 23, 50),
              "cy": datetime(2024, 1, 2, 8, 0)}
''',
        cell='''days_active = {}
for user, start in signup.items():
    days_active[user] = (last_login[user] - start).days
longest = max(days_active, key=days_active.get)
print(days_active, longest)
''',
        raises="TypeError",
        check='''days_active == {"ana": 51, "bo": 2, "cy": 2} and longest == "ana"''',
        intent="For each user, count the calendar days from signup to last login and find the longest-active user.",
        reference='''days_active = {}
for user, start in signup.items():
    days_active[user] = (last_login[user].date() - start).days
longest = max(days_active, key=days_active.get)
print(days_active, longest)
''',
    ),
)
