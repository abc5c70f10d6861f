from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate limits and throttles live in the cache; every test starts from nothing.
    cache.clear()
    yield
