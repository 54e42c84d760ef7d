"""The exercise line drawings (static/care/exercises/*.svg) drawn into a PDF.

The drawings are our own and use a small part of SVG: line, polyline, circle, ellipse and rect,
stroked, on a 120 x 120 view box. This reads that part into a ReportLab drawing, so the PDF shows
the same picture as the page without another dependency.
"""

import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

from reportlab.graphics.shapes import Circle, Drawing, Ellipse, Group, Line, PolyLine, Rect, Shape
from reportlab.lib import colors

PICTURES = Path(__file__).resolve().parent / "static" / "care" / "exercises"
_SVG = "{http://www.w3.org/2000/svg}"
_BOX = 120.0


def _numbers(element: ET.Element, *names: str) -> list[float]:
    return [float(element.get(name, "0")) for name in names]


def _shape(element: ET.Element) -> Shape | None:
    tag = element.tag.removeprefix(_SVG)
    if tag == "line":
        x1, y1, x2, y2 = _numbers(element, "x1", "y1", "x2", "y2")
        return Line(x1, _BOX - y1, x2, _BOX - y2)
    if tag == "polyline":
        points = [float(v) for pair in element.get("points", "").split() for v in pair.split(",")]
        flipped = [v if i % 2 == 0 else _BOX - v for i, v in enumerate(points)]
        return PolyLine(flipped)
    if tag == "circle":
        cx, cy, r = _numbers(element, "cx", "cy", "r")
        return Circle(cx, _BOX - cy, r)
    if tag == "ellipse":
        cx, cy, rx, ry = _numbers(element, "cx", "cy", "rx", "ry")
        return Ellipse(cx, _BOX - cy, rx, ry)
    if tag == "rect":
        x, y, width, height = _numbers(element, "x", "y", "width", "height")
        return Rect(x, _BOX - y - height, width, height)
    return None  # the title, and anything our drawings do not use


@cache
def _group(name: str) -> Group:
    root = ET.parse(PICTURES / name).getroot()  # noqa: S314 - our own static files
    group = Group()
    for element in root:
        shape = _shape(element)
        if shape is not None:
            shape.setProperties({"strokeColor": colors.black, "strokeWidth": 3})
            if hasattr(shape, "fillColor"):
                shape.setProperties({"fillColor": None})
            group.add(shape)
    return group


def exercise_picture(name: str, *, size: float) -> Drawing:
    """The named drawing, `size` points square."""
    drawing = Drawing(size, size)
    group = _group(name)
    scaled = Group(*group.contents)
    scaled.scale(size / _BOX, size / _BOX)
    drawing.add(scaled)
    return drawing
