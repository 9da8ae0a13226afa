"""Security: who may write (viewers and editors), the audit journal, headers, limits and error pages."""

from __future__ import annotations

from dashboard.security.audit import audit
from dashboard.security.auth import ANONYMOUS, User, current_user, require_editor
from dashboard.security.web import install_security

__all__ = ["ANONYMOUS", "User", "audit", "current_user", "install_security", "require_editor"]
