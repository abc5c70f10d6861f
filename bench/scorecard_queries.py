"""The hand-written SQL statements of ``bench.scorecard_sql``, one per family
of indicators, straight from INDICATORS.md."""

# Every statement's rows are ``key, is_city, locality_id, figures…``: the key
# splits a statement's rows between indicators ('' when it does not).

# EH01 received (any status); EH06 step-down requests; EH03 support forms
# decided within 168 hours (provisional while any is younger than that); EH08
# support forms whose household had a case closed in the 365 × 24 hours before.
FORMS_RECEIVED = """
SELECT '' AS key, GROUPING(f.locality_id) = 1 AS is_city, f.locality_id,
    count(*) AS received,
    count(*) FILTER (
        WHERE f.status NOT IN ('duplicate', 'withdrawn') AND f.route = 'step_down'
    ) AS step_down,
    count(*) FILTER (
        WHERE f.status NOT IN ('duplicate', 'withdrawn')
        AND f.request_type = 'support'
    ) AS support,
    count(*) FILTER (
        WHERE f.status NOT IN ('duplicate', 'withdrawn')
        AND f.request_type = 'support'
        AND d.outcome IN (
            'allocated', 'signposted', 'consultation_given', 'stepped_up',
            'no_further_action'
        )
        AND d.decided_at <= f.received_at + interval '168 hours'
    ) AS within_week,
    count(*) FILTER (
        WHERE f.status NOT IN ('duplicate', 'withdrawn')
        AND f.request_type = 'support'
        AND f.received_at > %(now)s - interval '168 hours'
    ) AS young,
    count(*) FILTER (
        WHERE f.status NOT IN ('duplicate', 'withdrawn')
        AND f.request_type = 'support'
        AND EXISTS (
            SELECT 1 FROM casework_case c
            WHERE c.family_id = f.family_id
            AND c.closed_at >= f.received_at - interval '8760 hours'
            AND c.closed_at < f.received_at
        )
    ) AS returning
FROM family_connect_familyconnectform f
LEFT JOIN family_connect_formdecision d ON d.form_id = f.id
WHERE f.received_at >= %(start)s AND f.received_at < %(end)s
GROUP BY GROUPING SETS ((f.locality_id), ())
"""

# EH02: distinct households (a form without one stands for its own), counted
# in each locality where they have a form and once in the city.
HOUSEHOLDS = """
SELECT '' AS key, GROUPING(f.locality_id) = 1 AS is_city, f.locality_id,
    count(DISTINCT coalesce(f.family_id, -f.id)) AS households
FROM family_connect_familyconnectform f
WHERE f.status NOT IN ('duplicate', 'withdrawn') AND f.request_type = 'support'
AND f.received_at >= %(early_help_start)s AND f.received_at < %(end)s
GROUP BY GROUPING SETS ((f.locality_id), ())
"""

# EH07: support forms received in M having each reason.
REASONS = """
SELECT r.code AS key, GROUPING(f.locality_id) = 1 AS is_city, f.locality_id,
    count(*) AS forms
FROM family_connect_familyconnectform_reasons fr
JOIN family_connect_familyconnectform f ON f.id = fr.familyconnectform_id
JOIN family_connect_reason r ON r.id = fr.reason_id
WHERE f.status NOT IN ('duplicate', 'withdrawn') AND f.request_type = 'support'
AND f.received_at >= %(start)s AND f.received_at < %(end)s
GROUP BY r.code, GROUPING SETS ((f.locality_id), ())
"""

REASON_CODES = "SELECT code FROM family_connect_reason ORDER BY position, code"

# EH04 (support, in days) and EH05 (consultation, in hours): forms decided in
# M; the median is the mean of the two middle values for an even count.
TIME_TO_DECISION = """
SELECT f.request_type AS key, GROUPING(f.locality_id) = 1 AS is_city,
    f.locality_id,
    percentile_cont(0.5) WITHIN GROUP (
        ORDER BY extract(epoch FROM d.decided_at - f.received_at)::float8
            / CASE f.request_type WHEN 'support' THEN 86400 ELSE 3600 END
    ) AS median,
    count(*) AS n
FROM family_connect_familyconnectform f
JOIN family_connect_formdecision d ON d.form_id = f.id
WHERE f.status NOT IN ('duplicate', 'withdrawn')
AND f.request_type IN ('support', 'consultation')
AND d.outcome IN (
    'allocated', 'signposted', 'consultation_given', 'stepped_up',
    'no_further_action'
)
AND d.decided_at >= %(start)s AND d.decided_at < %(end)s
GROUP BY f.request_type, GROUPING SETS ((f.locality_id), ())
"""

