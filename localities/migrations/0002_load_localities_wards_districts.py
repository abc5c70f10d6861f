"""Load the ten localities (profiles from the partnership's vision document), the
city's 69 wards (2018 boundaries, ONS codes) each mapped to the locality of the
constituency it lies in, and the postcode-district fallback.

Wards that straddle a constituency boundary are placed where most of their homes
are; administrators may move a ward or a district on the reference data pages.
Reversible: unloading deletes exactly these rows.
"""

from django.db import migrations

LOCALITIES = [
    {
        "slug": "sutton-coldfield",
        "name": "Sutton Coldfield",
        "constituency_code": "E14000985",
        "profile": "Broadly a well-resourced area with low levels of deprivation in "
        "comparison with the rest of the city, one estate Falcon Lodge where "
        "need is higher. High level of adopted children. Emotional and mental "
        "health issues also a concern. Large volunteer base and faith "
        "groups.",
    },
    {
        "slug": "perry-barr",
        "name": "Perry Barr",
        "constituency_code": "E14000566",
        "profile": "Many newly arrived communities including Romanian, Polish, African, "
        "Afghan and Iraqi. High transient population. Houses with more than "
        "one family, informal arrangements. High levels of domestic abuse and "
        "poverty. Strong food networks and faith based community spaces.",
    },
    {
        "slug": "ladywood",
        "name": "Ladywood",
        "constituency_code": "E14000564",
        "profile": "Significantly young and diverse population with 75% BAME and many "
        "new arrivals. Ladywood includes the city centre and is the second "
        "most deprived – unemployment and debt are key issues. Strong "
        "community links and many voluntary and community groups applying for "
        "grants to support local families.",
    },
    {
        "slug": "edgbaston",
        "name": "Edgbaston",
        "constituency_code": "E14000560",
        "profile": "Wide disparity but with poor estates and wards in the West, and "
        "large number of families in temporary accommodation on the Hagley "
        "road. Good links with churches but no mosques. Partnerships are well "
        "developed.",
    },
    {
        "slug": "northfield",
        "name": "Northfield",
        "constituency_code": "E14000565",
        "profile": "Long term area of high need compounded Rover factory closure. "
        "Digital poverty, higher needs highlighted by IDACI index. Families "
        "have low expectations. Some concern about racism, broadly white "
        "population with small groups of BAME communities. Northfield "
        "community partnership supporting a large number of families.",
    },
    {
        "slug": "erdington",
        "name": "Erdington",
        "constituency_code": "E14000561",
        "profile": "Mid-ranking in terms of deprivation. Police 'impact area'. "
        "Regeneration in parts but family needs remain high, hidden issues "
        "even if housing looks good. Mental health a concern and Kooth is "
        "popular. Established partnerships and strong youth offer.",
    },
    {
        "slug": "hodge-hill",
        "name": "Hodge Hill",
        "constituency_code": "E14000563",
        "profile": "The most deprived locality in the city, and not just in particular "
        "wards. Huge diversity in the West of the area, predominately white "
        "working class in the East of the locality. Families won't travel "
        "across the locality. Concerns about honour-based violence. Other "
        "concerns about violence and anti-social behaviour.",
    },
    {
        "slug": "yardley",
        "name": "Yardley",
        "constituency_code": "E14000568",
        "profile": "Mid-ranking in terms of Birmingham deprivation, but high when "
        "compared nationally. Concerns about domestic abuse, sexual "
        "exploitation, parenting neglect, with diverse communities. Need to "
        "build links with grass-roots groups.",
    },
    {
        "slug": "hall-green",
        "name": "Hall Green",
        "constituency_code": "E14000562",
        "profile": "Broadly high need in North of locality, diverse community, and "
        "wealthier in South with need more hidden. Infant mortality and SEND "
        "issues a concern. LGBTQ issues and barriers. Strong Islamic "
        "organisations in the area, good outreach through Unity FM.",
    },
    {
        "slug": "selly-oak",
        "name": "Selly Oak",
        "constituency_code": "E14000567",
        "profile": "Mixed locality, Bournville wealthier but Druid's Heath and Billesley "
        "with high needs. Some estates with significant needs, generations of "
        "unemployment. Low confidence, trust, not asking for help. Youth "
        "crime a concern. Mental health also of concern locally with people "
        "not accessing services. Strong links between Malachi and schools. "
        "Some links to churches and Jewish community.",
    },
]

