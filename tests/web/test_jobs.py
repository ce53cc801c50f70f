"""The job page through the real app: why a job failed, Retry (CSRF, who may, once),
a dead worker's job that no longer blocks the align form, a job nobody picks up, and
the import and align forms when the job queue cannot be reached (503, nothing left
pending) and once it is back."""

from __future__ import annotations

import io
import socket
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import redis
import sqlalchemy as sa
from flask import Flask

from tests.conftest import dispose_engines, make_app, reachable_redis
from tests.helpers import csrf_token
from translator.models import Document, Job, JobState, MemberRole, User
from translator.models._types import utcnow
from translator.services.jobs import WORKER_LOST, WORKER_LOST_MESSAGE
from translator.services.members import set_member

EN = "One. Two. Three.\n\nFour.\n"
FR = "Un. Deux. Trois.\n\nQuatre.\n"


@pytest.fixture
def doc(db: Any, import_text: Any) -> Document:
    first = import_text(EN, "en", title="Doc")
    import_text(FR, "fr", document=first.document)
    return db.session.scalar(sa.select(Document))


def add_job(db: Any, state: JobState, **fields: Any) -> str:
    fields.setdefault("kind", "align")
    fields.setdefault("params", {"pivot": "en", "languages": None, "force": False})
    job = Job(state=state, **fields)
    db.session.add(job)
    db.session.commit()
    return job.id


def lost_alignment(db: Any, document: Document, user_id: int | None = None) -> str:
    return add_job(
        db,
        JobState.FAILED,
        document_id=document.id,
        user_id=user_id,
        message=WORKER_LOST_MESSAGE,
        result={"error": WORKER_LOST_MESSAGE, "reason": WORKER_LOST},
        finished_at=utcnow(),
    )


def retry(client: Any, job_id: str, token: str | None = None) -> Any:
    token = token or csrf_token(client, f"/jobs/{job_id}")
    return client.post(f"/jobs/{job_id}/retry", data={"csrf_token": token})


def test_a_dead_workers_job_says_why_and_is_retried_once(
    client: Any, login: Any, db: Any, doc: Document
) -> None:
    login(is_admin=True)
    job_id = lost_alignment(db, doc)
    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "The worker running this job stopped (killed or crashed)." in page
    assert '<form class="job-retry" method="post"' in page
    assert f'class="job-retry" method="post" action="/jobs/{job_id}/retry" >' in page
    payload = client.get(f"/jobs/{job_id}.json").get_json()
    assert payload["reason"] == WORKER_LOST and payload["can_retry"] is True

    response = retry(client, job_id)
    assert response.status_code == 302
    new_url = response.headers["Location"]
    assert new_url.startswith("/jobs/") and job_id not in new_url
    done = client.get(new_url + ".json").get_json()  # the retry ran (eager tasks)
    assert done["state"] == "succeeded", done
    assert done["url"] == f"/documents/{doc.slug}"
    old = client.get(f"/jobs/{job_id}.json").get_json()
    assert old["can_retry"] is False and old["retried_url"] == new_url
    assert "This job was retried" in client.get(f"/jobs/{job_id}").get_data(as_text=True)
    # A second click (an old tab) goes to the same retry.
    assert retry(client, job_id).headers["Location"] == new_url
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Job)) == 2


def test_retry_needs_csrf_and_the_jobs_user_or_an_administrator(
    client: Any, login: Any, create_user: Any, db: Any, doc: Document
) -> None:
    owner = create_user("owner@example.org", "correct horse", is_admin=True)
    login()  # ana: neither the owner nor an administrator; a reader of the document
    ana = db.session.scalar(sa.select(User).where(User.email == "ana@example.org"))
    set_member(doc, ana, "", MemberRole.READER)
    job_id = lost_alignment(db, doc, user_id=owner.id)
    assert client.get(f"/jobs/{job_id}.json").get_json()["can_retry"] is False
    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert f'class="job-retry" method="post" action="/jobs/{job_id}/retry" hidden>' in page
    token = csrf_token(client, f"/jobs/{job_id}")
    assert client.post(f"/jobs/{job_id}/retry").status_code == 400  # no CSRF token
    assert retry(client, job_id, token).status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Job)) == 1


