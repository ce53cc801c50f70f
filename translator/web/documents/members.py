"""Who has which role in a document (its coordinators manage it): the shared members
page (``web.membership``) over the document."""

from __future__ import annotations

from typing import Any

from translator.i18n import _l
from translator.services.documents import get_document
from translator.services.member_scopes import DocumentScope
from translator.services.rights import Right, Target
from translator.web.documents.forms import MemberForm
from translator.web.documents.views import bp
from translator.web.membership import (
    MembersPage,
    MembersTexts,
    members_view,
    remove_view,
    suggest_view,
)
from translator.web.rights import requires

TEXTS = MembersTexts(
    title=_l("Members"),
    heading=_l("Who does what"),
    hint=_l(
        "Only members see this document. Translators and reviewers edit their edition; a "
        "reviewer's confirmations mark segments as reviewed. Coordinators manage the "
        "document; readers read it, comment and download its exports. Administrators and "
        "global coordinators see every document."
    ),
    column=_l("Edition"),
    whole=_l("The whole document"),
    empty=_l("Nobody is a member yet."),
    legend=_l("Add a member"),
    back=_l("Back to the document"),
)


def _page(slug: str) -> MembersPage:
    document = get_document(slug)
    return MembersPage(
        scope=DocumentScope(document),
        name=document.title,
        url_args={"slug": document.slug},
        endpoint="documents.members",
        suggest_endpoint="documents.suggest_members",
        remove_endpoint="documents.remove",
        back_endpoint="documents.show",
        manage_right=Right.MANAGE_DOCUMENT,
        target=Target(document_id=document.id),
        form_class=MemberForm,
        texts=TEXTS,
    )


@bp.route("/documents/<slug>/members", methods=["GET", "POST"])
@requires(Right.MANAGE_DOCUMENT, read=Right.VIEW_DOCUMENT)
def members(slug: str) -> Any:
    """The document's members; whoever manages the document adds, invites and removes
    them."""
    return members_view(_page(slug))


@bp.route("/documents/<slug>/members/suggest", methods=["GET"])
@requires(Right.MANAGE_DOCUMENT)
def suggest_members(slug: str) -> Any:
    """Up to 10 active users whose name or e-mail contains ``q`` (JSON)."""
    return suggest_view()


@bp.route("/documents/<slug>/members/<int:member_id>/remove", methods=["POST"])
@requires(Right.MANAGE_DOCUMENT)
def remove(slug: str, member_id: int) -> Any:
    """Take one membership away."""
    return remove_view(_page(slug), member_id)
