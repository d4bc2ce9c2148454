// Title: Co-targeting actors
// Description: Pairs of actors that targeted or compromised the same entities, most shared targets first: a hint of
//   shared tasking, a shared intelligence requirement, or one actor tracked under two names.
MATCH (a1:ThreatActor)-[:TARGETED|COMPROMISED]->(t:Entity)<-[:TARGETED|COMPROMISED]-(a2:ThreatActor)
WHERE a1.id < a2.id
RETURN a1.name AS actor1,
       a2.name AS actor2,
       count(DISTINCT t) AS sharedTargets,
       collect(DISTINCT t.name) AS targets
ORDER BY sharedTargets DESC, actor1, actor2;
