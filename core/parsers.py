"""The API's JSON parser: DRF's, reading through ``core.jsonbody`` so that a
body nested too deep is a 400 with a message, not a ``RecursionError``."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser, get_encoding

from core.jsonbody import JSONRefused, loads


class DepthLimitedJSONParser(JSONParser):
    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: dict[str, Any] | None = None,
    ) -> Any:
        encoding = get_encoding(parser_context or {})
        raw = stream.read() if stream is not None else b""
        try:
            return loads(raw.decode(encoding))
        except UnicodeDecodeError:
            raise ParseError(f"The body is not text in {encoding}.") from None
        except JSONRefused as exc:
            raise ParseError(str(exc)) from None
