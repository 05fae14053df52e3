"""Find breaking changes between two versions of an OpenAPI document.

Dedicated tools (oasdiff, openapi-diff) check far more cases; this small version shows the
idea, runs offline in the test suite without a Go or Java binary, and catches these breaks: an
operation removed, a success status no longer answered (200 that became 201), a success
response field removed or no longer always present, a parameter or request field removed, and
a parameter, request field or request body that became required. It does not see changed
types, a field that became nullable, tightened limits (a maximum of 100 that becomes 50),
changed error statuses or changed meaning: use oasdiff for those, and review. Adding things (a
new endpoint, a new optional field) is never reported, and neither is a renamed path variable
(/books/{book_id} to /books/{id}): clients fill it in, they never send its name.
"""

from __future__ import annotations

import re
from typing import Any

METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace", "query")
TEMPLATE = re.compile(r"\{[^{}/]*\}")  # a path variable such as {book_id}


def _by_shape(paths: Any) -> dict[str, dict]:
    """Path items keyed by their shape: /books/{book_id} and /books/{id} are one path."""
    if not isinstance(paths, dict):  # one error type, ValueError, for every invalid document
        raise ValueError(  # noqa: TRY004
            "paths is not an object (fix: the document's 'paths' maps URLs to items)"
        )
    for path, item in paths.items():
        operations = [item.get(method) for method in METHODS] if isinstance(item, dict) else [item]
        operations = [op for op in operations if op is not None]
        if not all(
            isinstance(op, dict) and isinstance(op.get("responses", {}), dict) for op in operations
        ):
            raise ValueError(
                f"{path}: a path item, operation or its responses is not an object (fix: {{...}})"
            )
    return {TEMPLATE.sub("{}", path): item for path, item in paths.items()}


def _resolve(doc: dict, node: Any) -> Any:
    """Follow local $refs ("#/components/schemas/BookOut") to what they name. A chain that
    comes back to itself names nothing: refuse it instead of looping forever."""
    seen: set[str] = set()
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        if not isinstance(ref, str):
            raise ValueError(f"$ref {ref!r} is not a string (fix: write '#/...')")  # noqa: TRY004
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
    for p in params:
        if not (
            isinstance(p, dict) and isinstance(p.get("in"), str) and isinstance(p.get("name"), str)
        ):
            raise ValueError(f"parameter {p!r} lacks 'in' or 'name' (fix: add both)")  # noqa: TRY004
    # A path variable's name is not part of what a client sends: renaming it breaks nobody.
    return {
        f"{p['in']} {p['name']}"
        for p in params
        if p["in"] != "path" and (p.get("required") or not required)
    }


def _input_breaks(old: dict, new: dict, old_item: dict, new_item: dict, old_op: dict, new_op: dict):
    """Inputs a client sends: removing one breaks it (refused as unknown, or silently ignored),
    and so does making one, or the whole body, required."""
    old_in, new_in = old_op.get("requestBody"), new_op.get("requestBody")
    old_schema, new_schema = _json_schema(old, old_in), _json_schema(new, new_in)
    for field in _fields(old, old_schema) - _fields(new, new_schema):
        yield f"request field {field} removed"
    newly = _fields(new, new_schema, required=True) - _fields(old, old_schema, required=True)
    yield from (f"request field {field} is now required" for field in newly)
    if (_resolve(new, new_in) or {}).get("required") and not (_resolve(old, old_in) or {}).get(
        "required"
    ):
        yield "request body is now required"
    for param in _params(old, old_item, old_op) - _params(new, new_item, new_op):
        yield f"parameter {param.split()[1]} removed"
    newly = _params(new, new_item, new_op, True) - _params(old, old_item, old_op, True)
    yield from (f"parameter {param.split()[1]} is now required" for param in newly)


# --8<-- [start:breaking_changes]
def breaking_changes(old: dict, new: dict) -> list[str]:
    """What a client written against `old` would trip over in `new`."""
    problems = []
    _by_shape(old.get("paths", {}))  # the same checks for both documents
    new_paths = _by_shape(new.get("paths", {}))
    for path, old_item in old.get("paths", {}).items():
        new_item = new_paths.get(TEMPLATE.sub("{}", path), {})  # {book_id} is {id}
        for method in (m for m in METHODS if m in old_item):
            where = f"{method.upper()} {path}"
            old_op, new_op = old_item[method], new_item.get(method)
            if new_op is None:
                problems.append(f"{where}: operation removed")
                continue
            new_responses = new_op.get("responses", {})
            for status, response in old_op.get("responses", {}).items():
                if not str(status).startswith("2"):
                    continue  # clients rely on the success statuses and bodies
                if status not in new_responses:  # a client checking for 200 now sees 201
                    now = ", ".join(str(s) for s in new_responses if str(s).startswith("2"))
                    problems.append(f"{where}: success status {status} removed (now {now or '-'})")
                    continue
                before = _json_schema(old, response)
                after = _json_schema(new, new_responses[status])
                kept = _fields(new, after)
                problems += [
                    f"{where} {status}: field {f} removed" for f in _fields(old, before) - kept
                ]
                always = _fields(old, before, required=True)  # required before, so clients
                always -= _fields(new, after, required=True)  # rely on it: may be missing now
                problems += [f"{where} {status}: field {f} is now optional" for f in always & kept]
            problems += [
                f"{where}: {p}" for p in _input_breaks(old, new, old_item, new_item, old_op, new_op)
            ]
    return sorted(problems)


# --8<-- [end:breaking_changes]
