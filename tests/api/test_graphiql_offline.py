"""GraphiQL works without internet: the page loads its scripts and styles from the API."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import re

import httpx

from server.app import create_app
from server.settings import Settings

ASSET = re.compile(r'(?:src|href)="([^"]+)"(?:\s+integrity="([^"]+)")?')


async def test_graphiql_page_and_every_asset_it_names_come_from_the_api(
    client: httpx.AsyncClient,
) -> None:
    page = await client.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200
    html = page.text
    assert "graphiql" in html.lower()
    assert "unpkg.com" not in html and "https://" not in html.replace("https://github", "")
    refs = [
        (url, integrity) for url, integrity in ASSET.findall(html) if not url.startswith("data:")
    ]
    assert len(refs) >= 7, refs
    # Multi-line tags put the integrity on another line: read them per tag.
    hashes = dict(re.findall(r'(?:src|href)="([^"]+)"\s+integrity="([^"]+)"', html, re.S))
    for url, _ in refs:
        assert url.startswith("/graphiql/assets/"), url
        resp = await client.get(url)
        assert resp.status_code == 200, url
        assert len(resp.content) > 500
        expected = hashes.get(url)
        if expected:
            digest = base64.b64encode(hashlib.sha384(resp.content).digest()).decode()
            assert expected == f"sha384-{digest}", url


async def test_production_serves_no_graphiql(settings: Settings, clean_db: None) -> None:
    app = create_app(dataclasses.replace(settings, environment="production"))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as prod:
            assert (await prod.get("/graphiql/assets/graphiql.min.js")).status_code == 404
            page = await prod.get("/graphql", headers={"accept": "text/html"})
            assert "graphiql" not in page.text.lower()
