"""What every operation of the API has in common, added to the OpenAPI schema
once (a drf-spectacular postprocessing hook): the error answers any operation
can give, and the exact form of the parameters shared across operations."""

from __future__ import annotations

from typing import Any

MONTH_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"
MONTH_PARAMETERS = {"period", "from", "to"}

ERROR = {
    "type": "object",
    "description": "`detail` with a message, or each field's list of messages.",
    "additionalProperties": True,
}
ERRORS = {
    "400": "The request is not valid: the messages say why; nothing was changed.",
    "401": "No valid credentials.",
    "403": "Signed in but not allowed, or the session has not passed two-factor.",
    "404": "No such record, or not one you may see.",
    "411": "A chunked body (no Content-Length header) is not read: send its length.",
    "413": "The request body is larger than the service reads.",
    "429": "Too many requests: try again later.",
    "503": "The database or broker is unavailable for a moment: try again after "
    "the number of seconds in `Retry-After`.",
}
# Operations that read a body answer this when it is not JSON.
UNSUPPORTED_BODY = (
    "415",
    "The body is not JSON: the API reads `application/json` bodies only.",
)
ERROR_REF = {"$ref": "#/components/schemas/Error"}
# Answers that say when to come back.
RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before sending the request again.",
        "schema": {"type": "integer"},
    }
}


def common_answers(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    # One component for every error answer, rather than a copy per operation.
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            answers = list(ERRORS.items())
            if "requestBody" in operation:
                answers.append(UNSUPPORTED_BODY)
            for code, description in answers:
                answer = operation["responses"].setdefault(
                    code,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": ERROR_REF}},
                    },
                )
                if code in ("429", "503"):
                    answer.setdefault("headers", RETRY_AFTER)
            # An operation's own error answers (409, 412, 422) have the same body.
            for code, answer in operation["responses"].items():
                if code[0] in "45" and "content" not in answer:
                    answer["content"] = {"application/json": {"schema": ERROR_REF}}
            for parameter in operation.get("parameters", []):
                schema = parameter.setdefault("schema", {"type": "string"})
                if parameter["name"] in MONTH_PARAMETERS:
                    schema["pattern"] = MONTH_PATTERN
                    parameter.setdefault("description", "A month: YYYY-MM")
    return result
