"""``/api/v1/family-connect/``: submitting, listing and reading forms (``forms``).
Triage's decision and the form's match candidates are ``triage.api``."""
