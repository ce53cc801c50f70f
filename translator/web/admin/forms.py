"""Forms of the users page."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from translator.i18n import _l


def role_choices() -> list[SelectChoice]:
    return [
        SelectChoice("member", _l("Member")),
        SelectChoice("coordinator", _l("Coordinator (of every document)")),
        SelectChoice("administrator", _l("Administrator")),
    ]


class InviteForm(FlaskForm):  # type: ignore[misc]
    """Invite a person: their account is made now, they choose a password from the link."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    display_name = StringField(_l("Name"), validators=[Length(max=200)])
    role = SelectField(_l("Role"), choices=role_choices(), default="member")
    locale = SelectField(
        _l("Interface language"),
        description=_l("The invitation e-mail is written in it too."),
        default="",
    )


class RoleForm(FlaskForm):  # type: ignore[misc]
    role = SelectField(_l("Role"), choices=role_choices())
