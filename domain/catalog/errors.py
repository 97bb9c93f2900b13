"""Error codes of the catalog area. The codes of product specifications and configurations are
checked by the specification language the price engine evaluates, so the enum lives with it in
domain/pricing/spec_errors.py; catalog services and payloads use it from here."""

from __future__ import annotations

from domain.pricing.spec_errors import CatalogErrorCode

__all__ = ["CatalogErrorCode"]
