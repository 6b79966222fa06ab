"""The status the numbers suggest for an indicator (domain.md, "Results over time").

A pure function of what the committee typed: target, baseline, yearly values, forecast, the
indicator's measure and direction, and the term's years. The committee's status stays its own
judgement; the suggestion only shows where the two disagree.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from .models import Direction, Measure, Status
from .targets import parse_target
from .values import parse_number


@dataclass(frozen=True)
class Suggestion:
    status: Status  # achieved, hard or not_achieved
    progress: Decimal  # r of domain.md: 1 means the target is reached
    projected: Decimal  # P: the end-of-term value the suggestion is based on


def thresholds() -> tuple[Decimal, Decimal]:
    """(achieved at, hard at): r ≥ the first is achieved, r ≥ the second is hard."""
    return (
        Decimal(str(settings.SUGGESTION_ACHIEVED_AT)),
        Decimal(str(settings.SUGGESTION_HARD_AT)),
    )


def suggest(
    *,
    target: str,
    baseline: str,
    years: Mapping[int, str],
    forecast: str,
    measure: str,
    direction: str,
    start_year: int,
    end_year: int,
) -> Suggestion | None:
    """The suggested status, or None where domain.md says no suggestion can be made.

    A target is read as domain.md says (indicators.targets): a range's low end (direction up) or
    high end (down), a bound's number; a rank or a phrase gives no suggestion. A yearly value that
    is not a plain number ("đạt") is left out. Years outside the term's later years
    are left out too (the first year is the baseline)."""
    t = parse_target(target).for_suggestion(direction)
    if t is None:
        return None
    b = parse_number(baseline)
    f = parse_number(forecast)
    values = {
        year: number
        for year, text in years.items()
        if start_year < year <= end_year and (number := parse_number(text)) is not None
    }
    if f is None and not values:
        return None
    p = f if f is not None else _projected(measure, values, b, start_year, end_year)
    if p is None:
        return None
    r = _progress(measure, direction, p=p, t=t, b=b)
    achieved_at, hard_at = thresholds()
    status = Status.ACHIEVED if r >= achieved_at else Status.HARD if r >= hard_at else Status.NOT_ACHIEVED
    return Suggestion(status=status, progress=r, projected=p)


def _projected(
    measure: str, values: dict[int, Decimal], b: Decimal | None, start_year: int, end_year: int
) -> Decimal | None:
    if measure == Measure.CUMULATIVE:
        mean = sum(values.values(), Decimal(0)) / len(values)
        return sum(values.values(), Decimal(0)) + mean * (end_year - max(values))
    if measure == Measure.AVERAGE:
        return sum(values.values(), Decimal(0)) / len(values)
    points = dict(values)
    if b is not None:
        points[start_year] = b
    if len(points) < 2:
        return None
    return _least_squares_at(points, end_year)


def _least_squares_at(points: dict[int, Decimal], x: int) -> Decimal:
    """The least-squares straight line through the points, evaluated at x (points ≥ 2, distinct x)."""
    n = len(points)
    mean_x = Decimal(sum(points)) / n
    mean_y = sum(points.values(), Decimal(0)) / n
    sxx = sum(((px - mean_x) ** 2 for px in points), Decimal(0))
    sxy = sum(((px - mean_x) * (py - mean_y) for px, py in points.items()), Decimal(0))
    return mean_y + sxy / sxx * (x - mean_x)


def _progress(measure: str, direction: str, *, p: Decimal, t: Decimal, b: Decimal | None) -> Decimal:
    down = direction == Direction.DOWN
    if measure == Measure.LEVEL and b is not None:
        if t == b:
            return _on_good_side(p, t, down=down)
        return (b - p) / (b - t) if down else (p - b) / (t - b)
    # P / T (up) or T / P (down). domain.md leaves a zero denominator open; we read it as the
    # T = B case: reached when P is on the good side of T.
    denominator = p if down else t
    if denominator == 0:
        return _on_good_side(p, t, down=down)
    return t / p if down else p / t


def _on_good_side(p: Decimal, t: Decimal, *, down: bool) -> Decimal:
    return Decimal(1) if (p <= t if down else p >= t) else Decimal(0)
