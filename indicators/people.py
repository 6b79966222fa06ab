"""How a person is named on pages: full name and position, never the username (that is for logging in)."""

from django.core.exceptions import ObjectDoesNotExist


def person_name(user) -> str:
    """ "Đinh Anh Trường": họ và tên đệm (last_name) then tên (first_name); the username if neither is set."""
    if user is None:
        return ""
    return f"{user.last_name} {user.first_name}".strip() or user.get_username()


def person_position(user) -> str:
    """The position, "" without one. Load users with select_related("…__profile") to keep this query-free."""
    if user is None:
        return ""
    try:
        return user.profile.position
    except ObjectDoesNotExist:
        return ""


def person_label(user) -> str:
    """ "Đinh Anh Trường (Bí thư Đảng ủy xã Nông Hạ)", or the name alone."""
    name, position = person_name(user), person_position(user)
    return f"{name} ({position})" if position else name
