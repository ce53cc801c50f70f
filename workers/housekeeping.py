"""What every worker process does besides tasks: reap the jobs whose worker died, and
every hour sweep the uploads no import needs any more and the export files no artifact
kept, purge what has been in the trash longer than TRASH_DAYS and keep the day's
snapshot of every edition's words left (the dashboard's burndown), from a timer thread;
every NOTIFICATION_TICK seconds, send the time-driven notifications (due dates, digests).

Every worker runs it (no Celery beat to deploy, and the embedded `translator serve`
has its worker too); N workers reaping at once is fine, each job is failed by one
conditional UPDATE. The web process reaps lazily as well, wherever jobs are read."""

from __future__ import annotations

import logging
import threading
import time

from flask import Flask

from translator.extensions import db
from translator.services.dashboard_history import record_edition_days
from translator.services.exports import remove_artifact_file, sweep_exports
from translator.services.jobs import reap_stale_jobs
from translator.services.trash import purge_expired
from translator.services.uploads import sweep_uploads
from workers.notifications import notification_tick_now

log = logging.getLogger(__name__)
SWEEP_EVERY = 3600.0  # seconds between two sweeps of the upload folder


def hourly_chores() -> None:
    """Sweep uploads and export files, purge the trash's expired documents and
    editions, and upsert today's words left of every edition (committed here: this
    thread is a boundary, like a task)."""
    sweep_uploads()
    sweep_exports()
    purged = purge_expired()
    record_edition_days()
    db.session.commit()
    for stored_name in purged.stored_names:  # their rows are gone for good now
        remove_artifact_file(stored_name)
    if purged.documents or purged.editions:
        log.info("trash: purged %d document(s), %d edition(s)", purged.documents, purged.editions)


class Housekeeper:
    """Reaps every quarter of the heartbeat timeout (so a dead worker's job is failed
    within 1.25 × JOB_HEARTBEAT_TIMEOUT), sweeps uploads every SWEEP_EVERY seconds."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.interval = max(0.5, float(app.config["JOB_HEARTBEAT_TIMEOUT"]) / 4)
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="housekeeper", daemon=True)

    def start(self) -> Housekeeper:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(10)

    def _run(self) -> None:
        last_sweep = last_tick = float("-inf")
        tick_every = float(self.app.config.get("NOTIFICATION_TICK") or 0)
        while True:
            try:
                with self.app.app_context():
                    reap_stale_jobs()
                    if time.monotonic() - last_sweep >= SWEEP_EVERY:
                        last_sweep = time.monotonic()
                        hourly_chores()
                    if tick_every > 0 and time.monotonic() - last_tick >= tick_every:
                        last_tick = time.monotonic()
                        notification_tick_now()
            except Exception:  # keep the thread alive; try again later
                log.exception("housekeeping failed")
            if self._stopping.wait(self.interval):
                return
