"""Every route of the URL map × every role: who may use it, and refused writes change
nothing.

The routes are listed from the app's URL map, so a route added without an expectation
here fails ``test_every_route_has_an_expectation``. Each expectation says which roles
may use the route and how to call it; the right a route declares is checked to be the
one expected, then real requests are made as each role (with a valid CSRF token, so a
refusal can only come from the rights).

Roles on the document "essay" (editions en and fr): ``anonymous``; ``outsider`` (signed
in, no membership: the document is not visible to them); ``reader`` (reader of the
document); ``translator`` (translator of fr only); ``translator_en`` (translator of en
only: the other language); ``reviewer`` (reviewer of en and fr: every edition);
``doc_coordinator`` (coordinator of this document); ``coordinator`` (a global
coordinator); ``admin``. The document is in the project "series" (languages en, fr,
pt), whose team is ``doc_coordinator`` as its coordinator (the same role it has in the
document: the project adds no right to the roles above on the document).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask, current_app, request_started
from werkzeug.security import generate_password_hash

from tests.conftest import _fresh_g, truncate_all
from tests.helpers import csrf_token
from translator.extensions import db as _db
from translator.models import (
    AssignmentKind,
    ExportArtifact,
    Job,
    JobState,
    LinkPurpose,
    MemberRole,
    Segment,
    Unit,
    User,
)
from translator.services.assignments import assign
from translator.services.comments import add_comment
from translator.services.documents import get_document
from translator.services.imports import prepare_import, store_import
from translator.services.jobs import create_job
from translator.services.links import issue_link
from translator.services.members import set_member
from translator.services.projects import create_project, set_document_project, set_project_member
from translator.services.releases import publish_document
from translator.services.rights import Right
from translator.services.structure import merge_units
from translator.services.suggestions import propose_text
from translator.services.tokens import create_token
from translator.services.trash import delete_document, delete_edition
from translator.web.rights import declared_right

ROLES = (
    "anonymous",
    "outsider",
    "reader",
    "translator",
    "translator_en",
    "reviewer",
    "doc_coordinator",
    "coordinator",
    "admin",
)
SIGNED_IN = ROLES[1:]
PASSWORD = "correct horse"
_HASH: dict[str, str] = {}

EN = "# An essay\n\nThe first sentence. The second one.\n\nA third sentence here. And a fourth.\n"
FR = (
    "# Un essai\n\nLa première phrase. La deuxième.\n\n"
    "Une troisième phrase ici. Et une quatrième.\n"
)


@dataclass
class World:
    slug: str = "an-essay"
    units: list[int] = field(default_factory=list)
    fr: list[int] = field(default_factory=list)  # fr segment ids, by unit
    en: list[int] = field(default_factory=list)
    suggestion: int = 0
    comment: int = 0
    member: int = 0
    job: str = ""
    token: int = 0  # an API token of the outsider's
    artifact: str = ""  # an exported file of the document
    users: dict[str, int] = field(default_factory=dict)
    invitation: str = ""  # the token of an invitation link (for invitee@example.org)
    reset: str = ""  # the token of a password reset link of the outsider's
    assignment: int = 0  # the translator's assignment of the French edition
    release: int = 0  # the version of a release of the document (published with an override)
    project: str = "series"  # the document's project
    project_member: int = 0  # doc_coordinator's role in its team


def _user(email: str, *, admin: bool = False, coordinator: bool = False) -> User:
    if "hash" not in _HASH:  # cheap scrypt parameters: the matrix signs in hundreds of times
        _HASH["hash"] = generate_password_hash(PASSWORD, method="scrypt:1024:8:1")
    user = User(
        email=email, display_name=email.split("@")[0], is_admin=admin, is_coordinator=coordinator
    )
    user.password_hash = _HASH["hash"]
    _db.session.add(user)
    _db.session.flush()
    return user


def build_world() -> World:
    """The document, its members, a merge to undo, a suggestion, a comment and a job."""
    world = World()
    admin = _user("admin@example.org", admin=True)
    users = {role: _user(f"{role}@example.org") for role in ROLES[1:-2]}
    users["coordinator"] = _user("coordinator@example.org", coordinator=True)
    world.users = {role: user.id for role, user in users.items()} | {"admin": admin.id}
    outsider, reader, translator, reviewer = (
        users[role] for role in ("outsider", "reader", "translator", "reviewer")
    )
    store_import(prepare_import(EN.encode(), "essay.md", "en"), title="An essay")
    document = get_document(world.slug)
    store_import(prepare_import(FR.encode(), "essai.md", "fr"), document=document)
    _db.session.flush()
    world.member = set_member(document, translator, "fr", MemberRole.TRANSLATOR).id
    set_member(document, reviewer, "fr", MemberRole.REVIEWER)
    set_member(document, reviewer, "en", MemberRole.REVIEWER)
    set_member(document, users["translator_en"], "en", MemberRole.TRANSLATOR)
    set_member(document, reader, "", MemberRole.READER)
    set_member(document, users["doc_coordinator"], "", MemberRole.COORDINATOR)
    units = list(
        _db.session.scalars(
            sa.select(Unit.id).where(Unit.document_id == document.id).order_by(Unit.order_key)
        )
    )
    merge_units(document, units[-2], author_id=admin.id)  # something to undo
    world.units = list(
        _db.session.scalars(
            sa.select(Unit.id).where(Unit.document_id == document.id).order_by(Unit.order_key)
        )
    )
    fr, en = (document.edition(code) for code in ("fr", "en"))
    assert fr is not None and en is not None
    for edition, ids in ((fr, world.fr), (en, world.en)):
        for unit_id in world.units:
            ids.append(
                _db.session.scalar(
                    sa.select(Segment.id).where(
                        Segment.unit_id == unit_id, Segment.edition_id == edition.id
                    )
                )
            )
    segment = _db.session.get(Segment, world.fr[1])
    world.suggestion = propose_text(segment, "Une autre phrase.", user=reader).id
    unit = _db.session.get(Unit, world.units[1])
    world.comment = add_comment(unit, "Is this right?", user=reader).id
    job = create_job("align", {}, document_id=document.id, user_id=admin.id)
    job.state, job.result = JobState.SUCCEEDED, {"document_id": document.id}
    world.job = job.id
    world.token = create_token(outsider, "a script", "read")[0].id
    _trash(admin.id)
    world.artifact = _artifact(document.id, admin.id)
    invitee = _user("invitee@example.org")  # invited, never signed in (a cheap hash)
    world.users["invitee"] = invitee.id
    world.invitation = issue_link(invitee, LinkPurpose.INVITATION, created_by=admin).token
    world.reset = issue_link(outsider, LinkPurpose.PASSWORD_RESET).token
    world.assignment = assign(document, "fr", translator, AssignmentKind.TRANSLATE).id
    world.release = publish_document(document, ["en", "fr"], admin, "the matrix").version
    project = create_project(
        world.project, "Series", original_language="en", languages=["fr", "pt"]
    )
    set_document_project(document, project)
    world.project_member = set_project_member(
        project, users["doc_coordinator"], "", MemberRole.COORDINATOR
    ).id
    _db.session.commit()
    return world


def _trash(admin_id: int) -> None:
    """A document in the trash ("gone") and an edition in the trash ("drafts", de)."""
    store_import(prepare_import(b"An old text.", "old.txt", "en"), title="Gone")
    delete_document(get_document("gone"), user_id=admin_id)
    store_import(prepare_import(b"A draft.", "draft.txt", "en"), title="Drafts")
    drafts = get_document("drafts")
    store_import(prepare_import(b"Ein Entwurf.", "entwurf.txt", "de"), document=drafts)
    delete_edition(drafts, "de", user_id=admin_id)


def _artifact(document_id: int, user_id: int) -> str:
    """An exported file of the document, on disk and in its row."""
    content = b"An essay.\n"
    folder = Path(current_app.config["EXPORT_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "matrix.en.txt").write_bytes(content)
    artifact = ExportArtifact(
        document_id=document_id,
        format="txt",
        languages=["en"],
        options={},
        fingerprint="0" * 64,
        filename="essay.en.txt",
        stored_name="matrix.en.txt",
        media_type="text/plain",
        size=len(content),
        checksum=hashlib.sha256(content).hexdigest(),
        created_by=user_id,
    )
    _db.session.add(artifact)
    _db.session.flush()
    return artifact.id


def fingerprint() -> str:
    """A hash of every row of every table: equal before and after means nothing changed."""
    digest = hashlib.sha256()
    with _db.engine.connect() as conn:
        for table in _db.metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            for row in conn.execute(sa.select(table).order_by(*order)):
                digest.update(json.dumps([str(v) for v in row], ensure_ascii=False).encode())
            digest.update(table.name.encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class Call:
    """How to call a route: ``form`` posts a form (with the CSRF token), ``body`` sends
    JSON (with the X-CSRFToken header and ``version`` as If-Match)."""

    url: Callable[[World], str]
    form: Callable[[World], dict[str, Any]] | None = None
    body: Callable[[World], Any] | None = None
    version: bool = False


@dataclass(frozen=True)
class Expect:
    right: Right
    allowed: tuple[str, ...]
    call: Call
    # Variants: the same route on another target, with its own allowed roles.
    variants: tuple[tuple[Call, tuple[str, ...]], ...] = ()


ADMIN = ("admin",)
VIEWERS = tuple(role for role in SIGNED_IN if role != "outsider")  # members, coordinators
MANAGERS = ("doc_coordinator", "coordinator", "admin")
IMPORTERS = ("coordinator", "admin")
RESTRUCTURE = ("reviewer", "doc_coordinator", "coordinator", "admin")
EDITORS = ("translator", "translator_en", "reviewer", "admin")  # of any edition
FR_EDITORS = ("translator", "reviewer", "admin")
EN_EDITORS = ("translator_en", "reviewer", "admin")


def _u(i: int) -> Callable[[World], str]:
    return lambda w: f"/documents/{w.slug}/units/{w.units[i]}"


def _api(path: str) -> Callable[[World], str]:
    return lambda w: "/api/v1" + path.format(w=w)


EXPECTATIONS: dict[tuple[str, str], Expect] = {
    ("static", "GET"): Expect(Right.ANYONE, ROLES, Call(lambda w: "/static/css/app.css")),
    ("auth.login", "GET"): Expect(Right.ANYONE, ROLES, Call(lambda w: "/login")),
    ("auth.login", "POST"): Expect(
        Right.ANYONE,
        ROLES,
        Call(lambda w: "/login", form=lambda w: {"email": "x@example.org", "password": "nope"}),
    ),
    ("auth.setup", "GET"): Expect(Right.ANYONE, ROLES, Call(lambda w: "/setup")),
    ("auth.setup", "POST"): Expect(
        Right.ANYONE,
        ROLES,
        Call(
            lambda w: "/setup",
            form=lambda w: {"email": "evil@example.org", "password": "x" * 12, "confirm": "x" * 12},
        ),
    ),
    ("auth.logout", "POST"): Expect(
        Right.SIGNED_IN, SIGNED_IN, Call(lambda w: "/logout", form=lambda w: {})
    ),
    ("auth.set_language", "POST"): Expect(
        Right.ANYONE, ROLES, Call(lambda w: "/language", form=lambda w: {"locale": "fr"})
    ),
    ("auth.invitation", "GET"): Expect(
        Right.ANYONE, ROLES, Call(lambda w: f"/invitation/{w.invitation}")
    ),
    ("auth.invitation", "POST"): Expect(
        Right.ANYONE,
        ROLES,
        Call(
            lambda w: f"/invitation/{w.invitation}",
            form=lambda w: {"display_name": "I", "password": "x" * 12, "confirm": "x" * 12},
        ),
    ),
    ("auth.forgot_password", "GET"): Expect(
        Right.ANYONE, ROLES, Call(lambda w: "/password/forgot")
    ),
    ("auth.forgot_password", "POST"): Expect(
        Right.ANYONE,
        ROLES,
        Call(lambda w: "/password/forgot", form=lambda w: {"email": "outsider@example.org"}),
    ),
    ("auth.reset_password", "GET"): Expect(
        Right.ANYONE, ROLES, Call(lambda w: f"/password/reset/{w.reset}")
    ),
    ("auth.reset_password", "POST"): Expect(
        Right.ANYONE,
        ROLES,
        Call(
            lambda w: f"/password/reset/{w.reset}",
            form=lambda w: {"password": "x" * 12, "confirm": "x" * 12},
        ),
    ),
    ("admin.users", "GET"): Expect(Right.ADMINISTER, ADMIN, Call(lambda w: "/admin/users")),
    ("admin.invite", "POST"): Expect(
        Right.ADMINISTER,
        ADMIN,
        Call(
            lambda w: "/admin/users/invite",
            form=lambda w: {"email": "new@example.org", "role": "member", "locale": ""},
        ),
    ),
    ("admin.resend", "POST"): Expect(
        Right.ADMINISTER,
        ADMIN,
        Call(lambda w: f"/admin/users/{w.users['invitee']}/resend", form=lambda w: {}),
    ),
    ("admin.reset_link", "POST"): Expect(
        Right.ADMINISTER,
        ADMIN,
        Call(lambda w: f"/admin/users/{w.users['translator']}/reset-link", form=lambda w: {}),
    ),
    ("admin.change_role", "POST"): Expect(
        Right.ADMINISTER,
        ADMIN,
        Call(
            lambda w: f"/admin/users/{w.users['translator']}/role",
            form=lambda w: {"role": "administrator"},
        ),
    ),
    ("admin.deactivate", "POST"): Expect(
        Right.ADMINISTER,
        ADMIN,
        Call(lambda w: f"/admin/users/{w.users['translator']}/deactivate", form=lambda w: {}),
    ),
    ("admin.reactivate", "POST"): Expect(
        Right.ADMINISTER,
        ADMIN,
        Call(lambda w: f"/admin/users/{w.users['translator']}/reactivate", form=lambda w: {}),
    ),
    ("documents.index", "GET"): Expect(Right.SIGNED_IN, SIGNED_IN, Call(lambda w: "/")),
    ("account.show", "GET"): Expect(Right.SIGNED_IN, SIGNED_IN, Call(lambda w: "/account")),
    ("account.password", "POST"): Expect(
        Right.SIGNED_IN,
        SIGNED_IN,
        Call(
            lambda w: "/account/password",
            form=lambda w: {"current": PASSWORD, "password": "x" * 12, "confirm": "x" * 12},
        ),
    ),
    ("account.end_others", "POST"): Expect(
        Right.SIGNED_IN,
        SIGNED_IN,
        Call(lambda w: "/account/sessions/end-others", form=lambda w: {}),
    ),
    ("account.new_token", "POST"): Expect(
        Right.SIGNED_IN,
        SIGNED_IN,
        Call(
            lambda w: "/account/tokens",
            form=lambda w: {"name": "a script", "scope": "write", "expires": "30"},
        ),
    ),
    ("account.revoke", "POST"): Expect(
        Right.SIGNED_IN,
        SIGNED_IN,  # each signed-in person may revoke their own tokens (others' are a 404)
        Call(lambda w: f"/account/tokens/{w.token}/revoke", form=lambda w: {}),
    ),
    ("documents.import_text", "GET"): Expect(
        Right.IMPORT_DOCUMENTS, IMPORTERS, Call(lambda w: "/import")
    ),
    ("documents.import_text", "POST"): Expect(
        Right.IMPORT_DOCUMENTS,
        IMPORTERS,
        Call(
            lambda w: "/import",
            form=lambda w: {"text": "A new text.", "language": "en", "format": "auto"},
        ),
        variants=(
            (
                Call(
                    lambda w: "/import",
                    form=lambda w: {
                        "text": "Um texto.",
                        "language": "pt",
                        "format": "auto",
                        "document": w.slug,
                    },
                ),
                IMPORTERS,
            ),
        ),
    ),
    ("documents.add_edition", "GET"): Expect(
        Right.MANAGE_DOCUMENT, MANAGERS, Call(lambda w: f"/documents/{w.slug}/add-edition")
    ),
    ("documents.add_edition", "POST"): Expect(
        Right.MANAGE_DOCUMENT,
        MANAGERS,
        Call(
            lambda w: f"/documents/{w.slug}/add-edition",
            form=lambda w: {"text": "Um texto.", "language": "pt", "format": "auto"},
        ),
    ),
    ("documents.show", "GET"): Expect(
        Right.VIEW_DOCUMENT, VIEWERS, Call(lambda w: f"/documents/{w.slug}")
    ),
    ("documents.settings", "GET"): Expect(
        Right.MANAGE_DOCUMENT, MANAGERS, Call(lambda w: f"/documents/{w.slug}/settings")
    ),
    ("documents.settings", "POST"): Expect(
        Right.MANAGE_DOCUMENT,
        MANAGERS,
        Call(
            lambda w: f"/documents/{w.slug}/settings",
            form=lambda w: {"document-title": "Hijacked", "edition-en-title": "Hijacked"},
        ),
    ),
    ("documents.members", "GET"): Expect(
        Right.VIEW_DOCUMENT, VIEWERS, Call(lambda w: f"/documents/{w.slug}/members")
    ),
    ("documents.members", "POST"): Expect(
        Right.MANAGE_DOCUMENT,
        MANAGERS,
        Call(
            lambda w: f"/documents/{w.slug}/members",
            form=lambda w: {"email": "outsider@example.org", "language": "en", "role": "reviewer"},
        ),
    ),
    ("documents.export", "GET"): Expect(
        Right.VIEW_DOCUMENT, VIEWERS, Call(lambda w: f"/documents/{w.slug}/export")
    ),
    ("documents.export", "POST"): Expect(
        Right.VIEW_DOCUMENT,
        VIEWERS,
        Call(
            lambda w: f"/documents/{w.slug}/export",
            form=lambda w: {"format": "txt", "languages": "fr"},
        ),
    ),
    ("documents.releases", "GET"): Expect(
        Right.VIEW_DOCUMENT, VIEWERS, Call(lambda w: f"/documents/{w.slug}/releases")
    ),
    ("documents.releases", "POST"): Expect(
        Right.MANAGE_DOCUMENT,
        MANAGERS,
        Call(
            lambda w: f"/documents/{w.slug}/releases",
            form=lambda w: {"languages": ["en", "fr"], "override_reason": "the matrix"},
        ),
    ),
    ("documents.release_download", "GET"): Expect(
        Right.VIEW_DOCUMENT,
        VIEWERS,
        Call(lambda w: f"/documents/{w.slug}/releases/{w.release}/export?format=md&languages=fr"),
    ),
    ("documents.download", "GET"): Expect(
        Right.VIEW_DOCUMENT,
        VIEWERS,
        Call(lambda w: f"/documents/{w.slug}/exports/{w.artifact}"),
    ),
    ("documents.delete_export", "POST"): Expect(
        Right.MANAGE_DOCUMENT,
        MANAGERS,
        Call(lambda w: f"/documents/{w.slug}/exports/{w.artifact}/delete", form=lambda w: {}),
    ),
    ("documents.delete", "POST"): Expect(
        Right.MANAGE_DOCUMENT,
        MANAGERS,
        Call(lambda w: f"/documents/{w.slug}/delete", form=lambda w: {}),
    ),
    ("documents.delete_edition_view", "POST"): Expect(
        Right.MANAGE_DOCUMENT,
        MANAGERS,
        Call(lambda w: f"/documents/{w.slug}/editions/fr/delete", form=lambda w: {}),
    ),
    ("documents.restore_edition_view", "POST"): Expect(
        Right.MANAGE_DOCUMENT,
        IMPORTERS,  # global coordinators: "drafts" has no coordinator of its own
        Call(lambda w: "/documents/drafts/editions/de/restore", form=lambda w: {}),
    ),
    ("documents.purge_edition_view", "POST"): Expect(
        Right.MANAGE_DOCUMENT,
        IMPORTERS,  # global coordinators: "drafts" has no coordinator of its own
        Call(lambda w: "/documents/drafts/editions/de/purge", form=lambda w: {"confirm": "y"}),
    ),
    ("documents.trash", "GET"): Expect(Right.MANAGE_TRASH, IMPORTERS, Call(lambda w: "/trash")),
    ("documents.restore", "POST"): Expect(
        Right.MANAGE_TRASH,
        IMPORTERS,
        Call(lambda w: "/trash/documents/gone/restore", form=lambda w: {}),
    ),
    ("documents.purge", "POST"): Expect(
        Right.MANAGE_TRASH,
        IMPORTERS,
        Call(lambda w: "/trash/documents/gone/purge", form=lambda w: {"confirm": "y"}),
    ),
    ("api.delete_document_api", "DELETE"): Expect(
        Right.MANAGE_DOCUMENT,
        MANAGERS,
        Call(_api("/documents/{w.slug}"), body=lambda w: {}),
    ),
    ("api.delete_edition_api", "DELETE"): Expect(
        Right.MANAGE_DOCUMENT,
        MANAGERS,
        Call(_api("/documents/{w.slug}/editions/fr"), body=lambda w: {}),
    ),
    ("documents.new_translation", "GET"): Expect(
        Right.MANAGE_DOCUMENT, MANAGERS, Call(lambda w: f"/documents/{w.slug}/translate")
    ),
    ("documents.new_translation", "POST"): Expect(
        Right.MANAGE_DOCUMENT,
        MANAGERS,
        Call(lambda w: f"/documents/{w.slug}/translate", form=lambda w: {"language": "pt"}),
    ),
    ("documents.translations", "GET"): Expect(
        Right.EDIT_ANY_EDITION, EDITORS, Call(lambda w: f"/documents/{w.slug}/translations")
    ),
    ("documents.translations", "POST"): Expect(
        Right.EDIT_ANY_EDITION,
        EDITORS,
        Call(lambda w: f"/documents/{w.slug}/translations", form=lambda w: {}),
    ),
    ("assignments.document_assignments", "GET"): Expect(
        Right.VIEW_DOCUMENT, VIEWERS, Call(lambda w: f"/documents/{w.slug}/assignments")
    ),
    ("assignments.document_assignments", "POST"): Expect(
        Right.MANAGE_DOCUMENT,
        MANAGERS,
        Call(
            lambda w: f"/documents/{w.slug}/assignments",
            form=lambda w: {
                "action": "assign",
                "assign-language": "fr",
                "assign-kind": "review",
                "assign-to": "outsider@example.org",
            },
        ),
    ),
    ("assignments.change", "POST"): Expect(
        Right.MANAGE_DOCUMENT,
        MANAGERS,
        Call(
            lambda w: f"/documents/{w.slug}/assignments/{w.assignment}",
            form=lambda w: {"action": "close"},
        ),
    ),
    ("assignments.my_work", "GET"): Expect(Right.SIGNED_IN, SIGNED_IN, Call(lambda w: "/my-work")),
    ("api.assignments", "GET"): Expect(
        Right.VIEW_DOCUMENT, VIEWERS, Call(_api("/documents/{w.slug}/assignments?state=all"))
    ),
    ("api.create_assignment", "POST"): Expect(
        Right.MANAGE_DOCUMENT,
        MANAGERS,
        Call(
            _api("/documents/{w.slug}/assignments"),
            body=lambda w: {"language": "fr", "to": "outsider@example.org", "units": "1-2"},
        ),
    ),
    ("api.split_assignments", "POST"): Expect(
        Right.MANAGE_DOCUMENT,
        MANAGERS,
        Call(
            _api("/documents/{w.slug}/assignments/split"),
            body=lambda w: {"language": "fr", "among": ["translator@example.org"]},
        ),
    ),
    ("api.change_assignment", "PATCH"): Expect(
        Right.MANAGE_DOCUMENT,
        MANAGERS,
        Call(
            _api("/documents/{w.slug}/assignments/{w.assignment}"),
            body=lambda w: {"due": "2027-01-15", "to": "reviewer@example.org"},
        ),
    ),
    ("api.close", "POST"): Expect(
        Right.MANAGE_DOCUMENT,
        MANAGERS,
        Call(_api("/documents/{w.slug}/assignments/{w.assignment}/close"), body=lambda w: {}),
    ),
    ("api.my_work", "GET"): Expect(Right.SIGNED_IN, SIGNED_IN, Call(_api("/my-work"))),
    ("dashboard.index", "GET"): Expect(Right.COORDINATE, MANAGERS, Call(lambda w: "/dashboard")),
    ("dashboard.events", "GET"): Expect(
        Right.COORDINATE, MANAGERS, Call(lambda w: "/dashboard/events")
    ),
    ("dashboard.edition", "GET"): Expect(
        Right.MANAGE_DOCUMENT, MANAGERS, Call(lambda w: f"/dashboard/{w.slug}/fr")
    ),
    ("api.dashboard", "GET"): Expect(Right.COORDINATE, MANAGERS, Call(_api("/dashboard"))),
    # Everyone has their own activity; what each role sees: test_activity_each_role_sees.
    ("activity.index", "GET"): Expect(Right.VIEW_ACTIVITY, SIGNED_IN, Call(lambda w: "/activity")),
    ("activity.figures", "GET"): Expect(
        Right.VIEW_ACTIVITY,
        SIGNED_IN,
        Call(lambda w: "/activity/figures.csv?from=2026-01-01&to=2100-01-01"),
    ),
    ("api.activity", "GET"): Expect(Right.VIEW_ACTIVITY, SIGNED_IN, Call(_api("/activity"))),
    # Notifications: each person's own (another's id is a 404, tests/web/test_notifications.py).
    ("notifications.index", "GET"): Expect(
        Right.SIGNED_IN, SIGNED_IN, Call(lambda w: "/notifications")
    ),
    ("notifications.read", "POST"): Expect(
        Right.SIGNED_IN, SIGNED_IN, Call(lambda w: "/notifications/read", form=lambda w: {})
    ),
    ("notifications.settings", "POST"): Expect(
        Right.SIGNED_IN,
        SIGNED_IN,
        Call(
            lambda w: "/account/notifications",
            form=lambda w: {"channel-mention": "digest", "digest_hour": "9"},
        ),
    ),
    ("api.notifications", "GET"): Expect(Right.SIGNED_IN, SIGNED_IN, Call(_api("/notifications"))),
    ("api.read_notifications", "POST"): Expect(
        Right.SIGNED_IN, SIGNED_IN, Call(_api("/notifications/read"), body=lambda w: {"ids": None})
    ),
    ("api.notification_events", "GET"): Expect(
        Right.SIGNED_IN, SIGNED_IN, Call(_api("/notifications/events"))
    ),
    # --- projects (the document is in "series"; doc_coordinator coordinates its team) ---
    ("projects.index", "GET"): Expect(Right.SIGNED_IN, SIGNED_IN, Call(lambda w: "/projects/")),
    ("projects.new", "GET"): Expect(
        Right.MANAGE_PROJECTS, IMPORTERS, Call(lambda w: "/projects/new")
    ),
    ("projects.new", "POST"): Expect(
        Right.MANAGE_PROJECTS,
        IMPORTERS,
        Call(
            lambda w: "/projects/new",
            form=lambda w: {"slug": "another", "name": "Another", "languages": "fr"},
        ),
    ),
    ("projects.show", "GET"): Expect(
        Right.VIEW_PROJECT, VIEWERS, Call(lambda w: f"/projects/{w.project}")
    ),
    ("projects.edit", "GET"): Expect(
        Right.MANAGE_PROJECTS, IMPORTERS, Call(lambda w: f"/projects/{w.project}/edit")
    ),
    ("projects.edit", "POST"): Expect(
        Right.MANAGE_PROJECTS,
        IMPORTERS,
        Call(
            lambda w: f"/projects/{w.project}/edit",
            form=lambda w: {"slug": w.project, "name": "Hijacked", "languages": "de"},
        ),
    ),
    ("projects.delete", "POST"): Expect(
        Right.MANAGE_PROJECTS,
        IMPORTERS,
        Call(lambda w: f"/projects/{w.project}/delete", form=lambda w: {}),
    ),
    ("projects.team", "GET"): Expect(
        Right.VIEW_PROJECT, VIEWERS, Call(lambda w: f"/projects/{w.project}/team")
    ),
    ("projects.team", "POST"): Expect(
        Right.MANAGE_PROJECT_TEAM,
        MANAGERS,
        Call(
            lambda w: f"/projects/{w.project}/team",
            form=lambda w: {"email": "outsider@example.org", "language": "fr", "role": "reviewer"},
        ),
    ),
    ("projects.suggest", "GET"): Expect(
        Right.MANAGE_PROJECT_TEAM,
        MANAGERS,
        Call(lambda w: f"/projects/{w.project}/team/suggest?q=tr"),
    ),
    ("projects.remove", "POST"): Expect(
        Right.MANAGE_PROJECT_TEAM,
        MANAGERS,
        Call(lambda w: f"/projects/{w.project}/team/{w.project_member}/remove", form=lambda w: {}),
    ),
    ("api.projects", "GET"): Expect(Right.SIGNED_IN, SIGNED_IN, Call(_api("/projects"))),
    ("api.create_project_api", "POST"): Expect(
        Right.MANAGE_PROJECTS,
        IMPORTERS,
        Call(_api("/projects"), body=lambda w: {"slug": "another", "name": "Another"}),
    ),
    ("api.project", "GET"): Expect(
        Right.VIEW_PROJECT, VIEWERS, Call(_api("/projects/{w.project}"))
    ),
    ("api.update_project_api", "PATCH"): Expect(
        Right.MANAGE_PROJECTS,
        IMPORTERS,
        Call(
            _api("/projects/{w.project}"), body=lambda w: {"name": "Hijacked", "languages": ["de"]}
        ),
    ),
    # Allowed roles get a 409 (the project holds the document), the others a 403.
    ("api.delete_project_api", "DELETE"): Expect(
        Right.MANAGE_PROJECTS, IMPORTERS, Call(_api("/projects/{w.project}"))
    ),
    ("api.project_team", "GET"): Expect(
        Right.VIEW_PROJECT, VIEWERS, Call(_api("/projects/{w.project}/team"))
    ),
    ("api.set_team_member", "POST"): Expect(
        Right.MANAGE_PROJECT_TEAM,
        MANAGERS,
        Call(
            _api("/projects/{w.project}/team"),
            body=lambda w: {"person": "outsider@example.org", "language": "fr", "role": "reviewer"},
        ),
    ),
    ("api.remove_team_member", "DELETE"): Expect(
        Right.MANAGE_PROJECT_TEAM,
        MANAGERS,
        Call(_api("/projects/{w.project}/team/{w.project_member}")),
    ),
    ("documents.start_project_translations", "POST"): Expect(
        Right.MANAGE_DOCUMENT,
        MANAGERS,
        Call(lambda w: f"/documents/{w.slug}/start-translations", form=lambda w: {}),
    ),
    ("documents.suggest_members", "GET"): Expect(
        Right.MANAGE_DOCUMENT, MANAGERS, Call(lambda w: f"/documents/{w.slug}/members/suggest?q=tr")
    ),
    ("documents.remove", "POST"): Expect(
        Right.MANAGE_DOCUMENT,
        MANAGERS,
        Call(lambda w: f"/documents/{w.slug}/members/{w.member}/remove", form=lambda w: {}),
    ),
    ("documents.align", "POST"): Expect(
        Right.RESTRUCTURE_DOCUMENT,
        RESTRUCTURE,
        Call(
            lambda w: f"/documents/{w.slug}/align",
            form=lambda w: {"pivot": "en", "force": "y"},
        ),
    ),
    ("documents.merge", "POST"): Expect(
        Right.RESTRUCTURE_DOCUMENT,
        RESTRUCTURE,
        Call(lambda w: _u(0)(w) + "/merge", form=lambda w: {}),
    ),
    ("documents.insert", "POST"): Expect(
        Right.RESTRUCTURE_DOCUMENT,
        RESTRUCTURE,
        Call(lambda w: _u(0)(w) + "/insert", form=lambda w: {}),
    ),
    ("documents.move", "POST"): Expect(
        Right.RESTRUCTURE_DOCUMENT,
        RESTRUCTURE,
        Call(lambda w: _u(1)(w) + "/move", form=lambda w: {"language": "fr", "to": "next"}),
    ),
    ("documents.split", "GET"): Expect(
        Right.RESTRUCTURE_DOCUMENT, RESTRUCTURE, Call(lambda w: _u(2)(w) + "/split")
    ),
    ("documents.split", "POST"): Expect(
        Right.RESTRUCTURE_DOCUMENT,
        RESTRUCTURE,
        Call(
            lambda w: _u(2)(w) + "/split",
            form=lambda w: {"language": "fr", "fr-boundary": "offset", "fr-offset": "5"},
        ),
    ),
    ("documents.undo", "POST"): Expect(
        Right.RESTRUCTURE_DOCUMENT,
        RESTRUCTURE,
        Call(lambda w: f"/documents/{w.slug}/undo", form=lambda w: {}),
    ),
    ("editor.edit", "GET"): Expect(
        Right.VIEW_DOCUMENT, VIEWERS, Call(lambda w: f"/documents/{w.slug}/edit")
    ),
    ("jobs.show", "GET"): Expect(Right.VIEW_JOB, VIEWERS, Call(lambda w: f"/jobs/{w.job}")),
    ("jobs.retry", "POST"): Expect(
        Right.RETRY_JOB, ADMIN, Call(lambda w: f"/jobs/{w.job}/retry", form=lambda w: {})
    ),
    ("jobs.status", "GET"): Expect(Right.VIEW_JOB, VIEWERS, Call(lambda w: f"/jobs/{w.job}.json")),
    ("replace.page", "GET"): Expect(
        Right.EDIT_ANY_EDITION, EDITORS, Call(lambda w: f"/documents/{w.slug}/replace")
    ),
    ("replace.page", "POST"): Expect(
        Right.EDIT_ANY_EDITION,
        FR_EDITORS,  # the route needs an edition; the form's language, that one
        Call(
            lambda w: f"/documents/{w.slug}/replace",
            form=lambda w: {
                "action": "apply",
                "language": "fr",
                "find": "phrase",
                "replace": "PHRASE",
                f"segment-{w.fr[0]}": "1",
            },
        ),
        variants=(
            (
                Call(
                    lambda w: f"/documents/{w.slug}/replace",
                    form=lambda w: {
                        "action": "apply",
                        "language": "en",
                        "find": "sentence",
                        "replace": "SENTENCE",
                        f"segment-{w.en[0]}": "1",
                    },
                ),
                EN_EDITORS,
            ),
        ),
    ),
    # --- the JSON API ---
    ("api.openapi", "GET"): Expect(Right.ANYONE, ROLES, Call(_api("/openapi.json"))),
    ("api.document", "GET"): Expect(
        Right.VIEW_DOCUMENT, VIEWERS, Call(_api("/documents/{w.slug}"))
    ),
    ("api.columns", "PUT"): Expect(
        Right.VIEW_DOCUMENT,
        VIEWERS,
        Call(_api("/documents/{w.slug}/columns"), body=lambda w: {"columns": ["fr", "en"]}),
    ),
    ("api.progress", "GET"): Expect(
        Right.VIEW_DOCUMENT, VIEWERS, Call(_api("/documents/{w.slug}/progress"))
    ),
    ("api.publish", "POST"): Expect(
        Right.MANAGE_DOCUMENT,
        MANAGERS,
        Call(
            _api("/documents/{w.slug}/releases"),
            body=lambda w: {"languages": ["en"], "override_reason": "the matrix"},
        ),
    ),
    ("api.releases", "GET"): Expect(
        Right.VIEW_DOCUMENT, VIEWERS, Call(_api("/documents/{w.slug}/releases"))
    ),
    ("api.release", "GET"): Expect(
        Right.VIEW_DOCUMENT, VIEWERS, Call(_api("/documents/{w.slug}/releases/{w.release}"))
    ),
    ("api.release_export", "GET"): Expect(
        Right.VIEW_DOCUMENT,
        VIEWERS,
        Call(_api("/documents/{w.slug}/releases/{w.release}/export?format=md&languages=en")),
    ),
    ("api.units", "GET"): Expect(
        Right.VIEW_DOCUMENT, VIEWERS, Call(_api("/documents/{w.slug}/units"))
    ),
    ("api.next_unit", "GET"): Expect(
        Right.VIEW_DOCUMENT, VIEWERS, Call(_api("/documents/{w.slug}/units/next?language=fr"))
    ),
    ("api.presence", "PUT"): Expect(
        Right.VIEW_DOCUMENT,
        VIEWERS,
        Call(_api("/documents/{w.slug}/presence"), body=lambda w: {"segment": None}),
    ),
    ("api.who", "GET"): Expect(
        Right.VIEW_DOCUMENT, VIEWERS, Call(_api("/documents/{w.slug}/presence"))
    ),
    ("api.events", "GET"): Expect(
        Right.VIEW_DOCUMENT, VIEWERS, Call(_api("/documents/{w.slug}/events"))
    ),
    ("api.segment", "GET"): Expect(
        Right.VIEW_DOCUMENT, VIEWERS, Call(lambda w: f"/api/v1/segments/{w.fr[0]}")
    ),
    ("api.history", "GET"): Expect(
        Right.VIEW_DOCUMENT, VIEWERS, Call(lambda w: f"/api/v1/segments/{w.fr[0]}/history")
    ),
    ("api.save", "PUT"): Expect(
        Right.EDIT_EDITION,
        FR_EDITORS,
        Call(
            lambda w: f"/api/v1/segments/{w.fr[0]}",
            body=lambda w: {"text": "Un essai modifié"},
            version=True,
        ),
        variants=(
            (
                Call(
                    lambda w: f"/api/v1/segments/{w.en[0]}",
                    body=lambda w: {"text": "An essay, changed"},
                    version=True,
                ),
                EN_EDITORS,
            ),
        ),
    ),
    ("api.revert", "POST"): Expect(
        Right.EDIT_EDITION,
        FR_EDITORS,
        Call(
            lambda w: f"/api/v1/segments/{w.fr[0]}/revert",
            body=lambda w: {"revision": 1},
            version=True,
        ),
    ),
    ("api.suggestions", "GET"): Expect(
        Right.VIEW_DOCUMENT, VIEWERS, Call(lambda w: f"/api/v1/segments/{w.fr[1]}/suggestions")
    ),
    ("api.start_export", "POST"): Expect(
        Right.VIEW_DOCUMENT,
        VIEWERS,
        Call(
            _api("/documents/{w.slug}/exports"),
            body=lambda w: {"format": "txt", "languages": ["fr"]},
        ),
    ),
    ("api.job", "GET"): Expect(Right.VIEW_JOB, VIEWERS, Call(_api("/jobs/{w.job}"))),
    ("api.new_edition", "POST"): Expect(
        Right.MANAGE_DOCUMENT,
        MANAGERS,
        Call(_api("/documents/{w.slug}/editions"), body=lambda w: {"language": "pt"}),
    ),
    ("api.exports", "GET"): Expect(
        Right.VIEW_DOCUMENT, VIEWERS, Call(_api("/documents/{w.slug}/exports"))
    ),
    ("api.export_file", "GET"): Expect(
        Right.VIEW_DOCUMENT,
        VIEWERS,
        Call(_api("/documents/{w.slug}/exports/{w.artifact}")),
    ),
    ("api.propose", "POST"): Expect(
        Right.VIEW_DOCUMENT,
        VIEWERS,
        Call(
            lambda w: f"/api/v1/segments/{w.fr[1]}/suggestions",
            body=lambda w: {"text": "Une proposition."},
        ),
    ),
    ("api.accept", "POST"): Expect(
        Right.EDIT_EDITION,
        FR_EDITORS,
        Call(
            lambda w: f"/api/v1/suggestions/{w.suggestion}/accept", body=lambda w: {}, version=True
        ),
    ),
    ("api.reject", "POST"): Expect(
        Right.EDIT_EDITION,
        FR_EDITORS,
        Call(lambda w: f"/api/v1/suggestions/{w.suggestion}/reject", body=lambda w: {}),
    ),
    ("api.reject_translation", "POST"): Expect(
        Right.REVIEW_EDITION,
        ("reviewer", "admin"),
        Call(
            lambda w: f"/api/v1/segments/{w.fr[1]}/reject",
            body=lambda w: {"reason": "Not what the English says."},
            version=True,
        ),
    ),
    ("api.comments", "GET"): Expect(
        Right.VIEW_DOCUMENT, VIEWERS, Call(lambda w: f"/api/v1/units/{w.units[1]}/comments")
    ),
    ("api.comment", "POST"): Expect(
        Right.VIEW_DOCUMENT,
        VIEWERS,
        Call(lambda w: f"/api/v1/units/{w.units[1]}/comments", body=lambda w: {"body": "Hm."}),
    ),
    ("api.resolve", "POST"): Expect(
        Right.VIEW_DOCUMENT,
        VIEWERS,
        Call(lambda w: f"/api/v1/comments/{w.comment}/resolve", body=lambda w: {}),
    ),
    ("api.merge", "POST"): Expect(
        Right.RESTRUCTURE_DOCUMENT,
        RESTRUCTURE,
        Call(lambda w: f"/api/v1/units/{w.units[0]}/merge", body=lambda w: {}),
    ),
    ("api.insert", "POST"): Expect(
        Right.RESTRUCTURE_DOCUMENT,
        RESTRUCTURE,
        Call(lambda w: f"/api/v1/units/{w.units[0]}/insert", body=lambda w: {}),
    ),
    ("api.split", "POST"): Expect(
        Right.RESTRUCTURE_DOCUMENT,
        RESTRUCTURE,
        Call(
            lambda w: f"/api/v1/units/{w.units[2]}/split",
            body=lambda w: {"language": "fr", "offset": 5},
        ),
    ),
    ("api.move", "POST"): Expect(
        Right.RESTRUCTURE_DOCUMENT,
        RESTRUCTURE,
        Call(
            lambda w: f"/api/v1/units/{w.units[1]}/move",
            body=lambda w: {"language": "fr", "to": "next"},
        ),
    ),
    ("api.undo", "POST"): Expect(
        Right.RESTRUCTURE_DOCUMENT,
        RESTRUCTURE,
        Call(_api("/documents/{w.slug}/undo"), body=lambda w: {}),
    ),
}


def _routes(app: Flask) -> list[tuple[str, str]]:
    return sorted(
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods or ()
        if method not in ("HEAD", "OPTIONS")
    )


def test_every_route_has_an_expectation(app: Flask) -> None:
    routes = _routes(app)
    missing = [route for route in routes if route not in EXPECTATIONS]
    assert not missing, f"routes without an expectation in the rights matrix: {missing}"
    stale = sorted(set(EXPECTATIONS) - set(routes))
    assert not stale, f"expectations for routes that do not exist: {stale}"


def test_every_route_declares_the_expected_right(app: Flask) -> None:
    for (endpoint, method), expect in EXPECTATIONS.items():
        assert declared_right(app, endpoint, method) == expect.right, (endpoint, method)


class Browser:
    """One role's session: signed in through the real login form."""

    def __init__(self, app: Flask, role: str) -> None:
        self.client = app.test_client()
        self.role = role
        if role != "anonymous":
            token = csrf_token(self.client, "/login")
            response = self.client.post(
                "/login",
                data={"email": f"{role}@example.org", "password": PASSWORD, "csrf_token": token},
            )
            assert response.status_code == 302, role
        self.token = csrf_token(self.client, "/login" if role == "anonymous" else "/")

    def call(self, method: str, call: Call, world: World) -> Any:
        url = call.url(world)
        if call.form is not None:
            data = {"csrf_token": self.token, **call.form(world)}
            return self.client.open(url, method=method, data=data)
        headers = {"X-CSRFToken": self.token}
        if call.version:
            headers["If-Match"] = '"1"'
        if method in ("GET", "HEAD"):
            return self.client.open(url, method=method, headers=headers, buffered=False)
        body = call.body(world) if call.body is not None else {}
        return self.client.open(url, method=method, json=body, headers=headers)


