"""Forms of the account page."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from translator.i18n import _l


class PasswordForm(FlaskForm):  # type: ignore[misc]
    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=1024)])
    password = PasswordField(
        _l("New password"), validators=[DataRequired(), Length(min=8, max=1024)]
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("password", _l("The passwords differ."))],
    )
