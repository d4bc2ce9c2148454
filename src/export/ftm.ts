/**
 * `cyberkg export --format ftm`: the graph as FollowTheMoney entities, one JSON object per line
 * (`{"id", "schema", "properties": {name: [values]}}`), for OpenSanctions, Aleph and `ftm` tooling:
 *
 *   Person → Person; Organization → Company (kind company), PublicBody (government) or Organization;
 *   ThreatActor → Organization (topic crime.cyber); State → PublicBody (its country, topic gov.national);
 *   Sectors are not exported (FtM has no schema for them).
 *   each live SANCTIONED claim → Sanction (entity, authority, authority country rolled up through PART_OF,
 *     program, start/end/listing dates, source URL, publisher; official list entries and news reports alike);
 *   MEMBER_OF edge → Membership; AFFILIATED_WITH / PART_OF / FRONT_FOR edge → UnknownLink with that role;
 *   each article → Article; each live claim an article makes → Documentation (the article documents the claim's
 *   subject and object, role = the predicate, summary = the evidence sentence);
 *   digital currency addresses → CryptoWallet (holder = the entity).
 * Ids are stable: `cyberkg-` + the canonical id (`person:ni-gaobin` → `cyberkg-person-ni-gaobin`), claims and
 * edges by their id or a hash of their key. Values are what FtM's types accept (ISO dates, country codes, URLs);
 * a value that is not (an SDN birth date such as "circa 1970") is left out, never written malformed.
 */
import { createHash } from "node:crypto";
import { edgeKey } from "../model/claim-rules.ts";
import { Registry } from "../registry/Registry.ts";
import type { ExportFormat } from "./formats.ts";
import { propertyValue, type ExportGraph, type ExportNode, type Scalar } from "./types.ts";

export interface FtmEntity {
    id: string;
    schema: string;
    properties: Record<string, string[]>;
}

export const ftmFormat: ExportFormat = {
    name: "ftm",
    description: "FollowTheMoney entities as JSON lines (OpenSanctions, Aleph, ftm tools)",
    layout: "file",
    defaultOut: "cyberkg.ftm.jsonl",
    render: (graph) => [{ name: "cyberkg.ftm.jsonl", content: renderFtm(graph).map((e) => JSON.stringify(e)).join("\n") + "\n" }],
};

/** An FtM entity id (FtM allows letters, digits, '.' and '-') for one of our ids. */
export function ftmId(id: string): string {
    return `cyberkg-${id.replace(/[^0-9A-Za-z.]+/g, "-").replace(/-+$/, "")}`;
}

const hashId = (kind: string, key: string) => `cyberkg-${kind}-${createHash("sha256").update(key).digest("hex").slice(0, 24)}`;
const MONTHS: Record<string, string> = { jan: "01", feb: "02", mar: "03", apr: "04", may: "05", jun: "06", jul: "07", aug: "08", sep: "09", oct: "10", nov: "11", dec: "12" };

/** "12 Nov 1985" → "1985-11-12", "Nov 1985" → "1985-11", "1985" / "2024-03-25" kept; anything else undefined. */
export function isoDate(value: string): string | undefined {
    const v = value.trim();
    if (/^\d{4}(-\d{2}(-\d{2})?)?$/.test(v)) return v;
    let m = /^(\d{1,2}) ([A-Za-z]{3})[a-z]* (\d{4})$/.exec(v);
    if (m && MONTHS[m[2]!.toLowerCase()]) return `${m[3]}-${MONTHS[m[2]!.toLowerCase()]}-${m[1]!.padStart(2, "0")}`;
    m = /^([A-Za-z]{3})[a-z]* (\d{4})$/.exec(v);
    if (m && MONTHS[m[1]!.toLowerCase()]) return `${m[2]}-${MONTHS[m[1]!.toLowerCase()]}`;
    return undefined;
}

