"""Print the SQL the ORM sends for the page's samples: `python -m orm.demo` from examples/.

Its output is recorded in orm/output/demo.txt, and tests/examples/test_orm.py checks that the
record still matches what the code sends.
"""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from orm.access import (
    catalog_joined,
    catalog_lazy,
    catalog_selectin,
    count_statements,
    place_order,
)
from orm.models import create_and_seed, make_engine


def main() -> None:
    engine = make_engine()  # SQLite in memory
    create_and_seed(engine)
    for load in (catalog_lazy, catalog_selectin, catalog_joined):
        with count_statements(engine) as sent, Session(engine) as session:
            load(session)
        print(f"-- {load.__name__}: {len(sent)} statement{'s' * (len(sent) != 1)}")
        for statement in sent:
            print(" ".join(statement.split()))
    with count_statements(engine) as sent:
        place_order(sessionmaker(engine), {1: 2, 3: 1})
    print(f"-- place_order({{1: 2, 3: 1}}): {len(sent)} statements")
    for statement in sent:
        print(" ".join(statement.split()))


if __name__ == "__main__":
    main()
