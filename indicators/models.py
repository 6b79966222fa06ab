"""The core: terms, the committee tree of each term, resolutions, indicators, assessments."""

from collections.abc import Iterable
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import F, FilteredRelation, Q
from django.utils.translation import gettext_lazy as _

from .numbering import number_sort_key

# Fixed-width path segments: a subtree is then a contiguous range of the indexed `path`
# column, which both SQLite and PostgreSQL answer with an index range scan (LIKE 'x%'
# cannot use a plain index on either without special operator classes or collations).
PATH_STEP = 7


class Level(models.TextChoices):
    PROVINCE = "province", _("Tỉnh")
    DISTRICT = "district", _("Huyện")
    COMMUNE = "commune", _("Xã")
    CELL = "cell", _("Chi bộ")


class UnitKind(models.TextChoices):
    """What a committee's administrative unit is called at its level (indicators.units)."""

    PROVINCE = "province", _("tỉnh")
    CENTRAL_CITY = "central_city", _("thành phố trực thuộc trung ương")
    DISTRICT = "district", _("huyện")
    TOWN = "town", _("thị xã")
    CITY = "city", _("thành phố")
    URBAN_DISTRICT = "urban_district", _("quận")
    COMMUNE = "commune", _("xã")
    WARD = "ward", _("phường")
    TOWNSHIP = "township", _("thị trấn")
    SPECIAL_ZONE = "special_zone", _("đặc khu")
    CELL = "cell", _("chi bộ")
    GRASSROOTS = "grassroots", _("đảng bộ cơ sở")


class Field(models.TextChoices):
    ECONOMY = "economy", _("Kinh tế")
    CULTURE_SOCIETY = "culture_society", _("Văn hóa – xã hội")
    ENVIRONMENT = "environment", _("Môi trường")
    DEFENCE_SECURITY = "defence_security", _("Quốc phòng – an ninh")
    PARTY_BUILDING = "party_building", _("Xây dựng Đảng và hệ thống chính trị")


class Status(models.TextChoices):
    ACHIEVED = "achieved", _("Đạt và vượt")
    HARD = "hard", _("Khó đạt")
    NOT_ACHIEVED = "not_achieved", _("Không đạt")
    # The data to judge does not exist yet (no statistics for the year): not "nobody judged it".
    NOT_ASSESSABLE = "not_assessable", _("Chưa thể đánh giá")
    NOT_ASSESSED = "not_assessed", _("Chưa đánh giá")


class Measure(models.TextChoices):
    """How the yearly values add up to the end-of-term figure (domain.md)."""

    LEVEL = "level", _("Mức")
    CUMULATIVE = "cumulative", _("Cộng dồn")
    AVERAGE = "average", _("Bình quân")


class Direction(models.TextChoices):
    """Whether more is better (up) or less is better (down, e.g. the poverty rate)."""

    UP = "up", _("Tăng")
    DOWN = "down", _("Giảm")


class Stage(models.TextChoices):
    """Which review of a term: the mid-term one, or the end-of-term one before the next Congress
    (domain.md, "The life of a term"). Each has its own assessments, counters and review."""

    MID = "mid", _("Sơ kết giữa nhiệm kỳ")
    END = "end", _("Tổng kết nhiệm kỳ")

    @classmethod
    def parse(cls, raw: object) -> "Stage":
        """The stage a URL or a command names ("mid", "end", any case); mid when absent or unknown,
        so a mistyped link shows the mid-term review rather than an error."""
        try:
            return cls(str(raw or "").strip().lower())
        except ValueError:
            return cls.MID

    @property
    def value_label(self) -> str:
        """What the value of a judgement at this stage is called, on every page, report and form."""
        return str(_("Thực hiện cuối nhiệm kỳ") if self == Stage.END else _("Thực hiện giữa nhiệm kỳ"))

    @property
    def statuses(self) -> list["Status"]:
        """The statuses a judgement may take at this stage: no "hard" at the end of a term."""
        if self == Stage.END:
            return [s for s in Status if s != Status.HARD]
        return list(Status)


