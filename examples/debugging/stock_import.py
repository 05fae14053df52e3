"""Importing stock counts from a supplier's CSV export (columns isbn, title, stock).

Run it from examples/ to see the bug as a real traceback, then the fix:

    python debugging/stock_import.py debugging/data/supplier-stock.csv
    python debugging/stock_import.py --fixed debugging/data/supplier-stock.csv

The supplier's spreadsheet uses Indonesian number formatting, so 1200 copies arrive as
"1.200". parse_stock_buggy() crashes on that line and the error does not say which line it
was; parse_stock() accepts the agreed format and names the line of anything else.
"""

from __future__ import annotations

import argparse
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
# A whole number of copies, optionally grouped by thousands with "." (1.200 = 1200).
# [0-9], not \d (which also matches other scripts' digits); at most nine digits, because
# int() refuses over 4,300 digits with an error that would not name the line.
QUANTITY = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3}){1,2}|[0-9]{1,9}")


class StockImportError(ValueError):
    """A line of the supplier's file that cannot be imported, and how to fix it."""

    def __init__(self, line: int, problem: str, fix: str) -> None:
        super().__init__(f"line {line}: {problem}")
        self.line, self.problem, self.fix = line, problem, fix


def parse_stock(text: str) -> dict[str, int]:
    """ISBN -> copies in stock. Accepts 1200 and 1.200; names the line of anything else."""
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    for column in ("isbn", "stock"):
        if column not in header:
            raise StockImportError(1, f"no column {column!r}", "name isbn and stock in line 1")
        if header.count(column) > 1:  # DictReader would silently keep the last one
            problem = f"column {column!r} appears {header.count(column)} times"
            raise StockImportError(1, problem, "name each column once in line 1")
    stock: dict[str, int] = {}
    first_line: dict[str, int] = {}  # ISBN -> the line it first appeared on
    try:
        for row in reader:
            isbn, copies = check_row(row, reader.line_num, first_line, len(reader.fieldnames))
            stock[isbn], first_line[isbn] = copies, reader.line_num
    except csv.Error as error:  # e.g. a field longer than csv.field_size_limit()
        line = reader.reader.line_num  # DictReader's own line_num lags one row behind here
        raise StockImportError(line, f"not valid CSV ({error})", "export the file again") from None
    return stock


# --8<-- [end:fixed_import]


# --8<-- [start:check_row]
def is_isbn13(text: str) -> bool:
    """978 or 979 and ten more digits, no hyphens, with the right check digit: the digits
    weighted 1, 3, 1, 3... add up to a multiple of 10. Our own two lines; the python-stdnum
    package does the same and also reads ISBN-10 and hyphens."""
    digits = [int(d) for d in text] if re.fullmatch("97[89][0-9]{10}", text) else []
    return bool(digits) and sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits)) % 10 == 0


def check_row(row: dict, line: int, first_line: dict[str, int], columns: int) -> tuple[str, int]:
    """(ISBN, copies) from one row, or a StockImportError that says what to fix."""
    if None in row:  # more fields than the header: 1,5 without quotes, say
        problem = f"{columns + len(row[None])} fields, the header has {columns}"
        raise StockImportError(line, problem, "put a value with a comma in double quotes")
    isbn, value = (row["isbn"] or "").strip(), (row["stock"] or "").strip()
    if not is_isbn13(isbn):
        problem = f"ISBN {isbn!r} is not a valid ISBN-13"
        raise StockImportError(line, problem, "copy the 13 digits from the book, no hyphens")
    if not QUANTITY.fullmatch(value):
        problem = f"stock {value!r} of ISBN {isbn} is not a whole number"
        raise StockImportError(line, problem, "ask the supplier for a number such as 1200 or 1.200")
    if isbn in first_line:
        problem = f"ISBN {isbn} already appeared on line {first_line[isbn]}"
        raise StockImportError(line, problem, "ask the supplier which line is right")
    return isbn, int(value.replace(".", ""))


# --8<-- [end:check_row]


def main(argv: list[str] | None = None) -> int:
    """Import a supplier file: buggy by default (to see the traceback), --fixed for the fix."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--fixed", action="store_true", help="use parse_stock, not the bug")
    parser.add_argument("csv_file", type=Path)
    args = parser.parse_args(argv)
    try:
        # utf-8-sig: a spreadsheet's "CSV UTF-8" export starts with a byte-order mark.
        text = args.csv_file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        print(
            f"{args.csv_file}: cannot read it ({error}) — fix: give a UTF-8 CSV file",
            file=sys.stderr,
        )
        return 2
    if not args.fixed:
        stock = parse_stock_buggy(text)
    else:
        try:
            stock = parse_stock(text)
        except StockImportError as error:
            where = f"{args.csv_file}:{error.line}"
            print(f"{where}: {error.problem} — fix: {error.fix}", file=sys.stderr)
            return 1
    print(f"{len(stock)} titles imported")
    return 0


if __name__ == "__main__":
    sys.exit(main())
