"""Family Connect's writes, a module per subject: ``submission`` (sending a form
and who is told), ``matches`` (likely matches, stored on receipt and decided at
triage), ``drafts`` and ``feedback``.

Importers name the module they use.
"""
