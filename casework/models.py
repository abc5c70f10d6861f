"""Families, people and cases: filled in by the triage and casework work."""
