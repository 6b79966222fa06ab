"""The one rule that decides who may see and do what. Every view, export and API uses it.

- A superuser may do everything; other staff may view everything.
- A role (secretary or viewer) on a committee lets the user view it and everything below it.
- A secretary of a committee may assess and submit that committee's review.
- A role on a committee's direct parent lets the user approve, return or reopen its review.
- A role on a committee lets the user set the deadlines of the committees below it, and assign
  indicators of its Congress resolution to its direct children (staff setting terms up too).
- Staff set terms up: create a term, its committees, resolutions and indicators (workbook import),
  with the statuses a set-up workbook carries.
- A role on a committee of a new term holds on each of its predecessors in the term before too
  (2025: the new Thái Nguyên's staff on the old Thái Nguyên and Bắc Kạn): they view those
  committees and their subtrees, and write the end-of-term review of the predecessors'
  resolutions (never their mid-term review: that one is the old committees' own people's). The
  old committees' own people keep their roles.
- The site itself (a management command, the demo loader, a scheduled job) acts as `by=None`:
  no rule stops it. A request always has a user (perhaps anonymous), never None.

Every service that takes a user asks `authorize`, which raises `Refused` (a PermissionDenied:
Django answers 403); views look the committee up with `committee_for` first, so a committee the
user may not see is 404 before any service runs.

A user who may not view a committee gets 404 — never 403 — so the site does not confirm
that the committee exists. One who may view it but not act on it gets 403.
"""

from enum import StrEnum

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, F, OuterRef
from django.db.models.lookups import StartsWith
from django.http import Http404
from django.utils.translation import gettext as _

from .models import Committee, CommitteeQuerySet, Role, RoleKind, Term
from .rows import one_or_none, read

# Whoever makes a request: a signed-in user or the anonymous one.
AnyUser = User | AnonymousUser


class Action(StrEnum):
    VIEW = "view"
    ASSESS = "assess"
    SUBMIT = "submit"
    APPROVE = "approve"  # also: return to draft, reopen
    SET_DEADLINES = "set_deadlines"  # for the committees below
    SET_UP = "set_up"  # the term's committees, resolutions, indicators (and their statuses)
    ASSIGN = "assign"  # its Congress indicators to the committees directly below, with local targets


class Refused(PermissionDenied):
    """A service refused work the user may not do, or work outside the committee it was asked for."""


def _roles(user: AnyUser, term: Term) -> list[tuple[int, str, str]]:
    """(committee id, committee path, role) of the user's roles in the term, cached per request;
    a role held through a committee of the next term (its predecessors') included."""
    return [(cid, path, role) for cid, path, role, _inherited in _roles_with_origin(user, term)]


def _roles_with_origin(user: AnyUser, term: Term) -> list[tuple[int, str, str, bool]]:
    """… each marked whether it is held through a committee of the next term (inherited)."""
    return [
        (cid, path, role, inherited) for cid, path, role, inherited, _has_children in _role_rows(user, term)
    ]


# The user's roles in a term, one row each: (committee id, its path, the role, held through a
# committee of the next term, the committee has committees below it). The first part: roles on the
# term's own committees; the second: roles on the next term's committees, held on each of their
# predecessors in this term (the module's rule). Every page of a committee reads it, and the ORM
# compiling this union cost ~1.5 ms of CPU per request (PostgreSQL, profiled) against ~0.1 ms for
# the statement; tests/indicators/test_lineage.py holds it to the same query written with the ORM.
_ROLES = """
SELECT role.committee_id, committee.path, role.role, 0,
       EXISTS (SELECT 1 FROM indicators_committee child WHERE child.parent_id = role.committee_id)
  FROM indicators_role role
  JOIN indicators_committee committee ON committee.id = role.committee_id
 WHERE role.user_id = %(user)s AND committee.term_id = %(term)s
UNION
SELECT link.predecessor_id, committee.path, role.role, 1,
       EXISTS (SELECT 1 FROM indicators_committee child WHERE child.parent_id = link.predecessor_id)
  FROM indicators_committeepredecessor link
  JOIN indicators_committee committee ON committee.id = link.predecessor_id
  JOIN indicators_role role ON role.committee_id = link.committee_id
 WHERE role.user_id = %(user)s AND committee.term_id = %(term)s
"""


def _role_rows(user: AnyUser, term: Term) -> list[tuple[int, str, str, bool, bool]]:
    """… and whether the committee has committees below it (there is something to approve). One
    query, cached on the request's user: every access check of the request reads it, and a role
    revoked or a user deactivated counts from the next request on."""
    if not user.is_authenticated:
        return []
    cache: dict[int, list[tuple[int, str, str, bool, bool]]] = user.__dict__.setdefault(
        "_committee_roles", {}
    )
    if term.pk not in cache:
        _using, rows = read(Role, _ROLES, {"user": user.pk, "term": term.pk}, by_key=True)
        cache[term.pk] = [
            (cid, path, role, bool(inherited), bool(has_children))
            for cid, path, role, inherited, has_children in rows
        ]
    return cache[term.pk]


