"""Gzip on the way out: static files compressed once per worker, other responses on the fly.

plotly.js alone is 1.2 MB and 0.4 MB gzipped; compressing it per request would cost tens of milliseconds of
CPU each time, so static files (assets, Dash's component suites) are compressed once and kept for the life of
the worker. The cache is keyed by the file's content (its length and a BLAKE2 digest, about a millisecond for
plotly.js), never by the URL: a query string (``?v=N``) or a forged fingerprint in a component-suite path
names the same file, so anyone varying the URL reuses one entry instead of growing the worker's memory. It is
also bounded in bytes (least recently used entries leave first). flask-compress was not used: it caches only
by a key that would make callback answers (same path, different bodies) collide, and it does not cache file
responses. A reverse proxy with gzip_static or brotli can do the same job in production (see README).
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from collections import OrderedDict

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
# Every static file of the app gzipped is about 2 MB; the bound only matters against abuse.
MAX_CACHE_BYTES = 16 * 1024 * 1024
MAX_KNOWN_PATHS = 512  # the app serves a few dozen static files; forged fingerprints only churn this


class GzipResponses:
    """The compression of one Flask app (its cache lives with the app, not in a module global)."""

    def __init__(self, server: Flask) -> None:
        self._static: OrderedDict[tuple[str, int, bytes], bytes] = OrderedDict()
        # path and file identity → content key: a file served again is not read nor hashed again.
        self._known: OrderedDict[tuple[str, int | None, str, str], tuple[str, int, bytes]] = OrderedDict()
        self._cached_bytes = 0
        self._lock = threading.Lock()
        server.after_request(self.compress)

    @property
    def cached_bytes(self) -> int:
        """The size of the compressed static files kept (bounded by MAX_CACHE_BYTES)."""
        return self._cached_bytes

    def _static_response_body(self, response: Response) -> bytes:
        """The gzipped body of a static file response, without reading the file when it is known."""
        identity = (
            request.path,  # never the query string: ?v=1, ?v=2… name the same file
            response.content_length,
            str(response.last_modified),
            response.get_etag()[0] or "",
        )
        with self._lock:
            key = self._known.get(identity)
            body = None if key is None else self._static.get(key)
            if body is not None:
                self._known.move_to_end(identity)
                self._static.move_to_end(key)  # type: ignore[arg-type]  # not None when body is found
        if body is not None:
            unread = getattr(response.response, "close", None)
            if unread is not None:
                unread()  # the file that will not be read (its body is replaced below)
            return body
        data = response.get_data()
        key = (response.mimetype or "", len(data), hashlib.blake2b(data, digest_size=16).digest())
        with self._lock:
            self._known[identity] = key
            while len(self._known) > MAX_KNOWN_PATHS:
                self._known.popitem(last=False)
        return self._static_body(key, data)

    def _static_body(self, key: tuple[str, int, bytes], data: bytes) -> bytes:
        """The gzipped file, from the cache when the same content was compressed before."""
        with self._lock:
            body = self._static.get(key)
            if body is not None:
                self._static.move_to_end(key)
                return body
        body = gzip.compress(data, compresslevel=STATIC_LEVEL, mtime=0)
        if len(body) > MAX_CACHE_BYTES // 4:
            return body  # a file this big is not worth holding a quarter of the cache
        with self._lock:
            if key not in self._static:
                self._static[key] = body
                self._cached_bytes += len(body)
            while self._cached_bytes > MAX_CACHE_BYTES:
                _, dropped = self._static.popitem(last=False)
                self._cached_bytes -= len(dropped)
        return body

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
            body = self._static_response_body(response)
        else:
            data = response.get_data()
            if len(data) < MIN_SIZE:
                return response
            body = gzip.compress(data, compresslevel=DYNAMIC_LEVEL, mtime=0)
        response.set_data(body)
        response.headers["Content-Encoding"] = "gzip"
        response.headers["Content-Length"] = str(len(body))
        return response
