// Title: Claims that are only 'alleged'
// Description: Edges whose strongest certainty is 'alleged' (no source asserts them or calls them likely), with
//   who makes the allegation, the evidence and the source: the facts to treat with care.
MATCH (s:Entity)-[r]->(o:Entity)
WHERE r.certainty = 'alleged'
MATCH (c:Claim {edgeKey: r.key}) WHERE c.live
MATCH (c)-[:FROM]->(src:Source)
OPTIONAL MATCH (c)-[:CLAIMED_BY]->(who:Entity)
RETURN s.name AS subject,
       type(r) AS predicate,
       o.name AS object,
       r.support AS sources,
       collect(DISTINCT who.name) AS claimedBy,
       collect(DISTINCT c.evidence) AS evidence,
       collect(DISTINCT src.title) AS reportedIn
ORDER BY subject, predicate, object;
