from itertools import groupby

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from . import personal_data
from .consortium import CONSORTIUM_SIZE
from .forms import DeleteAccountForm, PartnerForm, ProfileForm
from .models import Partner, Region
from .permissions import can_add_partner, can_edit_partner, get_partner_for_user, roles_of


def partner_list(request):
    regions = Region.objects.prefetch_related(
        Prefetch("partners", queryset=Partner.objects.order_by("-is_lead", "name"))
    ).order_by("country", "name")
    countries, entered = [], 0
    for code, group in groupby(regions, key=lambda region: region.country):
        members = list(group)
        countries.append(
            {
                "code": code,
                "name": members[0].country_name,
                "regions": [region for region in members if region.partners.all()],
            }
        )
        entered += sum(len(region.partners.all()) for region in members)
    return render(
        request,
        "partners/list.html",
        {
            "countries": countries,
            "can_add": can_add_partner(request.user),
            "entered": entered,
            "consortium_size": CONSORTIUM_SIZE,
        },
    )


def partner_detail(request, slug):
    partner = get_partner_for_user(request, slug)
    context = {"partner": partner, "can_edit": can_edit_partner(request.user, partner)}
    if roles_of(request.user).is_consortium_coordinator:
        context["region_changes"] = partner.region_changes.select_related(
            "from_region", "to_region", "changed_by"
        )
    return render(request, "partners/detail.html", context)


@login_required
def partner_add(request):
    if not can_add_partner(request.user):
        raise PermissionDenied
    form = PartnerForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        partner = form.save()
        messages.success(request, _("Partner “%(name)s” added.") % {"name": partner.name})
        return redirect(partner)
    return render(request, "partners/form.html", {"form": form, "partner": None})


@login_required
def partner_edit(request, slug):
    partner = get_partner_for_user(request, slug, edit=True)
    form = PartnerForm(request.POST or None, instance=partner, user=request.user)
    if request.method == "POST" and form.is_valid():
        partner = form.save()
        messages.success(request, _("Changes saved."))
        return redirect(partner)
    return render(request, "partners/form.html", {"form": form, "partner": partner})


@never_cache
@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        translation.activate(user.language or translation.get_language_from_request(request))
        messages.success(request, _("Your profile was saved."))
        return redirect("profile")
    return render(
        request,
        "account/profile.html",
        {"form": form, "memberships": roles_of(request.user).memberships},
    )


@never_cache
@login_required
def delete_account(request):
    """The person deletes their own account, after confirming with their password."""
    form = DeleteAccountForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        personal_data.delete_account(request.user)
        logout(request)
        messages.success(request, _("Your account was deleted."))
        return redirect("home")
    return render(
        request, "account/delete.html", {"form": form}, status=400 if form.errors else 200
    )


@require_POST
def set_language(request):
    """Django's language switch; a signed-in user also keeps the choice on their profile."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        request.user.language = language
        request.user.save(update_fields=["language"])
    return response
