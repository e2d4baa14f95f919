"""Fresh execution-graded cases, set D: 30 notebook errors (12 pandas, 8 numpy, 10 plain Python), written blind.

Each cell really raises when run after its setup on the installed pandas 3 / numpy 2; each check looks at the
computed values, so deleting the failing line, swallowing its error, or a plausible-but-wrong quick fix fails.
"""

from bench.exec_case import ExecCase

CASES: tuple[ExecCase, ...] = (
    # ------------------------------------------------------------------ pandas
    ExecCase(
        id="d-pandas-merge-suffix-growth",
        setup='''import pandas as pd
q1 = pd.DataFrame({"product": ["lamp", "desk", "chair", "shelf"], "revenue": [1200.0, 5000.0, 3000.0, 800.0]})
q2 = pd.DataFrame({"product": ["desk", "lamp", "shelf", "chair"], "revenue": [5500.0, 900.0, 1200.0, 3600.0]})
''',
        cell='''merged = q1.merge(q2, on="product")
merged["growth"] = merged["revenue_q2"] / merged["revenue_q1"] - 1
fastest = merged.sort_values("growth", ascending=False)["product"].tolist()
print(fastest)
''',
        raises="KeyError",
        check='fastest == ["shelf", "chair", "desk", "lamp"] '
              'and abs(dict(zip(merged["product"], merged["growth"]))["lamp"] + 0.25) < 1e-9 '
              'and abs(dict(zip(merged["product"], merged["growth"]))["shelf"] - 0.5) < 1e-9',
        intent="Per product, growth of Q2 revenue over Q1 revenue, and the products ordered from fastest to slowest growth.",
        reference='''merged = q1.merge(q2, on="product", suffixes=("_q1", "_q2"))
merged["growth"] = merged["revenue_q2"] / merged["revenue_q1"] - 1
fastest = merged.sort_values("growth", ascending=False)["product"].tolist()
print(fastest)
''',
    ),
    ExecCase(
        id="d-pandas-thousands-separator-amounts",
        setup='''import pandas as pd
invoices = pd.DataFrame({"client": ["acme", "globex", "initech", "acme", "umbrella"],
                         "amount": ["1,250.50", "980.00", "12,400.00", "3,100.25", "455.75"]})
''',
        cell='''invoices["amount_num"] = invoices["amount"].astype(float)
by_client = invoices.groupby("client")["amount_num"].sum()
grand_total = by_client.sum()
print(by_client)
''',
        raises="ValueError",
        check='abs(grand_total - 18186.5) < 1e-6 and abs(by_client["acme"] - 4350.75) < 1e-6 '
              'and abs(by_client["initech"] - 12400.0) < 1e-6',
        intent="Total invoiced amount per client and overall, with the amounts parsed from strings that use comma thousands separators.",
        reference='''invoices["amount_num"] = invoices["amount"].str.replace(",", "").astype(float)
by_client = invoices.groupby("client")["amount_num"].sum()
grand_total = by_client.sum()
print(by_client)
''',
    ),
    ExecCase(
        id="d-pandas-dt-on-dayfirst-strings",
        setup='''import pandas as pd
# exported from the Berlin office's booking system
visits = pd.DataFrame({"date": ["03/02/2024", "11/02/2024", "25/01/2024", "07/03/2024", "14/03/2024", "09/01/2024"],
                       "visitors": [120, 95, 80, 140, 60, 75]})
''',
        cell='''visits["month"] = visits["date"].dt.month
monthly = visits.groupby("month")["visitors"].sum()
busiest_month = monthly.idxmax()
''',
        raises="AttributeError",
        check='{int(k): int(v) for k, v in monthly.items()} == {1: 155, 2: 215, 3: 200} and int(busiest_month) == 2',
        intent="Visitors per calendar month and the busiest month, reading the day/month/year date strings correctly.",
        reference='''visits["month"] = pd.to_datetime(visits["date"], dayfirst=True).dt.month
monthly = visits.groupby("month")["visitors"].sum()
busiest_month = monthly.idxmax()
''',
    ),
    ExecCase(
        id="d-pandas-inplace-chain-returns-none",
        setup='''import pandas as pd
scores = pd.DataFrame({"player": ["ana", "ben", "cai", "dee", "eli"], "points": [31, 48, 27, 45, 39]},
                      index=[10, 11, 12, 13, 14])
''',
        cell='''ranked = scores.sort_values("points", ascending=False).reset_index(drop=True, inplace=True)
podium = ranked.head(3)["player"].tolist()
print(podium)
''',
        raises="AttributeError",
        check='podium == ["ben", "dee", "eli"] and list(ranked["player"]) == ["ben", "dee", "eli", "ana", "cai"] '
              'and list(ranked.index) == [0, 1, 2, 3, 4]',
        intent="The players ranked by points (highest first) with a fresh 0..n-1 index, and the top three names.",
        reference='''ranked = scores.sort_values("points", ascending=False).reset_index(drop=True)
podium = ranked.head(3)["player"].tolist()
print(podium)
''',
    ),
    ExecCase(
        id="d-pandas-apply-rows-without-axis",
        setup='''import pandas as pd
orders = pd.DataFrame({"qty": [2, 5, 1, 3], "unit_price": [9.99, 4.50, 120.00, 15.00],
                       "discount": [0.0, 0.1, 0.25, 0.0]})
''',
        cell='''orders["net"] = orders.apply(lambda row: row["qty"] * row["unit_price"] * (1 - row["discount"]))
revenue = round(float(orders["net"].sum()), 2)
print(revenue)
''',
        raises="KeyError",
        check='revenue == 175.23 and [round(float(v), 2) for v in orders["net"]] == [19.98, 20.25, 90.0, 45.0]',
        intent="Each order's net amount (qty x unit price after discount) as a new column, and the total revenue.",
        reference='''orders["net"] = orders.apply(lambda row: row["qty"] * row["unit_price"] * (1 - row["discount"]), axis=1)
revenue = round(float(orders["net"].sum()), 2)
print(revenue)
''',
    ),
    ExecCase(
        id="d-pandas-series-label-zero-after-filter",
        setup='''import pandas as pd
runs = pd.DataFrame({"runner": ["kim", "lou", "max", "ned", "ora"],
                     "minutes": [52.5, 47.0, 61.2, 44.8, 49.9],
                     "finished": [False, True, True, True, True]})
''',
        cell='''finishers = runs[runs["finished"]].sort_values("minutes")
winner = finishers["runner"][0]
winner_time = finishers["minutes"][0]
print(f"{winner} won in {winner_time} min")
''',
        raises="KeyError",
        check='winner == "ned" and winner_time == 44.8',
        intent="The fastest runner among those who finished, and their time.",
        reference='''finishers = runs[runs["finished"]].sort_values("minutes")
winner = finishers["runner"].iloc[0]
winner_time = finishers["minutes"].iloc[0]
print(f"{winner} won in {winner_time} min")
''',
    ),
    ExecCase(
        id="d-pandas-compare-string-numbers",
        setup='''import pandas as pd
calls = pd.DataFrame({"agent": ["ivy", "jon", "kat", "leo", "mia", "nat"],
                      "duration_min": ["45", "120", "9", "300", "75", "60"]})
''',
        cell='''long_calls = calls[calls["duration_min"] > 60]
long_agents = long_calls["agent"].tolist()
share_long = len(long_calls) / len(calls)
''',
        raises="TypeError",
        check='long_agents == ["jon", "leo", "mia"] and share_long == 0.5',
        intent="The agents whose calls lasted more than 60 minutes, and the share of such calls.",
        reference='''long_calls = calls[calls["duration_min"].astype(int) > 60]
long_agents = long_calls["agent"].tolist()
share_long = len(long_calls) / len(calls)
''',
    ),
    ExecCase(
        id="d-pandas-pivot-duplicate-readings",
        setup='''import pandas as pd
rain = pd.DataFrame({"day": ["mon", "mon", "mon", "tue", "tue", "wed"],
                     "city": ["oslo", "oslo", "rome", "oslo", "rome", "rome"],
                     "mm": [2.0, 3.5, 0.0, 1.0, 4.0, 6.5]})
''',
        cell='''# total rainfall per day and city (a city can report several readings a day)
table = rain.pivot(index="day", columns="city", values="mm")
oslo_total = table["oslo"].sum()
wettest_day = table.sum(axis=1).idxmax()
''',
        raises="ValueError",
        check='table.loc["mon", "oslo"] == 5.5 and table.loc["tue", "rome"] == 4.0 and oslo_total == 6.5 '
              'and wettest_day == "wed"',
        intent="A day x city table of total rainfall (summing several readings), Oslo's total, and the wettest day.",
        reference='''# total rainfall per day and city (a city can report several readings a day)
table = rain.pivot_table(index="day", columns="city", values="mm", aggfunc="sum")
oslo_total = table["oslo"].sum()
wettest_day = table.sum(axis=1).idxmax()
''',
    ),
    ExecCase(
        id="d-pandas-groupby-tuple-of-columns",
        setup='''import pandas as pd
games = pd.DataFrame({"team": ["red", "blue", "red", "blue", "red"],
                      "goals": [2, 1, 4, 3, 0], "shots": [10, 7, 12, 9, 5]})
''',
        cell='''per_team = games.groupby("team")["goals", "shots"].mean()
per_team["conversion"] = per_team["goals"] / per_team["shots"]
best_team = per_team["conversion"].idxmax()
''',
        raises="ValueError",
        check='per_team.loc["red", "goals"] == 2 and per_team.loc["blue", "shots"] == 8 '
              'and abs(per_team.loc["red", "conversion"] - 2 / 9) < 1e-9 and best_team == "blue"',
        intent="Mean goals and shots per team, their ratio as a conversion rate, and the team converting best.",
        reference='''per_team = games.groupby("team")[["goals", "shots"]].mean()
per_team["conversion"] = per_team["goals"] / per_team["shots"]
best_team = per_team["conversion"].idxmax()
''',
    ),
    ExecCase(
        id="d-pandas-dataframe-append-removed",
        setup='''import pandas as pd
stock = pd.DataFrame({"sku": ["A1", "B2", "C3"], "qty": [10, 0, 4]})
new_item = {"sku": "D4", "qty": 7}
''',
        cell='''stock2 = stock.append(new_item, ignore_index=True)
restock = stock2.loc[stock2["qty"] < 5, "sku"].tolist()
total_units = stock2["qty"].sum()
''',
        raises="AttributeError",
        check='stock2["sku"].tolist() == ["A1", "B2", "C3", "D4"] and list(stock2.index) == [0, 1, 2, 3] '
              'and restock == ["B2", "C3"] and total_units == 21',
        intent="The stock table with the new item added as a fourth row, the SKUs needing restock (<5), and total units.",
        reference='''stock2 = pd.concat([stock, pd.DataFrame([new_item])], ignore_index=True)
restock = stock2.loc[stock2["qty"] < 5, "sku"].tolist()
total_units = stock2["qty"].sum()
''',
    ),
    ExecCase(
        id="d-pandas-value-counts-reset-index-names",
        setup='''import pandas as pd
tickets = pd.DataFrame({"id": range(1, 11),
                        "category": ["billing", "login", "billing", "bug", "login",
                                     "billing", "other", "login", "bug", "billing"]})
''',
        cell='''counts = tickets["category"].value_counts().reset_index()
top_category = counts.loc[0, "index"]
top_share = counts.loc[0, "category"] / counts["category"].sum()
print(top_category, top_share)
''',
        raises="KeyError",
        check='top_category == "billing" and abs(float(top_share) - 0.4) < 1e-9',
        intent="The most frequent ticket category and the share of tickets it accounts for.",
        reference='''counts = tickets["category"].value_counts().reset_index()
top_category = counts.loc[0, "category"]
top_share = counts.loc[0, "count"] / counts["count"].sum()
print(top_category, top_share)
''',
    ),
    ExecCase(
        id="d-pandas-subtract-date-strings",
        setup='''import pandas as pd
tasks = pd.DataFrame({"task": ["spec", "build", "test", "ship"],
                      "start": ["2024-03-01", "2024-03-04", "2024-03-18", "2024-03-27"],
                      "end": ["2024-03-05", "2024-03-20", "2024-03-26", "2024-03-28"]})
''',
        cell='''tasks["days"] = (tasks["end"] - tasks["start"]).dt.days
longest = tasks.loc[tasks["days"].idxmax(), "task"]
mean_days = tasks["days"].mean()
''',
        raises="TypeError",
        check='[int(d) for d in tasks["days"]] == [4, 16, 8, 1] and longest == "build" and mean_days == 7.25',
        intent="Each task's duration in days (end minus start), the longest task, and the mean duration.",
        reference='''tasks["days"] = (pd.to_datetime(tasks["end"]) - pd.to_datetime(tasks["start"])).dt.days
longest = tasks.loc[tasks["days"].idxmax(), "task"]
mean_days = tasks["days"].mean()
''',
    ),
    # ------------------------------------------------------------------ numpy
    ExecCase(
        id="d-numpy-matmul-missing-bias-column",
        setup='''import numpy as np
X = np.array([[1.0, 2.0], [0.5, -1.0], [3.0, 0.0], [2.0, 2.0]])
w = np.array([0.5, 2.0, -1.0])  # w[0] is the intercept, w[1:] the feature weights
y = np.array([4.0, 1.0, 6.5, 3.0])
''',
        cell='''preds = X @ w
residuals = y - preds
mse = float(np.mean(residuals ** 2))
print(mse)
''',
        raises="ValueError",
        check='np.allclose(preds, [0.5, 2.5, 6.5, 2.5]) and abs(mse - 3.6875) < 1e-9',
        intent="Linear-model predictions with intercept w[0] and weights w[1:], and their mean squared error against y.",
        reference='''preds = np.column_stack([np.ones(len(X)), X]) @ w
residuals = y - preds
mse = float(np.mean(residuals ** 2))
print(mse)
''',
    ),
    ExecCase(
        id="d-numpy-row-normalize-broadcast",
        setup='''import numpy as np
counts = np.array([[2, 6, 0, 2], [1, 1, 1, 1], [0, 3, 3, 6]])
''',
        cell='''# each row is one document's word counts -> turn every row into frequencies
freqs = counts / counts.sum(axis=1)
top_word = freqs.argmax(axis=1)
print(freqs.round(2))
''',
        raises="ValueError",
        check='np.shape(freqs) == (3, 4) and np.allclose(freqs, [[0.2, 0.6, 0.0, 0.2], [0.25, 0.25, 0.25, 0.25], '
              '[0.0, 0.25, 0.25, 0.5]]) and list(top_word) == [1, 0, 3]',
        intent="Row-wise word frequencies (each row divided by its own total) and each document's most frequent word.",
        reference='''# each row is one document's word counts -> turn every row into frequencies
freqs = counts / counts.sum(axis=1, keepdims=True)
top_word = freqs.argmax(axis=1)
print(freqs.round(2))
''',
    ),
    ExecCase(
        id="d-numpy-daily-returns-off-by-one",
        setup='''import numpy as np
prices = np.array([100.0, 102.0, 99.0, 105.0, 104.0])
''',
        cell='''returns = [(prices[i + 1] - prices[i]) / prices[i] for i in range(len(prices))]
best_day = int(np.argmax(returns)) + 1
print(best_day, returns)
''',
        raises="IndexError",
        check='len(returns) == 4 and np.allclose(returns, [0.02, -3 / 102, 6 / 99, -1 / 105]) and best_day == 3',
        intent="The day-over-day returns between consecutive prices, and which step (1-based) had the best return.",
        reference='''returns = [(prices[i + 1] - prices[i]) / prices[i] for i in range(len(prices) - 1)]
best_day = int(np.argmax(returns)) + 1
print(best_day, returns)
''',
    ),
    ExecCase(
        id="d-numpy-nan-into-int-array",
        setup='''import numpy as np
readings = np.array([21, 23, 999, 22, 24, 999, 20])  # 999 is the sensor's error code
''',
        cell='''cleaned = readings.copy()
cleaned[cleaned == 999] = np.nan
mean_temp = float(np.nanmean(cleaned))
n_valid = int(np.sum(~np.isnan(cleaned)))
''',
        raises="ValueError",
        check='mean_temp == 22.0 and n_valid == 5 and int(np.isnan(cleaned).sum()) == 2',
        intent="The readings with error codes replaced by NaN, the mean of the valid readings, and how many are valid.",
        reference='''cleaned = readings.astype(float)
cleaned[cleaned == 999] = np.nan
mean_temp = float(np.nanmean(cleaned))
n_valid = int(np.sum(~np.isnan(cleaned)))
''',
    ),
    ExecCase(
        id="d-numpy-scalar-function-on-array",
        setup='''import numpy as np
activations = np.array([-1.5, 0.0, 2.0, 3.5, -0.2])
''',
        cell='''def relu(x):
    return x if x > 0 else 0.0

out = relu(activations)
active_fraction = float(np.mean(np.asarray(out) > 0))
total = float(np.sum(out))
''',
        raises="ValueError",
        check='np.allclose(out, [0.0, 0.0, 2.0, 3.5, 0.0]) and active_fraction == 0.4 and total == 5.5',
        intent="ReLU applied element-wise to the activations, the fraction that are active, and their sum.",
        reference='''def relu(x):
    return np.maximum(x, 0.0)

out = relu(activations)
active_fraction = float(np.mean(np.asarray(out) > 0))
total = float(np.sum(out))
''',
    ),
    ExecCase(
        id="d-numpy-NaN-alias-removed",
        setup='''import numpy as np
heights_cm = np.array([172.0, 165.5, -1.0, 180.2, 0.0, 158.3])  # -1 and 0 mean "not measured"
''',
        cell='''valid = np.where(heights_cm > 0, heights_cm, np.NaN)
avg_height = float(np.nanmean(valid))
n_missing = int(np.isnan(valid).sum())
''',
        raises="AttributeError",
        check='abs(avg_height - 169.0) < 1e-9 and n_missing == 2',
        intent="Heights with unmeasured entries set to NaN, the mean measured height, and the number missing.",
        reference='''valid = np.where(heights_cm > 0, heights_cm, np.nan)
avg_height = float(np.nanmean(valid))
n_missing = int(np.isnan(valid).sum())
''',
    ),
    ExecCase(
        id="d-numpy-proba-column-on-1d",
        setup='''import numpy as np
# P(class 1) for each sample, from the binary classifier
p_pos = np.array([0.12, 0.81, 0.55, 0.49, 0.97, 0.30])
y_true = np.array([0, 1, 0, 1, 1, 0])
''',
        cell='''threshold = 0.5
y_pred = (p_pos[:, 1] >= threshold).astype(int)
accuracy = float((y_pred == y_true).mean())
''',
        raises="IndexError",
        check='list(y_pred) == [0, 1, 1, 0, 1, 0] and abs(accuracy - 4 / 6) < 1e-9',
        intent="Hard 0/1 predictions by thresholding the class-1 probabilities at 0.5, and their accuracy.",
        reference='''threshold = 0.5
y_pred = (p_pos >= threshold).astype(int)
accuracy = float((y_pred == y_true).mean())
''',
    ),
    ExecCase(
        id="d-numpy-float-slice-index",
        setup='''import numpy as np
loss = np.array([2.31, 1.90, 1.52, 1.33, 1.21, 1.15, 1.12, 1.10])
''',
        cell='''half = len(loss) / 2
early = loss[:half].mean()
late = loss[half:].mean()
improvement = early - late
''',
        raises="TypeError",
        check='abs(early - 1.765) < 1e-9 and abs(late - 1.145) < 1e-9 and abs(improvement - 0.62) < 1e-9',
        intent="Mean training loss over the first and second halves of the epochs, and how much it improved.",
        reference='''half = len(loss) // 2
early = loss[:half].mean()
late = loss[half:].mean()
improvement = early - late
''',
    ),
    # ------------------------------------------------------------------ plain Python / stdlib
    ExecCase(
        id="d-py-mutable-default-accumulates",
        setup='''rows = ["ann,31", "bob,27", "cy,45"]
''',
        cell='''def parse(line, fields=[]):
    fields.extend(line.strip().split(","))
    return fields

ages = {}
for row in rows:
    name, age = parse(row)
    ages[name] = int(age)
''',
        raises="ValueError",
        check='ages == {"ann": 31, "bob": 27, "cy": 45}',
        intent="A dict mapping each person's name to their integer age, parsed from the 'name,age' rows.",
        reference='''def parse(line, fields=None):
    fields = [] if fields is None else fields
    fields.extend(line.strip().split(","))
    return fields

ages = {}
for row in rows:
    name, age = parse(row)
    ages[name] = int(age)
''',
    ),
    ExecCase(
        id="d-py-word-count-missing-key",
        setup='''review = "Great food. Great service, slow delivery. Food was great!"
''',
        cell='''counts = {}
for word in review.lower().split():
    word = word.strip(".,!")
    counts[word] += 1
top_word = max(counts, key=counts.get)
''',
        raises="KeyError",
        check='dict(counts) == {"great": 3, "food": 2, "service": 1, "slow": 1, "delivery": 1, "was": 1} '
              'and top_word == "great"',
        intent="How often each (lower-cased, punctuation-stripped) word occurs in the review, and the most common word.",
        reference='''counts = {}
for word in review.lower().split():
    word = word.strip(".,!")
    counts[word] = counts.get(word, 0) + 1
top_word = max(counts, key=counts.get)
''',
    ),
    ExecCase(
        id="d-py-strptime-iso-t-separator",
        setup='''from datetime import datetime
log = [("job-a", "2024-03-15T14:30", "2024-03-15T15:05"),
       ("job-b", "2024-03-15T23:50", "2024-03-16T00:20"),
       ("job-c", "2024-03-16T08:00", "2024-03-16T09:45")]
''',
        cell='''durations = {}
for name, start, end in log:
    t0 = datetime.strptime(start, "%Y-%m-%d %H:%M")
    t1 = datetime.strptime(end, "%Y-%m-%d %H:%M")
    durations[name] = int((t1 - t0).total_seconds() // 60)
slowest = max(durations, key=durations.get)
''',
        raises="ValueError",
        check='durations == {"job-a": 35, "job-b": 30, "job-c": 105} and slowest == "job-c"',
        intent="Each job's run time in minutes from its start/end timestamps, and the slowest job.",
        reference='''durations = {}
for name, start, end in log:
    t0 = datetime.strptime(start, "%Y-%m-%dT%H:%M")
    t1 = datetime.strptime(end, "%Y-%m-%dT%H:%M")
    durations[name] = int((t1 - t0).total_seconds() // 60)
slowest = max(durations, key=durations.get)
''',
    ),
    ExecCase(
        id="d-py-json-loads-python-repr",
        setup='''logged = ["{'user': 'ann', 'items': [3, 4], 'paid': True}",
          "{'user': 'bo', 'items': [10], 'paid': False}",
          "{'user': 'cy', 'items': [], 'paid': True, 'note': None}"]
''',
        cell='''import json
records = [json.loads(line) for line in logged]
paid_total = sum(sum(r["items"]) for r in records if r["paid"])
users = [r["user"] for r in records]
''',
        raises="JSONDecodeError",
        check='records == [{"user": "ann", "items": [3, 4], "paid": True}, {"user": "bo", "items": [10], "paid": False}, '
              '{"user": "cy", "items": [], "paid": True, "note": None}] and paid_total == 7 and users == ["ann", "bo", "cy"]',
        intent="The logged payloads parsed back into dicts, the item total over paid payloads, and the list of users.",
        reference='''import ast
records = [ast.literal_eval(line) for line in logged]
paid_total = sum(sum(r["items"]) for r in records if r["paid"])
users = [r["user"] for r in records]
''',
    ),
    ExecCase(
        id="d-py-fstring-float-spec-on-str",
        setup='''cart = [("notebook", "3.5", 4), ("pen", "1.25", 10), ("backpack", "39.9", 1)]
''',
        cell=r'''lines = []
for item, price, qty in cart:
    lines.append(f"{item:<10}{qty:>3} x {price:.2f} = {qty * price:.2f}")
receipt = "\n".join(lines)
print(receipt)
''',
        raises="ValueError",
        check='lines == ["notebook    4 x 3.50 = 14.00", "pen        10 x 1.25 = 12.50", "backpack    1 x 39.90 = 39.90"] '
              'and receipt.count(chr(10)) == 2',
        intent="One formatted receipt line per cart item (name, quantity, unit price, line total) joined into a receipt.",
        reference=r'''lines = []
for item, price, qty in cart:
    lines.append(f"{item:<10}{qty:>3} x {float(price):.2f} = {qty * float(price):.2f}")
receipt = "\n".join(lines)
print(receipt)
''',
    ),
    ExecCase(
        id="d-py-class-body-comprehension-scope",
        setup='''project = "demo"
''',
        cell='''class Paths:
    root = "/data/project"
    names = ["train.csv", "valid.csv", "test.csv"]
    files = [root + "/" + n for n in names]

all_files = Paths.files
n_files = len(all_files)
''',
        raises="NameError",
        check='all_files == ["/data/project/train.csv", "/data/project/valid.csv", "/data/project/test.csv"] and n_files == 3',
        intent="The full paths of the three data files under the configured root, exposed as Paths.files.",
        reference='''class Paths:
    root = "/data/project"
    names = ["train.csv", "valid.csv", "test.csv"]
Paths.files = [Paths.root + "/" + n for n in Paths.names]

all_files = Paths.files
n_files = len(all_files)
''',
    ),
    ExecCase(
        id="d-py-average-of-empty-list",
        setup='''grades = {"ana": [88, 92, 79], "ben": [], "cleo": [95, 85], "dan": [70, 75, 80, 75]}
''',
        cell='''averages = {s: sum(marks) / len(marks) for s, marks in grades.items()}
class_avg = sum(averages.values()) / len(averages)
ranking = sorted(averages, key=averages.get, reverse=True)
print(ranking, class_avg)
''',
        raises="ZeroDivisionError",
        check='abs(averages["ana"] - 259 / 3) < 1e-9 and averages["cleo"] == 90 and averages["dan"] == 75 '
              'and abs(class_avg - (259 / 3 + 90 + 75) / 3) < 1e-9 '
              'and [s for s in ranking if s != "ben"] == ["cleo", "ana", "dan"]',
        intent="Each graded student's average, the class average over students who have grades, and the ranking.",
        reference='''averages = {s: sum(marks) / len(marks) for s, marks in grades.items() if marks}
class_avg = sum(averages.values()) / len(averages)
ranking = sorted(averages, key=averages.get, reverse=True)
print(ranking, class_avg)
''',
    ),
    ExecCase(
        id="d-py-regex-no-match-group",
        setup=r'''import re
messages = ["Order ID-1042 shipped", "Refund issued for id-0977", "Order ID-1100 delayed",
            "ID-1201: address changed"]
''',
        cell=r'''order_ids = []
for msg in messages:
    m = re.search(r"ID-(\d+)", msg)
    order_ids.append(int(m.group(1)))
latest = max(order_ids)
''',
        raises="AttributeError",
        check='order_ids == [1042, 977, 1100, 1201] and latest == 1201',
        intent="The numeric order id mentioned in every message (whatever the case of 'ID'), and the latest one.",
        reference=r'''order_ids = []
for msg in messages:
    m = re.search(r"ID-(\d+)", msg, flags=re.IGNORECASE)
    order_ids.append(int(m.group(1)))
latest = max(order_ids)
''',
    ),
    ExecCase(
        id="d-py-namedtuple-field-assignment",
        setup='''from collections import namedtuple
Item = namedtuple("Item", ["sku", "name", "qty"])
inventory = [Item("A1", "bolt", 120), Item("B2", "nut", 300), Item("C3", "washer", 75)]
sold = {"A1": 20, "C3": 75}
''',
        cell='''updated = []
for item in inventory:
    item.qty -= sold.get(item.sku, 0)
    updated.append(item)
out_of_stock = [it.name for it in updated if it.qty == 0]
''',
        raises="AttributeError",
        check='[(it.sku, it.qty) for it in updated] == [("A1", 100), ("B2", 300), ("C3", 0)] and out_of_stock == ["washer"]',
        intent="The inventory records with sold quantities subtracted, and the names of items now out of stock.",
        reference='''updated = []
for item in inventory:
    item = item._replace(qty=item.qty - sold.get(item.sku, 0))
    updated.append(item)
out_of_stock = [it.name for it in updated if it.qty == 0]
''',
    ),
    ExecCase(
        id="d-py-method-missing-self",
        setup='''opening = 100
''',
        cell='''class Account:
    def __init__(self, balance):
        self.balance = balance
    def deposit(amount):
        self.balance += amount
acct = Account(opening)
acct.deposit(50)
final_balance = acct.balance
''',
        raises="TypeError",
        check='final_balance == 150 and acct.balance == 150',
        intent="An account opened with the opening balance, then 50 deposited, and the resulting balance.",
        reference='''class Account:
    def __init__(self, balance):
        self.balance = balance
    def deposit(self, amount):
        self.balance += amount
acct = Account(opening)
acct.deposit(50)
final_balance = acct.balance
''',
    ),
)
