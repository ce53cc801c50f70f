"""No job stuck forever: real `celery worker` processes (prefork, own process group) are
SIGKILLed, whole group, while they import or align; within the reaper's bound every
job they held is failed with the explanation (or had succeeded), none stays pending or
running, the document can be aligned again (align form, `translator align --wait`),
a redelivery of a killed job changes nothing, and Retry gives exactly one result.

Rounds: TRANSLATOR_TEST_KILL_ROUNDS (default 1 per kind); the figures are printed
(run with -s): kills tried, jobs killed, jobs stuck afterwards."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
import sqlalchemy as sa
from click.testing import CliRunner
from flask import Flask
from flask.cli import ScriptInfo

from tests.conftest import ROOT, SHARED, dispose_engines, make_app, truncate_all
from tests.helpers import csrf_token
from translator.cli import cli
from translator.extensions import db as _db
from translator.models import (
    Document,
    Edition,
    Job,
    JobState,
    Segment,
    StructureChange,
    Unit,
)
from translator.services.documents import get_document
from translator.services.imports import prepare_import, store_import
from translator.services.jobs import WORKER_LOST_MESSAGE, create_job, enqueue_job
from translator.services.users import create_user

pytestmark = [pytest.mark.worker, pytest.mark.slow]

CORPUS = SHARED / "corpus" / "pd-essays-paragraph-aligned"
WORKS = ("discours_de_la_methode", "manifesto", "the_canterville_ghost")
QUEUE = "reliability"  # the session's `worker` fixture does not consume it
HEARTBEAT_TIMEOUT = 4.0
ROUNDS = int(os.environ.get("TRANSLATOR_TEST_KILL_ROUNDS", "1"))
SPARE_ROUNDS = 4  # more, while no job was caught running (they all ended before the kill)
FIGURES: dict[str, float] = {"kills": 0, "held": 0, "failed": 0, "stuck": 0, "slowest": 0}


def essay(work: str, language: str) -> str:
    """One work of the corpus as plain text: a paragraph per line, tags out."""
    raw = (CORPUS / f"{work}_{language}.txt").read_text(encoding="utf-8-sig")
    lines = (re.sub(r"<[^>]+>", " ", line).strip() for line in raw.splitlines()[2:])
    return "\n\n".join(line for line in lines if line) + "\n"


@pytest.fixture(scope="module")
def kill_app(
    tmp_path_factory: pytest.TempPathFactory, database_url: str, redis_url: str, app: Flask
) -> Iterator[Flask]:
    if not database_url.startswith("postgresql"):
        pytest.skip("worker tests need PostgreSQL")
    queued = make_app(
        tmp_path_factory.mktemp("reliability"),
        database_url,
        JOB_HEARTBEAT_TIMEOUT=HEARTBEAT_TIMEOUT,
        CELERY={"task_always_eager": False, "broker_url": redis_url, "task_default_queue": QUEUE},
    )
    yield queued
    dispose_engines(queued)
    with redis.Redis.from_url(redis_url) as broker:
        for queue in (QUEUE, f"{QUEUE}-survivor"):
            broker.delete(queue, f"_kombu.binding.{queue}")
    print(
        "\nworker kills tried: {kills:.0f}, jobs they held: {held:.0f} (failed with the"
        " explanation: {failed:.0f}, the others had succeeded), jobs stuck afterwards:"
        " {stuck:.0f}; slowest to end after its kill: {slowest:.1f} s".format(**FIGURES)
    )


class Worker:
    """A prefork `celery worker` in its own process group, killed whole with SIGKILL."""

    def __init__(
        self, app: Flask, database_url: str, redis_url: str, concurrency: int, queue: str
    ) -> None:
        self.log = Path(app.instance_path) / f"worker-{time.monotonic_ns()}.log"
        env = {
            **os.environ,
            "TRANSLATOR_DATABASE_URL": database_url,
            "TRANSLATOR_BROKER_URL": redis_url,
            "TRANSLATOR_INSTANCE_PATH": app.instance_path,
            "TRANSLATOR_UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"],
            "TRANSLATOR_SECRET_KEY": "test",
            "TRANSLATOR_JOB_HEARTBEAT_INTERVAL": "0.5",
            "TRANSLATOR_JOB_HEARTBEAT_TIMEOUT": str(HEARTBEAT_TIMEOUT),
        }
        argv = [sys.executable, "-m", "celery", "-A", "workers.celery_app", "worker"]
        argv += [f"--concurrency={concurrency}", "-Q", queue, "--without-gossip"]
        argv += ["--without-mingle", "--without-heartbeat", "--loglevel=INFO"]
        with self.log.open("w") as out:
            self.proc = subprocess.Popen(
                argv, cwd=ROOT, env=env, stdout=out, stderr=out, start_new_session=True
            )
        deadline = time.monotonic() + 90
        while "ready." not in self.log.read_text():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                pytest.fail("celery worker did not start:\n" + self.log.read_text())
            time.sleep(0.1)

    def kill(self) -> None:
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        FIGURES["kills"] += 1

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def start_worker(
    kill_app: Flask, database_url: str, redis_url: str
) -> Iterator[Callable[[int], Worker]]:
    """Workers for one test; afterwards they are stopped and the tables emptied. (No
    ``db`` fixture here: with its app context open, `translator align` would run in
    that eager app instead of ``kill_app``.)"""
    workers: list[Worker] = []

    def start(concurrency: int = 3, queue: str = QUEUE) -> Worker:
        workers.append(Worker(kill_app, database_url, redis_url, concurrency, queue))
        return workers[-1]

    yield start
    for worker in workers:
        worker.stop()
    with kill_app.app_context():
        truncate_all(_db.engine)


@pytest.fixture
def web(kill_app: Flask, start_worker: Any) -> Any:
    """An administrator's browser on the app that enqueues to the real broker."""
    with kill_app.app_context():
        create_user("admin@example.org", "correct horse", is_admin=True)
        _db.session.commit()
    client = kill_app.test_client()
    token = csrf_token(client, "/login")
    client.post(
        "/login",
        data={"email": "admin@example.org", "password": "correct horse", "csrf_token": token},
    )
    return client


