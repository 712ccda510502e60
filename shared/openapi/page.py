"""The documentation page's content, read from the same OpenAPI document that clients get."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def _ref_name(schema: Mapping[str, Any]) -> str | None:
    ref = str(schema.get("$ref", ""))
    return ref.rsplit("/", 1)[-1] if ref else None


def type_of(schema: Mapping[str, Any]) -> tuple[str, str | None]:
    """A JSON schema's type in words, and the name of the component schema it links to, if any."""
    name = _ref_name(schema)
    if name:
        return name, name
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            parts = [type_of(s) for s in schema[key]]
            return " or ".join(p[0] for p in parts), next((p[1] for p in parts if p[1]), None)
    kinds = schema.get("type", "any")
    words, link = [], None
    for kind in kinds if isinstance(kinds, list) else [kinds]:
        if kind == "array":
            inner, link = type_of(schema.get("items", {}))
            words.append(f"list of {inner}")
        else:
            words.append(f"{kind} ({schema['format']})" if "format" in schema and kind != "null" else kind)
    return " or ".join(words), link


_CONSTRAINTS = (
    ("minLength", "at least {} characters"),
    ("maxLength", "at most {} characters"),
    ("minimum", "at least {}"),
    ("maximum", "at most {}"),
    ("pattern", "matches {}"),
    ("default", "{} if left out"),
)


def notes(schema: Mapping[str, Any]) -> str:
    out = [str(schema["description"])] if schema.get("description") else []
    if "enum" in schema:
        out.append("one of: " + ", ".join(str(v) for v in schema["enum"]))
    out.extend(words.format(schema[key]) for key, words in _CONSTRAINTS if key in schema)
    return "; ".join(out)


def _row(name: str, schema: Mapping[str, Any], required: bool, where: str | None = None) -> dict[str, Any]:
    words, link = type_of(schema)
    return {
        "name": name,
        "in": where,
        "type": words,
        "link": link,
        "required": required,
        "notes": notes(schema),
    }


def _body_of(answer: Mapping[str, Any]) -> dict[str, Any] | None:
    content: Mapping[str, Any] = answer.get("content") or {}
    if not content:
        return None
    media = next(iter(content))
    if media != "application/json":
        return {"type": " or ".join(content), "link": None}
    words, link = type_of(content[media].get("schema", {}))
    return {"type": words, "link": link}


def page(doc: Mapping[str, Any]) -> dict[str, Any]:
    """What the documentation page shows: operations, their parameters and answers, then the schemas."""
    operations = []
    for path, item in doc.get("paths", {}).items():
        for method, op in item.items():
            operations.append(
                {
                    "id": op["operationId"],
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "parameters": [
                        _row(p["name"], p.get("schema", {}), bool(p.get("required")), p["in"])
                        for p in op.get("parameters", [])
                    ],
                    "body": _body_of(op["requestBody"]) if "requestBody" in op else None,
                    "responses": [
                        {
                            "status": status,
                            "description": answer.get("description", ""),
                            "body": _body_of(answer),
                        }
                        for status, answer in op.get("responses", {}).items()
                    ],
                }
            )
    schemas = [
        {
            "name": name,
            "rows": [
                _row(prop, sub, prop in schema.get("required", []))
                for prop, sub in schema.get("properties", {}).items()
            ],
        }
        for name, schema in sorted(doc.get("components", {}).get("schemas", {}).items())
    ]
    return {"operations": operations, "schemas": schemas, "undocumented": doc.get("x-undocumented", [])}
