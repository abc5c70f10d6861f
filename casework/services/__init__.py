"""Writes to cases and their people, one module per subject."""
