// Title: What changed since a date
// Description: Claims recorded, retracted or superseded (by a changed version of their article) since the date
//   (recorded time: when cyberkg learnt or withdrew them, not when the events happened), newest first.
//   "The graph as recorded at T" is the starter query "Edges as recorded at an instant".
// :param since => '2024-01-01'
MATCH (c:Claim)-[:FROM]->(src:Source)
WHERE c.loadedAt >= datetime($since) OR c.liveUntil >= datetime($since)
MATCH (c)-[:SUBJECT]->(s:Entity)
MATCH (c)-[:OBJECT]->(o:Entity)
RETURN CASE WHEN c.retractedAt >= datetime($since) THEN 'retracted'
            WHEN c.supersededAt >= datetime($since) THEN 'superseded' ELSE 'added' END AS change,
       CASE WHEN c.liveUntil >= datetime($since) THEN c.liveUntil ELSE c.loadedAt END AS at,
       s.name AS subject,
       c.predicate AS predicate,
       o.name AS object,
       c.certainty AS certainty,
       coalesce(src.title, src.id) AS source
ORDER BY at DESC, subject, predicate, object
LIMIT 500;
