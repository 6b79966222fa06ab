"""Kinds of administrative unit, how a committee's name tells its kind, and sentences that count them.

The level (province, district, commune, cell) is where a committee sits in the tree; the kind is
what its unit is called there: a district-level committee may be a huyện, a thị xã, a thành phố or
a quận. "Toàn tỉnh (7 huyện, 1 thành phố; 96 xã, 6 phường, 6 thị trấn)" counts by kind."""

import re

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_stubs_ext import StrOrPromise

from .models import Level, UnitKind

# Kinds of each level, in the order sentences list them; the first is the level's usual kind.
KINDS_BY_LEVEL: dict[str, tuple[str, ...]] = {
    Level.PROVINCE: (UnitKind.PROVINCE, UnitKind.CENTRAL_CITY),
    Level.DISTRICT: (UnitKind.DISTRICT, UnitKind.TOWN, UnitKind.CITY, UnitKind.URBAN_DISTRICT),
    Level.COMMUNE: (UnitKind.COMMUNE, UnitKind.WARD, UnitKind.TOWNSHIP, UnitKind.SPECIAL_ZONE),
    Level.CELL: (UnitKind.CELL, UnitKind.GRASSROOTS),
}

# What a name says, tried in order within the committee's level: "Đảng bộ thị trấn Đồng Tâm",
# "Thành ủy Bắc Kạn", "Đảng ủy phường Sông Cầu", "Quận ủy Ba Đình". Whole words, any case.
_NAME_PATTERNS: dict[str, list[tuple[str, str]]] = {
    Level.PROVINCE: [(r"thành phố|thành ủy", UnitKind.CENTRAL_CITY), (r"tỉnh|tỉnh ủy", UnitKind.PROVINCE)],
    Level.DISTRICT: [
        (r"thị xã|thị ủy", UnitKind.TOWN),
        (r"thành phố|thành ủy", UnitKind.CITY),
        (r"quận|quận ủy", UnitKind.URBAN_DISTRICT),
        (r"huyện|huyện ủy", UnitKind.DISTRICT),
    ],
    Level.COMMUNE: [
        (r"thị trấn", UnitKind.TOWNSHIP),
        (r"phường", UnitKind.WARD),
        (r"đặc khu", UnitKind.SPECIAL_ZONE),
        (r"xã", UnitKind.COMMUNE),
    ],
    Level.CELL: [(r"chi bộ", UnitKind.CELL), (r"đảng bộ|đảng ủy", UnitKind.GRASSROOTS)],
}


def kind_from_name(name: str, level: str) -> str:
    """The kind the committee's name gives within its level; the level's usual kind otherwise."""
    text = " ".join(name.lower().split()).replace("uỷ", "ủy")  # "Thị uỷ" is spelt both ways
    for pattern, kind in _NAME_PATTERNS.get(level, []):
        if re.search(rf"(?<!\w)(?:{pattern})(?!\w)", text):
            return str(kind)
    return usual_kind(level)


def usual_kind(level: str) -> str:
    kinds = KINDS_BY_LEVEL.get(level)
    return str(kinds[0]) if kinds else ""


def count_phrase(kind: str, n: int) -> str:
    """ "7 huyện", "1 thành phố", "6 thị trấn" (each written out for the translators' plurals)."""
    phrases = {
        UnitKind.PROVINCE: lambda: ngettext("%(n)d tỉnh", "%(n)d tỉnh", n),
        UnitKind.CENTRAL_CITY: lambda: ngettext(
            "%(n)d thành phố trực thuộc trung ương", "%(n)d thành phố trực thuộc trung ương", n
        ),
        UnitKind.DISTRICT: lambda: ngettext("%(n)d huyện", "%(n)d huyện", n),
        UnitKind.TOWN: lambda: ngettext("%(n)d thị xã", "%(n)d thị xã", n),
        UnitKind.CITY: lambda: ngettext("%(n)d thành phố", "%(n)d thành phố", n),
        UnitKind.URBAN_DISTRICT: lambda: ngettext("%(n)d quận", "%(n)d quận", n),
        UnitKind.COMMUNE: lambda: ngettext("%(n)d xã", "%(n)d xã", n),
        UnitKind.WARD: lambda: ngettext("%(n)d phường", "%(n)d phường", n),
        UnitKind.TOWNSHIP: lambda: ngettext("%(n)d thị trấn", "%(n)d thị trấn", n),
        UnitKind.SPECIAL_ZONE: lambda: ngettext("%(n)d đặc khu", "%(n)d đặc khu", n),
        UnitKind.CELL: lambda: ngettext("%(n)d chi bộ", "%(n)d chi bộ", n),
        UnitKind.GRASSROOTS: lambda: ngettext("%(n)d đảng bộ cơ sở", "%(n)d đảng bộ cơ sở", n),
    }
    return phrases[UnitKind(kind)]() % {"n": n}