WARDS = [
    ("E05011118", "Acocks Green", "yardley"),
    ("E05011119", "Allens Cross", "northfield"),
    ("E05011120", "Alum Rock", "hodge-hill"),
    ("E05011121", "Aston", "ladywood"),
    ("E05011122", "Balsall Heath West", "hall-green"),
    ("E05011123", "Bartley Green", "edgbaston"),
    ("E05011124", "Billesley", "selly-oak"),
    ("E05011125", "Birchfield", "perry-barr"),
    ("E05011126", "Bordesley & Highgate", "ladywood"),
    ("E05011127", "Bordesley Green", "hodge-hill"),
    ("E05011128", "Bournbrook & Selly Park", "selly-oak"),
    ("E05011129", "Bournville & Cotteridge", "selly-oak"),
    ("E05011130", "Brandwood & King's Heath", "selly-oak"),
    ("E05011131", "Bromford & Hodge Hill", "hodge-hill"),
    ("E05011132", "Castle Vale", "erdington"),
    ("E05011133", "Druids Heath & Monyhull", "selly-oak"),
    ("E05011134", "Edgbaston", "edgbaston"),
    ("E05011135", "Erdington", "erdington"),
    ("E05011136", "Frankley Great Park", "northfield"),
    ("E05011137", "Garretts Green", "yardley"),
    ("E05011138", "Glebe Farm & Tile Cross", "hodge-hill"),
    ("E05011139", "Gravelly Hill", "erdington"),
    ("E05011140", "Hall Green North", "hall-green"),
    ("E05011141", "Hall Green South", "hall-green"),
    ("E05011142", "Handsworth", "perry-barr"),
    ("E05011143", "Handsworth Wood", "perry-barr"),
    ("E05011144", "Harborne", "edgbaston"),
    ("E05011145", "Heartlands", "hodge-hill"),
    ("E05011146", "Highter's Heath", "selly-oak"),
    ("E05011147", "Holyhead", "perry-barr"),
    ("E05011148", "King's Norton North", "northfield"),
    ("E05011149", "King's Norton South", "northfield"),
    ("E05011150", "Kingstanding", "erdington"),
    ("E05011151", "Ladywood", "ladywood"),
    ("E05011152", "Longbridge & West Heath", "northfield"),
    ("E05011153", "Lozells", "perry-barr"),
    ("E05011154", "Moseley", "hall-green"),
    ("E05011155", "Nechells", "ladywood"),
    ("E05011156", "Newtown", "ladywood"),
    ("E05011157", "North Edgbaston", "ladywood"),
    ("E05011158", "Northfield", "northfield"),
    ("E05011159", "Oscott", "perry-barr"),
    ("E05011160", "Perry Barr", "perry-barr"),
    ("E05011161", "Perry Common", "erdington"),
    ("E05011162", "Pype Hayes", "erdington"),
    ("E05011163", "Quinton", "edgbaston"),
    ("E05011164", "Rubery & Rednal", "northfield"),
    ("E05011165", "Shard End", "hodge-hill"),
    ("E05011166", "Sheldon", "yardley"),
    ("E05011167", "Small Heath", "yardley"),
    ("E05011168", "Soho & Jewellery Quarter", "ladywood"),
    ("E05011169", "South Yardley", "yardley"),
    ("E05011170", "Sparkbrook & Balsall Heath East", "hall-green"),
    ("E05011171", "Sparkhill", "hall-green"),
    ("E05011172", "Stirchley", "selly-oak"),
    ("E05011173", "Stockland Green", "erdington"),
    ("E05011174", "Sutton Four Oaks", "sutton-coldfield"),
    ("E05011175", "Sutton Mere Green", "sutton-coldfield"),
    ("E05011176", "Sutton Reddicap", "sutton-coldfield"),
    ("E05011177", "Sutton Roughley", "sutton-coldfield"),
    ("E05011178", "Sutton Trinity", "sutton-coldfield"),
    ("E05011179", "Sutton Vesey", "sutton-coldfield"),
    ("E05011180", "Sutton Walmley & Minworth", "sutton-coldfield"),
    ("E05011181", "Sutton Wylde Green", "sutton-coldfield"),
    ("E05011182", "Tyseley & Hay Mills", "yardley"),
    ("E05011183", "Ward End", "hodge-hill"),
    ("E05011184", "Weoley & Selly Oak", "northfield"),
    ("E05011185", "Yardley East", "yardley"),
    ("E05011186", "Yardley West & Stechford", "yardley"),
]

DISTRICTS = {
    "B1": "ladywood",
    "B2": "ladywood",
    "B3": "ladywood",
    "B4": "ladywood",
    "B5": "ladywood",
    "B6": "ladywood",
    "B7": "ladywood",
    "B8": "hodge-hill",
    "B9": "hodge-hill",
    "B10": "yardley",
    "B11": "hall-green",
    "B12": "hall-green",
    "B13": "hall-green",
    "B14": "selly-oak",
    "B15": "edgbaston",
    "B16": "ladywood",
    "B17": "edgbaston",
    "B18": "ladywood",
    "B19": "perry-barr",
    "B20": "perry-barr",
    "B21": "perry-barr",
    "B23": "erdington",
    "B24": "erdington",
    "B25": "yardley",
    "B26": "yardley",
    "B27": "yardley",
    "B28": "hall-green",
    "B29": "selly-oak",
    "B30": "selly-oak",
    "B31": "northfield",
    "B32": "edgbaston",
    "B33": "yardley",
    "B34": "hodge-hill",
    "B35": "erdington",
    "B36": "hodge-hill",
    "B38": "northfield",
    "B42": "perry-barr",
    "B44": "erdington",
    "B45": "northfield",
    "B72": "sutton-coldfield",
    "B73": "sutton-coldfield",
    "B74": "sutton-coldfield",
    "B75": "sutton-coldfield",
    "B76": "sutton-coldfield",
}


def load(apps, schema_editor):
    Locality = apps.get_model("localities", "Locality")
    Ward = apps.get_model("localities", "Ward")
    PostcodeDistrict = apps.get_model("localities", "PostcodeDistrict")
    by_slug = {}
    for row in LOCALITIES:
        by_slug[row["slug"]], _ = Locality.objects.update_or_create(
            slug=row["slug"], defaults=row
        )
    for code, name, slug in WARDS:
        Ward.objects.update_or_create(
            code=code, defaults={"name": name, "locality": by_slug[slug]}
        )
    for district, slug in DISTRICTS.items():
        PostcodeDistrict.objects.update_or_create(
            district=district, defaults={"locality": by_slug[slug]}
        )


def unload(apps, schema_editor):
    apps.get_model("localities", "PostcodeDistrict").objects.filter(
        district__in=list(DISTRICTS)
    ).delete()
    apps.get_model("localities", "Ward").objects.filter(
        code__in=[code for code, _, _ in WARDS]
    ).delete()
    apps.get_model("localities", "Locality").objects.filter(
        slug__in=[row["slug"] for row in LOCALITIES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("localities", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
