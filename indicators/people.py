"""How a person is named on pages: full name and position, never the username (that is for logging in)."""

from typing import TYPE_CHECKING

from django.core.exceptions import ObjectDoesNotExist

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def person_name(user: "User | None") -> str:
    """ "Đinh Anh Trường": họ và tên đệm (last_name) then tên (first_name); the username if neither is set."""
    if user is None:
        return ""
    return f"{user.last_name} {user.first_name}".strip() or user.get_username()


def person_position(user: "User | None") -> str:
    """The position, "" without one. Load users with select_related("…__profile") to keep this query-free."""
    if user is None:
        return ""
    try:
        return str(user.profile.position)
    except ObjectDoesNotExist:
        return ""


def person_label(user: "User | None") -> str:
    """ "Đinh Anh Trường (Bí thư Đảng ủy xã Nông Hạ)", or the name alone."""
    name, position = person_name(user), person_position(user)
    return f"{name} ({position})" if position else name