# EH10 open at the end of M (closed exactly at the end still open); EH13
# closed in M.
CASES = """
SELECT '' AS key, GROUPING(c.locality_id) = 1 AS is_city, c.locality_id,
    count(*) FILTER (
        WHERE c.closed_at IS NULL OR c.closed_at >= %(end)s
    ) AS open_at_end,
    count(*) FILTER (
        WHERE c.closed_at >= %(start)s AND c.closed_at < %(end)s
    ) AS closed
FROM casework_case c
WHERE c.opened_at < %(end)s AND (c.closed_at IS NULL OR c.closed_at >= %(start)s)
GROUP BY GROUPING SETS ((c.locality_id), ())
"""

# EH11 assessments completed in M; EH12 within 30 × 24 hours of the opening.
ASSESSMENTS = """
SELECT '' AS key, GROUPING(c.locality_id) = 1 AS is_city, c.locality_id,
    count(*) AS completed,
    count(*) FILTER (
        WHERE a.completed_at <= c.opened_at + interval '720 hours'
    ) AS on_time
FROM casework_assessment a
JOIN casework_case c ON c.id = a.case_id
WHERE a.completed_at >= %(start)s AND a.completed_at < %(end)s
GROUP BY GROUPING SETS ((c.locality_id), ())
"""

# EH14–EH18: each person at the closures of M, against their baseline on the
# completed assessment only (settled reading 16).
CLOSURE_PEOPLE = """
SELECT '' AS key, GROUPING(c.locality_id) = 1 AS is_city, c.locality_id,
    count(*) FILTER (
        WHERE p.role = 'child' AND cp.score IS NOT NULL AND ap.score IS NOT NULL
    ) AS children,
    count(*) FILTER (
        WHERE p.role = 'child' AND cp.score > ap.score
    ) AS children_up,
    count(*) FILTER (
        WHERE p.role = 'adult' AND cp.score IS NOT NULL AND ap.score IS NOT NULL
    ) AS adults,
    count(*) FILTER (WHERE p.role = 'adult' AND cp.score > ap.score) AS adults_up,
    count(*) FILTER (
        WHERE p.role = 'child' AND cp.happy IN ('yes', 'no')
    ) AS happy_asked,
    count(*) FILTER (WHERE p.role = 'child' AND cp.happy = 'yes') AS happy_yes,
    count(*) FILTER (
        WHERE p.role = 'child' AND cp.healthy IN ('yes', 'no')
    ) AS healthy_asked,
    count(*) FILTER (WHERE p.role = 'child' AND cp.healthy = 'yes') AS healthy_yes,
    count(*) FILTER (
        WHERE p.role = 'child' AND cp.safe IN ('yes', 'no')
    ) AS safe_asked,
    count(*) FILTER (WHERE p.role = 'child' AND cp.safe = 'yes') AS safe_yes
FROM casework_closureperson cp
JOIN casework_caseclosure cl ON cl.id = cp.closure_id
JOIN casework_case c ON c.id = cl.case_id
JOIN casework_person p ON p.id = cp.person_id
LEFT JOIN casework_assessment a
    ON a.case_id = cl.case_id AND a.completed_at IS NOT NULL
LEFT JOIN casework_assessmentperson ap
    ON ap.assessment_id = a.id AND ap.person_id = cp.person_id
WHERE cl.closed_at >= %(start)s AND cl.closed_at < %(end)s
GROUP BY GROUPING SETS ((c.locality_id), ())
"""

# EH19 and EH20a–e: the closures of M against the completed assessment's wheel;
# EH26: the family feedback scores of those closures.
CLOSURES = """
SELECT '' AS key, GROUPING(c.locality_id) = 1 AS is_city, c.locality_id,
    count(*) FILTER (WHERE all_five) AS families,
    count(*) FILTER (
        WHERE all_five
        AND cl.healthy_lifestyles + cl.relationships + cl.learning_development
            + cl.community_engagement + cl.safeguarding
        > a.healthy_lifestyles + a.relationships + a.learning_development
            + a.community_engagement + a.safeguarding
    ) AS families_up,
    count(*) FILTER (
        WHERE cl.healthy_lifestyles IS NOT NULL AND a.healthy_lifestyles IS NOT NULL
    ) AS healthy_lifestyles,
    count(*) FILTER (
        WHERE cl.healthy_lifestyles > a.healthy_lifestyles
    ) AS healthy_lifestyles_up,
    count(*) FILTER (
        WHERE cl.relationships IS NOT NULL AND a.relationships IS NOT NULL
    ) AS relationships,
    count(*) FILTER (WHERE cl.relationships > a.relationships) AS relationships_up,
    count(*) FILTER (
        WHERE cl.learning_development IS NOT NULL
        AND a.learning_development IS NOT NULL
    ) AS learning_development,
    count(*) FILTER (
        WHERE cl.learning_development > a.learning_development
    ) AS learning_development_up,
    count(*) FILTER (
        WHERE cl.community_engagement IS NOT NULL
        AND a.community_engagement IS NOT NULL
    ) AS community_engagement,
    count(*) FILTER (
        WHERE cl.community_engagement > a.community_engagement
    ) AS community_engagement_up,
    count(*) FILTER (
        WHERE cl.safeguarding IS NOT NULL AND a.safeguarding IS NOT NULL
    ) AS safeguarding,
    count(*) FILTER (WHERE cl.safeguarding > a.safeguarding) AS safeguarding_up,
    sum(cl.family_feedback_score) AS feedback_total,
    count(cl.family_feedback_score) AS feedback_n
FROM casework_caseclosure cl
JOIN casework_case c ON c.id = cl.case_id
LEFT JOIN casework_assessment a
    ON a.case_id = cl.case_id AND a.completed_at IS NOT NULL
CROSS JOIN LATERAL (
    SELECT cl.healthy_lifestyles IS NOT NULL AND a.healthy_lifestyles IS NOT NULL
        AND cl.relationships IS NOT NULL AND a.relationships IS NOT NULL
        AND cl.learning_development IS NOT NULL AND a.learning_development IS NOT NULL
        AND cl.community_engagement IS NOT NULL AND a.community_engagement IS NOT NULL
        AND cl.safeguarding IS NOT NULL AND a.safeguarding IS NOT NULL AS all_five
) scored
WHERE cl.closed_at >= %(start)s AND cl.closed_at < %(end)s
GROUP BY GROUPING SETS ((c.locality_id), ())
"""