# The counter column on Committee that holds the committee's own count of each status (mid-term).
STATUS_COUNTER = {
    Status.ACHIEVED: "n_achieved",
    Status.HARD: "n_hard",
    Status.NOT_ACHIEVED: "n_not_achieved",
    Status.NOT_ASSESSABLE: "n_not_assessable",
    Status.NOT_ASSESSED: "n_not_assessed",
}
# … and of its achieved indicators marked "vượt" (counted inside n_achieved, never beside it).
EXCEEDED_COUNTER = "n_exceeded"
# Every counter column, in the order a recount writes them.
COUNTER_COLUMNS = [*STATUS_COUNTER.values(), EXCEEDED_COUNTER]
# The end-of-term review keeps its own counters beside them ("e_" columns): the subtree sum stays
# one range query over committee rows, whichever stage it is for.
STAGE_PREFIX = {"mid": "n_", "end": "e_"}


def stage_counter(stage: str, key: str) -> str:
    """The counter column of a status (or "exceeded") at a stage: ("end", "achieved") → "e_achieved"."""
    return f"{STAGE_PREFIX[stage]}{key}"


def stage_counter_columns(stage: str) -> list[str]:
    return [stage_counter(stage, key) for key in [*Status.values, "exceeded"]]


class Term(models.Model):
    code = models.CharField(_("mã nhiệm kỳ"), max_length=9, unique=True)
    start_year = models.PositiveSmallIntegerField(_("năm bắt đầu"))
    end_year = models.PositiveSmallIntegerField(_("năm kết thúc"))
    midterm_date = models.DateField(_("ngày sơ kết giữa nhiệm kỳ"), null=True, blank=True)

    class Meta:
        ordering = ["-start_year"]
        verbose_name = _("nhiệm kỳ")
        verbose_name_plural = _("nhiệm kỳ")
        constraints = [
            models.CheckConstraint(condition=Q(end_year__gt=F("start_year")), name="term_end_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.start_year} – {self.end_year}"


def subtree_range(committee: "Committee", *, via: str = "") -> Q:
    """At or below `committee`: one indexed range on `path` (`via` reaches the committee, e.g.
    "resolution__committee__"). The one place a subtree is written down."""
    return Q(
        **{
            f"{via}term_id": committee.term_id,
            f"{via}path__gte": committee.path,
            f"{via}path__lt": subtree_upper_bound(committee.path),
        }
    )


class CommitteeQuerySet(models.QuerySet["Committee"]):
    def in_subtree(self, committee: "Committee", *, include_self: bool = True) -> Self:
        """Committees at or below `committee`, as one indexed range on `path`."""
        qs = self.filter(subtree_range(committee))
        if not include_self:
            qs = qs.exclude(pk=committee.pk)
        return qs

    def in_any_subtree(self, paths: Iterable[str]) -> Self:
        """Committees at or below any of the given paths."""
        condition = Q(pk__in=[])
        for path in paths:
            condition |= Q(path__gte=path, path__lt=subtree_upper_bound(path))
        return self.filter(condition)

    def ancestors_of(self, committee: "Committee", *, include_self: bool = False) -> Self:
        prefixes = [
            committee.path[:end]
            for end in range(PATH_STEP, len(committee.path) + (PATH_STEP if include_self else 0), PATH_STEP)
        ]
        return self.filter(term_id=committee.term_id, path__in=prefixes).order_by("depth")


def subtree_upper_bound(path: str) -> str:
    """The smallest path above every descendant of `path`: its last segment plus one."""
    head, last = path[:-PATH_STEP], path[-PATH_STEP:]
    return head + str(int(last) + 1).zfill(PATH_STEP)


class Committee(models.Model):
    term = models.ForeignKey(
        Term, on_delete=models.PROTECT, related_name="committees", verbose_name=_("nhiệm kỳ")
    )
    code = models.CharField(_("mã đơn vị"), max_length=40)
    name = models.CharField(_("tên đơn vị"), max_length=200)
    level = models.CharField(_("cấp"), max_length=16, choices=Level.choices)
    # Set by indicators.services from the name when not given ("Đảng bộ thị trấn Đồng Tâm": thị trấn).
    kind = models.CharField(_("loại đơn vị hành chính"), max_length=16, choices=UnitKind.choices, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("đơn vị cấp trên"),
    )
    path = models.CharField(max_length=255, editable=False, db_index=True)
    depth = models.PositiveSmallIntegerField(editable=False, default=1)
    # The committee's own counts by status over its Congress resolution, kept exact by
    # indicators.services in the same transaction as every change (see Tally).
    n_achieved = models.PositiveIntegerField(default=0, editable=False)
    n_hard = models.PositiveIntegerField(default=0, editable=False)
    n_not_achieved = models.PositiveIntegerField(default=0, editable=False)
    n_not_assessed = models.PositiveIntegerField(default=0, editable=False)
    n_not_assessable = models.PositiveIntegerField(default=0, editable=False)
    n_exceeded = models.PositiveIntegerField(default=0, editable=False)
    # The same counts for the end-of-term review (Stage.END); zero until it is opened.
    e_achieved = models.PositiveIntegerField(default=0, editable=False)
    e_hard = models.PositiveIntegerField(default=0, editable=False)
    e_not_achieved = models.PositiveIntegerField(default=0, editable=False)
    e_not_assessed = models.PositiveIntegerField(default=0, editable=False)
    e_not_assessable = models.PositiveIntegerField(default=0, editable=False)
    e_exceeded = models.PositiveIntegerField(default=0, editable=False)

    # The committees of the term before that this one continues (2025: Thái Nguyên ← Thái Nguyên +
    # Bắc Kạn; a new commune ← parts of two old ones). Set by indicators.services, with history.
    predecessors = models.ManyToManyField(
        "self",
        through="CommitteePredecessor",
        symmetrical=False,
        related_name="successors",
        blank=True,
        verbose_name=_("đơn vị tiền thân"),
    )

    objects = CommitteeQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        constraints = [
            models.UniqueConstraint(fields=["term", "code"], name="committee_code_unique_in_term"),
        ]
        indexes = [models.Index(fields=["term", "path"], name="committee_term_path")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class CommitteePredecessor(models.Model):
    """`committee` (of a new term) continues `predecessor` (of the term before it). Each
    predecessor keeps its own resolution and tally: they are shown side by side, never summed."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="predecessor_links")
    predecessor = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="successor_links")

    class Meta:
        verbose_name = _("đơn vị tiền thân")
        verbose_name_plural = _("đơn vị tiền thân")
        constraints = [
            models.UniqueConstraint(fields=["committee", "predecessor"], name="committee_predecessor_unique")
        ]

    def __str__(self) -> str:
        return f"{self.committee_id} ← {self.predecessor_id}"


class ResolutionKind(models.TextChoices):
    CONGRESS = "congress", _("Đại hội")
    THEMATIC = "thematic", _("Chuyên đề")
    # Indicators of the Congress resolution of the committee above, assigned to this one with a
    # local target (domain.md, "Indicators assigned from above"): a tally of their own, never
    # in the committee's. The value sorts between the two above, so pages show them second.
    FROM_ABOVE = "from_above", _("Cấp trên giao")

    @property
    def counts_in_tally(self) -> bool:
        """Only the Congress resolution's indicators make the tally; thematic ones are followed apart."""
        return self == ResolutionKind.CONGRESS


# The kinds whose indicators the tally counts, for queries (`kind__in=TALLY_KINDS`).
TALLY_KINDS = [kind.value for kind in ResolutionKind if kind.counts_in_tally]


class Resolution(models.Model):
    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="resolutions", verbose_name=_("đơn vị")
    )
    number = models.CharField(_("số nghị quyết"), max_length=40)
    kind = models.CharField(
        _("loại nghị quyết"),
        max_length=16,
        choices=ResolutionKind.choices,
        default=ResolutionKind.CONGRESS,
    )
    date = models.DateField(_("ngày ban hành"), null=True, blank=True)
    title = models.CharField(_("trích yếu"), max_length=500, blank=True)
    # A resolution of kind FROM_ABOVE holds the indicators the committee above assigned from this
    # one of its own (indicators.assignments); null for every other kind.
    assigned_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("nghị quyết cấp trên"),
    )

    class Meta:
        # Congress resolution first, then thematic ones by number.
        ordering = ["committee", "kind", "number"]
        verbose_name = _("nghị quyết")
        verbose_name_plural = _("nghị quyết")
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "number"], name="resolution_number_unique_per_committee"
            )
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def counts_in_tally(self) -> bool:
        return ResolutionKind(self.kind).counts_in_tally

    @property
    def is_from_above(self) -> bool:
        return self.kind == ResolutionKind.FROM_ABOVE


