"""Policy briefs: public listing and page, authoring, review, versions and the PDF."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from partners.permissions import roles_of
from socore.lib.limits import public_pdf_rate
from socore.lib.pdf import render_shared_pdf

from .. import access, review, workflow
from ..models import BriefFinding, PolicyBrief
from ..workflow import TransitionRefused
from .findings import cited_findings, figures_frozen, render_body
from .forms import BriefCommentForm, BriefFilterForm, BriefForm, FindingForm

PAGE_SIZE = 20


def listing(request):
    form = BriefFilterForm(request.GET or None)
    form.is_valid()  # an unknown region or area is ignored, the rest still applies
    chosen = getattr(form, "cleaned_data", {})
    briefs = PolicyBrief.objects.published()
    if chosen.get("region"):
        briefs = briefs.filter(regions=chosen["region"])
    if chosen.get("area"):
        # Through the findings it cites, or the practices it cites.
        code = chosen["area"]
        briefs = briefs.filter(
            Exists(BriefFinding.objects.filter(brief=OuterRef("pk"), competence__area__code=code))
            | Exists(
                PolicyBrief.practices.through.objects.filter(
                    policybrief=OuterRef("pk"), goodpractice__competences__area__code=code
                )
            )
        )
    briefs = briefs.select_related("partner").prefetch_related("regions").order_by("-published_at")
    page = Paginator(briefs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "practices/briefs/list.html", {"form": form, "page": page})


def detail(request, pk):
    brief_access = access.get_brief_for_user(request, pk)
    return _render_detail(request, brief_access, BriefCommentForm(), None)


def _evidence(brief):
    practices = brief.practices.select_related("region").order_by("title")
    findings = cited_findings(brief)
    return practices, findings


def _render_detail(request, brief_access, comment_form, failed_action, status=200):
    brief = brief_access.brief
    practices, findings = _evidence(brief)
    context = {
        "brief": brief,
        "access": brief_access,
        "regions": brief.regions.all(),
        "body": render_body(brief, findings),
        "practices": practices,
        "findings": findings,
        "figures_frozen": figures_frozen(brief),
        "transitions": brief.available_transitions(request.user),
        "comment_form": comment_form,
        "failed_action": failed_action,
    }
    if brief_access.sees_trail:
        context["steps"] = brief.steps.select_related("actor")
        context["versions"] = brief.versions.select_related("saved_by")
    return render(request, "practices/briefs/detail.html", context, status=status)


@ratelimit(key="ip", rate=public_pdf_rate, block=True)
def brief_pdf(request, pk):
    brief = access.get_brief_for_user(request, pk).brief
    practices, findings = _evidence(brief)
    context = {
        "brief": brief,
        "regions": brief.regions.all(),
        "body": render_body(brief, findings),
        "practices": practices,
        "findings": findings,
        "figures_frozen": figures_frozen(brief),
        "site_url": request.build_absolute_uri("/")[:-1],
    }
    pdf = render_shared_pdf("practices/briefs/pdf.html", context, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="policy-brief-{brief.pk}.pdf"'
    return response


@login_required
def mine(request):
    """The briefs this person writes, and those waiting for their review."""
    roles = roles_of(request.user)
    written = (
        PolicyBrief.objects.written_by(request.user)
        .select_related("partner")
        .prefetch_related("regions")
        .order_by("-updated_at")
    )
    waiting = (
        PolicyBrief.objects.waiting_for(request.user)
        .select_related("partner")
        .prefetch_related("regions")
        .order_by("submitted_at")
        if roles.is_coordinator
        else PolicyBrief.objects.none()
    )
    return render(
        request,
        "practices/briefs/mine.html",
        {
            "written": written,
            "waiting": waiting,
            "is_member": roles.is_partner_staff,
            "is_coordinator": roles.is_coordinator,
        },
    )


@login_required
def create(request):
    roles = roles_of(request.user)
    if not roles.memberships:
        raise PermissionDenied
    partner = roles.memberships[0].partner
    form = BriefForm(request.POST or None, partner=partner)
    finding_form = _finding_form(request, partner)
    if request.method == "POST" and _valid(form, finding_form):
        with transaction.atomic():
            form.instance.partner = partner
            form.instance.created_by = request.user
            brief = form.save()
            brief.editors.add(request.user)
            if finding_form.is_bound:
                return _cite(request, brief, finding_form)
        return _after_save(request, brief)
    return _render_form(request, None, form, finding_form)


@login_required
def edit(request, pk):
    brief = access.get_brief_for_user(request, pk, edit=True).brief
    before = brief.snapshot()
    form = BriefForm(request.POST or None, instance=brief)
    finding_form = _finding_form(request, brief.partner)
    if request.method == "POST" and _valid(form, finding_form):
        with transaction.atomic():
            brief = form.save()
            brief.editors.add(request.user)
            if finding_form.is_bound:
                return _cite(request, brief, finding_form, before=before)
            if brief.snapshot() != before:
                brief.keep_version(by=request.user, content=before)
        return _after_save(request, brief)
    return _render_form(request, brief, form, finding_form)


# "Cite this finding" in the editor sends the whole form: the brief is saved (made, if new)
# and the finding's label written into the text where the cursor was.
CITE = "cite"


def _finding_form(request, partner) -> FindingForm:
    citing = request.method == "POST" and request.POST.get("then") == CITE
    return FindingForm(request.POST if citing else None, partner=partner, prefix=CITE)


def _valid(form, finding_form) -> bool:
    valid = form.is_valid()
    return (finding_form.is_valid() if finding_form.is_bound else True) and valid


def _cite(request, brief, finding_form, *, before=None, at=None):
    """Add the finding; with `at` (the cursor, in characters of the text as the browser
    counts them), write its label there too. Keeps the version the change replaces."""
    finding = finding_form.save(brief)
    if at is None:
        at = request.POST.get(f"{CITE}-at", "")
    if request.POST.get("then") == CITE:
        text = brief.body.replace("\r\n", "\n")
        position = int(at) if at.isdigit() and int(at) <= len(text) else len(text)
        brief.body = f"{text[:position]}[{finding.label}]{text[position:]}"
        brief.save()
        written = _("Finding %(label)s added and [%(label)s] written in the text.")
    else:
        written = _("Finding %(label)s added: write [%(label)s] in the text where it belongs.")
    brief.editors.add(request.user)
    if before is not None:
        brief.keep_version(by=request.user, content=before)
    messages.success(request, written % {"label": finding.label})
    return redirect(f"{reverse('briefs:edit', args=[brief.pk])}#id_body")


def _render_form(request, brief, form, finding_form, status=None):
    if status is None:
        status = 400 if finding_form.errors else 200
    return render(
        request,
        "practices/briefs/form.html",
        {
            "form": form,
            "brief": brief,
            "finding_form": finding_form,
            "findings": (
                brief.findings.select_related("region", "campaign", "competence") if brief else ()
            ),
        },
        status=status,
    )


def _after_save(request, brief):
    """Saved; then sent to review when asked to. A refused submission keeps what was saved."""
    if request.POST.get("then") == "submit":
        try:
            brief.submit(by=request.user)
        except TransitionRefused as refusal:
            messages.warning(request, _("Saved, but not submitted yet. ") + str(refusal))
            return redirect("briefs:edit", brief.pk)
        messages.success(
            request, _("Submitted for review. The coordinators of its regions will be notified.")
        )
        return redirect(brief)
    messages.success(request, _("Saved."))
    return redirect("briefs:edit", brief.pk)


@login_required
@require_POST
def add_finding(request, pk):
    brief = access.get_brief_for_user(request, pk, edit=True).brief
    form = FindingForm(request.POST, partner=brief.partner)
    if form.is_valid():
        with transaction.atomic():
            return _cite(request, brief, form, before=brief.snapshot())
    return _render_form(request, brief, BriefForm(instance=brief), form, status=400)


@login_required
@require_POST
def remove_finding(request, pk, finding_pk):
    brief = access.get_brief_for_user(request, pk, edit=True).brief
    finding = get_object_or_404(brief.findings, pk=finding_pk)
    with transaction.atomic():
        before = brief.snapshot()
        finding.delete()
        brief.editors.add(request.user)
        brief.keep_version(by=request.user, content=before)
    messages.success(request, _("Finding %(label)s removed.") % {"label": finding.label})
    return redirect("briefs:edit", brief.pk)


@login_required
@require_POST
def transition(request, pk, action):
    brief_access = access.get_brief_for_user(request, pk)
    brief = brief_access.brief
    if action not in {t.action for t in brief.available_transitions(request.user)}:
        raise PermissionDenied
    form = BriefCommentForm(request.POST)
    if not form.is_valid():
        # A comment that cannot be taken is not dropped: the step waits for it.
        messages.error(request, _("Please correct the fields marked below."))
        return _render_detail(request, brief_access, form, action, status=400)
    try:
        brief.transition(action, by=request.user, comment=form.cleaned_data.get("comment", ""))
    except TransitionRefused as refusal:
        for field, message in refusal.errors.items():
            if field in form.fields:
                form.add_error(field, str(message))
        messages.error(request, str(refusal))
        return _render_detail(request, brief_access, form, action, status=400)
    if brief.TRANSITIONS[action].decides:
        done = _("Done: “%(title)s” is now “%(status)s”.") % {
            "title": brief.title,
            "status": brief.get_status_display(),
        }
        return review.after_decision(request, brief, done)
    if action == "comment":
        messages.success(request, _("Your comment was added and sent to the author."))
    else:
        messages.success(
            request,
            _("Done: the policy brief is now “%(status)s”.")
            % {"status": brief.get_status_display()},
        )
    return redirect(brief)


def version_diff(request, pk, number):
    """What changed from version `number` to the next one (or to the current text)."""
    brief_access = access.get_brief_for_user(request, pk)
    if not brief_access.sees_trail:
        raise Http404
    brief = brief_access.brief
    old, newer, changes = workflow.version_changes(brief, number, _field_label)
    return render(
        request,
        "practices/briefs/diff.html",
        {"brief": brief, "old": old, "newer": newer, "changes": changes},
    )


def _field_label(name: str) -> str:
    if name == "findings":
        return _("Findings cited")
    try:
        return capfirst(PolicyBrief._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001 - a name no longer on the model shows as it is
        return name
