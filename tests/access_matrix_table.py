"""The access matrix's expected answers (``tests/test_access_matrix.py``): each
route's status for each role, for the Erdington records."""

from __future__ import annotations

ROLES = [
    "anonymous",
    "no_role",
    "practitioner_no_locality",
    "lead",
    "practitioner",
    "manager",
    "requester",
    "auditor",
    "performance_lead",
    "administrator",
    "data_protection",
]

# Each route's answer for each role, for the Erdington records. Anonymous
# visitors are sent to sign in (302) on pages and refused (401/403) by the
# API; "ok" is 200. Everything out of scope is 404, the same as a record that
# does not exist. Routes that only take POST answer 405 to everyone signed in.
OK, NF, GONE = 200, 404, 405
SIGN_IN, REFUSED = 302, 401


def row(default: int, **by_role: int) -> dict[str, int]:
    return {role: by_role.get(role, default) for role in ROLES}


MATRIX: dict[str, dict[str, int]] = {
    "": row(OK, anonymous=SIGN_IN),
    "account/api-tokens/": row(OK, anonymous=SIGN_IN),
    "account/api-tokens/<int:token_id>/revoke/": row(GONE, anonymous=SIGN_IN),
    "account/details/": row(OK, anonymous=SIGN_IN),
    "account/password/": row(OK, anonymous=SIGN_IN),
    # Public: the link's one-time token is the credential; a bad one says so.
    "account/set-password/<str:uidb64>/<str:token>/": row(OK),
    "account/two-factor/": row(SIGN_IN, no_role=OK, requester=OK),
    "account/two-factor/verify/": row(
        OK, anonymous=SIGN_IN, no_role=SIGN_IN, requester=SIGN_IN
    ),
    "api/docs/": row(OK, anonymous=REFUSED),
    "api/schema/": row(OK, anonymous=REFUSED),
    "api/v1/audits/grade-distribution/": row(
        NF, anonymous=REFUSED, manager=400, performance_lead=400
    ),
    "api/v1/cases/": row(OK, anonymous=REFUSED),
    "api/v1/cases/<int:case_id>/": row(
        NF, anonymous=REFUSED, lead=OK, manager=OK, requester=OK, auditor=OK
    ),
    "api/v1/family-connect/": row(OK, anonymous=REFUSED),
    "api/v1/family-connect/<str:reference>/": row(
        NF, anonymous=REFUSED, manager=OK, requester=OK
    ),
    "api/v1/family-connect/<str:reference>/decision/": row(GONE, anonymous=REFUSED),
    # The candidates show other households: the form's managers only.
    "api/v1/family-connect/<str:reference>/matches/": row(
        NF, anonymous=REFUSED, manager=OK
    ),
    "api/v1/family-connect/<str:reference>/matches/<int:candidate_id>/": row(
        GONE, anonymous=REFUSED
    ),
    "api/v1/me/": row(OK, anonymous=REFUSED),
    # Search: the roles that work with families, within their scope (the
    # query finds Erdington's child, "alfa"); the officer city-wide, on the
    # page only. The other roles have no search of identifiable data.
    "api/v1/people/": row(
        OK,
        anonymous=REFUSED,
        no_role=403,
        auditor=403,
        performance_lead=403,
        administrator=403,
        data_protection=403,
    ),
    "api/v1/scorecard/<str:period>/": row(
        NF, anonymous=REFUSED, manager=OK, performance_lead=OK
    ),
    "api/v1/scorecard/<str:period>/pdf/": row(
        NF, anonymous=REFUSED, manager=OK, performance_lead=OK
    ),
    "api/v1/social-care-referrals/": row(GONE, anonymous=REFUSED),
    "audits/": row(
        OK,
        anonymous=SIGN_IN,
        no_role=NF,
        requester=NF,
        administrator=NF,
        data_protection=NF,
    ),
    "audits/actions/<int:action_id>/done/": row(GONE, anonymous=SIGN_IN),
    "audits/case-audits/<int:audit_id>/": row(
        NF, anonymous=SIGN_IN, auditor=OK, performance_lead=OK
    ),
    "audits/reports/": row(NF, anonymous=SIGN_IN, manager=OK, performance_lead=OK),
    "audits/reports/pdf/": row(GONE, anonymous=SIGN_IN),
    "audits/reports/pdf/<str:period>/": row(
        NF, anonymous=SIGN_IN, manager=OK, performance_lead=OK
    ),
    "audits/reports/pdf/<str:period>/status/": row(
        NF, anonymous=SIGN_IN, manager=OK, performance_lead=OK
    ),
    "audits/rounds/<int:round_id>/": row(
        NF, anonymous=SIGN_IN, auditor=OK, performance_lead=OK
    ),
    "audits/rounds/new/": row(NF, anonymous=SIGN_IN, performance_lead=OK),
    "benchmark/floor/": row(NF, anonymous=SIGN_IN),
    "benchmark/insert/": row(GONE),
    "cases/": row(
        OK,
        anonymous=SIGN_IN,
        no_role=NF,
        auditor=NF,
        performance_lead=NF,
        administrator=NF,
        data_protection=NF,
    ),
    "cases/<int:case_id>/": row(
        NF, anonymous=SIGN_IN, lead=OK, manager=OK, requester=OK, auditor=OK
    ),
    "cases/<int:case_id>/assessment/": row(
        NF, anonymous=SIGN_IN, lead=OK, manager=OK, auditor=OK
    ),
    "cases/<int:case_id>/close/": row(NF, anonymous=SIGN_IN, lead=OK, manager=OK),
    "cases/<int:case_id>/closure/": row(GONE, anonymous=SIGN_IN),
    # The closure's sign-off page: managers of the case's locality only.
    "cases/<int:case_id>/closure/sign-off/": row(NF, anonymous=SIGN_IN, manager=OK),
    # Consent and its withdrawal are recorded by the lead or a manager of the
    # locality; only a manager keeps partners' access despite a withdrawal.
    "cases/<int:case_id>/consent/": row(NF, anonymous=SIGN_IN, lead=OK, manager=OK),
    "cases/<int:case_id>/consent/override/": row(NF, anonymous=SIGN_IN, manager=OK),
    "cases/<int:case_id>/consent/withdraw/": row(
        NF, anonymous=SIGN_IN, lead=OK, manager=OK
    ),
    # The professionals around the family: the lead and the locality's
    # managers add and correct them (everyone who sees the case sees them).
    "cases/<int:case_id>/contacts/<int:contact_id>/": row(
        NF, anonymous=SIGN_IN, lead=OK, manager=OK
    ),
    "cases/<int:case_id>/contacts/new/": row(
        NF, anonymous=SIGN_IN, lead=OK, manager=OK
    ),
    # Documents: the case's workers and auditors; partners on the team see
    # those shared with them (the world's is); its workers add them.
    "cases/<int:case_id>/documents/": row(
        NF, anonymous=SIGN_IN, lead=OK, manager=OK, requester=OK, auditor=OK
    ),
    "cases/<int:case_id>/documents/<int:document_id>/": row(
        NF, anonymous=SIGN_IN, lead=OK, manager=OK, requester=OK, auditor=OK
    ),
    "cases/<int:case_id>/documents/upload/": row(
        NF, anonymous=SIGN_IN, lead=OK, manager=OK
    ),
    "cases/<int:case_id>/notes/": row(GONE, anonymous=SIGN_IN),
    # A note is amended by its author (here the lead) or a manager of the
    # locality; nobody else on the team.
    "cases/<int:case_id>/notes/<int:note_id>/amend/": row(
        NF, anonymous=SIGN_IN, lead=OK, manager=OK
    ),
    "cases/<int:case_id>/people/": row(GONE, anonymous=SIGN_IN),
    "cases/<int:case_id>/people/new/": row(NF, anonymous=SIGN_IN, lead=OK, manager=OK),
    # The case's PDFs: asked for by POST; each job followed and downloaded by
    # whoever may have that PDF. The world's job is a case summary: the team's
    # workers and the locality's managers, not partners (Our Family Plan is
    # theirs too; tests/casework/test_case_pdfs.py), nor auditors.
    "cases/<int:case_id>/plan/pdf/": row(GONE, anonymous=SIGN_IN),
    "cases/<int:case_id>/summary/pdf/": row(GONE, anonymous=SIGN_IN),
    "cases/<int:case_id>/pdfs/<int:pdf_id>/": row(
        NF, anonymous=SIGN_IN, lead=OK, manager=OK
    ),
    "cases/<int:case_id>/pdfs/<int:pdf_id>/download/": row(
        NF, anonymous=SIGN_IN, lead=OK, manager=OK
    ),
    "cases/<int:case_id>/plan/": row(
        NF, anonymous=SIGN_IN, lead=OK, manager=OK, requester=OK, auditor=OK
    ),
    # The plan is corrected by the case's workers, not by partners on the team.
    "cases/<int:case_id>/plan/actions/<int:plan_action_id>/": row(
        NF, anonymous=SIGN_IN, lead=OK, manager=OK
    ),
    "cases/<int:case_id>/plan/outcomes/<int:outcome_id>/": row(
        NF, anonymous=SIGN_IN, lead=OK, manager=OK
    ),
    "cases/<int:case_id>/reviews/": row(
        NF, anonymous=SIGN_IN, lead=OK, manager=OK, auditor=OK
    ),
    "cases/<int:case_id>/step-up/": row(NF, anonymous=SIGN_IN, lead=OK, manager=OK),
    "cases/<int:case_id>/team/": row(GONE, anonymous=SIGN_IN),
    "cases/dashboard/": row(
        NF,
        anonymous=SIGN_IN,
        practitioner_no_locality=OK,
        lead=OK,
        practitioner=OK,
        manager=OK,
    ),
    "cases/my-work/": row(
        NF,
        anonymous=SIGN_IN,
        practitioner_no_locality=OK,
        lead=OK,
        practitioner=OK,
        manager=OK,
        requester=OK,
    ),
    "cases/my-work/team/": row(NF, anonymous=SIGN_IN, manager=OK),
    # A worker's list: managers of a locality the worker is a member of.
    "cases/my-work/<int:user_id>/": row(NF, anonymous=SIGN_IN, manager=OK),
    "cases/people/<int:person_id>/": row(NF, anonymous=SIGN_IN, lead=OK, manager=OK),
    "cases/people/<int:person_id>/address/": row(
        NF, anonymous=SIGN_IN, lead=OK, manager=OK
    ),
    "cases/people/<int:person_id>/details/": row(
        NF, anonymous=SIGN_IN, lead=OK, manager=OK
    ),
    "cases/people/<int:person_id>/move/": row(
        NF, anonymous=SIGN_IN, lead=OK, manager=OK
    ),
    "cases/social-care-referrals/template.csv": row(
        NF,
        anonymous=SIGN_IN,
        practitioner_no_locality=OK,
        lead=OK,
        practitioner=OK,
        manager=OK,
    ),
    "cases/social-care-referrals/upload/": row(
        NF,
        anonymous=SIGN_IN,
        practitioner_no_locality=OK,
        lead=OK,
        practitioner=OK,
        manager=OK,
    ),
    "family-connect/": row(OK),
    "family-connect/bulk/": row(NF, anonymous=SIGN_IN, manager=OK, requester=OK),
    "family-connect/bulk/template.csv": row(
        NF, anonymous=SIGN_IN, manager=OK, requester=OK
    ),
    "family-connect/check/": row(SIGN_IN),
    "family-connect/confirmation/": row(SIGN_IN),
    "family-connect/forms/": row(OK, anonymous=SIGN_IN),
    "family-connect/person/<str:kind>/": row(SIGN_IN),
    "family-connect/person/<str:kind>/<int:index>/": row(SIGN_IN),
    "family-connect/person/<str:kind>/<int:index>/<slug:part>/": row(SIGN_IN),
    "family-connect/person/<str:kind>/<int:index>/remove/": row(GONE),
    "family-connect/resume/<str:token>/": row(NF),
    "family-connect/save/": row(SIGN_IN),
    "family-connect/status/<str:token>/": row(OK),
    "family-connect/step/<slug:slug>/": row(SIGN_IN),
    "healthz": row(OK),
    "i18n/setlang/": row(SIGN_IN),
    "privacy/who-viewed/": row(NF, anonymous=SIGN_IN, data_protection=OK),
    "privacy/subject-access/": row(NF, anonymous=SIGN_IN, data_protection=OK),
    "privacy/anomalies/": row(NF, anonymous=SIGN_IN, data_protection=OK),
    "privacy/subject-access/<int:person_id>/export.json": row(
        NF, anonymous=SIGN_IN, data_protection=OK
    ),
    "privacy/subject-access/<int:person_id>/pdf/": row(GONE, anonymous=SIGN_IN),
    # The officer's own PDF jobs only (the world's officer asked for both).
    "privacy/subject-access/pdf/<int:job_id>/": row(
        NF, anonymous=SIGN_IN, data_protection=OK
    ),
    "privacy/subject-access/pdf/<int:job_id>/download/": row(
        NF, anonymous=SIGN_IN, data_protection=OK
    ),
    "scorecard/": row(NF, anonymous=SIGN_IN, manager=OK, performance_lead=OK),
    "scorecard/export.csv": row(NF, anonymous=SIGN_IN, manager=OK, performance_lead=OK),
    "scorecard/indicators/<str:ref>/": row(
        NF, anonymous=SIGN_IN, manager=OK, performance_lead=OK
    ),
    "scorecard/partner-figures/": row(NF, anonymous=SIGN_IN, performance_lead=OK),
    "scorecard/partner-figures/template.csv": row(
        NF, anonymous=SIGN_IN, performance_lead=OK
    ),
    "scorecard/run/": row(GONE, anonymous=SIGN_IN),
    "scorecard/runs/<int:release_id>/": row(
        NF, anonymous=SIGN_IN, manager=OK, performance_lead=OK
    ),
    "scorecard/runs/<int:release_id>/pdf/": row(
        NF, anonymous=SIGN_IN, manager=OK, performance_lead=OK
    ),
    "scorecard/runs/<int:release_id>/pdf/make/": row(GONE, anonymous=SIGN_IN),
    "scorecard/runs/<int:release_id>/pdf/download/": row(
        NF, anonymous=SIGN_IN, manager=OK, performance_lead=OK
    ),
    "search/": row(
        OK,
        anonymous=SIGN_IN,
        no_role=403,
        auditor=403,
        performance_lead=403,
        administrator=403,
    ),
    "sign-in/": row(SIGN_IN, anonymous=OK),
    "sign-out/": row(GONE),
    "triage/": row(NF, anonymous=SIGN_IN, manager=SIGN_IN),
    "triage/<slug:slug>/": row(NF, anonymous=SIGN_IN, manager=OK),
    "triage/<slug:slug>/services/": row(NF, anonymous=SIGN_IN, manager=OK),
    "triage/<slug:slug>/team/": row(NF, anonymous=SIGN_IN, manager=OK),
    "triage/forms/<str:reference>/": row(NF, anonymous=SIGN_IN, manager=OK),
    "triage/forms/<str:reference>/matches/<int:candidate_id>/": row(
        GONE, anonymous=SIGN_IN
    ),
}