def states(app: Flask, job_ids: list[str]) -> dict[str, Job]:
    with app.app_context():
        jobs = _db.session.scalars(sa.select(Job).where(Job.id.in_(job_ids))).all()
        for job in jobs:
            _db.session.expunge(job)
    return {job.id: job for job in jobs}


def wait_until(check: Callable[[], bool], timeout: float, what: str) -> float:
    started = time.monotonic()
    while not check():
        if time.monotonic() - started > timeout:
            pytest.fail(f"{what}: not after {timeout} s")
        time.sleep(0.1)
    return time.monotonic() - started


def kill_while_running(
    app: Flask,
    worker: Worker,
    job_ids: list[str],
    busy: Callable[[Job], bool],
    reaper: Callable[[list[str]], bool],
) -> dict[str, Job]:
    """Kill ``worker`` once every job is busy (or already done: a fast host finishes a
    small alignment before another one is seen busy); ``reaper`` (the job page, which
    reaps as it reads, or a new worker's housekeeping thread) must show each one done
    within the reaper's bound: failed with the explanation, or succeeded if it finished
    just before."""
    seen: list[str] = []

    def ready() -> bool:
        jobs = states(app, job_ids).values()
        seen[:] = [f"{j.state.value} {j.progress}%" for j in jobs]
        return all(busy(j) or j.done for j in jobs)

    try:
        wait_until(ready, 120, "jobs running")
    except pytest.fail.Exception:
        pytest.fail(f"jobs running: not after 120 s (last seen: {', '.join(seen)})")
    worker.kill()
    FIGURES["held"] += len(job_ids)
    try:
        took = wait_until(lambda: reaper(job_ids), HEARTBEAT_TIMEOUT + 3, "killed jobs ended")
        FIGURES["slowest"] = max(FIGURES["slowest"], took)
    finally:
        jobs = states(app, job_ids)
        FIGURES["stuck"] += sum(not j.done for j in jobs.values())
        FIGURES["failed"] += sum(j.state == JobState.FAILED for j in jobs.values())
    for job in jobs.values():
        assert job.state == JobState.SUCCEEDED or job.message == WORKER_LOST_MESSAGE, job.message
    return jobs


