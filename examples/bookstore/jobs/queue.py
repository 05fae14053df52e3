"""A job queue on a Redis stream: at-least-once delivery, retries with backoff, dead letters.

Why our own ~200 lines and not RQ, Celery or Dramatiq: for a real project, take one of those
(they add scheduling, dashboards and years of fixes). The bookstore keeps its queue this small
so that each guarantee the page discusses is a Redis command you can read here
(https://redis.io/docs/latest/develop/data-types/streams/):

- XREADGROUP hands a job to one worker and keeps it in the group's pending entries list
  (PEL) until that worker acknowledges it with XACK: a job is never lost with its worker;
- XCLAIM gives a pending job to another worker once it has been idle long enough: this is
  both the retry after a failure and the recovery after a crash;
- the delivery counter of each pending job limits the attempts; after the last one the job
  moves to a second stream, the dead-letter stream, for a person to look at.

Needs Redis 6.2 or later (XPENDING ... IDLE, exclusive ranges such as "(1-0").
"""

from __future__ import annotations

import json
import logging
import zlib
from collections.abc import Callable

import redis

log = logging.getLogger("bookstore.jobs")

STREAM = "bookstore:jobs"  # the queue
GROUP = "workers"  # every worker reads as a member of this consumer group
DEAD = "bookstore:jobs:dead"  # dead-letter stream: jobs that failed every attempt, or never can
ERRORS = "bookstore:jobs:errors"  # hash: pending job id -> its last error
PAGE = 100  # pending jobs looked at per round when searching for a due retry

# --8<-- [start:retry_policy]
# Waits before the 2nd, 3rd and 4th attempt, counted from the start of the previous one.
# The first wait is also the lease: a job not acknowledged 30 s after it was handed out
# counts as failed (or its worker as dead) and goes to another worker. A worker takes one
# job at a time, so the lease starts when the job starts; no handler may run that long:
# give every network call inside it a timeout well below 30 s.
RETRY_DELAYS_MS = (30_000, 120_000, 600_000)  # so at most 4 attempts


def retry_delay_ms(attempts: int, job_id: str, delays: tuple[int, ...] = RETRY_DELAYS_MS) -> int:
    """How long a job that has been delivered `attempts` times waits before the next try.

    Up to 20 % jitter, derived from the job id, so that jobs which failed together (say,
    while the mail server was down) do not all come back in the same second.
    """
    base = delays[min(attempts, len(delays)) - 1]
    return base + base * (zlib.crc32(job_id.encode()) % 21) // 100


# --8<-- [end:retry_policy]


class PermanentJobError(Exception):
    """Another attempt cannot help (a malformed job, an order that does not exist)."""


Handler = Callable[[dict], None]


def enqueue(r: redis.Redis, topic: str, payload: dict) -> str:
    """Append a job to the stream; returns its id. Data only (JSON), never code."""
    return r.xadd(STREAM, {"topic": topic, "payload": json.dumps(payload)})


def ensure_group(r: redis.Redis) -> None:
    """Create the stream and the consumer group unless they exist. Looks first, because a
    Redis over its maxmemory refuses XGROUP CREATE even when the group is already there."""
    if r.exists(STREAM) and any(g["name"] == GROUP for g in r.xinfo_groups(STREAM)):
        return
    try:
        r.xgroup_create(STREAM, GROUP, id="0", mkstream=True)
    except redis.ResponseError as exc:
        if "BUSYGROUP" not in str(exc):  # "Consumer Group name already exists"
            raise


