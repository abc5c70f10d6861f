from django.urls import path

from casework import people_views, views

app_name = "casework"

urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("<int:case_id>/", views.case_detail, name="case"),
    path("<int:case_id>/assessment/", views.assessment, name="assessment"),
    path("<int:case_id>/team/", views.team_change, name="team"),
    path("<int:case_id>/close/", views.close, name="close"),
    path("<int:case_id>/closure/", views.closure_action, name="closure"),
    path("<int:case_id>/plan/", views.plan, name="plan"),
    path("<int:case_id>/reviews/", views.reviews, name="reviews"),
    path("<int:case_id>/notes/", views.note, name="note"),
    path("<int:case_id>/step-up/", views.step_up, name="step_up"),
    path(
        "<int:case_id>/people/",
        people_views.case_person_add_view,
        name="case_person_add",
    ),
    path(
        "<int:case_id>/people/new/",
        people_views.case_person_new,
        name="case_person_new",
    ),
    path("people/<int:person_id>/", people_views.person_detail, name="person"),
    path(
        "people/<int:person_id>/details/",
        people_views.person_edit,
        name="person_edit",
    ),
    path(
        "people/<int:person_id>/address/",
        people_views.person_address,
        name="person_address",
    ),
    path(
        "people/<int:person_id>/move/",
        people_views.person_move_view,
        name="person_move",
    ),
    path(
        "social-care-referrals/upload/",
        people_views.referrals_upload_view,
        name="referrals_upload",
    ),
    path(
        "social-care-referrals/template.csv",
        people_views.referrals_template,
        name="referrals_template",
    ),
]
