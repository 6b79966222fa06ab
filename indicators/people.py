"""How a person is named on pages: full name and position, never the username (that is for logging in)."""

from typing import TYPE_CHECKING

from django.core.exceptions import ObjectDoesNotExist

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def full_name(*, last_name: str | None, first_name: str | None, username: str | None = "") -> str:
    """ "Đinh Anh Trường": họ và tên đệm (last_name) then tên (first_name), one space between; the
    username if neither is set. The one way a person's name is written, for a loaded user
    (`person_name`) and for columns read without one (a workbook import's stale-copy message)."""
    name = " ".join(f"{last_name or ''} {first_name or ''}".split())
    return name or (username or "")


def person_name(user: "User | None") -> str:
    """The user's full name (`full_name`), "" for nobody."""
    if user is None:
        return ""
    return full_name(last_name=user.last_name, first_name=user.first_name, username=user.get_username())


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
