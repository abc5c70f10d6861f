from django.urls import path

from casework.views import (
    assessment,
    case_pdfs,
    cases,
    closure,
    consent,
    contacts,
    dashboard,
    documents,
    people,
    plan,
    referrals,
    reviews,
    step_up,
    team,
    work,
)

app_name = "casework"


urlpatterns = [
    path("", cases.caseload, name="caseload"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("my-work/", work.my_work, name="my_work"),
    path("my-work/team/", work.team_work, name="team_work"),
    path("my-work/<int:user_id>/", work.worker_work, name="worker_work"),
    path("<int:case_id>/", cases.case_detail, name="case"),
    path("<int:case_id>/assessment/", assessment.assessment, name="assessment"),
    path("<int:case_id>/team/", team.team_change, name="team"),
    path("<int:case_id>/close/", closure.close, name="close"),
    path("<int:case_id>/closure/", closure.closure_action, name="closure"),
    path(
        "<int:case_id>/closure/sign-off/",
        closure.closure_sign_off,
        name="closure_sign_off",
    ),
    path("<int:case_id>/plan/", plan.plan, name="plan"),
    path(
        "<int:case_id>/plan/outcomes/<int:outcome_id>/",
        plan.outcome_edit,
        name="plan_outcome_edit",
    ),
    path(
        "<int:case_id>/plan/actions/<int:plan_action_id>/",
        plan.action_edit,
        name="plan_action_edit",
    ),
    path("<int:case_id>/reviews/", reviews.reviews, name="reviews"),
    path(
        "<int:case_id>/consent/",
        consent.consent_record_view,
        name="consent_record",
    ),
    path(
        "<int:case_id>/consent/withdraw/",
        consent.consent_withdraw_view,
        name="consent_withdraw",
    ),
    path(
        "<int:case_id>/consent/override/",
        consent.consent_override_view,
        name="consent_override",
    ),
    # Ask for Our Family Plan or the case summary as a PDF (POST), follow the
    # job, download the PDF.
    path(
        "<int:case_id>/plan/pdf/",
        case_pdfs.case_pdf_request_view,
        {"kind": "plan"},
        name="plan_pdf_request",
    ),
    path(
        "<int:case_id>/summary/pdf/",
        case_pdfs.case_pdf_request_view,
        {"kind": "summary"},
        name="summary_pdf_request",
    ),
    path("<int:case_id>/pdfs/<int:pdf_id>/", case_pdfs.case_pdf_status, name="pdf"),
    path(
        "<int:case_id>/pdfs/<int:pdf_id>/download/",
        case_pdfs.case_pdf_download,
        name="pdf_download",
    ),
    path("<int:case_id>/notes/", cases.note, name="note"),
    path(
        "<int:case_id>/notes/<int:note_id>/amend/",
        cases.note_amend,
        name="note_amend",
    ),
    path("<int:case_id>/contacts/new/", contacts.contact_add, name="contact_add"),
    path(
        "<int:case_id>/contacts/<int:contact_id>/",
        contacts.contact_edit,
        name="contact_edit",
    ),
    path("<int:case_id>/step-up/", step_up.step_up, name="step_up"),
    path("<int:case_id>/documents/", documents.documents, name="documents"),
    path(
        "<int:case_id>/documents/upload/",
        documents.document_upload,
        name="document_upload",
    ),
    path(
        "<int:case_id>/documents/<int:document_id>/",
        documents.document_download,
        name="document_download",
    ),
    path(
        "<int:case_id>/people/",
        people.case_person_add_view,
        name="case_person_add",
    ),
    path(
        "<int:case_id>/people/new/",
        people.case_person_new,
        name="case_person_new",
    ),
    path("people/<int:person_id>/", people.person_detail, name="person"),
    path(
        "people/<int:person_id>/details/",
        people.person_edit,
        name="person_edit",
    ),
    path(
        "people/<int:person_id>/address/",
        people.person_address,
        name="person_address",
    ),
    path(
        "people/<int:person_id>/move/",
        people.person_move_view,
        name="person_move",
    ),
    path(
        "social-care-referrals/upload/",
        referrals.referrals_upload_view,
        name="referrals_upload",
    ),
    path(
        "social-care-referrals/template.csv",
        referrals.referrals_template,
        name="referrals_template",
    ),
]
