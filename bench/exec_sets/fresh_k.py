"""fresh_k: 30 execution-graded errors (17 pandas, 6 numpy, 7 plain Python), written blind."""

from __future__ import annotations

from bench.exec_case import ExecCase

CASES: tuple[ExecCase, ...] = (
    # ---------------------------------------------------------------- pandas
    ExecCase(
        id="k-pandas-mean-of-weights-with-mixed-units",
        setup='''import pandas as pd
parcels = pd.DataFrame({
    "parcel": ["P1", "P2", "P3", "P4", "P5", "P6"],
    "weight": ["12.5 kg", "800 g", "3 kg", "1.25 kg", "450 g", "2 kg"],
})
''',
        cell='''weight_kg = parcels["weight"]
avg_weight_kg = weight_kg.mean()
freight = parcels.loc[weight_kg > 2, "parcel"].tolist()   # over 2 kg ships by freight
print(f"average parcel: {avg_weight_kg:.3f} kg; freight: {freight}")
''',
        raises="TypeError",
        check='abs(float(avg_weight_kg) - 20 / 6) < 1e-9 and freight == ["P1", "P3"] and [round(float(w), 3) for w in weight_kg] == [12.5, 0.8, 3.0, 1.25, 0.45, 2.0]',
        intent="Convert the '12.5 kg' / '800 g' weight strings to kilograms, average them and list the parcels over 2 kg.",
        reference='''parts = parcels["weight"].str.extract(r"([\\d.]+)\\s*(kg|g)")
weight_kg = parts[0].astype(float) / parts[1].map({"kg": 1, "g": 1000})
avg_weight_kg = weight_kg.mean()
freight = parcels.loc[weight_kg > 2, "parcel"].tolist()   # over 2 kg ships by freight
print(f"average parcel: {avg_weight_kg:.3f} kg; freight: {freight}")
''',
    ),
    ExecCase(
        id="k-pandas-groupby-mean-na-text-in-scores",
        setup='''import pandas as pd
survey = pd.DataFrame({
    "region": ["North", "South", "North", "East", "South", "East", "North"],
    "respondent": ["r1", "r2", "r3", "r4", "r5", "r6", "r7"],
    "satisfaction": [7, 8, "n/a", 6, 9, "n/a", 5],
})
''',
        cell='''avg_by_region = survey.groupby("region")["satisfaction"].mean()
best_region = avg_by_region.idxmax()
print(avg_by_region.round(2))
print("Happiest region:", best_region)
''',
        raises="TypeError",
        check='{k: round(float(v), 4) for k, v in avg_by_region.items()} == {"East": 6.0, "North": 6.0, "South": 8.5} and best_region == "South"',
        intent="Average satisfaction per region over the answered surveys, treating 'n/a' as a missing answer.",
        reference='''scores = pd.to_numeric(survey["satisfaction"], errors="coerce")
avg_by_region = scores.groupby(survey["region"]).mean()
best_region = avg_by_region.idxmax()
print(avg_by_region.round(2))
print("Happiest region:", best_region)
''',
    ),
    ExecCase(
        id="k-pandas-merge-int-key-vs-zero-padded-str",
        setup='''import pandas as pd
employees = pd.DataFrame({
    "emp_id": ["007", "012", "045", "101"],
    "name": ["Bond", "Moneypenny", "Q", "M"],
    "dept": ["field", "admin", "lab", "admin"],
})
hours = pd.DataFrame({
    "emp_id": [7, 12, 12, 45, 101, 7],
    "week": [1, 1, 2, 1, 1, 2],
    "hours": [40, 38, 41, 45, 30, 42],
})
''',
        cell='''timesheet = hours.merge(employees, on="emp_id", how="left")
hours_by_dept = timesheet.groupby("dept")["hours"].sum()
print(hours_by_dept)
assert hours_by_dept.sum() == hours["hours"].sum()
''',
        raises="ValueError",
        check='len(timesheet) == 6 and timesheet["name"].notna().all() and {k: int(v) for k, v in hours_by_dept.items()} == {"admin": 109, "field": 82, "lab": 45}',
        intent="Attach each timesheet row to its employee (ids '007' vs 7) and total the hours per department.",
        reference='''staff = employees.assign(emp_id=employees["emp_id"].astype(int))
timesheet = hours.merge(staff, on="emp_id", how="left")
hours_by_dept = timesheet.groupby("dept")["hours"].sum()
print(hours_by_dept)
assert hours_by_dept.sum() == hours["hours"].sum()
''',
    ),
    ExecCase(
        id="k-pandas-to-datetime-ordinal-day-suffixes",
        setup='''import pandas as pd
events = pd.DataFrame({
    "event": ["kickoff", "workshop", "meetup", "hackathon", "talk", "demo day"],
    "date_str": ["March 3rd, 2024", "March 21st, 2024", "April 2nd, 2024",
                 "April 11th, 2024", "April 22nd, 2024", "May 1st, 2024"],
    "attendees": [40, 55, 32, 70, 18, 64],
})
''',
        cell='''event_dates = pd.to_datetime(events["date_str"])
attendance_by_month = events["attendees"].groupby(event_dates.dt.month).sum()
days_span = (event_dates.max() - event_dates.min()).days
print(attendance_by_month)
print(f"Events span {days_span} days")
''',
        raises="ValueError",
        check='{int(k): int(v) for k, v in attendance_by_month.items()} == {3: 95, 4: 120, 5: 64} and days_span == 59 and event_dates.notna().all()',
        intent="Parse dates like 'March 21st, 2024', then total attendees per month and the days between first and last event.",
        reference='''cleaned = events["date_str"].str.replace(r"(\\d+)(st|nd|rd|th)", r"\\1", regex=True)
event_dates = pd.to_datetime(cleaned, format="%B %d, %Y")
attendance_by_month = events["attendees"].groupby(event_dates.dt.month).sum()
days_span = (event_dates.max() - event_dates.min()).days
print(attendance_by_month)
print(f"Events span {days_span} days")
''',
    ),
    ExecCase(
        id="k-pandas-compare-utc-timestamps-with-naive-cutoff",
        setup='''import pandas as pd
logins = pd.DataFrame({
    "user": ["kim", "lou", "max", "nia", "oto"],
    "at": ["2024-01-30T23:10:00Z", "2024-02-01T08:00:00Z", "2024-01-31T23:59:00Z",
           "2024-02-02T12:30:00Z", "2024-02-01T00:00:00Z"],
})
''',
        cell='''login_time = pd.to_datetime(logins["at"])
cutoff = pd.Timestamp("2024-02-01")
february_users = logins.loc[login_time >= cutoff, "user"].tolist()
print(f"{len(february_users)} logins since Feb 1 (UTC):", february_users)
''',
        raises="TypeError",
        check='february_users == ["lou", "nia", "oto"]',
        intent="The users whose login time is on or after 2024-02-01 00:00 UTC.",
        reference='''login_time = pd.to_datetime(logins["at"])
cutoff = pd.Timestamp("2024-02-01", tz="UTC")
february_users = logins.loc[login_time >= cutoff, "user"].tolist()
print(f"{len(february_users)} logins since Feb 1 (UTC):", february_users)
''',
    ),
    ExecCase(
        id="k-pandas-year-columns-are-strings-after-read-csv",
        setup='''import io
import pandas as pd
csv_text = """country,2021,2022,2023
France,67.7,67.9,68.2
Spain,47.4,47.8,48.3
Italy,59.1,58.9,58.8
"""
population = pd.read_csv(io.StringIO(csv_text))
''',
        cell='''growth_pct = (population[2023] - population[2021]) / population[2021] * 100
fastest = population.loc[growth_pct.idxmax(), "country"]
print(growth_pct.round(2).tolist())
print("Fastest growing:", fastest)
''',
        raises="KeyError",
        check='[round(float(v), 4) for v in growth_pct] == [0.7386, 1.8987, -0.5076] and fastest == "Spain"',
        intent="Percentage population growth from 2021 to 2023 for each country, and the fastest-growing country.",
        reference='''growth_pct = (population["2023"] - population["2021"]) / population["2021"] * 100
fastest = population.loc[growth_pct.idxmax(), "country"]
print(growth_pct.round(2).tolist())
print("Fastest growing:", fastest)
''',
    ),
    ExecCase(
        id="k-pandas-merge-validate-duplicate-lookup-row",
        setup='''import pandas as pd
orders = pd.DataFrame({
    "order_id": [1, 2, 3, 4, 5],
    "cust_id": ["C1", "C2", "C1", "C3", "C2"],
    "amount": [120.0, 75.5, 30.0, 210.0, 44.5],
})
customers = pd.DataFrame({
    "cust_id": ["C1", "C2", "C2", "C3"],
    "segment": ["retail", "wholesale", "wholesale", "retail"],
})
''',
        cell='''enriched = orders.merge(customers, on="cust_id", how="left", validate="many_to_one")
assert len(enriched) == len(orders)
revenue_by_segment = enriched.groupby("segment")["amount"].sum()
print(revenue_by_segment)
''',
        raises="MergeError",
        check='len(enriched) == 5 and {k: float(v) for k, v in revenue_by_segment.items()} == {"retail": 360.0, "wholesale": 120.0}',
        intent="Tag every order with its customer's segment (one row per order) and total the revenue per segment.",
        reference='''lookup = customers.drop_duplicates()
enriched = orders.merge(lookup, on="cust_id", how="left", validate="many_to_one")
assert len(enriched) == len(orders)
revenue_by_segment = enriched.groupby("segment")["amount"].sum()
print(revenue_by_segment)
''',
    ),
    ExecCase(
        id="k-pandas-apply-split-on-missing-email",
        setup='''import pandas as pd
signups = pd.DataFrame({
    "user": ["ana", "ben", "chloe", "dev", "eli", "fay"],
    "email": ["ana@Gmail.com", "ben@uni.edu", None, "dev@gmail.com", "eli@Uni.edu", "fay@proton.me"],
})
''',
        cell='''domains = signups["email"].apply(lambda e: e.split("@")[1].lower())
domain_counts = domains.value_counts()
print(domain_counts)
print("Distinct domains:", len(domain_counts))
''',
        raises="AttributeError",
        check='{k: int(v) for k, v in domain_counts.items()} == {"gmail.com": 2, "uni.edu": 2, "proton.me": 1}',
        intent="Count sign-ups per lower-cased email domain, ignoring users who gave no email.",
        reference='''domains = signups["email"].str.split("@").str[1].str.lower()
domain_counts = domains.value_counts()
print(domain_counts)
print("Distinct domains:", len(domain_counts))
''',
    ),
    ExecCase(
        id="k-pandas-dataframe-from-lists-with-scraped-header",
        setup='''import pandas as pd
# columns scraped from a product table on a web page
names = ["Product", "Kettle", "Toaster", "Blender", "Mixer"]
prices = [29.99, 45.50, 89.00, 120.00]
ratings = [4.5, 4.1, 4.7, 3.9]
''',
        cell='''catalog = pd.DataFrame({"name": names, "price": prices, "rating": ratings})
value = catalog.assign(stars_per_dollar=catalog["rating"] / catalog["price"])
value = value.sort_values("stars_per_dollar", ascending=False)
top_pick = value.iloc[0]["name"]
print(value)
print("Best value:", top_pick)
''',
        raises="ValueError",
        check='catalog["name"].tolist() == ["Kettle", "Toaster", "Blender", "Mixer"] and catalog["price"].tolist() == [29.99, 45.5, 89.0, 120.0] and top_pick == "Kettle"',
        intent="Build the product table from the scraped columns and find the product with the most rating stars per dollar.",
        reference='''catalog = pd.DataFrame({"name": names[1:], "price": prices, "rating": ratings})
value = catalog.assign(stars_per_dollar=catalog["rating"] / catalog["price"])
value = value.sort_values("stars_per_dollar", ascending=False)
top_pick = value.iloc[0]["name"]
print(value)
print("Best value:", top_pick)
''',
    ),
    ExecCase(
        id="k-pandas-str-zfill-on-integer-zip-codes",
        setup='''import pandas as pd
stores = pd.DataFrame({
    "store": ["Boston", "Newark", "Austin", "Hartford"],
    "zip": [2108, 7102, 78701, 6103],
})
''',
        cell='''zip5 = stores["zip"].str.zfill(5)
stores_by_prefix = zip5.str[0].value_counts().sort_index()
print(zip5.tolist())
print(stores_by_prefix)
''',
        raises="AttributeError",
        check='list(zip5) == ["02108", "07102", "78701", "06103"] and {str(k): int(v) for k, v in stores_by_prefix.items()} == {"0": 3, "7": 1}',
        intent="Restore the lost leading zeros of the 5-digit ZIP codes and count stores per first ZIP digit.",
        reference='''zip5 = stores["zip"].astype(str).str.zfill(5)
stores_by_prefix = zip5.str[0].value_counts().sort_index()
print(zip5.tolist())
print(stores_by_prefix)
''',
    ),
    ExecCase(
        id="k-pandas-value-counts-reset-index-old-column-names",
        setup='''import pandas as pd
trips = pd.DataFrame({
    "city": ["Lyon", "Paris", "Lyon", "Nice", "Lyon", "Paris", "Nice", "Lyon"],
    "km": [12.0, 5.5, 8.2, 3.1, 15.0, 7.7, 2.4, 9.9],
})
''',
        cell='''city_counts = trips["city"].value_counts().reset_index()
# tutorial says the columns are: index (the city), city (how many trips)
top_city = city_counts.loc[0, "index"]
top_trips = city_counts.loc[0, "city"]
print(f"{top_city}: {top_trips} trips")
''',
        raises="KeyError",
        check='top_city == "Lyon" and int(top_trips) == 4',
        intent="Name the city with the most trips and how many trips it had.",
        reference='''city_counts = trips["city"].value_counts().reset_index()
# pandas >= 2: the columns are city (the city) and count (how many trips)
top_city = city_counts.loc[0, "city"]
top_trips = city_counts.loc[0, "count"]
print(f"{top_city}: {top_trips} trips")
''',
    ),
    ExecCase(
        id="k-pandas-read-csv-latin1-bytes",
        setup='''import io
import pandas as pd
# bytes of a file saved by an old Windows export tool
raw_bytes = "name,city,spend\\nJosé,Málaga,120\\nZoë,Köln,80\\nAndré,Málaga,45\\nLuis,Sevilla,60\\n".encode("latin-1")
''',
        cell='''customers = pd.read_csv(io.BytesIO(raw_bytes))
spend_by_city = customers.groupby("city")["spend"].sum()
print(spend_by_city)
assert "Málaga" in spend_by_city.index
''',
        raises="UnicodeDecodeError",
        check='list(customers["name"]) == ["José", "Zoë", "André", "Luis"] and {k: int(v) for k, v in spend_by_city.items()} == {"Köln": 80, "Málaga": 165, "Sevilla": 60}',
        intent="Read the Latin-1 encoded CSV bytes with the accented names intact and total the spend per city.",
        reference='''customers = pd.read_csv(io.BytesIO(raw_bytes), encoding="latin-1")
spend_by_city = customers.groupby("city")["spend"].sum()
print(spend_by_city)
assert "Málaga" in spend_by_city.index
''',
    ),
    ExecCase(
        id="k-pandas-dt-accessor-on-unix-epoch-seconds",
        setup='''import pandas as pd
clicks = pd.DataFrame({
    "user": ["u1", "u2", "u3", "u1", "u4", "u2"],
    "ts": [1718007120, 1718009250, 1718024710, 1718027999, 1718025600, 1718055600],
})
''',
        cell='''click_hour = clicks["ts"].dt.hour
clicks_per_hour = click_hour.value_counts().sort_index()
busiest_hour = clicks_per_hour.idxmax()
print(clicks_per_hour)
print("Busiest hour (UTC):", busiest_hour)
''',
        raises="AttributeError",
        check='{int(k): int(v) for k, v in clicks_per_hour.items()} == {8: 2, 13: 3, 21: 1} and int(busiest_hour) == 13',
        intent="Count clicks per UTC hour of day from the Unix-second timestamps and find the busiest hour.",
        reference='''click_hour = pd.to_datetime(clicks["ts"], unit="s").dt.hour
clicks_per_hour = click_hour.value_counts().sort_index()
busiest_hour = clicks_per_hour.idxmax()
print(clicks_per_hour)
print("Busiest hour (UTC):", busiest_hour)
''',
    ),
    ExecCase(
        id="k-pandas-sort-values-ratings-with-na-text",
        setup='''import pandas as pd
apps = pd.DataFrame({
    "app": ["Notely", "FitTrack", "Budgetr", "Snapz", "Readr", "Tunes", "Calcly"],
    "rating": [7.4, 9.1, "N/A", 6.2, 10.0, "N/A", 5.5],   # out of 10
    "downloads": [1200, 5400, 80, 900, 3100, 40, 650],
})
''',
        cell='''# the three lowest-rated apps, to send to the design team
ranked = apps.sort_values("rating")
worst3 = ranked["app"].head(3).tolist()
print("Needs attention:", worst3)
''',
        raises="TypeError",
        check='worst3 == ["Calcly", "Snapz", "Notely"]',
        intent="List the three apps with the lowest numeric rating (apps without a rating are not rated, so not among them).",
        reference='''# the three lowest-rated apps, to send to the design team
ranked = apps.assign(rating=pd.to_numeric(apps["rating"], errors="coerce")).sort_values("rating")
worst3 = ranked["app"].head(3).tolist()
print("Needs attention:", worst3)
''',
    ),
    ExecCase(
        id="k-pandas-merge-overlapping-columns-default-suffixes",
        setup='''import pandas as pd
jan = pd.DataFrame({"sku": ["A1", "B2", "C3", "D4"], "price": [10.0, 25.0, 7.5, 40.0]})
feb = pd.DataFrame({"sku": ["A1", "B2", "C3", "D4"], "price": [11.0, 25.0, 6.0, 44.0]})
''',
        cell='''price_compare = jan.merge(feb, on="sku")
price_compare["change"] = price_compare["price_feb"] - price_compare["price_jan"]
risers = price_compare.loc[price_compare["change"] > 0, "sku"].tolist()
print(price_compare)
print("Price went up for:", risers)
''',
        raises="KeyError",
        check='list(price_compare["sku"]) == ["A1", "B2", "C3", "D4"] and [float(v) for v in price_compare["change"]] == [1.0, 0.0, -1.5, 4.0] and risers == ["A1", "D4"]',
        intent="Per SKU, the February price minus the January price, and the SKUs whose price rose.",
        reference='''price_compare = jan.merge(feb, on="sku", suffixes=("_jan", "_feb"))
price_compare["change"] = price_compare["price_feb"] - price_compare["price_jan"]
risers = price_compare.loc[price_compare["change"] > 0, "sku"].tolist()
print(price_compare)
print("Price went up for:", risers)
''',
    ),
    ExecCase(
        id="k-pandas-resample-on-string-date-column",
        setup='''import pandas as pd
steps = pd.DataFrame({
    "day": ["2024-05-08", "2024-05-09", "2024-05-10", "2024-05-11", "2024-05-12",
            "2024-05-13", "2024-05-14", "2024-05-15", "2024-05-16", "2024-05-17"],
    "steps": [8000, 6500, 12000, 3000, 4500, 9000, 7000, 7500, 10000, 5000],
})
''',
        cell='''# calendar weeks ending on Sunday
weekly_steps = steps.resample("W-SUN")["steps"].sum()
print(weekly_steps)
assert len(weekly_steps) == 2
best_week_total = weekly_steps.max()
''',
        raises="TypeError",
        check='[int(v) for v in weekly_steps] == [34000, 38500] and int(best_week_total) == 38500 and [str(d.date()) for d in weekly_steps.index] == ["2024-05-12", "2024-05-19"]',
        intent="Total steps per calendar week ending on Sunday, and the best week's total.",
        reference='''# calendar weeks ending on Sunday
dated = steps.assign(day=pd.to_datetime(steps["day"])).set_index("day")
weekly_steps = dated.resample("W-SUN")["steps"].sum()
print(weekly_steps)
assert len(weekly_steps) == 2
best_week_total = weekly_steps.max()
''',
    ),
    ExecCase(
        id="k-pandas-astype-int-year-with-missing",
        setup='''import pandas as pd
books = pd.DataFrame({
    "title": ["Dune Messiah II", "Byte Me", "Untitled Draft", "Salt Roads", "Quiet Data", "Glass Maps"],
    "year": [1994.0, 2003.0, None, 1998.0, 2011.0, 2007.0],
})
''',
        cell='''pub_year = books["year"].astype(int)
decade = pub_year // 10 * 10
per_decade = decade.value_counts().sort_index()
print(per_decade)
''',
        raises="IntCastingNaNError",
        check='{int(k): int(v) for k, v in per_decade.items()} == {1990: 2, 2000: 2, 2010: 1} and int(per_decade.sum()) == 5',
        intent="Count the books per publication decade, leaving out the book with no known year.",
        reference='''pub_year = books["year"].astype("Int64")
decade = pub_year // 10 * 10
per_decade = decade.value_counts().sort_index()
print(per_decade)
''',
    ),
    # ---------------------------------------------------------------- numpy
    ExecCase(
        id="k-numpy-row-center-broadcast-mismatch",
        setup='''import numpy as np
# 4 sensors (rows) x 3 readings (columns)
readings = np.array([[10., 12., 14.],
                     [3., 3., 6.],
                     [100., 90., 110.],
                     [0., 1., 2.]])
''',
        cell='''row_means = readings.mean(axis=1)
centered = readings - row_means   # subtract each sensor's own mean
assert np.allclose(centered.mean(axis=1), 0)
print(centered)
''',
        raises="ValueError",
        check='centered.shape == (4, 3) and np.allclose(centered, [[-2, 0, 2], [-1, -1, 2], [0, -10, 10], [-1, 0, 1]])',
        intent="Subtract from every sensor's readings that sensor's own mean reading.",
        reference='''row_means = readings.mean(axis=1, keepdims=True)
centered = readings - row_means   # subtract each sensor's own mean
assert np.allclose(centered.mean(axis=1), 0)
print(centered)
''',
    ),
    ExecCase(
        id="k-numpy-decimal-comma-logger-export",
        setup='''import numpy as np
# one line exported by the lab's temperature logger
raw_line = "21,5;22,0;19,75;23,25;20,5"
''',
        cell='''temps_c = np.array(raw_line.split(";")).astype(float)
temps_f = temps_c * 9 / 5 + 32
print(f"mean {temps_c.mean():.2f} °C / {temps_f.mean():.2f} °F")
''',
        raises="ValueError",
        check='np.allclose(temps_c, [21.5, 22.0, 19.75, 23.25, 20.5]) and abs(float(temps_f.mean()) - 70.52) < 1e-9',
        intent="Parse the semicolon-separated decimal-comma temperatures in °C and convert them to °F.",
        reference='''temps_c = np.array(raw_line.replace(",", ".").split(";")).astype(float)
temps_f = temps_c * 9 / 5 + 32
print(f"mean {temps_c.mean():.2f} °C / {temps_f.mean():.2f} °F")
''',
    ),
    ExecCase(
        id="k-numpy-float-index-middle-element",
        setup='''import numpy as np
latencies_ms = np.array([120, 85, 300, 95, 110, 2500, 102])
''',
        cell='''ordered = np.sort(latencies_ms)
mid = len(ordered) / 2
median_latency = ordered[mid]
print(f"median latency: {median_latency} ms (max {ordered[-1]} ms)")
''',
        raises="IndexError",
        check='float(median_latency) == 110.0',
        intent="The median latency, taken as the middle element of the sorted (odd-length) array.",
        reference='''ordered = np.sort(latencies_ms)
mid = len(ordered) // 2
median_latency = ordered[mid]
print(f"median latency: {median_latency} ms (max {ordered[-1]} ms)")
''',
    ),
    ExecCase(
        id="k-numpy-inv-of-non-square-design-matrix",
        setup='''import numpy as np
sqft = np.array([50., 70., 80., 100., 120.])
rent = np.array([900., 1200., 1350., 1600., 1900.])
X = np.column_stack([np.ones_like(sqft), sqft])
''',
        cell='''# ordinary least squares: rent ~ b0 + b1 * sqft
beta = np.linalg.inv(X) @ rent
intercept, per_sqft = beta
print(f"rent = {intercept:.1f} + {per_sqft:.2f} * sqft")
''',
        raises="LinAlgError",
        check='np.allclose([intercept, per_sqft], [204.79452055, 14.10958904]) and np.shape(beta) == (2,)',
        intent="Least-squares intercept and slope of rent against square footage.",
        reference='''# ordinary least squares: rent ~ b0 + b1 * sqft
beta = np.linalg.lstsq(X, rent, rcond=None)[0]
intercept, per_sqft = beta
print(f"rent = {intercept:.1f} + {per_sqft:.2f} * sqft")
''',
    ),
    ExecCase(
        id="k-numpy-concatenate-flattens-rows-axis-error",
        setup='''import numpy as np
# one array of three exam scores per student
student_scores = [np.array([78, 85, 90]), np.array([62, 70, 58]),
                  np.array([88, 92, 95]), np.array([70, 75, 80])]
''',
        cell='''scores = np.concatenate(student_scores)
totals = scores.sum(axis=1)
best_student = int(np.argmax(totals))
print(totals, "best:", best_student)
''',
        raises="AxisError",
        check='[int(t) for t in totals] == [253, 190, 275, 225] and best_student == 2',
        intent="Total exam score per student and the index of the best student.",
        reference='''scores = np.vstack(student_scores)
totals = scores.sum(axis=1)
best_student = int(np.argmax(totals))
print(totals, "best:", best_student)
''',
    ),
    ExecCase(
        id="k-numpy-arithmetic-on-string-array-from-split",
        setup='''import numpy as np
header, *rows = "city,temp_c\\nOslo,4.5\\nRome,18.0\\nCairo,27.5\\nLima,19.0".split("\\n")
''',
        cell='''table = np.array([r.split(",") for r in rows])
temps_c = table[:, 1]
temps_f = temps_c * 1.8 + 32
hottest = table[np.argmax(temps_f), 0]
print(dict(zip(table[:, 0], temps_f.round(1))), "hottest:", hottest)
''',
        raises="UFuncTypeError",
        check='np.allclose(np.asarray(temps_f, dtype=float), [40.1, 64.4, 81.5, 66.2]) and hottest == "Cairo"',
        intent="Convert each city's temperature to Fahrenheit and name the hottest city.",
        reference='''table = np.array([r.split(",") for r in rows])
temps_c = table[:, 1].astype(float)
temps_f = temps_c * 1.8 + 32
hottest = table[np.argmax(temps_f), 0]
print(dict(zip(table[:, 0], temps_f.round(1))), "hottest:", hottest)
''',
    ),
    # ---------------------------------------------------------------- plain Python
    ExecCase(
        id="k-py-json-loads-on-python-repr",
        setup='''# pasted from print(response) in an earlier notebook
logged = "{'user': 'ana', 'active': True, 'scores': [3, 5, None, 4]}"
''',
        cell='''import json
record = json.loads(logged)
valid_scores = [s for s in record["scores"] if s is not None]
avg_score = sum(valid_scores) / len(valid_scores)
print(record["user"], avg_score)
''',
        raises="JSONDecodeError",
        check='record == {"user": "ana", "active": True, "scores": [3, 5, None, 4]} and avg_score == 4.0',
        intent="Turn the logged response back into a dict and average its non-missing scores.",
        reference='''import ast
record = ast.literal_eval(logged)
valid_scores = [s for s in record["scores"] if s is not None]
avg_score = sum(valid_scores) / len(valid_scores)
print(record["user"], avg_score)
''',
    ),
    ExecCase(
        id="k-py-strptime-12-hour-clock-am-pm",
        setup='''shifts = [
    ("ana", "03/07/2024 9:15 AM", "03/07/2024 5:45 PM"),
    ("ben", "03/07/2024 1:00 PM", "03/07/2024 11:30 PM"),
    ("cy", "03/08/2024 7:00 AM", "03/08/2024 3:00 PM"),
]
''',
        cell='''from datetime import datetime
fmt = "%m/%d/%Y %H:%M"
hours_worked = {}
for name, start, end in shifts:
    t0 = datetime.strptime(start, fmt)
    t1 = datetime.strptime(end, fmt)
    hours_worked[name] = (t1 - t0).total_seconds() / 3600
print(hours_worked)
''',
        raises="ValueError",
        check='hours_worked == {"ana": 8.5, "ben": 10.5, "cy": 8.0}',
        intent="Hours worked in each shift, from start and end times written on a 12-hour clock with AM/PM.",
        reference='''from datetime import datetime
fmt = "%m/%d/%Y %I:%M %p"
hours_worked = {}
for name, start, end in shifts:
    t0 = datetime.strptime(start, fmt)
    t1 = datetime.strptime(end, fmt)
    hours_worked[name] = (t1 - t0).total_seconds() / 3600
print(hours_worked)
''',
    ),
    ExecCase(
        id="k-py-csv-dictreader-bom-in-first-header",
        setup='''# text of a CSV exported from Excel
export_text = "\\ufeffname,team,points\\nAsha,red,12\\nBo,blue,7\\nCruz,red,9\\nDee,blue,15\\n"
''',
        cell='''import csv, io
from collections import defaultdict
players = []
points_by_team = defaultdict(int)
for row in csv.DictReader(io.StringIO(export_text)):
    players.append(row["name"])
    points_by_team[row["team"]] += int(row["points"])
print(players, dict(points_by_team))
''',
        raises="KeyError",
        check='players == ["Asha", "Bo", "Cruz", "Dee"] and dict(points_by_team) == {"red": 21, "blue": 22}',
        intent="List the player names and total points per team from the exported CSV text.",
        reference='''import csv, io
from collections import defaultdict
players = []
points_by_team = defaultdict(int)
for row in csv.DictReader(io.StringIO(export_text.lstrip("\\ufeff"))):
    players.append(row["name"])
    points_by_team[row["team"]] += int(row["points"])
print(players, dict(points_by_team))
''',
    ),
    ExecCase(
        id="k-py-dataclass-mutable-default-list",
        setup='''from dataclasses import dataclass, field
purchases = [("ana", "tea", 4.5), ("raj", "pen", 1.5), ("ana", "mug", 9.0),
             ("li", "lamp", 22.25), ("raj", "ink", 2.5)]
''',
        cell='''@dataclass
class Basket:
    owner: str
    items: list = []

    def total(self):
        return sum(price for _, price in self.items)

baskets = {}
for owner, item, price in purchases:
    baskets.setdefault(owner, Basket(owner)).items.append((item, price))
totals = {owner: b.total() for owner, b in baskets.items()}
''',
        raises="ValueError",
        check='totals == {"ana": 13.5, "raj": 4.0, "li": 22.25} and [i for i, _ in baskets["ana"].items] == ["tea", "mug"]',
        intent="One basket per customer holding only that customer's items, and each basket's total price.",
        reference='''@dataclass
class Basket:
    owner: str
    items: list = field(default_factory=list)

    def total(self):
        return sum(price for _, price in self.items)

baskets = {}
for owner, item, price in purchases:
    baskets.setdefault(owner, Basket(owner)).items.append((item, price))
totals = {owner: b.total() for owner, b in baskets.items()}
''',
    ),
    ExecCase(
        id="k-py-next-stopiteration-str-id-from-query",
        setup='''records = [
    {"id": 1041, "name": "Ola", "plan": "basic"},
    {"id": 1042, "name": "Pim", "plan": "pro"},
    {"id": 1043, "name": "Quin", "plan": "pro"},
]
query_string = "customer=1042&view=full"
''',
        cell='''params = dict(pair.split("=") for pair in query_string.split("&"))
customer_id = params["customer"]
customer = next(r for r in records if r["id"] == customer_id)
print(f"{customer['name']} is on the {customer['plan']} plan")
''',
        raises="StopIteration",
        check='customer == {"id": 1042, "name": "Pim", "plan": "pro"}',
        intent="Look up the record of the customer whose id is given in the query string.",
        reference='''params = dict(pair.split("=") for pair in query_string.split("&"))
customer_id = int(params["customer"])
customer = next(r for r in records if r["id"] == customer_id)
print(f"{customer['name']} is on the {customer['plan']} plan")
''',
    ),
    ExecCase(
        id="k-py-regex-no-match-thousands-separator",
        setup='''receipt_lines = [
    "Order #5512 total: $45.00",
    "Order #5513 total: $1,250.00",
    "Order #5514 total: $8.99",
    "Order #5515 total: $312.40",
]
''',
        cell='''import re
order_totals = {}
for line in receipt_lines:
    m = re.search(r"#(\\d+) total: \\$(\\d+\\.\\d{2})$", line)
    order_totals[int(m.group(1))] = float(m.group(2))
grand_total = sum(order_totals.values())
print(f"{len(order_totals)} orders, ${grand_total:,.2f}")
''',
        raises="AttributeError",
        check='order_totals == {5512: 45.0, 5513: 1250.0, 5514: 8.99, 5515: 312.4} and abs(grand_total - 1616.39) < 1e-9',
        intent="Extract every order number and its dollar total from the receipt lines and add up the totals.",
        reference='''import re
order_totals = {}
for line in receipt_lines:
    m = re.search(r"#(\\d+) total: \\$([\\d,]+\\.\\d{2})$", line)
    order_totals[int(m.group(1))] = float(m.group(2).replace(",", ""))
grand_total = sum(order_totals.values())
print(f"{len(order_totals)} orders, ${grand_total:,.2f}")
''',
    ),
    ExecCase(
        id="k-py-flatten-recursion-on-strings",
        setup='''tag_groups = [["python", "pandas"], "numpy", [["sql", "dbt"], ["spark"]], [], "excel"]
''',
        cell='''from collections.abc import Iterable
def flatten(items):
    for x in items:
        if isinstance(x, Iterable):
            yield from flatten(x)
        else:
            yield x
all_tags = list(flatten(tag_groups))
print(len(all_tags), all_tags)
''',
        raises="RecursionError",
        check='all_tags == ["python", "pandas", "numpy", "sql", "dbt", "spark", "excel"]',
        intent="Flatten the nested tag lists into one flat list of tag strings, in order.",
        reference='''from collections.abc import Iterable
def flatten(items):
    for x in items:
        if isinstance(x, Iterable) and not isinstance(x, str):
            yield from flatten(x)
        else:
            yield x
all_tags = list(flatten(tag_groups))
print(len(all_tags), all_tags)
''',
    ),
)
