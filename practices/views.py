import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from partners.permissions import roles_of
from socore.lib import downloads
from socore.lib.limits import public_pdf_rate
from socore.lib.pdf import render_shared_pdf
from socore.lib.spreadsheets import inert

from . import access, review, search, workflow
from .forms import AttachmentForm, PracticeForm, ReviewForm
from .models import Attachment, GoodPractice, Status
from .workflow import TransitionRefused

PAGE_SIZE = 20
# Marks a message after a save, so the browser drops its copy of what was typed.
SAVED_TAG = "saved"


def catalogue(request):
    form = search.SearchForm(request.GET or None)
    form.is_valid()  # invalid parameters are simply ignored; the rest still applies
    result = search.search(getattr(form, "cleaned_data", {}))
    page = result.paginator(PAGE_SIZE).get_page(request.GET.get("page"))
    for facet in result.facets:
        for option in facet.options:
            option["url"] = search.query_string(
                request.GET, facet.name, None if option["selected"] else option["value"]
            )
    return render(
        request,
        "practices/catalogue.html",
        {"form": form, "result": result, "page": page, "sorts": search.SORTS},
    )


CSV_COLUMNS = [
    ("title", "Title"),
    ("summary", "Summary"),
    ("country", "Country"),
    ("region", "Region"),
    ("organisation", "Organisation in charge"),
    ("start_date", "Start"),
    ("end_date", "End"),
    ("url", "Address"),
]


class _Echo:
    def write(self, value):
        return value


def export_csv(request):
    """The current search result as CSV, streamed; cells that a spreadsheet would run are inert."""
    form = search.SearchForm(request.GET or None)
    form.is_valid()
    practices = search.search(getattr(form, "cleaned_data", {})).practices
    writer = csv.writer(_Echo())
    base = request.build_absolute_uri("/")[:-1]

    def rows():
        yield writer.writerow([label for _key, label in CSV_COLUMNS])
        for practice in practices.iterator(chunk_size=500):
            values = {
                "title": practice.title,
                "summary": practice.summary,
                "country": practice.region.country,
                "region": practice.region.name,
                "organisation": practice.organisation,
                "start_date": practice.start_date or "",
                "end_date": practice.end_date or ("ongoing" if practice.is_ongoing else ""),
                "url": base + practice.get_absolute_url(),
            }
            yield writer.writerow([inert(str(values[key])) for key, _label in CSV_COLUMNS])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="socore-good-practices.csv"'
    return response


def detail(request, pk):
    practice_access = access.get_practice_for_user(request, pk)
    return _render_detail(request, practice_access, None, None)


def _review_form(practice, transitions, data=None) -> ReviewForm:
    """The review form; for the second review, filled with the regional reviewer's scores."""
    earlier = practice.regional_review() if any(t.decides for t in transitions) else None
    return ReviewForm(data, earlier_review=earlier)


def _render_detail(request, practice_access, review_form, failed_action, status=200):
    practice = practice_access.practice
    transitions = practice.available_transitions(request.user)
    if review_form is None:
        review_form = _review_form(practice, transitions)
    context = {
        "practice": practice,
        "access": practice_access,
        "competences": practice.competences.select_related("area").order_by(
            "area__position", "position"
        ),
        "themes": practice.themes.all(),
        "target_groups": practice.target_groups.all(),
        "attachments": practice.attachments.all(),
        "presented_at": practice.presented_at(),
        "transitions": transitions,
        "show_rubric": any(t.rubric_required or t.comment_required for t in transitions),
        "review_form": review_form,
        "failed_action": failed_action,
    }
    if practice_access.sees_trail:
        context["steps"] = practice.steps.select_related("actor")
        context["versions"] = practice.versions.select_related("saved_by")
    return render(request, "practices/detail.html", context, status=status)


