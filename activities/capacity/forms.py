"""The capacity survey's four questions, as the person reached by the link answers them."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import AGREEMENT, CapacityAnswer, CapacityFollowUp

TEXT_LIMIT = 5000


class FollowUpForm(forms.ModelForm):
    met_practices = forms.TypedChoiceField(
        label=_("I came across interesting practices or ideas from other regions."),
        choices=AGREEMENT,
        coerce=int,
        widget=forms.RadioSelect,
    )
    capacity_increased = forms.ChoiceField(
        label=_("Did the activity increase your professional capacity?"),
        choices=CapacityAnswer.choices,
        widget=forms.RadioSelect,
    )
    most_useful = forms.CharField(
        label=_("What was most useful? (optional)"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    use_in_work = forms.CharField(
        label=_("How will you use it in your work? (optional)"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Answers to these two questions are shown without names, and only for "
            "activities where at least 10 people answered."
        ),
    )

    class Meta:
        model = CapacityFollowUp
        fields = ["met_practices", "capacity_increased", "most_useful", "use_in_work"]