class Worker:
    """Takes jobs from the stream and runs the handler registered for their topic."""

    def __init__(
        self,
        r: redis.Redis,
        name: str,
        handlers: dict[str, Handler],
        delays_ms: tuple[int, ...] = RETRY_DELAYS_MS,
    ) -> None:
        self.redis, self.name, self.handlers = r, name, handlers
        self.delays_ms = delays_ms
        self.max_attempts = len(delays_ms) + 1
        self.cursor = "-"  # where _retry_due reads the pending entries list next
        ensure_group(r)

    # --8<-- [start:worker_loop]
    def run_once(self, block_ms: int = 1000) -> int:
        """One round, one job: a pending job whose retry is due if there is one, else a new
        job (waiting up to block_ms for one). Returns how many jobs it handled, 0 or 1.

        One job at a time because the lease starts when Redis hands a job out: a job
        fetched in a batch of ten would wait behind the others while its 30 s run out."""
        try:
            if self._retry_due():
                return 1
            new = self.redis.xreadgroup(
                GROUP, self.name, {STREAM: ">"}, count=1, block=block_ms or None
            )  # block=None: do not wait at all (BLOCK 0 would wait forever)
        except redis.ResponseError as exc:
            if not str(exc).startswith("NOGROUP"):
                raise
            ensure_group(self.redis)  # Redis restarted without its data: make the group again
            return 0
        for _stream, jobs in new:
            for job_id, fields in jobs:  # now pending: in the PEL until XACK
                self._run(job_id, fields, attempt=1)
                return 1
        return 0

    # --8<-- [end:worker_loop]

    # --8<-- [start:retry_due]
    def _retry_due(self) -> bool:
        """Run again one pending job (its worker failed or died) whose backoff has passed,
        or move it to the dead letters after its last attempt. XPENDING lists the oldest
        first, so a round that finds nothing due on its page moves self.cursor past it:
        a due job is found even behind hundreds that wait for a longer backoff."""
        page = self.redis.xpending_range(
            STREAM, GROUP, min=self.cursor, max="+", count=PAGE, idle=self.delays_ms[0]
        )
        for entry in page:
            job_id, attempts = entry["message_id"], entry["times_delivered"]
            last = attempts >= self.max_attempts
            wait = self.delays_ms[0] if last else retry_delay_ms(attempts, job_id, self.delays_ms)
            if entry["time_since_delivered"] < wait:
                continue  # pending, but its backoff has not passed yet
            # XCLAIM checks the idle time again and is atomic: of two workers, one gets it.
            for claimed_id, fields in self.redis.xclaim(
                STREAM, GROUP, self.name, min_idle_time=wait, message_ids=[job_id]
            ):
                if last:
                    self._bury(claimed_id, fields, attempts)
                else:
                    self._run(claimed_id, fields, attempt=attempts + 1)
                return True
        # Nothing due on this page: the next page next round, or back to the start.
        self.cursor = f"({page[-1]['message_id']}" if len(page) == PAGE else "-"
        return False

    # --8<-- [end:retry_due]

    # --8<-- [start:run_job]
    def _run(self, job_id: str, fields: dict | None, attempt: int) -> None:
        try:
            handler = self.handlers[fields["topic"]]
            payload = json.loads(fields["payload"])
        except (KeyError, TypeError, ValueError, RecursionError) as exc:  # poison: bury it now
            self._bury(job_id, fields, attempt, f"malformed job: {exc!r}"[:500])
            return
        try:
            handler(payload)
        except PermanentJobError as exc:
            self._bury(job_id, fields, attempt, f"PermanentJobError: {exc}"[:500])
        except Exception as exc:  # noqa: BLE001 - maybe temporary: stays pending, retried
            error = f"{type(exc).__name__}: {exc}"[:500]
            log.warning("job failed", extra={"job_id": job_id, "attempt": attempt, "error": error})
            self.redis.hset(ERRORS, job_id, error)
        else:
            self._acknowledge(job_id)

    def _acknowledge(self, job_id: str) -> None:
        # A pipeline is one round trip, not a transaction. Not MULTI either: a Redis over
        # its maxmemory refuses every command queued in a MULTI, but XACK and XDEL alone
        # still run (they free memory), so a full Redis still lets jobs finish.
        with self.redis.pipeline(transaction=False) as pipe:
            pipe.xack(STREAM, GROUP, job_id)  # out of the PEL: no worker gets it again
            pipe.xdel(STREAM, job_id)  # and out of the stream, which would only grow
            pipe.hdel(ERRORS, job_id)
            pipe.execute()

    def _bury(self, job_id: str, fields: dict | None, attempts: int, error: str = "") -> None:
        """Copy a job to the dead-letter stream, with why it died, then take it off the queue.

        Two steps on purpose. MULTI/EXEC does not roll back: when XADD fails inside it at
        run time (say the key holds another type), XACK and XDEL still run and the job is
        lost. Here a failed XADD raises before anything else runs and the job stays pending;
        a crash between the steps can leave two copies of one dead letter, never none."""
        error = error or self.redis.hget(ERRORS, job_id) or "no answer from its worker"
        dead = {**(fields or {}), "job_id": job_id, "attempts": attempts, "error": error}
        self.redis.xadd(DEAD, dead)
        self._acknowledge(job_id)
        log.error("job moved to the dead letters", extra={"job_id": job_id, "error": error})

    # --8<-- [end:run_job]


# --8<-- [start:status]
def status(r: redis.Redis) -> dict[str, int]:
    """What an operator watches: jobs waiting, handed out but not finished, and dead."""
    ensure_group(r)
    pending = next(g["pending"] for g in r.xinfo_groups(STREAM) if g["name"] == GROUP)
    # Finished jobs are deleted from the stream, so what is left is waiting or pending.
    return {"waiting": r.xlen(STREAM) - pending, "pending": pending, "dead": r.xlen(DEAD)}


def requeue_dead(r: redis.Redis) -> int:
    """After fixing the cause: put every dead letter back on the queue as a new job.
    XADD first, then XDEL: a crash in between runs a job twice, never loses one."""
    moved = 0
    for dead_id, fields in r.xrange(DEAD):
        r.xadd(STREAM, {"topic": fields.get("topic", ""), "payload": fields.get("payload", "")})
        r.xdel(DEAD, dead_id)
        moved += 1
    return moved


# --8<-- [end:status]
