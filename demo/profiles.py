"""The mixes behind the demo data, from the partnership's documents.

Sources: seed 000 ("Birmingham as a village"; the ten locality profiles), seed
001 (38,857 Family Connect Forms in 2021/22; audit grade mixes) and seed 002
(the six published reasons: 47 / 36 / 25 / 15 / 14 / 8%). Where the documents
give no figure (locality volumes, routes, decisions, closures, outcomes) the
values are an early help manager's plausible reading of the profiles, marked
"assumed".
"""

from __future__ import annotations

import random

# Relative volume of requests per locality: assumed, following the documents'
# deprivation ranking (Hodge Hill most deprived, Ladywood second, Erdington and
# Yardley mid-ranking, Sutton Coldfield low; seed 000).
LOCALITY_VOLUME = {
    "hodge-hill": 1.45,
    "ladywood": 1.30,
    "perry-barr": 1.20,
    "erdington": 1.10,
    "yardley": 1.10,
    "northfield": 1.05,
    "selly-oak": 0.90,
    "hall-green": 0.95,
    "edgbaston": 0.80,
    "sutton-coldfield": 0.45,
}

# Share of forms giving each reason (several per form). The six published
# reasons are seed 002's; the others are assumed small.
REASONS = {
    "financial_housing_employment": 0.47,
    "health_emotional_wellbeing": 0.36,
    "children_young_people": 0.25,
    "domestic_abuse": 0.15,
    "education": 0.14,
    "risk_of_homelessness": 0.08,
    "parental_conflict": 0.04,
    "neglect": 0.03,
    "substance_misuse": 0.02,
    "sen_autism": 0.04,
    "bereavement": 0.02,
    "exploitation": 0.01,
    "other": 0.02,
}

# Who asks for help: assumed "mostly schools"; about a third of 2021/22 forms
# came from hardship lists (seed 001: 13,150 of 38,857), partly uploaded as lists.
ROUTES = {
    "school": 40,
    "professional": 24,
    "bulk": 14,
    "family": 9,
    "phone": 8,
    "step_down": 5,
}
ROUTE_ORGANISATIONS = {
    "school": [
        "Stockland Green Primary School",
        "Washwood Heath Academy",
        "Nechells Primary E-ACT Academy",
        "Bordesley Green Girls' School",
        "Kings Norton Primary School",
        "Yardley Primary School",
        "Perry Beeches Junior School",
        "Hall Green Secondary School",
        "Four Dwellings Primary Academy",
        "Sutton Park Primary School",
    ],
    "professional": [
        "Birmingham Community Healthcare: Health Visiting",
        "West Midlands Police",
        "Birmingham City Council Housing",
        "Forward Thinking Birmingham",
        "Birmingham Women's and Children's NHS Foundation Trust",
        "Citizens Advice Birmingham",
    ],
    "bulk": ["Household Support Fund"],
    "step_down": ["Birmingham Children's Trust"],
}
CONSULTATION_RATE = 0.12  # assumed
LEVEL_OF_NEED = {  # about 91% universal or universal plus (seed 002, derived)
    "universal": 28,
    "universal_plus": 61,
    "additional": 10,
    "complex_significant": 1,
}
DECIDED_IN_A_WEEK = 0.86  # assumed: most inside a week, with a tail
TRANSFER_RATE = 0.04  # assumed
OUTCOMES = {  # assumed
    "signposted": 48,
    "allocated": 30,
    "consultation_given": 9,
    "no_further_action": 9,
    "stepped_up": 4,
}
DECISION_REASONS = {
    "allocated": "Needs an Early Help Assessment and a plan with a lead practitioner.",
    "signposted": "Needs met by a community service in the locality.",
    "consultation_given": "Advice given to the professional who asked.",
    "no_further_action": "Needs already met; no further action.",
    "stepped_up": "Risk of significant harm: passed to the children's front door.",
}
DUPLICATE_RATE = 0.03
FEEDBACK_RATE = 0.35
REREFERRAL_RATE = (
    0.18  # assumed: about 1 in 5 families comes back (seed 002 comparators)
)
NO_ASSESSMENT_RATE = 0.12
MEAN_GAIN = 2.0  # wheel points gained by closure, on average (assumed)
STEP_UP_RATE = 0.05
STEP_UP_OUTCOMES = {
    "accepted_for_assessment": 35,
    "nfa_returned_to_early_help": 45,
    "child_protection": 10,
    "other": 10,
}
CLOSURE_REASONS = {
    "outcomes_met": 68,
    "declined_or_disengaged": 12,
    "moved_away": 7,
    "transferred": 5,
    "other": 8,
}
REFERRAL_AFTER_CLOSURE_RATE = 0.06
AUDIT_RATE = 0.07
AUDIT_TYPES = {
    "monthly_citywide": 55,
    "locality_bimonthly": 25,
    "step_down": 5,
    "step_up": 5,
    "stepping_in": 5,
    "themed": 5,
}
# Seed 001: 61 / 49 / 11 (April–September 2020) and 20 / 25 / 3 (October 2020 to
# March 2021) Requires Improvement / Good / Outstanding; a few Inadequate assumed.
AUDIT_GRADES = {
    "outstanding": 8,
    "good": 45,
    "requires_improvement": 45,
    "inadequate": 2,
}
FEEDBACK_COMMENTS = [
    "Our worker listened and we got help with the bills.",
    "Things are calmer at home now.",
    "The school and the worker worked together for us.",
    "It took a while to start but it helped.",
    "We would ask again if we needed to.",
]
STREETS = [
    "Slade Road",
    "Washwood Heath Road",
    "Coventry Road",
    "Stratford Road",
    "Soho Road",
    "Kingstanding Road",
    "Bristol Road South",
    "Alum Rock Road",
    "Lozells Road",
    "Hagley Road",
    "Church Road",
    "Station Road",
    "Gravelly Lane",
    "Tyburn Road",
    "Shard End Crescent",
]

