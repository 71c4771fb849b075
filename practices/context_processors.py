def review_queue(request) -> dict:
    """How many records (practices and briefs) wait for this coordinator, for the navigation."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from partners.permissions import roles_of

    if not roles_of(user).is_coordinator:
        return {}
    from .review import count_waiting

    return {"review_count": sum(count_waiting(user).values())}
