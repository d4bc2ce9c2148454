// Title: Edges as recorded at an instant
// Description: The typed edges as cyberkg had them recorded at $asOf (recorded time: before a reload, a retraction
//   or a correction), each with its support and strongest certainty, from the claims live at that instant
//   (cypher/MODEL.md, "Time"). Give $reportedBy (YYYY-MM-DD) to keep only what had been reported by that day.
// :param asOf => '2099-01-01T00:00:00Z'
// :param reportedBy => null
MATCH (c:Claim)
WHERE c.liveFrom <= datetime($asOf) AND (c.liveUntil IS NULL OR c.liveUntil > datetime($asOf))
  AND ($reportedBy IS NULL OR c.reportedAt <= $reportedBy)
MATCH (s)<-[:SUBJECT]-(c)-[:OBJECT]->(o)
WITH s, c.predicate AS predicate, o,
     count(DISTINCT c.supportSource) AS support,
     count(c) AS claims,
     max(c.certaintyRank) AS rank,
     min(c.reportedAt) AS firstReported
RETURN s.name AS subject, predicate, o.name AS object, support, claims,
       CASE rank WHEN 3 THEN 'asserted' WHEN 2 THEN 'likely' WHEN 1 THEN 'alleged' ELSE 'denied' END AS certainty,
       firstReported
ORDER BY subject, predicate, object
LIMIT 1000;
