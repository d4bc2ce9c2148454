// Title: From official listing to the first news report (lag in days)
// Description: Entities both designated on an imported list and reported sanctioned by the same state in an
//   article: the listing day, the first report and the days between (negative: the news came first).
MATCH (c:Claim {predicate: 'SANCTIONED'})-[:FROM]->(src:SanctionsList)
WHERE c.live AND c.validFrom IS NOT NULL
MATCH (c)-[:SUBJECT]->(auth:Entity)
MATCH (c)-[:OBJECT]->(e:Entity)
WITH c, src, e, COLLECT { MATCH (auth)-[:PART_OF*0..4]->(st:State) RETURN DISTINCT st } AS states
WITH c, src, e, states, COLLECT {
  MATCH (e)<-[:OBJECT]-(n:Claim {predicate: 'SANCTIONED'})-[:FROM]->(:Article) WHERE n.live
  MATCH (n)-[:SUBJECT]->(:Entity)-[:PART_OF*0..4]->(st:State) WHERE st IN states
  RETURN n.reportedAt AS at ORDER BY at LIMIT 1 } AS news
WITH c, src, e, states, news[0] AS firstReported WHERE firstReported IS NOT NULL
RETURN e.name AS entity, [s IN states | s.name] AS states, c.validFrom AS listedOn, firstReported,
       duration.inDays(date(c.validFrom), date(firstReported)).days AS lagDays, src.title AS entry
ORDER BY abs(lagDays) DESC, entity
LIMIT 100;
