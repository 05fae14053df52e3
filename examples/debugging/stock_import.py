"""Importing stock counts from a supplier's CSV export (columns isbn, title, stock).

Run it from examples/ to see the bug as a real traceback:

    python debugging/stock_import.py debugging/data/supplier-stock.csv

The supplier's spreadsheet uses Indonesian number formatting, so 1200 copies arrive as
"1.200". parse_stock_buggy() crashes on that line and the error does not say which line it
was; parse_stock() accepts the agreed format and names the line of anything else.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from pathlib import Path


# --8<-- [start:buggy_import]
def parse_stock_buggy(text: str) -> dict[str, int]:
    """ISBN -> copies in stock, from the supplier's CSV (BUGGY: see parse_stock)."""
    stock = {}
    for row in csv.DictReader(io.StringIO(text)):
        stock[row["isbn"]] = to_quantity(row["stock"])
    return stock


def to_quantity(value: str) -> int:
    return int(value)


# --8<-- [end:buggy_import]


# --8<-- [start:fixed_import]
# Whole numbers, optionally grouped by thousands with "." (Indonesian: 1.200 = 1200).
QUANTITY = re.compile(r"\d{1,3}(?:\.\d{3})+|\d+")


class StockImportError(ValueError):
    """A line of the supplier's file that cannot be imported."""


def parse_stock(text: str) -> dict[str, int]:
    """ISBN -> copies in stock. Accepts 1200 and 1.200; names the line of anything else."""
    stock = {}
    reader = csv.DictReader(io.StringIO(text))
    for row in reader:
        value = (row["stock"] or "").strip()
        if not QUANTITY.fullmatch(value):
            raise StockImportError(
                f"line {reader.line_num}: stock {value!r} of ISBN {row['isbn']}"
                " is not a whole number"
            )
        stock[row["isbn"]] = int(value.replace(".", ""))
    return stock


# --8<-- [end:fixed_import]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    stock = parse_stock_buggy(Path(args[0]).read_text(encoding="utf-8"))
    print(f"{len(stock)} titles imported")
    return 0


if __name__ == "__main__":
    sys.exit(main())
