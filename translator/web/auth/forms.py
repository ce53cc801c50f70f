"""Sign-in form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from translator.i18n import _l


class LoginForm(FlaskForm):  # type: ignore[misc]
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)])
    remember = BooleanField(_l("Keep me signed in"))


class SetupForm(FlaskForm):  # type: ignore[misc]
    """The first administrator account, asked for once on a new install."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    display_name = StringField(_l("Your name"), validators=[Length(max=200)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(min=8, max=1024)])
    confirm = PasswordField(
        _l("Password again"),
        validators=[DataRequired(), EqualTo("password", _l("The passwords differ."))],
    )


class InvitationForm(FlaskForm):  # type: ignore[misc]
    """Accept an invitation: one's name and first password."""

    display_name = StringField(_l("Your name"), validators=[Length(max=200)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(min=8, max=1024)])
    confirm = PasswordField(
        _l("Password again"),
        validators=[DataRequired(), EqualTo("password", _l("The passwords differ."))],
    )


class ForgotForm(FlaskForm):  # type: ignore[misc]
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])


class ResetForm(FlaskForm):  # type: ignore[misc]
    password = PasswordField(
        _l("New password"), validators=[DataRequired(), Length(min=8, max=1024)]
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("password", _l("The passwords differ."))],
    )
