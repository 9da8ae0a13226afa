"""Server-side images of figures (PNG, SVG, PDF), drawn by kaleido in one Chromium kept alive per process.

Starting Chromium costs 1.5–8 s; a warm browser draws an image in 0.2–0.5 s. The renderer therefore starts
the browser on the first image (never at import nor at app start: a worker that never exports never pays
for it), keeps it, and stops it at exit.

Why not ``kaleido.start_sync_server()``: its ``call_function`` hands results back through one shared queue,
so two threads rendering at once can receive each other's image, and it waits without a time limit when the
browser dies. The renderer here does the same thing (one Kaleido on an event loop in a background thread)
with a future per call: thread-safe, with a timeout, and restartable after a crash or a fork.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import logging
import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal, cast

import plotly.graph_objects as go
import plotly.io as pio

ImageFormat = Literal["png", "svg", "pdf"]
FORMATS: Final[tuple[ImageFormat, ...]] = ("png", "svg", "pdf")
MIMETYPES: Final[dict[str, str]] = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
}
BROWSER_NAMES: Final = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
RENDER_TIMEOUT_SECONDS: Final = 60.0
# Tabs of the one Chromium: a report draws two pages at once, and a second image need not queue behind one.
TABS: Final = 2
START_TIMEOUT_SECONDS: Final = 60.0

_logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ImageSize:
    """A named export size: layout pixels (what the figure is laid out in) and the PNG pixel ratio."""

    key: str
    label: str
    width: int
    height: int
    scale: float


# « diapositive » is a projected 16:9 screen: laid out at 1280 × 720 with the projector's text sizes
# (``export.projector``: at least 18 px), the PNG at 1.5 × that (1920 × 1080, full HD).
# « a4 » is an A4 landscape page at 96 px per inch (297 × 210 mm): the PDF prints at true size; the PNG at
# twice the pixels is about 190 dpi on paper.
SIZES: Final[dict[str, ImageSize]] = {
    "diapositive": ImageSize("diapositive", "diapositive 16:9", 1280, 720, 1.5),
    "a4": ImageSize("a4", "page A4 paysage", 1123, 794, 2),
}


class ExportUnavailable(RuntimeError):
    """Server-side export cannot work on this machine; the message says why and what to install, in French."""


class ExportFailed(RuntimeError):
    """One image could not be drawn; the message is French."""


def missing_browser_message(path: str | None) -> str:
    """What a person reads when Chromium is missing: what is missing, how to install it, what still works."""
    where = f" (chemin essayé : {path})" if path else ""
    return (
        "L'export d'images par le serveur est indisponible : "
        f"Chromium est introuvable sur le serveur{where}. "
        "Pour l'activer, installez-le (Debian ou Ubuntu : « apt-get install chromium ») puis redémarrez le "
        "tableau de bord. En attendant, les boutons « Image PNG » et « Image SVG » de chaque graphique "
        "fonctionnent toujours : c'est votre navigateur qui dessine l'image."
    )


def find_browser() -> str | None:
    """The Chromium to use: ``BROWSER_PATH`` if set (kaleido's own variable), else the first on ``PATH``."""
    explicit = os.environ.get("BROWSER_PATH")
    if explicit:
        return explicit
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _usable(path: str) -> bool:
    return Path(path).is_file() and os.access(path, os.X_OK)


class ImageRenderer:
    """Draws figures as PNG, SVG or PDF with one Chromium, started on first use; safe across threads.

    Args:
        browser_path: The Chromium executable; by default ``find_browser()``. A missing path makes every
            call raise ``ExportUnavailable`` (tests use this to play a machine without Chromium).
        timeout: Seconds allowed for one image.
    """

    def __init__(
        self, browser_path: str | Path | None = None, *, timeout: float = RENDER_TIMEOUT_SECONDS
    ) -> None:
        self._explicit_path = str(browser_path) if browser_path is not None else None
        self._timeout = timeout
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido: Any = None
        self._pid: int | None = None
        self._atexit_registered = False

    @property
    def browser_path(self) -> str | None:
        """The executable this renderer uses (None when none was given and none is installed)."""
        return self._explicit_path if self._explicit_path is not None else find_browser()

    @property
    def running(self) -> bool:
        """Whether this process holds a started browser."""
        return self._kaleido is not None and self._pid == os.getpid()

    def check(self) -> str:
        """The browser path, or ``ExportUnavailable`` with the French explanation when it is missing."""
        path = self.browser_path
        if path is None or not _usable(path):
            raise ExportUnavailable(missing_browser_message(path))
        return path

    def render(
        self,
        figure: go.Figure | dict[str, Any],
        fmt: ImageFormat,
        *,
        width: int,
        height: int,
        scale: float = 1,
    ) -> bytes:
        """Draw a figure.

        Args:
            figure: The figure (its title, subtitle and source are already inside it).
            fmt: "png", "svg" or "pdf".
            width: Layout width in pixels (a PDF page is width × 0.75 points wide).
            height: Layout height in pixels.
            scale: Pixel ratio of a PNG (ignored by SVG and PDF, which are vector).

        Returns:
            The file's bytes.

        Raises:
            ExportUnavailable: Chromium is missing or cannot start.
            ExportFailed: The image could not be drawn in time.
        """
        if fmt not in FORMATS:
            raise ValueError(f"format d'image inconnu : {fmt!r}")
        spec = figure.to_dict() if isinstance(figure, go.Figure) else figure
        opts = {"format": fmt, "width": width, "height": height, "scale": scale if fmt == "png" else 1}
        loop, kaleido = self._started()
        future = asyncio.run_coroutine_threadsafe(kaleido.calc_fig(spec, opts=opts), loop)
        try:
            return cast(bytes, future.result(self._timeout))
        except concurrent.futures.TimeoutError as err:
            future.cancel()
            self.stop()  # a browser that hangs is replaced on the next call
            raise ExportFailed(f"Le dessin de l'image a dépassé {self._timeout:.0f} s.") from err
        except Exception as err:
            _logger.exception("kaleido failed to draw a figure")
            self.stop()
            raise ExportFailed("Le serveur n'a pas pu dessiner l'image ; réessayez dans un instant.") from err

    def render_size(self, figure: go.Figure | dict[str, Any], fmt: ImageFormat, size: ImageSize) -> bytes:
        """Draw a figure at one of the named sizes."""
        return self.render(figure, fmt, width=size.width, height=size.height, scale=size.scale)

    def _started(self) -> tuple[asyncio.AbstractEventLoop, Any]:
        with self._lock:
            if self._kaleido is not None and self._pid == os.getpid() and self._loop is not None:
                return self._loop, self._kaleido
            # A forked worker inherits the objects but not the thread: start its own browser.
            self._forget()
            path = self.check()
            pio.defaults.mathjax = None
            loop = asyncio.new_event_loop()
            thread = threading.Thread(target=loop.run_forever, name="kaleido-renderer", daemon=True)
            thread.start()
            future = asyncio.run_coroutine_threadsafe(_open_kaleido(path), loop)
            try:
                kaleido = future.result(START_TIMEOUT_SECONDS)
            except Exception as err:
                loop.call_soon_threadsafe(loop.stop)
                thread.join(timeout=5)
                loop.close()
                _logger.exception("Chromium did not start")
                raise ExportUnavailable(
                    f"Chromium ({path}) n'a pas démarré : l'export d'images par le serveur est indisponible. "
                    "Vérifiez l'installation (« apt-get install chromium ») puis redémarrez le tableau de "
                    "bord ; les boutons « Image PNG » et « Image SVG » fonctionnent toujours."
                ) from err
            self._loop, self._thread, self._kaleido, self._pid = loop, thread, kaleido, os.getpid()
            if not self._atexit_registered:
                atexit.register(self.stop)
                self._atexit_registered = True
            return loop, kaleido

    def _forget(self) -> None:
        self._loop = self._thread = self._kaleido = self._pid = None

    def stop(self) -> None:
        """Close the browser (the next image starts a new one); safe to call twice or when never started."""
        with self._lock:
            loop, thread, kaleido = self._loop, self._thread, self._kaleido
            owned = self._pid == os.getpid()
            self._forget()
        if loop is None or thread is None or not owned:
            return
        if kaleido is not None:
            try:
                asyncio.run_coroutine_threadsafe(kaleido.close(), loop).result(10)
            except Exception:  # the browser may already be gone; the loop is stopped below anyway
                _logger.warning("Chromium did not close cleanly", exc_info=True)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        if not thread.is_alive():
            loop.close()


async def _open_kaleido(path: str) -> Any:
    # Imported here: kaleido pulls in choreographer and logistro, which a worker that never exports skips.
    import kaleido

    # mathjax=False: the export page must load nothing from the internet (kaleido's default is a CDN).
    browser = kaleido.Kaleido(n=TABS, timeout=RENDER_TIMEOUT_SECONDS, mathjax=False, path=path)
    await browser.open()
    return browser


_default: ImageRenderer | None = None
_default_lock = threading.Lock()


def default_renderer() -> ImageRenderer:
    """The process's renderer, created on first call (its browser starts on the first image)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = ImageRenderer()
        return _default
