"""Rows written in bulk by the batched import (``records_import.bulk``): built
without ``Model.__init__`` and written with PostgreSQL's COPY where it can."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from operator import attrgetter
from typing import Any

from django.db import connection
from django.db.models import JSONField
from django.db.models.base import ModelState
from django.utils import timezone
from psycopg.types.json import Jsonb


def insert(model: Any, objs: list[Any]) -> None:
    """Write rows whose primary keys nothing else in the batch needs: with
    PostgreSQL's COPY (several times faster than INSERT for tens of thousands
    of rows), elsewhere with ``bulk_create``. Each column's value is what
    ``bulk_create`` would send: the foreign key's id (taken from the related
    object written earlier in the batch), JSON as JSON, timestamps now."""
    if not objs:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs)
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    getters = [_column_getter(f, timezone.now()) for f in fields]
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for obj in objs:
            copy.write_row([get(obj) for get in getters])


@functools.cache
def _shape(model: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """A model's column defaults and its relation names → column names."""
    defaults = {
        f.attname: f.get_default()
        for f in model._meta.concrete_fields
        if not f.primary_key
    }
    relations = {
        f.name: f.attname for f in model._meta.concrete_fields if f.is_relation
    }
    return defaults, relations


def fast_row(model: Any, **values: Any) -> Any:
    """A model instance for a row that is only written (never saved again or
    read back), built without ``Model.__init__``: the batched path makes tens of
    thousands of them. Related objects must already have their primary keys."""
    defaults, relations = _shape(model)
    obj = model.__new__(model)
    obj.__dict__.update(defaults)
    obj.__dict__[model._meta.pk.attname] = None  # bulk_create asks whether it is set
    for name, value in values.items():
        if name in relations:
            obj.__dict__[relations[name]] = value.pk if value is not None else None
        else:
            obj.__dict__[name] = value
    obj._state = ModelState()
    obj._state.adding = True
    return obj


def _column_getter(f: Any, now: dt.datetime) -> Callable[[Any], Any]:
    if f.is_relation:
        name, attname = f.name, f.attname

        def related_id(obj: Any) -> Any:
            value = obj.__dict__.get(attname)
            if value is None:
                related = obj._state.fields_cache.get(name)
                value = related.pk if related is not None else None
            return value

        return related_id
    if isinstance(f, JSONField):
        attname = f.attname
        return lambda obj: Jsonb(getattr(obj, attname))
    if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
        return lambda obj: now
    return attrgetter(f.attname)
