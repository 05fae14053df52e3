"""Time and time zones in the API (skills/apis, "Time and Time Zones"): RFC 3339 with an
offset in, UTC inside, local time only at the edges; each claim of the page has a test here."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import warnings
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from bookstore.api.timestamps import parse_rfc3339, storage_text
from timezones.zones import WIB, WIT, WITA, local_day, wall_clock

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NEW_YORK = ZoneInfo("America/New_York")


# --8<-- [start:offset_required_test]
@pytest.mark.parametrize(
    "value",
    [
        "2026-12-07T10:00:00",  # no offset: 10.00 in WIB, WITA or WIT?
        "2026-12-07 10:00:00+07:00",  # a space instead of "T"
        "2026-12-07T10:00:00 07:00",  # "+07:00" sent unencoded in a URL: "+" became " "
        "1796612400",  # a Unix time: seconds or milliseconds?
        "2026-12-07T24:00:00Z",  # hour 24
        "0001-01-01T00:00:00+01:00",  # before year 1 in UTC: OverflowError, not a 500
        "9999-12-31T23:59:59.9999991Z",  # rounded up to the next microsecond: year 10000
        "٢٠٢٦-12-07T10:00:00Z",  # Arabic-Indic digits
        "2026-12-07T10:00:00+07:60",  # minute 60 of an offset: not +08:00 in disguise
        "2026-12-07T10:00:00+07:99",  # RFC 3339: an offset's minutes are 00-59
    ],
)
def test_a_timestamp_without_a_clear_instant_is_a_422(client, log_in, value):
    response = client.get(
        "/api/v1/orders", params={"placed_from": value}, headers=log_in("a@example.com")
    )
    assert response.status_code == 422
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["location"] == ["query", "placed_from"]


def test_the_same_instant_in_wib_wita_wit_and_utc_is_one_value():
    instants = {
        parse_rfc3339(text)
        for text in (
            "2026-12-07T10:00:00+07:00",  # WIB
            "2026-12-07T11:00:00+08:00",  # WITA
            "2026-12-07T12:00:00+09:00",  # WIT
            "2026-12-07T03:00:00Z",  # UTC
            "2026-12-07t03:00:00.000z",  # RFC 3339 allows a lower-case "t" and "z"
        )
    }
    assert instants == {datetime(2026, 12, 7, 3, 0, tzinfo=UTC)}


# --8<-- [end:offset_required_test]


def test_a_leap_second_is_refused_with_its_own_message(client, log_in):
    # RFC 3339 allows second 60; datetime cannot hold it. Say so, and what to send instead.
    params = {"placed_from": "2016-12-31T23:59:60Z"}
    response = client.get("/api/v1/orders", params=params, headers=log_in("c@example.com"))
    assert response.status_code == 422
    assert "leap second" in response.json()["errors"][0]["message"]
    with pytest.raises(ValueError, match="leap second"):
        parse_rfc3339("2017-01-01T06:59:60+07:00")  # the same leap second, seen in WIB


def test_digits_beyond_the_microsecond_round_up_not_down():
    # Regression: fromisoformat dropped the 7th to 9th digits, so a bound 1 ns after an
    # order's millisecond compared as that millisecond itself and the order fell on the
    # wrong side of the bound.
    bound = parse_rfc3339("2026-12-07T03:00:00.000000001Z")
    assert bound == datetime(2026, 12, 7, 3, 0, 0, 1, tzinfo=UTC)  # later than .000, not equal
    assert storage_text(bound) == "2026-12-07T03:00:00.001Z"  # created_at .000Z: before it
    assert parse_rfc3339("2026-12-07T03:00:00.123456000Z").microsecond == 123456  # exact


def test_a_fraction_of_any_length_is_accepted_and_the_text_is_bounded(client, log_in):
    # RFC 3339 sets no limit on the fraction's digits: ten digits are as valid as nine.
    assert parse_rfc3339("2026-12-07T03:00:00.1234567890Z").microsecond == 123457  # rounded up
    too_long = "2026-12-07T03:00:00." + "0" * 60 + "Z"
    with pytest.raises(ValueError, match="longer than 64 characters"):
        parse_rfc3339(too_long)
    response = client.get(
        "/api/v1/orders", params={"placed_from": too_long}, headers=log_in("d@example.com")
    )
    assert response.status_code == 422
    assert "64 characters" in response.json()["errors"][0]["message"]


def test_the_hint_names_the_unencoded_plus(client, log_in):
    url = "/api/v1/orders?placed_from=2026-12-07T00:00:00+08:00"  # "+" not written as %2B
    response = client.get(url, headers=log_in("b@example.com"))
    assert response.status_code == 422
    assert "%2B" in response.json()["errors"][0]["message"]


def place_orders_at(client, db, headers, *utc_texts: str) -> list[int]:
    """Place one order per timestamp, then set its created_at as if placed then."""
    ids = []
    for text in utc_texts:
        order = {"items": [{"book_id": 1, "quantity": 1}]}
        order_id = client.post("/api/v1/orders", json=order, headers=headers).json()["id"]
        db.execute("UPDATE orders SET created_at = ? WHERE id = ?", (text, order_id))
        ids.append(order_id)
    return ids


@pytest.fixture
def around_7_december(client, db, log_in):
    """Four orders of one user around 7 December in WITA, and that user's headers."""
    headers = log_in("dewi@example.com")
    ids = place_orders_at(
        client,
        db,
        headers,
        "2026-12-06T15:59:59.999Z",  # 6 December, 23:59:59.999 WITA
        "2026-12-06T16:00:00.000Z",  # 7 December, 00:00 WITA
        "2026-12-07T15:59:59.999Z",  # 7 December, 23:59:59.999 WITA
        "2026-12-07T16:00:00.000Z",  # 8 December, 00:00 WITA
    )
    return ids, headers


