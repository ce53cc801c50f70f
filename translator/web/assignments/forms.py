"""The forms of the assignments page."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from translator.i18n import _l

KINDS = [SelectChoice("translate", _l("Translate")), SelectChoice("review", _l("Review"))]


class AssignForm(FlaskForm):  # type: ignore[misc]
    language = SelectField(_l("Edition"), choices=[], validate_choice=True)
    kind = RadioField(_l("Work"), choices=KINDS, default="translate")
    to = StringField(
        _l("Person"),
        validators=[DataRequired(), Length(max=254)],
        description=_l("A name or an e-mail address."),
    )
    units = StringField(
        _l("Units"),
        validators=[Optional(), Length(max=40)],
        description=_l("Positions such as 1-120; empty: the whole edition."),
    )
    due = DateField(_l("Due date"), validators=[Optional()])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])


class SplitForm(FlaskForm):  # type: ignore[misc]
    language = SelectField(_l("Edition"), choices=[], validate_choice=True)
    kind = RadioField(_l("Work"), choices=KINDS, default="translate")
    among = StringField(
        _l("People"),
        validators=[DataRequired(), Length(max=2000)],
        description=_l("Names or e-mail addresses, separated by commas, in the text's order."),
    )
    due = DateField(_l("Due date"), validators=[Optional()])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])


class ChangeForm(FlaskForm):  # type: ignore[misc]
    to = StringField(_l("Reassign to"), validators=[Optional(), Length(max=254)])
    due = DateField(_l("Due date"), validators=[Optional()])