# "Toàn huyện", "Toàn thị xã": the whole of the committee's own unit.
WHOLE: dict[str, StrOrPromise] = {
    UnitKind.PROVINCE: _("Toàn tỉnh"),
    UnitKind.CENTRAL_CITY: _("Toàn thành phố"),
    UnitKind.DISTRICT: _("Toàn huyện"),
    UnitKind.TOWN: _("Toàn thị xã"),
    UnitKind.CITY: _("Toàn thành phố"),
    UnitKind.URBAN_DISTRICT: _("Toàn quận"),
    UnitKind.COMMUNE: _("Toàn xã"),
    UnitKind.WARD: _("Toàn phường"),
    UnitKind.TOWNSHIP: _("Toàn thị trấn"),
    UnitKind.SPECIAL_ZONE: _("Toàn đặc khu"),
}


def whole_phrase(kind: str, level: str) -> str:
    return str(WHOLE.get(kind or usual_kind(level), _("Toàn đảng bộ")))


def units_phrase(below_by_kind: dict[str, int]) -> str:
    """ "7 huyện, 1 thành phố; 96 xã, 6 phường, 6 thị trấn; 1 chi bộ": levels top down, ';' between."""
    groups = []
    for kinds in KINDS_BY_LEVEL.values():
        parts = [count_phrase(kind, below_by_kind[kind]) for kind in kinds if below_by_kind.get(kind)]
        if parts:
            groups.append(", ".join(parts))
    return "; ".join(groups)


# The committee that acts for a unit, by kind: the deadline line says "do Huyện ủy Chợ Mới đặt".
# Written out one by one so that translators see each whole phrase.
_OFFICE: dict[str, StrOrPromise] = {
    UnitKind.PROVINCE: _("Tỉnh ủy %(place)s"),
    UnitKind.CENTRAL_CITY: _("Thành ủy %(place)s"),
    UnitKind.DISTRICT: _("Huyện ủy %(place)s"),
    UnitKind.TOWN: _("Thị ủy %(place)s"),
    UnitKind.CITY: _("Thành ủy %(place)s"),
    UnitKind.URBAN_DISTRICT: _("Quận ủy %(place)s"),
    UnitKind.COMMUNE: _("Đảng ủy xã %(place)s"),
    UnitKind.WARD: _("Đảng ủy phường %(place)s"),
    UnitKind.TOWNSHIP: _("Đảng ủy thị trấn %(place)s"),
    UnitKind.SPECIAL_ZONE: _("Đảng ủy đặc khu %(place)s"),
}
# "Đảng bộ huyện Chợ Mới" → "Chợ Mới": the body's word, then the kind's words (longest first).
_BODY = re.compile(r"^\s*(?:đảng bộ|đảng ủy)\s+", re.IGNORECASE)
_KIND_WORDS = (
    "thành phố trực thuộc trung ương",
    "thành phố",
    "thị trấn",
    "thị xã",
    "đặc khu",
    "phường",
    "huyện",
    "quận",
    "tỉnh",
    "xã",
)


def office_name(*, name: str, level: str, kind: str) -> str:
    """ "Huyện ủy Chợ Mới", "Đảng ủy thị trấn Đồng Tâm": the committee in the words of its office,
    from its stored kind (the level's usual kind when blank). A name that is not "Đảng bộ <kind>
    <place>" (a cell, "Thành ủy Bắc Kạn" typed as such) is shown as it is."""
    match = _BODY.match(name)
    office = _OFFICE.get(kind or usual_kind(level))
    if match is None or office is None:
        return name
    rest = name[match.end() :].strip()
    for words in _KIND_WORDS:
        if rest.lower().startswith(words + " "):
            rest = rest[len(words) :].strip()
            break
    return str(office) % {"place": rest}
