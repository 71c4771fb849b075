"""A respondent's own pages: their responses, profile, its PDF, data export and erasure."""

import json

from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from partners import personal_data
from socore.lib.pdf import render_pdf

from ..analysis.change import own_change
from ..answering import todo
from ..models import Response
from .personal_data import erase_user_data, is_kept_anonymised
from .profile import REGION_MINIMUM, build_profile, get_own_response


@never_cache
@login_required
def response_list(request):
    responses = (
        Response.objects.filter(respondent=request.user)
        .select_related("campaign__survey")
        .annotate(answer_count=Count("answers"))
        .order_by("-started_at")
    )
    # Each unfinished response of an open campaign: a button back to where they stopped.
    continue_urls = {r.pk: r.continue_url for r in todo.unfinished(request.user)}
    responses = list(responses)
    for response in responses:
        response.continue_url = continue_urls.get(response.pk)
    return render(
        request,
        "surveys/results/list.html",
        {"responses": responses, "invitations": todo.waiting_invitations(request.user)},
    )


def _profile_context(request, pk: int) -> dict:
    response = get_own_response(request, pk)
    context = {"response": response, "region_minimum": REGION_MINIMUM}
    if response.status == Response.Status.SUBMITTED:
        context["profile"] = build_profile(response)
    return context


@never_cache
@login_required
def profile(request, pk: int):
    context = _profile_context(request, pk)
    if "profile" in context:
        context["own_change"] = own_change(context["response"])
    return render(request, "surveys/results/profile.html", context)


@never_cache
@login_required
def profile_pdf(request, pk: int):
    context = _profile_context(request, pk)
    if "profile" not in context:
        return render(request, "surveys/results/profile.html", context, status=404)
    context["generated_at"] = timezone.now()
    pdf = render_pdf("surveys/results_pdf.html", context, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="my-profile-{pk}.pdf"'
    return response


@never_cache
@login_required
def my_data(request):
    data = personal_data.export(request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="my-socore-data.json"'
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def erase(request):
    if request.method == "POST":
        outcome = erase_user_data(request.user)
        return render(request, "surveys/results/erased.html", {"outcome": outcome})
    now = timezone.now()
    responses = Response.objects.filter(respondent=request.user).select_related("campaign")
    context = {
        "to_delete": [r for r in responses if not is_kept_anonymised(r, now)],
        "to_anonymise": [r for r in responses if is_kept_anonymised(r, now)],
    }
    return render(request, "surveys/results/erase.html", context)
