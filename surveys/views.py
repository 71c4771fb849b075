from django.db.models import Prefetch
from django.shortcuts import render

from .models import Competence, Framework


def framework(request):
    """The competence framework in use, public."""
    current = Framework.objects.current()
    areas = []
    if current is not None:
        areas = current.areas.prefetch_related(
            Prefetch("competences", queryset=Competence.objects.order_by("position"))
        ).order_by("position")
    return render(request, "surveys/framework.html", {"framework": current, "areas": areas})
