"""Point labels of a scatter chart placed without collisions, deterministically.

Each label is tried at growing distances and in several directions around its point; the first
position whose box stays inside the plot and meets no other label, no point marker and no
fixed text (the quadrants' names) is taken, with a leader line when it is not next to its
point (through another point only where nothing else is left). A label that finds no free
place is left out of the drawing, and the chart lists it below instead. The width of a text
is estimated generously from its length, as the server cannot measure fonts.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

# Wider than any glyph of DejaVu Sans or Liberation Sans a code uses (digits 0.64 em); as
# high as their line box (DejaVu Sans: ascent 0.93 em, descent 0.24 em).
CHARACTER_WIDTH_EM = 0.66
ASCENT_EM = 0.93
DESCENT_EM = 0.24
MARKER_RADIUS = 4.0
# Leader lines from this distance on: nearer, the label is plainly its point's.
LEADER_FROM = 10.0
DISTANCES = (4.0, 8.0, 13.0, 19.0, 26.0, 34.0, 43.0, 53.0, 64.0, 76.0, 90.0)
# Right first (where labels are read from), then left, above, below, the diagonals, and
# every 15 degrees in between.
_FIRST = (0, 180, 90, 270, 45, 315, 135, 225)
DIRECTIONS = tuple(
    math.radians(d) for d in (*_FIRST, *(d for d in range(0, 360, 15) if d not in _FIRST))
)


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    def meets(self, other: "Box") -> bool:
        return not (
            self.right <= other.left
            or other.right <= self.left
            or self.bottom <= other.top
            or other.bottom <= self.top
        )

    def inside(self, other: "Box") -> bool:
        return (
            self.left >= other.left
            and self.right <= other.right
            and self.top >= other.top
            and self.bottom <= other.bottom
        )

    def crossed_by(self, start: tuple[float, float], end: tuple[float, float]) -> bool:
        """Whether the segment start–end passes through the box (Liang–Barsky clipping)."""
        (x0, y0), (x1, y1) = start, end
        dx, dy = x1 - x0, y1 - y0
        low, high = 0.0, 1.0
        for p, q in (
            (-dx, x0 - self.left),
            (dx, self.right - x0),
            (-dy, y0 - self.top),
            (dy, self.bottom - y0),
        ):
            if p == 0:
                if q < 0:
                    return False
                continue
            t = q / p
            if p < 0:
                low = max(low, t)
            else:
                high = min(high, t)
            if low > high:
                return False
        return True


def text_box(x: float, baseline: float, text: str, font_size: float, anchor: str = "start") -> Box:
    """The box a text drawn at (x, baseline) with this anchor takes, estimated generously."""
    width = len(text) * CHARACTER_WIDTH_EM * font_size
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    return Box(
        left, baseline - ASCENT_EM * font_size, left + width, baseline + DESCENT_EM * font_size
    )


def marker_box(x: float, y: float, radius: float = MARKER_RADIUS) -> Box:
    return Box(x - radius - 1, y - radius - 1, x + radius + 1, y + radius + 1)


@dataclass(frozen=True)
class Label:
    """Where a point's label is drawn: text start (anchor "start") and baseline, and the
    leader line's end at the box (None when the label sits next to its point)."""

    key: str
    text: str
    x: float
    baseline: float
    box: Box
    leader_to: tuple[float, float] | None


def _nearest_on(box: Box, x: float, y: float) -> tuple[float, float]:
    return (min(max(x, box.left), box.right), min(max(y, box.top), box.bottom))


def place_labels(
    points: Sequence[tuple[str, str, float, float]],
    area: Box,
    font_size: float,
    fixed: Sequence[Box] = (),
) -> dict[str, Label]:
    """Labels for points (key, text, x, y), keyed by point; points without room are left out.

    The most crowded points choose first, so they get the places next to them."""
    markers = {key: marker_box(x, y) for key, _text, x, y in points}

    def crowding(point):
        key, _text, x, y = point
        return -sum(1 for _k, _t, ox, oy in points if math.hypot(ox - x, oy - y) < 30), key

    taken: list[Box] = list(fixed)
    placed: dict[str, Label] = {}
    leaders: list[tuple[tuple[float, float], tuple[float, float]]] = []

    def candidates(key, text, x, y):
        width = len(text) * CHARACTER_WIDTH_EM * font_size
        height = (ASCENT_EM + DESCENT_EM) * font_size
        for distance in DISTANCES:
            for angle in DIRECTIONS:
                centre_x = x + math.cos(angle) * (MARKER_RADIUS + distance + width / 2)
                centre_y = y - math.sin(angle) * (MARKER_RADIUS + distance + height / 2)
                left = centre_x - width / 2
                baseline = centre_y + height / 2 - DESCENT_EM * font_size
                box = text_box(left, baseline, text, font_size)
                if not box.inside(area) or any(box.meets(other) for other in taken):
                    continue
                if any(box.meets(m) for k, m in markers.items() if k != key):
                    continue
                leader_to = _nearest_on(box, x, y) if distance >= LEADER_FROM else None
                yield Label(key, text, left, baseline, box, leader_to)

    for key, text, x, y in sorted(points, key=crowding):
        # A leader line through another point only where no other place is left.
        label = next(
            (
                candidate
                for through_markers in (False, True)
                for candidate in candidates(key, text, x, y)
                if not candidate.leader_to
                or not _leader_crosses(
                    (x, y), candidate.leader_to, key, taken, markers, leaders, through_markers
                )
            ),
            None,
        )
        if label is None:
            continue
        placed[key] = label
        taken.append(label.box)
        if label.leader_to:
            leaders.append(((x, y), label.leader_to))
    return placed


def _leader_crosses(start, end, key, taken, markers, leaders, through_markers) -> bool:
    """A leader line must not pass through another label nor cross another leader, nor,
    unless `through_markers`, pass through another point."""
    if any(box.crossed_by(start, end) for box in taken):
        return True
    if not through_markers and any(
        m.crossed_by(start, end) for k, m in markers.items() if k != key
    ):
        return True
    return any(_segments_cross(start, end, a, b) for a, b in leaders)


def _segments_cross(p1, p2, q1, q2) -> bool:
    def orientation(a, b, c):
        value = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
        return (value > 0) - (value < 0)

    o1, o2 = orientation(p1, p2, q1), orientation(p1, p2, q2)
    o3, o4 = orientation(q1, q2, p1), orientation(q1, q2, p2)
    return o1 != o2 and o3 != o4 and 0 not in (o1, o2, o3, o4)
