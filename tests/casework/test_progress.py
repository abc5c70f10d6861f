"""Distance travelled: the series of scores at baseline, each review and
closure; its query count; the chart and its table on the case, review and
sign-off pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import Role
from casework.models import Case, WheelDomain
from casework.selectors.progress import case_progress
from casework.services.assessment import assessment_save
from casework.services.closure import case_close
from casework.services.reviews import review_record
from core.charts import line_chart
from tests.casework.test_assessment import whole
from tests.casework.test_closure import closing
from tests.casework.test_reviews import review_of
from tests.factories import CaseFactory, PersonFactory, UserFactory
from tests.helpers import sign_in_verified

pytestmark = pytest.mark.django_db

START = timezone.localdate() - dt.timedelta(weeks=60)


@pytest.fixture
def case():
    case = CaseFactory()
    PersonFactory(family=case.family, given_name="Ayesha", family_name="Khan")
    lead = case.lead_practitioner
    assessment_save(case_id=case.pk, actor=lead, data=whole(case), complete=True)
    return case


def add_reviews(case, first: int, last: int, **changes) -> None:
    for i in range(first, last):
        review_record(
            case_id=case.pk,
            actor=case.lead_practitioner,
            data=review_of(case, START + dt.timedelta(weeks=6 * i), **changes),
        )


def test_the_series_holds_baseline_two_reviews_and_closure(case):
    ayesha = case.family.people.get()
    add_reviews(case, 0, 1)  # every domain 6, Ayesha 6
    wheel = dict.fromkeys(WheelDomain.values, 5) | {"safeguarding": 9}
    add_reviews(case, 1, 2, wheel=wheel, person_scores={ayesha.pk: 7})
    case_close(case_id=case.pk, actor=case.lead_practitioner, data=closing(case))
    case.refresh_from_db()
    progress = case_progress(case)
    assert progress.labels == ["Baseline", "Review 1", "Review 2", "Closure"]
    rows = {r.name: r for r in progress.wheel_rows}
    assert list(rows) == [d.label for d in WheelDomain]
    assert rows["Safeguarding"].values == [4, 6, 9, 7]
    assert rows["Relationships"].values == [4, 6, 5, 7]
    assert (rows["Safeguarding"].baseline, rows["Safeguarding"].closure) == (4, 7)
    assert rows["Safeguarding"].change == 3
    (person,) = progress.person_rows
    assert (person.name, person.values, person.change) == (
        "Ayesha Khan",
        [5, 6, 7, 8],
        3,
    )


def test_an_open_case_has_no_closure_and_no_change():
    case = CaseFactory()
    PersonFactory(family=case.family)
    assert case_progress(case).points == []
    lead = case.lead_practitioner
    assessment_save(case_id=case.pk, actor=lead, data=whole(case), complete=True)
    progress = case_progress(case)
    assert progress.labels == ["Baseline"] and progress.closure is None
    assert all(r.change is None for r in progress.wheel_rows)


def count(case_id: int) -> int:
    case = Case.objects.get(pk=case_id)
    with CaptureQueriesContext(connection) as ctx:
        progress = case_progress(case)
        # Everything the pages read of it, charts included.
        progress.wheel_rows, progress.person_rows
        progress.wheel_chart, progress.person_chart
    return len(ctx.captured_queries)


def test_the_query_count_is_the_same_for_one_review_and_eight(case):
    other = CaseFactory()
    PersonFactory(family=other.family)
    assessment_save(
        case_id=other.pk,
        actor=other.lead_practitioner,
        data=whole(other),
        complete=True,
    )
    add_reviews(other, 0, 1)
    case_close(case_id=other.pk, actor=other.lead_practitioner, data=closing(other))
    add_reviews(case, 0, 1)
    one = count(case.pk)
    add_reviews(case, 1, 8)
    assert count(case.pk) == one
    case_close(case_id=case.pk, actor=case.lead_practitioner, data=closing(case))
    # The closure and its people.
    assert count(case.pk) == one + 2 == count(other.pk)
    case.refresh_from_db()
    assert len(case_progress(case).points) == 10


def test_a_missing_score_breaks_the_line_and_every_point_is_on_the_scale():
    chart = line_chart(
        ["Baseline", "Review 1", "Review 2", "Closure"],
        [("Safeguarding", [2, None, 5, 10])],
        low=1,
    )
    (line,) = chart.lines
    assert [m.value for m in line.marks] == [2, 5, 10]
    assert len(line.segments) == 1  # 5 → 10 only; 2 stands alone
    assert all(chart.top <= m.y <= chart.bottom for m in line.marks)
    assert all(chart.left <= m.x <= chart.right for m in line.marks)
    assert [t.label for t in chart.y_ticks] == ["1", "2", "4", "6", "8", "10"]


def test_lines_with_the_same_scores_are_drawn_side_by_side():
    chart = line_chart(["Baseline", "Closure"], [("A", [4, 7]), ("B", [4, 7])])
    a, b = chart.lines
    assert [m.y for m in a.marks] == [m.y for m in b.marks]
    assert all(ma.x < mb.x for ma, mb in zip(a.marks, b.marks, strict=True))


def test_the_chart_and_its_table_are_on_the_case_review_and_sign_off_pages(
    client, case
):
    add_reviews(case, 0, 2)
    case_close(case_id=case.pk, actor=case.lead_practitioner, data=closing(case))
    manager = UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    sign_in_verified(client, manager)
    for url in (
        f"/cases/{case.pk}/",
        f"/cases/{case.pk}/reviews/",
        f"/cases/{case.pk}/closure/sign-off/",
    ):
        html = client.get(url).content.decode()
        assert 'data-testid="distance-travelled"' in html, url
        for chart in ("wheel", "people"):
            assert f'role="img" aria-labelledby="{chart}-title {chart}-desc"' in html
            assert f'<title id="{chart}-title">' in html
            assert 'viewBox="0 0 560 300" width="100%"' in html
            table = html.split(f'data-testid="{chart}-table"')[1].split("</table>")[0]
            for label in ("Baseline", "Review 1", "Review 2", "Closure"):
                assert label in table, (url, label)
        wheel = html.split('data-testid="wheel-table"')[1].split("</table>")[0]
        row = wheel.split("Safeguarding")[1].split("</tr>")[0]
        assert [c.split("<")[0] for c in row.split('numeric">')[1:]] == [
            "4",
            "6",
            "6",
            "7",
        ]