class IndicatorQuerySet(models.QuerySet["Indicator"]):
    def of_committee(self, committee: Committee) -> Self:
        return self.filter(resolution__committee=committee)

    def at_stage(self, stage: str = "mid") -> Self:
        """Each indicator with `assessment` meaning its assessment at `stage`: a filtered relation,
        so `assessment__status` filters and `select_related("assessment")` read that one row (at
        most one per stage). Calling it again with the same stage changes nothing."""
        existing = getattr(self.query, "_filtered_relations", {}).get("assessment")
        if existing is not None:
            # Django relabels the condition to the alias ("assessment__stage"); its value names the stage.
            if existing.condition.children[0][1] != stage:
                raise ValueError("indicators already read at another stage")
            return self
        return self.alias(assessment=FilteredRelation("assessments", condition=Q(assessments__stage=stage)))

    def with_assessment(self, stage: str = "mid", *related: str) -> Self:
        """Indicators that have an assessment at `stage`, each loaded with it (and `related`
        relations of it, e.g. "updated_by__profile") in the same query."""
        return (
            self.at_stage(stage)
            .filter(assessment__isnull=False)
            .select_related("assessment", *(f"assessment__{name}" for name in related))
        )

    def stage_read(self) -> str:
        """The stage `at_stage` set on this queryset, "mid" where none was set."""
        existing = getattr(self.query, "_filtered_relations", {}).get("assessment")
        return str(existing.condition.children[0][1]) if existing is not None else "mid"

    def needing_explanation(self, stage: str | None = None) -> Self:
        """Indicators whose committee's status disagrees with what their numbers suggest (at
        `stage`; None: the stage the queryset is read at, else the mid-term)."""
        return (
            self.at_stage(stage or self.stage_read())
            .filter(assessment__suggested_status__gt="")
            .exclude(assessment__status=Status.NOT_ASSESSED)
            .exclude(assessment__status=F("assessment__suggested_status"))
        )

    def unexplained(self, stage: str | None = None) -> Self:
        """Disagreements with no note yet: "cần giải trình"; one with a note is "đã giải trình"."""
        return self.needing_explanation(stage).filter(assessment__note="")

    def explained(self, stage: str | None = None) -> Self:
        return self.needing_explanation(stage).exclude(assessment__note="")

    def in_subtree(self, committee: Committee) -> Self:
        """Indicators of the committee and every committee below it (one range on `path`)."""
        return self.filter(subtree_range(committee, via="resolution__committee__"))

    def in_tally(self) -> Self:
        """Indicators the tally counts: the Congress resolution's, a group once and never its parts."""
        return self.filter(resolution__kind__in=TALLY_KINDS, group__isnull=True)

    def in_resolution_order(self) -> Self:
        """Congress resolution first, then by resolution number and the indicator's own order."""
        return self.order_by("resolution__kind", "resolution__number", "sort_key")

    def for_assessment_form(self, stage: str = "mid") -> Self:
        return (
            self.at_stage(stage)
            .select_related("resolution", "assessment", "assessment__updated_by")
            .in_resolution_order()
        )


