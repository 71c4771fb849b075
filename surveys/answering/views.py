"""Answering a campaign: entry by open or invitation link, consent, one page per area.

Every page POST stores what it carries (Back, Next, "Save and continue later" and Submit
alike), so no answer is lost on a validation error, a closed tab or an expired session.
"""

import logging

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ..models import Answer, Area, Campaign, Competence, Invitation, LevelDescriptor, Response
from .forms import ANSWER_FIELDS, BackgroundForm, answer_form_class, is_complete

BACKGROUND_REQUIRED = ("organisation_type", "role", "experience")

logger = logging.getLogger(__name__)


def _invitation_of(campaign: Campaign, user) -> Invitation | None:
    """The user's invitation: already theirs, or unclaimed and sent to a verified address."""
    own = Invitation.objects.filter(campaign=campaign, user=user).first()
    if own is not None:
        return own
    return Invitation.objects.filter(
        user.addressed(verified=True), campaign=campaign, user__isnull=True
    ).first()


def _entry_response(request, campaign: Campaign, invitation: Invitation | None):
    """Where an entry link leads: the dates, the consent page, or the respondent's page."""
    state = campaign.state
    if state == "upcoming" or (state == "closed" and not request.user.is_authenticated):
        return render(request, "surveys/answer/not_open.html", {"campaign": campaign})
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    response = Response.objects.filter(campaign=campaign, respondent=request.user).first()
    if response is not None:
        return redirect(page_url(response, response.current_page))
    if state == "closed":
        return render(request, "surveys/answer/not_open.html", {"campaign": campaign})
    language = survey_language(request)
    with translation.override(language):
        if request.method == "POST":
            if "agree" not in request.POST:
                return render(request, "surveys/answer/declined.html", {"campaign": campaign})
            response, _created = Response.objects.get_or_create(
                campaign=campaign,
                respondent=request.user,
                defaults={
                    "invitation": invitation,
                    "consent_version": campaign.privacy_notice_version,
                    "consented_at": timezone.now(),
                    "language": language,
                },
            )
            return redirect(page_url(response, response.current_page))
        return render(
            request,
            "surveys/answer/consent.html",
            {"campaign": campaign, "language": language, "languages": settings.LANGUAGES},
        )


def survey_language(request) -> str:
    """The language asked for on the consent page (``language``), else the interface's."""
    asked = request.POST.get("language") or request.GET.get("language")
    if asked in dict(settings.LANGUAGES):
        return asked
    return translation.get_language() or settings.LANGUAGE_CODE


def _refuse(request, campaign: Campaign, reason: str):
    return render(
        request,
        "surveys/answer/refused.html",
        {"campaign": campaign, "reason": reason},
        status=403,
    )


def _bind_invitation(invitation: Invitation, user) -> bool:
    """Claim the invitation for this account; False when another account claimed it first."""
    if invitation.user_id is None:
        claimed = Invitation.objects.filter(pk=invitation.pk, user__isnull=True).update(user=user)
        if not claimed:
            return False
        invitation.user = user
    return invitation.user_id == user.pk


def open_link(request, link_token: str):
    """/surveys/c/<token>/: anyone for an open campaign, invitees for an invitation-only one."""
    campaign = get_object_or_404(Campaign.objects.select_related("survey"), link_token=link_token)
    invitation = None
    if campaign.access == Campaign.Access.INVITATION and request.user.is_authenticated:
        invitation = _invitation_of(campaign, request.user)
        if invitation is None:
            return _refuse(request, campaign, "invitation_only")
        if not _bind_invitation(invitation, request.user):
            return _refuse(request, campaign, "used_by_another")
    return _entry_response(request, campaign, invitation)


def invitation_link(request, token: str):
    """/surveys/i/<token>/: a personal link; the first account to use it keeps it."""
    invitation = get_object_or_404(Invitation.objects.select_related("campaign"), token=token)
    campaign = invitation.campaign
    if request.user.is_authenticated:
        if invitation.user_id is None:
            owner = (
                EmailAddress.objects.filter(email__iexact=invitation.email, verified=True)
                .exclude(user=request.user)
                .exists()
            )
            if owner:
                return _refuse(request, campaign, "someone_else")
        if not _bind_invitation(invitation, request.user):
            return _refuse(request, campaign, "used_by_another")
    return _entry_response(request, campaign, invitation)


