/**
 * The claim rules, written once. Every writer (loader, retract, merge) goes through these; every reader
 * (GraphQL @cypher fields, starter queries, notebooks, exports) reads the properties they store and never
 * re-derives them (test/unit checks the SDL, cypher/queries and notebooks for that).
 *
 * A claim's recorded-time life is one interval, stored on the claim when it is written:
 * - `liveFrom`: when it started to count (its load time), absent for a claim loaded as `rejected` (never counts);
 * - `liveUntil`: when it stopped counting: retracted (`retractedAt`) or superseded by a changed version of its
 *   source (`supersededAt`); absent while it counts;
 * - `live`: `liveFrom` set and `liveUntil` absent — the current graph is made of live claims only.
 * "As recorded at T" = the claims with `liveFrom <= T < liveUntil` (LIVE_AT below, the one Cypher form).
 *
 * Support: a claim counts towards its edge's support through `supportSource`, the id of its source when that
 * source is independent; absent for the registry (our own reference knowledge) and for anything we derived
 * ourselves. An edge's support is `count(DISTINCT c.supportSource)` over its live claims.
 */
import { CERTAINTY_RANK, type ReviewStatus } from "./vocabulary.ts";

/** The edge key of a claim: "<subject id>|<predicate>|<object id>" (indexed `Claim.edgeKey`, and `key` on the typed edge). */
export function edgeKey(subject: string, predicate: string, object: string): string {
    return `${subject}|${predicate}|${object}`;
}

/** The Cypher condition "claim `c` counted at `$t`" (recorded time): the only as-of rule. */
export function liveAt(claim = "c", instant = "$asOf"): string {
    return `${claim}.liveFrom <= ${instant} AND (${claim}.liveUntil IS NULL OR ${claim}.liveUntil > ${instant})`;
}

/** The Cypher condition "claim `c` is in the current graph". */
export function liveNow(claim = "c"): string {
    return `${claim}.live`;
}

/** Whether a claim loaded with this review status ever counts. */
export function countsWhenLoaded(reviewStatus: ReviewStatus | undefined): boolean {
    return reviewStatus !== "rejected";
}

/**
 * Cypher that ends the recorded life of the claims bound to `c` at `$now`: `live` false, `liveUntil` set once
 * (a claim that already stopped counting keeps its first end).
 */
export const END_LIFE = "SET c.live = false, c.liveUntil = coalesce(c.liveUntil, datetime($now))";

/**
 * The Cypher expression naming the certainty of a rank (an edge's certainty is its strongest live claim's:
 * `max(c.certaintyRank)`), the inverse of CERTAINTY_RANK: `CASE <rank> WHEN 3 THEN 'asserted' … ELSE 'denied' END`.
 * The loader uses it; the SDL's and the starter queries' copies are checked against it (one-definition.test.ts).
 */
export function certaintyOfRank(rank: string): string {
    const byRank = (Object.entries(CERTAINTY_RANK) as [string, number][]).sort((a, b) => b[1] - a[1]);
    const [lowest] = byRank.pop()!;
    return `CASE ${rank} ${byRank.map(([certainty, r]) => `WHEN ${r} THEN '${certainty}'`).join(" ")} ELSE '${lowest}' END`;
}
