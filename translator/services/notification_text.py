"""What a notification says, in its recipient's interface language: the line the bell
and the notifications page show, and the e-mails (one at once, or the daily digest).

A notification stores data (names, titles, a language code, a due date), never words:
it is worded when shown or sent, in the language of whoever reads it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from flask import current_app

from translator.i18n import _, force_locale, format_date, ngettext
from translator.models import Notification, NotificationKind, User
from translator.services.languages import language_name
from translator.services.mail import Mail, mail_locale


def _date(value: Any) -> str:
    return str(format_date(date.fromisoformat(str(value)), format="medium"))


def notification_text(notification: Notification, locale: str) -> str:
    """The notification as one sentence, in the current (``locale``'s) language."""
    return str(_wording(notification, locale))


def _wording(notification: Notification, locale: str) -> Any:
    data = notification.payload or {}
    title = str(data.get("title", ""))
    actor = str(data.get("actor", "")) or _("Someone")
    language = language_name(str(data.get("language", "")), locale)
    kind = notification.kind
    if kind is NotificationKind.ASSIGNED:
        if data.get("review"):
            text = _(
                "%(name)s asked you to review the %(language)s edition of “%(title)s”.",
                name=actor,
                language=language,
                title=title,
            )
        else:
            text = _(
                "%(name)s asked you to translate the %(language)s edition of “%(title)s”.",
                name=actor,
                language=language,
                title=title,
            )
        if data.get("due"):
            text += " " + _("Due %(date)s.", date=_date(data["due"]))
        return text
    if kind is NotificationKind.DUE_SOON:
        return _(
            "Your work on the %(language)s edition of “%(title)s” is due %(date)s.",
            language=language,
            title=title,
            date=_date(data.get("due")),
        )
    if kind is NotificationKind.OVERDUE:
        return _(
            "Your work on the %(language)s edition of “%(title)s” was due %(date)s.",
            language=language,
            title=title,
            date=_date(data.get("due")),
        )
    if kind is NotificationKind.MENTION:
        return _(
            "%(name)s mentioned you in a comment on “%(title)s”: %(excerpt)s",
            name=actor,
            title=title,
            excerpt=data.get("excerpt", ""),
        )
    if kind is NotificationKind.REPLACED:
        if "rejected" in data:
            return _(
                "%(name)s sent your %(language)s text in “%(title)s” back: %(reason)s",
                name=actor,
                language=language,
                title=title,
                reason=data["rejected"],
            )
        return _(
            "%(name)s replaced your %(language)s text in “%(title)s”.",
            name=actor,
            language=language,
            title=title,
        )
    return _(
        "%(name)s published version %(version)s of “%(title)s”.",
        name=actor,
        version=data.get("version", ""),
        title=title,
    )


def notification_json(
    notification: Notification, user: User, locale: str | None = None
) -> dict[str, Any]:
    """The notification as the API and the live events show it, worded in ``locale``
    (the page's), else in ``user``'s interface language."""
    locale = locale or mail_locale(user, None)
    with force_locale(locale):
        text = notification_text(notification, locale)
    return {
        "id": notification.id,
        "kind": notification.kind.value,
        "text": text,
        "path": (notification.payload or {}).get("path"),
        "document": (notification.payload or {}).get("slug"),
        "created_at": notification.created_at.isoformat(),
        "read": notification.read_at is not None,
    }


def _link(notification: Notification) -> str | None:
    """The full address of what the notification is about, when the service knows its
    own (``TRANSLATOR_BASE_URL``): a worker has no request to take the host from."""
    base = str(current_app.config.get("BASE_URL") or "").rstrip("/")
    path = (notification.payload or {}).get("path")
    return base + str(path) if base and path else None


def _footer() -> str:
    return str(
        _(
            "You can choose what you are told, and how, on your account page of the "
            "translation service."
        )
    )


def notification_mail(notification: Notification, user: User) -> Mail:
    """The e-mail of one notification, in ``user``'s language."""
    locale = mail_locale(user, None)
    with force_locale(locale):
        text = notification_text(notification, locale)
        link = _link(notification)
        body = "\n\n".join([text, *([link] if link else []), "-- \n" + _footer()])
    subject = text if len(text) <= 120 else text[:119] + "…"
    return Mail(to=user.email, subject=subject, body=body + "\n", language=locale)


def digest_mail(user: User, notifications: Sequence[Notification]) -> Mail:
    """The daily digest: every notification of the day, oldest first, in one e-mail."""
    locale = mail_locale(user, None)
    with force_locale(locale):
        subject = ngettext(
            "%(num)d new notification on the translation service",
            "%(num)d new notifications on the translation service",
            len(notifications),
        )
        lines = []
        for notification in notifications:
            line = "- " + notification_text(notification, locale)
            if link := _link(notification):
                line += "\n  " + link
            lines.append(line)
        body = "\n\n".join([_("Since the last digest:"), "\n".join(lines), "-- \n" + _footer()])
    return Mail(to=user.email, subject=str(subject), body=body + "\n", language=locale)
