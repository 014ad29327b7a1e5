from collections.abc import Callable
from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse

from clinic.accounts.models import Role
from clinic.accounts.reach import Kind, Level, staff_roles


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


def reach_required(kind: Kind, level: Level = Level.READ) -> Callable:
    """A staff page about records of `kind`: the staff roles that reach them at `level` (clinic.accounts.reach).

    The role is the first gate; which records of the kind the user reaches is the
    view's queryset (`Case.objects.reaching(user, kind, level)`), also read from the table.
    """
    roles = staff_roles(kind, level)
    if not roles:
        raise ValueError(f"no staff role reaches {kind} at {level.word}: a page for nobody")
    return role_required(*roles)
