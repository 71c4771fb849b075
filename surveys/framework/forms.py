from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import LEVELS, Area, Competence, Framework


class FrameworkForm(forms.ModelForm):
    class Meta:
        model = Framework
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


AreaFormSet = forms.inlineformset_factory(
    Framework,
    Area,
    fields=["position", "code", "name", "description"],
    widgets={"description": forms.Textarea(attrs={"rows": 2})},
    extra=1,
    can_delete=True,
)


class ReferencesField(forms.CharField):
    """A list of texts, edited one per line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value) -> list[str]:
        lines = super().to_python(value).splitlines()
        return [line.strip() for line in lines if line.strip()]

    def has_changed(self, initial, data) -> bool:
        return list(initial or []) != self.to_python(data)

    def run_validators(self, value: list[str]) -> None:
        # Each line is checked as the text it is: a NUL character hid from the checks in the
        # list's repr and reached PostgreSQL (a server error).
        for line in value:
            super().run_validators(line)


class CompetenceForm(forms.ModelForm):
    references = ReferencesField(
        label=_("References"),
        required=False,
        help_text=_("One per line, e.g. “ResearchComp: Work in teams”."),
    )

    class Meta:
        model = Competence
        fields = ["position", "code", "name", "description", "references"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class BaseCompetenceFormSet(forms.BaseInlineFormSet):
    def clean(self):
        """Competence codes are unique in the whole framework version, not only in one area."""
        super().clean()
        taken = set(
            Competence.objects.filter(area__framework=self.instance.framework_id)
            .exclude(area=self.instance)
            .values_list("code", flat=True)
        )
        for form in self.forms:
            code = form.cleaned_data.get("code") if hasattr(form, "cleaned_data") else None
            if not code or self._should_delete_form(form):
                continue
            if code in taken:
                form.add_error("code", _("Another competence of this version has this code."))
            taken.add(code)


CompetenceFormSet = forms.inlineformset_factory(
    Area,
    Competence,
    form=CompetenceForm,
    formset=BaseCompetenceFormSet,
    extra=1,
    can_delete=True,
)


class LevelsForm(forms.Form):
    """The five level descriptors of one competence."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {1: _("1 – novice"), 5: _("5 – expert, guides others")}
        for level in LEVELS:
            self.fields[f"level_{level}"] = forms.CharField(
                label=labels.get(level, str(level)),
                widget=forms.Textarea(attrs={"rows": 2}),
            )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Framework file (JSON)"))


class TranslationsForm(forms.Form):
    """One field per text of a framework version, in one language, beside its English."""

    def __init__(self, texts, language: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.texts = texts
        for text in texts:
            long = text.field != "name"
            self.fields[text.key] = forms.CharField(
                label=text.english,
                required=False,
                max_length=5000,
                initial=text.translation(language),
                widget=forms.Textarea(attrs={"rows": 3, "lang": language})
                if long
                else forms.TextInput(attrs={"lang": language}),
            )

    def rows(self):
        """(text, bound field) pairs, for the side-by-side table."""
        return [(text, self[text.key]) for text in self.texts]


class TranslationFileForm(forms.Form):
    file = forms.FileField(
        label=_("PO file"),
        help_text=_("A file exported here and translated in a PO editor (Poedit, Weblate …)."),
    )
