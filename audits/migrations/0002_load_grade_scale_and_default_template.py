"""The default grade scale and a default audit template in neutral wording
(administrators edit both; an edited template becomes a new version)."""

from django.db import migrations

GRADES = [
    ("outstanding", "Outstanding", True),
    ("good", "Good", True),
    ("requires_improvement", "Requires Improvement", False),
    ("inadequate", "Inadequate", False),
]

TEMPLATE = "Early help case audit"
DOMAINS = [
    (
        "Quality of assessment",
        [
            "The assessment gives a clear picture of the family's worries and "
            "what is working well.",
            "The assessment was completed in a timescale that met the family's needs.",
        ],
    ),
    (
        "Voice of the child",
        [
            "Each child's views, wishes and feelings are recorded in their own "
            "words where possible.",
            "The child's lived experience shapes the plan.",
        ],
    ),
    (
        "Plan links to assessment",
        [
            "The plan's outcomes follow from the needs the assessment found.",
            "Actions are specific, owned and have due dates.",
        ],
    ),
    (
        "Multi-agency working",
        [
            "The right agencies are involved and attend reviews.",
            "Information is shared in a timely and proportionate way.",
        ],
    ),
    (
        "Management oversight",
        [
            "There is evidence of management oversight and reflective supervision.",
        ],
    ),
    (
        "Momentum",
        [
            "Reviews happen on time and the plan moves forward without drift.",
        ],
    ),
    (
        "Impact",
        [
            "There is evidence that the family's circumstances have improved.",
            "The family's own view of the help is recorded.",
        ],
    ),
]


def load(apps, schema_editor):
    AuditGrade = apps.get_model("audits", "AuditGrade")
    AuditTemplate = apps.get_model("audits", "AuditTemplate")
    AuditDomain = apps.get_model("audits", "AuditDomain")
    AuditQuestion = apps.get_model("audits", "AuditQuestion")
    for position, (code, label, good) in enumerate(GRADES, start=1):
        AuditGrade.objects.update_or_create(
            code=code, defaults={"label": label, "position": position, "good": good}
        )
    if AuditTemplate.objects.filter(name=TEMPLATE).exists():
        return
    template = AuditTemplate.objects.create(name=TEMPLATE, version=1, current=True)
    for d, (title, questions) in enumerate(DOMAINS, start=1):
        domain = AuditDomain.objects.create(template=template, position=d, title=title)
        for q, text in enumerate(questions, start=1):
            AuditQuestion.objects.create(domain=domain, position=q, text=text)


def unload(apps, schema_editor):
    apps.get_model("audits", "AuditTemplate").objects.filter(
        name=TEMPLATE, version=1, audits__isnull=True, rounds__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("audits", "0001_audit_templates_rounds_case_audits_reports")]

    operations = [migrations.RunPython(load, unload)]
