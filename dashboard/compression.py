"""Gzip on the way out: static files compressed once per worker, other responses on the fly.

plotly.js alone is 1.2 MB and 0.4 MB gzipped; compressing it per request would cost tens of milliseconds of
CPU each time, so static files (assets, Dash's component suites) are compressed once and kept, keyed by path
and content length/date, for the life of the worker. flask-compress was not used: it caches only by a key
that would make callback answers (same path, different bodies) collide, and it does not cache file
responses. A reverse proxy with gzip_static or brotli can do the same job in production (see README).
"""

from __future__ import annotations

import gzip
import threading

from flask import Flask, Request, Response, request

STATIC_PREFIXES = ("/assets/", "/_dash-component-suites/")
COMPRESSIBLE = {
    "text/html",
    "text/css",
    "text/javascript",
    "application/javascript",
    "application/json",
    "image/svg+xml",
    "text/plain",
    "text/csv",
}
MIN_SIZE = 600
STATIC_LEVEL = 9  # paid once per file and worker
DYNAMIC_LEVEL = 5  # paid per answer: fast, most of the gain


class GzipResponses:
    """The compression of one Flask app (its cache lives with the app, not in a module global)."""

    def __init__(self, server: Flask) -> None:
        self._static: dict[tuple[str, str], bytes] = {}
        self._lock = threading.Lock()
        server.after_request(self.compress)

    @staticmethod
    def _accepts_gzip(req: Request) -> bool:
        return "gzip" in req.headers.get("Accept-Encoding", "").lower()

    def compress(self, response: Response) -> Response:
        """Gzip a response when the client accepts it and it is worth it."""
        response.vary.add("Accept-Encoding")
        if (
            not self._accepts_gzip(request)
            or response.status_code != 200
            or "Content-Encoding" in response.headers
            or response.mimetype not in COMPRESSIBLE
        ):
            return response
        static = request.method == "GET" and request.path.startswith(STATIC_PREFIXES)
        response.direct_passthrough = False
        if static:
            key = (
                request.full_path,
                f"{response.content_length}|{response.last_modified}|{response.get_etag()[0]}",
            )
            with self._lock:
                body = self._static.get(key)
            if body is None:
                body = gzip.compress(response.get_data(), compresslevel=STATIC_LEVEL, mtime=0)
                with self._lock:
                    self._static[key] = body
        else:
            data = response.get_data()
            if len(data) < MIN_SIZE:
                return response
            body = gzip.compress(data, compresslevel=DYNAMIC_LEVEL, mtime=0)
        response.set_data(body)
        response.headers["Content-Encoding"] = "gzip"
        response.headers["Content-Length"] = str(len(body))
        return response
