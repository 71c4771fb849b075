from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from partners.models import Region
from surveys.models import Competence, Framework

from . import uploads
from .models import GoodPractice, Theme
from .workflow import RUBRIC_CRITERIA

# Form sections, in the order of the Interreg Europe good-practice form.
SECTIONS = [
    (
        _("The practice"),
        ["title", "summary", "description", "language", "summary_en"],
    ),
    (
        _("Where, who and when"),
        ["region", "city", "organisation", "start_date", "end_date", "is_ongoing"],
    ),
    (
        _("What reviewers look for"),
        ["resources", "evidence", "transferability", "lessons", "further_information"],
    ),
    (
        _("Tags"),
        ["competences", "themes", "target_groups"],
    ),
    (
        _("Contact person (shown to signed-in users only)"),
        ["contact_name", "contact_email"],
    ),
]

HELP = {
    "title": _("At most 100 characters: name the initiative, not the organisation."),
    "summary": _("Two or three sentences: what it is and what it achieved."),
    "description": _(
        "How it works: the problem it addresses, the activities, who takes part and how."
    ),
    "summary_en": _("Needed when the record is not in English: a few sentences for everyone."),
    "resources": _("People, time and money it takes: reviewers check that others can afford it."),
    "evidence": _(
        "Measurable results: numbers of participants, agreements, spin-offs, funding "
        "attracted, survey results before and after. Reviewers look for facts, not intentions."
    ),
    "transferability": _(
        "What another region would need to copy it, and what it could learn from it."
    ),
    "lessons": _("What was hard, what you would do differently."),
    "further_information": _("Links to web pages, reports or videos, one per line."),
    "is_ongoing": _("Tick when the practice has no end date yet."),
    "competences": _("The soft and social competences the practice develops."),
}


# The long texts have a limit, told next to the field when passed: a text of a megabyte made
# the search vector overflow PostgreSQL's limit (a server error) and each save take seconds.
LONG_TEXT_LIMITS = {
    "summary": 10_000,
    "description": 20_000,
    "summary_en": 10_000,
    "resources": 10_000,
    "evidence": 10_000,
    "transferability": 10_000,
    "lessons": 10_000,
    "further_information": 10_000,
}


class PracticeForm(forms.ModelForm):
    """The whole record. Saving a draft needs only a title; submission checks the rest."""

    class Meta:
        model = GoodPractice
        fields = [name for _section, names in SECTIONS for name in names]
        widgets = {
            "title": forms.TextInput(attrs={"maxlength": 100, "data-counter": "100"}),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "summary_en": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 8}),
            "resources": forms.Textarea(attrs={"rows": 3}),
            "evidence": forms.Textarea(attrs={"rows": 5}),
            "transferability": forms.Textarea(attrs={"rows": 4}),
            "lessons": forms.Textarea(attrs={"rows": 4}),
            "further_information": forms.Textarea(attrs={"rows": 3}),
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "competences": forms.CheckboxSelectMultiple,
            "themes": forms.CheckboxSelectMultiple,
            "target_groups": forms.CheckboxSelectMultiple,
        }
        help_texts = HELP

    def __init__(self, *args, partner=None, **kwargs):
        super().__init__(*args, **kwargs)
        framework = Framework.objects.current()
        self.fields["competences"].queryset = Competence.objects.filter(
            area__framework=framework
        ).select_related("area")
        self.fields["region"].queryset = Region.objects.order_by("country", "name")
        self.fields["themes"].queryset = Theme.objects.all()
        if partner is not None and not self.instance.pk:
            self.initial.setdefault("region", partner.region_id)
        for name, limit in LONG_TEXT_LIMITS.items():
            field = self.fields[name]
            field.max_length = limit
            field.validators.append(MaxLengthValidator(limit))
            field.widget.attrs["maxlength"] = str(limit)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end cannot be before the start."))
        if end and cleaned.get("is_ongoing"):
            self.add_error(
                "is_ongoing",
                _("An ongoing practice has no end date: remove the date or untick “ongoing”."),
            )
        return cleaned

    def sections(self):
        """(title, [bound fields]) for the template."""
        return [(title, [self[name] for name in names]) for title, names in SECTIONS]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern); the checks name each file."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        # Empty files reach uploads.check_file, whose message names them.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files:
            raise ValidationError(_("Choose at least one file."))
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class AttachmentForm(forms.Form):
    files = MultipleFileField(
        label=_("Add files"),
        help_text=format_lazy(
            _("Up to 10 files of at most 10 MB each: {allowed}."), allowed=uploads.ALLOWED
        ),
    )

    def __init__(self, *args, existing: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.existing = existing

    def clean_files(self):
        files = self.cleaned_data["files"]
        uploads.check_count(self.existing, len(files))
        checked, errors = [], []
        for upload in files:
            try:
                checked.append(uploads.check_file(upload))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return checked


SCORES = [("", "—")] + [(str(n), str(n)) for n in range(1, 6)]


class ReviewForm(forms.Form):
    """A transition's comment and, on review steps, the rubric."""

    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    evidence_score = forms.TypedChoiceField(
        label=_("Evidence of success"), choices=SCORES, coerce=int, empty_value=None, required=False
    )
    evidence_comment = forms.CharField(
        label=_("Comment on the evidence"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    transferability_score = forms.TypedChoiceField(
        label=_("Transferability"), choices=SCORES, coerce=int, empty_value=None, required=False
    )
    transferability_comment = forms.CharField(
        label=_("Comment on transferability"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    relevance_score = forms.TypedChoiceField(
        label=_("Relevance to RII soft and social competences"),
        choices=SCORES,
        coerce=int,
        empty_value=None,
        required=False,
    )
    relevance_comment = forms.CharField(
        label=_("Comment on relevance"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, earlier_review=None, **kwargs):
        """`earlier_review`: the regional review step, when this is the second review. Its
        scores fill the form (the second reviewer confirms or changes each), and each field
        says what the first reviewer gave and wrote."""
        super().__init__(*args, **kwargs)
        self.earlier_review = earlier_review
        if earlier_review is None:
            return
        if not self.is_bound:
            self.initial = {**earlier_review.scores(), **self.initial}
        when = date_format(timezone.localtime(earlier_review.created_at), "DATE_FORMAT")
        for criterion in RUBRIC_CRITERIA:
            self.fields[f"{criterion}_score"].help_text = _(
                "Regional review: %(score)s — by %(reviewer)s on %(date)s"
            ) % {
                "score": getattr(earlier_review, f"{criterion}_score"),
                "reviewer": earlier_review.actor,
                "date": when,
            }
            comment = getattr(earlier_review, f"{criterion}_comment")
            if comment:
                self.fields[f"{criterion}_comment"].help_text = _(
                    "The regional reviewer wrote: %(comment)s"
                ) % {"comment": comment}

    def rubric(self) -> dict:
        return {
            key: self.cleaned_data.get(key)
            for criterion in RUBRIC_CRITERIA
            for key in (f"{criterion}_score", f"{criterion}_comment")
        }

    def rubric_fields(self):
        return [
            (self[f"{criterion}_score"], self[f"{criterion}_comment"])
            for criterion in RUBRIC_CRITERIA
        ]
