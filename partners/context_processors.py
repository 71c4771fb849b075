from .permissions import roles_of


def roles(request) -> dict:
    """The current user's roles, for navigation that depends on them."""
    user = getattr(request, "user", None)
    return {"roles": roles_of(user) if user is not None else None}
