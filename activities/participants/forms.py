"""Forms of the participants page: add one person, import a CSV, confirm attendance."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..models import Participant, ParticipantType


class ParticipantForm(forms.Form):
    """One participant: an existing account by its email, or a guest."""

    email = forms.EmailField(
        label=_("Email"),
        help_text=_("Someone with an account on the portal is linked to it by this address."),
    )
    name = forms.CharField(
        label=pgettext_lazy("of a person", "Name"),
        max_length=Participant._meta.get_field("name").max_length,
        required=False,
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=Participant._meta.get_field("organisation").max_length,
        required=False,
    )
    type = forms.ChoiceField(label=_("Participant type"), choices=ParticipantType.choices)

    def clean_email(self) -> str:
        return self.cleaned_data["email"].lower()


class ParticipantUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file of participants"),
        help_text=_(
            "One participant per line: name, email, organisation, type. A header row naming "
            "the columns is optional (then in any order); commas or semicolons; UTF-8. The "
            "type is a code or an English name: partner staff, stakeholder group member, "
            "RII staff, policy maker, other (empty: other)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    MAX_BYTES = 2 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        return upload


class AttendanceForm(forms.Form):
    attended = forms.ModelMultipleChoiceField(
        label=_("Attended"),
        queryset=Participant.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, activity, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].queryset = activity.participants.all()
