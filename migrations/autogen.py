"""`make migration m="message"`: autogenerate a revision against a throwaway embedded database
migrated to head, so the diff is exactly what the models add."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command

from adapters.embedded_db import start_embedded
from adapters.migrations import alembic_config, upgrade


def main() -> None:
    message = sys.argv[1] if len(sys.argv) > 1 else "change"
    with tempfile.TemporaryDirectory(prefix="pressroom-autogen-") as tmp:
        url = start_embedded(Path(tmp), database="autogen", cleanup="delete")
        upgrade(url)
        command.revision(alembic_config(url), message=message, autogenerate=True)


if __name__ == "__main__":
    main()
