"""Find breaking changes between two versions of an OpenAPI document.

Dedicated tools (oasdiff, openapi-diff) check far more cases; this small version shows the
idea, runs offline in the test suite without a Go or Java binary, and catches the common
breaks: an operation removed, a response field removed, a request field or parameter that
became required. Adding things (a new endpoint, a new optional field) is never reported.
"""

from __future__ import annotations

from typing import Any

METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def _resolve(doc: dict, schema: dict) -> dict:
    """Follow a local $ref ("#/components/schemas/BookOut") to the schema it names."""
    while "$ref" in schema:
        node: Any = doc
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def _fields(doc: dict, schema: dict | None, prefix: str = "", required: bool = False) -> set[str]:
    """Every field a JSON body can hold, as dotted paths ("items[].price"); with
    required=True only the fields that must be present wherever their parent is."""
    if not schema:
        return set()
    schema = _resolve(doc, schema)
    names: set[str] = set()
    for option in schema.get("anyOf", []) + schema.get("oneOf", []):  # e.g. string | null
        names |= _fields(doc, option, prefix, required)
    if schema.get("type") == "array":
        names |= _fields(doc, schema.get("items"), prefix + "[]", required)
    properties = schema.get("properties", {})
    listed = schema.get("required", []) if required else properties
    names |= {f"{prefix}.{name}".lstrip(".") for name in listed}
    for name, sub in properties.items():
        names |= _fields(doc, sub, f"{prefix}.{name}", required)
    return names


def _json_schema(doc: dict, body: dict | None) -> dict | None:
    content = (body or {}).get("content", {})
    return content.get("application/json", {}).get("schema")


# --8<-- [start:breaking_changes]
def breaking_changes(old: dict, new: dict) -> list[str]:
    """What a client written against `old` would trip over in `new`."""
    problems = []
    for path, old_item in old.get("paths", {}).items():
        for method in METHODS:
            if method not in old_item:
                continue
            where = f"{method.upper()} {path}"
            new_op = new.get("paths", {}).get(path, {}).get(method)
            if new_op is None:
                problems.append(f"{where}: operation removed")
                continue
            old_op = old_item[method]
            for status, response in old_op.get("responses", {}).items():
                if not status.startswith("2"):
                    continue  # clients rely on the success bodies
                before = _fields(old, _json_schema(old, response))
                after = _fields(new, _json_schema(new, new_op["responses"].get(status)))
                problems += [f"{where} {status}: field {f} removed" for f in before - after]
            old_body = _fields(old, _json_schema(old, old_op.get("requestBody")), required=True)
            new_body = _fields(new, _json_schema(new, new_op.get("requestBody")), required=True)
            problems += [f"{where}: request field {f} is now required" for f in new_body - old_body]
            old_required = {p["name"] for p in old_op.get("parameters", []) if p.get("required")}
            for param in new_op.get("parameters", []):
                if param.get("required") and param["name"] not in old_required:
                    problems.append(f"{where}: parameter {param['name']} is now required")
    return sorted(problems)


# --8<-- [end:breaking_changes]
