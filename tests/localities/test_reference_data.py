import pytest

from localities.models import Locality, PostcodeDistrict, Ward

pytestmark = pytest.mark.django_db

TEN = {
    "sutton-coldfield": "Sutton Coldfield",
    "perry-barr": "Perry Barr",
    "ladywood": "Ladywood",
    "edgbaston": "Edgbaston",
    "northfield": "Northfield",
    "erdington": "Erdington",
    "hodge-hill": "Hodge Hill",
    "yardley": "Yardley",
    "hall-green": "Hall Green",
    "selly-oak": "Selly Oak",
}


def test_migrate_loads_the_ten_localities_with_their_profiles():
    assert dict(Locality.objects.values_list("slug", "name")) == TEN
    for locality in Locality.objects.all():
        assert len(locality.profile) > 150, locality.slug
        assert locality.constituency_code.startswith("E14")
    assert "most deprived locality" in Locality.objects.get(slug="hodge-hill").profile


def test_every_ward_is_mapped_and_every_locality_has_wards():
    wards = Ward.objects.all()
    assert wards.count() == 69
    codes = sorted(wards.values_list("code", flat=True))
    assert codes == [f"E05011{n}" for n in range(118, 187)]
    assert not wards.filter(locality__isnull=True).exists()
    per_locality = {loc.slug: loc.wards.count() for loc in Locality.objects.all()}
    assert all(count >= 4 for count in per_locality.values()), per_locality
    assert Ward.objects.get(name="Stockland Green").locality.slug == "erdington"
    assert Ward.objects.get(name="Sutton Vesey").locality.slug == "sutton-coldfield"


def test_every_district_fallback_points_at_a_locality():
    assert PostcodeDistrict.objects.count() >= 40
    assert PostcodeDistrict.objects.get(district="B23").locality.slug == "erdington"
