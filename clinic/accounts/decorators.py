from collections.abc import Callable
from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse

from clinic.accounts.models import Role


def role_required(*roles: Role) -> Callable:
    """Only users with one of `roles` may use the view; anyone else gets 404 (nothing is revealed)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.user.role not in roles:
                raise Http404
            return view(request, *args, **kwargs)

        wrapper.allowed_roles = roles
        return wrapper

    return decorator