def visible_committees(user: AnyUser, term: Term) -> CommitteeQuerySet:
    """The scoped queryset: every committee of the term this user may see."""
    qs = Committee.objects.filter(term=term)
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser or user.is_staff:
        return qs
    paths = {path for _id, path, _role in _roles(user, term)}
    return qs.in_any_subtree(_top_paths(paths))


def _top_paths(paths: set[str]) -> list[str]:
    """Drop paths lying inside another one: fewer OR terms, same set of committees."""
    ordered = sorted(paths)
    tops: list[str] = []
    for path in ordered:
        if not tops or not path.startswith(tops[-1]):
            tops.append(path)
    return tops


def can(user: AnyUser, committee: Committee, action: Action, *, stage: str | None = None) -> bool:
    """`stage`: the review written (ASSESS, SUBMIT); a role held through the next term's committee
    writes the end-of-term review only. None: either (a page's coarse gate; the service decides)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    roles = _roles(user, committee.term)
    if action == Action.VIEW:
        return user.is_staff or any(committee.path.startswith(path) for _id, path, _role in roles)
    if action in (Action.ASSESS, Action.SUBMIT):
        return any(
            cid == committee.pk and role == RoleKind.SECRETARY and (not inherited or stage in (None, "end"))
            for cid, _path, role, inherited in _roles_with_origin(user, committee.term)
        )
    if action == Action.APPROVE:
        parents = approving_parents(user, committee.term)
        return committee.parent_id is not None and (parents is None or committee.parent_id in parents)
    if action == Action.SET_DEADLINES:
        return any(cid == committee.pk for cid, _path, _role in roles)
    if action == Action.SET_UP:
        return may_set_up_terms(user)
    if action == Action.ASSIGN:
        return may_set_up_terms(user) or any(cid == committee.pk for cid, _path, _role in roles)
    return False


def authorize(
    user: AnyUser | None, committee: Committee, *actions: Action, message: str = "", stage: str | None = None
) -> None:
    """Refused unless the user may do one of `actions` on the committee (for the review of `stage`);
    `None` is the site itself.

    The one gate of every service that takes a user (see the module's rules)."""
    if user is None or any(can(user, committee, action, stage=stage) for action in actions):
        return
    raise Refused(message or _("Bạn không có quyền thực hiện thao tác này với đơn vị này."))


def approving_parents(user: AnyUser, term: Term) -> set[int] | None:
    """The committees whose children's reviews the user may approve in the term: any role on the
    committee directly above (the APPROVE rule of `can`), on roles already read; None for a
    superuser, who may approve every one."""
    if not user.is_authenticated:
        return set()
    if user.is_superuser:
        return None
    # Only committees with committees below: a commune's secretary has nothing to approve, and
    # the "Chờ duyệt" list on every page asks no query for them.
    return {cid for cid, _path, _role, _inherited, has_children in _role_rows(user, term) if has_children}


def may_set_up_terms(user: AnyUser) -> bool:
    """Staff (and superusers) create terms and their committees, resolutions and indicators."""
    return user.is_authenticated and (user.is_staff or user.is_superuser)


def committee_for(user: AnyUser, *, code: str, term: Term, action: Action = Action.VIEW) -> Committee:
    """The committee if the user may see it and do `action` on it; else 404 (or 403)."""
    committee = one_or_none(Committee.objects.select_related("parent").filter(term=term, code=code))
    if committee is not None:
        committee.term = term
    return committee_checked(user, committee, action)


def committee_checked(user: AnyUser, committee: Committee | None, action: Action = Action.VIEW) -> Committee:
    """The committee a view looked up (None: none by that code) if the user may see it and do
    `action` on it; else 404 (or 403). Seeing is `can`'s VIEW rule, on the roles the request reads
    once: the same committees `visible_committees` lists."""
    if committee is None or not can(user, committee, Action.VIEW):
        raise Http404(_("Không tìm thấy đơn vị."))
    if action != Action.VIEW and not can(user, committee, action):
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này với đơn vị này."))
    return committee


def newest_term_visible(user: AnyUser, *, code: str | None = None) -> Term | None:
    """The newest term in which the user may see committee `code` (without a code: any committee).

    A URL without `?term=` means this term: once a new term reuses the codes, a commune
    secretary of the old term still finds their committee, and staff see the newest. One query.
    """
    if not user.is_authenticated:
        return None
    if user.is_superuser or user.is_staff:
        terms = Term.objects.order_by("-start_year")
        return (terms.filter(committees__code=code) if code else terms).first()
    if not code:
        return Term.objects.filter(committees__roles__user=user).order_by("-start_year").first()
    # A role on the committee itself or on one above it, in the same term (paths are prefixes).
    role_above = Role.objects.filter(user=user, committee__term=OuterRef("term")).filter(
        StartsWith(OuterRef("path"), F("committee__path"))
    )
    committee = (
        Committee.objects.filter(code=code)
        .filter(Exists(role_above))
        .select_related("term")
        .order_by("-term__start_year")
        .first()
    )
    return committee.term if committee else None


def home_committees(user: AnyUser, term: Term) -> list[Committee]:
    """The committees a user's roles attach to (their 'own' committees), top first."""
    if not user.is_authenticated:
        return []
    ids = {cid for cid, _path, _role in _roles(user, term)}
    return list(Committee.objects.filter(pk__in=ids).order_by("depth", "code"))
