"""The batched path of the records import: many new episodes in a few queries.

Replaying an episode step by step through the services costs a few dozen
queries; at five years of the city's work that is hours. For episodes whose
steps the services would all accept — new episodes in time order that no rule
refuses — this module writes the same rows the services write (the same
statuses, decisions, events, grants, scores and referrals, at the same moments)
with one ``bulk_create`` (or, on PostgreSQL, one COPY) per table for a whole
batch. ``tests/records_import/test_import_bulk.py`` imports the same file both
ways and compares every row.

Anything else (an episode already imported, a step a rule might refuse) is left
for the services, one episode at a time, so their messages reach the report.
A batch is one transaction: if it fails, nothing of it is written and its
episodes go through the services instead.

``ready`` says which episodes may take this path; ``write`` writes a batch
table by table: households and people (``households``), users and cases, forms
and their rows (``forms``), the cases' rows (``casework``), each through
``rows`` (COPY). What it makes for each episode is kept in a ``Written`` record
beside the episode (``written``), which is never changed.
"""
