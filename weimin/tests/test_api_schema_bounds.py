"""Issue 9, item 8: every API input declares its length or range in the schema (core/text.py's Text, Id,
Day, Instant, or Field bounds), so that a new endpoint cannot take unbounded text or numbers to the
database. Reads the OpenAPI document the API publishes."""

from weimin.api import api


def unbounded(schema: dict, components: dict, where: str) -> list[str]:
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    found = []
    for key in ("anyOf", "oneOf", "allOf"):
        for part in schema.get(key, []):
            found += unbounded(part, components, where)
    kind = schema.get("type")
    # Dates and instants are parsed, and ranged by Day() / Instant().
    bounded = {"enum", "const", "maxLength"} & schema.keys() or schema.get("format") in ("date", "date-time")
    if kind == "string" and not bounded:
        found.append(f"{where}: a string without maxLength")
    if kind == "integer" and not {"minimum", "maximum"} <= schema.keys() and "enum" not in schema:
        found.append(f"{where}: an integer without minimum and maximum")
    if kind == "array":
        if "maxItems" not in schema:
            found.append(f"{where}: an array without maxItems")
        found += unbounded(schema.get("items", {}), components, f"{where}[]")
    for name, prop in schema.get("properties", {}).items():
        found += unbounded(prop, components, f"{where}.{name}")
    return found


def test_every_api_input_has_its_length_or_range_in_the_schema(db):
    document = api.get_openapi_schema(path_prefix="/api/")
    components = document.get("components", {}).get("schemas", {})
    found, inputs = [], 0
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                inputs += 1
                where = f"{method.upper()} {path} {parameter['in']} {parameter['name']}"
                found += unbounded(parameter["schema"], components, where)
            for content in operation.get("requestBody", {}).get("content", {}).values():
                inputs += 1
                found += unbounded(content["schema"], components, f"{method.upper()} {path} body")
    assert inputs > 40
    assert found == []
