"""Campaign management for coordinators, at /campaigns/.

Every view goes through get_campaign_for_user. Coordinators see counts, never who answered
what: the invitation list says who was invited, not who submitted (nor who was reminded, which
would tell the same).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partners.permissions import require_coordinator, roles_of

from .. import analysis, tasks
from ..framework.forms import TranslationsForm
from ..i18n import campaign_texts, page_context, save_sent, translation_language
from ..models import Campaign, Framework, Response
from . import invitations
from .forms import CampaignForm, InvitationUploadForm


def campaigns_for(user):
    """The campaigns a user manages: all for the consortium, their regions' for a coordinator."""
    roles = roles_of(user)
    if roles.is_consortium_coordinator:
        return Campaign.objects.all()
    # Consortium-wide campaigns (no region) are the consortium coordinators' alone.
    return Campaign.objects.filter(region_id__in=roles.coordinated_region_ids)


def with_counts(campaigns):
    """Invited / started / submitted per campaign, in the same query."""
    return campaigns.annotate(
        invited_count=Count("invitations", distinct=True),
        started_count=Count("responses", distinct=True),
        submitted_count=Count(
            "responses", filter=Q(responses__status=Response.Status.SUBMITTED), distinct=True
        ),
    )


def shown_counts(campaign: Campaign) -> Campaign:
    """The counts of `with_counts` as a page may print them (analysis.participation)."""
    campaign.shown_started = analysis.participation(campaign.started_count)
    campaign.shown_submitted = analysis.participation(campaign.submitted_count)
    return campaign
    campaign.shown_started = analysis.participation(campaign.started_count)
    campaign.shown_submitted = analysis.participation(campaign.submitted_count)
    return campaign


def get_campaign_for_user(request, pk: int) -> Campaign:
    """The campaign, for a coordinator who manages it; 404 for everyone else."""
    require_coordinator(request.user, hide=True)
    try:
        campaign = (
            with_counts(campaigns_for(request.user))
            .select_related("survey", "survey__framework", "region")
            .get(pk=pk)
        )
    except Campaign.DoesNotExist:
        raise Http404 from None
    return shown_counts(campaign)


@login_required
def campaign_list(request):
    require_coordinator(request.user, hide=True)
    campaigns = with_counts(campaigns_for(request.user)).select_related("survey", "region")
    return render(
        request,
        "surveys/campaigns/list.html",
        {"campaigns": [shown_counts(campaign) for campaign in campaigns]},
    )


def _freeze_framework(framework_id: int) -> None:
    # Framework.save refuses a frozen version; an update reaches the row without that guard.
    Framework.objects.filter(pk=framework_id, frozen_at__isnull=True).update(
        frozen_at=timezone.now()
    )


@login_required
def create(request):
    require_coordinator(request.user, hide=True)
    form = CampaignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.instance.created_by = request.user
            campaign = form.save()
            _freeze_framework(campaign.survey.framework_id)
        messages.success(request, _("Campaign created."))
        return redirect("campaigns:detail", campaign.pk)
    return render(request, "surveys/campaigns/form.html", {"form": form, "campaign": None})


@login_required
def edit(request, pk):
    campaign = get_campaign_for_user(request, pk)
    form = CampaignForm(request.POST or None, instance=campaign, user=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            campaign = form.save()
            _freeze_framework(campaign.survey.framework_id)
        messages.success(request, _("Campaign saved."))
        return redirect("campaigns:detail", campaign.pk)
    return render(request, "surveys/campaigns/form.html", {"form": form, "campaign": campaign})


def _render_detail(request, campaign, upload_form=None, status=200):
    rate = None
    if campaign.target_responses and analysis.is_number(campaign.shown_submitted):
        rate = round(100 * campaign.submitted_count / campaign.target_responses)
    context = {
        "campaign": campaign,
        "open_link": invitations.open_link(campaign),
        "response_rate": rate,
        # Who was invited; deliberately not whether they answered, nor how many are left to
        # remind or were reminded: a count moving by one after a known invitee answers would
        # tell.
        "invitations": campaign.invitations.only("email", "name", "sent_at", "campaign_id"),
        "upload_form": upload_form or InvitationUploadForm(),
    }
    return render(request, "surveys/campaigns/detail.html", context, status=status)


@login_required
def detail(request, pk):
    return _render_detail(request, get_campaign_for_user(request, pk))


@login_required
@require_POST
def upload_invitations(request, pk):
    campaign = get_campaign_for_user(request, pk)
    form = InvitationUploadForm(request.POST, request.FILES)
    if campaign.state == "closed":
        form.add_error(None, _("The campaign has closed; no more invitations."))
    if not form.is_valid():
        return _render_detail(request, campaign, upload_form=form, status=400)
    try:
        result = invitations.invite(campaign, form.cleaned_data["file"].read())
    except invitations.InvitationFileError as error:
        form.add_error("file", str(error))
        return _render_detail(request, campaign, upload_form=form, status=400)
    # A file mostly read is a success; the lines left out are listed beside it, not as a failure.
    if result.invited or result.duplicates or not result.skipped:
        messages.success(request, result.summary())
    if result.skipped:
        messages.warning(request, result.skipped_summary())
    return redirect("campaigns:detail", campaign.pk)


@login_required
@require_POST
def send_reminders(request, pk):
    campaign = get_campaign_for_user(request, pk)
    if not campaign.is_open:
        messages.error(request, _("Reminders go out only while the campaign is open."))
        return redirect("campaigns:detail", campaign.pk)
    transaction.on_commit(lambda: tasks.send_reminders.delay(campaign.pk))
    messages.success(
        request,
        _(
            "Reminders are on their way to the invitees who have not submitted and have not "
            "been reminded yet."
        ),
    )
    return redirect("campaigns:detail", campaign.pk)


@login_required
def translations(request, pk, language):
    """The campaign's title and privacy notice in another language, beside the English: what
    a respondent who takes the survey in that language reads before consenting."""
    campaign = get_campaign_for_user(request, pk)
    language = translation_language(language)
    texts = campaign_texts(campaign)
    form = TranslationsForm(texts, language, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        save_sent(request, form, texts, language)
        return redirect("campaigns:translations", pk=campaign.pk, language=language)
    return render(
        request,
        "surveys/campaigns/translations.html",
        {
            **page_context(texts, language),
            "campaign": campaign,
            "form": form,
            "languages": [code for code, _name in settings.LANGUAGES if code != "en"],
        },
        status=400 if form.errors else 200,
    )
