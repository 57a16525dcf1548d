"""Bounds on every input that reaches the engine, declared once.

The schema, the batch and menu files and the command line all read these, so ``--years 1e9`` and
``run: {years: 1e9}`` are refused with the same bound. They exist so that no input can make
slagsim hang or eat the machine's memory: each is far beyond anything a real plan needs. This
module imports nothing, so the command line can use it at start-up.
"""

from __future__ import annotations

MAX_YEARS = 50.0  # simulated years after the warm-up
MAX_WARMUP_DAYS = 3650.0  # ten years of warm-up
MAX_REPLICATIONS = 10_000
MAX_SEED = 2**63 - 1
MAX_FIRMS = 1000
MAX_WORKERS_PER_FIRM = 10_000
MAX_VILLAGE_PEOPLE = 100_000  # people a village workforce may hold (one flag each a shift)
MAX_PALLETS = 1_000_000  # pallet places in a curing yard
MAX_MACHINES_PER_POOL = 100  # identical machines of one kind
MAX_OUTAGES_PER_QUARTER = 500.0
MIN_CAPACITY_T = 0.001  # one kilogram per machine cycle or processing charge
MIN_TIME_BETWEEN_FAILURES_H = 0.1  # mean operating hours between breakdowns
MAX_TONS = 1_000_000.0  # a store, cap or backlog in tons
MAX_SMELTERS = 100_000  # dross generators in a region (Jombang has ~136)
MAX_LOTS_PER_SMELTER_YEAR = 10_000.0  # lots one smelter offers a year
MIN_PRICE_MONTHS = 13  # a price series: at least a year of monthly changes
MAX_PRICE_MONTHS = 1200  # a price series: at most a century of months
MAX_MENU_ITEMS = 50  # items on a purchase menu; real menus hold a handful, and the greedy bundle
# search simulates up to n(n+1)/2 bundles
MAX_BUNDLES = 10_000  # bundles searched one by one (a menu's max_exhaustive_bundles); beyond: greedy

MAX_FILE_BYTES = 1_000_000  # a scenario, batch or menu file; the shipped ones are ~10 kB
MAX_WORKBOOK_BYTES = 20_000_000  # a workbook read by --set-from; slagsim's are ~0.5 MB
MAX_WORKBOOK_UNZIPPED_BYTES = 50_000_000  # unpacked: a report ~12 MB; a 48 MB bomb took 0.5 GB, 35 s
MAX_TABLE_ROWS_SCANNED = 50_000  # rows of a user's sheet read, empty ones included (books: 600 months)
MAX_TABLE_COLUMNS = 50  # columns of a user's sheet read (books: ~15, an inputs sheet: 5)
MAX_YAML_VALUES = 100_000  # values in a YAML file once its aliases are expanded

# The engine's guard against inputs that make events pile up without the clock moving on: the
# baseline runs ~3 events per simulated hour and 200 firms ~30, so 2,000 is far above any real
# scenario and far below a runaway (an interarrival time of 1e-9 h).
MAX_EVENTS_PER_SIMULATED_HOUR = 2_000
MAX_BREAKDOWNS_PER_JOB = 10_000
MAX_JOB_HOURS = 1_000_000.0  # one machine job; the longest horizon is ~530,000 hours

RUN_TIME_NEEDS_YES_S = 3600.0  # a run estimated to take longer asks for --yes
MIN_FREE_BYTES = 50_000_000  # free disk needed before the first replication starts

# A month of a cooperative's books (slagsim calibrate): far beyond any plant of this kind, so only a
# slipped decimal point or a wrong unit reaches them. Books 1,000 times the model's slag (kilograms
# written as tons) stay inside and are named as a misfit instead.
MAX_BOOKED_TONS = 1_000_000.0  # tons of one quantity in a month
MAX_BOOKED_PIECES = 1e9  # blocks of one product in a month
MAX_BOOKED_RP = 1e15  # Rupiah of turnover in a month (a thousand trillion)
MAX_BOOKED_WORKER_DAYS = 1_000_000.0  # paid worker-days in a month (33,000 people every day)