const strings = (v: Scalar | Scalar[] | undefined): string[] => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).map(String).filter((s) => s.trim() !== ""));
const str = (n: ExportNode, k: string) => strings(propertyValue(n.properties, k))[0];
const url = (u: string) => (/^[a-z][a-z0-9+.-]*:\/\//i.test(u) ? u : `https://${u}`);

export function renderFtm(graph: ExportGraph): FtmEntity[] {
    let registry: Registry | undefined;
    const countryCode = (name: string): string | undefined => {
        registry ??= Registry.load();
        const code = registry.lookup(name.replace(/\s*\(.*\)$/, ""), "State")[0]?.code;
        return code?.toLowerCase();
    };
    const byKey = new Map(graph.nodes.map((n) => [n.key, n]));
    const has = (n: ExportNode, label: string) => n.labels.includes(label);
    const out = new Map<string, FtmEntity>();
    const emit = (id: string, schema: string, props: Record<string, (string | undefined)[]>) => {
        const properties: Record<string, string[]> = {};
        for (const [k, values] of Object.entries(props)) {
            const clean = [...new Set(values.filter((v): v is string => v !== undefined && v.trim() !== ""))];
            if (clean.length) properties[k] = clean;
        }
        out.set(id, { id, schema, properties });
    };

    // relationships by type, and the claim structure
    const rels = (type: string) => graph.relationships.filter((r) => r.type === type);
    const one = (type: string) => new Map(rels(type).map((r) => [r.start, r.end]));
    const subjectOf = one("SUBJECT"), objectOf = one("OBJECT"), sourceOf = one("FROM"), claimant = one("CLAIMED_BY");
    const partOf = new Map<string, string[]>();
    for (const r of rels("PART_OF")) partOf.set(r.start, [...(partOf.get(r.start) ?? []), r.end]);
    const stateOf = (key: string, depth = 0): ExportNode | undefined => {
        const n = byKey.get(key);
        if (!n || depth > 4) return undefined;
        if (has(n, "State")) return n;
        for (const up of partOf.get(key) ?? []) {
            const s = stateOf(up, depth + 1);
            if (s) return s;
        }
        return undefined;
    };
    const basedIn = new Map<string, string[]>();
    for (const r of rels("BASED_IN")) basedIn.set(r.start, [...(basedIn.get(r.start) ?? []), r.end]);
    const sanctioned = new Set(rels("SANCTIONED").map((r) => r.end));

    // entities
    const exported = new Set<string>();
    for (const n of graph.nodes) {
        if (!has(n, "Entity") || has(n, "Sector")) continue;
        const id = ftmId(n.key);
        exported.add(n.key);
        const topics: string[] = [];
        if (sanctioned.has(n.key)) topics.push("sanction");
        const countries = (basedIn.get(n.key) ?? []).map((k) => byKey.get(k)).filter((s): s is ExportNode => Boolean(s)).map((s) => str(s, "code")?.toLowerCase());
        const common = {
            name: [str(n, "name")],
            alias: strings(propertyValue(n.properties, "aliases")),
            description: [str(n, "description")],
            country: countries,
            // FtM identifiers are at most 64 characters: the number without its country note, else left to `notes`
            idNumber: strings(propertyValue(n.properties, "identifiers")).map((i) => i.replace(/\s*\([^)]*\)$/, "")).filter((i) => i.length <= 64),
            email: strings(propertyValue(n.properties, "emails")),
            website: strings(propertyValue(n.properties, "websites")).map(url),
            notes: [str(n, "sdnRemarks")],
            sourceUrl: str(n, "sdnEntNum") ? [`https://sanctionssearch.ofac.treas.gov/Details.aspx?id=${str(n, "sdnEntNum")}`] : [],
        };
        if (has(n, "Person")) {
            const gender = str(n, "gender")?.toLowerCase();
            emit(id, "Person", {
                ...common,
                topics,
                birthDate: strings(propertyValue(n.properties, "birthDates")).map(isoDate),
                birthPlace: strings(propertyValue(n.properties, "birthPlaces")),
                nationality: strings(propertyValue(n.properties, "nationalities")).map(countryCode),
                citizenship: strings(propertyValue(n.properties, "citizenships")).map(countryCode),
                gender: gender === "male" || gender === "female" ? [gender] : [],
                position: [str(n, "role"), str(n, "sdnTitle")],
            });
        } else if (has(n, "State")) {
            emit(id, "PublicBody", { name: common.name, alias: common.alias, country: [str(n, "code")?.toLowerCase()], jurisdiction: [str(n, "code")?.toLowerCase()], topics: ["gov.national"] });
        } else {
            const kind = str(n, "kind");
            const schema = has(n, "ThreatActor") ? "Organization" : kind === "company" ? "Company" : kind === "government" ? "PublicBody" : "Organization";
            if (has(n, "ThreatActor")) topics.push("crime.cyber");
            if (kind === "government") topics.push("gov");
            emit(id, schema, { ...common, topics, incorporationDate: strings(propertyValue(n.properties, "establishedOn")).map(isoDate) });
        }
        for (const address of strings(propertyValue(n.properties, "cryptoAddresses"))) {
            const [currency, ...key] = address.split(/\s+/);
            if (!key.length || key.join(" ").length > 64) continue; // FtM identifiers are at most 64 characters (the address stays in `notes`)
            emit(hashId("wallet", `${n.key}|${address}`), "CryptoWallet", { publicKey: [key.join(" ")], currency: [currency], holder: [id] });
        }
    }

    // sources
    for (const n of graph.nodes) {
        if (!has(n, "Article")) continue;
        emit(ftmId(n.key), "Article", {
            title: [str(n, "title")],
            name: [str(n, "title")],
            publishedAt: [str(n, "publishedAt")].map((d) => (d ? isoDate(d.slice(0, 10)) : undefined)),
            sourceUrl: [str(n, "url")],
            publisher: [str(n, "publisher")],
        });
    }

    // claims: sanctions (per claim) and documentation of the news' claims
    const claims = graph.nodes.filter((n) => has(n, "Claim") && propertyValue(n.properties, "live") !== false && !str(n, "retractedAt") && str(n, "reviewStatus") !== "rejected");
    for (const c of claims) {
        const s = subjectOf.get(c.key), o = objectOf.get(c.key), src = sourceOf.get(c.key);
        if (!s || !o || !exported.has(o)) continue;
        const source = src ? byKey.get(src) : undefined;
        const predicate = str(c, "predicate");
        if (predicate === "SANCTIONED") {
            const authority = byKey.get(s);
            const state = stateOf(s);
            const list = source && has(source, "SanctionsList");
            emit(hashId("sanction", c.key), "Sanction", {
                entity: [ftmId(o)],
                authority: [authority ? str(authority, "name") : undefined],
                country: [state ? str(state, "code")?.toLowerCase() : undefined],
                program: source ? strings(propertyValue(source.properties, "programs")) : [],
                startDate: [str(c, "validFrom")].map((d) => (d ? isoDate(d) : undefined)),
                endDate: [str(c, "validTo")].map((d) => (d ? isoDate(d) : undefined)),
                listingDate: list ? [str(c, "validFrom")].map((d) => (d ? isoDate(d) : undefined)) : [],
                date: [str(c, "reportedAt")].map((d) => (d ? isoDate(d) : undefined)),
                sourceUrl: source ? [str(source, "url")] : [],
                publisher: source ? [str(source, "publisher")] : [],
                recordId: list ? [str(source!, "entryId")] : [],
                summary: [str(c, "evidence")],
                status: [str(c, "certainty")],
            });
        }
        if (source && has(source, "Article")) {
            for (const [end, key] of [["s", s], ["o", o]] as const) {
                if (!exported.has(key)) continue;
                emit(hashId("doc", `${c.key}|${end}`), "Documentation", {
                    document: [ftmId(source.key)],
                    entity: [ftmId(key)],
                    role: [`${end === "s" ? "subject" : "object"} of ${predicate}${claimant.get(c.key) ? `, claimed by ${str(byKey.get(claimant.get(c.key)!)!, "name")}` : ""}`],
                    summary: [str(c, "evidence")],
                    date: [str(c, "reportedAt")].map((d) => (d ? isoDate(d) : undefined)),
                    status: [str(c, "certainty")],
                });
            }
        }
    }
    // no claims exported (--entities-only): one Sanction per SANCTIONED edge
    if (claims.length === 0) {
        for (const r of rels("SANCTIONED")) {
            if (!exported.has(r.end)) continue;
            const state = stateOf(r.start);
            emit(hashId("sanction", edgeKey(r.start, "SANCTIONED", r.end)), "Sanction", { entity: [ftmId(r.end)], authority: [str(byKey.get(r.start)!, "name")], country: [state ? str(state, "code")?.toLowerCase() : undefined] });
        }
    }

    // typed edges → Membership / UnknownLink
    const ROLES: Record<string, string> = { AFFILIATED_WITH: "affiliated with", PART_OF: "part of", FRONT_FOR: "front for" };
    for (const r of graph.relationships) {
        if (!exported.has(r.start) || !exported.has(r.end)) continue;
        const key = edgeKey(r.start, r.type, r.end);
        const dates = { startDate: [] as (string | undefined)[], date: [str({ key: "", labels: [], properties: r.properties }, "firstReported")].map((d) => (d ? isoDate(d) : undefined)) };
        if (r.type === "MEMBER_OF") emit(hashId("membership", key), "Membership", { member: [ftmId(r.start)], organization: [ftmId(r.end)], role: ["member"], ...dates, status: [strings(propertyValue(r.properties, "certainty"))[0]] });
        else if (ROLES[r.type]) emit(hashId("link", key), "UnknownLink", { subject: [ftmId(r.start)], object: [ftmId(r.end)], role: [ROLES[r.type]], ...dates, status: [strings(propertyValue(r.properties, "certainty"))[0]] });
    }
    return [...out.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
