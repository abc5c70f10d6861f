"""The indicator registry (INDICATORS.md) and example partner-supplied
indicators from the outcome framework (seed 002)."""

from django.db import migrations

PARTNERSHIP = "Early help partnership"
H, L, N = "higher", "lower", "neutral"

# ref, section, title, definition, unit, polarity
COMPUTED = [
    (
        "EH01",
        "Intake and timeliness",
        "Family Connect Forms received",
        "Forms (any route and type) received in the month, by current locality.",
        "count",
        N,
    ),
    (
        "EH02",
        "Intake and timeliness",
        "Families referred into locality early help (cumulative)",
        "Distinct households with a support form received from the early help start "
        "date (1 April 2020) to the end of the month.",
        "count",
        N,
    ),
    (
        "EH03",
        "Intake and timeliness",
        "% of Family Connect Forms allocated within 1 week",
        "Support forms received in the month whose decision was recorded within 168 "
        "hours of receipt; provisional until every form of the month is 168 hours old.",
        "percent",
        H,
    ),
    (
        "EH04",
        "Intake and timeliness",
        "Median days from request to decision",
        "Support forms decided in the month: median of decided − received, in days.",
        "median_days",
        L,
    ),
    (
        "EH05",
        "Intake and timeliness",
        "Median hours to respond to a consultation request",
        "Consultation forms decided in the month: median of decided − received, in "
        "hours.",
        "median_hours",
        L,
    ),
    (
        "EH06",
        "Intake and timeliness",
        "Step-down requests received",
        "Step-down forms received in the month.",
        "count",
        N,
    ),
    (
        "EH08",
        "Intake and timeliness",
        "Requests for families who had early help in the last 12 months",
        "Support forms received in the month whose household had an early help case "
        "closed in the 365 days before receipt.",
        "percent",
        L,
    ),
    (
        "EH10",
        "Casework",
        "Cases open at month end",
        "Cases opened before the end of the month and not closed before it.",
        "count",
        N,
    ),
    (
        "EH11",
        "Casework",
        "Early Help Assessments completed",
        "Assessments completed in the month.",
        "count",
        N,
    ),
    (
        "EH12",
        "Casework",
        "% of assessments completed within 30 days of allocation",
        "Assessments completed in the month within 30 × 24 hours of the case opening.",
        "percent",
        H,
    ),
    ("EH13", "Casework", "Cases closed", "Cases closed in the month.", "count", N),
    (
        "EH14",
        "Casework",
        "% of children that improved overall across outcomes",
        "Children on cases closed in the month with a baseline and a closure score: "
        "closure score above baseline.",
        "percent",
        H,
    ),
    (
        "EH15",
        "Casework",
        "% of parents and carers that improved overall across outcomes",
        "Adults on cases closed in the month with a baseline and a closure score: "
        "closure score above baseline.",
        "percent",
        H,
    ),
    (
        "EH16",
        "Casework",
        "% of children that feel happy at closure",
        "Children on cases closed in the month answering yes or no: % yes.",
        "percent",
        H,
    ),
    (
        "EH17",
        "Casework",
        "% of children that feel healthy at closure",
        "As EH16 for healthy.",
        "percent",
        H,
    ),
    (
        "EH18",
        "Casework",
        "% of children that feel safe at closure",
        "As EH16 for safe.",
        "percent",
        H,
    ),
    (
        "EH19",
        "Casework",
        "% of families with improvement overall across all key indicators of positive "
        "family life",
        "Cases closed in the month with all five wheel domains at baseline and "
        "closure: closure total above baseline total.",
        "percent",
        H,
    ),
    (
        "EH20a",
        "Casework",
        "% of families with improvement in healthy lifestyles",
        "Cases closed in the month with the domain scored at baseline and closure: "
        "improved.",
        "percent",
        H,
    ),
    (
        "EH20b",
        "Casework",
        "% of families with improvement in relationships",
        "As EH20a for relationships.",
        "percent",
        H,
    ),
    (
        "EH20c",
        "Casework",
        "% of families with improvement in learning and development",
        "As EH20a for learning and development.",
        "percent",
        H,
    ),
    (
        "EH20d",
        "Casework",
        "% of families with improvement in community engagement",
        "As EH20a for community engagement.",
        "percent",
        H,
    ),
    (
        "EH20e",
        "Casework",
        "% of families with improvement in safeguarding",
        "As EH20a for safeguarding.",
        "percent",
        H,
    ),
    (
        "EH21a",
        "Escalation and de-escalation",
        "Children with a closed Early Help plan referred to the initial contact team "
        "within 3 months of closure",
        "Children on cases closed in the month with a social care referral inside "
        "their 3-month window; available once every window has ended.",
        "percent",
        L,
    ),
    (
        "EH21b",
        "Escalation and de-escalation",
        "Children with a closed Early Help plan not referred to the initial contact "
        "team within 3 months",
        "The cohort of EH21a less its numerator.",
        "percent",
        H,
    ),
    (
        "EH21c",
        "Escalation and de-escalation",
        "Children with a closed Early Help plan with no further early help within 3 "
        "months",
        "Children on cases closed in the month not named on a support form received "
        "inside their window.",
        "percent",
        H,
    ),
    (
        "EH21d",
        "Escalation and de-escalation",
        "Children with a closed Early Help plan with further early help within 3 "
        "months",
        "The cohort of EH21c less its numerator.",
        "percent",
        L,
    ),
    (
        "EH22",
        "Escalation and de-escalation",
        "Children open to early help referred to the initial contact team",
        "Children on cases open during the month with a step-up in the month while "
        "their case was open.",
        "percent",
        N,
    ),
    (
        "EH23",
        "Escalation and de-escalation",
        "% of children closed to social care who stepped down to early help",
        "Children named on step-down forms received in the month, of the children "
        "whose social care involvement closed in the month (EH23D).",
        "percent",
        H,
    ),
    (
        "EH24",
        "Quality and feedback",
        "Effectiveness of early help audit",
        "Monthly city-wide, locality bi-monthly and themed case audits finalised in the "
        "month: % Outstanding or Good.",
        "percent",
        H,
    ),
    (
        "EH25a",
        "Quality and feedback",
        "Stepping-in audit results",
        "Stepping-in case audits finalised in the month: % Outstanding or Good.",
        "percent",
        H,
    ),
    (
        "EH25b",
        "Quality and feedback",
        "Step-up audit results",
        "Step-up case audits finalised in the month: % Outstanding or Good.",
        "percent",
        H,
    ),
    (
        "EH25c",
        "Quality and feedback",
        "Step-down audit results",
        "Step-down case audits finalised in the month: % Outstanding or Good.",
        "percent",
        H,
    ),
    (
        "EH26",
        "Quality and feedback",
        "Service user feedback",
        "Cases closed in the month with a family feedback score: mean score (1–5).",
        "mean",
        H,
    ),
    (
        "EH27",
        "Quality and feedback",
        "Practitioner feedback on accessibility",
        "Requester feedback scores given in the month: mean score (1–5).",
        "mean",
        H,
    ),
]

