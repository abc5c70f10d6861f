"""Triage over the API, under ``/api/v1/family-connect/{reference}/``: the
decision (``decisions``) and the form's match candidates (``matches``)."""