def test_a_crashed_import_is_retried_from_its_kept_upload(
    app: Flask, client: Any, login: Any, db: Any
) -> None:
    login(is_admin=True)  # importing (and so retrying an import) is for administrators
    ana = db.session.scalar(sa.select(User))
    folder = Path(app.config["UPLOAD_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    upload = folder / "kept.txt"
    upload.write_text("One sentence. Another one.")
    params = {"path": str(upload), "filename": "kept.txt", "language": "en", "title": "Kept"}
    job_id = add_job(
        db,
        JobState.FAILED,
        kind="import",
        user_id=ana.id,
        params=params,
        message="internal error; nothing was changed",
        result={"reason": "internal"},
    )
    payload = client.get(f"/jobs/{job_id}.json").get_json()
    assert payload["can_retry"] is True
    assert payload["message"] == (
        "Something went wrong on our side. Nothing was changed; you can retry."
    )
    new_url = retry(client, job_id).headers["Location"]
    done = client.get(new_url + ".json").get_json()
    assert done["state"] == "succeeded" and done["url"] == "/documents/kept"
    assert db.session.scalars(sa.select(Document.title)).all() == ["Kept"]
    assert not upload.exists()


def test_an_import_whose_upload_is_gone_cannot_be_retried(client: Any, login: Any, db: Any) -> None:
    login(is_admin=True)
    ana = db.session.scalar(sa.select(User))
    job_id = add_job(
        db,
        JobState.FAILED,
        kind="import",
        user_id=ana.id,
        params={"path": "/nowhere/gone.txt", "filename": "gone.txt", "language": "en"},
        result={"reason": "internal"},
    )
    assert client.get(f"/jobs/{job_id}.json").get_json()["can_retry"] is False
    response = retry(client, job_id)
    assert response.status_code == 302 and response.headers["Location"] == f"/jobs/{job_id}"
    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "Not retried: the uploaded file is gone; import it again" in page


def test_a_dead_workers_alignment_no_longer_blocks_the_align_form(
    client: Any, login: Any, db: Any, doc: Document
) -> None:
    login(is_admin=True)
    silent = utcnow() - timedelta(minutes=2)
    stale = add_job(db, JobState.RUNNING, document_id=doc.id, heartbeat_at=silent, attempts=1)
    token = csrf_token(client, f"/documents/{doc.slug}")
    response = client.post(
        f"/documents/{doc.slug}/align", data={"csrf_token": token, "pivot": "en"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] != f"/jobs/{stale}"
    assert client.get(response.headers["Location"] + ".json").get_json()["state"] == "succeeded"
    assert client.get(f"/jobs/{stale}.json").get_json()["reason"] == WORKER_LOST


def test_a_job_no_worker_picks_up_is_flagged(client: Any, login: Any, db: Any) -> None:
    login(is_admin=True)  # jobs of nobody's, on no document: administrators see them
    waiting = add_job(db, JobState.PENDING, created_at=utcnow() - timedelta(minutes=2))
    fresh = add_job(db, JobState.PENDING)
    assert client.get(f"/jobs/{waiting}.json").get_json()["stalled"] is True
    assert client.get(f"/jobs/{fresh}.json").get_json()["stalled"] is False
    page = client.get(f"/jobs/{waiting}").get_data(as_text=True)
    assert '<span class="job-stalled" >No worker has picked this job up yet' in page


def test_job_page_speaks_french(client: Any, login: Any, db: Any, doc: Document) -> None:
    login(is_admin=True)
    job_id = lost_alignment(db, doc)
    page = client.get(f"/jobs/{job_id}", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Réessayer" in page and "Le processus" in page


# --- an unreachable job queue -----------------------------------------------------


class Broker:
    """A port that answers as Redis only once opened (forwarding to the real one): the
    job queue is down, then back."""

    def __init__(self, target: str) -> None:
        url = redis.connection.parse_url(target)
        self.target = (url.get("host", "127.0.0.1"), int(url.get("port", 6379)))
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self.listener: socket.socket | None = None

    def open(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def close(self) -> None:
        if self.listener is not None:
            self.listener.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            sink.close()


QUEUE = "jobs-web-test"  # no test worker consumes it


@pytest.fixture
def broker(redis_url: str) -> Iterator[Broker]:
    broker = Broker(reachable_redis(redis_url))
    yield broker
    broker.close()
    redis.Redis.from_url(redis_url).delete(QUEUE)


@pytest.fixture
def queued_app(
    tmp_path: Path, database_url: str, redis_url: str, app: Flask, broker: Broker
) -> Iterator[Flask]:
    """The web app with a real broker (not eager) at ``broker``'s port."""
    db_number = redis.connection.parse_url(redis_url).get("db", 0)
    queued = make_app(
        tmp_path,
        database_url,
        CELERY={
            "task_always_eager": False,
            "broker_url": f"redis://127.0.0.1:{broker.port}/{db_number}",
            "broker_transport_options": {"socket_connect_timeout": 2, "socket_timeout": 2},
            "task_default_queue": QUEUE,
        },
    )
    yield queued
    dispose_engines(queued)


def test_unreachable_queue_answers_503_and_leaves_nothing_pending(
    queued_app: Flask, broker: Broker, db: Any, doc: Document, create_user: Any, redis_url: str
) -> None:
    create_user("admin@example.org", "correct horse", is_admin=True)
    client = queued_app.test_client()
    token = csrf_token(client, "/login")
    client.post(
        "/login",
        data={"email": "admin@example.org", "password": "correct horse", "csrf_token": token},
    )
    token = csrf_token(client, "/import")
    response = client.post(
        "/import",
        data={
            "csrf_token": token,
            "format": "auto",
            "document": "",
            "language": "en",
            "file": (io.BytesIO(b"One sentence."), "one.txt"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 503
    assert "The job queue is unreachable" in response.get_data(as_text=True)
    imported = db.session.scalar(sa.select(Job).where(Job.kind == "import"))
    assert imported.state == JobState.FAILED
    assert imported.message == "the job queue is unreachable"
    assert not Path(imported.params["path"]).exists()

    def align() -> Any:
        token = csrf_token(client, f"/documents/{doc.slug}")
        return client.post(
            f"/documents/{doc.slug}/align", data={"csrf_token": token, "pivot": "en"}
        )

    response = align()
    assert response.status_code == 503
    assert "The job queue is unreachable" in response.get_data(as_text=True)
    states = db.session.scalars(sa.select(Job.state).where(Job.kind == "align")).all()
    assert states == [JobState.FAILED]

    broker.open()  # the queue is back: nothing stale blocks the document
    response = align()
    assert response.status_code == 302, response.get_data(as_text=True)
    job_id = response.headers["Location"].rsplit("/", 1)[1]
    assert db.session.get(Job, job_id).state == JobState.PENDING
    assert redis.Redis.from_url(redis_url).llen(QUEUE) == 1
