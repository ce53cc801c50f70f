"""The signed-in person's notifications (list, mark read, mark all read) and their
notification settings (a section of the account page, saved here)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from translator.errors import InputError
from translator.extensions import db
from translator.i18n import _, get_locale
from translator.services.notification_text import notification_json
from translator.services.notifications import (
    get_settings,
    list_notifications,
    mark_read,
    save_settings,
    unread_count,
)
from translator.services.rights import Right
from translator.web.rights import requires

bp = Blueprint("notifications", __name__)
PAGE = 100


@bp.route("/notifications", methods=["GET"])
@requires(Right.SIGNED_IN)
def index() -> Any:
    found = list_notifications(current_user.id, limit=PAGE)
    return render_template(
        "notifications/index.html",
        items=[(n, notification_json(n, current_user, str(get_locale()))) for n in found],
        unread=unread_count(current_user.id),
        form=FlaskForm(),
    )


@bp.route("/notifications/read", methods=["POST"])
@requires(Right.SIGNED_IN)
def read() -> Any:
    """Mark one notification read (``id``), or all of them (no ``id``)."""
    if FlaskForm().validate_on_submit():
        value = request.form.get("id", "")
        if value and not value.isdigit():
            raise InputError(f"no notification {value!r}", field="id")
        mark_read(current_user, [int(value)] if value else None)
        db.session.commit()
    return redirect(url_for("notifications.index"))


@bp.route("/account/notifications", methods=["POST"])
@requires(Right.SIGNED_IN)
def settings() -> Any:
    """Save the channel of every kind (``channel-<kind>``) and the digest hour."""
    if FlaskForm().validate_on_submit():
        current = get_settings(current_user.id)
        channels = {
            kind.value: request.form.get(f"channel-{kind.value}", channel.value)
            for kind, channel in current.channels.items()
        }
        hour = request.form.get("digest_hour", str(current.digest_hour))
        if not hour.isdigit():
            raise InputError(_("Choose an hour from 0 to 23."), field="digest_hour")
        save_settings(current_user, channels, int(hour))
        db.session.commit()
        flash(_("Your notification settings were saved."), "success")
    return redirect(url_for("account.show") + "#notifications")
