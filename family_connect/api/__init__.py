"""``/api/v1/family-connect/``: forms (``forms``) and their match candidates
(``matches``)."""