def target_with_adjustment(target: str, adjusted: str, adjusted_by: str) -> str:
    """ "7,5 – 8; điều chỉnh: 6 theo 15-NQ/TU ngày 10/3/2022" (domain.md, "Adjusted targets"), in
    the active language; the target alone when there is no adjusted one."""
    from django.utils.translation import gettext

    if not adjusted:
        return target
    if adjusted_by:
        shown = gettext("điều chỉnh: %(target)s theo %(decision)s") % {
            "target": adjusted,
            "decision": adjusted_by,
        }
    else:
        shown = gettext("điều chỉnh: %(target)s") % {"target": adjusted}
    return f"{target}; {shown}" if target else shown


class Indicator(models.Model):
    resolution = models.ForeignKey(
        Resolution, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("nghị quyết")
    )
    number = models.CharField(_("STT"), max_length=20)
    sort_key = models.CharField(max_length=80, editable=False, db_index=True)
    text = models.TextField(_("chỉ tiêu"))
    field = models.CharField(_("lĩnh vực"), max_length=24, choices=Field.choices, blank=True)
    unit = models.CharField(_("đơn vị tính"), max_length=60, blank=True)
    target = models.CharField(_("mục tiêu"), max_length=200, blank=True)
    # "Điều chỉnh chỉ tiêu": a target adjusted at mid-term by a decision, as typed. The Congress's
    # `target` stays; status, suggestion and progress read this one when it is set.
    target_adjusted = models.CharField(_("mục tiêu điều chỉnh"), max_length=200, blank=True)
    # The decision that adjusted it, number and date as typed: "15-NQ/TU ngày 10/3/2022".
    target_adjusted_by = models.CharField(_("văn bản điều chỉnh"), max_length=200, blank=True)
    measure = models.CharField(_("cách tính"), max_length=12, choices=Measure.choices, default=Measure.LEVEL)
    direction = models.CharField(_("chiều"), max_length=8, choices=Direction.choices, default=Direction.UP)
    # A part (5.1, 5a) of the group indicator 5 of the same resolution, one level deep
    # (indicators.groups): the part has its own target, values and suggestion; the committee
    # judges the group, which the tally counts once, never its parts.
    # Indexed only where set (Meta.indexes): the tally's `group IS NULL` holds for nearly every row,
    # and SQLite, without statistics, drove the dashboards' queries from a full index on it (every
    # indicator of every term: 450 ms for the national dashboard's checklist, issue 29).
    group = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="parts",
        verbose_name=_("thuộc chỉ tiêu"),
        db_index=False,
    )
    # The indicator of the committee above this one carries out on its territory (its `target` is
    # then the local target); PROTECT: the one above is withdrawn from below before it can go.
    assigned_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("chỉ tiêu cấp trên giao"),
    )
    # The indicator of the term before that this one continues (indicators.lineage): its end-year
    # value is this one's baseline unless one is typed. Set by indicators.services, with history.
    predecessor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="successors",
        verbose_name=_("chỉ tiêu kỳ trước"),
    )

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["resolution", "sort_key"]
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        constraints = [
            models.UniqueConstraint(
                fields=["resolution", "number"], name="indicator_number_unique_per_resolution"
            )
        ]
        # A group's parts (`group_id = X`, the cascade) are found through it; `group IS NULL` never is.
        indexes = [
            models.Index(fields=["group"], condition=Q(group__isnull=False), name="indicator_group_parts")
        ]

    def __str__(self) -> str:
        return f"{self.resolution.number} – {self.number}. {self.text[:60]}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.sort_key = number_sort_key(self.number)
        if kwargs.get("update_fields") is not None and "number" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "sort_key"}
        super().save(*args, **kwargs)

    @property
    def part_of(self) -> str:
        """The number of the group this indicator is a part of, "" for one of its own (callers
        that read it for many rows select `group` with them)."""
        return self.group.number if self.group_id is not None and self.group is not None else ""

    @property
    def target_in_force(self) -> str:
        """The target status, suggestion and progress read: the adjusted one when there is one."""
        return self.target_adjusted or self.target

    @property
    def target_shown(self) -> str:
        """ "7,5 – 8; điều chỉnh: 6 theo 15-NQ/TU ngày 10/3/2022": the Congress's target, then the
        adjusted one and its decision (pages, report, annex); the target alone when not adjusted."""
        return target_with_adjustment(self.target, self.target_adjusted, self.target_adjusted_by)

    @property
    def assessment(self) -> "Assessment":
        """The assessment at the stage this indicator was read at (`IndicatorQuerySet.at_stage`,
        which fills it in the same query); read alone, the mid-term one (one query, then kept).

        Typed as always there: every indicator has its mid-term assessment, and the readers of
        another stage keep only indicators that have one there (`committee_indicators`)."""
        if "_stage_assessment" not in self.__dict__:
            self.__dict__["_stage_assessment"] = self.assessments.filter(stage=Stage.MID).first()
        found: Assessment = self.__dict__["_stage_assessment"]
        return found

    @assessment.setter
    def assessment(self, value: "Assessment | None") -> None:
        self.__dict__["_stage_assessment"] = value


