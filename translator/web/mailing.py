"""Links sent by e-mail, as the web layer makes them: the full address of a one-time
link (``TRANSLATOR_BASE_URL`` when set, else the host of this request), and the mail
queued after the commit, or the link handed back for the page to show when no e-mail
can be sent."""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for

from translator.i18n import get_locale
from translator.models import LinkPurpose, User
from translator.services.links import IssuedLink, lifetime
from translator.services.mail import invitation_mail, queue_mail, reset_mail


def external_url(endpoint: str, **values: Any) -> str:
    """The address of ``endpoint`` as someone outside reaches it."""
    base = str(current_app.config.get("BASE_URL") or "").rstrip("/")
    if base:
        return base + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def link_url(issued: IssuedLink) -> str:
    """Where the one-time link ``issued`` opens."""
    if issued.link.purpose is LinkPurpose.INVITATION:
        return external_url("auth.invitation", token=issued.token)
    return external_url("auth.reset_password", token=issued.token)


def send_invitation(issued: IssuedLink, *, inviter: User) -> str | None:
    """Queue the invitation e-mail (call after commit). Returns the link when it was
    not sent, for the page to show to the inviter: None means an e-mail is on its way."""
    url = link_url(issued)
    mail = invitation_mail(
        issued.link.user,
        url,
        lifetime(LinkPurpose.INVITATION),
        inviter=inviter,
        fallback_locale=str(get_locale()),
    )
    return None if queue_mail(mail) else url


def send_reset(issued: IssuedLink) -> bool:
    """Queue the password reset e-mail (call after commit); False if none could be."""
    mail = reset_mail(
        issued.link.user,
        link_url(issued),
        lifetime(LinkPurpose.PASSWORD_RESET),
        fallback_locale=str(get_locale()),
    )
    return queue_mail(mail)
