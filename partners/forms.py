from zoneinfo import available_timezones

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext_lazy as _

from .models import Partner, RegionChange, User
from .permissions import roles_of


class PartnerForm(forms.ModelForm):
    """A partner's public description. Its region decides who coordinates it, so only the
    consortium coordinator sets or changes it; to anyone else the field is not offered, and
    a value posted for it is ignored. Every change of region is recorded."""

    class Meta:
        model = Partner
        fields = ["name", "short_name", "type", "region", "website", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not roles_of(user).is_consortium_coordinator:
            del self.fields["region"]

    def clean_short_name(self) -> str:
        short_name = self.cleaned_data["short_name"].strip()
        slug = slugify(short_name)
        if not slug:
            raise forms.ValidationError(_("Use at least one letter or digit."))
        taken = Partner.objects.filter(slug=slug).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("Another partner already uses this short name."))
        return short_name

    @transaction.atomic
    def save(self, commit: bool = True) -> Partner:
        previous = None
        if self.instance.pk and "region" in self.changed_data:
            previous = Partner.objects.get(pk=self.instance.pk).region
        self.instance.slug = slugify(self.cleaned_data["short_name"])
        partner = super().save(commit=commit)
        if previous is not None:
            RegionChange.objects.create(
                partner=partner,
                from_region=previous,
                to_region=partner.region,
                changed_by=self.user,
            )
        return partner


def time_zone_choices():
    return [("", _("The time zone of my region"))] + [
        (zone, zone.replace("_", " ")) for zone in sorted(available_timezones()) if "/" in zone
    ]


class ProfileForm(forms.ModelForm):
    time_zone = forms.TypedChoiceField(
        label=capfirst(User._meta.get_field("time_zone").verbose_name),
        choices=time_zone_choices,
        required=False,
        empty_value="",
        help_text=User._meta.get_field("time_zone").help_text,
    )

    class Meta:
        model = User
        fields = ["name", "language", "time_zone"]


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("To confirm that it is you who deletes the account."),
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."))
        return password


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form (ACCOUNT_FORMS), as slow for an address that has an account as
    for a new one. A new account costs a password hash; the answer for a taken address (an
    email to its owner, the same page) pays one too, or its speed would tell that the address
    is known."""

    def try_save(self, request):
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1"))
        return super().try_save(request)
