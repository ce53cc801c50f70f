"""`translator publish` and `translator releases`: the gate's exit status and reasons,
an override, JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from click.testing import CliRunner
from flask.cli import ScriptInfo

from translator.cli import cli
from translator.models import Segment, SegmentStatus
from translator.services.documents import get_document
from translator.services.editing import save_segment

TEXT = "# Title\n\nOne sentence here. Two more sentences.\n\nThe last one.\n"


def _invoke(app: Any, *args: str) -> Any:
    return CliRunner().invoke(cli, list(args), obj=ScriptInfo(create_app=lambda: app))


def _review(db: Any, language: str, user: Any) -> None:
    document = get_document("essay")
    for cell in db.session.scalars(
        sa.select(Segment).where(Segment.edition_id == document.edition(language).id)
    ):
        save_segment(
            cell,
            cell.text or "Une phrase.",
            base_version=cell.version,
            user=user,
            status=SegmentStatus.REVIEWED,
        )
    db.session.commit()


def test_publish_exits_non_zero_with_the_reasons_until_ready(
    app: Any, db: Any, tmp_path: Path, create_user: Any
) -> None:
    source = tmp_path / "essay.md"
    source.write_text(TEXT, encoding="utf-8")
    assert _invoke(app, "import", str(source), "--lang", "en", "--slug", "essay").exit_code == 0
    assert _invoke(app, "add-edition", "essay", "--lang", "fr").exit_code == 0

    refused = _invoke(app, "publish", "essay", "--langs", "en,fr", "--json")
    assert refused.exit_code == 3, refused.output
    answer = json.loads(refused.output)
    assert answer["published"] is False
    reasons = {e["language"]: [b["reason"] for b in e["blockers"]] for e in answer["editions"]}
    assert reasons == {"en": ["translated"], "fr": ["empty"]}
    fr = next(e for e in answer["editions"] if e["language"] == "fr")
    assert fr["blockers"][0]["filters"] == {"status": "empty", "status_language": "fr"}

    plain = _invoke(app, "publish", "essay", "--langs", "en,fr")
    assert plain.exit_code == 3 and "fr: 4 empty" in plain.output
    assert _invoke(app, "publish", "essay", "--langs", "de").exit_code == 1

    rita = create_user("rita@example.org", is_admin=True)
    _review(db, "en", rita)
    _review(db, "fr", rita)
    done = _invoke(
        app, "publish", "essay", "--langs", "en,fr", "--by", "rita@example.org", "--json"
    )
    assert done.exit_code == 0, done.output
    release = json.loads(done.output)["release"]
    assert (release["version"], release["override_reason"]) == (1, None)
    assert [e["language"] for e in release["editions"]] == ["en", "fr"]
    assert release["created_by"] == rita.name


def test_publish_with_an_override_and_list_releases(app: Any, db: Any, tmp_path: Path) -> None:
    source = tmp_path / "essay.md"
    source.write_text(TEXT, encoding="utf-8")
    _invoke(app, "import", str(source), "--lang", "en", "--slug", "essay")
    done = _invoke(app, "publish", "essay", "--langs", "en", "--override", "Launch day", "--json")
    assert done.exit_code == 0, done.output
    release = json.loads(done.output)["release"]
    assert release["override_reason"] == "Launch day"
    assert release["editions"][0]["overridden_blockers"][0]["reason"] == "translated"
    listed = json.loads(_invoke(app, "releases", "essay", "--json").output)
    assert [r["version"] for r in listed["releases"]] == [1]
    assert _invoke(app, "releases", "essay").output.startswith("1\t")
