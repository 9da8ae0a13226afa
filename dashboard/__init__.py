"""Tableau de bord de la qualité de service des CPAM."""

__version__ = "0.1.0"