def _refused(role: str, response: Any) -> bool:
    if role == "anonymous":
        if response.status_code == 401:
            return True
        location = response.headers.get("Location", "")
        return response.status_code == 302 and location.startswith("/login?next=")
    return response.status_code == 403


def _check(app: Flask, endpoint: str, method: str, call: Call, allowed: tuple[str, ...]) -> None:
    world = build_world()
    for role in ROLES:
        browser = Browser(app, role)
        before = fingerprint() if method != "GET" else ""
        response = browser.call(method, call, world)
        status = response.status_code
        response.close()
        where = f"{method} {endpoint} as {role}: {status}"
        assert status < 500, where
        if role in allowed:
            assert not _refused(role, response), where
            if method != "GET":  # the write may have changed the world: start again
                _db.session.remove()
                truncate_all(_db.engine)
                world = build_world()
        else:
            assert _refused(role, response), where
            if method != "GET":
                assert fingerprint() == before, f"{where}: a refused write changed the data"


@pytest.fixture
def matrix(app: Flask, db: Any) -> Any:
    """The ``db`` fixture's app context, with a fresh ``g`` per request (per-request
    caches such as the CSRF token must not leak between the roles' sessions)."""
    with request_started.connected_to(_fresh_g, app):
        yield db


@pytest.mark.parametrize(
    ("endpoint", "method"), sorted(EXPECTATIONS), ids=lambda v: str(v).replace(".", "-")
)
def test_route_rights(app: Flask, matrix: Any, endpoint: str, method: str) -> None:
    expect = EXPECTATIONS[(endpoint, method)]
    _check(app, endpoint, method, expect.call, expect.allowed)
    for call, allowed in expect.variants:
        _db.session.remove()
        truncate_all(_db.engine)
        _check(app, endpoint, method, call, allowed)


