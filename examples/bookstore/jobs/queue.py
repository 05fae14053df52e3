"""A job queue on a Redis stream: at-least-once delivery, retries with backoff, dead letters.

Why our own ~150 lines and not RQ, Celery or Dramatiq: for a real project, take one of those
(they add scheduling, dashboards and years of fixes). The bookstore keeps its queue this small
so that each guarantee the page discusses is a Redis command you can read here
(https://redis.io/docs/latest/develop/data-types/streams/):

- XREADGROUP hands a job to one worker and keeps it in the group's pending entries list
  (PEL) until that worker acknowledges it with XACK: a job is never lost with its worker;
- XCLAIM gives a pending job to another worker once it has been idle long enough: this is
  both the retry after a failure and the recovery after a crash;
- the delivery counter of each pending job limits the attempts; after the last one the job
  moves to a second stream, the dead letters, for a person to look at.
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
DEAD = "bookstore:jobs:dead"  # jobs that failed every attempt, or can never succeed
ERRORS = "bookstore:jobs:errors"  # hash: pending job id -> its last error

# --8<-- [start:retry_policy]
# Waits before the 2nd, 3rd and 4th attempt, counted from the start of the previous one.
# The first wait is also the lease: a job not acknowledged 30 s after it was handed out
# counts as failed (or its worker as dead) and goes to another worker. So no handler may
# run that long: give every network call inside it a timeout well below 30 s.
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
    """Create the stream and the consumer group once; later calls change nothing."""
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
        ensure_group(r)

    # --8<-- [start:worker_loop]
    def run_once(self, block_ms: int = 1000) -> int:
        """One round: jobs whose retry is due first, then new jobs (waiting up to block_ms
        for one to arrive). Returns how many jobs it handled."""
        try:
            done = self._retry_due()
            wait = None if done or not block_ms else block_ms  # BLOCK 0 would wait forever
            new = self.redis.xreadgroup(GROUP, self.name, {STREAM: ">"}, count=10, block=wait)
        except redis.ResponseError as exc:
            if not str(exc).startswith("NOGROUP"):
                raise
            ensure_group(self.redis)  # Redis restarted without its data: make the group again
            return 0
        for _stream, jobs in new:
            for job_id, fields in jobs:  # now pending: in the PEL until XACK
                self._run(job_id, fields, attempt=1)
                done += 1
        return done

    def _retry_due(self) -> int:
        """Pending jobs (their worker failed or died) whose backoff has passed: run them
        again, or move them to the dead letters after the last attempt."""
        done = 0
        stale = self.redis.xpending_range(
            STREAM, GROUP, min="-", max="+", count=100, idle=self.delays_ms[0]
        )
        for entry in stale:
            job_id, attempts = entry["message_id"], entry["times_delivered"]
            last = attempts >= self.max_attempts
            wait = self.delays_ms[0] if last else retry_delay_ms(attempts, job_id, self.delays_ms)
            # XCLAIM checks the idle time again and is atomic: of two workers, one gets it.
            for claimed_id, fields in self.redis.xclaim(
                STREAM, GROUP, self.name, min_idle_time=wait, message_ids=[job_id]
            ):
                if last:
                    self._bury(claimed_id, fields, attempts)
                else:
                    self._run(claimed_id, fields, attempt=attempts + 1)
                done += 1
        return done

    # --8<-- [end:worker_loop]

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
        with self.redis.pipeline(transaction=True) as tx:  # MULTI ... EXEC: all or nothing
            tx.xack(STREAM, GROUP, job_id)  # out of the PEL: no worker gets it again
            tx.xdel(STREAM, job_id)  # and out of the stream, which would only grow
            tx.hdel(ERRORS, job_id)
            tx.execute()

    def _bury(self, job_id: str, fields: dict | None, attempts: int, error: str = "") -> None:
        """Move a job to the dead letters, with why it died, and out of the queue."""
        error = error or self.redis.hget(ERRORS, job_id) or "no answer from its worker"
        dead = {**(fields or {}), "job_id": job_id, "attempts": attempts, "error": error}
        with self.redis.pipeline(transaction=True) as tx:
            tx.xadd(DEAD, dead)
            tx.xack(STREAM, GROUP, job_id)
            tx.xdel(STREAM, job_id)
            tx.hdel(ERRORS, job_id)
            tx.execute()
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
    """After fixing the cause: put every dead letter back on the queue as a new job."""
    moved = 0
    for dead_id, fields in r.xrange(DEAD):
        job = {"topic": fields.get("topic", ""), "payload": fields.get("payload", "")}
        with r.pipeline(transaction=True) as tx:
            tx.xadd(STREAM, job)
            tx.xdel(DEAD, dead_id)
            tx.execute()
        moved += 1
    return moved


# --8<-- [end:status]
