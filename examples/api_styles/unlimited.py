"""What one query of 20,000 aliases costs a GraphQL endpoint without limits (the Other API
Styles page): graphql-core's own rules only, no length, token or field limit.

Run from the examples/ directory: python -m api_styles.unlimited [--aliases 20000]
It prints the query's length, the CPU time of parse, validate and execute, and whether the
answer had errors. The time depends on the CPU and its load; the length does not.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time

import graphql
from graphql import execute_sync, parse, validate

from api_styles.orders import Order, make_schema


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aliases", type=int, default=20_000)
    args = parser.parse_args(argv)
    if not 1 <= args.aliases <= 200_000:
        parser.error("--aliases must be between 1 and 200000")
    schema = make_schema({5: Order(id=5, status="paid", total_sen=89_000_00, customer_id=7,
                                   book_ids=(1,))})
    query = "{" + " ".join(f"a{i}: order(id: 5) {{ status }}" for i in range(args.aliases)) + "}"
    steps = {}
    start = time.process_time()
    document = parse(query)  # no max_tokens
    steps["parse"] = time.process_time()
    problems = validate(schema, document)  # specified_rules only
    steps["validate"] = time.process_time()
    result = execute_sync(schema, document)
    steps["execute"] = time.process_time()
    print(f"{args.aliases} aliases, {len(query):,} characters; graphql-core "
          f"{graphql.__version__}, Python {platform.python_version()}")
    before = start
    for name, at in steps.items():
        print(f"{name:>8}: {at - before:.2f} s CPU")
        before = at
    print(f"   total: {before - start:.2f} s CPU; validation errors: {len(problems)}, "
          f"execution errors: {len(result.errors or [])}, fields answered: "
          f"{len(result.data or {})}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
