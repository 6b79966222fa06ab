"""The yearly-values sparkline: numbers in its title, estimates hollow, nothing when too few."""

import re

import pytest

from indicators.models import Assessment, Indicator, Measure
from indicators.results import Results
from indicators.services.indicators import indicator_create
from indicators.services.resolutions import resolution_create
from reviews.sparkline import sparkline


@pytest.fixture
def indicator(make_committee):
    resolution = resolution_create(committee=make_committee("X"), number="01-NQ/ĐH")
    return indicator_create(
        resolution=resolution,
        number="1",
        text="Tăng trưởng",
        target="6,5",
        measure=Measure.AVERAGE,
        results=Results.build(baseline="5,1", years={2021: ("4,1", False), 2023: ("4,3", True)}),
    )


def _svg(indicator):
    a = Assessment.objects.get(indicator=indicator)
    i = Indicator.objects.select_related("resolution__committee__term").get(pk=indicator.pk)
    term = i.resolution.committee.term
    return str(sparkline(indicator=i, assessment=a, start_year=term.start_year, end_year=term.end_year))


@pytest.mark.django_db
def test_title_reads_every_number_with_estimates_marked(indicator):
    svg = _svg(indicator)
    assert svg.startswith('<svg class="sparkline" role="img"')
    assert "<title>Kết quả từng năm: 2020: 5,1; 2021: 4,1; 2023 (ước): 4,3; mục tiêu 6,5</title>" in svg
    assert len(re.findall(r'class="act"', svg)) == 2 and len(re.findall(r'class="est"', svg)) == 1
    assert 'class="target"' in svg


@pytest.mark.django_db
def test_points_rise_with_the_values(indicator):
    svg = _svg(indicator)
    ys = [float(v) for v in re.findall(r'cy="([\d.]+)"', svg)]
    # 5,1 then 4,1 then 4,3: SVG y grows downwards, so the 2021 point is lowest on screen.
    assert ys[1] > ys[2] and ys[1] > ys[0]


@pytest.mark.django_db
def test_fewer_than_two_numbers_draw_nothing(make_committee):
    resolution = resolution_create(committee=make_committee("Y"), number="01-NQ/ĐH")
    one = indicator_create(
        resolution=resolution,
        number="1",
        text="x",
        target="đạt",
        results=Results.build(years={2021: ("3", False)}),
    )
    assert _svg(one) == ""
