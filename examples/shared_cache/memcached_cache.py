"""The Memcached twin of redis_cache.py (the Shared Caches and CDNs page).

Memcached keeps only strings under keys, in memory, with no persistence, no replication and no
server-side scripts. What it does well is many keys in one round trip: a listing page asks for
twenty books with one `get_many`, and the database loads only the ones that were missing.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

from pymemcache.client.base import Client
from pymemcache.exceptions import MemcacheError

logger = logging.getLogger(__name__)


# --8<-- [start:memcached]
def connect(host: str, port: int, timeout: float = 0.05) -> Client:
    """ignore_exc=True: a failed get is a miss. Keys are ASCII without spaces, at most 250
    bytes; pymemcache refuses anything else with MemcacheIllegalInputError."""
    return Client((host, port), connect_timeout=timeout, timeout=timeout, ignore_exc=True,
                  key_prefix=b"bookstore:v1:")


def get_many_or_load(client: Client, ids: Iterable[int],
                     load_many: Callable[[list[int]], dict[int, Any]], ttl: int = 300) -> dict:
    """Books by id: one round trip to Memcached, then one query for the ids it did not have."""
    wanted = {f"book:{int(i)}": int(i) for i in ids}
    found = {}
    for key, raw in client.get_many(list(wanted)).items():
        try:
            found[wanted[key]] = json.loads(raw)
        except ValueError:  # not JSON (UnicodeDecodeError is a ValueError too): a miss
            logger.warning("dropping unreadable cache value at %s", key)
    missing = [i for i in wanted.values() if i not in found]
    if missing:
        loaded = load_many(missing)
        found.update(loaded)
        try:  # sets are not covered by ignore_exc: a full or absent server must not fail us
            refused = client.set_many({f"book:{i}": json.dumps(v) for i, v in loaded.items()},
                                      expire=ttl, noreply=False)
        except (MemcacheError, OSError) as error:
            refused = [repr(error)]
        if refused:  # noreply=False above: without it, pymemcache never hears a refusal
            logger.warning("memcached did not store: %s", refused)
    return found
# --8<-- [end:memcached]