# --8<-- [start:local_day_test]
def test_orders_of_one_day_in_wita(client, around_7_december):
    (_, first, last, _), headers = around_7_december  # the orders at 6, 7, 7, 8 December
    start, end = local_day(date(2026, 12, 7), WITA)  # [00:00 WITA, next 00:00 WITA)
    assert (start.isoformat(), end.isoformat()) == (
        "2026-12-06T16:00:00+00:00",
        "2026-12-07T16:00:00+00:00",
    )
    params = {"placed_from": start.isoformat(), "placed_before": end.isoformat()}
    day = client.get("/api/v1/orders", params=params, headers=headers).json()
    assert [order["id"] for order in day] == [last, first]  # newest first
    assert day[0]["created_at"] == "2026-12-07T15:59:59.999Z"  # RFC 3339, UTC, "Z"


def test_three_classic_mistakes_over_the_same_rows(db, around_7_december):
    (_, first, last, after), _ = around_7_december

    def ids(where: str) -> list[int]:
        return [row[0] for row in db.execute(f"SELECT id FROM orders WHERE {where} ORDER BY id")]

    assert ids("date(created_at) = '2026-12-07'") == [last, after]  # the UTC day, not WITA's
    assert ids(
        "created_at >= '2026-12-06T16:00:00.000Z' AND created_at <= '2026-12-07T15:59:59.000Z'"
    ) == [first]  # "until 23:59:59" loses the orders of the last second
    assert ids("created_at >= '2026-12-06T16:00:00Z'") == [last, after]  # another text shape:
    # "." sorts before "Z", so the order placed at exactly 00:00 WITA is missed


# --8<-- [end:local_day_test]


def test_bounds_in_any_offset_give_the_same_orders(client, db, log_in):
    headers = log_in("eko@example.com")
    place_orders_at(client, db, headers, "2026-12-07T01:00:00.000Z", "2026-12-07T03:00:00.000Z")
    wib = {"placed_from": "2026-12-07T09:00:00+07:00"}  # = 02:00 UTC
    utc = {"placed_from": "2026-12-07T02:00:00Z"}
    by_wib = client.get("/api/v1/orders", params=wib, headers=headers).json()
    by_utc = client.get("/api/v1/orders", params=utc, headers=headers).json()
    assert by_wib == by_utc and len(by_wib) == 1