# ref, title, definition, unit, polarity, data owner
PARTNER = [
    (
        "EH23D",
        "Children whose social care involvement closed in the month",
        "Supplied monthly by Birmingham Children's Trust; the denominator of EH23.",
        "count",
        N,
        "Birmingham Children's Trust",
    ),
    (
        "OF3.5",
        "Number of contacts (Birmingham Children's Trust)",
        "Contacts received by the children's trust in the month.",
        "count",
        N,
        "Birmingham Children's Trust",
    ),
    (
        "OF3.6",
        "Number of referrals (Birmingham Children's Trust)",
        "Referrals accepted by the children's trust in the month.",
        "count",
        N,
        "Birmingham Children's Trust",
    ),
    (
        "OF7.2",
        "Reported domestic abuse incidents (West Midlands Police)",
        "Domestic abuse incidents reported to West Midlands Police in the month.",
        "count",
        L,
        "West Midlands Police",
    ),
    (
        "OF7.3",
        "Domestic abuse incidents (high risk)",
        "Of OF7.2, those assessed as high risk.",
        "count",
        L,
        "West Midlands Police",
    ),
    (
        "OF7.4",
        "Domestic abuse incidents (medium risk)",
        "Of OF7.2, those assessed as medium risk.",
        "count",
        L,
        "West Midlands Police",
    ),
    (
        "OF7.5",
        "Domestic abuse incidents (standard risk)",
        "Of OF7.2, those assessed as standard risk.",
        "count",
        L,
        "West Midlands Police",
    ),
]


def load(apps, schema_editor):
    Indicator = apps.get_model("scorecard", "Indicator")
    Reason = apps.get_model("family_connect", "Reason")
    rows = []
    for ref, section, title, definition, unit, polarity in COMPUTED:
        rows.append((ref, section, title, definition, unit, polarity, PARTNERSHIP))
        if ref == "EH06":
            for reason in Reason.objects.order_by("position", "code"):
                rows.append(
                    (
                        f"EH07:{reason.code}",
                        section,
                        f"Reasons for connection: {reason.label}",
                        "Support forms received in the month having this reason "
                        "(a form may have several).",
                        "percent",
                        N,
                        PARTNERSHIP,
                    )
                )
    for ref, title, definition, unit, polarity, owner in PARTNER:
        rows.append((ref, "Partner figures", title, definition, unit, polarity, owner))
    for position, (ref, section, title, definition, unit, polarity, owner) in enumerate(
        rows, start=1
    ):
        Indicator.objects.update_or_create(
            ref=ref,
            defaults={
                "section": section,
                "title": title,
                "definition": definition,
                "unit": unit,
                "polarity": polarity,
                "data_owner": owner,
                "source": "partner" if section == "Partner figures" else "computed",
                "position": position,
            },
        )


def unload(apps, schema_editor):
    apps.get_model("scorecard", "Indicator").objects.filter(
        partner_figures__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("scorecard", "0001_indicator_registry_releases_values"),
        ("family_connect", "0002_load_reasons"),
    ]

    operations = [migrations.RunPython(load, unload)]