# EH21a–d: each child on the cases closed in M (settled reading 23) with the
# window (closed, closed + 3 calendar months] on the London wall clock
# (settled reading 10). PostgreSQL reads a wall time that occurs twice as the
# later instant; the reading wants the offset in force before the change, an
# hour earlier. A referral is any referral of the child but a step-up from the
# closed case itself, or a triage step-up of a form naming the child (settled
# reading 12); further early help is a support form naming the child (settled
# reading 13).
AFTER_CLOSURE = """
WITH walls AS (
    SELECT cl.case_id, c.locality_id, cp.person_id, cl.closed_at AS opens,
        (cl.closed_at AT TIME ZONE 'Europe/London') + interval '3 months' AS wall
    FROM casework_caseperson cp
    JOIN casework_caseclosure cl ON cl.case_id = cp.case_id
    JOIN casework_case c ON c.id = cl.case_id
    JOIN casework_person p ON p.id = cp.person_id
    WHERE p.role = 'child'
    AND cl.closed_at >= %(start)s AND cl.closed_at < %(end)s
), windows AS (
    SELECT w.case_id, w.locality_id, w.person_id, w.opens,
        CASE
            WHEN (w.wall AT TIME ZONE 'Europe/London' - interval '1 hour')
                AT TIME ZONE 'Europe/London' = w.wall
            THEN w.wall AT TIME ZONE 'Europe/London' - interval '1 hour'
            ELSE w.wall AT TIME ZONE 'Europe/London'
        END AS closes
    FROM walls w
)
SELECT '' AS key, GROUPING(w.locality_id) = 1 AS is_city, w.locality_id,
    count(*) AS children,
    count(*) FILTER (WHERE w.closes > %(now)s) AS not_ended,
    count(*) FILTER (
        WHERE EXISTS (
            SELECT 1 FROM casework_socialcarereferral r
            WHERE r.person_id = w.person_id
            AND r.referred_at > w.opens AND r.referred_at <= w.closes
            AND NOT (r.source = 'case' AND r.case_id IS NOT DISTINCT FROM w.case_id)
        ) OR EXISTS (
            SELECT 1 FROM family_connect_formmember m
            JOIN family_connect_familyconnectform f ON f.id = m.form_id
            JOIN family_connect_formdecision d ON d.form_id = f.id
            WHERE m.person_id = w.person_id AND m.role = 'child'
            AND f.status NOT IN ('duplicate', 'withdrawn')
            AND d.outcome = 'stepped_up'
            AND d.decided_at > w.opens AND d.decided_at <= w.closes
        )
    ) AS referred,
    count(*) FILTER (
        WHERE NOT EXISTS (
            SELECT 1 FROM family_connect_formmember m
            JOIN family_connect_familyconnectform f ON f.id = m.form_id
            WHERE m.person_id = w.person_id
            AND f.status NOT IN ('duplicate', 'withdrawn')
            AND f.request_type = 'support'
            AND f.received_at > w.opens AND f.received_at <= w.closes
        )
    ) AS no_further_help
FROM windows w
GROUP BY GROUPING SETS ((w.locality_id), ())
"""

