"""Reusable Dash building blocks; no callbacks of their own."""

from typing import Any


def html_attrs(**values: str) -> dict[str, Any]:
    """HTML attributes whose names hold a hyphen (``aria_label`` → ``aria-label``), to pass with ``**``."""
    return {name.replace("_", "-"): value for name, value in values.items()}
