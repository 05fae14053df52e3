"""Search while typing: on the full built site, served over HTTP like a static host (a real Web
Worker, compressed files), typing each of 15 queries from tests/search/queries.yml into the
search box shows results, in both languages, with nothing fetched from another host and no
console error.

How fast the results come (under 100 ms, median) is a benchmark, not a test: `make bench-search`
runs the same typing (scripts/bench_search.py) and compares the median with the budget. A time
limit here would fail on a busy machine for no defect.
"""

from __future__ import annotations

import pytest
from bench_search import TIMED, type_queries
from support import LANGUAGES

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", LANGUAGES)
def test_typed_queries_show_results(browser, http_base, lang):
    typed = type_queries(browser, http_base, lang)
    assert not typed["blocked"], f"requests left the machine: {typed['blocked']}"
    assert not typed["errors"], f"console errors: {typed['errors']}"
    assert len(typed["shown"]) == TIMED
    no_results = [query for query, ms in typed["timings_ms"].items() if ms is None]
    assert not no_results, f"{lang}: no results written for {no_results}"
    empty = [query for query, shown in typed["shown"].items() if not shown]
    assert not empty, f"{lang}: no results shown for {empty}"
