// Title: From an edge to its evidence
// Description: Every edge from the entity with the claims behind it: the sentence, its certainty, who claims it,
//   and the article it comes from (title, date, URL).
// :param actor => 'APT31'
MATCH (a:Entity)
WHERE a.name = $actor OR a.id = $actor OR $actor IN a.aliases
MATCH (a)-[r]->(t:Entity)
MATCH (c:Claim {edgeKey: r.key}) WHERE c.live
MATCH (c)-[:FROM]->(src:Source)
OPTIONAL MATCH (c)-[:CLAIMED_BY]->(who:Entity)
RETURN type(r) AS predicate,
       t.name AS object,
       r.support AS sources,
       c.certainty AS certainty,
       who.name AS claimedBy,
       c.evidence AS evidence,
       coalesce(src.title, src.id) AS source,
       src.publishedAt AS published,
       src.url AS url
ORDER BY predicate, object;
