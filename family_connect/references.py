"""Form references and private status links."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings

# Crockford's base 32 without I, L, O and U: easy to read out on the phone.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def reference_new() -> str:
    """``FC-7K3M-Q9TD``: 40 random bits, so references cannot be guessed or
    enumerated and say nothing about how many forms there are."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"FC-{chars[:4]}-{chars[4:]}"


def status_key_new() -> str:
    return secrets.token_urlsafe(16)


def _mac(status_key: str) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(),
        f"family-connect-status:{status_key}".encode(),
        hashlib.sha256,
    ).hexdigest()
    return digest[:20]


def status_token(status_key: str) -> str:
    """The secret in a form's status link."""
    return f"{status_key}.{_mac(status_key)}"


def status_key_from_token(token: str) -> str | None:
    """The status key the token carries if its HMAC is right, else None."""
    key, _, mac = (token or "").partition(".")
    if not key or not mac or not (key + mac).isascii():
        return None
    if not hmac.compare_digest(mac.encode(), _mac(key).encode()):
        return None
    return key
