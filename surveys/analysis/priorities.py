"""Where each competence stands in the two quadrant views of priorities, and only where the
data can tell.

- Importance–performance quadrant: current level (x) against importance (y), cross-hairs at
  the means over the competences placed.
- Locus for Focus (Mink, Shultz & Mink 1991), the view the needs-assessment literature pairs
  with Borich's ranking: importance (x) against the discrepancy (y: the gap I − C), cross-hairs
  at the means; the high-importance, large-gap quadrant is the "locus for focus".

The importance axis is the staff's own importance (I) or, where a demand survey was answered,
the level employers require (R); with R the discrepancy is the market gap R − C.

A competence gets a quadrant only where its 95 % interval on each axis stays clear of that
axis's cross-hair; otherwise it is "near the average" of the axes it reaches, since a
difference inside the margin of error is not a finding. Borich's MWDS ranking stays the
priority list; these views place it, and say when they cannot.
"""

from dataclasses import dataclass
from statistics import fmean, median

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

NEAR_AVERAGE = "near_average"
AXES = {
    "importance": gettext_lazy("Importance to staff (I)"),
    "required": gettext_lazy("Level required by employers (R)"),
}
# The importance–performance quadrants.
QUADRANTS = {
    "concentrate": gettext_lazy("Concentrate here"),
    "keep_up": gettext_lazy("Keep up the good work"),
    "low_priority": gettext_lazy("Low priority"),
    "overkill": gettext_lazy("Possible overkill"),
}
# The Locus for Focus quadrants: importance, then discrepancy.
FOCUS = {
    "focus": gettext_lazy("Focus here: important, large gap"),
    "large_gap": gettext_lazy("Large gap, less important"),
    "small_gap": gettext_lazy("Important, smaller gap"),
    "least": gettext_lazy("Less important, smaller gap"),
}
# Short, for table cells: "Near the average (importance, level)".
COORDINATE_NAMES = {
    "importance": gettext_lazy("importance"),
    "required": gettext_lazy("requirement"),
    "current": gettext_lazy("level"),
    "gap": gettext_lazy("gap"),
    "market_gap": gettext_lazy("market gap"),
}


def near_label(near: tuple[str, ...]) -> str:
    """ "Near the average (importance)": the axes whose line a point's interval reaches."""
    axes = ", ".join(str(COORDINATE_NAMES[name]) for name in near)
    return _("Near the average (%(axes)s)") % {"axes": axes}


@dataclass(frozen=True)
class Placement:
    """A competence in both views on one importance axis; None where it is not placed."""

    quadrant: str | None = None
    quadrant_near: tuple[str, ...] = ()
    focus: str | None = None
    focus_near: tuple[str, ...] = ()

    @property
    def quadrant_label(self) -> str:
        if self.quadrant == NEAR_AVERAGE:
            return near_label(self.quadrant_near)
        return str(QUADRANTS[self.quadrant]) if self.quadrant else ""

    @property
    def focus_label(self) -> str:
        if self.focus == NEAR_AVERAGE:
            return near_label(self.focus_near)
        return str(FOCUS[self.focus]) if self.focus else ""


@dataclass(frozen=True)
class CrossHairs:
    """Where the lines of each view cross: the means over the competences it places (None
    where the view places none)."""

    importance: float | None = None
    current: float | None = None
    focus_importance: float | None = None
    discrepancy: float | None = None


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def discrepancy_name(axis: str) -> str:
    return "gap" if axis == "importance" else "market_gap"


def coordinates(row, axis: str) -> dict[str, tuple[float, float | None] | None]:
    """(mean, margin) of the row on each coordinate of the views, None where not shown."""

    def measure(scale):
        return (scale.mean, scale.margin) if scale.shown else None

    discrepancy = discrepancy_name(axis)
    value = getattr(row, discrepancy)
    return {
        axis: measure(getattr(row, axis)),
        "current": measure(row.current),
        discrepancy: (value, getattr(row, f"{discrepancy}_margin")) if _is_number(value) else None,
    }


def _reaches(coordinate: tuple[float, float | None], cross: float) -> bool:
    mean, margin = coordinate
    return margin is None or abs(mean - cross) <= margin


def _side(coordinates_of: dict, names: tuple[str, str], cross: dict[str, float]):
    """(high on the first, high on the second), or the names of the axes reached."""
    near = tuple(name for name in names if _reaches(coordinates_of[name], cross[name]))
    if near:
        return None, near
    return tuple(coordinates_of[name][0] > cross[name] for name in names), ()


IPA_KEYS = {
    (True, False): "concentrate",
    (True, True): "keep_up",
    (False, False): "low_priority",
    (False, True): "overkill",
}
FOCUS_KEYS = {
    (True, True): "focus",
    (False, True): "large_gap",
    (True, False): "small_gap",
    (False, False): "least",
}


def place(rows, axis: str) -> tuple[CrossHairs | None, dict[str, Placement]]:
    """The cross-hairs of both views on `axis` and each competence's placement (by code)."""
    discrepancy = discrepancy_name(axis)
    points = {row.code: coordinates(row, axis) for row in rows}
    in_quadrant = [c for c, p in points.items() if p[axis] and p["current"]]
    in_focus = [c for c, p in points.items() if p[axis] and p[discrepancy]]
    if not in_quadrant and not in_focus:
        return None, {}

    def mean_of(codes, name):
        return fmean(points[code][name][0] for code in codes) if codes else None

    quadrant_cross = {axis: mean_of(in_quadrant, axis), "current": mean_of(in_quadrant, "current")}
    focus_cross = {axis: mean_of(in_focus, axis), discrepancy: mean_of(in_focus, discrepancy)}
    placements = {}
    for code, point in points.items():
        quadrant = focus = None
        quadrant_near = focus_near = ()
        if code in in_quadrant:
            side, quadrant_near = _side(point, (axis, "current"), quadrant_cross)
            quadrant = IPA_KEYS[side] if side else NEAR_AVERAGE
        if code in in_focus:
            side, focus_near = _side(point, (axis, discrepancy), focus_cross)
            focus = FOCUS_KEYS[side] if side else NEAR_AVERAGE
        if quadrant or focus:
            placements[code] = Placement(quadrant, quadrant_near, focus, focus_near)
    cross_hairs = CrossHairs(
        quadrant_cross[axis], quadrant_cross["current"], focus_cross[axis], focus_cross[discrepancy]
    )
    return cross_hairs, placements


@dataclass(frozen=True)
class Spread:
    """How far apart the competences lie on the importance axis, against the margin of error
    of each mean: when the range is hardly wider than the margins, the quadrants cannot tell
    the competences apart by importance, and say so."""

    low: float
    high: float
    typical_margin: float

    @property
    def narrow(self) -> bool:
        return self.high - self.low < 2 * self.typical_margin


def spread(rows, axis: str) -> Spread | None:
    shown = [getattr(row, axis) for row in rows if getattr(row, axis).shown]
    margins = [m.margin for m in shown if m.margin is not None]
    if not shown or not margins:
        return None
    means = [m.mean for m in shown]
    return Spread(min(means), max(means), median(margins))
