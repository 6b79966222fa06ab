"""Moving committees' counters (indicators.services._counters): each committee by its own delta,
at the stage asked, in one statement for many."""

from collections import Counter

from indicators.models import Committee, Stage
from indicators.services._counters import _shift_many_counters


def _counters(committee, *names):
    committee = Committee.objects.get(pk=committee.pk)
    return tuple(getattr(committee, name) for name in names)


def test_each_committee_moves_by_its_own_delta_and_the_others_stay(tree):
    province, district, commune = tree["P"], tree["P-D1"], tree["P-D1-C1"]
    names = ("n_achieved", "n_hard", "n_not_assessed", "n_exceeded")
    before = {c.pk: _counters(c, *names) for c in (province, district, commune)}
    _shift_many_counters(
        {
            province.pk: Counter({"achieved": 2, "exceeded": 1}),
            district.pk: Counter({"hard": -1, "not_assessed": 1, "achieved": 0}),
        }
    )
    p, d = before[province.pk], before[district.pk]
    assert _counters(province, *names) == (p[0] + 2, p[1], p[2], p[3] + 1)
    assert _counters(district, *names) == (d[0], d[1] - 1, d[2] + 1, d[3])
    assert _counters(commune, *names) == before[commune.pk]


def test_the_end_stage_moves_its_own_counters_only(tree):
    commune = tree["P-D2-C1"]
    before = _counters(commune, "n_achieved", "e_achieved", "e_exceeded")
    _shift_many_counters({commune.pk: Counter({"achieved": 3, "exceeded": 1})}, Stage.END)
    assert _counters(commune, "n_achieved", "e_achieved", "e_exceeded") == (
        before[0],
        before[1] + 3,
        before[2] + 1,
    )


def test_nothing_to_move_writes_nothing(tree, django_assert_num_queries):
    with django_assert_num_queries(0):
        _shift_many_counters({tree["P"].pk: Counter({"achieved": 0})})
