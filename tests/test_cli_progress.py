"""`translator progress`: a document's figures from the kept counters, as JSON, and
their rebuild with --recount."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from click.testing import CliRunner
from flask.cli import ScriptInfo

from translator.cli import cli
from translator.models import EditionCount, MemberRole, Segment, SegmentStatus, User
from translator.services.documents import get_document
from translator.services.editing import save_segment
from translator.services.members import set_member

TEXT = "# Title\n\nOne sentence here. Two more sentences.\n\nThe last one.\n"


def _run(app: Any, *args: str) -> Any:
    result = CliRunner().invoke(cli, list(args), obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 0, result.output
    return result


def test_progress_json_follows_the_work_until_ready(
    app: Any, db: Any, tmp_path: Path, create_user: Any
) -> None:
    source = tmp_path / "essay.md"
    source.write_text(TEXT, encoding="utf-8")
    _run(app, "import", str(source), "--lang", "en", "--slug", "essay")
    _run(app, "add-edition", "essay", "--lang", "fr")
    report = json.loads(_run(app, "progress", "essay", "--json").output)
    assert report["document"] == "essay" and report["assignments"] == []
    en, fr = report["editions"]
    assert (en["language"], en["original"], fr["language"]) == ("en", True, "fr")
    assert en["segments"]["translated"] == 4 and en["words"]["translated"] == 10
    assert fr["segments"] == {"empty": 4, "draft": 0, "translated": 0, "reviewed": 0}
    assert (fr["words_left"], fr["original_words"], fr["ready"]) == (10, 10, False)
    assert fr["blockers"] == [{"reason": "empty", "segments": 4}]
    assert [b["reason"] for b in en["blockers"]] == ["translated"]  # not reviewed yet

    reviewer = create_user("rita@example.org", is_admin=True, display_name="Rita")
    document = get_document("essay")
    cells = db.session.scalars(
        sa.select(Segment).where(Segment.edition_id == document.edition("fr").id)
    ).all()
    first, *rest = cells
    translator = create_user("tom@example.org", display_name="Tom")
    set_member(document, translator, "fr", MemberRole.TRANSLATOR)
    save_segment(first, "Titre", base_version=first.version, user=translator, confirm=True)
    db.session.commit()
    fr = json.loads(_run(app, "progress", "essay", "--json").output)["editions"][1]
    assert fr["words_left"] == 9 and not fr["ready"]
    for cell in [first, *rest]:
        db.session.refresh(cell)
        save_segment(
            cell,
            cell.text or "Une phrase.",
            base_version=cell.version,
            user=reviewer,
            status=SegmentStatus.REVIEWED,
        )
    db.session.commit()
    report = json.loads(_run(app, "progress", "essay", "--json").output)
    fr = report["editions"][1]
    assert fr["segments"]["reviewed"] == 4 and fr["words_left"] == 0 and fr["ready"]
    activity = {a["user"]["name"]: a for a in report["activity"] if a["language"] == "fr"}
    assert activity["Tom"]["words_translated"] == 1  # "Titre", confirmed
    assert activity["Tom"]["words_reviewed"] == 0
    assert activity["Rita"]["words_reviewed"] == 1 + 2 * 3  # "Titre", three "Une phrase."
    assert activity["Rita"]["words_translated"] == 0

    # Damaged counters are rebuilt by --recount.
    db.session.execute(sa.update(EditionCount).values(segments=EditionCount.segments + 7))
    db.session.commit()
    broken = json.loads(_run(app, "progress", "essay", "--json").output)["editions"][1]
    assert sum(broken["segments"].values()) != 4
    result = _run(app, "progress", "essay", "--recount")
    assert "rebuilt" in result.output and "fr\t4 segments: 4 reviewed, 0 words left, ready" in (
        result.output
    )


def test_progress_json_lists_the_assignments_with_their_words(
    app: Any, db: Any, tmp_path: Path, create_user: Any
) -> None:
    source = tmp_path / "essay.md"
    source.write_text(TEXT, encoding="utf-8")
    _run(app, "import", str(source), "--lang", "en", "--slug", "essay")
    _run(app, "add-edition", "essay", "--lang", "fr")
    create_user("ana@example.org", display_name="Ana")
    create_user("bo@example.org", display_name="Bo")
    _run(app, "assign", "essay", "--lang", "fr", "--to", "bo@example.org", "--review")
    _run(
        app, "assign", "essay", "--lang", "fr", "--to", "ana@example.org",
        "--units", "2-3", "--due", "2027-01-15",
    )  # fmt: skip
    document = get_document("essay")
    second = db.session.scalars(
        sa.select(Segment)
        .where(Segment.edition_id == document.edition("fr").id)
        .order_by(Segment.id)
        .offset(1)
    ).first()
    ana = db.session.scalar(sa.select(User).where(User.email == "ana@example.org"))
    save_segment(second, "Une phrase ici.", base_version=second.version, user=ana, confirm=True)
    db.session.commit()

    report = json.loads(_run(app, "progress", "essay", "--json").output)
    by_user = {a["user"]: a for a in report["assignments"]}
    assert [a["user"] for a in report["assignments"]] == ["ana@example.org", "bo@example.org"]
    ana_work = by_user["ana@example.org"]
    # Units 2-3: "One sentence here." and "Two more sentences." (the original's words).
    assert (ana_work["language"], ana_work["kind"], ana_work["units"]) == ("fr", "translate", "2-3")
    assert (ana_work["words"], ana_work["words_left"], ana_work["due"]) == (6, 3, "2027-01-15")
    bo_work = by_user["bo@example.org"]
    assert (bo_work["kind"], bo_work["units"], bo_work["words"]) == ("review", "1-4", 10)
    assert bo_work["words_left"] == 10 and bo_work["due"] is None
