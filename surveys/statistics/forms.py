"""The one choice on the public statistics: whose figures to show (a GET parameter)."""

from django import forms
from django.utils.translation import gettext_lazy as _

WHOLE_CONSORTIUM = ""


class GroupChoiceForm(forms.Form):
    """The whole consortium or one of the regions the page already lists; any other value is
    refused with a message, and the whole consortium is shown."""

    region = forms.ChoiceField(
        label=_("Show the figures of"),
        required=False,
        error_messages={"invalid_choice": _("“%(value)s” is not one of the regions listed.")},
    )

    def __init__(self, data, *, groups, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["region"].choices = [(group.key, group.name) for group in groups]

    def chosen(self) -> str:
        if self.is_valid():
            return self.cleaned_data["region"]
        return WHOLE_CONSORTIUM