def test_a_misspelt_filter_is_refused_not_ignored(client, log_in):
    # Ignored, "placed_form" would answer with every order, as if the filter had worked.
    params = {"placed_form": "2026-12-07T00:00:00+08:00"}
    response = client.get("/api/v1/orders", params=params, headers=log_in("hadi@example.com"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["location"] == ["query", "placed_form"]


def test_an_empty_or_reversed_range_is_refused(client, log_in):
    params = {"placed_from": "2026-12-08T00:00:00+08:00", "placed_before": "2026-12-07T16:00:00Z"}
    response = client.get("/api/v1/orders", params=params, headers=log_in("fitri@example.com"))
    assert response.status_code == 422  # the same instant twice: nothing could match


def test_storage_text_rounds_bounds_up_to_the_stored_millisecond():
    assert storage_text(datetime(2026, 12, 7, 3, 0, 0, 1, tzinfo=UTC)) == "2026-12-07T03:00:00.001Z"
    assert storage_text(datetime(2026, 12, 7, 10, 0, tzinfo=WIB)) == "2026-12-07T03:00:00.000Z"
    assert storage_text(datetime.max.replace(tzinfo=UTC)) == "9999-12-31T23:59:59.999Z"


# --8<-- [start:wall_clock_test]
def test_one_instant_read_in_wib_wita_and_wit():
    instant = parse_rfc3339("2026-12-07T03:00:00Z")
    assert wall_clock(instant, WIB) == "7 Desember 2026, 10.00 WIB"
    assert wall_clock(instant, WITA) == "7 Desember 2026, 11.00 WITA"
    assert wall_clock(instant, WIT) == "7 Desember 2026, 12.00 WIT"
    with pytest.raises(ValueError, match="not an instant"):
        wall_clock(datetime(2026, 12, 7, 10, 0), WIB)  # naive: refused, not guessed


def test_zone_names_carry_history_a_fixed_offset_does_not():
    pontianak = ZoneInfo("Asia/Pontianak")  # West Kalimantan: WITA until 1 January 1988
    assert datetime(1987, 12, 31, 12, tzinfo=pontianak).utcoffset() == timedelta(hours=8)
    assert datetime(1988, 1, 2, 12, tzinfo=pontianak).utcoffset() == timedelta(hours=7)


# --8<-- [end:wall_clock_test]


@pytest.mark.parametrize(
    ("day", "zone"), [(date(1, 1, 1), WIB), (date(9999, 12, 31), WIT), (date.max, WIB)]
)
def test_a_day_at_the_edge_of_the_calendar_is_a_value_error(day, zone):
    # Regression: the first day in WIB starts before year 1 in UTC, and the last day has
    # no next midnight: both raised OverflowError, a 500 once wired to ?placed_on=.
    with pytest.raises(ValueError, match="outside"):
        local_day(day, zone)


def test_indonesia_has_no_daylight_saving_time():
    for zone in (WIB, WITA, WIT, ZoneInfo("Asia/Pontianak")):
        offsets = {datetime(2026, month, 15, tzinfo=zone).utcoffset() for month in range(1, 13)}
        assert len(offsets) == 1
        start, end = local_day(date(2026, 3, 8), zone)
        assert end - start == timedelta(hours=24)


# --8<-- [start:dst_test]
def test_elsewhere_a_day_can_last_25_hours_and_a_local_time_can_happen_twice():
    start, end = local_day(date(2026, 11, 1), NEW_YORK)  # clocks go back an hour
    assert end - start == timedelta(hours=25)
    first = datetime(2026, 11, 1, 1, 30, tzinfo=NEW_YORK)  # 01.30 happens twice that night
    second = first.replace(fold=1)
    assert (first.utcoffset(), second.utcoffset()) == (timedelta(hours=-4), timedelta(hours=-5))


def test_a_copied_offset_breaks_a_future_local_time():
    # "Every day at 09.00 in New York", saved in December as 09:00-05:00 (EST) ...
    saved = datetime(2027, 7, 1, 9, 0, tzinfo=timezone(timedelta(hours=-5)))
    assert saved.astimezone(NEW_YORK).hour == 10  # ... is 10.00 in July (EDT, -04:00)
    # Keep the wall time and the zone name; compute the instant for each day instead.
    assert datetime(2027, 7, 1, 9, 0, tzinfo=NEW_YORK).utcoffset() == timedelta(hours=-4)


# --8<-- [end:dst_test]


# --8<-- [start:naive_pitfalls_test]
def test_a_birthday_stored_as_midnight_utc_moves_to_the_day_before():
    stored = datetime(2000, 5, 17, tzinfo=UTC)  # "17 May 2000" saved as a timestamp
    assert stored.astimezone(NEW_YORK).date() == date(2000, 5, 16)  # shown in New York
    assert date.fromisoformat("2000-05-17") == date(2000, 5, 17)  # a date stays a date


def test_naive_and_aware_datetimes_do_not_mix():
    naive, aware = datetime(2026, 12, 7, 3, 0), datetime(2026, 12, 7, 3, 0, tzinfo=UTC)
    with pytest.raises(TypeError, match="offset-naive and offset-aware"):
        sorted([naive, aware])  # ordering fails loudly ...
    assert naive != aware  # ... but == quietly says False, even for the same clock reading
    assert naive not in {aware}  # so a lookup or a deduplication silently misses


def test_utcnow_is_a_naive_value_that_python_reads_as_local_time():
    # On a server whose local zone is WIB, utcnow().timestamp() is seven hours early:
    # timestamp() takes a naive datetime to be local time. now(UTC) has no such trap.
    code = (
        "import time, warnings; from datetime import datetime, UTC\n"
        "warnings.simplefilter('ignore', DeprecationWarning)\n"  # Python 3.12+ warns
        "print(round(datetime.utcnow().timestamp() - time.time()),"
        " round(datetime.now(UTC).timestamp() - time.time()))\n"
    )
    env = {**os.environ, "TZ": "Asia/Jakarta"}
    command = [sys.executable, "-c", code]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["-25200", "0"]  # -7 hours, and none


# --8<-- [end:naive_pitfalls_test]


@pytest.mark.skipif(sys.version_info < (3, 12), reason="deprecated in Python 3.12")
def test_utcnow_is_deprecated():  # pragma: no cover - runs on Python 3.12 and later
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(DeprecationWarning):
            datetime.utcnow()  # noqa: DTZ003


def test_rate_limits_use_the_monotonic_clock_not_the_wall_clock(settings, fast_hasher):
    # The wall clock is set back an hour (an NTP correction, a wrong manual fix): windows
    # measured with time.monotonic() in the bookstore are not affected.
    from bookstore.app import create_app
    from conftest import FakeClock
    from fastapi.testclient import TestClient

    wall, monotonic = FakeClock(), FakeClock()
    app = create_app(settings, clock=wall, monotonic=monotonic, password_hasher=fast_hasher)
    wrong = {"email": "gita@example.com", "password": "not the password"}
    with TestClient(app, base_url="https://testserver") as client:
        for _ in range(5):
            client.post("/api/v1/sessions", json=wrong)
        wall.advance(-3600)
        assert client.post("/api/v1/sessions", json=wrong).status_code == 429
        monotonic.advance(61)  # a minute has really passed
        assert client.post("/api/v1/sessions", json=wrong).status_code == 401


# --- PostgreSQL: timestamptz against timestamp (skipped where PostgreSQL is missing) --------


def _pg_bin(name: str) -> str | None:
    found = shutil.which(name) or sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found if isinstance(found, str) else (found[-1] if found else None)


@pytest.fixture(scope="module")
def psql():
    """A throw-away PostgreSQL cluster on a Unix socket; yields a function running SQL."""
    initdb, pg_ctl, psql_bin = _pg_bin("initdb"), _pg_bin("pg_ctl"), _pg_bin("psql")
    if not (initdb and pg_ctl and psql_bin):
        pytest.skip("PostgreSQL (initdb, pg_ctl, psql) not found; apt-get install postgresql")
    as_server_user: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root needs a 'postgres' user (apt-get install postgresql)")
        as_server_user = ["runuser", "-u", "postgres", "--"]
    home = Path(tempfile.mkdtemp(prefix="pgtz-", dir="/tmp"))
    if as_server_user:
        shutil.chown(home, user="postgres")
    data = home / "data"
    subprocess.run(
        [*as_server_user, initdb, "-D", data, "-A", "trust", "-U", "admin", "--no-sync"],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [*as_server_user, pg_ctl, "-D", data, "-l", home / "log", "-w", "-t", "60"]
        + ["-o", f"-k {home} -c listen_addresses='' -F", "start"],
        check=True,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=120,
    )

    def run(sql: str) -> str:
        command = [psql_bin, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", str(home)]
        command += ["-U", "admin", "-d", "postgres"]
        result = subprocess.run(
            command, input=sql, text=True, capture_output=True, timeout=60, check=False
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    try:
        yield run
    finally:
        subprocess.run(
            [*as_server_user, pg_ctl, "-D", data, "-m", "immediate", "stop"],
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=60,
        )
        shutil.rmtree(home, ignore_errors=True)


# --8<-- [start:timestamp_columns_test]
def test_timestamptz_keeps_the_instant_timestamp_keeps_only_the_wall_clock(psql):
    output = psql((EXAMPLES / "timezones" / "columns.sql").read_text(encoding="utf-8"))
    in_wita, in_utc = output.strip().splitlines()
    # 10.00 WIB entered; a WITA session reads 11.00+08, a UTC session 03.00+00: one instant.
    assert in_wita == "2026-12-07 11:00:00+08|2026-12-07 10:00:00|2026-12-24"
    assert in_utc == "2026-12-07 03:00:00+00|2026-12-07 10:00:00|2026-12-24"
    # timestamp dropped "+07:00" without a word: "10:00" is now 10.00 in no zone at all.


# --8<-- [end:timestamp_columns_test]
