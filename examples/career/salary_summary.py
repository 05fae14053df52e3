"""Summarize one column of a salary table the way a careful reader would: how many answers
are left after filtering, the median and quartiles, and a warning when the mean misleads.

Run from examples/:

    python -m career.salary_summary career/data/practice-survey.csv --value pay \
        --where city="Kota A" --where level=junior

The practice file is invented (eleven made-up respondents, ten answers and one blank, in
made-up units), so that you can see
what the summary does before you trust it with real data: a survey's public CSV that you
download yourself, or a table of the salary ranges you copied from job ads. Our own code
because the point is to see each step; the arithmetic is the standard library's `statistics`.
Bad input gets one line, `file:line: what — fix: how`, and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import csv
import math
import re
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

MISSING = {"", "na", "n/a", "nan", "-"}  # how surveys write "no answer"
SMALL_SAMPLE = 30  # below this, one or two answers move the median noticeably
SKEW_WARNING = 1.2  # mean more than 20% above the median: a few large values pull it up
# No salary is anywhere near 10^15 in any currency; refusing larger values also keeps the sums
# finite (two answers of 1e308 overflowed statistics.fmean and printed a traceback).
LARGEST = 1e15
# Below one cent is no amount either, and a floor keeps mean/median finite (5e-324 printed
# "median : 0" and "the mean is inf% above the median").
SMALLEST = 0.01
# float() read "750.000" as 750 and "12.500" as 12.5, so an Indonesian column of amounts under a
# million, or in thousands, was summarized wrongly with exit status 0. It also reads "+750",
# "1e3", "12_500_000", "inf" and Arabic-Indic or full-width digits, so a list of what to refuse
# always missed something (a sign or a leading zero got "750.000" past it): we list what to
# accept instead (PLAIN_NUMBER, in read_rows below).
PLAIN = "write amounts as 12500000, without thousands dots or commas"
SEPARATORS = {";": "';'", "\t": "tabs"}  # what Excel writes as "CSV" in many locales


class InputError(Exception):
    """A problem with the input, already worded as `where: what — fix: how`."""


@dataclass(frozen=True)
class Filter:
    column: str
    text: str
    exact: bool  # --where: the whole cell; --contains: part of it, ignoring case

    def matches(self, cell: str) -> bool:
        if self.exact:
            return cell.strip() == self.text
        return self.text.casefold() in cell.casefold()


# --8<-- [start:read_values]
PLAIN_NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?")  # ASCII digits, at most one decimal point
# Three digits after a dot or comma (750.000, 12,500, +750.000): grouped or decimal, we cannot
# tell, so it is refused, and counted for the thousands warning wherever it stands.
GROUPED = re.compile(r"[0-9][.,][0-9]{3}(?![0-9])")


@dataclass
class Values:
    numbers: list[float]
    matched: int = 0  # rows that passed the filters
    missing: int = 0  # of those, rows without an answer
    invalid: int = 0  # of those, rows whose answer is not a plausible positive number
    grouped: int = 0  # of the invalid ones, those written with thousands separators (750.000)
    first_invalid: str = ""  # the first one as "7: '12.500.000'" (line: cell), to look at


def read_rows(rows: csv.DictReader, column: str, filters: list[Filter]) -> Values:
    values = Values(numbers=[])
    for row in rows:
        if not all(f.matches(row[f.column] or "") for f in filters):
            continue
        values.matched += 1
        cell = (row[column] or "").strip()
        if None in row:  # more cells than the header: an unquoted "1,5" shifts the columns
            cell = ",".join([cell, *row[None]])
        if cell.casefold() in MISSING:
            values.missing += 1
            continue
        grouped = GROUPED.search(cell) is not None  # "750.000" is plain, but not to a reader
        plain = PLAIN_NUMBER.fullmatch(cell) is not None and not grouped
        number = float(cell) if plain else math.nan  # refused and counted, never guessed
        if not (math.isfinite(number) and SMALLEST <= number <= LARGEST):
            values.invalid += 1
            values.grouped += grouped
            values.first_invalid = values.first_invalid or f"{rows.line_num}: {cell!r}"
            continue
        values.numbers.append(number)
    return values


# --8<-- [end:read_values]


def check_header(path: Path, header: list[str], names: list[str]) -> None:
    for name in names:
        if name not in header:
            separator = [s for s in SEPARATORS if len(header) == 1 and s in header[0]]
            if separator:
                raise InputError(
                    f"{path}:1: columns are separated by {SEPARATORS[separator[0]]}, not commas"
                    " — fix: export it as CSV (comma-separated) UTF-8"
                )
            raise InputError(f"{path}:1: no column {name!r} — fix: use one of {header}")
        if header.count(name) > 1:  # DictReader would silently keep the last one
            raise InputError(
                f"{path}:1: the column {name!r} appears {header.count(name)} times"
                " — fix: rename or delete the extra ones"
            )


def read_values(path: Path, column: str, filters: list[Filter]) -> Values:
    with path.open(encoding="utf-8-sig", newline="") as file:  # -sig: Excel's byte-order mark
        rows = csv.DictReader(file, strict=True)  # strict: an unclosed quote is an error
        try:
            check_header(path, rows.fieldnames or [], [column, *(f.column for f in filters)])
            return read_rows(rows, column, filters)
        except csv.Error as error:  # the row after the last good one is where it went wrong
            raise InputError(
                f"{path}:{rows.line_num + 1}: {error} — fix: check the quotes and any very long"
                " cell in this row"
            ) from None


# --8<-- [start:summarize]
@dataclass(frozen=True)
class Summary:
    n: int
    minimum: float
    p25: float
    median: float
    p75: float
    maximum: float
    mean: float


def summarize(numbers: list[float]) -> Summary:
    if not numbers:
        raise ValueError("no numbers to summarize")
    if len(numbers) == 1:
        (only,) = numbers
        return Summary(1, only, only, only, only, only, only)
    p25, median, p75 = statistics.quantiles(numbers, n=4, method="inclusive")
    return Summary(
        n=len(numbers),
        minimum=min(numbers),
        p25=p25,
        median=median,
        p75=p75,
        maximum=max(numbers),
        mean=statistics.fmean(numbers),
    )


# --8<-- [end:summarize]


# --8<-- [start:warnings]
def warnings_for(summary: Summary) -> list[str]:
    found = []
    if summary.n < SMALL_SAMPLE:
        found.append(
            f"only {summary.n} answer{'s' if summary.n != 1 else ''}: one or two more"
            " could move the median; quote the count with it"
        )
    if summary.mean > SKEW_WARNING * summary.median:
        above = summary.mean / summary.median - 1
        found.append(
            f"the mean is {above:.0%} above the median: a few large values pull it up; "
            "quote the median and the quartiles"
        )
    return found


# --8<-- [end:warnings]


def parse_filter(text: str, exact: bool) -> Filter:
    column, equals, value = text.partition("=")
    if not equals or not column:
        option = "--where" if exact else "--contains"
        raise InputError(f"{option} {text!r}: expected COLUMN=VALUE — fix: {option} city=Jakarta")
    return Filter(column, value, exact)


def amount(value: float) -> str:
    """1,234,567, 128.75 or 7.35: up to two decimal places (a column in millions keeps its
    cents' worth, and 0.04 is not printed as 0), without trailing zeros."""
    text = f"{value:,.2f}"
    return text.rstrip("0").rstrip(".")


def report(path: Path, column: str, filters: list[Filter]) -> str:
    values = read_values(path, column, filters)
    chosen = " and ".join(
        f"{f.column} {'=' if f.exact else 'contains'} {f.text!r}" for f in filters
    )
    lines = [f"rows matching {chosen}: {values.matched}" if filters else f"rows: {values.matched}"]
    if values.missing:
        lines.append(f"  without an answer (skipped): {values.missing}")
    if values.invalid:
        lines.append(
            f"  not a plain number from 0.01 to 10^15 (skipped): {values.invalid},"
            f" first at {path}:{values.first_invalid}"
        )
    if not values.numbers and values.invalid:
        raise InputError(
            f"{path}:{values.first_invalid}: none of the {values.invalid} answers in {column!r}"
            " is a plain number from 0.01 to 10^15 — fix: check that --value names the amount"
            f" column, and {PLAIN}"
        )
    if values.matched == 0 and not filters:
        raise InputError(f"{path}: the file has no data rows, only a header — fix: check the file")
    if values.matched == 0:
        raise InputError(f"{path}: no rows match {chosen} — fix: check the filters")
    if not values.numbers:
        raise InputError(
            f"{path}: all {values.matched} answers in {column!r} are blank"
            " — fix: check that --value names the amount column"
        )
    s = summarize(values.numbers)
    lines += [
        f"answers used : {s.n}",
        f"min          : {amount(s.minimum)}",
        f"25th pct     : {amount(s.p25)}",
        f"median       : {amount(s.median)}",
        f"75th pct     : {amount(s.p75)}",
        f"max          : {amount(s.maximum)}",
        f"mean         : {amount(s.mean)}",
    ]
    lines += [f"warning: {w}" for w in warnings_for(s)]
    if values.grouped:  # some amounts written 750.000 were skipped; the rest may be wrong too
        lines.append(
            f"warning: {values.grouped} answer{'s were' if values.grouped != 1 else ' was'}"
            f" skipped for thousands dots or commas — fix: {PLAIN}"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m career.salary_summary", description=__doc__.splitlines()[0]
    )
    parser.add_argument("csv", type=Path, help="a CSV file with a header row")
    parser.add_argument("--value", required=True, help="the column that holds the amount")
    parser.add_argument(
        "--where",
        action="append",
        default=[],
        metavar="COLUMN=VALUE",
        help="keep rows whose cell is exactly VALUE (repeatable)",
    )
    parser.add_argument(
        "--contains",
        action="append",
        default=[],
        metavar="COLUMN=TEXT",
        help="keep rows whose cell contains TEXT, any case (repeatable)",
    )
    args = parser.parse_args(argv)
    try:
        filters = [parse_filter(t, True) for t in args.where]
        filters += [parse_filter(t, False) for t in args.contains]
        print(report(args.csv, args.value, filters), end="")
    except InputError as error:
        print(error, file=sys.stderr)
        return 2
    except FileNotFoundError:
        print(
            f"{args.csv}: no such file — fix: check the path (relative to where you run this)",
            file=sys.stderr,
        )
        return 2
    except UnicodeDecodeError as error:
        print(
            f"{args.csv}: cannot read it as a UTF-8 CSV ({error}) — fix: export it again "
            "as CSV UTF-8",
            file=sys.stderr,
        )
        return 2
    except OSError as error:  # a directory, no permission: exporting again would not help
        print(
            f"{args.csv}: cannot read it ({error.strerror}) — fix: give the path of a CSV file"
            " you can read",
            file=sys.stderr,
        )
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