class Assessment(models.Model):
    """The judgement of one indicator at one stage of its term: one per indicator for the
    mid-term review, and one more once the end-of-term review is opened (`stage_open`)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="assessments")
    stage = models.CharField(_("giai đoạn"), max_length=8, choices=Stage.choices, default=Stage.MID)
    status = models.CharField(
        _("đánh giá"), max_length=16, choices=Status.choices, default=Status.NOT_ASSESSED
    )
    # "vượt": an achieved indicator that exceeds its target; meaningless with any other status.
    exceeded = models.BooleanField(_("vượt"), default=False)
    value = models.CharField(_("thực hiện giữa nhiệm kỳ"), max_length=200, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    # Results over time, numbers as typed (Vietnamese decimal comma): the value of the term's
    # first year, each later year's value ({"2021": {"value": "4,1", "estimate": false}}), and
    # the committee's forecast for the end year.
    baseline = models.CharField(_("giá trị đầu kỳ"), max_length=200, blank=True)
    years = models.JSONField(_("kết quả từng năm"), default=dict, blank=True)
    forecast = models.CharField(_("dự báo cuối kỳ"), max_length=200, blank=True)
    # What the numbers suggest (indicators.suggestion), kept with every change so dashboards
    # can filter and count disagreements in the database; empty where no suggestion is made.
    suggested_status = models.CharField(
        _("gợi ý"), max_length=16, choices=Status.choices, blank=True, default=""
    )
    progress = models.FloatField(_("tiến độ"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người cập nhật"),
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), null=True, blank=True)
    # Bumped on every change; a save carries the version it was read at, so a second
    # writer working from a stale page is refused instead of overwriting (no lost update).
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("kết quả đánh giá")
        verbose_name_plural = _("kết quả đánh giá")
        indexes = [models.Index(fields=["status"], name="assessment_status")]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "stage"], name="assessment_one_per_stage"),
            # No "hard" at the end of a term (domain.md): the services refuse it with a message first.
            models.CheckConstraint(
                condition=~Q(stage="end", status="hard"), name="assessment_no_hard_at_end"
            ),
            models.CheckConstraint(
                condition=Q(exceeded=False) | Q(status="achieved"),
                name="assessment_exceeded_only_achieved",
                violation_error_message=_("Chỉ chỉ tiêu đạt mới có thể đánh dấu vượt."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.get_status_display()}"

    @property
    def status_shown(self) -> str:
        """The status as pages and reports write it: "Đạt và vượt (vượt)" when marked exceeded."""
        from .labels import status_label  # labels reads the statuses defined here

        return status_label(self.status, exceeded=self.exceeded)

    @property
    def value_label(self) -> str:
        return Stage(self.stage).value_label

    @property
    def disagrees(self) -> bool:
        """The committee's judgement is set and differs from what the numbers suggest."""
        return bool(self.suggested_status) and self.status not in (Status.NOT_ASSESSED, self.suggested_status)

    @property
    def explained(self) -> bool:
        """A disagreement its note explains ("đã giải trình"); without a note it still needs one.
        The note is stored stripped, as IndicatorQuerySet.unexplained compares it with ""."""
        return self.disagrees and bool(self.note)


