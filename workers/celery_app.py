"""The Celery entry point: ``celery -A workers.celery_app worker``.

Builds the Flask app (same configuration as the web process) and exposes the Celery
app bound to it; task modules are listed in the ``CELERY["include"]`` setting. Once the
worker is ready, a housekeeping thread reaps dead workers' jobs and old uploads."""

from __future__ import annotations

from typing import Any

from celery.signals import worker_process_init, worker_ready, worker_shutdown

from translator import create_app
from translator.app import freeze_loaded_objects
from translator.extensions import db
from translator.services.jobs import NOTIFICATION_TICK_TASK
from workers.housekeeping import Housekeeper

flask_app = create_app()
celery_app = flask_app.extensions["celery"]
# `celery -A workers.celery_app beat`: the time-driven notifications (due dates,
# digests). Every worker's housekeeping thread runs them too, unless NOTIFICATION_TICK
# is 0 (then beat alone, every 300 s); each is sent once anyway.
celery_app.conf.beat_schedule = {
    "notification-tick": {
        "task": NOTIFICATION_TICK_TASK,
        "schedule": float(flask_app.config["NOTIFICATION_TICK"]) or 300.0,
    }
}
app = celery_app
_housekeeper: list[Housekeeper] = []


@worker_ready.connect
def _start_housekeeping(**_: Any) -> None:
    freeze_loaded_objects()  # a solo or threads pool runs its jobs in this process
    _housekeeper.append(Housekeeper(flask_app).start())


@worker_shutdown.connect
def _stop_housekeeping(**_: Any) -> None:
    while _housekeeper:
        _housekeeper.pop().stop()


@worker_process_init.connect
def _own_connections(**_: Any) -> None:
    """A forked pool process must not share the parent's pooled connections (the
    housekeeper uses them): drop them without closing the parent's sockets."""
    with flask_app.app_context():
        db.engine.dispose(close=False)
    # The app is loaded: out of the collector's full rounds, which a job's thousands of
    # rows would otherwise make walk it again and again.
    freeze_loaded_objects()
