"""Find breaking changes between two versions of an OpenAPI document.

Dedicated tools (oasdiff, openapi-diff) check far more cases; this small version shows the
idea, runs offline in the test suite without a Go or Java binary, and catches four kinds of
break: an operation removed, a success response field removed, a parameter or request field
removed, and a parameter or request field that became required. It does not see changed
types, tightened limits (a maximum of 100 that becomes 50), changed status codes or changed
meaning: use oasdiff for those, and review. Adding things (a new endpoint, a new optional
field) is never reported.
"""

from __future__ import annotations

from typing import Any

METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace", "query")


def _resolve(doc: dict, node: Any) -> Any:
    """Follow local $refs ("#/components/schemas/BookOut") to what they name. A chain that
    comes back to itself names nothing: refuse it instead of looping forever."""
    seen: set[str] = set()
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        if ref in seen or not ref.startswith("#/"):
            raise ValueError(f"cannot resolve $ref {ref!r} (a cycle, or not in this document)")
        seen.add(ref)
        node = doc
        for part in ref[2:].split("/"):  # JSON Pointer (RFC 6901): ~1 is "/", ~0 is "~"
            key = part.replace("~1", "/").replace("~0", "~")
            if isinstance(node, list) and key.isascii() and key.isdigit() and int(key) < len(node):
                node = node[int(key)]  # an array index, e.g. .../parameters/0
            elif isinstance(node, dict) and key in node:
                node = node[key]
            else:  # a $ref to nothing: say which, instead of a bare KeyError
                raise ValueError(f"cannot resolve $ref {ref!r} (not in this document)")
    return node


def _fields(
    doc: dict,
    schema: Any,
    prefix: str = "",
    required: bool = False,
    expanding: frozenset = frozenset(),
) -> set[str]:
    """Every field a JSON body can hold, as dotted paths ("items[].price"); with
    required=True only the fields that must be present wherever their parent is.
    `expanding` holds the $refs being expanded: a recursive schema (a category whose children
    are categories) is described once, not followed forever."""
    if not isinstance(schema, dict) or schema.get("$ref") in expanding:
        return set()
    expanding = expanding | {schema["$ref"]} if "$ref" in schema else expanding
    schema = _resolve(doc, schema)
    names: set[str] = set()
    for option in schema.get("anyOf", []) + schema.get("oneOf", []) + schema.get("allOf", []):
        names |= _fields(doc, option, prefix, required, expanding)
    if schema.get("type") == "array":
        names |= _fields(doc, schema.get("items"), prefix + "[]", required, expanding)
    properties = schema.get("properties", {})
    listed = schema.get("required", []) if required else properties
    names |= {f"{prefix}.{name}".lstrip(".") for name in listed}
    for name, sub in properties.items():
        names |= _fields(doc, sub, f"{prefix}.{name}", required, expanding)
    return names


def _json_schema(doc: dict, body: Any) -> dict | None:
    """The JSON schema of a response or request body (either may be a $ref itself)."""
    content = (_resolve(doc, body) or {}).get("content", {})
    return content.get("application/json", {}).get("schema")


def _params(doc: dict, path_item: dict, operation: dict, required: bool = False) -> set[str]:
    """Parameters ("query limit"), from the path item and the operation, $refs followed;
    with required=True only the required ones."""
    params = [_resolve(doc, p) for p in path_item.get("parameters", [])]
    params += [_resolve(doc, p) for p in operation.get("parameters", [])]
    return {f"{p['in']} {p['name']}" for p in params if p.get("required") or not required}


# --8<-- [start:breaking_changes]
def breaking_changes(old: dict, new: dict) -> list[str]:
    """What a client written against `old` would trip over in `new`."""
    problems = []
    for path, old_item in old.get("paths", {}).items():
        new_item = new.get("paths", {}).get(path, {})
        for method in METHODS:
            if method not in old_item:
                continue
            where = f"{method.upper()} {path}"
            old_op, new_op = old_item[method], new_item.get(method)
            if new_op is None:
                problems.append(f"{where}: operation removed")
                continue
            for status, response in old_op.get("responses", {}).items():
                if not status.startswith("2"):
                    continue  # clients rely on the success bodies
                before = _fields(old, _json_schema(old, response))
                new_response = new_op.get("responses", {}).get(status)  # responses: optional
                after = _fields(new, _json_schema(new, new_response))
                problems += [f"{where} {status}: field {f} removed" for f in before - after]
            # Inputs a client sends: removing one breaks it (refused as unknown, or ignored),
            # and so does making one required.
            old_in, new_in = old_op.get("requestBody"), new_op.get("requestBody")
            gone = _fields(old, _json_schema(old, old_in)) - _fields(new, _json_schema(new, new_in))
            problems += [f"{where}: request field {f} removed" for f in gone]
            old_body = _fields(old, _json_schema(old, old_in), required=True)
            new_body = _fields(new, _json_schema(new, new_in), required=True)
            problems += [f"{where}: request field {f} is now required" for f in new_body - old_body]
            gone = _params(old, old_item, old_op) - _params(new, new_item, new_op)
            problems += [f"{where}: parameter {p.split()[1]} removed" for p in gone]
            newly = _params(new, new_item, new_op, True) - _params(old, old_item, old_op, True)
            problems += [f"{where}: parameter {p.split()[1]} is now required" for p in newly]
    return sorted(problems)


# --8<-- [end:breaking_changes]