# The children and young people of the city as a village of 100 (seed 000),
# weighted towards minority groups as the documents say they are among families
# asking for help (66% of children are minority ethnic, seed 002).
CITY_ETHNICITY = {
    "white_british": 40,
    "asian_pakistani": 17,
    "asian_indian": 6,
    "asian_bangladeshi": 4,
    "black_caribbean": 5,
    "black_african": 5,
    "white_other": 6,
    "mixed_white_black_caribbean": 3,
    "mixed_white_asian": 1,
    "mixed_other": 1,
    "asian_chinese": 1,
    "other_arab": 3,
    "asian_other": 2,
    "white_roma": 1,
    "white_gypsy_irish_traveller": 0.5,
    "white_irish": 1,
    "black_other": 1,
    "other_any": 1,
    "not_stated": 1.5,
}


def _tilt(**weights: float) -> dict[str, float]:
    return {k: v * weights.get(k, 1.0) for k, v in CITY_ETHNICITY.items()}


# Seed 000's locality profiles: Ladywood 75% minority ethnic; Northfield and
# Sutton Coldfield broadly white; Hodge Hill diverse in the west; Perry Barr new
# arrivals (Romanian, Polish, African, Afghan, Iraqi).
LOCALITY_ETHNICITY = {
    "ladywood": _tilt(white_british=0.45, black_african=1.6, black_caribbean=1.6),
    "northfield": _tilt(white_british=1.9, asian_pakistani=0.3, asian_bangladeshi=0.3),
    "sutton-coldfield": _tilt(white_british=2.0, asian_pakistani=0.4),
    "hodge-hill": _tilt(asian_pakistani=2.0, asian_bangladeshi=1.8, white_roma=2.0),
    "perry-barr": _tilt(
        white_other=2.0, black_african=1.8, asian_other=2.5, other_arab=2.0
    ),
    "hall-green": _tilt(asian_pakistani=1.8, white_british=0.7),
    "selly-oak": _tilt(white_british=1.5),
}

