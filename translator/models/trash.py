"""What is in the trash is hidden from every query, in one place.

A document or an edition in the trash (``deleted_at`` set) is left out of every ORM
SELECT the application runs (lists, lookups by slug, joins through Edition), unless
the statement asks for it with ``.execution_options(include_deleted=True)``: only the
trash, purging, the layout of rows (which must carry a deleted edition's cells along)
and the slug reservation do. Relationship loads are not filtered here (loading an
object's ``edition`` or ``document`` must not turn it into None); ``Document.editions``
filters itself and ``Document.all_editions`` does not."""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from translator.models.documents import Document
from translator.models.editions import Edition

INCLUDE_DELETED = "include_deleted"


@event.listens_for(Session, "do_orm_execute")
def _hide_deleted(state: ORMExecuteState) -> None:
    if (
        not state.is_select
        or state.is_column_load
        or state.is_relationship_load
        or state.execution_options.get(INCLUDE_DELETED, False)
    ):
        return
    state.statement = state.statement.options(
        with_loader_criteria(
            Document,
            Document.deleted_at.is_(None),
            include_aliases=True,
            propagate_to_loaders=False,
        ),
        with_loader_criteria(
            Edition,
            Edition.deleted_at.is_(None),
            include_aliases=True,
            propagate_to_loaders=False,
        ),
    )
