"""Import form: a file or pasted text, with its language."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from translator.errors import InputError
from translator.i18n import _, _l
from translator.services.languages import normalize_language


class ImportForm(FlaskForm):  # type: ignore[misc]
    file = FileField(_l("File"))
    text = TextAreaField(_l("…or paste the text"), validators=[Optional()])
    language = StringField(
        _l("Language"),
        validators=[DataRequired(), Length(max=35)],
        description=_l("A language code such as en, fr, pt or pt-BR."),
    )
    document = SelectField(_l("Document"), choices=[], validate_choice=True)
    title = StringField(_l("Title of the new document"), validators=[Optional(), Length(max=500)])
    format = SelectField(
        _l("Format"),
        choices=[
            SelectChoice("auto", _l("Detect automatically")),
            SelectChoice("text", _l("Plain text")),
            SelectChoice("pdftext", _l("Text extracted from a PDF")),
            SelectChoice("markdown", _l("Markdown")),
        ],
        default="auto",
    )

    def validate_language(self, field: StringField) -> None:
        try:
            field.data = normalize_language(field.data or "")
        except InputError as exc:
            raise ValidationError(_("Unknown language code “%(code)s”.", code=field.data)) from exc

    def validate(self, extra_validators: Any = None) -> bool:
        """Field checks, then exactly one source: a file or pasted text (not a field
        validator: ``Optional`` would skip it when the text is empty)."""
        valid: bool = super().validate(extra_validators)
        has_file = bool(self.file.data and getattr(self.file.data, "filename", ""))
        has_text = bool((self.text.data or "").strip())
        if not has_file and not has_text:
            self.text.errors.append(_("Choose a file or paste some text."))
            return False
        if has_file and has_text:
            self.text.errors.append(_("Choose a file or paste text, not both."))
            return False
        return valid


class DocumentForm(FlaskForm):  # type: ignore[misc]
    """A document's description; one EditionForm per edition sits beside it."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=500)])
    author = StringField(_l("Author"), validators=[Optional(), Length(max=500)])
    publication_date = DateField(_l("Target publication date"), validators=[Optional()])
    notes = TextAreaField(_l("Notes"), validators=[Optional()])


class EditionForm(FlaskForm):  # type: ignore[misc]
    title = StringField(_l("Title of this edition"), validators=[Optional(), Length(max=500)])
    credits = TextAreaField(
        _l("Credits"),
        validators=[Optional(), Length(max=5000)],
        description=_l("Translators and other contributors, as they should be printed."),
    )
