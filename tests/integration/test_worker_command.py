"""`pressroom worker` as a process: it sends committed mail and stops cleanly on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from adapters.db import SqlUnitOfWork
from tests.integration.test_mail import SmtpServer
from tests.live_server import ROOT


async def test_the_worker_command_sends_mail_and_stops_on_sigterm(
    uow: SqlUnitOfWork, database_url: str, tmp_path: Path
) -> None:
    with SmtpServer() as smtp:
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "PRESSROOM_DATA_DIR": str(tmp_path),
            "PRESSROOM_JWT_SECRET": "worker-test-" + "x" * 40,
            "SMTP_HOST": smtp.host,
            "SMTP_PORT": str(smtp.port),
        }
        cli = [sys.executable, "-m", "server.cli", "worker", "--concurrency", "2"]
        proc = subprocess.Popen(cli, cwd=ROOT, env=env)
        try:
            async with uow:
                uow.send_mail("anna@customer.example", "from the worker process", "x")
                await uow.commit()
            await smtp.inbox.wait_for(1, timeout_s=60)
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=30) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    assert smtp.inbox.messages[0]["Subject"] == "from the worker process"
