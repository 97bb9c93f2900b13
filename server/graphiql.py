"""GraphiQL without internet: strawberry's page with its scripts and styles served by the API.

The files in graphiql_assets/ are the exact npm builds strawberry's page names (same versions;
the page's subresource-integrity hashes still match them), so the page works on a laptop
without internet and loads nothing from a CDN. When strawberry moves to other versions, the
start-up check below fails (tests/api/test_graphiql_offline.py): fetch the new builds with
`npm pack <package>@<version>` and copy the files named in ASSETS.
"""

from __future__ import annotations

import re
from pathlib import Path

from starlette.staticfiles import StaticFiles

ASSETS_DIR = Path(__file__).resolve().parent / "graphiql_assets"
ASSETS_PATH = "/graphiql/assets"
CDN = "https://unpkg.com/"
# What strawberry's page loads from the CDN -> our file of the same bytes.
ASSETS = {
    "react@18.2.0/umd/react.production.min.js": "react.production.min.js",
    "react-dom@18.2.0/umd/react-dom.production.min.js": "react-dom.production.min.js",
    "js-cookie@3.0.5/dist/js.cookie.min.js": "js.cookie.min.js",
    "graphiql@3.8.3/graphiql.min.css": "graphiql.min.css",
    "graphiql@3.8.3/graphiql.min.js": "graphiql.min.js",
    "@graphiql/plugin-explorer@1.0.2/dist/style.css": "plugin-explorer.css",
    "@graphiql/plugin-explorer@1.0.2/dist/index.umd.js": "plugin-explorer.umd.js",
}
_REMOTE = re.compile(r"""(?:src|href)="(https?://[^"]+)\"""")


def offline_page(html: str) -> str:
    """Strawberry's GraphiQL page pointing at our copies; fails when it names anything else."""
    for remote, local in ASSETS.items():
        html = html.replace(CDN + remote, f"{ASSETS_PATH}/{local}")
    left = _REMOTE.findall(html)
    if left:
        raise RuntimeError(f"GraphiQL page still loads {left}: vendor them (server/graphiql.py)")
    return html


def assets_app() -> StaticFiles:
    return StaticFiles(directory=ASSETS_DIR)
