// Title: What changed since a date
// Description: Claims recorded or retracted since the date (when cyberkg learnt or withdrew them, not when the
//   events happened), newest first. "As known on date D" is the same test on loadedAt and retractedAt.
// :param since => '2024-01-01'
MATCH (c:Claim)-[:FROM]->(src:Source)
WHERE c.loadedAt >= datetime($since) OR c.retractedAt >= datetime($since)
MATCH (c)-[:SUBJECT]->(s:Entity)
MATCH (c)-[:OBJECT]->(o:Entity)
RETURN CASE WHEN c.retractedAt >= datetime($since) THEN 'retracted' ELSE 'added' END AS change,
       coalesce(c.retractedAt, c.loadedAt) AS at,
       s.name AS subject,
       c.predicate AS predicate,
       o.name AS object,
       c.certainty AS certainty,
       coalesce(src.title, src.id) AS source
ORDER BY at DESC, subject, predicate, object
LIMIT 500;
