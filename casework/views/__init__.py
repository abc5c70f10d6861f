"""Casework pages, one module per subject."""
