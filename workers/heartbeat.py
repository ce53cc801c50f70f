"""A running job's heartbeat: a thread of the worker process that renews the job's
``heartbeat_at`` every ``JOB_HEARTBEAT_INTERVAL`` seconds and writes its progress.

It has its own database connection, never the task's session: the task may hold a long
transaction (its work is committed once, at the end), and progress written through that
session would commit half the work. The task's ``progress`` callback only hands the
figure over; the thread writes it (at most every PROGRESS_GAP seconds), so the task
never waits on the database for it. If a beat finds the job is no longer this attempt's
(the reaper failed it), the next progress call raises JobLost and the work stops."""

from __future__ import annotations

import logging
import threading

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError

from translator.services.jobs import JobLost, beat_job

log = logging.getLogger(__name__)
PROGRESS_GAP = 0.2  # seconds between two progress writes
STOP_WAIT = 30.0  # an SQLite write may wait its 15 s busy timeout for the task's commit


class Heartbeat:
    """Beats for one attempt of one job, from ``start()`` to ``stop()``."""

    def __init__(self, engine: Engine, job_id: str, attempt: int, interval: float) -> None:
        self.engine, self.job_id, self.attempt = engine, job_id, attempt
        self.interval = max(0.05, interval)
        self.lost = False
        self._latest: tuple[int, str] | None = None
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"heartbeat-{job_id[:8]}", daemon=True
        )

    def start(self) -> Heartbeat:
        self._thread.start()
        return self

    def progress(self, percent: int, message: str) -> None:
        """The task's progress callback: record, let the thread write it."""
        if self.lost:
            raise JobLost(f"job {self.job_id} was failed by the reaper while it ran")
        with self._lock:
            self._latest = (percent, message)
        self._wake.set()

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()
        self._thread.join(STOP_WAIT)

    def _run(self) -> None:
        connection: Connection | None = None
        try:
            while not self._stopping.is_set():
                with self._lock:
                    latest, self._latest = self._latest, None
                try:
                    connection = connection or self.engine.connect()
                    if not beat_job(connection, self.job_id, self.attempt, latest):
                        self.lost = True
                        log.info("job %s is no longer this attempt's: heartbeat stops", self.job_id)
                        return
                except DBAPIError as exc:
                    # The database is away: try again next beat, on a new connection.
                    log.warning("job %s: heartbeat failed: %s", self.job_id, exc)
                    if connection is not None:
                        connection.invalidate()
                        connection.close()
                    connection = None
                self._wake.wait(self.interval)
                self._wake.clear()
                self._stopping.wait(PROGRESS_GAP)
        finally:
            if connection is not None:
                connection.close()