@ratelimit(key="ip", rate=public_pdf_rate, block=True)
def practice_pdf(request, pk):
    practice = access.get_practice_for_user(request, pk).practice
    html_context = {
        "practice": practice,
        "competences": practice.competences.select_related("area"),
        "themes": practice.themes.all(),
        "show_contact": request.user.is_authenticated,
    }
    pdf = render_shared_pdf("practices/pdf.html", html_context, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="good-practice-{practice.pk}.pdf"'
    return response


@login_required
def mine(request):
    roles = roles_of(request.user)
    practices = (
        GoodPractice.objects.of_partners(roles.partner_ids)
        .select_related("partner", "region")
        .order_by("-updated_at")
    )
    return render(
        request,
        "practices/mine.html",
        {"practices": practices, "is_member": roles.is_partner_staff},
    )


@login_required
def review_queue(request):
    """Everything waiting for this coordinator's review, practices and briefs, oldest first;
    `?kind=practice` or `?kind=brief` shows one kind (anything else: both)."""
    roles = roles_of(request.user)
    if not roles.is_coordinator:
        raise PermissionDenied
    kind = request.GET.get("kind")
    if kind not in review.KINDS:
        kind = None
    items = review.waiting_for(request.user)
    counts = {name: sum(1 for item in items if item.kind == name) for name in review.KINDS}
    return render(
        request,
        "practices/queue.html",
        {
            "items": [item for item in items if kind in (None, item.kind)],
            "kind": kind,
            "total": len(items),
            "practice_count": counts[review.PRACTICE],
            "brief_count": counts[review.BRIEF],
        },
    )


@login_required
def create(request):
    roles = roles_of(request.user)
    if not roles.memberships:
        raise PermissionDenied
    partner = roles.memberships[0].partner
    form = PracticeForm(request.POST or None, partner=partner)
    if request.method == "POST" and form.is_valid():
        form.instance.partner = partner
        form.instance.created_by = request.user
        practice = form.save()
        practice.editors.add(request.user)
        return _after_save(request, practice)
    return render(request, "practices/form.html", {"form": form, "practice": None})


def edit(request, pk):
    if not request.user.is_authenticated:
        if request.htmx:
            # An autosave after the session expired: the text stays in the browser meanwhile.
            return HttpResponse(
                _("Not saved: your session has ended. Sign in again; what you typed is kept.")
            )
        return redirect_to_login(request.get_full_path())
    practice_access = access.get_practice_for_user(request, pk, edit=True)
    practice = practice_access.practice
    before = practice.snapshot()
    form = PracticeForm(request.POST or None, instance=practice)
    if request.method == "POST" and request.htmx:
        return _autosave(request, practice, form)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            practice = form.save()
            practice.editors.add(request.user)
            if practice.snapshot() != before:
                practice.keep_version(by=request.user, content=before)
        return _after_save(request, practice)
    if request.method == "GET" and request.GET.get(MISSING):
        return _render_form(request, practice, *_marked(practice))
    return _render_form(request, practice, form)


# `?missing=1` on the edit page: the form as saved, each field still needed to submit marked.
MISSING = "missing"


def _marked(practice):
    """The practice's form bound to what is saved, with "Needed before you submit" on each
    field still missing, and (field, label) of those fields for the list above the form."""
    unbound = PracticeForm(instance=practice)
    data = MultiValueDict()
    for name, field in unbound.fields.items():
        value = field.prepare_value(unbound[name].value())
        if isinstance(value, list | tuple):
            data.setlist(name, [str(item) for item in value])
        elif value not in (None, False):
            data[name] = value
    form = PracticeForm(data, instance=practice)
    form.is_valid()
    missing = [
        (form[name], label) for name, label in practice.missing_by_field() if name in form.fields
    ]
    for field, _label in missing:
        form.add_error(field.name, _("Needed before you submit for review."))
    return form, missing


def _render_form(request, practice, form, missing=()):
    return render(
        request,
        "practices/form.html",
        {
            "form": form,
            "practice": practice,
            "missing": missing,
            "attachment_form": AttachmentForm(),
            "attachments": practice.attachments.all(),
        },
    )


def _autosave(request, practice, form):
    """Background save of a draft while typing; explicit saves alone make versions."""
    if practice.status != Status.DRAFT:
        return HttpResponse(_("Autosave is for drafts; use “Save changes” to keep your changes."))
    if not form.is_valid():
        return HttpResponse(_("Not saved yet: some fields need attention."))
    form.save()
    practice.editors.add(request.user)
    response = HttpResponse(
        _("Draft saved at %(time)s.") % {"time": timezone.localtime().strftime("%H:%M")}
    )
    response["X-Draft-Saved"] = "1"
    return response


def _after_save(request, practice):
    """Save, then submit when asked to; a refused submission keeps what was saved, and the
    form then marks each field still missing (`_marked`)."""
    action = request.POST.get("then")
    if action in ("submit", "resubmit"):
        try:
            practice.transition(action, by=request.user)
        except TransitionRefused as refusal:
            if refusal.errors.get("missing"):
                messages.warning(
                    request,
                    _("Saved, but not submitted yet: some fields are still empty."),
                    extra_tags=f"{SAVED_TAG} practice-{practice.pk}",
                )
                edit_url = reverse("practices:edit", args=[practice.pk])
                return redirect(f"{edit_url}?{MISSING}=1#missing-fields")
            messages.warning(
                request,
                _("Saved, but not submitted yet. ") + str(refusal),
                extra_tags=f"{SAVED_TAG} practice-{practice.pk}",
            )
            return redirect("practices:edit", practice.pk)
        messages.success(
            request,
            _("Submitted for review. The regional coordinator will be notified."),
            extra_tags=f"{SAVED_TAG} practice-{practice.pk}",
        )
        return redirect(practice)
    messages.success(request, _("Saved."), extra_tags=f"{SAVED_TAG} practice-{practice.pk}")
    return redirect("practices:edit", practice.pk)


@login_required
@require_POST
def transition(request, pk, action):
    practice_access = access.get_practice_for_user(request, pk)
    practice = practice_access.practice
    transitions = practice.available_transitions(request.user)
    if action not in {t.action for t in transitions}:
        raise PermissionDenied
    form = _review_form(practice, transitions, request.POST)
    if not form.is_valid():
        # A comment or a score that cannot be taken is not dropped: the step waits for it.
        messages.error(request, _("Please correct the fields marked below."))
        return _render_detail(request, practice_access, form, action, status=400)
    try:
        practice.transition(
            action,
            by=request.user,
            comment=form.cleaned_data.get("comment", ""),
            rubric=form.rubric(),
        )
    except TransitionRefused as refusal:
        for field, message in refusal.errors.items():
            if field in form.fields:
                form.add_error(field, str(message))
        messages.error(request, str(refusal))
        return _render_detail(request, practice_access, form, action, status=400)
    if practice.TRANSITIONS[action].decides:
        done = _("Done: “%(title)s” is now “%(status)s”.") % {
            "title": practice.title,
            "status": practice.get_status_display(),
        }
        return review.after_decision(request, practice, done)
    messages.success(
        request,
        _("Done: the practice is now “%(status)s”.") % {"status": practice.get_status_display()},
    )
    return redirect(practice)


@login_required
@require_POST
def upload(request, pk):
    practice = access.get_practice_for_user(request, pk, edit=True).practice
    form = AttachmentForm(request.POST, request.FILES, existing=practice.attachments.count())
    if form.is_valid():
        for checked in form.cleaned_data["files"]:
            attachment = Attachment(
                practice=practice,
                name=checked.name,
                content_type=checked.content_type,
                size=len(checked.data),
                uploaded_by=request.user,
            )
            attachment.file.save(checked.name, ContentFile(checked.data), save=False)
            attachment.save()
        practice.editors.add(request.user)
        messages.success(request, _("Files added."))
        return redirect("practices:edit", practice.pk)
    return render(
        request,
        "practices/form.html",
        {
            "form": PracticeForm(instance=practice),
            "practice": practice,
            "attachment_form": form,
            "attachments": practice.attachments.all(),
        },
        status=400,
    )


def attachment(request, pk, attachment_pk):
    practice = access.get_practice_for_user(request, pk).practice
    item = get_object_or_404(Attachment, pk=attachment_pk, practice=practice)
    return downloads.uploaded_file(item.file, content_type=item.content_type, filename=item.name)


@login_required
@require_POST
def delete_attachment(request, pk, attachment_pk):
    practice = access.get_practice_for_user(request, pk, edit=True).practice
    item = get_object_or_404(Attachment, pk=attachment_pk, practice=practice)
    item.file.delete(save=False)
    item.delete()
    practice.editors.add(request.user)
    messages.success(request, _("“%(name)s” removed.") % {"name": item.name})
    return redirect("practices:edit", practice.pk)


def version_diff(request, pk, number):
    """What changed from version `number` to the next one (or to the current text)."""
    practice_access = access.get_practice_for_user(request, pk)
    if not practice_access.sees_trail:
        raise Http404
    practice = practice_access.practice
    old, newer, changes = workflow.version_changes(practice, number, _field_label)
    return render(
        request,
        "practices/diff.html",
        {"practice": practice, "old": old, "newer": newer, "changes": changes},
    )


def _field_label(name: str) -> str:
    try:
        return str(GoodPractice._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001 - a name no longer on the model shows as it is
        return name
