"""Family Connect's writes, a module per subject: ``submission`` (sending a form
and who is told), ``matches`` (likely matches, stored on receipt and decided at
triage), ``drafts`` and ``feedback``.

Importers name the module they use. The package itself offers only the two
services the records import replays history through.
"""

from family_connect.services.feedback import form_feedback_give
from family_connect.services.submission import form_submit

__all__ = ["form_feedback_give", "form_submit"]
