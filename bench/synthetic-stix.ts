/**
 * A foreign STIX 2.1 bundle of a given size, the same for the same sizes: intrusion-sets with aliases,
 * organisation identities, `targets` and `attributed-to` relationships (one in ten). Used by `bench:stix` and by the
 * transaction-timeout test of import-stix (test/integration/stix.int.test.ts).
 */
import { createHash } from "node:crypto";

export interface SyntheticSize {
    actors: number;
    targets: number;
    relationships: number;
}

/** A UUID-shaped id derived from a string. */
function uuid(key: string): string {
    const h = createHash("sha256").update(key).digest("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function syntheticBundle({ actors, targets, relationships }: SyntheticSize, seed = "bench"): { type: "bundle"; id: string; objects: Record<string, unknown>[] } {
    const created = "2024-01-01T00:00:00.000Z";
    const objects: Record<string, unknown>[] = [];
    const actorId = (i: number) => `intrusion-set--${uuid(`${seed} actor ${i}`)}`;
    const targetId = (i: number) => `identity--${uuid(`${seed} target ${i}`)}`;
    for (let i = 0; i < actors; i++) {
        objects.push({ type: "intrusion-set", spec_version: "2.1", id: actorId(i), created, modified: created, name: `Bench Group ${i}`, aliases: [`BG-${i}`, `Bench Panda ${i}`], description: `A synthetic group (${i}) for the import benchmark.` });
    }
    for (let i = 0; i < targets; i++) {
        objects.push({ type: "identity", spec_version: "2.1", id: targetId(i), created, modified: created, name: `Bench Target Organisation ${i}`, identity_class: "organization", sectors: [i % 2 ? "government-national" : "energy"] });
    }
    for (let r = 0; r < relationships; r++) {
        const actor = r % actors;
        const attributed = r % 10 === 9; // one in ten: the group is attributed to an organisation
        const target = (r * 7919 + Math.floor(r / actors)) % targets;
        objects.push({ type: "relationship", spec_version: "2.1", id: `relationship--${uuid(`${seed} rel ${r}`)}`, created, modified: created, relationship_type: attributed ? "attributed-to" : "targets", source_ref: actorId(actor), target_ref: targetId(target) });
    }
    return { type: "bundle", id: `bundle--${uuid(seed)}`, objects };
}