# Roles whose work spans the city: the same answer for Ladywood's records.
CITYWIDE = {
    ("audits/case-audits/<int:audit_id>/", "performance_lead"),
    ("audits/rounds/<int:round_id>/", "performance_lead"),
    # The data protection officer answers for every person's records.
    ("privacy/subject-access/<int:person_id>/export.json", "data_protection"),
    ("privacy/subject-access/pdf/<int:job_id>/", "data_protection"),
    ("privacy/subject-access/pdf/<int:job_id>/download/", "data_protection"),
}
# The answers that change when the family of the Erdington case withdraws its
# consent to share information (every other answer stays as above): partners
# on the team lose the case on every page and in the API at once. A manager's
# override of the withdrawal gives the matrix above back.
WITHDRAWN_SHARING: dict[str, dict[str, int]] = {
    "api/v1/cases/<int:case_id>/": {"requester": NF},
    "cases/<int:case_id>/": {"requester": NF},
    "cases/<int:case_id>/documents/": {"requester": NF},
    "cases/<int:case_id>/documents/<int:document_id>/": {"requester": NF},
    "cases/<int:case_id>/plan/": {"requester": NF},
}
# Query strings some routes need to answer at all.
QUERIES = {
    "scorecard/export.csv": "?month=2026-05",
    "search/": "?q=alfa",
    "api/v1/people/": "?q=alfa",
}
