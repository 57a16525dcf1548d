"""Read a monthly price series (a CSV beside the scenarios) into the log returns the model resamples.

The file is plain text a planner can replace with the cooperative's own sale prices: lines
starting with ``#`` say where the numbers come from, then a header ``month,price`` and one row per
month (``2024-10,2595.58``), consecutive, oldest first. Only the month-to-month changes are used, so
the currency does not matter; today's price stays ``products.ingot.price_rp_per_kg``.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
import re
from collections.abc import Callable
from pathlib import Path

from slagsim.errors import ScenarioError
from slagsim.scenario.limits import MAX_PRICE_MONTHS, MIN_PRICE_MONTHS
from slagsim.scenario.yamlfile import read_text_file

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
HEADER = ["month", "price"]
OTHER_SEPARATORS = {";": "a semicolon (;)", "\t": "a tab"}  # what a spreadsheet may write instead of commas


def read_log_returns(path: Path, shown: str, key: str) -> tuple[float, ...]:
    """The monthly log returns of the series in ``path``; any problem is one ScenarioError line."""
    text = read_text_file(path, shown, key)
    rows = [row for row in csv.reader(io.StringIO(text)) if row and not row[0].lstrip().startswith("#")]
    if not rows or [cell.strip().lower() for cell in rows[0]] != HEADER:
        mark = next((word for mark, word in OTHER_SEPARATORS.items() if rows and mark in rows[0][0]), None)
        separated = f" separated by a comma, not {mark}: write every row like 2024-10,2595.58" if mark else ""
        raise ScenarioError(f"{path.name}: the first row (after # comments) must be the header "
                            f"month,price{separated}", file=shown, key=key)
    prices, last = [], None
    for number, row in enumerate(rows[1:], start=2):
        month, price = _row(row, number, path.name, shown, key)
        if last is not None and month != last + 1:
            raise ScenarioError(f"{path.name}: row {number}: months must follow each other, oldest first "
                                f"(a gap or a step back before {row[0].strip()})", file=shown, key=key)
        prices.append(price)
        last = month
    if not MIN_PRICE_MONTHS <= len(prices) <= MAX_PRICE_MONTHS:
        raise ScenarioError(f"{path.name}: {len(prices)} months of prices; give {MIN_PRICE_MONTHS} to "
                            f"{MAX_PRICE_MONTHS}", file=shown, key=key)
    return tuple(math.log(b / a) for a, b in itertools.pairwise(prices))


def _row(row: list[str], number: int, name: str, shown: str, key: str) -> tuple[int, float]:
    """(months since year 0, price) of one row."""
    where = f"{name}: row {number}"
    if len(row) != 2:
        raise ScenarioError(f"{where}: expected two cells, month and price (e.g. 2024-10,2595.58)",
                            file=shown, key=key)
    match = MONTH.match(row[0].strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ScenarioError(f"{where}: month {row[0].strip()!r} is not YYYY-MM (e.g. 2024-10)",
                            file=shown, key=key)
    try:
        price = float(row[1])
    except ValueError:
        raise ScenarioError(f"{where}: price {row[1].strip()!r} is not a number (write 2595.58, with a "
                            "point and no thousands separator)", file=shown, key=key) from None
    if not math.isfinite(price) or price <= 0:
        raise ScenarioError(f"{where}: price {row[1].strip()} must be a positive number", file=shown, key=key)
    return int(match.group(1)) * 12 + int(match.group(2)), price


def attach_series(data: dict, origin_of: Callable[[tuple[str, ...]], str]) -> None:
    """Fill ``products.ingot.price_path.log_returns`` from its ``series`` file, found beside the
    file that named it (or the working folder for ``--set``), unless the returns are already
    there (a run folder's resolved scenario keeps the returns it ran with)."""
    path_config = ((data.get("products") or {}).get("ingot") or {}).get("price_path")
    if not isinstance(path_config, dict) or path_config.get("log_returns"):
        return
    series = path_config.get("series")
    if not isinstance(series, str) or not series:
        return
    key = ("products", "ingot", "price_path", "series")
    origin = origin_of(key)
    folder = Path(origin).parent if origin and not origin.startswith("--") else Path(".")
    path = folder / series
    if not path.is_file():
        relative = "the folder you are in" if folder == Path(".") else "the scenario file that names it"
        raise ScenarioError(f"price series {series!r} not found (looked for {path}); the path is relative "
                            f"to {relative}, e.g. prices/aluminium-imf-usd.csv", file=origin or series,
                            key=".".join(key))
    path_config["log_returns"] = list(read_log_returns(path, origin or series, ".".join(key)))
