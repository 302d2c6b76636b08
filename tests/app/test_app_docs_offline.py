"""The API docs page works with no internet: Swagger UI is served from the install, not a CDN."""

from __future__ import annotations

import re


def test_docs_page_loads_its_assets_from_the_app(client):
    page = client.get("/docs")
    assert page.status_code == 200
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text) + re.findall(r"url: '([^']+)'", page.text)
    assert assets, page.text
    assert not [a for a in assets if a.startswith(("http:", "https:", "//"))], assets
    assert "cdn" not in page.text.lower()
    for path in ("/static/swagger-ui/swagger-ui-bundle.js", "/static/swagger-ui/swagger-ui.css"):
        assert path in assets
        served = client.get(path)
        assert served.status_code == 200 and len(served.content) > 10_000
    assert client.get("/openapi.json").json()["info"]["title"].startswith("yuefang")
