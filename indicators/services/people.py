"""Accounts, roles (with their RoleChange rows) and how pages name a person."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Committee, Profile, Role, RoleChange, RoleChangeAction, RoleKind

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def account_get_or_create(
    *, username: str, password: str | None = None, superuser: bool = False, email: str = ""
) -> tuple["User", bool]:
    """(user, created). A new account gets `password` (none: it cannot log in yet) and `email`; an
    existing account is left as it is: neither granting a role nor loading the demo resets a password."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is not None:
        return user, False
    user = user_model(username=username, is_staff=superuser, is_superuser=superuser, email=email)
    user.full_clean(exclude=["password"])
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    return user, True


@dataclass(frozen=True)
class RoleGrant:
    user: "User"
    role: Role
    user_created: bool
    role_created: bool


def _role_history(role: Role, action: str, by: "User | None") -> RoleChange:
    return RoleChange.objects.create(
        user=role.user,
        username=role.user.get_username(),
        committee=role.committee,
        committee_code=role.committee.code,
        role=role.role,
        action=action,
        changed_by=by,
        changed_at=timezone.now(),
    )


@transaction.atomic
def role_grant(
    *,
    username: str,
    committee: Committee,
    role: str,
    password: str | None = None,
    email: str | None = None,
    by: "User | None" = None,
) -> RoleGrant:
    """Give `username` a role on `committee`, with its RoleChange row; a new user gets `password`
    (account_get_or_create's policy: an existing user's password is never changed here).
    `email`, when given, becomes the user's address (where notifications are sent)."""
    if role not in RoleKind.values:
        raise ValueError(_("Vai trò “%(role)s” không hợp lệ.") % {"role": role})
    user, user_created = account_get_or_create(username=username, password=password)
    if email is not None and email != user.email:
        user.email = email
        user.full_clean(exclude=["password"])
        user.save(update_fields=["email"])
    role_obj, role_created = Role.objects.get_or_create(user=user, committee=committee, role=role)
    if role_created:
        _role_history(role_obj, RoleChangeAction.GRANTED, by)
    return RoleGrant(user=user, role=role_obj, user_created=user_created, role_created=role_created)


@transaction.atomic
def role_revoke(*, role: Role, by: "User | None" = None) -> None:
    """Take a role away, with its RoleChange row."""
    _role_history(role, RoleChangeAction.REVOKED, by)
    role.delete()


@transaction.atomic
def person_update(*, user: "User", last_name: str, first_name: str, position: str) -> "User":
    """Set how pages name a user: họ và tên đệm, tên, and position (chức vụ)."""
    user.last_name, user.first_name = last_name.strip(), first_name.strip()
    user.full_clean(exclude=["password"])
    user.save(update_fields=["last_name", "first_name"])
    profile, _created = Profile.objects.get_or_create(user=user)
    profile.position = position.strip()
    profile.full_clean()
    profile.save(update_fields=["position"])
    return user
