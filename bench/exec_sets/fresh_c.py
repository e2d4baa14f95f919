"""Fresh execution-graded cases, set C: pandas, numpy and plain-Python notebook errors."""

from bench.exec_case import ExecCase

CASES: tuple[ExecCase, ...] = (
    # ------------------------------------------------------------------ pandas
    ExecCase(
        id="c-pd-value-counts-reset-index-column",
        setup=(
            "import io\n"
            "import pandas as pd\n"
            "raw = '''order_id,city,amount\n"
            "1,Lyon,20\n"
            "2,Paris,35\n"
            "3,Lyon,12\n"
            "4,Nice,50\n"
            "5,Lyon,8\n"
            "6,Paris,40\n"
            "7,Nice,15\n"
            "8,Lyon,22\n"
            "'''\n"
            "orders = pd.read_csv(io.StringIO(raw))\n"
        ),
        cell=(
            "city_counts = orders['city'].value_counts().reset_index()\n"
            "busiest_city = city_counts.loc[city_counts['count'].idxmax(), 'index']\n"
            "busiest_share = city_counts['count'].max() / len(orders)\n"
            "print(f'{busiest_city}: {busiest_share:.0%} of orders')\n"
        ),
        raises="KeyError",
        check="busiest_city == 'Lyon' and abs(float(busiest_share) - 0.5) < 1e-9",
        intent="Find the city with the most orders and the share of all orders it accounts for.",
        reference=(
            "city_counts = orders['city'].value_counts().reset_index()\n"
            "busiest_city = city_counts.loc[city_counts['count'].idxmax(), 'city']\n"
            "busiest_share = city_counts['count'].max() / len(orders)\n"
            "print(f'{busiest_city}: {busiest_share:.0%} of orders')\n"
        ),
    ),
    ExecCase(
        id="c-pd-named-agg-average",
        setup=(
            "import pandas as pd\n"
            "games = pd.DataFrame({\n"
            "    'team': ['Hawks', 'Owls', 'Hawks', 'Owls', 'Hawks', 'Owls', 'Hawks'],\n"
            "    'game': [1, 1, 2, 2, 3, 3, 4],\n"
            "    'points': [88, 92, 101, 85, 95, 99, 90],\n"
            "})\n"
        ),
        cell=(
            "team_summary = games.groupby('team').agg(\n"
            "    games_played=('game', 'count'),\n"
            "    total_points=('points', 'sum'),\n"
            "    avg_points=('points', 'average'),\n"
            ")\n"
            "team_summary = team_summary.sort_values('avg_points', ascending=False)\n"
        ),
        raises="AttributeError",
        check=(
            "list(team_summary.index) == ['Hawks', 'Owls']"
            " and [int(v) for v in team_summary['games_played']] == [4, 3]"
            " and [int(v) for v in team_summary['total_points']] == [374, 276]"
            " and abs(float(team_summary.loc['Hawks', 'avg_points']) - 93.5) < 1e-9"
            " and abs(float(team_summary.loc['Owls', 'avg_points']) - 92.0) < 1e-9"
        ),
        intent="Per team: number of games, total points and mean points per game, sorted by mean points descending.",
        reference=(
            "team_summary = games.groupby('team').agg(\n"
            "    games_played=('game', 'count'),\n"
            "    total_points=('points', 'sum'),\n"
            "    avg_points=('points', 'mean'),\n"
            ")\n"
            "team_summary = team_summary.sort_values('avg_points', ascending=False)\n"
        ),
    ),
    ExecCase(
        id="c-pd-dayfirst-dates-monthly-periods",
        setup=(
            "import io\n"
            "import pandas as pd\n"
            "raw = '''date,amount\n"
            "05/01/2024,120.0\n"
            "20/01/2024,80.5\n"
            "03/02/2024,200.0\n"
            "14/02/2024,35.25\n"
            "28/02/2024,64.75\n"
            "02/03/2024,150.0\n"
            "'''\n"
            "sales = pd.read_csv(io.StringIO(raw))  # European shop: day/month/year\n"
        ),
        cell=(
            "sales['date'] = pd.to_datetime(sales['date'])\n"
            "sales['month'] = sales['date'].dt.to_period('M')\n"
            "monthly = sales.groupby('month')['amount'].sum()\n"
            "print(monthly)\n"
        ),
        raises="ValueError",
        check=(
            "[str(m) for m in monthly.index] == ['2024-01', '2024-02', '2024-03']"
            " and all(abs(a - b) < 1e-9 for a, b in zip(monthly.tolist(), [200.5, 300.0, 150.0]))"
            " and len(monthly) == 3"
        ),
        intent="Parse the day-first dates and total the sales amount per calendar month.",
        reference=(
            "sales['date'] = pd.to_datetime(sales['date'], format='%d/%m/%Y')\n"
            "sales['month'] = sales['date'].dt.to_period('M')\n"
            "monthly = sales.groupby('month')['amount'].sum()\n"
            "print(monthly)\n"
        ),
    ),
    ExecCase(
        id="c-pd-str-split-positional-key",
        setup=(
            "import pandas as pd\n"
            "staff = pd.DataFrame(\n"
            "    {'full_name': ['Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'Edsger Dijkstra'],\n"
            "     'dept': ['R&D', 'R&D', 'Navy', 'Faculty']},\n"
            "    index=pd.Index([101, 102, 103, 104], name='emp_id'),\n"
            ")\n"
        ),
        cell=(
            "staff['last_name'] = staff['full_name'].str.split(' ')[1]\n"
            "directory = staff.sort_values('last_name')\n"
            "print(directory[['last_name', 'dept']])\n"
        ),
        raises="KeyError",
        check=(
            "list(staff['last_name']) == ['Lovelace', 'Turing', 'Hopper', 'Dijkstra']"
            " and list(directory['full_name']) == ['Edsger Dijkstra', 'Grace Hopper', 'Ada Lovelace', 'Alan Turing']"
            " and list(directory.index) == [104, 103, 101, 102]"
        ),
        intent="Extract each employee's last name into a column and list staff alphabetically by last name.",
        reference=(
            "staff['last_name'] = staff['full_name'].str.split(' ').str[1]\n"
            "directory = staff.sort_values('last_name')\n"
            "print(directory[['last_name', 'dept']])\n"
        ),
    ),
    ExecCase(
        id="c-pd-merge-key-dtype-suffixes",
        setup=(
            "import io\n"
            "import pandas as pd\n"
            "orders = pd.DataFrame({\n"
            "    'order_id': [5001, 5002, 5003, 5004, 5005],\n"
            "    'customer_id': [2, 1, 3, 2, 1],\n"
            "    'city': ['Leeds', 'York', 'Bath', 'Hull', 'York'],\n"
            "    'total': [40.0, 12.5, 99.0, 18.0, 23.5],\n"
            "})\n"
            "# ids keep their leading zeros in the CRM export\n"
            "customers = pd.read_csv(io.StringIO('''customer_id,name,city\n"
            "001,Priya,York\n"
            "002,Tom,Leeds\n"
            "003,Mei,Derby\n"
            "'''), dtype={'customer_id': str})\n"
        ),
        cell=(
            "report = orders.merge(customers, on='customer_id', how='left', suffixes=('_delivery', '_home'))\n"
            "report['away_from_home'] = report['city_delivery'] != report['city_home']\n"
            "away_orders = report.loc[report['away_from_home'], ['order_id', 'name', 'city_delivery']]\n"
        ),
        raises="ValueError",
        check=(
            "sorted(report['order_id'].tolist()) == [5001, 5002, 5003, 5004, 5005]"
            " and dict(zip(report['order_id'], report['name'])) == {5001: 'Tom', 5002: 'Priya', 5003: 'Mei', 5004: 'Tom', 5005: 'Priya'}"
            " and sorted(away_orders['order_id'].tolist()) == [5003, 5004]"
            " and dict(zip(away_orders['order_id'], away_orders['name'])) == {5003: 'Mei', 5004: 'Tom'}"
        ),
        intent="Join orders to customers by id and list the orders delivered to a city other than the customer's home city.",
        reference=(
            "customers['customer_id'] = customers['customer_id'].astype(int)\n"
            "report = orders.merge(customers, on='customer_id', how='left', suffixes=('_delivery', '_home'))\n"
            "report['away_from_home'] = report['city_delivery'] != report['city_home']\n"
            "away_orders = report.loc[report['away_from_home'], ['order_id', 'name', 'city_delivery']]\n"
        ),
    ),
    ExecCase(
        id="c-pd-thousands-separator-shift-cumsum",
        setup=(
            "import io\n"
            "import pandas as pd\n"
            "raw = '''month,revenue\n"
            "2024-01,\"1,200\"\n"
            "2024-02,\"1,350\"\n"
            "2024-03,980\n"
            "2024-04,\"1,410\"\n"
            "'''\n"
        ),
        cell=(
            "revenue = pd.read_csv(io.StringIO(raw))\n"
            "revenue['change'] = revenue['revenue'] - revenue['revenue'].shift(1)\n"
            "revenue['year_to_date'] = revenue['revenue'].cumsum()\n"
            "print(revenue)\n"
        ),
        raises="TypeError",
        check=(
            "[float(v) for v in revenue['revenue']] == [1200.0, 1350.0, 980.0, 1410.0]"
            " and pd.isna(revenue['change'].iloc[0])"
            " and [float(v) for v in revenue['change'].iloc[1:]] == [150.0, -370.0, 430.0]"
            " and [float(v) for v in revenue['year_to_date']] == [1200.0, 2550.0, 3530.0, 4940.0]"
        ),
        intent="Load monthly revenue (with thousands separators) as numbers, then compute month-over-month change and running total.",
        reference=(
            "revenue = pd.read_csv(io.StringIO(raw), thousands=',')\n"
            "revenue['change'] = revenue['revenue'] - revenue['revenue'].shift(1)\n"
            "revenue['year_to_date'] = revenue['revenue'].cumsum()\n"
            "print(revenue)\n"
        ),
    ),
    ExecCase(
        id="c-pd-sort-values-inplace-returns-none",
        setup=(
            "import pandas as pd\n"
            "employees = pd.DataFrame({\n"
            "    'name': ['Ann', 'Bo', 'Cy', 'Di', 'Ed', 'Flo', 'Gus'],\n"
            "    'dept': ['Sales', 'IT', 'Sales', 'IT', 'HR', 'HR', 'Sales'],\n"
            "    'salary': [52000, 71000, 61000, 68000, 45000, 49000, 58000],\n"
            "})\n"
        ),
        cell=(
            "ranked = employees.sort_values(['dept', 'salary'], ascending=[True, False], inplace=True)\n"
            "top_earners = ranked.groupby('dept').head(1)\n"
            "print(top_earners[['dept', 'name', 'salary']])\n"
        ),
        raises="AttributeError",
        check=(
            "len(top_earners) == 3"
            " and dict(zip(top_earners['dept'], top_earners['name'])) == {'HR': 'Flo', 'IT': 'Bo', 'Sales': 'Cy'}"
            " and sorted(int(s) for s in top_earners['salary']) == [49000, 61000, 71000]"
        ),
        intent="Sort staff by department then salary descending and keep the highest-paid employee of each department.",
        reference=(
            "ranked = employees.sort_values(['dept', 'salary'], ascending=[True, False])\n"
            "top_earners = ranked.groupby('dept').head(1)\n"
            "print(top_earners[['dept', 'name', 'salary']])\n"
        ),
    ),
    ExecCase(
        id="c-pd-isin-varargs",
        setup=(
            "import pandas as pd\n"
            "sales = pd.DataFrame({\n"
            "    'country': ['FR', 'DE', 'IT', 'FR', 'ES', 'DE', 'FR', 'PL'],\n"
            "    'amount': [120, 340, 90, 60, 210, 150, 30, 75],\n"
            "})\n"
        ),
        cell=(
            "core_markets = sales[sales['country'].isin('FR', 'DE')]\n"
            "core_revenue = core_markets.groupby('country')['amount'].sum()\n"
            "core_share = core_revenue.sum() / sales['amount'].sum()\n"
        ),
        raises="TypeError",
        check=(
            "{str(k): int(v) for k, v in core_revenue.items()} == {'DE': 490, 'FR': 210}"
            " and abs(core_share - 700 / 1075) < 1e-9"
            " and sorted(core_markets['country'].tolist()) == ['DE', 'DE', 'FR', 'FR', 'FR']"
        ),
        intent="Keep only French and German sales, total them per country and compute their share of all revenue.",
        reference=(
            "core_markets = sales[sales['country'].isin(['FR', 'DE'])]\n"
            "core_revenue = core_markets.groupby('country')['amount'].sum()\n"
            "core_share = core_revenue.sum() / sales['amount'].sum()\n"
        ),
    ),
    ExecCase(
        id="c-pd-pivot-duplicate-entries",
        setup=(
            "import pandas as pd\n"
            "transactions = pd.DataFrame({\n"
            "    'store': ['North', 'North', 'South', 'North', 'South', 'South', 'North', 'South'],\n"
            "    'month': ['Jan', 'Jan', 'Jan', 'Feb', 'Feb', 'Feb', 'Mar', 'Mar'],\n"
            "    'amount': [100.0, 50.0, 80.0, 120.0, 40.0, 60.0, 90.0, 30.0],\n"
            "})\n"
        ),
        cell=(
            "monthly_totals = transactions.pivot(index='store', columns='month', values='amount')\n"
            "monthly_totals = monthly_totals[['Jan', 'Feb', 'Mar']]\n"
            "best_store_per_month = monthly_totals.idxmax()\n"
        ),
        raises="ValueError",
        check=(
            "monthly_totals.shape == (2, 3)"
            " and [float(monthly_totals.loc['North', m]) for m in ['Jan', 'Feb', 'Mar']] == [150.0, 120.0, 90.0]"
            " and [float(monthly_totals.loc['South', m]) for m in ['Jan', 'Feb', 'Mar']] == [80.0, 100.0, 30.0]"
            " and {str(k): v for k, v in best_store_per_month.items()} == {'Jan': 'North', 'Feb': 'North', 'Mar': 'North'}"
        ),
        intent="Build a store-by-month table of total transaction amounts (Jan, Feb, Mar) and find the best store each month.",
        reference=(
            "monthly_totals = transactions.pivot_table(index='store', columns='month', values='amount', aggfunc='sum')\n"
            "monthly_totals = monthly_totals[['Jan', 'Feb', 'Mar']]\n"
            "best_store_per_month = monthly_totals.idxmax()\n"
        ),
    ),
    # ------------------------------------------------------------------- numpy
    ExecCase(
        id="c-np-bincount-true-division",
        setup=(
            "import numpy as np\n"
            "scores = np.array([45, 67, 72, 88, 91, 55, 63, 78, 99, 70])\n"
        ),
        cell=(
            "decile = scores / 10\n"
            "histogram = np.bincount(decile, minlength=10)\n"
            "for d, n in enumerate(histogram):\n"
            "    print(f'{d * 10:>3}-{d * 10 + 9}: ' + '#' * n)\n"
        ),
        raises="TypeError",
        check="len(histogram) == 10 and [int(n) for n in histogram] == [0, 0, 0, 0, 1, 1, 2, 3, 1, 2]",
        intent="Count how many scores fall in each band of ten (0-9, 10-19, ..., 90-99) and print a text histogram.",
        reference=(
            "decile = scores // 10\n"
            "histogram = np.bincount(decile, minlength=10)\n"
            "for d, n in enumerate(histogram):\n"
            "    print(f'{d * 10:>3}-{d * 10 + 9}: ' + '#' * n)\n"
        ),
    ),
    ExecCase(
        id="c-np-fancy-index-submatrix",
        setup=(
            "import numpy as np\n"
            "# rows: students, columns: exams\n"
            "grades = np.array([\n"
            "    [71, 64, 80, 77, 90],\n"
            "    [55, 61, 58, 70, 66],\n"
            "    [88, 92, 85, 79, 95],\n"
            "    [60, 73, 69, 81, 74],\n"
            "])\n"
        ),
        cell=(
            "selected_students = [0, 2]\n"
            "selected_exams = [1, 3, 4]\n"
            "subset = grades[selected_students, selected_exams]\n"
            "student_means = subset.mean(axis=1)\n"
        ),
        raises="IndexError",
        check=(
            "np.asarray(subset).shape == (2, 3)"
            " and np.asarray(subset).tolist() == [[64, 77, 90], [92, 79, 95]]"
            " and np.allclose(student_means, [77.0, 88.66666666666667])"
        ),
        intent="Take the block of grades for students 0 and 2 on exams 1, 3 and 4 and average each student's row.",
        reference=(
            "selected_students = [0, 2]\n"
            "selected_exams = [1, 3, 4]\n"
            "subset = grades[np.ix_(selected_students, selected_exams)]\n"
            "student_means = subset.mean(axis=1)\n"
        ),
    ),
    ExecCase(
        id="c-np-row-centering-broadcast",
        setup=(
            "import numpy as np\n"
            "# three sensors (rows), four hourly readings each (columns)\n"
            "readings = np.array([\n"
            "    [20.0, 22.0, 21.0, 25.0],\n"
            "    [15.5, 15.0, 16.5, 17.0],\n"
            "    [30.0, 28.0, 29.0, 33.0],\n"
            "])\n"
        ),
        cell=(
            "row_means = readings.mean(axis=1)\n"
            "centered = readings - row_means\n"
            "max_deviation = np.abs(centered).max(axis=1)\n"
        ),
        raises="ValueError",
        check=(
            "np.shape(centered) == (3, 4)"
            " and np.allclose(centered, [[-2.0, 0.0, -1.0, 3.0], [-0.5, -1.0, 0.5, 1.0], [0.0, -2.0, -1.0, 3.0]])"
            " and np.allclose(max_deviation, [3.0, 1.0, 3.0])"
        ),
        intent="Subtract each sensor's own mean from its readings and report each sensor's largest absolute deviation.",
        reference=(
            "row_means = readings.mean(axis=1)\n"
            "centered = readings - row_means[:, np.newaxis]\n"
            "max_deviation = np.abs(centered).max(axis=1)\n"
        ),
    ),
    ExecCase(
        id="c-np-hstack-bias-column",
        setup=(
            "import numpy as np\n"
            "X = np.array([[1.0, 2.0], [2.0, 1.0], [3.0, 4.0], [4.0, 3.0], [5.0, 5.0]])\n"
            "y = np.array([9.0, 8.0, 17.0, 16.0, 21.0])\n"
        ),
        cell=(
            "intercept = np.ones(len(X))\n"
            "X_design = np.hstack([intercept, X])\n"
            "coef, *_ = np.linalg.lstsq(X_design, y, rcond=None)\n"
            "print('intercept, w1, w2 =', coef.round(3))\n"
        ),
        raises="ValueError",
        check=(
            "np.shape(X_design) == (5, 3)"
            " and np.allclose(np.asarray(X_design)[:, 0], 1.0)"
            " and np.allclose(np.asarray(X_design)[:, 1:], X)"
            " and np.allclose(coef, np.linalg.lstsq(np.column_stack([np.ones(5), X]), y, rcond=None)[0])"
        ),
        intent="Prepend a column of ones to X and fit ordinary least squares for intercept and two weights.",
        reference=(
            "intercept = np.ones(len(X))\n"
            "X_design = np.hstack([intercept[:, None], X])\n"
            "coef, *_ = np.linalg.lstsq(X_design, y, rcond=None)\n"
            "print('intercept, w1, w2 =', coef.round(3))\n"
        ),
    ),
    ExecCase(
        id="c-np-where-single-branch",
        setup=(
            "import numpy as np\n"
            "city_temps = np.array([12.5, 18.0, 25.3, 30.1, 8.7, 22.0, 19.9])\n"
        ),
        cell=(
            "labels = np.where(city_temps >= 20, 'warm')\n"
            "n_warm = int((labels == 'warm').sum())\n"
            "print(labels, n_warm)\n"
        ),
        raises="ValueError",
        check=(
            "len(labels) == 7"
            " and [str(l) == 'warm' for l in labels] == [False, False, True, True, False, True, False]"
            " and n_warm == 3"
        ),
        intent="Label each temperature 'warm' if it is at least 20 degrees and something else otherwise, and count the warm ones.",
        reference=(
            "labels = np.where(city_temps >= 20, 'warm', 'cold')\n"
            "n_warm = int((labels == 'warm').sum())\n"
            "print(labels, n_warm)\n"
        ),
    ),
    ExecCase(
        id="c-np-quantile-percent-scale",
        setup=(
            "import numpy as np\n"
            "response_ms = np.array([120, 95, 300, 180, 210, 99, 450, 130, 160, 240, 105, 820])\n"
        ),
        cell=(
            "p90 = np.quantile(response_ms, 90)\n"
            "slow_requests = response_ms[response_ms > p90]\n"
            "print(f'p90 = {p90:.1f} ms, slow: {slow_requests}')\n"
        ),
        raises="ValueError",
        check=(
            "abs(float(p90) - 435.0) < 1e-6"
            " and sorted(int(v) for v in slow_requests) == [450, 820]"
        ),
        intent="Compute the 90th percentile of response times and list the requests slower than it.",
        reference=(
            "p90 = np.quantile(response_ms, 0.90)\n"
            "slow_requests = response_ms[response_ms > p90]\n"
            "print(f'p90 = {p90:.1f} ms, slow: {slow_requests}')\n"
        ),
    ),
    # -------------------------------------------------------- plain Python / stdlib
    ExecCase(
        id="c-py-fstring-format-none-missing-return",
        setup=(
            "basket = [(2, 3.50), (1, 12.00), (4, 0.75)]  # (quantity, unit price)\n"
        ),
        cell=(
            "def order_total(items, tax_rate=0.08):\n"
            "    subtotal = sum(qty * price for qty, price in items)\n"
            "    total = subtotal * (1 + tax_rate)\n"
            "\n"
            "receipt = f'Total due: ${order_total(basket):.2f}'\n"
            "print(receipt)\n"
        ),
        raises="TypeError",
        check="receipt == 'Total due: $23.76'",
        intent="Compute the basket total including 8% tax and format it as a receipt line with two decimals.",
        reference=(
            "def order_total(items, tax_rate=0.08):\n"
            "    subtotal = sum(qty * price for qty, price in items)\n"
            "    total = subtotal * (1 + tax_rate)\n"
            "    return total\n"
            "\n"
            "receipt = f'Total due: ${order_total(basket):.2f}'\n"
            "print(receipt)\n"
        ),
    ),
    ExecCase(
        id="c-py-dictcomp-invert-list-values",
        setup=(
            "teams = {\n"
            "    'red': ['ana', 'ben'],\n"
            "    'blue': ['cai', 'dev', 'eli'],\n"
            "    'green': ['fay'],\n"
            "}\n"
        ),
        cell=(
            "team_of = {member: team for team, member in teams.items()}\n"
            "print('dev plays for', team_of['dev'])\n"
        ),
        raises="TypeError",
        check=(
            "team_of == {'ana': 'red', 'ben': 'red', 'cai': 'blue', 'dev': 'blue', 'eli': 'blue', 'fay': 'green'}"
        ),
        intent="Build a lookup from each player's name to the team they belong to.",
        reference=(
            "team_of = {member: team for team, members in teams.items() for member in members}\n"
            "print('dev plays for', team_of['dev'])\n"
        ),
    ),
    ExecCase(
        id="c-py-sorted-dict-keys-slice",
        setup=(
            "word_counts = {'data': 14, 'model': 9, 'python': 21, 'notebook': 5, 'error': 11, 'plot': 7}\n"
        ),
        cell=(
            "by_frequency = dict(sorted(word_counts.items(), key=lambda kv: kv[1], reverse=True))\n"
            "top_three = by_frequency.keys()[:3]\n"
            "print('Most common:', ', '.join(top_three))\n"
        ),
        raises="TypeError",
        check="list(top_three) == ['python', 'data', 'error']",
        intent="List the three most frequent words, most frequent first.",
        reference=(
            "by_frequency = dict(sorted(word_counts.items(), key=lambda kv: kv[1], reverse=True))\n"
            "top_three = list(by_frequency.keys())[:3]\n"
            "print('Most common:', ', '.join(top_three))\n"
        ),
    ),
    ExecCase(
        id="c-py-class-method-missing-self",
        setup="",
        cell=(
            "class ShoppingCart:\n"
            "    def __init__(self):\n"
            "        self.items = []\n"
            "    def add(self, price, qty=1):\n"
            "        items.append((price, qty))\n"
            "    def total(self):\n"
            "        return sum(price * qty for price, qty in self.items)\n"
            "cart = ShoppingCart()\n"
            "cart.add(3.5, qty=4)\n"
            "cart.add(1.25)\n"
        ),
        raises="NameError",
        check="abs(cart.total() - 15.25) < 1e-9 and len(cart.items) == 2",
        intent="A cart class that records added items; after adding 4 x 3.50 and 1 x 1.25 its total is 15.25.",
        reference=(
            "class ShoppingCart:\n"
            "    def __init__(self):\n"
            "        self.items = []\n"
            "    def add(self, price, qty=1):\n"
            "        self.items.append((price, qty))\n"
            "    def total(self):\n"
            "        return sum(price * qty for price, qty in self.items)\n"
            "cart = ShoppingCart()\n"
            "cart.add(3.5, qty=4)\n"
            "cart.add(1.25)\n"
        ),
    ),
    ExecCase(
        id="c-py-reduce-dict-update-returns-none",
        setup=(
            "defaults = {'lr': 0.01, 'epochs': 10, 'batch_size': 32}\n"
            "experiment = {'epochs': 50}\n"
            "overrides = {'lr': 0.001, 'dropout': 0.2}\n"
        ),
        cell=(
            "from functools import reduce\n"
            "config = reduce(lambda merged, layer: merged.update(layer), [defaults, experiment, overrides])\n"
            "print(f\"training for {config['epochs']} epochs at lr={config['lr']}\")\n"
        ),
        raises="AttributeError",
        check="config == {'lr': 0.001, 'epochs': 50, 'batch_size': 32, 'dropout': 0.2}",
        intent="Merge the three config layers left to right (later layers win) into one dict.",
        reference=(
            "from functools import reduce\n"
            "config = reduce(lambda merged, layer: {**merged, **layer}, [defaults, experiment, overrides])\n"
            "print(f\"training for {config['epochs']} epochs at lr={config['lr']}\")\n"
        ),
    ),
    ExecCase(
        id="c-py-strptime-day-month-order",
        setup=(
            "from datetime import datetime\n"
            "log_lines = [\n"
            "    '15/03/2024 09:12 user=maria action=login',\n"
            "    '15/03/2024 17:45 user=maria action=logout',\n"
            "]\n"
        ),
        cell=(
            "fmt = '%m/%d/%Y %H:%M'\n"
            "start = datetime.strptime(log_lines[0][:16], fmt)\n"
            "end = datetime.strptime(log_lines[1][:16], fmt)\n"
            "session_minutes = (end - start).total_seconds() / 60\n"
        ),
        raises="ValueError",
        check=(
            "start == datetime(2024, 3, 15, 9, 12) and end == datetime(2024, 3, 15, 17, 45)"
            " and abs(session_minutes - 513) < 1e-9"
        ),
        intent="Parse the day/month/year login and logout timestamps and compute the session length in minutes.",
        reference=(
            "fmt = '%d/%m/%Y %H:%M'\n"
            "start = datetime.strptime(log_lines[0][:16], fmt)\n"
            "end = datetime.strptime(log_lines[1][:16], fmt)\n"
            "session_minutes = (end - start).total_seconds() / 60\n"
        ),
    ),
    ExecCase(
        id="c-py-statistics-on-split-strings",
        setup=(
            "import statistics\n"
            "sensor_line = '12.5, 13.1, 11.8, 14.2, 12.9'\n"
        ),
        cell=(
            "readings = sensor_line.split(',')\n"
            "avg = statistics.mean(readings)\n"
            "spread = statistics.stdev(readings)\n"
            "print(f'{avg:.2f} +/- {spread:.2f}')\n"
        ),
        raises="TypeError",
        check=(
            "abs(avg - 12.9) < 1e-9"
            " and abs(spread - statistics.stdev([12.5, 13.1, 11.8, 14.2, 12.9])) < 1e-9"
        ),
        intent="Compute the mean and sample standard deviation of the comma-separated sensor readings.",
        reference=(
            "readings = [float(x) for x in sensor_line.split(',')]\n"
            "avg = statistics.mean(readings)\n"
            "spread = statistics.stdev(readings)\n"
            "print(f'{avg:.2f} +/- {spread:.2f}')\n"
        ),
    ),
    ExecCase(
        id="c-py-csv-dictreader-header-spaces",
        setup=(
            "import csv\n"
            "import io\n"
            "raw = '''product, region, units\n"
            "widget, north, 12\n"
            "gadget, south, 7\n"
            "widget, south, 5\n"
            "gizmo, north, 9\n"
            "'''\n"
        ),
        cell=(
            "reader = csv.DictReader(io.StringIO(raw))\n"
            "units_by_region = {}\n"
            "for row in reader:\n"
            "    region = row['region']\n"
            "    units_by_region[region] = units_by_region.get(region, 0) + int(row['units'])\n"
            "print(units_by_region)\n"
        ),
        raises="KeyError",
        check="units_by_region == {'north': 21, 'south': 12}",
        intent="Sum the units sold per region from the CSV text (whose header and fields have a space after each comma).",
        reference=(
            "reader = csv.DictReader(io.StringIO(raw), skipinitialspace=True)\n"
            "units_by_region = {}\n"
            "for row in reader:\n"
            "    region = row['region']\n"
            "    units_by_region[region] = units_by_region.get(region, 0) + int(row['units'])\n"
            "print(units_by_region)\n"
        ),
    ),
    ExecCase(
        id="c-py-enumerate-zip-unpack",
        setup=(
            "names = ['Ana', 'Ben', 'Cai', 'Dee']\n"
            "scores = [88, 95, 72, 90]\n"
        ),
        cell=(
            "ranked = sorted(zip(names, scores), key=lambda pair: pair[1], reverse=True)\n"
            "leaderboard = []\n"
            "for position, name, score in enumerate(ranked, start=1):\n"
            "    leaderboard.append(f'{position}. {name} ({score})')\n"
            "print('\\n'.join(leaderboard))\n"
        ),
        raises="ValueError",
        check="leaderboard == ['1. Ben (95)', '2. Dee (90)', '3. Ana (88)', '4. Cai (72)']",
        intent="Print a numbered leaderboard of players ordered by score, highest first.",
        reference=(
            "ranked = sorted(zip(names, scores), key=lambda pair: pair[1], reverse=True)\n"
            "leaderboard = []\n"
            "for position, (name, score) in enumerate(ranked, start=1):\n"
            "    leaderboard.append(f'{position}. {name} ({score})')\n"
            "print('\\n'.join(leaderboard))\n"
        ),
    ),
)
