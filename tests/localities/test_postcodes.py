from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st

from localities.models import Postcode, Ward
from localities.postcodes import locality_for_postcode, postcode_normalise

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "onspd_sample.csv"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("b23 6tn", "B23 6TN"),
        ("B236TN", "B23 6TN"),
        ("  b23   6tn ", "B23 6TN"),
        ("b1 1aa", "B1 1AA"),
        ("EC1A 1BB", "EC1A 1BB"),
        ("B23", None),
        ("", None),
        (None, None),
        ("B23 6TNX", None),
        ("123 456", None),
        ("B23-6TN", None),
    ],
)
def test_postcodes_are_normalised_for_case_and_spacing(raw, expected):
    assert postcode_normalise(raw) == expected


@given(st.text(max_size=12))
def test_normalisation_never_fails_and_is_idempotent(raw):
    result = postcode_normalise(raw)
    assert result is None or postcode_normalise(result) == result


@pytest.fixture
def imported(db):
    out = StringIO()
    call_command("import_postcodes", str(SAMPLE), stdout=out)
    return out.getvalue()


def test_import_keeps_the_city_rows_and_reports_the_rest(imported):
    assert "8 rows read; 6 postcodes loaded; 1 outside the city; 1 invalid" in imported
    assert not Postcode.objects.filter(postcode="CV1 1AA").exists()
    assert Postcode.objects.get(postcode="B31 2PJ").terminated


def test_a_loaded_postcode_resolves_through_its_ward(imported):
    assert locality_for_postcode("b23 6tn").slug == "erdington"
    assert locality_for_postcode("B152TT").slug == "edgbaston"
    assert locality_for_postcode("B73 5AB").slug == "sutton-coldfield"
    assert locality_for_postcode("B11 4BW").slug == "hall-green"


def test_moving_a_ward_moves_its_postcodes(imported):
    ward = Ward.objects.get(code="E05011173")
    ward.locality_id = ward.locality.__class__.objects.get(slug="perry-barr").pk
    ward.save()
    assert locality_for_postcode("B23 6TN").slug == "perry-barr"


def test_an_unknown_ward_falls_back_to_the_constituency(imported):
    assert locality_for_postcode("B28 9AA").slug == "hall-green"


def test_terminated_postcodes_do_not_resolve(imported):
    assert locality_for_postcode("B31 2PJ") is None


def test_without_a_postcode_row_the_district_decides(imported):
    assert not Postcode.objects.filter(postcode="B23 7XY").exists()
    assert locality_for_postcode("B23 7XY").slug == "erdington"
    assert locality_for_postcode("b7 4aa").slug == "ladywood"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "raw", ["ZZ99 9ZZ", "CV1 1AA", "not a postcode", "", None, "B99 1AA"]
)
def test_unknown_or_malformed_postcodes_resolve_to_none(raw):
    assert locality_for_postcode(raw) is None


def test_importing_again_updates_rather_than_duplicates(imported):
    call_command("import_postcodes", str(SAMPLE), stdout=StringIO())
    assert Postcode.objects.count() == 6


@pytest.mark.django_db
def test_a_file_without_postcode_columns_is_refused(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("name,age\nx,1\n")
    with pytest.raises(CommandError, match="no postcode column"):
        call_command("import_postcodes", str(bad), stdout=StringIO())
    assert Postcode.objects.count() == 0


@pytest.mark.django_db
def test_newer_directory_column_names_are_understood(tmp_path):
    newer = tmp_path / "onspd_2025.csv"
    newer.write_text(
        "PCD7,PCDS,DOTERM,WD25CD,PCON24CD\nB236TN ,B23 6TN,,E05011173,E14001086\n"
    )
    call_command("import_postcodes", str(newer), stdout=StringIO())
    assert locality_for_postcode("B23 6TN").slug == "erdington"
