"""The table of rights: which rights there are, who has each, and what refusing it says.

``services.rights`` answers whether a user has a right on a target, by these rules;
``refusal`` is the text a person reads when they do not.

The roles: administrators (accounts, and everything else); coordinators, global
(``User.is_coordinator``) or of one document (a ``coordinator`` membership); per edition,
translators and reviewers (a membership of that language); readers of one document (a
``reader`` membership). A document is visible only to its members, its coordinators and
administrators. The rules (administrators may do everything):

- ``anyone``: public pages (sign-in, first-run setup, interface language, and the
  pages of one-time links: accepting an invitation, a forgotten password).
- ``signed_in``: any active account (the document list, which shows only the
  documents the person may see, and one's own account page).
- ``view_document``: a member of the document in any role (reader included), a global
  coordinator. Reading includes downloading exports, commenting and proposing a text
  (a suggestion).
- ``edit_edition``: a translator or reviewer of that language of the document.
- ``review_edition`` (rejecting a translation): a reviewer of that language.
- ``edit_any_edition``: a translator or reviewer of at least one language.
- ``restructure_document``: a coordinator of the document, or a translator or reviewer
  of every language (a merge rewrites them all).
- ``manage_document`` (settings, members, new editions, deletion): a coordinator of the
  document (or a global one).
- ``import_documents`` (new documents) and ``manage_trash`` (the instance's trash:
  restoring or purging a deleted document): global coordinators.
- ``view_project`` (a project's page): a member of the project's team, anyone who sees
  one of its documents, a global coordinator.
- ``manage_project_team`` (a project's team and which documents are in it): a
  coordinator of the project (a ``coordinator`` in its team) or a global coordinator.
- ``manage_projects`` (creating a project, its settings, deleting it): global
  coordinators.
- A project's team is inherited by its documents (``services.members``): every rule
  above about a document's members counts the team of its project too.
- ``view_job``: the job's author, or whoever may view its document.
- ``retry_job``: the job's author, with the right its action needs (an alignment:
  ``restructure_document``; an import: ``import_documents``, or ``manage_document``
  for a new edition of a document).
- ``administer`` (accounts: the users page): administrators.
- ``coordinate`` (the progress dashboard): global coordinators and the coordinators of
  at least one document; each sees there the documents they manage
  (``managed_documents``).
- ``view_activity`` (the activity log and its figures): any active account; what it
  shows is ``activity_scope``: everything of the documents the person coordinates
  (every document for global coordinators and administrators), and their own doings in
  the other documents they see.
"""

from __future__ import annotations

import enum

from translator.i18n import _, get_locale
from translator.services.languages import language_name


class Right(enum.StrEnum):
    ANYONE = "anyone"
    SIGNED_IN = "signed_in"
    ADMINISTER = "administer"
    IMPORT_DOCUMENTS = "import_documents"
    MANAGE_TRASH = "manage_trash"
    VIEW_DOCUMENT = "view_document"
    MANAGE_DOCUMENT = "manage_document"
    EDIT_EDITION = "edit_edition"
    REVIEW_EDITION = "review_edition"
    EDIT_ANY_EDITION = "edit_any_edition"
    RESTRUCTURE_DOCUMENT = "restructure_document"
    VIEW_JOB = "view_job"
    RETRY_JOB = "retry_job"
    COORDINATE = "coordinate"
    VIEW_ACTIVITY = "view_activity"
    VIEW_PROJECT = "view_project"
    MANAGE_PROJECT_TEAM = "manage_project_team"
    MANAGE_PROJECTS = "manage_projects"


# Rights about a document need one; EDIT_EDITION also a language; VIEW_JOB a job owner.
DOCUMENT_RIGHTS = frozenset(
    {
        Right.VIEW_DOCUMENT,
        Right.MANAGE_DOCUMENT,
        Right.EDIT_EDITION,
        Right.REVIEW_EDITION,
        Right.EDIT_ANY_EDITION,
        Right.RESTRUCTURE_DOCUMENT,
    }
)


# Rights about a project need one.
PROJECT_RIGHTS = frozenset({Right.VIEW_PROJECT, Right.MANAGE_PROJECT_TEAM})


def refusal(right: Right, language: str | None = None) -> str:
    """Why ``right`` was refused, in the interface's language (English outside a
    request: the command line); ``language`` names the edition of the edition rights."""
    name = language_name(language, str(get_locale() or "en")) if language else ""
    messages = {
        Right.SIGNED_IN: _("Please sign in."),
        Right.VIEW_ACTIVITY: _("Please sign in."),
        Right.ADMINISTER: _("Only an administrator may do this."),
        Right.IMPORT_DOCUMENTS: _("Only a coordinator may import new documents."),
        Right.MANAGE_TRASH: _(
            "Only a coordinator of every document may restore or purge deleted documents."
        ),
        Right.VIEW_DOCUMENT: _(
            "You may not see this document: ask one of its coordinators to add you."
        ),
        Right.MANAGE_DOCUMENT: _(
            "Only a coordinator of this document may change its settings, members and editions."
        ),
        Right.EDIT_EDITION: _(
            "You may not edit the %(language)s edition of this document.", language=name
        ),
        Right.REVIEW_EDITION: _(
            "Only a reviewer of the %(language)s edition may do this.", language=name
        ),
        Right.EDIT_ANY_EDITION: _("You may not edit any edition of this document."),
        Right.RESTRUCTURE_DOCUMENT: _(
            "Changing the alignment is for the document's coordinators and for those who "
            "may edit every edition."
        ),
        Right.VIEW_JOB: _("You may not see this job."),
        Right.RETRY_JOB: _(
            "Only the person who started this job (with the right to do it again) or an "
            "administrator may retry it."
        ),
        Right.COORDINATE: _("Only a coordinator may see the progress dashboard."),
        Right.VIEW_PROJECT: _("You may not see this project."),
        Right.MANAGE_PROJECT_TEAM: _(
            "Only a coordinator of this project may change its team and its documents."
        ),
        Right.MANAGE_PROJECTS: _("Only a coordinator may create, change or delete projects."),
    }
    return str(messages.get(right, _("You may not do this.")))
