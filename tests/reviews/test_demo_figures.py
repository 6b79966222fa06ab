"""The seed article's figures, pinned without a browser: what the demo loads is what the article says."""

from io import StringIO

import pytest
from django.core.management import call_command

from indicators.models import Committee
from indicators.selectors import committee_rollup, counters_drift
from indicators.tally import Tally

SEED = {
    "BK": (
        Tally(achieved=54, hard=11, not_achieved=1),
        "54/66 chỉ tiêu có khả năng đạt và vượt; 11 chỉ tiêu khó đạt; 1 chỉ tiêu không đạt",
    ),
    "BK-CD": (
        Tally(achieved=17, hard=10, not_achieved=4),
        "17/31 chỉ tiêu có khả năng đạt và vượt; 10 chỉ tiêu khó đạt; 4 chỉ tiêu không đạt",
    ),
    "BK-CM-NH": (
        Tally(achieved=18, not_achieved=2),
        "18/20 chỉ tiêu có khả năng đạt và vượt; 2 chỉ tiêu không đạt",
    ),
}


@pytest.fixture
def demo(db):
    call_command("load_demo", "--no-accounts", stdout=StringIO())


@pytest.mark.parametrize("code", list(SEED))
def test_seed_figures_as_the_tally_and_the_command_print_them(demo, code):
    tally, sentence = SEED[code]
    committee = Committee.objects.get(code=code)
    assert committee_rollup(committee=committee).own == tally
    assert tally.sentence() == sentence
    out = StringIO()
    call_command("tally", code, "--term", "2020-2025", stdout=out)
    assert out.getvalue().strip() == sentence


def test_loading_the_demo_twice_changes_no_figure(demo):
    before = {code: committee_rollup(committee=Committee.objects.get(code=code)).subtree for code in SEED}
    call_command("load_demo", "--no-accounts", stdout=StringIO())
    after = {code: committee_rollup(committee=Committee.objects.get(code=code)).subtree for code in SEED}
    assert after == before
    assert counters_drift(term=Committee.objects.get(code="BK").term) == []
