/**
 * The README's GraphQL examples (queries, not mutations) and, for each, the same question as hand-written Cypher
 * (what an engineer would send through neo4j-driver), for `bench:api`. The root fields that are @cypher in
 * graphql/schema.graphql get their statement plus the projection the example asks for; `search` is our own resolver
 * (the same Cypher both ways). The live-claim filter is the one the SDL uses, so both sides give the same answer.
 */
import neo4j from "neo4j-driver";
import { luceneQuery } from "../src/api/resolvers.ts";
import { readmeApiExamples } from "../test/integration/api-client.ts";

export interface Question {
    title: string;
    /** A short name for tables. */
    name: string;
    graphql: string;
    cypher: string;
    params: Record<string, unknown>;
}

const LIVE = "c.retractedAt IS NULL AND coalesce(c.reviewStatus, '') <> 'rejected'";
const byIdOrName = (v: string, param: string) => `MATCH (${v}:Entity) WHERE ${v}.id = $${param} OR ${v}.name = $${param}\nWITH ${v} ORDER BY ${v}.id LIMIT 1`;

const HAND_WRITTEN: { prefix: string; name: string; cypher: string; params: Record<string, unknown> }[] = [
    {
        prefix: "APT31: targets with evidence",
        name: "lookup + evidence",
        params: { name: "APT31", predicate: "TARGETED" },
        cypher: `
MATCH (a:ThreatActor {name: $name})
CALL (a) {
  MATCH (a)-[r:TARGETED]->(t:Entity)
  WITH r, t ORDER BY t.name
  RETURN collect({support: r.support, certainty: r.certainty, firstReported: r.firstReported, name: t.name, type: t.type}) AS targeted
}
CALL (a) {
  CALL (a) {
    MATCH (a)<-[:SUBJECT]-(c:Claim) WHERE c.predicate = $predicate RETURN c
    UNION
    MATCH (a)<-[:OBJECT]-(c:Claim) WHERE c.predicate = $predicate RETURN c
  }
  WITH c WHERE ${LIVE}
  WITH c ORDER BY c.reportedAt DESC, c.id LIMIT 20
  MATCH (c)-[:OBJECT]->(o:Entity)
  MATCH (c)-[:FROM]->(src:Source)
  OPTIONAL MATCH (c)-[:CLAIMED_BY]->(who:Entity)
  RETURN collect({certainty: c.certainty, evidence: c.evidence, object: o.name, claimedBy: who.name, title: src.title, publishedAt: src.publishedAt}) AS evidence
}
RETURN a.name AS name, targeted, evidence`,
    },
    {
        prefix: "Search",
        name: "search",
        params: { lucene: luceneQuery("zirçonium"), first: 10 },
        cypher: `
CALL db.index.fulltext.queryNodes('entity_search', $lucene, {limit: $first})
YIELD node, score
WHERE node:Entity
RETURN score, node.id AS id, node.name AS name, node.type AS type
ORDER BY score DESC, name`,
    },
    {
        prefix: "Path",
        name: "shortest path",
        params: { from: "Zhao Guangzong", to: "China", maxLength: 4 },
        cypher: `
${byIdOrName("a", "from")}
MATCH (b:Entity) WHERE b.id = $to OR b.name = $to
WITH a, b ORDER BY b.id LIMIT 1
MATCH p = shortestPath((a)-[:TARGETED|COMPROMISED|SANCTIONED|CHARGED|AFFILIATED_WITH|MEMBER_OF|FRONT_FOR|PART_OF|BASED_IN*..6]-(b))
WHERE length(p) <= $maxLength
WITH p LIMIT 1
UNWIND range(0, length(p) - 1) AS i
WITH p, i, relationships(p)[i] AS r
WITH p, i, r, startNode(r) AS s, endNode(r) AS o
CALL (r, s, o) {
  MATCH (c:Claim {edgeKey: s.id + '|' + type(r) + '|' + o.id})
  WHERE ${LIVE}
  WITH c ORDER BY c.reportedAt DESC, c.id LIMIT 10
  OPTIONAL MATCH (c)-[:FROM]->(src:Source)
  OPTIONAL MATCH (c)-[:CLAIMED_BY]->(who:Entity)
  RETURN collect({evidence: c.evidence, claimedBy: who.name, source: src.title}) AS evidence
}
WITH p, i, r, s, o, evidence ORDER BY i
RETURN length(p) AS length, [n IN nodes(p) | n.name] AS nodes,
       collect({type: type(r), from: s.name, to: o.name, certainty: r.certainty, evidence: evidence}) AS edges`,
    },
    {
        prefix: "Neighbourhood",
        name: "neighbourhood d2",
        params: { entity: "Wuhan Xiaoruizhi Science and Technology Company", depth: 2, first: 20 },
        cypher: `
${byIdOrName("start", "entity")}
CALL apoc.path.expandConfig(start, {
  relationshipFilter: 'TARGETED|COMPROMISED|SANCTIONED|CHARGED|AFFILIATED_WITH|MEMBER_OF|FRONT_FOR|PART_OF|BASED_IN',
  minLevel: 1, maxLevel: $depth, uniqueness: 'RELATIONSHIP_GLOBAL', bfs: true, limit: $first
}) YIELD path
WITH last(relationships(path)) AS r, length(path) AS depth
RETURN depth, type(r) AS type, startNode(r).name AS from, endNode(r).name AS to, r.certainty AS certainty`,
    },
    {
        prefix: "Sanctioned by two or more sanctioning bodies",
        name: "sanctions overlap",
        params: { minSanctioners: 2, first: 50 },
        // every sanctioning body counts, an agency for its state (through PART_OF), a body of no state as itself
        cypher: `
MATCH (b:Entity)-[:SANCTIONED]->(t:Entity)
OPTIONAL MATCH (b)-[:PART_OF*0..4]->(st:State)
WITH t, collect(DISTINCT coalesce(st, b)) AS bodies
WHERE size(bodies) >= $minSanctioners
ORDER BY size(bodies) DESC, t.name
LIMIT $first
RETURN t.name AS name, t.type AS type, size(bodies) AS sanctionerCount, [x IN bodies | x.name] AS sanctioners`,
    },
    {
        prefix: "Timeline",
        name: "timeline",
        params: { entity: "Ni Gaobin", first: 50 },
        cypher: `
${byIdOrName("e", "entity")}
MATCH (e)<-[:SUBJECT|OBJECT]-(c:Claim)
WITH DISTINCT c WHERE c.retractedAt IS NULL
ORDER BY c.reportedAt, c.predicate, c.id
LIMIT $first
MATCH (c)-[:SUBJECT]->(s:Entity)
MATCH (c)-[:OBJECT]->(o:Entity)
MATCH (c)-[:FROM]->(src:Source)
RETURN c.reportedAt AS reportedAt, c.predicate AS predicate, c.certainty AS certainty, s.name AS subject, o.name AS object, src.title AS source`,
    },
    {
        prefix: "Pagination",
        name: "paginated list",
        params: { name: "United States", first: 2 },
        cypher: `
MATCH (s:State {name: $name})-[r:SANCTIONED]->(t:Entity)
WITH r, t ORDER BY t.name LIMIT $first + 1
WITH collect({support: r.support, certainty: r.certainty, name: t.name, type: t.type}) AS rows
RETURN rows[..$first] AS page, size(rows) > $first AS hasNextPage`,
    },
    {
        prefix: "Co-targeting",
        name: "co-targeting",
        params: { actor: "APT31", first: 20 },
        cypher: `
MATCH (a:ThreatActor) WHERE a.id = $actor OR a.name = $actor
WITH a ORDER BY a.id LIMIT 1
MATCH (a)-[:TARGETED|COMPROMISED]->(t:Entity)<-[:TARGETED|COMPROMISED]-(other:ThreatActor)
WHERE other <> a
WITH other, collect(DISTINCT t) AS shared
ORDER BY size(shared) DESC, other.name
LIMIT $first
RETURN other.name AS actor, size(shared) AS sharedCount, [t IN shared[..20] | t.name] AS sharedTargets`,
    },
];

/** Every README query example, with its hand-written twin; an example without one is an error (add it above). */
export function questions(): Question[] {
    return readmeApiExamples()
        .filter((e) => !e.isMutation)
        .map((e) => {
            const hand = HAND_WRITTEN.find((h) => e.title.startsWith(h.prefix));
            if (!hand) throw new Error(`bench/api-questions.ts: no hand-written Cypher for the README example "${e.title}"`);
            return { title: e.title, name: hand.name, graphql: e.query, cypher: hand.cypher.trim(), params: integers(hand.params) };
        });
}

/** JavaScript numbers travel as floats; LIMIT and APOC's levels need Cypher integers. */
function integers(params: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === "number" && Number.isInteger(v) ? neo4j.int(v) : v]));
}
