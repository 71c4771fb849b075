def review_queue(request) -> dict:
    """How many practices wait for this coordinator, for the navigation."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from partners.permissions import roles_of

    if not roles_of(user).is_coordinator:
        return {}
    from .models import GoodPractice

    return {"review_count": GoodPractice.objects.waiting_for(user).count()}
