"""A served worker keeps the garbage collector off its start-up objects (bench/RESULTS.md:
full collections over them were the p99); tests and the CLI leave the collector alone."""

from __future__ import annotations

import gc
import inspect

from server import asgi
from server.app import tune_gc_after_startup


def test_tuning_freezes_start_up_objects() -> None:
    try:
        tune_gc_after_startup()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_only_the_uvicorn_worker_factory_tunes() -> None:
    assert "tune_gc=True" in inspect.getsource(asgi.app_factory)
    from server.app import create_app

    assert inspect.signature(create_app).parameters["tune_gc"].default is False


def test_served_processes_get_the_configured_thresholds() -> None:
    from server.settings import Settings

    before = gc.get_threshold()
    try:
        tune_gc_after_startup(Settings().gc_thresholds)
        assert gc.get_threshold() == (10_000, 20, 100)
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_thresholds_come_from_the_environment_and_are_checked() -> None:
    import pytest

    from server.settings import Settings

    secret = {"PRESSROOM_JWT_SECRET": "x" * 40}  # nothing generated into a data folder
    env = {**secret, "PRESSROOM_GC_THRESHOLDS": "5000,10,50"}
    assert Settings.from_env(env).gc_thresholds == (5000, 10, 50)
    with pytest.raises(ValueError, match="three positive integers"):
        Settings.from_env({**secret, "PRESSROOM_GC_THRESHOLDS": "5000,0"})
