from __future__ import annotations

import copy
from typing import Any

BASE: dict[str, Any] = {
    "request": {
        "route": "school",
        "request_type": "support",
        "reasons": ["financial_housing_employment", "domestic_abuse"],
        "level_of_need": "additional",
        "consent": True,
        "consent_given_by": "Sara Khan (mother)",
        "family_words": "Help with money and the children's sleep.",
    },
    "household": {
        "postcode": "B23 6TJ",
        "address_line": "12 Example Road",
        "members": [
            {
                "role": "child",
                "given_name": "Ayesha",
                "family_name": "Khan",
                "date_of_birth": "2014-05-02",
                "sex": "female",
                "ethnicity": "asian_pakistani",
            },
            {
                "role": "adult",
                "relationship": "mother",
                "given_name": "Sara",
                "family_name": "Khan",
                "date_of_birth": "1988-01-19",
            },
        ],
    },
}


def payload(**changes: Any) -> dict[str, Any]:
    """A valid API body; ``request__consent=False`` style keyword changes."""
    body = copy.deepcopy(BASE)
    for path, value in changes.items():
        node: Any = body
        *parents, last = path.split("__")
        for key in parents:
            node = node[int(key)] if key.isdigit() else node[key]
        node[int(last) if last.isdigit() else last] = value
    return body


def children(n: int) -> list[dict[str, Any]]:
    return [
        {
            "role": "child",
            "given_name": f"Child{chr(65 + i)}",
            "family_name": "Khan",
            "date_of_birth": f"201{i % 10}-0{1 + i % 9}-1{i % 10}",
            "sex": "female" if i % 2 else "male",
            "ethnicity": "asian_pakistani",
        }
        for i in range(n)
    ]
