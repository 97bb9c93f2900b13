"""Which turnaround options a product offers (its `turnaround` parameter, the shop's days)."""

from __future__ import annotations

import pytest

from domain.fulfilment.delivery_dates import TurnaroundOption
from domain.fulfilment.turnaround import TurnaroundCatalogue, offered_options

SHOP = TurnaroundCatalogue({"standard": 5, "express": 2})


def test_options_come_from_the_parameter_with_the_shops_days() -> None:
    spec = {
        "parameters": [
            {"key": "size", "options": [{"key": "a5", "label": "A5"}]},
            {
                "key": "turnaround",
                "options": [
                    {"key": "express", "label": "Express (48 h)"},
                    {"key": "standard", "label": "Standard"},
                    {"key": "same-day", "label": "Unknown to the shop"},
                ],
            },
        ]
    }
    assert offered_options(spec, SHOP) == [
        TurnaroundOption("express", "Express (48 h)", 2),
        TurnaroundOption("standard", "Standard", 5),
    ]


def test_without_the_parameter_the_shops_default_option() -> None:
    assert offered_options({"parameters": [{"key": "size"}]}, SHOP) == [
        TurnaroundOption("standard", "Standard", 5)
    ]


def test_the_default_option_needs_its_days() -> None:
    with pytest.raises(ValueError):
        TurnaroundCatalogue({"express": 2})