_WB = {
    "female": [
        "Olivia",
        "Amelia",
        "Isla",
        "Ava",
        "Lily",
        "Ruby",
        "Poppy",
        "Evie",
        "Grace",
        "Freya",
        "Sophie",
        "Ellie",
        "Sarah",
        "Emma",
        "Gemma",
        "Kelly",
        "Laura",
        "Stacey",
        "Jade",
    ],  # noqa: E501
    "male": [
        "Oliver",
        "Jack",
        "Harry",
        "George",
        "Charlie",
        "Alfie",
        "Noah",
        "Leo",
        "Freddie",
        "Tommy",
        "Archie",
        "Riley",
        "Daniel",
        "Lee",
        "Craig",
        "Jamie",
        "Ryan",
        "Wayne",
    ],  # noqa: E501
    "family": [
        "Smith",
        "Jones",
        "Taylor",
        "Williams",
        "Brown",
        "Davies",
        "Evans",
        "Wilson",
        "Walker",
        "Wright",
        "Hughes",
        "Hall",
    ],  # noqa: E501
}
_PK = {
    "female": [
        "Ayesha",
        "Maryam",
        "Zara",
        "Hafsa",
        "Aleena",
        "Inaya",
        "Hania",
        "Eshal",
        "Khadijah",
        "Zainab",
        "Amina",
        "Saleha",
        "Nazia",
        "Shazia",
        "Samina",
        "Saima",
    ],  # noqa: E501
    "male": [
        "Muhammad",
        "Ibrahim",
        "Yusuf",
        "Zayn",
        "Hamza",
        "Ayaan",
        "Rayyan",
        "Musa",
        "Haider",
        "Abdullah",
        "Imran",
        "Tariq",
        "Asif",
        "Shahid",
    ],  # noqa: E501
    "family": [
        "Khan",
        "Hussain",
        "Ahmed",
        "Akhtar",
        "Iqbal",
        "Mahmood",
        "Ali",
        "Shah",
        "Malik",
        "Rashid",
        "Butt",
        "Aslam",
    ],  # noqa: E501
}
_IN = {
    "female": [
        "Simran",
        "Harleen",
        "Jasleen",
        "Gurleen",
        "Anaya",
        "Priya",
        "Diya",
        "Navneet",
        "Amrit",
        "Kiran",
        "Rajinder",
        "Sukhvinder",
        "Parminder",
    ],  # noqa: E501
    "male": [
        "Arjun",
        "Harjeet",
        "Manveer",
        "Jaskaran",
        "Arman",
        "Ishaan",
        "Aarav",
        "Veer",
        "Rohan",
        "Balvinder",
        "Jagdeep",
        "Sandeep",
    ],  # noqa: E501
    "family": [
        "Singh",
        "Kaur",
        "Sandhu",
        "Gill",
        "Dhillon",
        "Sidhu",
        "Bains",
        "Johal",
        "Patel",
        "Sharma",
        "Mistry",
        "Chauhan",
    ],  # noqa: E501
}
_BD = {
    "female": [
        "Sumaiya",
        "Tasnim",
        "Nusrat",
        "Fatima",
        "Ruqayyah",
        "Jannat",
        "Safa",
        "Maisha",
        "Rokeya",
        "Shirin",
        "Rehana",
    ],  # noqa: E501
    "male": [
        "Muhammad",
        "Rayhan",
        "Tahmid",
        "Sajid",
        "Arif",
        "Shahin",
        "Nabil",
        "Rafi",
        "Abdul",
        "Mizanur",
        "Jamal",
    ],  # noqa: E501
    "family": [
        "Begum",
        "Miah",
        "Uddin",
        "Rahman",
        "Islam",
        "Ahmed",
        "Hoque",
        "Choudhury",
        "Ali",
        "Khatun",
    ],  # noqa: E501
}
_BC = {
    "female": [
        "Aaliyah",
        "Nia",
        "Kiara",
        "Jada",
        "Tiana",
        "Imani",
        "Leah",
        "Maya",
        "Amara",
        "Marcia",
        "Sonia",
        "Donna",
    ],  # noqa: E501
    "male": [
        "Malachi",
        "Jayden",
        "Tyrese",
        "Kai",
        "Jahmal",
        "Marcus",
        "Isaiah",
        "Kaleb",
        "Elijah",
        "Delroy",
        "Winston",
        "Leon",
    ],  # noqa: E501
    "family": [
        "Campbell",
        "Thompson",
        "Francis",
        "Grant",
        "Reid",
        "Clarke",
        "Gordon",
        "Morgan",
        "Bailey",
        "Johnson",
    ],  # noqa: E501
}
_BA = {
    "female": [
        "Hodan",
        "Ifrah",
        "Sagal",
        "Amina",
        "Fartun",
        "Chidinma",
        "Adaeze",
        "Tolu",
        "Abena",
        "Blessing",
        "Faduma",
        "Ngozi",
    ],  # noqa: E501
    "male": [
        "Abdirahman",
        "Mohamed",
        "Yusuf",
        "Bilal",
        "Chinedu",
        "Tobi",
        "Emmanuel",
        "Samuel",
        "Kwame",
        "Kofi",
        "Abdi",
        "Hassan",
    ],  # noqa: E501
    "family": [
        "Mohamed",
        "Abdi",
        "Hassan",
        "Farah",
        "Omar",
        "Warsame",
        "Okafor",
        "Adeyemi",
        "Mensah",
        "Boateng",
        "Moyo",
    ],  # noqa: E501
}
_WO = {
    "female": [
        "Zofia",
        "Julia",
        "Maja",
        "Lena",
        "Natalia",
        "Oliwia",
        "Ioana",
        "Andreea",
        "Elena",
        "Gabriela",
        "Agnieszka",
        "Mihaela",
    ],  # noqa: E501
    "male": [
        "Jakub",
        "Szymon",
        "Filip",
        "Kacper",
        "Antoni",
        "Mateusz",
        "Andrei",
        "Stefan",
        "Alexandru",
        "Luca",
        "Piotr",
        "Marius",
    ],  # noqa: E501
    "family": [
        "Nowak",
        "Kowalczyk",
        "Wójcik",
        "Popescu",
        "Ionescu",
        "Popa",
        "Dumitru",
        "Stan",
        "Kazlauskas",
    ],  # noqa: E501
}
_ROMA = {
    "female": [
        "Denisa",
        "Bianca",
        "Roxana",
        "Loredana",
        "Alexandra",
        "Claudia",
        "Mirela",
        "Florica",
    ],  # noqa: E501
    "male": [
        "Marian",
        "Florin",
        "Robert",
        "Gabriel",
        "Ionut",
        "Daniel",
        "Vasile",
        "Nicolae",
    ],  # noqa: E501
    "family": ["Lakatos", "Balog", "Horvath", "Rostas", "Stoica", "Mirga", "Gabor"],
}
_GT = {
    "female": ["Bridget", "Margaret", "Kathleen", "Mary", "Shelby", "Nora"],
    "male": ["Patrick", "Michael", "John", "Martin", "Tom", "Levi"],
    "family": ["Ward", "McDonagh", "Connors", "Doherty", "Joyce", "Maughan"],
}
_IE = {
    "female": ["Niamh", "Aoife", "Ciara", "Erin", "Siobhan", "Roisin", "Bernadette"],
    "male": ["Sean", "Connor", "Cian", "Declan", "Patrick", "Liam", "Kieran"],
    "family": ["Murphy", "Kelly", "O'Connor", "Byrne", "Ryan", "Walsh", "Doyle"],
}
_CN = {
    "female": ["Chloe", "Grace", "Emily", "Hannah", "Mei", "Jiayi", "Mei Ling"],
    "male": ["Ethan", "Lucas", "Ryan", "Jayden", "Hao", "Yichen", "Wei"],
    "family": ["Chen", "Wang", "Li", "Zhang", "Liu", "Wong", "Chan", "Cheung", "Lam"],
}
_AR = {
    "female": [
        "Fatima",
        "Maryam",
        "Noor",
        "Hala",
        "Rania",
        "Lina",
        "Yasmin",
        "Amal",
        "Huda",
    ],  # noqa: E501
    "male": [
        "Omar",
        "Ahmed",
        "Ali",
        "Yousef",
        "Hamza",
        "Khalid",
        "Mohammed",
        "Adam",
        "Nasser",
    ],  # noqa: E501
    "family": [
        "Saleh",
        "Nasser",
        "Saeed",
        "Qassim",
        "Al-Hakimi",
        "Hussein",
        "Aziz",
        "Ibrahim",
    ],  # noqa: E501
}
_AO = {
    "female": ["Zahra", "Marwa", "Mursal", "Sahar", "Nilofar", "Parwana", "Fariba"],
    "male": ["Ahmad", "Mustafa", "Farhad", "Sohail", "Jawad", "Bilal", "Nasir"],
    "family": ["Ahmadi", "Rahimi", "Karimi", "Noori", "Hakimi", "Sultani", "Popal"],
}