class ChangeSource(models.TextChoices):
    FORM = "form", _("Biểu mẫu")
    IMPORT = "import", _("Nhập từ Excel")
    SYSTEM = "system", _("Hệ thống")


class HistoryRow(models.Model):
    """Who made a change and when: the part every history row shares, newest first."""

    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người thay đổi"),
    )
    changed_at = models.DateTimeField(_("thời điểm"))

    class Meta:
        abstract = True
        ordering = ["-changed_at", "-pk"]


class SubjectCopy(models.Model):
    """A readable copy of what a history row is about, written with the row: the row outlives its
    object (the foreign key is SET_NULL, as Django's LogEntry keeps `object_repr`), and still says
    which committee and which resolution or indicator it concerned once they are deleted."""

    # The committee the object belonged to: committees are never deleted (only moved), so a row
    # of a deleted indicator still belongs to its committee's term (a backup of one term takes it).
    committee = models.ForeignKey(
        "Committee",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("đơn vị"),
    )
    committee_code = models.CharField(_("mã đơn vị"), max_length=40, blank=True)
    subject = models.CharField(_("đối tượng"), max_length=300, blank=True)

    class Meta:
        abstract = True


class SourcedHistoryRow(HistoryRow):
    """… and where the change came from (a form, a workbook, the system)."""

    source = models.CharField(
        _("nguồn"), max_length=10, choices=ChangeSource.choices, default=ChangeSource.FORM
    )

    class Meta(HistoryRow.Meta):
        abstract = True


