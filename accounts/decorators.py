from functools import wraps

from django.core.exceptions import PermissionDenied

from accounts.roles import request_roles


def role_required(*roles):
    """The view is part of a role's workspace; others get 403 (the page is not secret, its data
    is scoped by selectors anyway)."""

    def decorator(view_func):
        @wraps(view_func)
        def wrapper(request, *args, **kwargs):
            if not set(roles) & set(request_roles(request)):
                raise PermissionDenied
            return view_func(request, *args, **kwargs)

        return wrapper

    return decorator
