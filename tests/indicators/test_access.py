"""The access rule in isolation: visible_committees, can, committee_for."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from indicators.access import Action, _top_paths, can, committee_for, visible_committees


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
    from indicators.services.terms import term_get_or_create

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


@pytest.fixture
def next_term(tree, make_committee):
    """A term 2025-2030 holding the same codes, as a new term's import creates it."""
    from indicators.services.terms import term_get_or_create

    new = term_get_or_create(code="2025-2030")[0]
    top = make_committee("P", term_=new)
    district = make_committee("P-D1", top, term_=new)
    make_committee("P-D1-C1", district, term_=new)
    return new


def test_newest_term_visible_is_the_newest_where_the_user_sees_the_code(tree, term, next_term, make_user):
    from indicators.access import newest_term_visible

    secretary = make_user("sec", tree["P-D1-C1"], "secretary")
    district = make_user("district", tree["P-D1"], "viewer")
    staff = make_user("staff", is_staff=True)
    assert newest_term_visible(secretary, code="P-D1-C1") == term
    assert newest_term_visible(district, code="P-D1-C1") == term  # through the role above it
    assert newest_term_visible(district, code="P-D2-C1") is None  # not in the district's subtree
    assert newest_term_visible(secretary, code="P-D1") is None  # above the role: never
    assert newest_term_visible(staff, code="P-D1-C1") == next_term
    assert newest_term_visible(staff, code="P-D2-C1") == term  # only the old term holds it
    assert newest_term_visible(AnonymousUser(), code="P") is None
    # Once the secretary holds a role in the new term too, that term wins.
    from indicators.models import Role

    Role.objects.create(user=secretary, committee=next_term.committees.get(code="P-D1-C1"), role="secretary")
    assert newest_term_visible(secretary, code="P-D1-C1") == next_term


def test_newest_term_visible_without_a_code_is_the_newest_with_a_role(tree, term, next_term, make_user):
    from indicators.access import newest_term_visible

    assert newest_term_visible(make_user("sec", tree["P-D1-C1"], "secretary")) == term
    assert newest_term_visible(make_user("staff", is_staff=True)) == next_term
    assert newest_term_visible(make_user("nobody")) is None


def test_newest_term_visible_is_one_query(tree, term, next_term, make_user, django_assert_num_queries):
    from indicators.access import newest_term_visible

    user = make_user("district", tree["P-D1"], "viewer")
    with django_assert_num_queries(1):
        assert newest_term_visible(user, code="P-D1-C1") == term


def test_a_viewer_of_a_committee_may_not_assess_or_submit_it(tree, make_user):
    user = make_user("v", tree["P-D1"], "viewer")
    assert can(user, tree["P-D1"], Action.VIEW)
    assert not can(user, tree["P-D1"], Action.ASSESS) and not can(user, tree["P-D1"], Action.SUBMIT)


def test_a_superuser_may_do_everything_and_an_unknown_action_nobody_else(tree, make_user):
    root = make_user("root", is_superuser=True)
    assert all(can(root, tree["P-D1-C1"], action) for action in Action)
    secretary = make_user("s", tree["P-D1-C1"], "secretary")
    assert not can(secretary, tree["P-D1-C1"], "delete")


def test_roles_are_read_once_per_user_and_term(tree, make_user, django_assert_num_queries):
    user = make_user("s", tree["P-D1"], "secretary")
    with django_assert_num_queries(1):
        assert can(user, tree["P-D1"], Action.ASSESS)
        assert can(user, tree["P-D1-C1"], Action.VIEW)
        assert not can(user, tree["P-D2"], Action.VIEW)


def test_nested_roles_fold_into_one_range_per_top_committee():
    assert _top_paths({"0000001", "00000010000002", "0000003", "00000030000004"}) == ["0000001", "0000003"]
    assert _top_paths(set()) == []


def test_refusals_say_why_in_the_users_language(tree, term, make_user):
    user = make_user("v", tree["P-D2"], "viewer")
    with pytest.raises(Http404, match="Không tìm thấy đơn vị"):
        committee_for(user, code="P-D1", term=term)
    with pytest.raises(PermissionDenied, match="Bạn không có quyền"):
        committee_for(user, code="P-D2", term=term, action=Action.APPROVE)


def test_own_committees_are_those_of_the_roles_top_first(tree, term, make_user):
    from indicators.access import home_committees
    from indicators.models import Role

    user = make_user("u", tree["P-D2-C1"], "secretary")
    Role.objects.create(user=user, committee=tree["P-D1"], role="viewer")
    Role.objects.create(user=user, committee=tree["P-D1-C2"], role="viewer")
    assert [c.code for c in home_committees(user, term)] == ["P-D1", "P-D1-C2", "P-D2-C1"]
    assert home_committees(AnonymousUser(), term) == []


