"""Gzip of static files: one cache entry per file content, whatever the URL; the cache bounded in bytes."""

from __future__ import annotations

import gzip

import pytest
from flask import Flask, Response

from dashboard import compression
from dashboard.compression import GzipResponses

SCRIPT = ("var chart = 1;\n" * 5000).encode()


@pytest.fixture
def app(tmp_path):
    (tmp_path / "plotly.js").write_bytes(SCRIPT)
    server = Flask(__name__, static_folder=str(tmp_path), static_url_path="/assets")

    @server.route("/_dash-component-suites/<path:name>")
    def suite(name: str) -> Response:
        # Like Dash: any fingerprint in the name serves the same file.
        return Response(SCRIPT, mimetype="application/javascript")

    return server, GzipResponses(server)


def _get(client, path: str) -> bytes:
    with client.get(path, headers={"Accept-Encoding": "gzip"}) as response:  # a file response: closed after
        assert response.status_code == 200
        assert response.headers["Content-Encoding"] == "gzip"
        return gzip.decompress(response.get_data())


def test_distinct_query_strings_share_one_cache_entry(app):
    server, gzipped = app
    client = server.test_client()
    for n in range(300):
        assert _get(client, f"/assets/plotly.js?v={n}") == SCRIPT
    assert 0 < gzipped.cached_bytes < len(SCRIPT) // 10  # one compressed copy


def test_forged_fingerprints_of_one_file_share_one_cache_entry(app):
    server, gzipped = app
    client = server.test_client()
    first = None
    for n in range(300):
        assert _get(client, f"/_dash-component-suites/dash/dcc/bundle.v9_9_{n}m{n:x}.js") == SCRIPT
        first = first or gzipped.cached_bytes
    assert gzipped.cached_bytes == first


def test_the_cache_is_bounded_in_bytes(app, monkeypatch, tmp_path):
    server, gzipped = app
    monkeypatch.setattr(compression, "MAX_CACHE_BYTES", 200_000)
    client = server.test_client()
    for n in range(40):
        # Distinct contents that compress badly: each entry is large.
        (tmp_path / f"f{n}.js").write_bytes(bytes(range(256)) * 4 + str(n).encode() * 20_000)
        _get(client, f"/assets/f{n}.js")
        assert gzipped.cached_bytes <= 200_000
