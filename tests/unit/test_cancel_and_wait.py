"""Background loops (event relay, cache listener, mail) must stop even when a cancellation is
lost: Python 3.11's `asyncio.wait_for` can swallow one that arrives as the awaited future
completes, and a single `task.cancel(); await task` then waits forever (a CI run hung so)."""

from __future__ import annotations

import asyncio

from adapters.events import cancel_and_wait


async def _stubborn(swallowed: list[int]) -> None:
    try:
        await asyncio.sleep(30)
    except asyncio.CancelledError:
        swallowed.append(1)  # lost, as in wait_for's race
    await asyncio.sleep(30)


def test_a_lost_cancellation_does_not_keep_the_loop_alive() -> None:
    async def run() -> list[int]:
        swallowed: list[int] = []
        task = asyncio.create_task(_stubborn(swallowed))
        await asyncio.sleep(0)
        await asyncio.wait_for(cancel_and_wait(task), timeout=5)
        assert task.cancelled()
        return swallowed

    assert asyncio.run(run()) == [1]


def test_a_single_cancel_would_have_hung() -> None:
    async def run() -> bool:
        task = asyncio.create_task(_stubborn([]))
        await asyncio.sleep(0)
        task.cancel()
        done, _ = await asyncio.wait({task}, timeout=0.5)
        task.cancel()  # clean up
        await asyncio.wait({task}, timeout=1)
        return bool(done)

    assert asyncio.run(run()) is False
