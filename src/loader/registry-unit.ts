/**
 * The registry as a source of its own: its entities (threat actors, agencies, sectors, and the states they
 * point at) and its facts (PART_OF, AFFILIATED_WITH) load as claims of `registry:cyberkg` with the registry's
 * version, so every edge still answers "who says so".
 */
import type { Registry } from "../registry/Registry.ts";
import type { LoadUnit, UnitEntity } from "./load-unit.ts";

export const REGISTRY_SOURCE_ID = "registry:cyberkg";

export function unitFromRegistry(registry: Registry): LoadUnit {
    const facts = registry.facts();
    const wanted = new Set<string>(facts.flatMap((f) => [f.subject, f.object]));
    for (const e of registry.entities()) if (e.type !== "State") wanted.add(e.id);
    const entities: UnitEntity[] = registry
        .entities()
        .filter((e) => wanted.has(e.id))
        .map((e) => ({
            localId: e.id,
            canonical: true,
            type: e.type,
            name: e.name,
            aliases: e.aliases,
            attributes: { code: e.code, kind: e.kind, description: e.description },
        }));
    return {
        origin: "registry",
        source: { id: REGISTRY_SOURCE_ID, label: "Registry", title: "cyberkg registry (countries, threat actors, agencies, sectors)", version: registry.version },
        entities,
        facts: facts.map((f) => ({
            subject: f.subject,
            predicate: f.predicate,
            object: f.object,
            certainty: "asserted" as const,
            extractor: { name: "registry", version: registry.version },
            confidence: 1,
            reviewStatus: "accepted" as const,
        })),
        contentHash: registry.version,
    };
}