# EH22: (case, child) pairs, a child on a case open during M (settled reading
# 23); a pair is stepped up when a
# step-up for that child from that case is dated in M while the case was open
# (settled reading 14), and counts once under each outcome it has.
STEP_UPS = """
WITH open_cases AS (
    SELECT c.id, c.locality_id, c.opened_at, c.closed_at
    FROM casework_case c
    WHERE c.opened_at < %(end)s AND (c.closed_at IS NULL OR c.closed_at >= %(start)s)
), stepped AS (
    SELECT r.case_id, r.person_id,
        bool_or(r.outcome = 'accepted_for_assessment') AS accepted_for_assessment,
        bool_or(r.outcome = 'nfa_returned_to_early_help')
            AS nfa_returned_to_early_help,
        bool_or(r.outcome = 'child_protection') AS child_protection,
        bool_or(r.outcome = 'other') AS other,
        bool_or(r.outcome = '') AS awaiting_outcome
    FROM casework_socialcarereferral r
    JOIN open_cases oc ON oc.id = r.case_id
    WHERE r.source = 'case'
    AND r.referred_at >= %(start)s AND r.referred_at < %(end)s
    AND r.referred_at >= oc.opened_at
    AND (oc.closed_at IS NULL OR r.referred_at <= oc.closed_at)
    GROUP BY r.case_id, r.person_id
)
SELECT '' AS key, GROUPING(oc.locality_id) = 1 AS is_city, oc.locality_id,
    count(*) AS pairs,
    count(s.case_id) AS stepped_up,
    count(*) FILTER (WHERE s.accepted_for_assessment) AS accepted_for_assessment,
    count(*) FILTER (
        WHERE s.nfa_returned_to_early_help
    ) AS nfa_returned_to_early_help,
    count(*) FILTER (WHERE s.child_protection) AS child_protection,
    count(*) FILTER (WHERE s.other) AS other,
    count(*) FILTER (WHERE s.awaiting_outcome) AS awaiting_outcome
FROM open_cases oc
JOIN casework_caseperson cp ON cp.case_id = oc.id
JOIN casework_person p ON p.id = cp.person_id AND p.role = 'child'
LEFT JOIN stepped s ON s.case_id = oc.id AND s.person_id = p.id
GROUP BY GROUPING SETS ((oc.locality_id), ())
"""

# EH23's numerator: distinct children (an unlinked member stands for itself)
# named on step-down forms received in M.
STEPPED_DOWN_CHILDREN = """
SELECT '' AS key, GROUPING(f.locality_id) = 1 AS is_city, f.locality_id,
    count(DISTINCT coalesce(m.person_id, -m.id)) AS children
FROM family_connect_formmember m
JOIN family_connect_familyconnectform f ON f.id = m.form_id
WHERE m.role = 'child' AND f.status NOT IN ('duplicate', 'withdrawn')
AND f.route = 'step_down'
AND f.received_at >= %(start)s AND f.received_at < %(end)s
GROUP BY GROUPING SETS ((f.locality_id), ())
"""

# EH23's denominator: the partner's figure for each locality and the city.
PARTNER_FIGURES = """
SELECT pf.locality_id, pf.value
FROM scorecard_partnerfigure pf
JOIN scorecard_indicator i ON i.id = pf.indicator_id
WHERE i.ref = 'EH23D' AND pf.period = %(period)s
"""

# EH24, EH25a–c: audits finalised in M by the audited case's locality and
# their final grade.
AUDITS = """
SELECT
    CASE ca.type
        WHEN 'stepping_in' THEN 'EH25a'
        WHEN 'step_up' THEN 'EH25b'
        WHEN 'step_down' THEN 'EH25c'
        ELSE 'EH24'
    END AS key,
    GROUPING(c.locality_id) = 1 AS is_city, c.locality_id,
    count(*) FILTER (WHERE g.good) AS good,
    count(*) AS audits
FROM audits_caseaudit ca
JOIN casework_case c ON c.id = ca.case_id
JOIN audits_auditgrade g ON g.code = ca.final_grade_id
WHERE ca.status = 'finalised'
AND ca.finalised_at >= %(start)s AND ca.finalised_at < %(end)s
AND ca.type IN (
    'monthly_citywide', 'locality_bimonthly', 'themed',
    'stepping_in', 'step_up', 'step_down'
)
GROUP BY 1, GROUPING SETS ((c.locality_id), ())
"""

# EH27: requester feedback given in M, by the form's current locality.
REQUESTER_FEEDBACK = """
SELECT '' AS key, GROUPING(f.locality_id) = 1 AS is_city, f.locality_id,
    sum(fb.score) AS total,
    count(*) AS n
FROM family_connect_formfeedback fb
JOIN family_connect_familyconnectform f ON f.id = fb.form_id
WHERE f.status NOT IN ('duplicate', 'withdrawn')
AND fb.given_at >= %(start)s AND fb.given_at < %(end)s
GROUP BY GROUPING SETS ((f.locality_id), ())
"""
