"""Import form (a file or pasted text, with its language), the document's settings and
the alignment forms (align the editions, split a unit)."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from translator.errors import InputError
from translator.i18n import _, _l
from translator.services.languages import normalize_language
from translator.services.structure import Side

# What the file picker offers first (any file can still be chosen): text, Markdown,
# HTML, and the documents the format adapters read.
IMPORT_ACCEPT = ",".join(
    ["text/*", ".txt", ".md", ".markdown", ".html", ".htm", ".xhtml", ".docx", ".odt", ".epub"]
)


class ImportForm(FlaskForm):  # type: ignore[misc]
    file = FileField(_l("File"), render_kw={"accept": IMPORT_ACCEPT})
    text = TextAreaField(_l("…or paste the text"), validators=[Optional()])
    language = StringField(
        _l("Language"),
        validators=[DataRequired(), Length(max=35)],
        description=_l("A language code such as en, fr, pt or pt-BR."),
    )
    document = SelectField(_l("Document"), choices=[], validate_choice=True)
    project = SelectField(
        _l("Project of the new document"),
        choices=[],
        validate_choice=True,
        default="",  # a form posted without it: no project
        description=_l("Its team become members of the document."),
    )
    title = StringField(_l("Title of the new document"), validators=[Optional(), Length(max=500)])
    format = SelectField(
        _l("Format"),
        choices=[
            SelectChoice("auto", _l("Detect automatically")),
            SelectChoice("text", _l("Plain text")),
            SelectChoice("pdftext", _l("Text extracted from a PDF")),
            SelectChoice("markdown", _l("Markdown")),
            SelectChoice("pdf", _l("PDF file")),
            SelectChoice("docx", _l("Word document (DOCX)")),
            SelectChoice("odt", _l("OpenDocument text (ODT)")),
            SelectChoice("html", _l("Web page (HTML)")),
            SelectChoice("epub", _l("E-book (EPUB)")),
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
    review_required = BooleanField(
        _l("Needs review before publication"),
        description=_l(
            "An edition is ready to publish once every segment is reviewed; without "
            "this, once every segment is translated (confirmed)."
        ),
    )
    # Not "project": DocumentForm(obj=document) would fill it with the Project itself.
    project_slug = SelectField(
        _l("Project"),
        validators=[Optional()],
        validate_choice=True,
        default="",  # a form posted without it leaves the project alone
        description=_l(
            "A document belongs to at most one project; the project's team are members "
            "of the document too."
        ),
    )
    original = SelectField(
        _l("Original edition"),
        validators=[Optional()],
        description=_l(
            "Translations follow the original: a change of its text flags them outdated, "
            "a change in a translation flags nothing. Without an original the editions "
            "are peers and any change flags the others."
        ),
    )


class EditionForm(FlaskForm):  # type: ignore[misc]
    title = StringField(_l("Title of this edition"), validators=[Optional(), Length(max=500)])
    credits = TextAreaField(
        _l("Credits"),
        validators=[Optional(), Length(max=5000)],
        description=_l("Translators and other contributors, as they should be printed."),
    )
    typography = BooleanField(
        _l("Apply this language's typography in exports"),
        description=_l(
            "French no-break spaces before ; : ! ? and inside « », the language's "
            "quotation marks, no double spaces. The stored text is never changed."
        ),
    )


class AlignForm(FlaskForm):  # type: ignore[misc]
    """Align the editions into units. The view fills the pivot and edition choices and,
    when manual fixes would be replaced, requires ``force`` (its label then names how
    many). Editions not ticked keep their cells beside the same pivot text."""

    pivot = SelectField(
        _l("Pivot edition"),
        choices=[],
        validate_choice=True,
        description=_l("The edition every other one is aligned to."),
    )
    editions = SelectMultipleField(
        _l("Editions to align"),
        choices=[],
        validate_choice=True,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        description=_l(
            "An edition left out keeps its cells beside the same pivot text; an empty "
            "or nearly empty one is always left out."
        ),
    )
    force = BooleanField(_l("Replace the manual fixes made since the last alignment"))


AT_OFFSET = "offset"  # the boundary choice meaning "at the character offset typed below"


class SplitForm(FlaskForm):  # type: ignore[misc]
    """Split a unit in one language's text: at a sentence boundary (the view lists them)
    or at a character offset; the other languages' text goes to one of the two parts.
    One form per language on the split page, told apart by their prefix."""

    boundary = RadioField(_l("Where to split"), choices=[], validators=[InputRequired()])
    offset = IntegerField(_l("Character offset"), validators=[Optional()])
    others = RadioField(
        _l("The other editions' text goes to"),
        choices=[
            SelectChoice(str(Side.FIRST), _l("the first unit")),
            SelectChoice(str(Side.SECOND), _l("the second unit")),
        ],
        default=str(Side.FIRST),
        validators=[InputRequired()],
    )

    def validate(self, extra_validators: Any = None) -> bool:
        """Field checks, then an offset when "at a character offset" is chosen (not a
        field validator: ``Optional`` would skip it when the offset is empty)."""
        valid: bool = super().validate(extra_validators)
        if valid and self.boundary.data == AT_OFFSET and self.offset.data is None:
            self.offset.errors.append(_("Type the character offset to split at."))
            return False
        return valid

    def split_offset(self) -> int:
        """The chosen offset (call after validation)."""
        if self.boundary.data == AT_OFFSET:
            return int(self.offset.data)
        return int(self.boundary.data)


class MemberForm(FlaskForm):  # type: ignore[misc]
    """Give a user a role in the document: in one edition (translator, reviewer) or over
    the whole document (coordinator, reader)."""

    email = StringField(
        _l("Name or e-mail"),
        validators=[DataRequired(), Length(max=254)],
        description=_l("Type a few letters to see matching people."),
    )
    role = SelectField(
        _l("Role"),
        choices=[
            SelectChoice("translator", _l("Translator")),
            SelectChoice("reviewer", _l("Reviewer (confirms as reviewed)")),
            SelectChoice("coordinator", _l("Coordinator (manages the document)")),
            SelectChoice("reader", _l("Reader (reads, comments, downloads)")),
        ],
        default="translator",
    )
    language = SelectField(
        _l("Edition"),
        choices=[],
        validate_choice=True,
        description=_l(
            "Translators and reviewers work on one edition; coordinators and readers on "
            "the whole document."
        ),
    )

    def validate_language(self, field: Any) -> None:
        if self.role.data in ("translator", "reviewer") and not field.data:
            raise ValidationError(_l("Choose the edition this translator or reviewer works on."))


class ExportForm(FlaskForm):  # type: ignore[misc]
    """Export: a format, the editions, and for a bilingual interchange file (XLIFF, PO)
    its source; the view fills the choices from the registry and the document."""

    format = SelectField(_l("Format"), validators=[InputRequired()])
    languages = SelectMultipleField(
        _l("Editions"),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        description=_l(
            "One edition for a book or a page; two or three side by side for a parallel "
            "edition; the target for XLIFF and PO; every edition you want in a TMX."
        ),
    )
    source = SelectField(_l("Source (XLIFF, PO)"), validators=[Optional()])
    typography = SelectField(
        _l("Typography"),
        choices=[
            SelectChoice("", _l("As set for each edition")),
            SelectChoice("on", _l("Apply the language's typography")),
            SelectChoice("off", _l("Leave the text as typed")),
        ],
        default="",
        description=_l(
            "French no-break spaces before ; : ! ? and inside « », the language's "
            "quotation marks, no double spaces. The stored text is never changed."
        ),
    )


class TranslationsForm(FlaskForm):  # type: ignore[misc]
    """A translated XLIFF, PO or TMX file brought back from a CAT tool."""

    file = FileField(
        _l("Translated file (XLIFF, PO or TMX)"),
        validators=[DataRequired()],
        description=_l(
            "A file exported from this document and translated elsewhere: changed segments "
            "get a new revision, segments changed here since the export get a suggestion."
        ),
    )


class NewTranslationForm(FlaskForm):  # type: ignore[misc]
    """A new, empty edition to translate from the original."""

    language = StringField(
        _l("Language of the translation"),
        validators=[DataRequired(), Length(max=35)],
        description=_l("A language code such as en, fr, pt or pt-BR."),
    )
    title = StringField(
        _l("Title of the translation"),
        validators=[Optional(), Length(max=500)],
        description=_l("Leave empty: it becomes the translation of the title row."),
    )

    def validate_language(self, field: StringField) -> None:
        try:
            field.data = normalize_language(field.data or "")
        except InputError as exc:
            raise ValidationError(_("Unknown language code “%(code)s”.", code=field.data)) from exc


class PurgeForm(FlaskForm):  # type: ignore[misc]
    """Purging from the trash cannot be undone: the box must be ticked."""

    confirm = BooleanField(
        _l("Delete for good: this cannot be undone"),
        validators=[DataRequired(_l("Tick the box to confirm."))],
    )