def test_without_a_term_a_url_means_the_newest_term_the_user_may_see_it_in(
    tree, term, make_committee, make_user
):
    from indicators.access import newest_term_visible
    from indicators.services.terms import term_get_or_create

    newer = term_get_or_create(code="2025-2030")[0]
    make_committee("P", term_=newer)
    staff = make_user("staff", is_staff=True)
    assert newest_term_visible(staff) == newer
    assert newest_term_visible(staff, code="P") == newer
    assert newest_term_visible(staff, code="P-D1") == term
    assert newest_term_visible(staff, code="NONE") is None
    old_secretary = make_user("s", tree["P-D1"], "secretary")
    assert newest_term_visible(old_secretary) == term
    assert newest_term_visible(old_secretary, code="P-D1-C1") == term
    assert newest_term_visible(old_secretary, code="P") is None
    assert newest_term_visible(make_user("nobody")) is None
    assert newest_term_visible(AnonymousUser(), code="P") is None


def test_another_users_roles_and_other_terms_roles_open_nothing(tree, term, make_committee, make_user):
    from indicators.access import home_committees
    from indicators.models import Role
    from indicators.services.terms import term_get_or_create

    make_user("other", tree["P"], "viewer")
    user = make_user("u", tree["P-D2"], "secretary")
    newer = term_get_or_create(code="2025-2030")[0]
    Role.objects.create(user=user, committee=make_committee("P-D1", term_=newer), role="viewer")
    assert codes(visible_committees(user, term)) == ["P-D2", "P-D2-C1", "P-D2-C2"]
    assert [c.code for c in home_committees(user, term)] == ["P-D2"]
    assert [(c.code, c.term) for c in home_committees(user, newer)] == [("P-D1", newer)]


def test_own_committees_come_top_first_then_by_code(tree, term, make_committee, make_user):
    from indicators.access import home_committees
    from indicators.models import Role

    early = make_committee("P-A", tree["P"])  # created last, named first
    user = make_user("u", tree["P-D1-C1"], "secretary")
    for committee in (tree["P-D2"], early, tree["P-D1"]):
        Role.objects.create(user=user, committee=committee, role="viewer")
    assert [c.code for c in home_committees(user, term)] == ["P-A", "P-D1", "P-D2", "P-D1-C1"]


def test_committee_for_gives_a_secretary_their_own_committee_to_assess_with_its_term_and_parent(
    tree, term, make_user, django_assert_num_queries
):
    user = make_user("s", tree["P-D1-C1"], "secretary")
    can(user, tree["P-D1-C1"], Action.VIEW)  # roles read and cached
    with django_assert_num_queries(1):
        committee = committee_for(user, code="P-D1-C1", term=term, action=Action.ASSESS)
        assert (committee.term.code, committee.parent.code) == ("2020-2025", "P-D1")


def test_refusals_say_exactly_why(tree, term, make_user):
    user = make_user("v", tree["P-D2"], "viewer")
    with pytest.raises(Http404) as missing:
        committee_for(user, code="P-D1", term=term)
    assert str(missing.value) == "Không tìm thấy đơn vị."
    with pytest.raises(PermissionDenied) as refused:
        committee_for(user, code="P-D2", term=term, action=Action.ASSESS)
    assert str(refused.value) == "Bạn không có quyền thực hiện thao tác này với đơn vị này."


def test_deadlines_are_set_by_any_role_on_the_committee_itself_not_above_below_or_beside(tree, make_user):
    viewer = make_user("dl", tree["P-D1"], "viewer")
    assert can(viewer, tree["P-D1"], Action.SET_DEADLINES)
    # a role on the parent, a child or a sibling is not a role on the committee
    assert not can(viewer, tree["P"], Action.SET_DEADLINES)
    assert not can(viewer, tree["P-D1-C1"], Action.SET_DEADLINES)
    assert not can(viewer, tree["P-D2"], Action.SET_DEADLINES)
    staff = make_user("dl-staff", is_staff=True)
    assert not can(staff, tree["P-D1"], Action.SET_DEADLINES)


def test_authorize_allows_one_of_the_actions_and_the_site_itself(tree, make_user):
    from indicators.access import Refused, authorize

    secretary = make_user("s", tree["P-D1"], "secretary")
    authorize(secretary, tree["P-D1"], Action.ASSESS)
    authorize(None, tree["P-D1"], Action.ASSESS)  # a command, the demo loader: no rule stops it
    authorize(secretary, tree["P-D1-C1"], Action.ASSESS, Action.VIEW)
    with pytest.raises(Refused, match="Không được"):
        authorize(secretary, tree["P-D1-C1"], Action.ASSESS, message="Không được")
    with pytest.raises(Refused, match="không có quyền"):
        authorize(AnonymousUser(), tree["P-D1"], Action.VIEW)


def test_staff_set_terms_up_and_nobody_else(tree, make_user):
    assert can(make_user("staff", is_staff=True), tree["P-D1-C1"], Action.SET_UP)
    assert not can(make_user("s", tree["P-D1-C1"], "secretary"), tree["P-D1-C1"], Action.SET_UP)
