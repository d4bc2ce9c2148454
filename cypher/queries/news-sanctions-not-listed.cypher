// Title: Sanctions in the news that no imported list has
// Description: Articles' live SANCTIONED claims by a state (or one of its bodies, through PART_OF) that has an
//   imported official list, where no list of that state designates the entity.
MATCH (:SanctionsList)<-[:FROM]-(:Claim {predicate: 'SANCTIONED'})-[:SUBJECT]->(auth:Entity)
WITH DISTINCT auth
MATCH (auth)-[:PART_OF*0..4]->(listing:State)
WITH collect(DISTINCT listing) AS listingStates
MATCH (n:Claim {predicate: 'SANCTIONED'})-[:FROM]->(a:Article) WHERE n.live
MATCH (n)-[:SUBJECT]->(body:Entity)-[:PART_OF*0..4]->(st:State) WHERE st IN listingStates
MATCH (n)-[:OBJECT]->(e:Entity)
WITH DISTINCT n, a, body, st, e
WHERE NOT EXISTS {
  MATCH (e)<-[:OBJECT]-(c:Claim {predicate: 'SANCTIONED'})-[:FROM]->(:SanctionsList) WHERE c.live
  MATCH (c)-[:SUBJECT]->(:Entity)-[:PART_OF*0..4]->(st)
}
RETURN e.name AS entity, st.name AS state, body.name AS sanctionedBy, n.reportedAt AS reportedAt, a.title AS article, n.evidence AS evidence
ORDER BY reportedAt DESC, entity
LIMIT 100;
