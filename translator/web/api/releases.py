"""Releases through the API: publish (the release gate), list, one release, and a
file made from a release (the same bytes every time)."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, url_for
from flask_login import current_user

from translator.extensions import db
from translator.models import Release
from translator.services.documents import get_document
from translator.services.release_exports import export_release
from translator.services.releases import (
    get_release,
    list_releases,
    publish_document,
    release_report,
)
from translator.services.rights import Right
from translator.services.users import get_user_names
from translator.web.api import coordination_shapes
from translator.web.api.inputs import PublishBody, ReleaseExportQuery
from translator.web.api.spec import operation
from translator.web.api.views import bp
from translator.web.rights import requires


def _info(release: Release, slug: str, names: dict[int, str]) -> coordination_shapes.ReleaseInfo:
    report: dict[str, Any] = release_report(release, names)
    report["url"] = url_for("api.release", slug=slug, version=release.version)
    report["export_url"] = url_for("api.release_export", slug=slug, version=release.version)
    answer: coordination_shapes.ReleaseInfo = report  # type: ignore[assignment]
    return answer


@bp.post("/documents/<slug>/releases")
@requires(Right.MANAGE_DOCUMENT)
@operation(
    "Publish a release of the chosen editions",
    tag="releases",
    body=PublishBody,
    status=201,
    answer=coordination_shapes.ReleaseInfo,
    errors={
        409: (
            "An edition is not ready (and no override_reason): blockers says why, per edition.",
            coordination_shapes.ReleaseRefused,
        )
    },
)
def publish(slug: str, body: PublishBody) -> Any:
    """Records the next release (version 1, 2, 3 ...): a frozen copy of the editions'
    texts. Refused with 409 and each edition's blockers (with the editor filters that
    list them) unless every edition is ready: every segment reviewed (or confirmed,
    where the document needs no review), none outdated, none waiting for an alignment.
    A non-empty ``override_reason`` publishes anyway and is kept with the release."""
    document = get_document(slug)
    release = publish_document(
        document, list(body.languages), current_user, body.override_reason, note=body.note
    )
    db.session.flush()
    answer = _info(release, slug, {current_user.id: current_user.name})
    db.session.commit()
    return jsonify(answer), 201


@bp.get("/documents/<slug>/releases")
@requires(Right.VIEW_DOCUMENT)
@operation(
    "The document's releases, newest first", tag="releases", answer=coordination_shapes.ReleaseList
)
def releases(slug: str) -> Any:
    """Each release with its date, author, note, override reason and editions."""
    found = list_releases(get_document(slug))
    names = get_user_names({r.created_by for r in found if r.created_by})
    answer: coordination_shapes.ReleaseList = {
        "document": slug,
        "releases": [_info(r, slug, names) for r in found],
    }
    return jsonify(answer)


@bp.get("/documents/<slug>/releases/<int:version>")
@requires(Right.VIEW_DOCUMENT)
@operation("One release", tag="releases", answer=coordination_shapes.ReleaseInfo)
def release(slug: str, version: int) -> Any:
    """The release ``version`` (404 if the document has none by that number)."""
    found = get_release(get_document(slug), version)
    names = get_user_names({found.created_by} if found.created_by else set())
    return jsonify(_info(found, slug, names))


@bp.get("/documents/<slug>/releases/<int:version>/export")
@requires(Right.VIEW_DOCUMENT)
@operation(
    "Download a file made from a release",
    tag="releases",
    query=ReleaseExportQuery,
    media_type="application/octet-stream",
)
def release_export(slug: str, version: int, query: ReleaseExportQuery) -> Any:
    """An edition (``html``, ``epub``, ``docx``, ``pdf``, ``md``, ``txt``) or editions
    side by side (``parallel-*``) as released: made from the release's frozen copy,
    with the release's date inside, so the same request gives the same bytes."""
    found = get_release(get_document(slug), version)
    made = export_release(found, query.format, query.languages.split(","))
    return Response(
        made.content,
        mimetype=made.media_type,
        headers={"Content-Disposition": f'attachment; filename="{made.filename}"'},
    )