def job_page(web: Any) -> Callable[[list[str]], bool]:
    return lambda job_ids: all(web.get(f"/jobs/{j}.json").get_json()["done"] for j in job_ids)


def wait_done(app: Flask, job_ids: list[str], timeout: float = 180) -> dict[str, Job]:
    wait_until(lambda: all(j.done for j in states(app, job_ids).values()), timeout, "jobs done")
    return states(app, job_ids)


def retry(web: Any, job_id: str) -> str:
    token = csrf_token(web, f"/jobs/{job_id}")
    response = web.post(f"/jobs/{job_id}/retry", data={"csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)
    return str(response.headers["Location"]).rsplit("/", 1)[1]


# --- alignment --------------------------------------------------------------------


def bilingual_documents(app: Flask) -> dict[str, int]:
    """One document per work, English and French, paired by position: slug -> units."""
    units = {}
    with app.app_context():
        for work in WORKS:
            en = prepare_import(essay(work, "en").encode(), f"{work}.en.txt", "en", "text")
            summary = store_import(en, title=work.replace("_", " "))
            fr = prepare_import(essay(work, "fr").encode(), f"{work}.fr.txt", "fr", "text")
            store_import(fr, document=get_document(summary.document))
            _db.session.commit()
            units[summary.document] = summary.segments
    return units


def words(app: Flask, slug: str) -> dict[str, list[str]]:
    """Each edition's text, word by word in unit order: what no job may lose or double."""
    with app.app_context():
        document = get_document(slug)
        return {
            edition.language: " ".join(
                _db.session.scalars(
                    sa.select(Segment.text)
                    .join(Unit, Unit.id == Segment.unit_id)
                    .where(Segment.edition_id == edition.id)
                    .order_by(Unit.order_key)
                )
            ).split()
            for edition in document.editions
        }


def one_layout(app: Flask, slug: str, text: dict[str, list[str]], alignments: int) -> None:
    """One edition per language, each with all its words once and in order, one cell
    per edition per unit, and one alignment recorded per successful job."""
    assert words(app, slug) == text
    with app.app_context():
        document = get_document(slug)
        cells = _db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Segment)
            .join(Unit, Unit.id == Segment.unit_id)
            .where(Unit.document_id == document.id)
        )
        units = _db.session.scalar(
            sa.select(sa.func.count()).select_from(Unit).where(Unit.document_id == document.id)
        )
        assert cells == 2 * units
        recorded = _db.session.scalar(
            sa.select(sa.func.count())
            .select_from(StructureChange)
            .where(StructureChange.document_id == document.id, StructureChange.kind == "alignment")
        )
        assert recorded == alignments


