"""Validates a FollowTheMoney JSON-lines file with the `followthemoney` package and reads it back.

    python ftm_check.py <file.ftm.jsonl>

Each line must be an entity of a known schema with a valid id, only properties of its schema, every value valid
for its property's type, its required properties present, and every entity reference resolving to an entity of
the file. Prints a JSON summary (counts by schema, problems, and the entities re-read through EntityProxy).
"""
import json
import sys

from followthemoney import model
from followthemoney.proxy import EntityProxy
from followthemoney.types import registry


def main(path: str) -> int:
    problems: list[str] = []
    entities: dict[str, dict] = {}
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            data = json.loads(line)
            where = f"line {number} ({data.get('id')})"
            schema = model.get(data.get("schema", ""))
            if schema is None:
                problems.append(f"{where}: unknown schema {data.get('schema')!r}")
                continue
            if not registry.entity.validate(data.get("id", "")):
                problems.append(f"{where}: invalid id")
            if data["id"] in entities:
                problems.append(f"{where}: id repeats")
            for name, values in data.get("properties", {}).items():
                prop = schema.get(name)
                if prop is None:
                    problems.append(f"{where}: {schema.name} has no property {name!r}")
                    continue
                for value in values:
                    if not prop.type.validate(value):
                        problems.append(f"{where}: {name}={value!r} is not a valid {prop.type.name}")
            for name in schema.required:
                if not data.get("properties", {}).get(name):
                    problems.append(f"{where}: required {name!r} missing")
            try:
                schema.validate(data)
            except Exception as error:  # noqa: BLE001 - reported
                problems.append(f"{where}: {error}")
            entities[data["id"]] = data
    counts: dict[str, int] = {}
    proxies = {}
    for entity_id, data in entities.items():
        proxy = EntityProxy.from_dict(data, cleaned=False)
        proxies[entity_id] = proxy
        counts[proxy.schema.name] = counts.get(proxy.schema.name, 0) + 1
        for prop, value in proxy.itervalues():
            if prop.type == registry.entity and value not in entities:
                problems.append(f"{entity_id}: {prop.name} -> {value} is not an entity of the file")
    reread = {eid: {"schema": p.schema.name, "caption": p.caption, "properties": p.to_dict()["properties"]} for eid, p in proxies.items()}
    print(json.dumps({"entities": len(entities), "counts": counts, "problems": problems, "reread": reread}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
