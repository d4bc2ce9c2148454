// Title: Who targeted X?
// Description: Every actor, person, organisation or state said to have targeted or compromised the entity, with
//   how many independent sources say so, the strongest certainty and when it was first and last reported.
// :param target => 'Defence'
MATCH (t:Entity)
WHERE t.name = $target OR t.id = $target OR $target IN t.aliases
MATCH (a:Entity)-[r:TARGETED|COMPROMISED]->(t)
RETURN a.name AS actor,
       a.type AS actorType,
       type(r) AS how,
       r.support AS sources,
       r.certainty AS certainty,
       r.firstReported AS firstReported,
       r.lastReported AS lastReported
ORDER BY sources DESC, actor;
