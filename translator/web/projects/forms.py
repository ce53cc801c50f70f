"""A project's settings and the form that gives someone a role in its team."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from translator.errors import InputError
from translator.i18n import _, _l
from translator.services.languages import normalize_language
from translator.services.projects import parse_languages
from translator.web.documents.forms import MemberForm


class ProjectForm(FlaskForm):  # type: ignore[misc]
    """A project's slug (when created), name, description and languages."""

    slug = StringField(
        _l("Short name in addresses"),
        validators=[DataRequired(), Length(max=100)],
        description=_l("Lowercase letters, digits and dashes, e.g. essays-2027."),
    )
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    original = StringField(
        _l("Original language"),
        validators=[Optional(), Length(max=35)],
        description=_l("The language its documents are written in, e.g. en."),
    )
    languages = StringField(
        _l("Default languages"),
        validators=[Optional(), Length(max=500)],
        description=_l(
            "The languages every document of the project is translated into, e.g. fr, pt."
        ),
    )

    def validate_original(self, field: StringField) -> None:
        if field.data:
            try:
                field.data = normalize_language(field.data)
            except InputError as exc:
                raise ValidationError(
                    _("Unknown language code “%(code)s”.", code=field.data)
                ) from exc

    def validate_languages(self, field: StringField) -> None:
        for code in parse_languages(field.data or ""):
            try:
                normalize_language(code)
            except InputError as exc:
                raise ValidationError(_("Unknown language code “%(code)s”.", code=code)) from exc


class TeamForm(MemberForm):
    """A role in the project's team: the document members' form, over the project."""

    language = SelectField(
        _l("Language"),
        choices=[],
        validate_choice=True,
        description=_l(
            "Translators and reviewers work on one language of every document of the "
            "project; coordinators and readers on the whole project."
        ),
    )

    def validate_language(self, field: Any) -> None:
        if self.role.data in ("translator", "reviewer") and not field.data:
            raise ValidationError(_l("Choose the language this translator or reviewer works on."))
