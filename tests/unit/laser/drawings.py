"""Building test drawings with ezdxf, and running them through the analyser."""

from __future__ import annotations

import io
from typing import Any

import pytest
from ezdxf.document import Drawing
from ezdxf.filemanagement import new as new_drawing
from ezdxf.layouts.base import BaseLayout

from domain.laser.errors import DrawingError, DrawingProblem, LaserErrorCode
from domain.laser.geometry import PartGeometry, analyse_dxf


def new_doc(units: int = 4, version: str = "R2010") -> tuple[Drawing, Any]:
    doc = new_drawing(version, units=units)
    return doc, doc.modelspace()


def to_bytes(doc: Drawing) -> bytes:
    stream = io.StringIO()
    doc.write(stream)
    return stream.getvalue().encode("utf-8")


def analyse(source: Drawing | bytes, **options: Any) -> PartGeometry:
    data = source if isinstance(source, bytes) else to_bytes(source)
    return analyse_dxf(data, **options)


def problems(source: Drawing | bytes, **options: Any) -> list[DrawingProblem]:
    with pytest.raises(DrawingError) as caught:
        analyse(source, **options)
    return list(caught.value.problems)


def only(found: list[DrawingProblem], code: LaserErrorCode) -> DrawingProblem:
    matching = [p for p in found if p.code == code]
    assert len(matching) == 1, found
    return matching[0]


def plate(layout: BaseLayout, width: float = 100.0, height: float = 50.0) -> None:
    layout.add_lwpolyline([(0, 0), (width, 0), (width, height), (0, height)], close=True)


def _r12_line(x0: float, y0: float, x1: float, y1: float) -> str:
    return f"0\nLINE\n8\nCUT\n10\n{x0}\n20\n{y0}\n11\n{x1}\n21\n{y1}\n"


# A DXF R12 file as old CAM programs write it: only an ENTITIES section, no header, no units.
R12_SQUARE = (
    "0\nSECTION\n2\nENTITIES\n"
    + _r12_line(0, 0, 10, 0)
    + _r12_line(10, 0, 10, 10)
    + _r12_line(10, 10, 0, 10)
    + _r12_line(0, 10, 0, 0)
    + "0\nENDSEC\n0\nEOF\n"
)
