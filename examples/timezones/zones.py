"""Converting instants for people: WIB, WITA and WIT from the IANA time zone database.

zoneinfo (Python 3.9+) reads the tz database of the system (/usr/share/zoneinfo on Debian)
or, where there is none (Windows), the `tzdata` package from PyPI.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# --8<-- [start:indonesian_zones]
# Keppres No. 41/1987: three time zones, UTC+7, +8 and +9, and no daylight saving time.
# Use the IANA names, not fixed offsets: they carry history (Pontianak was on WITA until
# 1 January 1988) and any future change arrives with a tzdata update, not a code change.
WIB = ZoneInfo("Asia/Jakarta")  # Sumatra, Java; West and Central Kalimantan: Asia/Pontianak
WITA = ZoneInfo("Asia/Makassar")  # Bali, Nusa Tenggara, South/East/North Kalimantan, Sulawesi
WIT = ZoneInfo("Asia/Jayapura")  # Maluku, Papua
MONTHS = (  # Indonesian month names, for dates people read
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",  # codespell:ignore
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",  # codespell:ignore
)  # fmt: skip


def wall_clock(instant: datetime, zone: ZoneInfo) -> str:
    """How a reader in `zone` reads an instant: "7 Desember 2026, 10.00 WITA"."""
    if instant.utcoffset() is None:
        raise ValueError("a datetime without an offset is not an instant: in which zone?")
    local = instant.astimezone(zone)
    return f"{local.day} {MONTHS[local.month - 1]} {local.year}, {local:%H.%M} {local.tzname()}"


# --8<-- [end:indonesian_zones]


# --8<-- [start:local_day]
def local_day(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The instants of one calendar day as people in `zone` count it: [start, end) in UTC.
    The end is the next day's midnight, excluded: no "23:59:59" that loses the orders of
    the last second, and a day that lasts 23 or 25 hours where clocks change is right too."""
    try:
        start = datetime.combine(day, time(0), tzinfo=zone)
        end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
        return start.astimezone(UTC), end.astimezone(UTC)
    except OverflowError:  # 1 January of year 1 in WIB starts in year 0 UTC; 9999-12-31 ...
        raise ValueError(f"{day} in {zone.key} falls outside the years 1 to 9999") from None


# --8<-- [end:local_day]
