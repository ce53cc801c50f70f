"""Nothing a client sent is ever lost: saves (many of them stale) race merges, splits,
moves, inserts, undos and forced realignments, all through the web API and the document
page; afterwards every text any client sent is found as a revision or a suggestion.

Randomized (the seed is printed; set KEPT_TEXTS_SEED to replay a run); real database,
real threads, one Flask test client per thread (each request its own transaction)."""

from __future__ import annotations

import os
import random
import threading
from collections import Counter
from typing import Any

import sqlalchemy as sa
from flask import Flask

from tests.helpers import Api, csrf_token
from translator.extensions import db as _db
from translator.models import Document, Revision, Suggestion
from translator.services.alignment import align_document
from translator.text.inline import stored_text

SAVERS = 3
SAVES_EACH = 45
STRUCTURE_CHANGES = 30
PASSWORD = "correct horse"

EN = "\n\n".join(
    f"Paragraph {p} opens here. It goes on with a second sentence. And a third one {p}."
    for p in range(1, 9)
)
FR = "\n\n".join(
    f"Le paragraphe {p} commence ici. Il continue par une deuxième phrase. Et une troisième {p}."
    for p in range(1, 9)
)


def _sign_in(app: Flask, email: str) -> Api:
    client = app.test_client()
    token = csrf_token(client, "/login")
    response = client.post(
        "/login", data={"email": email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    return Api(client)


def _rows(api: Api) -> list[dict[str, Any]]:
    response = api.get("/documents/race/units", limit=500)
    assert response.status_code == 200
    rows: list[dict[str, Any]] = response.get_json()["units"]
    return rows


def test_every_text_sent_is_kept_through_racing_structure_changes(
    app: Flask, db: Any, create_user: Any, import_text: Any
) -> None:
    seed = int(os.environ.get("KEPT_TEXTS_SEED", random.randrange(1 << 30)))
    print(f"KEPT_TEXTS_SEED={seed}")
    for n in range(SAVERS + 1):
        create_user(f"user{n}@example.org", PASSWORD, is_admin=True)
    first = import_text(EN, "en", filename="race.md", title="Race")
    import_text(FR, "fr", filename="course.md", document=first.document)
    document = db.session.scalar(sa.select(Document))
    align_document(document, pivot="en")
    db.session.commit()

    sent: list[str] = []
    statuses: Counter[str] = Counter()
    lock = threading.Lock()
    errors: list[BaseException] = []

    def saver(number: int) -> None:
        rng = random.Random(seed + number)
        api = _sign_in(app, f"user{number}@example.org")
        for i in range(SAVES_EACH):
            rows = _rows(api)
            row = rng.choice(rows)
            cell = row["segments"][rng.choice(["en", "fr"])]
            stale = rng.random() < 0.35
            version = cell["version"] - 1 if stale and cell["version"] > 1 else cell["version"]
            text = f"u{number}s{i} {rng.choice(['typed', 'written', 'fixed'])} here."
            with lock:
                sent.append(text)
            response = api.send("PUT", f"/segments/{cell['id']}", {"text": text}, version)
            with lock:
                statuses[f"save {response.status_code}"] += 1
            assert response.status_code in (200, 409), (response.status_code, response.get_json())

    def restructure() -> None:
        rng = random.Random(seed)
        api = _sign_in(app, f"user{SAVERS}@example.org")
        form_token = csrf_token(api.client, "/")
        for _ in range(STRUCTURE_CHANGES):
            rows = _rows(api)
            row = rng.choice(rows[:-1])
            op = rng.choice(["merge", "split", "move", "insert", "undo", "undo", "realign"])
            if op == "merge":
                response = api.send("POST", f"/units/{row['id']}/merge")
            elif op == "insert":
                response = api.send("POST", f"/units/{row['id']}/insert")
            elif op == "move":
                body = {"language": rng.choice(["en", "fr"]), "to": "next"}
                response = api.send("POST", f"/units/{row['id']}/move", body)
            elif op == "split":
                lang = rng.choice(["en", "fr"])
                text = row["segments"][lang]["text"]
                if len(text) < 4:
                    continue
                body = {"language": lang, "offset": rng.randrange(1, len(text) - 1)}
                response = api.send("POST", f"/units/{row['id']}/split", body)
            elif op == "undo":
                response = api.send("POST", "/documents/race/undo")
            else:
                response = api.client.post(
                    "/documents/race/align",
                    data={"csrf_token": form_token, "pivot": "en", "force": "y"},
                )
            with lock:
                statuses[f"{op} {response.status_code}"] += 1
            assert response.status_code < 500, (op, response.get_data(as_text=True)[:500])

    def guarded(target: Any, *args: Any) -> None:
        try:
            target(*args)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=guarded, args=(saver, n)) for n in range(SAVERS)]
    threads.append(threading.Thread(target=guarded, args=(restructure,)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    print(dict(statuses))
    assert not errors, errors
    assert not any(t.is_alive() for t in threads)

    _db.session.expire_all()
    kept = set(_db.session.scalars(sa.select(Revision.text))) | set(
        _db.session.scalars(sa.select(Suggestion.text))
    )
    lost = [text for text in sent if stored_text(text) not in kept]
    assert len(sent) == SAVERS * SAVES_EACH
    assert not lost, f"{len(lost)} of {len(sent)} texts lost (seed {seed}): {lost[:5]}"
    orphans = _db.session.scalar(
        sa.select(sa.func.count(Suggestion.id)).where(Suggestion.segment_id.is_(None))
    )
    assert orphans == 0
    # Structure changes really raced the saves, and some of them went through.
    changes = {key: n for key, n in statuses.items() if not key.startswith("save")}
    assert sum(changes.values()) >= STRUCTURE_CHANGES // 2
    assert sum(n for key, n in changes.items() if key.endswith(" 200") or key.endswith(" 302"))
