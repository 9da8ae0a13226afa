"""Security: who may write (viewers and editors), the audit journal, headers, limits and error pages."""
