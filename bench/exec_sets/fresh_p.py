"""fresh_p: thirty execution-graded notebook errors (pandas, numpy, plain Python)."""

from __future__ import annotations

from bench.exec_case import ExecCase

CASES: tuple[ExecCase, ...] = (
    # ------------------------------------------------------------------ pandas
    ExecCase(
        id="p-groupby-mean-parsed-str",
        setup=r"""import pandas as pd
rows = ["north,12.5", "south,8", "north,9.5", "east,10", "south,4"]
df = pd.DataFrame([r.split(",") for r in rows], columns=["region", "sales"])
""",
        cell=r"""by_region = df.groupby("region")["sales"].mean()
best = by_region.idxmax()
print(by_region)
print("best region:", best)
""",
        raises="TypeError",
        check=r"""by_region.to_dict() == {"east": 10.0, "north": 11.0, "south": 6.0} and best == "north" """,
        intent="Average the numeric sales per region (the sales were parsed from text) and name the best region.",
        reference=r"""df["sales"] = pd.to_numeric(df["sales"])
by_region = df.groupby("region")["sales"].mean()
best = by_region.idxmax()
print(by_region)
print("best region:", best)
""",
    ),
    ExecCase(
        id="p-tz-aware-cutoff",
        setup=r"""import pandas as pd
events = pd.DataFrame({
    "user": ["a", "b", "a", "c", "b"],
    "ts": pd.to_datetime(["2024-02-28 23:30", "2024-03-01 08:00", "2024-03-02 12:15",
                          "2024-02-29 10:00", "2024-03-03 09:45"]).tz_localize("UTC"),
})
""",
        cell=r"""cutoff = pd.Timestamp("2024-03-01")
march = events[events["ts"] >= cutoff]
per_user = march.groupby("user").size()
print(per_user)
print("active users in March:", len(per_user))
""",
        raises="TypeError",
        check=r"""len(march) == 3 and per_user.to_dict() == {"a": 1, "b": 2} and sorted(march["user"]) == ["a", "b", "b"]""",
        intent="Count, per user, the UTC events on or after 1 March 2024.",
        reference=r"""cutoff = pd.Timestamp("2024-03-01", tz="UTC")
march = events[events["ts"] >= cutoff]
per_user = march.groupby("user").size()
print(per_user)
print("active users in March:", len(per_user))
""",
    ),
    ExecCase(
        id="p-categorical-new-label",
        setup=r"""import pandas as pd
survey = pd.DataFrame({
    "resp": [1, 2, 3, 4, 5, 6],
    "answer": pd.Categorical(["yes", "no", "yes", None, "no", None], categories=["yes", "no"]),
})
""",
        cell=r"""survey.loc[survey["answer"].isna(), "answer"] = "skipped"
counts = survey["answer"].value_counts()
codes = survey["answer"].cat.codes.tolist()
print(counts)
print(codes)
""",
        raises="TypeError",
        check=r"""codes == [0, 1, 0, 2, 1, 2] and counts.to_dict() == {"yes": 2, "no": 2, "skipped": 2} and list(survey["answer"].cat.categories) == ["yes", "no", "skipped"]""",
        intent="Mark unanswered survey rows as a new 'skipped' category and count the answers, keeping the column categorical.",
        reference=r"""survey["answer"] = survey["answer"].cat.add_categories("skipped")
survey.loc[survey["answer"].isna(), "answer"] = "skipped"
counts = survey["answer"].value_counts()
codes = survey["answer"].cat.codes.tolist()
print(counts)
print(codes)
""",
    ),
    ExecCase(
        id="p-resample-without-datetime-index",
        setup=r"""import pandas as pd
sales = pd.DataFrame({
    "date": pd.to_datetime(["2024-01-01", "2024-01-03", "2024-01-08", "2024-01-09", "2024-01-15", "2024-01-20"]),
    "amount": [100, 50, 80, 20, 60, 40],
})
""",
        cell=r"""weekly = sales.resample("W")["amount"].sum()
peak_week = weekly.idxmax()
print(weekly)
print("peak week ends", peak_week.date())
assert weekly.sum() == sales["amount"].sum()
""",
        raises="TypeError",
        check=r"""weekly.tolist() == [150, 100, 100] and str(peak_week.date()) == "2024-01-07" and [str(d.date()) for d in weekly.index] == ["2024-01-07", "2024-01-14", "2024-01-21"]""",
        intent="Total the sales per calendar week (weeks ending Sunday) and find the peak week.",
        reference=r"""weekly = sales.resample("W", on="date")["amount"].sum()
peak_week = weekly.idxmax()
print(weekly)
print("peak week ends", peak_week.date())
assert weekly.sum() == sales["amount"].sum()
""",
    ),
    ExecCase(
        id="p-loc-position-after-filter",
        setup=r"""import pandas as pd
scores = pd.DataFrame({"name": ["ana", "ben", "cy", "dee", "eli"], "score": [55, 91, 78, 40, 83]})
""",
        cell=r"""passed = scores[scores["score"] >= 60]
lines = []
for i in range(len(passed)):
    lines.append(f"{i + 1}. {passed.loc[i, 'name']} ({passed.loc[i, 'score']})")
for line in lines:
    print(line)
""",
        raises="KeyError",
        check=r"""lines == ["1. ben (91)", "2. cy (78)", "3. eli (83)"]""",
        intent="Print a numbered list of the students who passed, in their original order, with their scores.",
        reference=r"""passed = scores[scores["score"] >= 60]
lines = []
for i in range(len(passed)):
    lines.append(f"{i + 1}. {passed.iloc[i]['name']} ({passed.iloc[i]['score']})")
for line in lines:
    print(line)
""",
    ),
    ExecCase(
        id="p-pivot-duplicate-entries",
        setup=r"""import pandas as pd
log = pd.DataFrame({
    "day": ["mon", "mon", "tue", "tue", "mon", "wed"],
    "store": ["A", "B", "A", "A", "A", "B"],
    "sales": [10, 5, 7, 3, 4, 6],
})
""",
        cell=r"""wide = log.pivot(index="day", columns="store", values="sales")
wide = wide.fillna(0)
assert wide.to_numpy().sum() == log["sales"].sum()  # every sale counted once
print(wide)
""",
        raises="ValueError",
        check=r"""wide.loc["mon", "A"] == 14 and wide.loc["mon", "B"] == 5 and wide.loc["tue", "A"] == 10 and wide.loc["tue", "B"] == 0 and wide.loc["wed", "A"] == 0 and wide.loc["wed", "B"] == 6 and wide.shape == (3, 2)""",
        intent="Reshape the sales log into a day-by-store table of total sales, with 0 where a store sold nothing.",
        reference=r"""wide = log.pivot_table(index="day", columns="store", values="sales", aggfunc="sum")
wide = wide.fillna(0)
assert wide.to_numpy().sum() == log["sales"].sum()  # every sale counted once
print(wide)
""",
    ),
    ExecCase(
        id="p-merge-key-dtype",
        setup=r"""import pandas as pd
orders = pd.DataFrame({"order_id": [1, 2, 3, 4], "cust_id": [101, 102, 101, 103], "total": [20.0, 35.5, 12.0, 50.0]})
customers = pd.DataFrame({"cust_id": ["101", "102", "103"], "name": ["Ines", "Omar", "Yuki"]})
""",
        cell=r"""merged = orders.merge(customers, on="cust_id", how="left")
spend = merged.groupby("name")["total"].sum()
print(spend.sort_values(ascending=False))
top = spend.idxmax()
""",
        raises="ValueError",
        check=r"""len(merged) == 4 and spend.to_dict() == {"Ines": 32.0, "Omar": 35.5, "Yuki": 50.0} and top == "Yuki" """,
        intent="Attach customer names to orders and total the spend per customer.",
        reference=r"""customers["cust_id"] = customers["cust_id"].astype("int64")
merged = orders.merge(customers, on="cust_id", how="left")
spend = merged.groupby("name")["total"].sum()
print(spend.sort_values(ascending=False))
top = spend.idxmax()
""",
    ),
    ExecCase(
        id="p-mask-operator-precedence",
        setup=r"""import pandas as pd
cars = pd.DataFrame({
    "model": ["a", "b", "c", "d", "e"],
    "mpg": [31.5, 22.0, 40.2, 18.4, 28.9],
    "price": [21000, 18000, 33000, 15000, 24000],
})
""",
        cell=r"""picks = cars[cars["mpg"] > 25 & cars["price"] < 25000]
print(picks["model"].tolist())
avg_price = picks["price"].mean()
print("average price:", avg_price)
""",
        raises="ValueError",
        check=r"""picks["model"].tolist() == ["a", "e"] and avg_price == 22500""",
        intent="Select cars with mpg above 25 and price under 25000 and average their price.",
        reference=r"""picks = cars[(cars["mpg"] > 25) & (cars["price"] < 25000)]
print(picks["model"].tolist())
avg_price = picks["price"].mean()
print("average price:", avg_price)
""",
    ),
    ExecCase(
        id="p-dt-accessor-on-strings",
        setup=r"""import pandas as pd
tx = pd.DataFrame({
    "when": ["2024-01-15", "2024-01-28", "2024-02-03", "2024-02-20", "2024-03-11"],
    "amount": [12.0, 30.0, 8.5, 20.0, 15.0],
})
""",
        cell=r"""tx["month"] = tx["when"].dt.month
monthly = tx.groupby("month")["amount"].sum()
busiest = monthly.idxmax()
print(monthly)
print("busiest month:", busiest)
""",
        raises="AttributeError",
        check=r"""{int(k): v for k, v in monthly.items()} == {1: 42.0, 2: 28.5, 3: 15.0} and int(busiest) == 1 and len(tx) == 5""",
        intent="Total the transaction amounts per calendar month and find the busiest month.",
        reference=r"""tx["month"] = pd.to_datetime(tx["when"]).dt.month
monthly = tx.groupby("month")["amount"].sum()
busiest = monthly.idxmax()
print(monthly)
print("busiest month:", busiest)
""",
    ),
    ExecCase(
        id="p-rolling-apply-label-index",
        setup=r"""import pandas as pd
# closing price per trading day
daily = pd.Series([10.0, 12.0, 15.0, 11.0, 18.0, 17.0])
""",
        cell=r"""# change over each 3-day window: last value minus first value
swing = daily.rolling(3).apply(lambda w: w[-1] - w[0])
biggest = swing.abs().max()
print(swing.tolist())
print("biggest swing:", biggest)
""",
        raises="KeyError",
        check=r"""swing.isna().tolist() == [True, True, False, False, False, False] and swing.dropna().tolist() == [5.0, -1.0, 3.0, 6.0] and biggest == 6.0""",
        intent="For each 3-day rolling window, compute last minus first value, and the largest absolute swing.",
        reference=r"""# change over each 3-day window: last value minus first value
swing = daily.rolling(3).apply(lambda w: w.iloc[-1] - w.iloc[0])
biggest = swing.abs().max()
print(swing.tolist())
print("biggest swing:", biggest)
""",
    ),
    ExecCase(
        id="p-split-into-two-columns",
        setup=r"""import pandas as pd
people = pd.DataFrame({"full": ["Curie, Marie", "Turing, Alan", "Lovelace, Ada"], "born": [1867, 1912, 1815]})
""",
        cell=r"""people[["last", "first"]] = people["full"].str.split(",")
people["first"] = people["first"].str.strip()
people["label"] = people["first"] + " " + people["last"]
print(people[["label", "born"]])
""",
        raises="ValueError",
        check=r"""people["label"].tolist() == ["Marie Curie", "Alan Turing", "Ada Lovelace"] and people["last"].tolist() == ["Curie", "Turing", "Lovelace"] and people["first"].tolist() == ["Marie", "Alan", "Ada"]""",
        intent="Split 'Last, First' names into two columns and build a 'First Last' label.",
        reference=r"""people[["last", "first"]] = people["full"].str.split(",", expand=True)
people["first"] = people["first"].str.strip()
people["label"] = people["first"] + " " + people["last"]
print(people[["label", "born"]])
""",
    ),
    ExecCase(
        id="p-mask-from-other-frame",
        setup=r"""import pandas as pd
movies = pd.DataFrame({
    "title": ["Alien", "Brazil", "Clue", "Dune", "Elf", "Fargo"],
    "rating": [8.5, None, 7.2, 8.1, None, 8.3],
})
""",
        cell=r"""rated = movies.dropna(subset=["rating"])
good = rated["rating"] >= 8
picks = movies[good]["title"].tolist()
share = len(picks) / len(rated)
print(picks, f"{share:.0%} of rated films")
""",
        raises="IndexingError",
        check=r"""picks == ["Alien", "Dune", "Fargo"] and share == 0.75""",
        intent="List the rated films with a rating of at least 8 and the share of rated films they make up.",
        reference=r"""rated = movies.dropna(subset=["rating"])
good = rated["rating"] >= 8
picks = rated[good]["title"].tolist()
share = len(picks) / len(rated)
print(picks, f"{share:.0%} of rated films")
""",
    ),
    # ------------------------------------------------------------------ numpy
    ExecCase(
        id="p-np-center-rows",
        setup=r"""import numpy as np
X = np.array([[1.0, 2.0, 3.0], [4.0, 6.0, 8.0], [0.0, 0.0, 3.0], [5.0, 5.0, 5.0]])
""",
        cell=r"""centered = X - X.mean(axis=1)          # subtract each row's own mean
spread = np.abs(centered).max(axis=1)
print(centered)
print(spread)
""",
        raises="ValueError",
        check=r"""np.allclose(centered, [[-1, 0, 1], [-2, 0, 2], [-1, -1, 2], [0, 0, 0]]) and np.allclose(spread, [1, 2, 2, 0])""",
        intent="Subtract each row's mean from that row and report each row's largest absolute deviation.",
        reference=r"""centered = X - X.mean(axis=1, keepdims=True)          # subtract each row's own mean
spread = np.abs(centered).max(axis=1)
print(centered)
print(spread)
""",
    ),
    ExecCase(
        id="p-np-argmax-axis",
        setup=r"""import numpy as np
# rows: students, columns: quizzes 1..4
quiz = np.array([[7, 9, 6, 8], [5, 5, 9, 7], [10, 4, 8, 6]])
""",
        cell=r"""best_quiz = np.argmax(quiz, axis=2) + 1     # each student's best quiz number
totals = quiz.sum(axis=1)
ranking = np.argsort(-totals)
print(best_quiz, totals, ranking)
""",
        raises="AxisError",
        check=r"""best_quiz.tolist() == [2, 3, 1] and totals.tolist() == [30, 26, 28] and ranking.tolist() == [0, 2, 1]""",
        intent="Find each student's best quiz (1-based), their totals, and the students ranked by total.",
        reference=r"""best_quiz = np.argmax(quiz, axis=1) + 1     # each student's best quiz number
totals = quiz.sum(axis=1)
ranking = np.argsort(-totals)
print(best_quiz, totals, ranking)
""",
    ),
    ExecCase(
        id="p-np-solve-overdetermined",
        setup=r"""import numpy as np
x = np.array([0.0, 1.0, 2.0, 3.0, 4.0])
y = np.array([1.1, 2.9, 5.2, 7.1, 8.9])
""",
        cell=r"""A = np.column_stack([x, np.ones_like(x)])
slope, intercept = np.linalg.solve(A, y)
pred = slope * x + intercept
resid = y - pred
print(f"y = {slope:.2f}x + {intercept:.2f}", np.round(resid, 3))
""",
        raises="LinAlgError",
        check=r"""abs(slope - 1.98) < 1e-9 and abs(intercept - 1.08) < 1e-9 and np.allclose(resid, [0.02, -0.16, 0.16, 0.08, -0.1])""",
        intent="Fit a least-squares straight line y = slope*x + intercept to the five points and report residuals.",
        reference=r"""A = np.column_stack([x, np.ones_like(x)])
slope, intercept = np.linalg.lstsq(A, y, rcond=None)[0]
pred = slope * x + intercept
resid = y - pred
print(f"y = {slope:.2f}x + {intercept:.2f}", np.round(resid, 3))
""",
    ),
    ExecCase(
        id="p-np-float-bin-index",
        setup=r"""import numpy as np
rng = np.random.default_rng(42)
samples = rng.random(200)
""",
        cell=r"""n_bins = 5
bins = np.floor(samples * n_bins)
counts = np.zeros(n_bins, dtype=int)
for b in bins:
    counts[b] += 1
print(counts, counts.sum())
""",
        raises="IndexError",
        check=r"""counts.tolist() == np.bincount((samples * 5).astype(int), minlength=5).tolist() and counts.sum() == 200""",
        intent="Histogram the 200 uniform samples into 5 equal-width bins by counting in a loop.",
        reference=r"""n_bins = 5
bins = np.floor(samples * n_bins).astype(int)
counts = np.zeros(n_bins, dtype=int)
for b in bins:
    counts[b] += 1
print(counts, counts.sum())
""",
    ),
    ExecCase(
        id="p-np-inplace-normalise-int",
        setup=r"""import numpy as np
weights = np.array([3, 1, 4, 2])
payoff = np.array([10, 20, 30, 40])
""",
        cell=r"""weights /= weights.sum()          # turn counts into probabilities
expected = (weights * payoff).sum()
assert abs(weights.sum() - 1) < 1e-9
print(weights, expected)
""",
        raises="UFuncTypeError",
        check=r"""np.allclose(weights, [0.3, 0.1, 0.4, 0.2]) and abs(expected - 25.0) < 1e-9""",
        intent="Normalise the integer counts into probabilities and compute the expected payoff.",
        reference=r"""weights = weights / weights.sum()          # turn counts into probabilities
expected = (weights * payoff).sum()
assert abs(weights.sum() - 1) < 1e-9
print(weights, expected)
""",
    ),
    ExecCase(
        id="p-np-column-mask-on-rows",
        setup=r"""import numpy as np
# rows: 4 days, columns: 3 sensors
temps = np.array([[20.1, 35.0, 19.8], [20.5, 36.2, 20.0], [21.0, 34.8, 20.3], [20.7, 35.5, 19.9]])
names = np.array(["hall", "boiler", "attic"])
""",
        cell=r"""keep = temps.mean(axis=0) < 30        # drop the boiler sensor
room = temps[keep]
daily_avg = room.mean(axis=1)
print(names[keep], daily_avg.round(2))
""",
        raises="IndexError",
        check=r"""room.shape == (4, 2) and np.allclose(daily_avg, [19.95, 20.25, 20.65, 20.3])""",
        intent="Drop the sensor columns averaging 30 or more and compute each day's mean over the remaining sensors.",
        reference=r"""keep = temps.mean(axis=0) < 30        # drop the boiler sensor
room = temps[:, keep]
daily_avg = room.mean(axis=1)
print(names[keep], daily_avg.round(2))
""",
    ),
    # ------------------------------------------------------------------ plain Python
    ExecCase(
        id="p-closure-running-total",
        setup=r"""deposits = [5, -2, 10, 4]
""",
        cell=r"""def make_tracker():
    total = 0
    history = []
    def add(x):
        total += x
        history.append(total)
    return add, history

add, history = make_tracker()
for amount in deposits:
    add(amount)
print(history)
""",
        raises="UnboundLocalError",
        check=r"""history == [5, 3, 13, 17]""",
        intent="Record the running balance after each deposit using a closure.",
        reference=r"""def make_tracker():
    total = 0
    history = []
    def add(x):
        nonlocal total
        total += x
        history.append(total)
    return add, history

add, history = make_tracker()
for amount in deposits:
    add(amount)
print(history)
""",
    ),
    ExecCase(
        id="p-generator-next-exhausted",
        setup=r"""readings = [3, 4, 10, 12, 7, 7, 1, 6]
""",
        cell=r"""def pairs(items):
    it = iter(items)
    while True:
        a = next(it)
        b = next(it)
        yield a, b

diffs = [b - a for a, b in pairs(readings)]
print(diffs, sum(diffs))
""",
        raises="RuntimeError",
        check=r"""diffs == [1, 2, 0, 5]""",
        intent="Take the readings two at a time and compute second minus first for each pair.",
        reference=r"""def pairs(items):
    it = iter(items)
    while True:
        try:
            a = next(it)
            b = next(it)
        except StopIteration:
            return
        yield a, b

diffs = [b - a for a, b in pairs(readings)]
print(diffs, sum(diffs))
""",
    ),
    ExecCase(
        id="p-property-called",
        setup=r"""class Circle:
    def __init__(self, r):
        self.r = r

    @property
    def area(self):
        return 3.14159 * self.r ** 2
""",
        cell=r"""shapes = [Circle(1), Circle(2), Circle(0.5)]
areas = [round(s.area(), 2) for s in shapes]
largest = max(areas)
print(areas, "largest:", largest)
""",
        raises="TypeError",
        check=r"""areas == [3.14, 12.57, 0.79] and largest == 12.57""",
        intent="List the circles' areas rounded to 2 decimals and the largest one.",
        reference=r"""shapes = [Circle(1), Circle(2), Circle(0.5)]
areas = [round(s.area, 2) for s in shapes]
largest = max(areas)
print(areas, "largest:", largest)
""",
    ),
    ExecCase(
        id="p-init-uses-attr-too-early",
        setup=r"""opening_balances = {"mia": 100, "tom": 40}
""",
        cell=r"""class Account:
    def __init__(self, owner, opening):
        self.owner = owner
        self.deposit(opening)
        self.balance, self.history = 0, []
    def deposit(self, amount):
        self.balance += amount
        self.history.append(amount)

accts = {o: Account(o, b) for o, b in opening_balances.items()}
accts["mia"].deposit(25)
print({o: (a.balance, a.history) for o, a in accts.items()})
""",
        raises="AttributeError",
        check=r"""accts["mia"].balance == 125 and accts["mia"].history == [100, 25] and accts["tom"].balance == 40 and accts["tom"].history == [40]""",
        intent="Open accounts whose opening amount is recorded as the first deposit, then deposit 25 to mia.",
        reference=r"""class Account:
    def __init__(self, owner, opening):
        self.owner = owner
        self.balance, self.history = 0, []
        self.deposit(opening)
    def deposit(self, amount):
        self.balance += amount
        self.history.append(amount)

accts = {o: Account(o, b) for o, b in opening_balances.items()}
accts["mia"].deposit(25)
print({o: (a.balance, a.history) for o, a in accts.items()})
""",
    ),
    ExecCase(
        id="p-timedelta-days-rate",
        setup=r"""jobs = [
    ("etl", "2024-05-01 08:00", "2024-05-03 08:00", 96),
    ("report", "2024-05-02 09:00", "2024-05-02 21:00", 30),
    ("backup", "2024-05-01 00:00", "2024-05-04 12:00", 70),
]
""",
        cell=r"""from datetime import datetime
rates = {}
for name, s, e, rows in jobs:
    start = datetime.strptime(s, "%Y-%m-%d %H:%M")
    end = datetime.strptime(e, "%Y-%m-%d %H:%M")
    days = (end - start).days
    rates[name] = rows / days          # rows processed per day
print({k: round(v, 2) for k, v in rates.items()})
""",
        raises="ZeroDivisionError",
        check=r"""rates == {"etl": 48.0, "report": 60.0, "backup": 20.0}""",
        intent="Compute each job's throughput in rows per day of elapsed (fractional) time.",
        reference=r"""from datetime import datetime
rates = {}
for name, s, e, rows in jobs:
    start = datetime.strptime(s, "%Y-%m-%d %H:%M")
    end = datetime.strptime(e, "%Y-%m-%d %H:%M")
    days = (end - start).total_seconds() / 86400
    rates[name] = rows / days          # rows processed per day
print({k: round(v, 2) for k, v in rates.items()})
""",
    ),
    ExecCase(
        id="p-flatten-recurses-into-str",
        setup=r"""raw_tags = ["ml", ["python", "numpy"], [["pandas"]], 3]
""",
        cell=r"""def flatten(obj):
    out = []
    for item in obj:
        if hasattr(item, "__iter__"):
            out.extend(flatten(item))
        else:
            out.append(item)
    return out

tags = flatten(raw_tags)
print(tags, len(tags))
""",
        raises="RecursionError",
        check=r"""tags == ["ml", "python", "numpy", "pandas", 3]""",
        intent="Flatten the nested tag lists into one flat list, keeping strings whole.",
        reference=r"""def flatten(obj):
    out = []
    for item in obj:
        if hasattr(item, "__iter__") and not isinstance(item, str):
            out.extend(flatten(item))
        else:
            out.append(item)
    return out

tags = flatten(raw_tags)
print(tags, len(tags))
""",
    ),
    ExecCase(
        id="p-json-python-repr",
        setup=r"""# a column that was saved with str(dict) instead of json.dumps
raw_rows = [
    "{'id': 1, 'tags': ['a', 'b'], 'ok': True}",
    "{'id': 2, 'tags': [], 'ok': False}",
    "{'id': 3, 'tags': ['c'], 'ok': True}",
]
""",
        cell=r"""import json
records = [json.loads(r) for r in raw_rows]
n_tags = sum(len(r["tags"]) for r in records)
ok_ids = [r["id"] for r in records if r["ok"]]
print(n_tags, ok_ids)
""",
        raises="JSONDecodeError",
        check=r"""records == [{"id": 1, "tags": ["a", "b"], "ok": True}, {"id": 2, "tags": [], "ok": False}, {"id": 3, "tags": ["c"], "ok": True}] and n_tags == 3 and ok_ids == [1, 3]""",
        intent="Parse the stored dict strings back into dicts, count all tags and list the ids marked ok.",
        reference=r"""import ast
records = [ast.literal_eval(r) for r in raw_rows]
n_tags = sum(len(r["tags"]) for r in records)
ok_ids = [r["id"] for r in records if r["ok"]]
print(n_tags, ok_ids)
""",
    ),
    ExecCase(
        id="p-strptime-am-pm",
        setup=r"""shifts = [
    ("ana", "03/14/2024 9:00 AM", "03/14/2024 5:30 PM"),
    ("raj", "03/14/2024 1:15 PM", "03/14/2024 11:45 PM"),
    ("lee", "03/15/2024 7:00 AM", "03/15/2024 12:00 PM"),
]
""",
        cell=r"""from datetime import datetime
fmt = "%m/%d/%Y %H:%M"
hours = {}
for who, a, b in shifts:
    start, end = datetime.strptime(a, fmt), datetime.strptime(b, fmt)
    hours[who] = (end - start).total_seconds() / 3600
print(hours)
assert all(h > 0 for h in hours.values())
""",
        raises="ValueError",
        check=r"""hours == {"ana": 8.5, "raj": 10.5, "lee": 5.0}""",
        intent="Compute each worker's shift length in hours from 12-hour clock timestamps.",
        reference=r"""from datetime import datetime
fmt = "%m/%d/%Y %I:%M %p"
hours = {}
for who, a, b in shifts:
    start, end = datetime.strptime(a, fmt), datetime.strptime(b, fmt)
    hours[who] = (end - start).total_seconds() / 3600
print(hours)
assert all(h > 0 for h in hours.values())
""",
    ),
    ExecCase(
        id="p-life-grid-edge",
        setup=r"""grid = [[0, 1, 0], [0, 1, 0], [0, 1, 0]]
""",
        cell=r"""n = len(grid)
def neighbours(r, c):   # cells outside the grid count as dead
    return sum(grid[r + dr][c + dc] for dr in (-1, 0, 1) for dc in (-1, 0, 1) if (dr, dc) != (0, 0))
counts = [[neighbours(r, c) for c in range(n)] for r in range(n)]
nxt = [[1 if counts[r][c] == 3 or (grid[r][c] and counts[r][c] == 2) else 0 for c in range(n)] for r in range(n)]
print(nxt)
""",
        raises="IndexError",
        check=r"""nxt == [[0, 0, 0], [1, 1, 1], [0, 0, 0]] and counts == [[2, 1, 2], [3, 2, 3], [2, 1, 2]]""",
        intent="Advance the Game of Life blinker one step on a bounded 3x3 grid.",
        reference=r"""n = len(grid)
def neighbours(r, c):   # cells outside the grid count as dead
    return sum(grid[r + dr][c + dc] for dr in (-1, 0, 1) for dc in (-1, 0, 1)
               if (dr, dc) != (0, 0) and 0 <= r + dr < n and 0 <= c + dc < n)
counts = [[neighbours(r, c) for c in range(n)] for r in range(n)]
nxt = [[1 if counts[r][c] == 3 or (grid[r][c] and counts[r][c] == 2) else 0 for c in range(n)] for r in range(n)]
print(nxt)
""",
    ),
    ExecCase(
        id="p-softmax-overflow",
        setup=r"""logits = [1000.0, 1001.0, 999.0]
""",
        cell=r"""import math
def softmax(scores):
    exps = [math.exp(s) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]

probs = softmax(logits)
print([round(p, 4) for p in probs], sum(probs))
""",
        raises="OverflowError",
        check=r"""abs(sum(probs) - 1) < 1e-9 and all(abs(p - q) < 1e-9 for p, q in zip(probs, [0.24472847105479764, 0.6652409557748218, 0.09003057317038046])) and len(probs) == 3""",
        intent="Turn the large logits into softmax probabilities.",
        reference=r"""import math
def softmax(scores):
    m = max(scores)
    exps = [math.exp(s - m) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]

probs = softmax(logits)
print([round(p, 4) for p in probs], sum(probs))
""",
    ),
    ExecCase(
        id="p-regex-match-not-search",
        setup=r"""log = "\n".join([
    "2024-06-01 INFO  user=ana took=120ms",
    "2024-06-01 WARN  user=raj took=950ms",
    "2024-06-02 INFO  user=ana took=80ms",
    "2024-06-02 ERROR user=lee took=1500ms",
])
""",
        cell=r"""import re
took = {}
for line in log.splitlines():
    m = re.match(r"user=(\w+) took=(\d+)ms", line)
    took.setdefault(m.group(1), []).append(int(m.group(2)))
slowest = max(took, key=lambda u: max(took[u]))
print(took, "slowest:", slowest)
""",
        raises="AttributeError",
        check=r"""took == {"ana": [120, 80], "raj": [950], "lee": [1500]} and slowest == "lee" """,
        intent="Collect each user's request times from the log lines and find the user with the slowest request.",
        reference=r"""import re
took = {}
for line in log.splitlines():
    m = re.search(r"user=(\w+) took=(\d+)ms", line)
    took.setdefault(m.group(1), []).append(int(m.group(2)))
slowest = max(took, key=lambda u: max(took[u]))
print(took, "slowest:", slowest)
""",
    ),
    ExecCase(
        id="p-sort-with-missing-dates",
        setup=r"""tasks = [
    {"title": "report", "due": "2024-07-10"},
    {"title": "email", "due": None},
    {"title": "deploy", "due": "2024-07-02"},
    {"title": "review", "due": "2024-07-05"},
    {"title": "cleanup", "due": None},
]
""",
        cell=r"""# soonest first; tasks without a due date go to the end, in their original order
ordered = sorted(tasks, key=lambda t: t["due"])
titles = [t["title"] for t in ordered]
next_up = titles[0]
print(titles, "next:", next_up)
""",
        raises="TypeError",
        check=r"""titles == ["deploy", "review", "report", "email", "cleanup"] and next_up == "deploy" and len(ordered) == 5""",
        intent="Order the tasks by due date with undated tasks last (keeping their order) and pick the next one.",
        reference=r"""# soonest first; tasks without a due date go to the end, in their original order
ordered = sorted(tasks, key=lambda t: (t["due"] is None, t["due"] or ""))
titles = [t["title"] for t in ordered]
next_up = titles[0]
print(titles, "next:", next_up)
""",
    ),
)