class AssessmentChange(SubjectCopy, SourcedHistoryRow):
    """History: one row per change of status, value or note, written with the change; an indicator
    created with a status has one too (from "not assessed")."""

    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="changes",
        verbose_name=_("kết quả đánh giá"),
    )
    old_status = models.CharField(_("đánh giá cũ"), max_length=16, choices=Status.choices)
    new_status = models.CharField(_("đánh giá mới"), max_length=16, choices=Status.choices)
    old_exceeded = models.BooleanField(_("vượt (cũ)"), default=False)
    new_exceeded = models.BooleanField(_("vượt (mới)"), default=False)
    old_value = models.CharField(_("giá trị cũ"), max_length=200, blank=True)
    new_value = models.CharField(_("giá trị mới"), max_length=200, blank=True)
    old_note = models.TextField(_("ghi chú cũ"), blank=True)
    new_note = models.TextField(_("ghi chú mới"), blank=True)
    # Baseline, yearly values and forecast before and after; null when they did not change.
    old_results = models.JSONField(_("kết quả cũ"), null=True, blank=True)
    new_results = models.JSONField(_("kết quả mới"), null=True, blank=True)

    class Meta(SourcedHistoryRow.Meta):
        verbose_name = _("lịch sử thay đổi")
        verbose_name_plural = _("lịch sử thay đổi")

    def __str__(self) -> str:
        return f"{self.subject} {self.old_status} → {self.new_status}"

    @property
    def judgement_changed(self) -> bool:
        """The status or its "vượt" mark changed (history pages show old → new)."""
        return (self.old_status, self.old_exceeded) != (self.new_status, self.new_exceeded)

    @property
    def old_status_shown(self) -> str:
        """ "Đạt và vượt (vượt)" when the old status was marked exceeded (history pages)."""
        from .labels import status_label  # labels reads the statuses defined here

        return status_label(self.old_status, exceeded=self.old_exceeded)

    @property
    def new_status_shown(self) -> str:
        from .labels import status_label

        return status_label(self.new_status, exceeded=self.new_exceeded)


class ContentAction(models.TextChoices):
    CREATED = "created", _("Tạo mới")
    CHANGED = "changed", _("Sửa nội dung")
    DELETED = "deleted", _("Xóa")


class ContentChange(SubjectCopy, SourcedHistoryRow):
    """History of what a resolution or an indicator says, written by indicators.services with the
    change: on creation `new` holds every field of CONTENT and `old` is null; on a change both hold
    only the fields that changed; on deletion `old` holds every field and `new` is null. Dates are
    ISO strings."""

    CONTENT: tuple[str, ...] = ()

    action = models.CharField(_("thao tác"), max_length=10, choices=ContentAction.choices)
    old = models.JSONField(_("nội dung cũ"), null=True, blank=True)
    new = models.JSONField(_("nội dung mới"), null=True, blank=True)

    class Meta(SourcedHistoryRow.Meta):
        abstract = True


class ResolutionChange(ContentChange):
    CONTENT = ("number", "kind", "date", "title")

    resolution = models.ForeignKey(
        Resolution,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="changes",
        verbose_name=_("nghị quyết"),
    )

    class Meta(ContentChange.Meta):
        verbose_name = _("lịch sử nghị quyết")
        verbose_name_plural = _("lịch sử nghị quyết")

    def __str__(self) -> str:
        return f"{self.subject} {self.action}"


class IndicatorChange(ContentChange):
    # `part_of`: the group's number ("" for an indicator of its own), as the workbook writes it.
    CONTENT = (
        "number", "text", "field", "unit", "target", "measure", "direction", "part_of",
        "target_adjusted", "target_adjusted_by",
    )  # fmt: skip

    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="changes",
        verbose_name=_("chỉ tiêu"),
    )

    class Meta(ContentChange.Meta):
        verbose_name = _("lịch sử chỉ tiêu")
        verbose_name_plural = _("lịch sử chỉ tiêu")

    def __str__(self) -> str:
        return f"{self.subject} {self.action}"


class RoleKind(models.TextChoices):
    SECRETARY = "secretary", _("Bí thư / người nhập liệu")
    VIEWER = "viewer", _("Người xem")


