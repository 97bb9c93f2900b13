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
