"""Settings from TRANSLATOR_* environment variables, with embedded defaults.

With nothing set the service runs on SQLite in the instance folder and a Celery
filesystem broker, so one command starts everything. Production sets at least
TRANSLATOR_DATABASE_URL, TRANSLATOR_BROKER_URL and TRANSLATOR_SECRET_KEY.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

ENV_PREFIX = "TRANSLATOR_"
DEFAULT_MAX_UPLOAD_MB = 20
# Background jobs (docs/jobs.md explains how these bounds fit together).
JOB_HEARTBEAT_INTERVAL = 5  # seconds between a running job's heartbeats
JOB_HEARTBEAT_TIMEOUT = 60  # a running job silent this long lost its worker: failed
TRASH_DAYS = 30  # a deleted document or edition stays this long in the trash, then is purged
JOB_PENDING_TIMEOUT = 3600  # a job no worker picked up this long: failed
JOB_UPLOAD_RETENTION = 86400  # a failed import's upload is kept this long for Retry
# Longer than the longest job (a 20 MB import or its alignment: minutes), so that Redis
# does not hand a running job's message to a second worker; shorter than
# JOB_PENDING_TIMEOUT, so that a message held by a killed worker comes back (and runs)
# before its pending job is given up.
BROKER_VISIBILITY_TIMEOUT = 1800
BROKER_TIMEOUT = 3  # seconds a publish may wait for the broker before the job fails


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(ENV_PREFIX + name)
    return value if value not in (None, "") else default


def _secret_key(instance: Path) -> str:
    """A stable per-install secret when none is configured, so sessions survive restarts."""
    key_file = instance / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def _seconds(name: str, default: float) -> float:
    return float(_env(name, str(default)) or default)


def load_config(instance_path: str) -> dict[str, Any]:
    """Build the Flask config mapping from the environment."""
    instance = Path(instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    database_url = _env("DATABASE_URL", f"sqlite:///{instance / 'translator.sqlite3'}")
    broker_url = _env("BROKER_URL", "filesystem://") or "filesystem://"
    eager = _env("TASKS_EAGER", "0") == "1"
    # Live events and presence: Redis pub/sub when there is a Redis, else one process's
    # in-memory hub (the embedded `translator serve` is one process).
    live_url = _env("REDIS_URL") or (broker_url if broker_url.startswith("redis") else "memory://")
    max_upload_mb = float(_env("MAX_UPLOAD_MB", str(DEFAULT_MAX_UPLOAD_MB)) or 0)
    secure = _env("SECURE_COOKIES", "0") == "1"
    broker_timeout = _seconds("BROKER_TIMEOUT", BROKER_TIMEOUT)

    celery: dict[str, Any] = {
        "broker_url": broker_url,
        "task_ignore_result": True,  # the Job row is the result
        "task_serializer": "json",
        "accept_content": ["json"],
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "task_always_eager": eager,
        "task_eager_propagates": False,
        "broker_connection_retry_on_startup": True,
        # A publish to an unreachable broker fails within a few seconds (the job is then
        # marked failed and the request answers 503) instead of hanging the request.
        "broker_connection_timeout": broker_timeout,
        "task_publish_retry": True,
        "task_publish_retry_policy": {
            "max_retries": 2,
            "interval_start": 0,
            "interval_step": 0.5,
            "interval_max": 1,
        },
        "include": [
            "workers.imports",
            "workers.alignment",
            "workers.exports",
            "workers.mail",
            "workers.notifications",
        ],
    }
    if broker_url == "filesystem://":
        queue = instance / "broker"
        for folder in ("queue", "processed", "control"):
            (queue / folder).mkdir(parents=True, exist_ok=True)
        celery["broker_transport_options"] = {
            "data_folder_in": str(queue / "queue"),
            "data_folder_out": str(queue / "queue"),
            "processed_folder": str(queue / "processed"),
            "control_folder": str(queue / "control"),  # default is ./control in the cwd
            "store_processed": False,
        }
    elif broker_url.startswith(("redis://", "rediss://", "redis+socket://")):
        celery["broker_transport_options"] = {
            "visibility_timeout": _seconds("BROKER_VISIBILITY_TIMEOUT", BROKER_VISIBILITY_TIMEOUT),
            "socket_connect_timeout": broker_timeout,
            # Bounds a publish to a Redis that accepts connections but does not answer;
            # above the workers' 1 s BRPOP poll.
            "socket_timeout": max(broker_timeout, 2.0),
        }

    return {
        "SECRET_KEY": _env("SECRET_KEY") or _secret_key(instance),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # PostgreSQL stops any one statement running longer than this (0: never).
        "STATEMENT_TIMEOUT": float(_env("STATEMENT_TIMEOUT", "30") or 0),
        "MAX_CONTENT_LENGTH": int(max_upload_mb * 1024 * 1024) + 64 * 1024,
        "MAX_UPLOAD_BYTES": int(max_upload_mb * 1024 * 1024),
        "MAX_UPLOAD_MB": max_upload_mb,  # MB = 1024 × 1024 bytes, everywhere it is shown
        # https only: the session and remember-me cookies are sent over https alone.
        "SESSION_COOKIE_SECURE": secure,
        "REMEMBER_COOKIE_SECURE": secure,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_DURATION": timedelta(days=30),
        # How many proxies in front of the service set X-Forwarded-For/-Proto (0: none).
        "PROXIES": int(_env("PROXIES", "0") or 0),
        "UPLOAD_FOLDER": _env("UPLOAD_FOLDER", str(instance / "uploads")),
        # Files made by export jobs (shared by web and workers, like the uploads).
        "EXPORT_FOLDER": _env("EXPORT_FOLDER", str(instance / "exports")),
        "UNITS_PER_PAGE": int(_env("UNITS_PER_PAGE", "100") or 100),
        "BABEL_DEFAULT_LOCALE": "en",
        "LANGUAGES": ["en", "fr", "pt"],
        "WTF_CSRF_TIME_LIMIT": None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "LIVE_URL": live_url,
        # Prefix of the live channels and keys; default: derived from the database URL.
        "LIVE_NAMESPACE": _env("LIVE_NAMESPACE", ""),
        "PRESENCE_TTL": float(_env("PRESENCE_TTL", "30") or 30),
        # Seconds between keep-alives of a live event stream; each also checks whether
        # the document's rows changed unannounced (services.live.EventStream).
        "LIVE_KEEPALIVE": float(_env("LIVE_KEEPALIVE", "15") or 15),
        "JOB_HEARTBEAT_INTERVAL": _seconds("JOB_HEARTBEAT_INTERVAL", JOB_HEARTBEAT_INTERVAL),
        "JOB_HEARTBEAT_TIMEOUT": _seconds("JOB_HEARTBEAT_TIMEOUT", JOB_HEARTBEAT_TIMEOUT),
        "TRASH_DAYS": _seconds("TRASH_DAYS", TRASH_DAYS),
        "JOB_PENDING_TIMEOUT": _seconds("JOB_PENDING_TIMEOUT", JOB_PENDING_TIMEOUT),
        "JOB_UPLOAD_RETENTION": _seconds("JOB_UPLOAD_RETENTION", JOB_UPLOAD_RETENTION),
        # Seconds a search of the editor's unit list may take (its database queries are
        # stopped there), and a search-and-replace preview or apply (docs/limits.md).
        "SEARCH_TIMEOUT": float(_env("SEARCH_TIMEOUT", "3") or 3),
        "REPLACE_TIMEOUT": float(_env("REPLACE_TIMEOUT", "5") or 5),
        "CELERY": celery,
        # E-mail (invitations, password resets), sent by the translator.send_mail task.
        # Without SMTP_HOST nothing is sent: the users page shows the link to hand over.
        "SMTP_HOST": _env("SMTP_HOST", ""),
        "SMTP_PORT": int(_env("SMTP_PORT", "0") or 0),  # 0: 465 with SSL, else 587 or 25
        "SMTP_USERNAME": _env("SMTP_USERNAME", ""),
        "SMTP_PASSWORD": _env("SMTP_PASSWORD", ""),
        "SMTP_STARTTLS": _env("SMTP_STARTTLS", "0") == "1",
        "SMTP_SSL": _env("SMTP_SSL", "0") == "1",
        "SMTP_TIMEOUT": _seconds("SMTP_TIMEOUT", 20),
        "MAIL_FROM": _env("MAIL_FROM", "translator@localhost"),
        # The address people reach the service at, for links in e-mails
        # (e.g. https://translate.example.org); default: the host of the request.
        "BASE_URL": _env("BASE_URL", ""),
        "INVITATION_LIFETIME": _seconds("INVITATION_LIFETIME", 7 * 24 * 3600),
        "RESET_LIFETIME": _seconds("RESET_LIFETIME", 3600),
        # Seconds between two runs of the time-driven notifications (due dates, daily
        # digests) by Celery beat and by each worker's housekeeping thread; 0 turns the
        # thread's runs off, leaving them to `celery beat` (every 300 s). Both at once
        # send each notification once all the same.
        "NOTIFICATION_TICK": _seconds("NOTIFICATION_TICK", 300),
    }