class Role(models.Model):
    """A user's role on a committee (and so on one term): the basis of every access check."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="committee_roles",
        verbose_name=_("người dùng"),
    )
    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="roles", verbose_name=_("đơn vị")
    )
    role = models.CharField(_("vai trò"), max_length=16, choices=RoleKind.choices)

    class Meta:
        verbose_name = _("vai trò")
        verbose_name_plural = _("vai trò")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "committee", "role"], name="role_unique_per_user_committee"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.committee.code}"


class RoleChangeAction(models.TextChoices):
    GRANTED = "granted", _("Cấp vai trò")
    REVOKED = "revoked", _("Thu hồi vai trò")


class RoleChange(HistoryRow):
    """History of roles: every grant and revocation, written by indicators.services with the change.

    The username and the committee's code are kept as written, so the row still says whom and where
    it concerned after the account or the committee is gone."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người dùng"),
    )
    username = models.CharField(_("tài khoản"), max_length=150)
    committee = models.ForeignKey(
        Committee,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="role_changes",
        verbose_name=_("đơn vị"),
    )
    committee_code = models.CharField(_("mã đơn vị"), max_length=40, blank=True)
    role = models.CharField(_("vai trò"), max_length=16, choices=RoleKind.choices)
    action = models.CharField(_("thao tác"), max_length=16, choices=RoleChangeAction.choices)

    class Meta(HistoryRow.Meta):
        verbose_name = _("lịch sử vai trò")
        verbose_name_plural = _("lịch sử vai trò")

    def __str__(self) -> str:
        return f"{self.username} {self.action} {self.role} {self.committee_code}"


class CommitteeChange(HistoryRow):
    """History of the tree: a committee created (the old fields blank), renamed, re-levelled or
    moved under another parent. The code is kept as written, so the row outlives the committee."""

    action = models.CharField(
        _("thao tác"), max_length=10, choices=ContentAction.choices, default=ContentAction.CHANGED
    )
    committee = models.ForeignKey(
        Committee,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="changes",
        verbose_name=_("đơn vị"),
    )
    committee_code = models.CharField(_("mã đơn vị"), max_length=40, blank=True)
    old_name = models.CharField(_("tên cũ"), max_length=200, blank=True)
    new_name = models.CharField(_("tên mới"), max_length=200)
    old_level = models.CharField(_("cấp cũ"), max_length=16, choices=Level.choices, blank=True)
    new_level = models.CharField(_("cấp mới"), max_length=16, choices=Level.choices)
    old_parent = models.ForeignKey(
        Committee,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("đơn vị cấp trên cũ"),
    )
    new_parent = models.ForeignKey(
        Committee,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("đơn vị cấp trên mới"),
    )

    class Meta(HistoryRow.Meta):
        verbose_name = _("lịch sử đơn vị")
        verbose_name_plural = _("lịch sử đơn vị")

    def __str__(self) -> str:
        return f"{self.committee_code}: {self.old_parent_id} → {self.new_parent_id}"


class PredecessorChange(HistoryRow):
    """History of a committee's predecessors: their codes (all of the term before) before and after
    the change, written by indicators.services; the code is kept so the row outlives the committee."""

    committee = models.ForeignKey(
        Committee, on_delete=models.SET_NULL, null=True, blank=True, related_name="predecessor_changes"
    )
    committee_code = models.CharField(_("mã đơn vị"), max_length=40, blank=True)
    source = models.CharField(
        _("nguồn"), max_length=10, choices=ChangeSource.choices, default=ChangeSource.FORM
    )
    old_codes = models.JSONField(_("đơn vị tiền thân cũ"), default=list, blank=True)
    new_codes = models.JSONField(_("đơn vị tiền thân mới"), default=list, blank=True)

    class Meta(HistoryRow.Meta):
        verbose_name = _("lịch sử đơn vị tiền thân")
        verbose_name_plural = _("lịch sử đơn vị tiền thân")

    def __str__(self) -> str:
        return f"{self.committee_code}: {self.old_codes} → {self.new_codes}"


class Profile(models.Model):
    """What pages say about a person besides the name: their position (chức vụ).

    The name itself is the user's own `last_name` (họ và tên đệm) + `first_name` (tên), as the
    admin's Vietnamese labels "Họ" and "Tên" ask for it; the username is for logging in."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    position = models.CharField(
        _("chức vụ"), max_length=200, blank=True, help_text=_("Ví dụ: Bí thư Đảng ủy xã Nông Hạ.")
    )

    class Meta:
        verbose_name = _("chức vụ")
        verbose_name_plural = _("chức vụ")

    def __str__(self) -> str:
        return self.position