# The pages --------------------------------------------------------------------------------


def page_url(response: Response, page: int) -> str:
    """The address of a page given by its position from 0 (``Response.current_page``): the
    address numbers it from 1, as the page itself does."""
    return reverse("answers:page", args=[response.pk, page + 1])


def _get_response_for_user(request, pk: int) -> Response:
    """The respondent's own response; anyone else's is 404."""
    try:
        return Response.objects.select_related("campaign__survey__framework").get(
            pk=pk, respondent=request.user
        )
    except Response.DoesNotExist:
        raise Http404 from None


# A frozen framework version never changes, so each process reads its pages once and keeps them.
_frozen_areas: dict[int, list[Area]] = {}


def _areas(response: Response) -> list[Area]:
    """The survey's pages: its framework's areas with their competences and level descriptors."""
    framework = response.campaign.survey.framework
    if framework.is_frozen and framework.pk in _frozen_areas:
        return _frozen_areas[framework.pk]
    levels = Prefetch("levels", queryset=LevelDescriptor.objects.order_by("level"))
    competences = Competence.objects.order_by("position", "pk").prefetch_related(levels)
    areas = list(
        Area.objects.filter(framework=framework)
        .order_by("position", "pk")
        .prefetch_related(Prefetch("competences", queryset=competences))
    )
    if framework.is_frozen:
        _frozen_areas[framework.pk] = areas
    return areas


def _answer_forms(response: Response, area: Area, data=None):
    """One form per competence of the area, bound to the POST or filled from stored answers."""
    form_class = answer_form_class(response.campaign.survey.kind)
    stored = {}
    if data is None:
        stored = {
            answer.competence_id: answer
            for answer in Answer.objects.filter(response=response, competence__area=area)
        }
    forms = []
    for competence in area.competences.all():
        answer = stored.get(competence.pk)
        initial = {name: getattr(answer, name) for name in ANSWER_FIELDS} if answer else None
        forms.append(
            form_class(data, prefix=f"c{competence.pk}", initial=initial, competence=competence)
        )
    return forms, stored


def _render_page(request, response, areas, page, *, forms=None, background=None, missing=None):
    campaign = response.campaign
    area = areas[page - 1] if page else None
    stored = {}
    if page == 0:
        background = background or BackgroundForm(instance=response)
    elif forms is None:
        forms, stored = _answer_forms(response, area)
    return render(
        request,
        "surveys/answer/page.html",
        {
            "response": response,
            "campaign": campaign,
            "kind": campaign.survey.kind,
            "editable": campaign.is_open,
            "area": area,
            "background": background,
            "forms": forms or [],
            "stored": stored,
            "page": page,
            "page_number": page + 1,
            "page_count": len(areas) + 1,
            "is_last": page == len(areas),
            "missing": missing,
            "has_errors": bool(
                (background is not None and background.errors)
                or any(form.errors for form in forms or [])
            ),
        },
    )


@never_cache
@login_required
def page(request, pk: int, number: int):
    """/surveys/responses/<pk>/pages/<number>/: page 1 asks about the respondent, each next
    page about one area of the framework."""
    if number < 1:
        raise Http404
    response = _get_response_for_user(request, pk)
    # The whole survey speaks the language the respondent chose for it at consent.
    with translation.override(response.language or translation.get_language()):
        return _page(request, response, number - 1)


def page_counted_from_0(request, pk: int, page: int):
    """The earlier addresses, /surveys/responses/<pk>/<page>/, counted pages from 0: they lead
    to the same page (a 308 has the browser send a POST again, so no answer is lost)."""
    return redirect("answers:page", pk=pk, number=page + 1, permanent=True, preserve_request=True)


def _page(request, response: Response, page: int):
    areas = _areas(response)
    if page > len(areas):
        raise Http404
    if request.method != "POST":
        return _render_page(request, response, areas, page)
    campaign = response.campaign
    if not campaign.is_open:
        messages.error(
            request,
            _("This survey is closed: your answers can no longer be changed."),
        )
        return redirect(page_url(response, page))
    return _save_page(request, response, areas, page)


