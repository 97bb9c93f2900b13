"""Laser-cut parts: DXF analysis, previews, parametric templates and costing. Pure Python.

Flow: an upload (or ``templates.generate``) gives DXF bytes -> ``geometry.analyse_dxf`` gives
a ``PartGeometry`` or a ``DrawingError`` listing every problem with its place in the drawing
-> ``costing.laser_cost_lines`` turns geometry, material and machine data into ``CostLine``s
for the pricing engine; ``svg.contours_to_svg`` and ``svg.geometry_to_dxf`` render it back.

Import from the modules themselves: this package file stays empty on purpose, so importing
``domain.laser.models`` (database tables) does not load ezdxf and the whole analyser.
"""
