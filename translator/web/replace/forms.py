"""The search-and-replace form: the edition to change, what to find and what to put
instead. The preview's apply form posts the same fields (hidden) back."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import InputRequired, Length

from translator.i18n import _l
from translator.text.replacement import MAX_FIND


class ReplaceForm(FlaskForm):  # type: ignore[misc]
    """``find`` is required but may be blanks (a double space is worth finding), so
    InputRequired, not DataRequired; an empty ``replace`` deletes what is found."""

    language = SelectField(_l("Edition"), choices=[], validate_choice=True)
    find = StringField(_l("Find"), validators=[InputRequired(), Length(max=MAX_FIND)])
    replace = StringField(
        _l("Replace with"),
        validators=[Length(max=MAX_FIND)],
        description=_l("With a regular expression, \\1, \\2… put back the groups found."),
    )
    regex = BooleanField(_l("Regular expression"))
    case = BooleanField(_l("Match case"))
    minor = BooleanField(_l("Minor change (spelling, punctuation, spacing): flag no other edition"))
