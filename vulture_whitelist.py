"""Names vulture reads as unused although something outside the code reads them (`make lint`).

Each group says who reads them. A name that is really unused is removed, never added here.
"""

# ruff: noqa: B018  (bare names: this file is read by vulture, never run)
_ = object()

# Attributes set on library objects, read by the library: python-pptx text frames, charts and core
# properties; openpyxl sheets, cells and data validations; pypdf's writer; Werkzeug responses; Flask's
# session and ``g``; Dash's app; kaleido's and SQLAlchemy's connection options; cachelib's cache.
_.alignment
_.auto_size
_.comments
_.direct_passthrough
_.errorTitle
_.freeze_panes
_.has_data_labels
_.has_legend
_.has_major_gridlines
_.has_title
_.include_in_layout
_.index_string
_.isolation_level
_.keywords
_.language
_.language_id
_.margin_left
_.margin_right
_.mathjax
_.page_mode
_.permanent
_.serializer
_.sheet_state
_.showErrorMessage
_.tdb_user
_.underline
_.validation_layout
_.vary_by_categories
_.vertical_anchor
_.word_wrap
_._blob  # python-pptx keeps a template picture's bytes there; it has no public setter

# flask-caching makes the worker's cache through the class named by CACHE_TYPE (dashboard.cache).
_.factory

# Dash routes /_dash-layout to this method, which the app's Dash subclass overrides (dashboard.shell).
_.serve_layout

# A column of the users table, carried by the account record that mirrors a row.
_.cree_le

# Dash passes a callback's inputs by position: the download callback names both buttons' clicks.
_.csv_clicks
_.xlsx_clicks

# Column lists of the schema revisions, which vulture does not read (alembic loads them by path).
_.figure_columns
_.figure_provenance
_.journal_columns