def _save_page(request, response: Response, areas: list[Area], page: int):
    # Bound before anything is read or written, so the page can always be shown as sent.
    if page == 0:
        background, forms = BackgroundForm(request.POST, instance=response), []
    else:
        background, forms = None, _answer_forms(response, areas[page - 1], request.POST)[0]
    try:
        return _store_page(request, response, areas, page, forms, background)
    except (OperationalError, InterfaceError):
        # The connection to PostgreSQL was lost under the save (a restart, a failover): the
        # transaction is rolled back and the connection dropped, so the page is rendered on
        # a new one, with what was typed and a request to send it again.
        logger.warning(
            "response %s: page %s not saved, database connection lost", response.pk, page
        )
        messages.error(
            request,
            _(
                "Your answers on this page could not be saved: the connection to the database "
                "was interrupted. They are still filled in below: press the button again."
            ),
        )
        reply = _render_page(request, response, areas, page, forms=forms, background=background)
        reply.status_code = 503
        reply["Retry-After"] = "5"
        return reply


def _store_page(request, response: Response, areas: list[Area], page: int, forms, background):
    """Store the page's answers (or About you) in one transaction, then go where asked."""
    action = request.POST.get("action", "next")
    targets = {"back": max(page - 1, 0), "next": min(page + 1, len(areas))}
    target = targets.get(action, page)
    with transaction.atomic():
        if page == 0:
            background.is_valid()
            values = {
                name: background.cleaned_data[name]
                for name in background.Meta.fields
                if name in background.cleaned_data
            }
        else:
            _store_answers(response, forms)
            values = {}
        has_errors = bool(background and background.errors) or any(f.errors for f in forms)
        if has_errors:
            target = page
        Response.objects.filter(pk=response.pk).update(
            current_page=target, updated_at=timezone.now(), **values
        )
    for name, value in values.items():
        setattr(response, name, value)
    response.current_page = target
    if has_errors:
        return _render_page(request, response, areas, page, forms=forms, background=background)
    if action == "submit":
        return _submit(request, response, areas, page)
    if action == "save":
        entry = request.build_absolute_uri(_entry_url(response))
        # The address as a real link (the translated sentence is ours; the link is escaped).
        sentence = _("Your answers are saved. To continue later, come back to %(link)s.")
        link = format_html('<a href="{0}">{0}</a>', entry)
        messages.success(request, format_html(sentence.replace("%(link)s", "{}"), link))
    return redirect(page_url(response, target))


def _store_answers(response: Response, forms) -> None:
    """Upsert the page's answers in one statement; a competence left empty has no row."""
    valid = [form for form in forms if form.is_valid()]
    rows = [
        Answer(response=response, competence=form.competence, **form.answer_values())
        for form in valid
        if not form.is_empty()
    ]
    if rows:
        Answer.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["response", "competence"],
            update_fields=list(ANSWER_FIELDS),
        )
    empty = [form.competence.pk for form in valid if form.is_empty()]
    if empty:
        Answer.objects.filter(response=response, competence_id__in=empty).delete()


def _entry_url(response: Response) -> str:
    if response.invitation_id:
        return reverse("answers:invitation", args=[response.invitation.token])
    return reverse("answers:open", args=[response.campaign.link_token])


def missing_answers(response: Response, areas: list[Area]) -> list[dict]:
    """What submission still needs: background questions and competences, with their page."""
    missing = [
        {"label": Response._meta.get_field(name).verbose_name, "url": page_url(response, 0)}
        for name in BACKGROUND_REQUIRED
        if not getattr(response, name)
    ]
    kind = response.campaign.survey.kind
    answers = {answer.competence_id: answer for answer in Answer.objects.filter(response=response)}
    for number, area in enumerate(areas, start=1):
        for competence in area.competences.all():
            if not is_complete(answers.get(competence.pk), kind):
                missing.append({"competence": competence, "url": page_url(response, number)})
    return missing


def _submit(request, response: Response, areas: list[Area], page: int):
    missing = missing_answers(response, areas)
    if missing:
        return _render_page(request, response, areas, page, missing=missing)
    now = timezone.now()
    Response.objects.filter(pk=response.pk).update(
        status=Response.Status.SUBMITTED, submitted_at=now, updated_at=now
    )
    Response.objects.release_due(response.campaign)
    messages.success(request, _("Thank you: your answers are submitted."))
    return redirect("results:profile", pk=response.pk)
