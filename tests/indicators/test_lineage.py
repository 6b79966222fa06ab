"""From one term to the next: predecessors of committees and of indicators, their history, the
access they give, the carried baseline and the JSON (domain.md, "The life of a term")."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Exists, OuterRef, Value

from indicators.access import Action, Refused, _role_rows, can, visible_committees
from indicators.lineage import baseline_of, parse_reference, term_reference
from indicators.models import (
    Committee,
    CommitteePredecessor,
    Indicator,
    IndicatorChange,
    PredecessorChange,
    Role,
)
from indicators.results import Results
from indicators.selectors import committee_lineage, indicator_trajectory, indicators_json
from indicators.services.committees import committee_create
from indicators.services.indicators import indicator_create
from indicators.services.lineage import committee_predecessors_set, indicator_predecessors_set
from indicators.services.resolutions import resolution_create
from indicators.services.terms import term_before, term_get_or_create


@pytest.fixture
def merger(db):
    """2020–2025: provinces TN and BK with a commune each; 2025–2030: TN continues both."""
    old, _c = term_get_or_create(code="2020-2025")
    new, _c = term_get_or_create(code="2025-2030")
    tn_old = committee_create(term=old, code="TN", name="Đảng bộ tỉnh Thái Nguyên", level="province")
    bk = committee_create(term=old, code="BK", name="Đảng bộ tỉnh Bắc Kạn", level="province")
    bk_x = committee_create(term=old, code="BK-X", name="Đảng bộ xã Xuân", level="commune", parent=bk)
    tn = committee_create(term=new, code="TN", name="Đảng bộ tỉnh Thái Nguyên", level="province")
    resolution = resolution_create(committee=bk, number="16-NQ/ĐH")
    grdp = indicator_create(
        resolution=resolution,
        number="5",
        text="GRDP bình quân đầu người",
        status="achieved",
        results=Results.build(baseline="39,2", years={2024: ("52", False), 2025: ("55,5", True)}),
    )
    forest = indicator_create(
        resolution=resolution, number="6", text="Tỷ lệ che phủ rừng", status="hard", note="x"
    )
    new_resolution = resolution_create(committee=tn, number="01-NQ/ĐH")
    carried = indicator_create(resolution=new_resolution, number="1", text="GRDP bình quân đầu người")
    typed = indicator_create(
        resolution=new_resolution, number="2", text="Che phủ rừng", results=Results(baseline="73")
    )
    return {
        "old": old,
        "new": new,
        "TN-old": tn_old,
        "BK": bk,
        "BK-X": bk_x,
        "TN": tn,
        "grdp": grdp,
        "forest": forest,
        "carried": carried,
        "typed": typed,
    }


def _loaded(indicator):
    return (
        Indicator.objects.with_assessment()
        .select_related("resolution__committee__term", "predecessor__resolution__committee__term")
        .prefetch_related("predecessor__assessments")
        .get(pk=indicator.pk)
    )


class TestCommitteePredecessors:
    def test_set_writes_the_links_and_one_history_row(self, merger, make_user):
        staff = make_user("staff", is_staff=True)
        committee_predecessors_set(
            committee=merger["TN"], predecessors=[merger["TN-old"], merger["BK"]], by=staff
        )
        assert set(merger["TN"].predecessors.values_list("code", flat=True)) == {"TN", "BK"}
        assert list(merger["BK"].successors.all()) == [merger["TN"]]
        change = PredecessorChange.objects.get()
        assert (change.committee_code, change.old_codes, change.new_codes, change.changed_by) == (
            "TN",
            [],
            ["BK", "TN"],
            staff,
        )

    def test_setting_the_same_again_writes_nothing_and_removing_one_is_recorded(self, merger):
        both = [merger["TN-old"], merger["BK"]]
        committee_predecessors_set(committee=merger["TN"], predecessors=both)
        committee_predecessors_set(committee=merger["TN"], predecessors=list(reversed(both)))
        assert PredecessorChange.objects.count() == 1
        committee_predecessors_set(committee=merger["TN"], predecessors=[merger["BK"]])
        assert list(CommitteePredecessor.objects.values_list("predecessor__code", flat=True)) == ["BK"]
        latest = PredecessorChange.objects.first()
        assert (latest.old_codes, latest.new_codes) == (["BK", "TN"], ["BK"])

    def test_a_predecessor_must_be_of_the_term_before(self, merger):
        later, _c = term_get_or_create(code="2030-2035")
        far = committee_create(term=later, code="TN", name="Đảng bộ tỉnh Thái Nguyên", level="province")
        with pytest.raises(ValueError, match="2025-2030"):
            committee_predecessors_set(committee=far, predecessors=[merger["BK"]])
        with pytest.raises(ValueError, match="không có nhiệm kỳ trước"):
            committee_predecessors_set(committee=merger["BK"], predecessors=[merger["TN-old"]])
        assert not CommitteePredecessor.objects.exists()
        assert term_before(merger["new"]) == merger["old"]

    def test_only_staff_may_set_them(self, merger, make_user):
        secretary = make_user("s", merger["TN"], role="secretary")
        with pytest.raises(Refused):
            committee_predecessors_set(committee=merger["TN"], predecessors=[merger["BK"]], by=secretary)
        assert not CommitteePredecessor.objects.exists()

    def test_lineage_lists_each_predecessor_with_its_own_tally_never_summed(self, merger):
        committee_predecessors_set(committee=merger["TN"], predecessors=[merger["TN-old"], merger["BK"]])
        lineage = committee_lineage(committee=Committee.objects.get(pk=merger["TN"].pk))
        assert [
            (row.committee.code, row.tally.total, row.tally.achieved) for row in lineage.predecessors
        ] == [
            ("BK", 2, 1),
            ("TN", 0, 0),
        ]
        assert lineage.successors == []
        back = committee_lineage(committee=merger["BK"])
        assert [row.committee.code for row in back.successors] == ["TN"] and not back.predecessors

    def test_lineage_reads_only_the_links_when_there_are_none(self, merger, django_assert_num_queries):
        with django_assert_num_queries(1):
            lineage = committee_lineage(committee=merger["BK-X"])
        assert not lineage

    @pytest.mark.parametrize("named", [1, 2])
    def test_lineage_reads_the_named_committees_in_one_query_however_many(
        self, merger, django_assert_num_queries, named
    ):
        committee_predecessors_set(
            committee=merger["TN"], predecessors=[merger["BK"], merger["TN-old"]][:named]
        )
        with django_assert_num_queries(2):
            lineage = committee_lineage(committee=merger["TN"])
        # Each named with its own term (the link's page is in that term): no query to read it.
        with django_assert_num_queries(0):
            assert {row.committee.term.code for row in lineage.predecessors} == {"2020-2025"}
        assert len(lineage.predecessors) == named


class TestInheritedAccess:
    """A role on the new committee holds on its predecessors; their own people keep theirs."""

    def test_new_committee_staff_view_and_act_on_the_predecessors(self, merger, make_user):
        committee_predecessors_set(committee=merger["TN"], predecessors=[merger["TN-old"], merger["BK"]])
        secretary = make_user("new-secretary", merger["TN"], role="secretary")
        assert can(secretary, merger["BK"], Action.VIEW)
        assert can(secretary, merger["BK-X"], Action.VIEW)  # the old tree below, readable
        assert can(secretary, merger["BK"], Action.ASSESS)
        assert not can(secretary, merger["BK-X"], Action.ASSESS)  # a commune's own review stays its own
        assert set(visible_committees(secretary, merger["old"]).values_list("code", flat=True)) == {
            "TN",
            "BK",
            "BK-X",
        }

    def test_a_viewer_inherits_viewing_only_and_strangers_nothing(self, merger, make_user):
        committee_predecessors_set(committee=merger["TN"], predecessors=[merger["BK"]])
        viewer = make_user("new-viewer", merger["TN"])
        assert can(viewer, merger["BK"], Action.VIEW)
        assert not can(viewer, merger["BK"], Action.ASSESS)
        assert not can(viewer, merger["TN-old"], Action.VIEW)  # not named a predecessor
        stranger = make_user("stranger", merger["TN-old"])
        assert not can(stranger, merger["BK"], Action.VIEW)

    def test_the_old_committees_people_keep_their_access(self, merger, make_user):
        old_secretary = make_user("old", merger["BK"], role="secretary")
        committee_predecessors_set(committee=merger["TN"], predecessors=[merger["BK"]])
        assert can(old_secretary, merger["BK"], Action.ASSESS)
        assert not can(old_secretary, merger["TN"], Action.VIEW)

    def test_roles_are_read_in_one_query(self, merger, make_user, django_assert_num_queries):
        committee_predecessors_set(committee=merger["TN"], predecessors=[merger["BK"]])
        user = make_user("u", merger["TN"])
        Role.objects.create(user=user, committee=merger["TN-old"], role="viewer")
        with django_assert_num_queries(1):
            assert can(user, merger["BK"], Action.VIEW) and can(user, merger["TN-old"], Action.VIEW)

    def test_the_roles_statement_reads_what_the_orm_query_reads(self, merger, make_user):
        """indicators.access reads roles with one hand-written statement: the same rows as the
        query written with the ORM, for own roles, roles through the next term, and both; each
        with whether its committee has committees below (something to approve)."""
        committee_predecessors_set(committee=merger["TN"], predecessors=[merger["TN-old"], merger["BK"]])
        users = [
            make_user("new-secretary", merger["TN"], role="secretary"),
            make_user("old-secretary", merger["BK"], role="secretary"),
            make_user("commune", merger["BK-X"], role="secretary"),
            make_user("stranger"),
        ]
        both = make_user("both", merger["TN"])
        Role.objects.create(user=both, committee=merger["TN-old"], role="viewer")
        Role.objects.create(user=both, committee=merger["BK-X"], role="secretary")
        users.append(both)

        def by_orm(user, term):
            def below(ref):
                return Exists(Committee.objects.filter(parent_id=OuterRef(ref)))

            own = (
                Role.objects.filter(user=user, committee__term=term)
                .annotate(inherited=Value(False), below=below("committee_id"))
                .values_list("committee_id", "committee__path", "role", "inherited", "below")
            )
            inherited = (
                CommitteePredecessor.objects.filter(predecessor__term=term, committee__roles__user=user)
                .annotate(inherited=Value(True), below=below("predecessor_id"))
                .values_list(
                    "predecessor_id", "predecessor__path", "committee__roles__role", "inherited", "below"
                )
            )
            return sorted({(c, p, r, bool(i), bool(b)) for c, p, r, i, b in [*own, *inherited]})

        for user in users:
            for term in (merger["old"], merger["new"]):
                assert sorted(_role_rows(user, term)) == by_orm(user, term), (user.username, term.code)
        rows = {
            (cid, inherited): has_children
            for cid, _p, _r, inherited, has_children in _role_rows(both, merger["old"])
        }
        assert rows == {
            (merger["TN-old"].pk, False): False,
            (merger["TN-old"].pk, True): False,
            (merger["BK"].pk, True): True,
            (merger["BK-X"].pk, False): False,
        }


class TestCarriedForward:
    def test_reference_reads_resolution_numbers_with_slashes(self):
        ref = parse_reference(" BK/16-NQ/ĐH/5 ")
        assert (ref.code, ref.resolution, ref.number, str(ref)) == ("BK", "16-NQ/ĐH", "5", "BK/16-NQ/ĐH/5")
        for bad in ("BK", "BK/5", "/16-NQ/5", "BK/16-NQ/"):
            with pytest.raises(ValueError, match="BK/16-NQ/ĐH/5"):
                parse_reference(bad)

    def test_set_writes_an_indicator_history_row_naming_both_terms(self, merger, make_user):
        staff = make_user("staff", is_staff=True)
        carried = _loaded(merger["carried"])
        assert indicator_predecessors_set(links=[(carried, _loaded(merger["grdp"]))], by=staff) == 1
        assert Indicator.objects.get(pk=carried.pk).predecessor_id == merger["grdp"].pk
        change = IndicatorChange.objects.filter(indicator=carried).first()
        assert (change.action, change.old, change.new, change.changed_by) == (
            "changed",
            {"predecessor": None},
            {"predecessor": "BK/16-NQ/ĐH/5@2020-2025"},
            staff,
        )
        # The same link again changes nothing and writes nothing.
        assert indicator_predecessors_set(links=[(_loaded(carried), _loaded(merger["grdp"]))]) == 0
        assert indicator_predecessors_set(links=[(_loaded(carried), None)]) == 1
        assert IndicatorChange.objects.filter(indicator=carried).first().new == {"predecessor": None}

    def test_a_predecessor_indicator_must_be_of_the_term_before(self, merger, make_user):
        with pytest.raises(ValueError, match="không thuộc nhiệm kỳ trước"):
            indicator_predecessors_set(links=[(_loaded(merger["carried"]), _loaded(merger["typed"]))])
        with pytest.raises(Refused):
            indicator_predecessors_set(
                links=[(_loaded(merger["carried"]), _loaded(merger["grdp"]))],
                by=make_user("s", merger["TN"], role="secretary"),
            )
        assert Indicator.objects.get(pk=merger["carried"].pk).predecessor_id is None

    def test_baseline_is_the_predecessors_end_year_value_unless_typed(self, merger):
        indicator_predecessors_set(
            links=[
                (_loaded(merger["carried"]), _loaded(merger["grdp"])),
                (_loaded(merger["typed"]), _loaded(merger["forest"])),
            ]
        )
        carried = baseline_of(_loaded(merger["carried"]))
        assert (carried.value, carried.carried_from, carried.carried_note) == (
            "55,5",
            merger["old"],
            "(theo số liệu nhiệm kỳ 2020–2025)",
        )
        typed = baseline_of(_loaded(merger["typed"]))
        assert (typed.value, typed.carried) == ("73", False)

    def test_no_end_year_value_carries_nothing(self, merger):
        indicator_predecessors_set(links=[(_loaded(merger["carried"]), _loaded(merger["forest"]))])
        assert baseline_of(_loaded(merger["carried"])).value == ""

    def test_json_names_the_predecessor_and_the_carried_baseline(self, merger):
        indicator_predecessors_set(links=[(_loaded(merger["carried"]), _loaded(merger["grdp"]))])
        rows = {row["number"]: row for row in indicators_json(committee=merger["TN"])["indicators"]}
        assert rows["1"]["predecessor"] == "BK/16-NQ/ĐH/5@2020-2025"
        assert (rows["1"]["baseline"], rows["1"]["baseline_carried_from"]) == ("55,5", "2020-2025")
        assert (rows["2"]["predecessor"], rows["2"]["baseline"], rows["2"]["baseline_carried_from"]) == (
            None,
            "73",
            None,
        )
        out = StringIO()
        call_command("indicators", "TN", "--term", "2025-2030", "--json", stdout=out)
        assert json.loads(out.getvalue())["indicators"][0]["predecessor"] == "BK/16-NQ/ĐH/5@2020-2025"
        out = StringIO()
        call_command("indicators", "TN", "--term", "2025-2030", stdout=out)
        assert "2025 (đầu kỳ): 55,5 (theo số liệu nhiệm kỳ 2020–2025)" in out.getvalue()
        assert "← BK/16-NQ/ĐH/5@2020-2025" in out.getvalue()

    def test_json_costs_two_queries_whatever_the_number_of_links(self, merger, django_assert_num_queries):
        """The indicators, then their predecessors' judgements (each predecessor's last one: the end
        review's once open), one prefetch for all of them."""
        indicator_predecessors_set(links=[(_loaded(merger["carried"]), _loaded(merger["grdp"]))])
        committee = Committee.objects.select_related("term").get(pk=merger["TN"].pk)
        with django_assert_num_queries(2):
            indicators_json(committee=committee)

    def test_trajectory_runs_across_both_terms(self, merger):
        indicator_predecessors_set(links=[(_loaded(merger["carried"]), _loaded(merger["grdp"]))])
        trajectory = indicator_trajectory(indicator=_loaded(merger["carried"]))
        assert [(term.code, [y.year for y in results.years]) for term, results in trajectory] == [
            ("2020-2025", [2024, 2025]),
            ("2025-2030", []),
        ]
        assert term_reference(_loaded(merger["grdp"])) == "BK/16-NQ/ĐH/5@2020-2025"


def test_a_role_through_the_next_term_writes_the_predecessors_end_review_only(merger, make_user):
    """The new committee's secretary assesses the old committee's end-of-term review, never its
    mid-term one (that is the old committee's own people's)."""
    from indicators.models import Assessment, Role
    from indicators.services.assessments import AssessmentEdit
    from reviews.services import review_assess

    committee_predecessors_set(committee=merger["TN"], predecessors=[merger["BK"]])
    secretary = make_user("bithu.moi")
    Role.objects.create(user=secretary, committee=merger["TN"], role="secretary")
    old = merger["BK"]
    assert can(secretary, old, Action.ASSESS, stage="end")
    assert not can(secretary, old, Action.ASSESS, stage="mid")
    mid = Assessment.objects.filter(indicator__resolution__committee=old, stage="mid").first()
    with pytest.raises(Refused):
        review_assess(
            committee=old,
            edits=[AssessmentEdit(mid.pk, "achieved", expected_version=mid.version)],
            by=secretary,
            source="form",
            stage="mid",
        )
