from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from .models import Partner, User


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = ["name", "short_name", "type", "region", "website", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def clean_short_name(self) -> str:
        short_name = self.cleaned_data["short_name"].strip()
        slug = slugify(short_name)
        if not slug:
            raise forms.ValidationError(_("Use at least one letter or digit."))
        taken = Partner.objects.filter(slug=slug).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("Another partner already uses this short name."))
        return short_name

    def save(self, commit: bool = True) -> Partner:
        self.instance.slug = slugify(self.cleaned_data["short_name"])
        return super().save(commit=commit)


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "language"]
