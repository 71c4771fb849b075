"""Forms of the answering pages: the background section and one small form per competence."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import SCALE, Response, Survey

# The scale fields each survey kind asks for, in the order they are shown.
SCALE_FIELDS = {
    Survey.Kind.SELF_ASSESSMENT: ("current_level", "importance"),
    Survey.Kind.DEMAND: ("required_level",),
}
ANSWER_FIELDS = ("current_level", "importance", "required_level", "not_applicable")


def scale_field(label, low: str, high: str) -> forms.TypedChoiceField:
    field = forms.TypedChoiceField(
        label=label,
        choices=SCALE,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    field.low, field.high = low, high
    return field


class BackgroundForm(forms.ModelForm):
    """Page 0: the short background section; every field may be left for later."""

    class Meta:
        model = Response
        fields = ["organisation_type", "role", "experience", "age_band"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
        self.fields["age_band"].help_text = _("You may leave this empty.")


class CompetenceAnswerForm(forms.Form):
    """One competence: the scale values of the survey's kind, or "not applicable"."""

    scale_names: tuple[str, ...] = ()
    not_applicable = forms.BooleanField(label=_("Not applicable"), required=False)

    def __init__(self, *args, competence, **kwargs):
        self.competence = competence
        super().__init__(*args, **kwargs)

    def scales(self):
        return [self[name] for name in self.scale_names]

    def clean(self):
        cleaned = super().clean()
        rated = any(cleaned.get(name) is not None for name in self.scale_names)
        if cleaned.get("not_applicable") and rated:
            raise forms.ValidationError(
                _("Choose a level or “not applicable”, not both."), code="both"
            )
        return cleaned

    def is_empty(self) -> bool:
        """Nothing chosen: no answer is stored for this competence."""
        data = self.cleaned_data
        return not data.get("not_applicable") and all(
            data.get(name) is None for name in self.scale_names
        )

    def answer_values(self) -> dict:
        data = self.cleaned_data
        values = dict.fromkeys(ANSWER_FIELDS[:3])
        values["not_applicable"] = bool(data.get("not_applicable"))
        if not values["not_applicable"]:
            values.update({name: data.get(name) for name in self.scale_names})
        return values


class SelfAssessmentAnswerForm(CompetenceAnswerForm):
    scale_names = SCALE_FIELDS[Survey.Kind.SELF_ASSESSMENT]
    current_level = scale_field(
        _("My current level"), _("1 = novice"), _("5 = expert, can guide others")
    )
    importance = scale_field(
        _("Importance for my work"), _("1 = not important"), _("5 = essential")
    )
    field_order = ["current_level", "importance", "not_applicable"]


class DemandAnswerForm(CompetenceAnswerForm):
    scale_names = SCALE_FIELDS[Survey.Kind.DEMAND]
    required_level = scale_field(
        _("Level required of RII staff"), _("1 = novice"), _("5 = expert, can guide others")
    )
    field_order = ["required_level", "not_applicable"]


def answer_form_class(kind: str) -> type[CompetenceAnswerForm]:
    return SelfAssessmentAnswerForm if kind == Survey.Kind.SELF_ASSESSMENT else DemandAnswerForm


def is_complete(answer, kind: str) -> bool:
    """An answer counts at submission when it is "not applicable" or has every scale value."""
    if answer is None:
        return False
    return answer.not_applicable or all(
        getattr(answer, name) is not None for name in SCALE_FIELDS[kind]
    )