def test_setup_cannot_create_a_second_administrator(app: Flask, matrix: Any) -> None:
    build_world()
    users = _db.session.scalar(sa.select(sa.func.count(User.id)))
    browser = Browser(app, "anonymous")
    call = EXPECTATIONS[("auth.setup", "POST")].call
    browser.call("POST", call, World())
    assert _db.session.scalar(sa.select(sa.func.count(User.id))) == users


def test_a_job_without_document_is_seen_by_its_author_and_administrators(
    app: Flask, matrix: Any
) -> None:
    world = build_world()
    job = create_job("import", {}, user_id=world.users["translator"])
    job.state = JobState.FAILED
    _db.session.commit()
    for role in SIGNED_IN:
        status = Browser(app, role).client.get(f"/jobs/{job.id}.json").status_code
        assert status == (200 if role in ("translator", "admin") else 403), role
    assert _db.session.get(Job, job.id) is not None


def test_activity_each_role_sees(app: Flask, matrix: Any) -> None:
    """Coordinators of the document (and global ones, administrators) see all of its
    activity; anyone else only their own doings (the reader's suggestion is not a line,
    their comment is); an outsider nothing."""
    world = build_world()
    names = {user_id: role for role, user_id in world.users.items()}
    everything = None
    for role in SIGNED_IN:
        answer = Browser(app, role).client.get("/api/v1/activity?limit=500").get_json()
        people = {names.get((item["person"] or {}).get("id"), "") for item in answer["items"]}
        assert {item["document"] for item in answer["items"]} <= {world.slug}, role
        if role in MANAGERS:
            everything = everything or answer["items"]
            assert answer["items"] == everything, role
            assert {"admin", "reader"} <= people, role  # the merge, the comment
        elif role == "reader":
            assert people == {"reader"} and answer["items"], role
        else:
            assert answer["items"] == [], role
