"""The access rule in isolation: visible_committees, can, committee_for."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from indicators.access import Action, can, committee_for, visible_committees


def codes(qs):
    return sorted(qs.values_list("code", flat=True))


def test_viewer_sees_own_committee_and_everything_below(tree, term, make_user):
    user = make_user("dv", tree["P-D1"], "viewer")
    assert codes(visible_committees(user, term)) == ["P-D1", "P-D1-C1", "P-D1-C2"]


def test_several_roles_add_up_without_duplicates(tree, term, make_user):
    from indicators.models import Role

    user = make_user("u", tree["P-D1-C1"], "secretary")
    Role.objects.create(user=user, committee=tree["P-D1"], role="viewer")
    Role.objects.create(user=user, committee=tree["P-D2-C2"], role="viewer")
    assert codes(visible_committees(user, term)) == ["P-D1", "P-D1-C1", "P-D1-C2", "P-D2-C2"]


def test_anonymous_sees_nothing_and_can_nothing(tree, term):
    anon = AnonymousUser()
    assert not visible_committees(anon, term).exists()
    assert not any(can(anon, tree["P"], action) for action in Action)


def test_staff_sees_all_but_may_not_act(tree, term, make_user):
    staff = make_user("staff", is_staff=True)
    assert visible_committees(staff, term).count() == 7
    assert can(staff, tree["P-D1-C1"], Action.VIEW)
    assert not can(staff, tree["P-D1-C1"], Action.ASSESS)


def test_secretary_assesses_only_own_committee_not_those_below(tree, make_user):
    user = make_user("s", tree["P-D1"], "secretary")
    assert can(user, tree["P-D1"], Action.ASSESS) and can(user, tree["P-D1"], Action.SUBMIT)
    assert not can(user, tree["P-D1-C1"], Action.ASSESS)
    assert can(user, tree["P-D1-C1"], Action.VIEW)


def test_approve_needs_a_role_on_the_direct_parent(tree, make_user):
    user = make_user("p", tree["P"], "viewer")
    assert can(user, tree["P-D1"], Action.APPROVE)
    assert not can(user, tree["P-D1-C1"], Action.APPROVE)  # grandparent is not enough
    assert not can(user, tree["P"], Action.APPROVE)  # nobody above the top


def test_committee_for_gives_404_to_strangers_and_403_to_viewers(tree, term, make_user):
    user = make_user("v", tree["P-D2"], "viewer")
    with pytest.raises(Http404):
        committee_for(user, code="P-D1", term=term)
    with pytest.raises(Http404):
        committee_for(user, code="NO-SUCH", term=term)
    with pytest.raises(PermissionDenied):
        committee_for(user, code="P-D2-C1", term=term, action=Action.ASSESS)
    assert committee_for(user, code="P-D2-C1", term=term).code == "P-D2-C1"


def test_roles_of_another_term_grant_nothing(tree, make_committee, make_user):
    from indicators.services import term_get_or_create

    other_term = term_get_or_create(code="2025-2030")[0]
    new_top = make_committee("P", term_=other_term)
    user = make_user("u", tree["P"], "viewer")
    assert not visible_committees(user, other_term).exists()
    assert not can(user, new_top, Action.VIEW)


def test_only_staff_set_terms_up(make_user, term):
    from django.contrib.auth.models import AnonymousUser

    from indicators.access import may_set_up_terms

    assert may_set_up_terms(make_user("staff", is_staff=True))
    assert may_set_up_terms(make_user("root", is_superuser=True))
    assert not may_set_up_terms(make_user("plain"))
    assert not may_set_up_terms(AnonymousUser())
