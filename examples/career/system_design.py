"""The numbers behind the system-design answer on the career chapter's hiring page: the
bookstore's order flow at ten times the Harbolnas load that ADR-004 planned for.

Run from examples/:

    python -m career.system_design

The formulas and the base assumptions are those of estimation.capacity (the analytical-thinking
page explains them); only the load is multiplied here. ORDER_SECONDS is measured, not assumed:
the first order after the incident of 2 March 2026 took 12.4 ms in debugging/data/app.log.
"""

from __future__ import annotations

import argparse

from estimation import capacity

# --8<-- [start:ten_times]
LOAD_FACTOR = 10  # the question: "what if the sale day brings ten times the load?"
# ADR-004's assumption: a sale day brings ten times a normal day's orders (2,000 -> 20,000);
# derived from estimation.capacity so that the two files cannot drift apart
BASE_ORDERS_ON_SALE_DAY = capacity.ORDERS_PER_DAY * 10
ORDER_SECONDS = 0.0124  # one successful order, transaction included (app.log, 2 March)
LOCK_REVIEW_TRIGGER = 0.30  # ADR-004: review the choice of SQLite above 30% of the time


def ten_times() -> dict[str, float]:
    requests = capacity.REQUESTS_ON_SALE_DAY * LOAD_FACTOR
    orders = BASE_ORDERS_ON_SALE_DAY * LOAD_FACTOR
    rate = capacity.peak_rate(requests, capacity.PEAK_FACTOR)
    order_rate = capacity.peak_rate(orders, capacity.PEAK_FACTOR)
    return {
        "requests": requests,
        "orders": orders,
        "peak_rate": rate,
        "in_flight": capacity.in_flight(rate, capacity.MEAN_TIME_IN_SYSTEM),
        "workers": capacity.workers_needed(rate, capacity.MEAN_TIME_IN_SYSTEM),
        "order_rate": order_rate,
        # Little's law again: the share of the time SQLite's single write lock is held.
        "write_lock_busy": capacity.in_flight(order_rate, ORDER_SECONDS),
        "yearly_gb": capacity.ORDERS_PER_DAY * LOAD_FACTOR * 365 * capacity.BYTES_PER_ORDER / 1e9,
    }


# --8<-- [end:ten_times]


def report() -> str:
    n = ten_times()
    busy = n["write_lock_busy"]
    verdict = "above" if busy > LOCK_REVIEW_TRIGGER else "just under"
    return (
        f"sale day at {LOAD_FACTOR}x          : {n['requests']:,.0f} requests,"
        f" {n['orders']:,.0f} orders\n"
        f"peak load                : {n['peak_rate']:7.1f} requests/s\n"
        f"in flight (Little's law) : {n['in_flight']:7.1f} requests at once\n"
        f"workers at 70% busy      : {n['workers']:7d}\n"
        f"peak orders              : {n['order_rate']:7.1f} orders/s\n"
        f"SQLite write lock held   : {busy:7.0%} of the time"
        f" ({verdict} ADR-004's {LOCK_REVIEW_TRIGGER:.0%} trigger)\n"
        f"order data per year      : {n['yearly_gb']:7.2f} GB\n"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m career.system_design", description=__doc__.splitlines()[0]
    )
    parser.parse_args(argv)  # no options: change the constants above instead
    print(report(), end="")


if __name__ == "__main__":
    main()