def test_killed_alignments_fail_and_the_documents_align_again(
    kill_app: Flask, start_worker: Any, web: Any, redis_url: str
) -> None:
    slugs = list(bilingual_documents(kill_app))
    text = {slug: words(kill_app, slug) for slug in slugs}
    succeeded = dict.fromkeys(slugs, 0)
    failed: dict[str, str] = {}
    for round_ in range(ROUNDS + SPARE_ROUNDS):
        if round_ >= ROUNDS and failed:
            break
        worker = start_worker(3)
        with kill_app.app_context():
            jobs = [
                create_job("align", {"pivot": "en"}, document_id=get_document(s).id) for s in slugs
            ]
            _db.session.commit()
            job_ids = [j.id for j in jobs]
            for job in jobs:
                enqueue_job(job)
        ended = kill_while_running(
            kill_app,
            worker,
            job_ids,
            lambda j: j.state == JobState.RUNNING and j.progress > 5,
            job_page(web),
        )
        for slug, job_id in zip(slugs, job_ids, strict=True):
            if ended[job_id].state == JobState.SUCCEEDED:
                succeeded[slug] += 1
            else:
                failed[slug] = job_id
            one_layout(kill_app, slug, text[slug], succeeded[slug])  # a kill changed nothing
    assert failed, "no alignment was killed while running"

    start_worker(2)
    with kill_app.app_context():  # the killed messages delivered again: ignored
        for job_id in failed.values():
            enqueue_job(_db.session.get(Job, job_id))
    # The align form accepts a new alignment, `translator align --wait` too, and Retry
    # reruns a killed job: each document ends with exactly one layout.
    first, second, *others = slugs
    token = csrf_token(web, f"/documents/{first}")
    response = web.post(
        f"/documents/{first}/align", data={"csrf_token": token, "pivot": "en", "force": "y"}
    )
    assert response.status_code == 302
    new_jobs = [str(response.headers["Location"]).rsplit("/", 1)[1]]
    result = CliRunner().invoke(
        cli,
        ["align", second, "--pivot", "en", "--force", "--wait", "--json"],
        obj=ScriptInfo(create_app=lambda: kill_app),
    )
    assert result.exit_code == 0, result.output
    new_jobs += [retry(web, failed[slug]) for slug in others if slug in failed]
    ended = wait_done(kill_app, new_jobs)
    assert all(j.state == JobState.SUCCEEDED for j in ended.values()), ended
    killed = states(kill_app, list(failed.values()))
    assert all(job.state == JobState.FAILED for job in killed.values())
    for slug in slugs:
        with kill_app.app_context():
            count = _db.session.scalar(
                sa.select(sa.func.count())
                .select_from(Job)
                .where(Job.document_id == get_document(slug).id, Job.state == JobState.SUCCEEDED)
            )
        one_layout(kill_app, slug, text[slug], count)


# --- import -----------------------------------------------------------------------


def test_killed_imports_fail_and_their_retries_import_once(
    kill_app: Flask, start_worker: Any, web: Any
) -> None:
    data = "\n\n".join(essay(work, "en") for work in WORKS).encode() * 2
    folder = Path(kill_app.config["UPLOAD_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    killed: list[str] = []
    imported: list[str] = []
    # Another worker, on a queue of its own, survives the kills: its housekeeping thread
    # is what fails the killed worker's jobs here (nothing reads the job page).
    start_worker(1, f"{QUEUE}-survivor")
    for round_ in range(ROUNDS + SPARE_ROUNDS):
        if round_ >= ROUNDS and killed:
            break
        worker = start_worker(3)
        job_ids = []
        with kill_app.app_context():
            for n in range(3):
                upload = folder / f"import-{round_}-{n}.txt"
                upload.write_bytes(data)
                title = f"Import {round_}-{n}"
                params = {"path": str(upload), "filename": upload.name, "language": "en"}
                job = create_job("import", {**params, "title": title})
                _db.session.commit()
                job_ids.append(job.id)
                enqueue_job(job)
        ended = kill_while_running(
            kill_app,
            worker,
            job_ids,
            lambda j: j.state == JobState.RUNNING,
            lambda ids: all(j.done for j in states(kill_app, ids).values()),  # no lazy reaping
        )
        for job_id, job in ended.items():
            (imported if job.state == JobState.SUCCEEDED else killed).append(job_id)
            if job.state == JobState.FAILED:
                assert Path(job.params["path"]).exists()  # kept for Retry
        with kill_app.app_context():  # nothing of a killed import was committed
            titles = _db.session.scalars(sa.select(Document.title)).all()
        assert sorted(titles) == sorted(ended[j].params["title"] for j in imported)
    assert killed, "no import was killed while running"

    start_worker(2)
    with kill_app.app_context():
        for job_id in killed:  # redelivered: ignored
            enqueue_job(_db.session.get(Job, job_id))
    retries = wait_done(kill_app, [retry(web, job_id) for job_id in killed])
    assert all(j.state == JobState.SUCCEEDED for j in retries.values())
    with kill_app.app_context():
        titles = _db.session.scalars(sa.select(Document.title)).all()
        editions = _db.session.scalar(sa.select(sa.func.count()).select_from(Edition))
    assert len(titles) == len(set(titles)) == len(killed) + len(imported) == editions
    assert all(not Path(j.params["path"]).exists() for j in retries.values())
