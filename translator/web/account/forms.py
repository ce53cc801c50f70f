"""Forms of the account page."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from translator.i18n import _l
from translator.services.tokens import MAX_NAME_LENGTH


class PasswordForm(FlaskForm):  # type: ignore[misc]
    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=1024)])
    password = PasswordField(
        _l("New password"), validators=[DataRequired(), Length(min=8, max=1024)]
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("password", _l("The passwords differ."))],
    )


class TokenForm(FlaskForm):  # type: ignore[misc]
    """A new personal API token: what uses it, what it may do, how long it lives."""

    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=MAX_NAME_LENGTH)],
        description=_l("What will use it, e.g. “nightly export script”."),
    )
    scope = SelectField(
        _l("May"),
        choices=[
            SelectChoice("read", _l("read only")),
            SelectChoice("write", _l("read and write")),
        ],
        default="read",
    )
    expires = SelectField(
        _l("Expires"),
        choices=[
            SelectChoice("30", _l("in 30 days")),
            SelectChoice("90", _l("in 90 days")),
            SelectChoice("365", _l("in a year")),
            SelectChoice("never", _l("never (until revoked)")),
        ],
        default="90",
    )
