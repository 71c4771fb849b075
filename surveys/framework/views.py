import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from partners.permissions import is_consortium_coordinator, translatable_languages

from ..i18n import page_context, save_sent, translation_language
from ..models import LEVELS, Area, Competence, Framework, FrameworkFrozen, LevelDescriptor
from . import translating
from .forms import (
    AreaFormSet,
    CompetenceFormSet,
    FrameworkForm,
    ImportForm,
    LevelsForm,
    TranslationFileForm,
    TranslationsForm,
)
from .io import FrameworkFileError, export_framework, import_framework


def framework(request):
    """The competence framework in use, public."""
    current = Framework.objects.current()
    areas = []
    if current is not None:
        areas = current.areas.prefetch_related(
            Prefetch(
                "competences",
                queryset=Competence.objects.order_by("position").prefetch_related("levels"),
            )
        ).order_by("position")
    return render(
        request,
        "surveys/framework.html",
        {
            "framework": current,
            "areas": areas,
            "translatable": translatable_languages(request.user),
        },
    )


def export_json(request, version):
    """A version as JSON: public once published, drafts for consortium coordinators only."""
    version = Framework.objects.filter(version=version).first()
    if version is None or (
        version.status != Framework.Status.PUBLISHED and not is_consortium_coordinator(request.user)
    ):
        raise Http404
    content = json.dumps(export_framework(version), ensure_ascii=False, indent=2)
    response = HttpResponse(content, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="socore-framework-v{version.version}.json"'
    )
    return response


def _check_coordinator(request) -> None:
    if not is_consortium_coordinator(request.user):
        raise PermissionDenied


def _get_version(version: int) -> Framework:
    found = Framework.objects.filter(version=version).first()
    if found is None:
        raise Http404
    return found


@login_required
def manage(request, import_form=None, status=200):
    _check_coordinator(request)
    versions = Framework.objects.annotate(competence_count=Count("areas__competences"))
    return render(
        request,
        "surveys/manage.html",
        {"versions": versions, "import_form": import_form or ImportForm()},
        status=status,
    )


@login_required
@require_POST
def new_version(request, version):
    _check_coordinator(request)
    copy = _get_version(version).new_version()
    messages.success(
        request, _("Version %(version)s created as a draft.") % {"version": copy.version}
    )
    return redirect("surveys:manage_version", version=copy.version)


@login_required
@require_POST
def publish(request, version):
    _check_coordinator(request)
    draft = _get_version(version)
    try:
        draft.publish()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("surveys:manage_version", version=draft.version)
    messages.success(request, _("Version %(version)s is published.") % {"version": draft.version})
    return redirect("surveys:manage")


@login_required
@require_POST
def import_json(request):
    _check_coordinator(request)
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            imported = import_framework(form.cleaned_data["file"].read())
        except FrameworkFileError as error:
            form.add_error("file", str(error))
        else:
            messages.success(
                request,
                _("Imported as draft version %(version)s.") % {"version": imported.version},
            )
            return redirect("surveys:manage_version", version=imported.version)
    return manage(request, import_form=form, status=400)


def _save_or_refuse(save) -> FrameworkFrozen | None:
    """Run `save` in one transaction; a frozen version refuses, and the refusal is returned."""
    try:
        with transaction.atomic():
            save()
    except FrameworkFrozen as refusal:
        return refusal
    return None


def _refused(request, refusal) -> None:
    messages.error(request, refusal.messages[0])


@login_required
def manage_version(request, version):
    _check_coordinator(request)
    framework = _get_version(version)
    data = request.POST if request.method == "POST" else None
    form = FrameworkForm(data, instance=framework, prefix="framework")
    areas = AreaFormSet(data, instance=framework, prefix="areas")
    if request.method == "POST" and form.is_valid() and areas.is_valid():

        def save():
            form.save()
            areas.save()

        refusal = _save_or_refuse(save)
        if refusal is None:
            messages.success(request, _("Saved."))
            return redirect("surveys:manage_version", version=framework.version)
        _refused(request, refusal)
    return render(
        request,
        "surveys/manage_version.html",
        {"framework": framework, "form": form, "areas": areas},
    )


