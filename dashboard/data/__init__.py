"""Data access: the only package that runs SQL or reads data files.

Nothing is imported here, so that a layer reading a record (``catalog.Indicator``, ``columns``) does not load
the store: ``context.open_data`` opens the data layer, ``repository.Repository`` reads it.
"""
