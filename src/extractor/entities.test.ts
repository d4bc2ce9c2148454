/** Stage 2–3 (entity linking and coreference) on its own: no parser needed. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Registry } from "../registry/Registry.ts";
import { EntityTable } from "./entities.ts";
import { lexiconFor } from "./lexicon.ts";
import type { Mention } from "./mentions.ts";

const mention = (text: string, type: Mention["type"], extra: Partial<Mention> = {}): Mention => ({ sent: 0, start: 1, end: 1, head: 1, text, type, source: "ner", ...extra });

test("an entity folded into another by an alias is gone from every lookup, past mention and set", () => {
    const table = new EntityTable(lexiconFor(Registry.load()));
    // a person the tagger saw first, later given as another name of a group ("APT99, also tracked as Grey Heron")
    const drop = table.link(mention("Grey Heron", "Person"))!;
    const other = table.link(mention("Ivan Petrov", "Person"))!;
    const keep = table.link(mention("APT99", "ThreatActor"))!;
    table.note(drop, 0, 1, true);
    table.noteSet([drop, other], 0);
    table.merge(keep, drop);
    assert.equal(table.byId.has(drop.id), false);
    // the name, under either type, now names the group (before, it gave back the dropped entity: a crash later)
    assert.equal(table.link(mention("Grey Heron", "Person")), keep);
    assert.equal(table.link(mention("Grey Heron", "ThreatActor")), keep);
    assert.ok(keep.aliases.has("Grey Heron"));
    assert.deepEqual(table.history.map((h) => h.entity), [keep]);
    assert.deepEqual(table.sets.at(-1)!.members, [keep, other]);
});