def _mix(*parts: dict[str, list[str]]) -> dict[str, list[str]]:
    return {k: [n for p in parts for n in p[k]] for k in ("female", "male", "family")}


NAMES = {
    "white_british": _WB,
    "asian_pakistani": _PK,
    "asian_indian": _IN,
    "asian_bangladeshi": _BD,
    "black_caribbean": _BC,
    "black_african": _BA,
    "white_other": _WO,
    "white_roma": _ROMA,
    "white_gypsy_irish_traveller": _GT,
    "white_irish": _IE,
    "asian_chinese": _CN,
    "other_arab": _AR,
    "asian_other": _AO,
    "mixed_white_black_caribbean": _mix(_WB, _BC),
    "mixed_white_asian": _mix(_WB, _PK, _IN),
    "mixed_white_black_african": _mix(_WB, _BA),
    "mixed_other": _mix(_WB, _BC, _AR),
    "black_other": _mix(_BC, _BA),
    "other_any": _mix(_AR, _AO, _CN),
    "not_stated": _mix(_WB, _PK, _BC),
}

# About 200 practitioners across the city (QUALITY §1).
PRACTITIONERS_PER_LOCALITY = 20
DEMO_PRACTITIONERS = {
    # The demo sign-ins lead a share of their localities' cases: a visible
    # caseload in the small demo, an ordinary one at city scale.
    "erdington": "practitioner.erdington@demo.example",
    "ladywood": "practitioner.ladywood@demo.example",
}


def manager(locality: str) -> str:
    return f"manager.{locality}@demo.example"


def practitioner(locality: str, r: random.Random, demo_share: float) -> str:
    if locality in DEMO_PRACTITIONERS and r.random() < demo_share:
        return DEMO_PRACTITIONERS[locality]
    return (
        f"practitioner.{locality}."
        f"{r.randrange(1, PRACTITIONERS_PER_LOCALITY + 1):02d}@demo.example"
    )
