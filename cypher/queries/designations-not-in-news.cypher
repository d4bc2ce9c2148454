// Title: Official designations no article reports
// Description: Live listings of imported sanctions lists, listed on or after $since, for which no article
//   reports that the same state (rolled up through PART_OF) sanctioned the entity: what the news missed.
// :param since => '2024-01-01'
MATCH (c:Claim {predicate: 'SANCTIONED'})-[:FROM]->(src:SanctionsList)
WHERE c.live AND coalesce(c.validFrom, src.firstSeen) >= $since
MATCH (c)-[:SUBJECT]->(auth:Entity)
MATCH (c)-[:OBJECT]->(e:Entity)
WITH c, src, auth, e, COLLECT { MATCH (auth)-[:PART_OF*0..4]->(st:State) RETURN DISTINCT st } AS states
WHERE NOT EXISTS {
  MATCH (e)<-[:OBJECT]-(n:Claim {predicate: 'SANCTIONED'})-[:FROM]->(:Article) WHERE n.live
  MATCH (n)-[:SUBJECT]->(:Entity)-[:PART_OF*0..4]->(st:State) WHERE st IN states
}
RETURN e.name AS entity, e.type AS type, auth.name AS authority, [s IN states | s.name] AS states,
       coalesce(c.validFrom, src.firstSeen) AS listedOn, src.programs AS programs, src.title AS entry
ORDER BY listedOn DESC, entity
LIMIT 100;
