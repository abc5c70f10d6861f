"""Triage's writes, a module per subject: ``decisions`` (one service per
decision, PRODUCT §3.2), ``allocation`` (what allocating does), ``closing``
(closing a decided form), ``transfers``, ``outcomes`` (a decision named by its
outcome code, routed to its service), ``guards`` (what each of them checks
first); and the locality's practitioners' ``capacity`` and its
``community_services`` directory, which triage allocates and signposts by.

Every service locks the form's row, checks the move is allowed, records who, when
and why, writes a form event in the same transaction and queues e-mails after
commit. Two managers acting on the same form at once serialise on the lock: the
second finds it decided and gets ``Conflict``. A caller that says which version of
the form the manager saw (``seen_version``: the API's ``If-Match``, the page's
hidden field) gets ``Stale`` when the form has changed since, whatever the change.

A decision request never changes a decided form. Closing a decided form as
withdrawn or a duplicate is its own action (``closing.form_close_decided``),
which needs the version the manager saw and undoes what the decision did where
it can.

Importers name the module they use.
"""