@login_required
def manage_area(request, pk):
    _check_coordinator(request)
    area = get_object_or_404(Area.objects.select_related("framework"), pk=pk)
    competences = CompetenceFormSet(
        request.POST if request.method == "POST" else None,
        instance=area,
        prefix="competences",
        queryset=Competence.objects.order_by("position", "pk"),
    )
    if request.method == "POST" and competences.is_valid():
        refusal = _save_or_refuse(competences.save)
        if refusal is None:
            messages.success(request, _("Saved."))
            return redirect("surveys:manage_area", pk=area.pk)
        _refused(request, refusal)
    return render(
        request,
        "surveys/manage_area.html",
        {"framework": area.framework, "area": area, "competences": competences},
    )


@login_required
def manage_levels(request, pk):
    _check_coordinator(request)
    competence = get_object_or_404(Competence.objects.select_related("area__framework"), pk=pk)
    current = {level.level: level for level in competence.levels.all()}
    initial = {f"level_{n}": level.text for n, level in current.items()}
    form = LevelsForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():

        def save():
            for level in LEVELS:
                descriptor = current.get(level) or LevelDescriptor(
                    competence=competence, level=level
                )
                descriptor.text = form.cleaned_data[f"level_{level}"]
                descriptor.save()

        refusal = _save_or_refuse(save)
        if refusal is None:
            messages.success(request, _("Saved."))
            return redirect("surveys:manage_area", pk=competence.area_id)
        _refused(request, refusal)
    return render(
        request,
        "surveys/manage_levels.html",
        {"framework": competence.area.framework, "competence": competence, "form": form},
    )


# Translations ------------------------------------------------------------------------------


def _translation_language(request, language: str) -> str:
    """The language asked for, if this user may translate into it; else 404 or 403."""
    translation_language(language)
    if language not in translatable_languages(request.user):
        raise PermissionDenied
    return language


@login_required
def translations(request, version, language):
    """Every text of a version beside its English, in one language; frozen versions too."""
    language = _translation_language(request, language)
    framework = _get_version(version)
    texts = translating.texts_of(framework)
    form = TranslationsForm(texts, language, request.POST if request.method == "POST" else None)
    upload = TranslationFileForm()
    if request.method == "POST" and form.is_valid():
        save_sent(request, form, texts, language)
        return redirect("surveys:translations", version=framework.version, language=language)
    return _translations_page(request, framework, language, form, upload)


def _translations_page(request, framework, language, form, upload, status=200):
    return render(
        request,
        "surveys/manage_translations.html",
        {
            **page_context(form.texts, language),
            "framework": framework,
            "form": form,
            "upload": upload,
            "languages": translatable_languages(request.user),
        },
        status=status,
    )


@login_required
def translations_file(request, version, language):
    """GET: the language's texts as a PO file; POST: take a translated one back."""
    language = _translation_language(request, language)
    framework = _get_version(version)
    if request.method != "POST":
        response = HttpResponse(
            translating.to_po(framework, language), content_type="text/x-gettext-translation"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="socore-framework-v{framework.version}-{language}.po"'
        )
        return response
    upload = TranslationFileForm(request.POST, request.FILES)
    if upload.is_valid():
        try:
            imported = translating.from_po(framework, language, upload.cleaned_data["file"].read())
        except translating.TranslationFileError as error:
            upload.add_error("file", str(error))
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s text taken from the file.",
                    "%(count)s texts taken from the file.",
                    imported.saved,
                )
                % {"count": imported.saved},
            )
            if imported.outdated:
                messages.warning(
                    request,
                    _("Not taken, because their English changed after the file was made: %(keys)s.")
                    % {"keys": ", ".join(imported.outdated)},
                )
            if imported.unknown:
                messages.warning(
                    request,
                    _("Not taken, because this version has no such text: %(keys)s.")
                    % {"keys": ", ".join(imported.unknown)},
                )
            return redirect("surveys:translations", version=framework.version, language=language)
    texts = translating.texts_of(framework)
    form = TranslationsForm(texts, language)
    return _translations_page(request, framework, language, form, upload, status=400)
