"""Kinds of administrative unit: read from names, set by the create services, counted in sentences."""

import pytest

from indicators.models import Committee, Level, UnitKind
from indicators.selectors import committee_rollup
from indicators.services.committees import committee_create, committee_update, committees_bulk_create
from indicators.units import kind_from_name, units_phrase


@pytest.mark.parametrize(
    ("name", "level", "kind"),
    [
        ("Đảng bộ tỉnh Bắc Kạn", Level.PROVINCE, UnitKind.PROVINCE),
        ("Đảng bộ thành phố Hà Nội", Level.PROVINCE, UnitKind.CENTRAL_CITY),
        ("Đảng bộ huyện Chợ Đồn", Level.DISTRICT, UnitKind.DISTRICT),
        ("Đảng bộ thành phố Bắc Kạn", Level.DISTRICT, UnitKind.CITY),
        ("Thành ủy Bắc Kạn", Level.DISTRICT, UnitKind.CITY),
        ("Đảng bộ thị xã Sơn Tây", Level.DISTRICT, UnitKind.TOWN),
        ("Quận ủy Ba Đình", Level.DISTRICT, UnitKind.URBAN_DISTRICT),
        ("Đảng bộ xã Nông Hạ", Level.COMMUNE, UnitKind.COMMUNE),
        ("Đảng bộ thị trấn Đồng Tâm", Level.COMMUNE, UnitKind.TOWNSHIP),
        ("Đảng ủy phường Sông Cầu", Level.COMMUNE, UnitKind.WARD),
        ("Đảng bộ đặc khu Phú Quốc", Level.COMMUNE, UnitKind.SPECIAL_ZONE),
        ("Chi bộ Bản Chảy", Level.CELL, UnitKind.CELL),
        ("Đảng bộ cơ sở Trường THPT", Level.CELL, UnitKind.GRASSROOTS),
        ("Nông Hạ", Level.COMMUNE, UnitKind.COMMUNE),  # nothing said: the level's usual kind
        # "xã" inside another word is not the word xã; "thị trấn" wins over the xã of the district's name.
        ("Đảng bộ thị trấn Chợ Xã", Level.COMMUNE, UnitKind.TOWNSHIP),
    ],
)
def test_kind_from_name(name, level, kind):
    assert kind_from_name(name, level) == kind


def test_create_services_read_the_kind_from_the_name_unless_given(term):
    province = committee_create(term=term, code="P", name="Đảng bộ tỉnh P", level=Level.PROVINCE)
    city = committee_create(
        term=term, code="P-TP", name="Đảng bộ thành phố P", level=Level.DISTRICT, parent=province
    )
    quarter = committee_create(
        term=term,
        code="P-Q",
        name="Khu A",
        level=Level.DISTRICT,
        parent=province,
        kind=UnitKind.URBAN_DISTRICT,
    )
    assert (province.kind, city.kind, quarter.kind) == ("province", "city", "urban_district")
    rows = [
        {"code": "P-TP-1", "name": "Đảng bộ phường Một", "level": Level.COMMUNE, "parent_code": "P-TP"},
        {"code": "P-TP-2", "name": "Đảng bộ xã Hai", "level": Level.COMMUNE, "parent_code": "P-TP"},
    ]
    committees_bulk_create(term=term, rows=rows)
    assert dict(Committee.objects.filter(parent=city).values_list("code", "kind")) == {
        "P-TP-1": "ward",
        "P-TP-2": "commune",
    }
    # Renamed to a thị xã: the kind follows the new name.
    committee_update(committee=city, name="Đảng bộ thị xã P", level=Level.DISTRICT, parent=province)
    assert Committee.objects.get(code="P-TP").kind == "town"


def test_the_subtree_is_counted_by_kind_in_one_query(term, django_assert_num_queries):
    province = committee_create(term=term, code="P", name="Đảng bộ tỉnh P", level=Level.PROVINCE)
    district = committee_create(
        term=term, code="D", name="Đảng bộ huyện D", level=Level.DISTRICT, parent=province
    )
    committee_create(term=term, code="TP", name="Đảng bộ thành phố T", level=Level.DISTRICT, parent=province)
    for i, name in enumerate(["xã A", "xã B", "thị trấn C"]):
        committee_create(
            term=term, code=f"D{i}", name=f"Đảng bộ {name}", level=Level.COMMUNE, parent=district
        )
    with django_assert_num_queries(2):
        rollup = committee_rollup(committee=province)
    assert rollup.below_by_kind == {"district": 1, "city": 1, "commune": 2, "township": 1}
    assert units_phrase(rollup.below_by_kind) == "1 huyện, 1 thành phố; 2 xã, 1 thị trấn"


def test_old_rows_without_a_kind_count_as_their_levels_usual_kind(term):
    province = committee_create(term=term, code="P", name="Đảng bộ tỉnh P", level=Level.PROVINCE)
    district = committee_create(
        term=term, code="D", name="Đảng bộ huyện D", level=Level.DISTRICT, parent=province
    )
    Committee.objects.filter(pk=district.pk).update(kind="")
    assert committee_rollup(committee=province).below_by_kind == {"district": 1}


@pytest.mark.django_db
def test_demo_dashboards_count_huyen_and_thanh_pho_apart(client, make_user):
    from io import StringIO

    from django.core.management import call_command

    call_command("load_demo", "--no-accounts", stdout=StringIO())
    client.force_login(make_user("vanphong", Committee.objects.get(code="BK"), "viewer"))
    html = client.get("/committees/BK/?term=2020-2025").content.decode()
    assert "Toàn tỉnh (7 huyện, 1 thành phố; 96 xã, 6 phường, 6 thị trấn; 1 chi bộ):" in html
    html = client.get("/committees/BK-CD/?term=2020-2025").content.decode()
    assert "Toàn huyện (19 xã, 1 thị trấn; 1 chi bộ):" in html
