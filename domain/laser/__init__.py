"""Laser-cut parts: DXF analysis, previews, parametric templates and costing. Pure Python.

Flow: an upload (or ``templates.generate``) gives DXF bytes -> ``geometry.analyse_dxf`` gives
a ``PartGeometry`` or a ``DrawingError`` listing every problem with its place in the drawing
-> ``costing.laser_cost_lines`` turns geometry, material and machine data into ``CostLine``s
for the pricing engine; ``svg.contours_to_svg`` and ``svg.geometry_to_dxf`` render it back.

Import from the modules themselves: this package file stays empty on purpose, so importing
``domain.laser.models`` (database tables) does not load ezdxf and the whole analyser.
Only the analyser (``geometry`` and the modules it reads through: ``dxf_source``, ``entities``,
``topology``, ``crossings``) imports ezdxf at the top; ``part_drawings`` imports it on the first
drawing, ``templates.generate`` and ``svg.geometry_to_dxf`` import ezdxf when called, and
``import_files`` imports openpyxl on the first XLSX sheet. The figures (``part_geometry``),
costing, prices and previews stay light, so a served worker that never sees a drawing never
loads them (tests/unit/test_start_up_imports.py).
"""
