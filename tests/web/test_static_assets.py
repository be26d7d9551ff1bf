"""Static assets (issue #11 item 10): the plotly.js partial bundle holds every trace type opengrex's charts use;
static files are served gzip-compressed with the right headers; /docs and /redoc load only vendored assets under a
strict policy (the browser test checks them offline)."""
from __future__ import annotations

import gzip
import re
from pathlib import Path

from fastapi.testclient import TestClient

from opengrex.web.app import STATIC_DIR, create_app
from opengrex.web.settings import Settings

SRC = Path(__file__).resolve().parents[2] / "src" / "opengrex"
BUNDLE = STATIC_DIR / "vendor" / "plotly.min.js"
TRACE_TYPES = {"scatter", "bar", "histogram", "waterfall", "heatmap", "sankey"}
"""Built into the bundle (scripts/plotly-bundle/entry.js); add a type there and here when a chart needs it."""


def chart_types_in_code() -> set[str]:
    """Every plotly trace type written in a chart spec anywhere in the code (figures, pages, any capability)."""
    found = set()
    for path in list(SRC.rglob("*.py")) + list(SRC.rglob("*.js")):
        if "vendor" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if "plotly" not in text.lower() and "grafiek" not in text and "figure" not in text.lower():
            continue
        found |= set(re.findall(r"""["']type["']\s*:\s*["'](scatter\w*|bar\w*|histogram\w*|waterfall|heatmap\w*|sankey|pie|box|violin|funnel\w*|contour\w*|candlestick|ohlc|indicator|treemap|sunburst|icicle|table|choropleth\w*|scattergeo|scattermap\w*)["']""", text))
    return found


def test_the_bundle_has_every_trace_type_the_charts_use():
    bundle = BUNDLE.read_text(encoding="utf-8")
    registered = set(re.findall(r'moduleType:"trace",name:"(\w+)"', bundle))
    assert TRACE_TYPES <= registered
    used = chart_types_in_code()
    assert {"scatter", "bar"} <= used
    assert used <= registered, f"niet in de plotly-bundel: {used - registered}; voeg toe in scripts/plotly-bundle/entry.js"
    assert BUNDLE.stat().st_size < 2_000_000  # the full bundle was 4.8 MB


def test_static_files_are_gzipped_with_the_right_headers(tmp_path):
    app = create_app(Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 's.db'}"))
    with TestClient(app) as c:
        r = c.get("/static/vendor/plotly.min.js", headers={"accept-encoding": "gzip, br"})
        assert r.status_code == 200 and r.headers["content-encoding"] == "gzip" and "javascript" in r.headers["content-type"]
        assert r.headers["vary"] == "Accept-Encoding" and r.headers["etag"].endswith('-gz"')
        assert int(r.headers["content-length"]) < BUNDLE.stat().st_size / 2
        assert r.content == BUNDLE.read_bytes()  # httpx decodes: the same file
        assert c.get("/static/vendor/plotly.min.js", headers={"accept-encoding": "gzip", "if-none-match": r.headers["etag"]}).status_code == 304
        plain = c.get("/static/vendor/plotly.min.js", headers={"accept-encoding": "identity"})
        assert "content-encoding" not in plain.headers and len(plain.content) == BUNDLE.stat().st_size
        raw = c.get("/static/style.css", headers={"accept-encoding": "gzip"})
        assert raw.headers["content-encoding"] == "gzip" and "text/css" in raw.headers["content-type"]
        assert gzip.decompress(gzip.compress(raw.content)) == raw.content


def test_api_docs_use_only_vendored_assets_under_a_strict_policy(tmp_path):
    app = create_app(Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 's.db'}"))
    with TestClient(app) as c:
        for path, asset in (("/docs", "/static/vendor/swagger-ui-bundle.js"), ("/redoc", "/static/vendor/redoc.standalone.js")):
            r = c.get(path)
            assert r.status_code == 200 and asset in r.text
            assert "cdn." not in r.text and "googleapis" not in r.text and "tiangolo" not in r.text
            csp = r.headers["content-security-policy"]
            script_src = re.search(r"script-src ([^;]*)", csp).group(1).split()
            assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src and not any("http" in s for s in script_src)
            assert c.get(asset).status_code == 200
        assert "'sha256-" in c.get("/docs").headers["content-security-policy"]  # Swagger UI's one start script, by its hash
    for lic in ("swagger-ui.LICENSE", "redoc.LICENSE", "plotly.LICENSE", "htmx.LICENSE"):
        assert (STATIC_DIR / "vendor" / lic).exists()
