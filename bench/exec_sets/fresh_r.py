"""fresh_r: thirty execution-graded notebook errors (pandas, numpy, plain Python)."""

from bench.exec_case import ExecCase

CASES: tuple[ExecCase, ...] = (
    # -- pandas ---------------------------------------------------------------------------------------
    ExecCase(
        id="r-revenue-thousands-separator",
        setup=(
            "import pandas as pd\n"
            "sales = pd.DataFrame({\n"
            "    'region': ['North', 'South', 'North', 'East', 'South', 'East'],\n"
            "    'revenue': ['1,250.50', '980.00', '2,100.00', '450.25', '1,020.75', '610.00'],\n"
            "})\n"
        ),
        cell=(
            "sales['revenue'] = sales['revenue'].astype(float)\n"
            "by_region = sales.groupby('region')['revenue'].sum().round(2)\n"
            "best = by_region.idxmax()\n"
            "print(best, by_region[best])\n"
        ),
        raises="ValueError",
        check=(
            "by_region.to_dict() == {'East': 1060.25, 'North': 3350.5, 'South': 2000.75} and best == 'North'"
            " and [round(float(v), 2) for v in sales['revenue']] == [1250.5, 980.0, 2100.0, 450.25, 1020.75, 610.0]"
        ),
        intent="Convert the text revenue column (with thousands separators) to numbers and find the region with the largest total.",
        reference=(
            "sales['revenue'] = sales['revenue'].str.replace(',', '', regex=False).astype(float)\n"
            "by_region = sales.groupby('region')['revenue'].sum().round(2)\n"
            "best = by_region.idxmax()\n"
            "print(best, by_region[best])\n"
        ),
    ),
    ExecCase(
        id="r-groupby-tuple-of-columns",
        setup=(
            "import pandas as pd\n"
            "games = pd.DataFrame({\n"
            "    'team': ['Lions', 'Tigers', 'Lions', 'Bears', 'Tigers', 'Lions'],\n"
            "    'points': [98, 102, 87, 110, 95, 101],\n"
            "    'assists': [21, 25, 19, 30, 22, 24],\n"
            "    'venue': ['home', 'away', 'away', 'home', 'home', 'away'],\n"
            "})\n"
        ),
        cell=(
            "totals = games.groupby('team')['points', 'assists'].sum()\n"
            "totals['ratio'] = (totals['points'] / totals['assists']).round(2)\n"
            "print(totals.sort_values('ratio', ascending=False))\n"
        ),
        raises="ValueError",
        check=(
            "totals['points'].to_dict() == {'Bears': 110, 'Lions': 286, 'Tigers': 197}"
            " and totals['assists'].to_dict() == {'Bears': 30, 'Lions': 64, 'Tigers': 47}"
            " and totals['ratio'].to_dict() == {'Bears': 3.67, 'Lions': 4.47, 'Tigers': 4.19}"
        ),
        intent="Total points and assists per team and their points-per-assist ratio.",
        reference=(
            "totals = games.groupby('team')[['points', 'assists']].sum()\n"
            "totals['ratio'] = (totals['points'] / totals['assists']).round(2)\n"
            "print(totals.sort_values('ratio', ascending=False))\n"
        ),
    ),
    ExecCase(
        id="r-merge-key-text-vs-int",
        setup=(
            "import pandas as pd\n"
            "customers = pd.DataFrame({'cust_id': [101, 102, 103, 104],\n"
            "                          'segment': ['retail', 'corporate', 'retail', 'online']})\n"
            "# order export: ids came through as text\n"
            "orders = pd.DataFrame({'order_id': [1, 2, 3, 4, 5],\n"
            "                       'cust_id': ['103', '101', '103', '104', '102'],\n"
            "                       'amount': [250.0, 120.0, 80.0, 300.0, 510.0]})\n"
        ),
        cell=(
            "merged = orders.merge(customers, on='cust_id', how='left')\n"
            "by_segment = merged.groupby('segment')['amount'].sum()\n"
            "print(by_segment)\n"
        ),
        raises="ValueError",
        check=(
            "by_segment.to_dict() == {'corporate': 510.0, 'online': 300.0, 'retail': 450.0}"
            " and len(merged) == 5 and merged['segment'].notna().all()"
        ),
        intent="Attach each order's customer segment and total the order amounts per segment.",
        reference=(
            "orders['cust_id'] = orders['cust_id'].astype(int)\n"
            "merged = orders.merge(customers, on='cust_id', how='left')\n"
            "by_segment = merged.groupby('segment')['amount'].sum()\n"
            "print(by_segment)\n"
        ),
    ),
    ExecCase(
        id="r-apply-row-without-axis",
        setup=(
            "import pandas as pd\n"
            "cart = pd.DataFrame({'item': ['pen', 'notebook', 'bag', 'lamp'],\n"
            "                     'price': [1.5, 3.25, 24.0, 18.5],\n"
            "                     'qty': [10, 4, 1, 2],\n"
            "                     'taxable': [True, False, True, True]})\n"
        ),
        cell=(
            "cart['line_total'] = cart.apply(lambda row: row['price'] * row['qty'] * (1.2 if row['taxable'] else 1.0))\n"
            "grand_total = round(cart['line_total'].sum(), 2)\n"
            "print(cart)\n"
            "print('Total:', grand_total)\n"
        ),
        raises="KeyError",
        check=(
            "[round(float(v), 2) for v in cart['line_total']] == [18.0, 13.0, 28.8, 44.4]"
            " and abs(grand_total - 104.2) < 1e-9"
        ),
        intent="Compute each cart line's total (price times quantity, plus 20% tax when taxable) and the grand total.",
        reference=(
            "cart['line_total'] = cart.apply(lambda row: row['price'] * row['qty'] * (1.2 if row['taxable'] else 1.0), axis=1)\n"
            "grand_total = round(cart['line_total'].sum(), 2)\n"
            "print(cart)\n"
            "print('Total:', grand_total)\n"
        ),
    ),
    ExecCase(
        id="r-concat-frames-as-arguments",
        setup=(
            "import pandas as pd\n"
            "jan = pd.DataFrame({'sku': ['A1', 'B2', 'C3'], 'units': [5, 3, 8]})\n"
            "feb = pd.DataFrame({'sku': ['A1', 'C3', 'D4'], 'units': [7, 2, 4]})\n"
        ),
        cell=(
            "both = pd.concat(jan, feb, ignore_index=True)\n"
            "units_by_sku = both.groupby('sku')['units'].sum()\n"
            "print(len(both), 'rows')\n"
            "print(units_by_sku)\n"
        ),
        raises="TypeError",
        check=(
            "units_by_sku.to_dict() == {'A1': 12, 'B2': 3, 'C3': 10, 'D4': 4}"
            " and len(both) == 6 and list(both.index) == list(range(6))"
            " and both['sku'].tolist() == ['A1', 'B2', 'C3', 'A1', 'C3', 'D4']"
        ),
        intent="Stack January and February sales into one frame and total units per SKU.",
        reference=(
            "both = pd.concat([jan, feb], ignore_index=True)\n"
            "units_by_sku = both.groupby('sku')['units'].sum()\n"
            "print(len(both), 'rows')\n"
            "print(units_by_sku)\n"
        ),
    ),
    ExecCase(
        id="r-day-first-dates",
        setup=(
            "import pandas as pd\n"
            "# exported by a European booking system: day/month/year\n"
            "visits = pd.DataFrame({'date': ['03/02/2024', '15/02/2024', '28/02/2024', '04/03/2024', '19/03/2024', '02/04/2024'],\n"
            "                       'visitors': [120, 95, 143, 110, 87, 150]})\n"
        ),
        cell=(
            "visits['date'] = pd.to_datetime(visits['date'])\n"
            "monthly = visits.groupby(visits['date'].dt.month)['visitors'].sum()\n"
            "print(monthly)\n"
        ),
        raises="ValueError",
        check=(
            "monthly.to_dict() == {2: 358, 3: 197, 4: 150}"
            " and visits['date'].dt.strftime('%Y-%m-%d').tolist() == ['2024-02-03', '2024-02-15', '2024-02-28',"
            " '2024-03-04', '2024-03-19', '2024-04-02']"
        ),
        intent="Parse the day/month/year visit dates and total visitors per month.",
        reference=(
            "visits['date'] = pd.to_datetime(visits['date'], format='%d/%m/%Y')\n"
            "monthly = visits.groupby(visits['date'].dt.month)['visitors'].sum()\n"
            "print(monthly)\n"
        ),
    ),
    ExecCase(
        id="r-timedelta-series-days",
        setup=(
            "import pandas as pd\n"
            "tickets = pd.DataFrame({'id': [1, 2, 3, 4],\n"
            "                        'opened': pd.to_datetime(['2024-05-01', '2024-05-03', '2024-05-28', '2024-05-31']),\n"
            "                        'closed': pd.to_datetime(['2024-05-04', '2024-05-03', '2024-06-07', '2024-06-01'])})\n"
        ),
        cell=(
            "tickets['days_open'] = (tickets['closed'] - tickets['opened']).days\n"
            "slow = tickets.loc[tickets['days_open'] > 2, 'id'].tolist()\n"
            "print(tickets['days_open'].mean(), slow)\n"
        ),
        raises="AttributeError",
        check="tickets['days_open'].tolist() == [3, 0, 10, 1] and slow == [1, 3]",
        intent="Number of days each support ticket stayed open, and the ids of tickets open more than two days.",
        reference=(
            "tickets['days_open'] = (tickets['closed'] - tickets['opened']).dt.days\n"
            "slow = tickets.loc[tickets['days_open'] > 2, 'id'].tolist()\n"
            "print(tickets['days_open'].mean(), slow)\n"
        ),
    ),
    ExecCase(
        id="r-categorical-new-label",
        setup=(
            "import pandas as pd\n"
            "shirts = pd.DataFrame({'order': [1, 2, 3, 4, 5, 6],\n"
            "                       'size': pd.Categorical(['S', 'M', 'XL', 'M', 'XL', 'L'],\n"
            "                                              categories=['S', 'M', 'L', 'XL'], ordered=True)})\n"
        ),
        cell=(
            "# customers 3 and 6 wrote in to change their size to XXL\n"
            "shirts.loc[shirts['order'].isin([3, 6]), 'size'] = 'XXL'\n"
            "counts = shirts['size'].value_counts()\n"
            "print(counts[counts > 0])\n"
        ),
        raises="TypeError",
        check=(
            "shirts['size'].astype(str).tolist() == ['S', 'M', 'XXL', 'M', 'XL', 'XXL']"
            " and counts[counts > 0].to_dict() == {'S': 1, 'M': 2, 'XL': 1, 'XXL': 2}"
        ),
        intent="Change orders 3 and 6 to the new size XXL and count orders per size.",
        reference=(
            "# customers 3 and 6 wrote in to change their size to XXL\n"
            "shirts['size'] = shirts['size'].cat.add_categories(['XXL'])\n"
            "shirts.loc[shirts['order'].isin([3, 6]), 'size'] = 'XXL'\n"
            "counts = shirts['size'].value_counts()\n"
            "print(counts[counts > 0])\n"
        ),
    ),
    ExecCase(
        id="r-compare-differently-ordered-series",
        setup=(
            "import pandas as pd\n"
            "q1 = pd.Series({'Ana': 82, 'Ben': 75, 'Cleo': 90, 'Dev': 68})\n"
            "quiz2 = pd.DataFrame({'student': ['Cleo', 'Ben', 'Ana', 'Dev'], 'score': [94, 80, 79, 68]})  # ranked\n"
            "q2 = quiz2.set_index('student')['score']\n"
        ),
        cell=(
            "improved = q2 > q1\n"
            "names = sorted(improved[improved].index)\n"
            "change = (q2 - q1).sort_index()\n"
            "print('Improved:', names)\n"
            "print(change)\n"
        ),
        raises="ValueError",
        check=(
            "improved.to_dict() == {'Ana': False, 'Ben': True, 'Cleo': True, 'Dev': False}"
            " and names == ['Ben', 'Cleo'] and change.to_dict() == {'Ana': -3, 'Ben': 5, 'Cleo': 4, 'Dev': 0}"
        ),
        intent="Find which students scored higher on quiz 2 than on quiz 1, matching students by name.",
        reference=(
            "improved = q2.gt(q1)\n"
            "names = sorted(improved[improved].index)\n"
            "change = (q2 - q1).sort_index()\n"
            "print('Improved:', names)\n"
            "print(change)\n"
        ),
    ),
    ExecCase(
        id="r-zip-codes-str-on-ints",
        setup=(
            "import pandas as pd\n"
            "stores = pd.DataFrame({'store': ['Boston', 'Austin', 'Newark', 'Denver'],\n"
            "                       'zip': [2134, 78701, 7102, 80202]})\n"
        ),
        cell=(
            "stores['zip'] = stores['zip'].str.zfill(5)\n"
            "stores['zip3'] = stores['zip'].str[:3]\n"
            "print(stores)\n"
        ),
        raises="AttributeError",
        check=(
            "stores['zip'].tolist() == ['02134', '78701', '07102', '80202']"
            " and stores['zip3'].tolist() == ['021', '787', '071', '802']"
        ),
        intent="Restore the leading zeros of the five-digit ZIP codes and take each ZIP's three-digit prefix.",
        reference=(
            "stores['zip'] = stores['zip'].astype(str).str.zfill(5)\n"
            "stores['zip3'] = stores['zip'].str[:3]\n"
            "print(stores)\n"
        ),
    ),
    ExecCase(
        id="r-mask-operator-precedence",
        setup=(
            "import pandas as pd\n"
            "flights = pd.DataFrame({'flight': ['LH10', 'BA22', 'AF31', 'KL45', 'IB57', 'LX60'],\n"
            "                        'delay': [5, 42, 18, 0, 65, 30],\n"
            "                        'distance': [950, 420, 1800, 300, 2100, 700]})\n"
        ),
        cell=(
            "late_short = flights[flights['delay'] > 15 & flights['distance'] < 1000]\n"
            "share = len(late_short) / len(flights)\n"
            "print(late_short['flight'].tolist(), f'{share:.0%}')\n"
        ),
        raises="ValueError",
        check="late_short['flight'].tolist() == ['BA22', 'LX60'] and abs(share - 1 / 3) < 1e-9",
        intent="Select the flights delayed more than 15 minutes on routes shorter than 1000 km, and their share of all flights.",
        reference=(
            "late_short = flights[(flights['delay'] > 15) & (flights['distance'] < 1000)]\n"
            "share = len(late_short) / len(flights)\n"
            "print(late_short['flight'].tolist(), f'{share:.0%}')\n"
        ),
    ),
    # -- numpy ----------------------------------------------------------------------------------------
    ExecCase(
        id="r-center-rows-broadcast",
        setup=(
            "import numpy as np\n"
            "# one row per student, one column per test\n"
            "scores = np.array([[70., 80., 90., 60.], [55., 65., 75., 85.], [90., 92., 94., 96.]])\n"
        ),
        cell=(
            "centered = scores - scores.mean(axis=1)\n"
            "spread = np.abs(centered).max(axis=1)\n"
            "print(centered.round(1))\n"
            "print(spread)\n"
        ),
        raises="ValueError",
        check=(
            "np.shape(centered) == (3, 4)"
            " and np.allclose(centered, [[-5, 5, 15, -15], [-15, -5, 5, 15], [-3, -1, 1, 3]])"
            " and np.allclose(spread, [15, 15, 3])"
        ),
        intent="Subtract each student's own mean score from that student's test scores and find each student's largest deviation.",
        reference=(
            "centered = scores - scores.mean(axis=1, keepdims=True)\n"
            "spread = np.abs(centered).max(axis=1)\n"
            "print(centered.round(1))\n"
            "print(spread)\n"
        ),
    ),
    ExecCase(
        id="r-matmul-operand-order",
        setup=(
            "import numpy as np\n"
            "# one row per house: area (100 m2), bedrooms, age (decades)\n"
            "features = np.array([[1.2, 3, 2.0], [0.8, 2, 4.0], [2.0, 4, 1.0], [1.5, 3, 3.0], [0.6, 1, 5.0]])\n"
            "weights = np.array([150.0, 20.0, -10.0])\n"
            "bias = 50.0\n"
        ),
        cell=(
            "predicted = weights @ features + bias\n"
            "best = int(np.argmax(predicted))\n"
            "print(predicted.round(1), 'most valuable house:', best)\n"
        ),
        raises="ValueError",
        check="np.shape(predicted) == (5,) and np.allclose(predicted, [270, 170, 420, 305, 110]) and best == 2",
        intent="Predict each house's price from the linear model (features times weights plus bias) and find the most valuable house.",
        reference=(
            "predicted = features @ weights + bias\n"
            "best = int(np.argmax(predicted))\n"
            "print(predicted.round(1), 'most valuable house:', best)\n"
        ),
    ),
    ExecCase(
        id="r-inplace-multiply-int-array",
        setup=(
            "import numpy as np\n"
            "prices = np.array([120, 85, 240, 60, 99])  # net prices in euros\n"
        ),
        cell=(
            "prices *= 1.08  # add 8% VAT\n"
            "total = prices.sum()\n"
            "print(prices.round(2), round(float(total), 2))\n"
        ),
        raises="UFuncTypeError",
        check="np.allclose(prices, [129.6, 91.8, 259.2, 64.8, 106.92]) and abs(float(total) - 652.32) < 1e-6",
        intent="Add 8% VAT to every net price and total the gross prices, keeping the cents.",
        reference=(
            "prices = prices * 1.08  # add 8% VAT\n"
            "total = prices.sum()\n"
            "print(prices.round(2), round(float(total), 2))\n"
        ),
    ),
    ExecCase(
        id="r-middle-index-true-division",
        setup=(
            "import numpy as np\n"
            "response_ms = np.array([340, 120, 560, 210, 480, 150, 290, 820, 390])\n"
        ),
        cell=(
            "ordered = np.sort(response_ms)\n"
            "middle = ordered[len(ordered) / 2]\n"
            "slow = ordered[ordered > 2 * middle]\n"
            "print('median response:', middle, 'ms; slow:', slow)\n"
        ),
        raises="IndexError",
        check="middle == 340 and np.asarray(slow).tolist() == [820]",
        intent="Take the median response time as the middle element of the sorted times, and list times over twice the median.",
        reference=(
            "ordered = np.sort(response_ms)\n"
            "middle = ordered[len(ordered) // 2]\n"
            "slow = ordered[ordered > 2 * middle]\n"
            "print('median response:', middle, 'ms; slow:', slow)\n"
        ),
    ),
    ExecCase(
        id="r-one-based-day-numbers",
        setup=(
            "import numpy as np\n"
            "temps = np.array([12.5, 14.0, 15.5, 13.0, 11.5, 16.0, 17.5])  # Monday .. Sunday\n"
            "weekend_days = [6, 7]  # day numbers as written in the report (Monday = 1)\n"
        ),
        cell=(
            "weekend = [temps[d] for d in weekend_days]\n"
            "weekday_mean = temps[:5].mean()\n"
            "print('weekend mean:', np.mean(weekend), 'weekday mean:', weekday_mean)\n"
        ),
        raises="IndexError",
        check="len(weekend) == 2 and np.allclose(np.asarray(weekend, dtype=float), [16.0, 17.5]) and abs(weekday_mean - 13.3) < 1e-9",
        intent="Pick the Saturday and Sunday temperatures (days 6 and 7, counted from Monday = 1) and compare their mean with the weekday mean.",
        reference=(
            "weekend = [temps[d - 1] for d in weekend_days]\n"
            "weekday_mean = temps[:5].mean()\n"
            "print('weekend mean:', np.mean(weekend), 'weekday mean:', weekday_mean)\n"
        ),
    ),
    ExecCase(
        id="r-array-of-number-strings",
        setup=(
            "import numpy as np\n"
            "line = '23.5,19.0,21.25,25.0,18.75'  # one line of a sensor log\n"
            "readings = np.array(line.split(','))\n"
        ),
        cell=(
            "avg = readings.mean()\n"
            "above = readings[readings > avg]\n"
            "print(round(avg, 2), above)\n"
        ),
        raises="TypeError",
        check="abs(float(avg) - 21.5) < 1e-9 and np.asarray(above, dtype=float).tolist() == [23.5, 25.0]",
        intent="Average the sensor readings and list the readings above the average.",
        reference=(
            "readings = readings.astype(float)\n"
            "avg = readings.mean()\n"
            "above = readings[readings > avg]\n"
            "print(round(avg, 2), above)\n"
        ),
    ),
    ExecCase(
        id="r-histogram-returns-pair",
        setup=(
            "import numpy as np\n"
            "ages = np.array([23, 35, 41, 29, 52, 61, 38, 45, 27, 33, 48, 57, 36, 31])\n"
        ),
        cell=(
            "counts = np.histogram(ages, bins=5, range=(20, 70))\n"
            "busiest = counts.argmax()\n"
            "print(counts, 'busiest bin:', busiest)\n"
        ),
        raises="AttributeError",
        check="np.asarray(counts).tolist() == [3, 5, 3, 2, 1] and busiest == 1",
        intent="Count the ages in five ten-year bins from 20 to 70 and find the bin with the most people.",
        reference=(
            "counts, edges = np.histogram(ages, bins=5, range=(20, 70))\n"
            "busiest = counts.argmax()\n"
            "print(counts, 'busiest bin:', busiest)\n"
        ),
    ),
    ExecCase(
        id="r-math-exp-on-array",
        setup=(
            "import math\n"
            "import numpy as np\n"
            "log_returns = np.array([0.01, -0.02, 0.015, 0.005, -0.01])  # daily log returns\n"
        ),
        cell=(
            "growth = math.exp(log_returns)\n"
            "cumulative = np.cumprod(growth)\n"
            "print(cumulative.round(4))\n"
        ),
        raises="TypeError",
        check=(
            "np.shape(growth) == (5,) and np.allclose(growth, np.exp([0.01, -0.02, 0.015, 0.005, -0.01]))"
            " and np.allclose(cumulative, np.exp(np.cumsum([0.01, -0.02, 0.015, 0.005, -0.01])))"
        ),
        intent="Turn each day's log return into a growth factor and compound them into the cumulative growth.",
        reference=(
            "growth = np.exp(log_returns)\n"
            "cumulative = np.cumprod(growth)\n"
            "print(cumulative.round(4))\n"
        ),
    ),
    # -- plain Python ---------------------------------------------------------------------------------
    ExecCase(
        id="r-json-lines-extra-data",
        setup=(
            "import json\n"
            "raw = ('{\"user\": \"ana\", \"event\": \"click\", \"ms\": 120}\\n'\n"
            "       '{\"user\": \"ben\", \"event\": \"view\", \"ms\": 340}\\n'\n"
            "       '{\"user\": \"ana\", \"event\": \"view\", \"ms\": 95}\\n'\n"
            "       '{\"user\": \"cleo\", \"event\": \"click\", \"ms\": 210}\\n')  # an events.jsonl export\n"
        ),
        cell=(
            "events = json.loads(raw)\n"
            "by_user = {}\n"
            "for e in events:\n"
            "    by_user[e['user']] = by_user.get(e['user'], 0) + e['ms']\n"
            "print(len(events), 'events', by_user)\n"
        ),
        raises="JSONDecodeError",
        check="len(events) == 4 and by_user == {'ana': 215, 'ben': 340, 'cleo': 210}",
        intent="Parse the JSON-lines event export and total the milliseconds per user.",
        reference=(
            "events = [json.loads(line) for line in raw.splitlines() if line.strip()]\n"
            "by_user = {}\n"
            "for e in events:\n"
            "    by_user[e['user']] = by_user.get(e['user'], 0) + e['ms']\n"
            "print(len(events), 'events', by_user)\n"
        ),
    ),
    ExecCase(
        id="r-date-minus-datetime",
        setup=(
            "from datetime import date, datetime\n"
            "deadline = date(2024, 6, 14)\n"
            "submissions = {'ana': datetime(2024, 6, 10, 16, 45),\n"
            "               'ben': datetime(2024, 6, 14, 23, 5),\n"
            "               'cleo': datetime(2024, 6, 16, 9, 30)}\n"
        ),
        cell=(
            "days_early = {}\n"
            "for name, when in submissions.items():\n"
            "    days_early[name] = (deadline - when).days\n"
            "late = [n for n, d in days_early.items() if d < 0]\n"
            "print(days_early, 'late:', late)\n"
        ),
        raises="TypeError",
        check="days_early == {'ana': 4, 'ben': 0, 'cleo': -2} and late == ['cleo']",
        intent="How many calendar days before the deadline date each student submitted (negative when late), and who was late.",
        reference=(
            "days_early = {}\n"
            "for name, when in submissions.items():\n"
            "    days_early[name] = (deadline - when.date()).days\n"
            "late = [n for n, d in days_early.items() if d < 0]\n"
            "print(days_early, 'late:', late)\n"
        ),
    ),
    ExecCase(
        id="r-findall-with-two-groups",
        setup=(
            "import re\n"
            "receipt = 'Coffee $3.50, Bagel $2, Juice $4.25, Muffin $3'\n"
        ),
        cell=(
            "amounts = [float(a) for a in re.findall(r'\\$(\\d+(\\.\\d\\d)?)', receipt)]\n"
            "total = sum(amounts)\n"
            "print(f'{len(amounts)} items, total ${total:.2f}')\n"
        ),
        raises="TypeError",
        check="amounts == [3.5, 2.0, 4.25, 3.0] and abs(total - 12.75) < 1e-9",
        intent="Extract every dollar amount (with or without cents) from the receipt and total them.",
        reference=(
            "amounts = [float(a) for a in re.findall(r'\\$(\\d+(?:\\.\\d\\d)?)', receipt)]\n"
            "total = sum(amounts)\n"
            "print(f'{len(amounts)} items, total ${total:.2f}')\n"
        ),
    ),
    ExecCase(
        id="r-csv-header-after-comma-space",
        setup=(
            "import csv, io\n"
            "text = 'name, dept, salary\\nAna, Sales, 52000\\nBen, IT, 61000\\nCleo, Sales, 58000\\nDev, IT, 67000\\nEli, HR, 49000\\n'\n"
        ),
        cell=(
            "rows = list(csv.DictReader(io.StringIO(text)))\n"
            "payroll = {}\n"
            "for r in rows:\n"
            "    payroll[r['dept']] = payroll.get(r['dept'], 0) + int(r['salary'])\n"
            "print(payroll)\n"
        ),
        raises="KeyError",
        check="payroll == {'Sales': 110000, 'IT': 128000, 'HR': 49000}",
        intent="Total the salaries per department from the pasted CSV text.",
        reference=(
            "rows = list(csv.DictReader(io.StringIO(text), skipinitialspace=True))\n"
            "payroll = {}\n"
            "for r in rows:\n"
            "    payroll[r['dept']] = payroll.get(r['dept'], 0) + int(r['salary'])\n"
            "print(payroll)\n"
        ),
    ),
    ExecCase(
        id="r-defaultdict-int-append",
        setup=(
            "from collections import defaultdict\n"
            "enrollments = [('math', 'ana'), ('art', 'ben'), ('math', 'cleo'), ('bio', 'ana'), ('art', 'dev'), ('math', 'eli')]\n"
        ),
        cell=(
            "roster = defaultdict(int)\n"
            "for course, student in enrollments:\n"
            "    roster[course].append(student)\n"
            "sizes = {c: len(s) for c, s in roster.items()}\n"
            "print(dict(roster), sizes)\n"
        ),
        raises="AttributeError",
        check=(
            "dict(roster) == {'math': ['ana', 'cleo', 'eli'], 'art': ['ben', 'dev'], 'bio': ['ana']}"
            " and sizes == {'math': 3, 'art': 2, 'bio': 1}"
        ),
        intent="Group the enrolled students into a list per course and count each course's size.",
        reference=(
            "roster = defaultdict(list)\n"
            "for course, student in enrollments:\n"
            "    roster[course].append(student)\n"
            "sizes = {c: len(s) for c, s in roster.items()}\n"
            "print(dict(roster), sizes)\n"
        ),
    ),
    ExecCase(
        id="r-sort-key-lambda-two-params",
        setup="stock = {'apples': 42, 'pears': 7, 'plums': 19, 'kiwis': 63, 'figs': 7}\n",
        cell=(
            "ranked = sorted(stock.items(), key=lambda name, qty: qty, reverse=True)\n"
            "top3 = [name for name, qty in ranked[:3]]\n"
            "print(top3)\n"
        ),
        raises="TypeError",
        check="top3 == ['kiwis', 'apples', 'plums'] and [q for _, q in ranked] == [63, 42, 19, 7, 7]",
        intent="Rank the fruits by quantity in stock, largest first, and name the top three.",
        reference=(
            "ranked = sorted(stock.items(), key=lambda item: item[1], reverse=True)\n"
            "top3 = [name for name, qty in ranked[:3]]\n"
            "print(top3)\n"
        ),
    ),
    ExecCase(
        id="r-property-called-like-method",
        setup=(
            "class Cart:\n"
            "    def __init__(self, prices):\n"
            "        self.prices = list(prices)\n"
            "\n"
            "    @property\n"
            "    def total(self):\n"
            "        return sum(self.prices)\n"
        ),
        cell=(
            "carts = [Cart([3.5, 2.0]), Cart([10.0]), Cart([1.25, 1.25, 4.0])]\n"
            "totals = [c.total() for c in carts]\n"
            "print('largest cart:', max(totals), 'all carts:', sum(totals))\n"
        ),
        raises="TypeError",
        check="totals == [5.5, 10.0, 6.5]",
        intent="Total of each shopping cart, then the largest cart and the sum over all carts.",
        reference=(
            "carts = [Cart([3.5, 2.0]), Cart([10.0]), Cart([1.25, 1.25, 4.0])]\n"
            "totals = [c.total for c in carts]\n"
            "print('largest cart:', max(totals), 'all carts:', sum(totals))\n"
        ),
    ),
    ExecCase(
        id="r-dataclass-list-default",
        setup="from dataclasses import dataclass, field\n",
        cell=(
            "@dataclass\n"
            "class Team:\n"
            "    name: str\n"
            "    members: list = []\n"
            "red, blue = Team('red'), Team('blue')\n"
            "red.members.append('ana')\n"
            "blue.members.append('ben')\n"
            "print(red, blue)\n"
        ),
        raises="ValueError",
        check=(
            "red.name == 'red' and blue.name == 'blue' and red.members == ['ana'] and blue.members == ['ben']"
            " and Team('green').members == []"
        ),
        intent="A Team dataclass whose every team starts with its own empty member list, with one member added to each of two teams.",
        reference=(
            "@dataclass\n"
            "class Team:\n"
            "    name: str\n"
            "    members: list = field(default_factory=list)\n"
            "red, blue = Team('red'), Team('blue')\n"
            "red.members.append('ana')\n"
            "blue.members.append('ben')\n"
            "print(red, blue)\n"
        ),
    ),
    ExecCase(
        id="r-float-format-on-text",
        setup="rates = {'GBP': '0.7862', 'EUR': '0.9213', 'JPY': '151.4'}  # exchange rates per USD, as the API sent them\n",
        cell=(
            "lines = []\n"
            "for cur, rate in sorted(rates.items()):\n"
            "    lines.append(f'{cur}: {rate:>10.3f}')\n"
            "report = '\\n'.join(lines)\n"
            "print(report)\n"
        ),
        raises="ValueError",
        check="report == 'EUR:      0.921\\nGBP:      0.786\\nJPY:    151.400'",
        intent="A report of the exchange rates, one per currency in alphabetical order, right-aligned with three decimals.",
        reference=(
            "lines = []\n"
            "for cur, rate in sorted(rates.items()):\n"
            "    lines.append(f'{cur}: {float(rate):>10.3f}')\n"
            "report = '\\n'.join(lines)\n"
            "print(report)\n"
        ),
    ),
    ExecCase(
        id="r-set-of-coordinate-lists",
        setup=(
            "# GPS fixes as [lat, lon] pairs, straight from a JSON response\n"
            "visits = [[52.52, 13.40], [48.85, 2.35], [52.52, 13.40], [41.90, 12.50], [48.85, 2.35], [52.52, 13.40]]\n"
        ),
        cell=(
            "unique_points = set(visits)\n"
            "first = sorted(unique_points)[0]\n"
            "print(len(unique_points), 'distinct places; southernmost:', first)\n"
        ),
        raises="TypeError",
        check=(
            "len(unique_points) == 3"
            " and sorted(tuple(p) for p in unique_points) == [(41.9, 12.5), (48.85, 2.35), (52.52, 13.4)]"
            " and tuple(first) == (41.9, 12.5)"
        ),
        intent="The distinct places among the GPS fixes, how many there are, and the southernmost one.",
        reference=(
            "unique_points = set(map(tuple, visits))\n"
            "first = sorted(unique_points)[0]\n"
            "print(len(unique_points), 'distinct places; southernmost:', first)\n"
        ),
    ),
    ExecCase(
        id="r-split-bytes-with-str",
        setup="payload = b'id,temp\\n1,21.5\\n2,22.0\\n3,19.5\\n4,23.0\\n'  # body of an HTTP response\n",
        cell=(
            "rows = [line.split(',') for line in payload.strip().split('\\n')[1:]]\n"
            "temps = {int(i): float(t) for i, t in rows}\n"
            "hottest = max(temps, key=temps.get)\n"
            "print(temps, 'hottest sensor:', hottest)\n"
        ),
        raises="TypeError",
        check="temps == {1: 21.5, 2: 22.0, 3: 19.5, 4: 23.0} and hottest == 4",
        intent="Parse the CSV body of the response into a temperature per sensor id and find the hottest sensor.",
        reference=(
            "rows = [line.split(',') for line in payload.decode().strip().split('\\n')[1:]]\n"
            "temps = {int(i): float(t) for i, t in rows}\n"
            "hottest = max(temps, key=temps.get)\n"
            "print(temps, 'hottest sensor:', hottest)\n"
        ),
    ),
)
