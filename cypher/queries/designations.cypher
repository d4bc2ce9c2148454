// Title: An entity's official designations (listed, delisted, re-designated)
// Description: The entries of imported sanctions lists (cyberkg import-sanctions) that designate the entity:
//   the authority and the state it is part of, the programs, the listing and delisting days, the list entry.
// :param entity => 'TORNADO CASH'
MATCH (e:Entity) WHERE e.id = $entity OR e.name = $entity
MATCH (e)<-[:OBJECT]-(c:Claim {predicate: 'SANCTIONED'})-[:FROM]->(src:SanctionsList) WHERE c.live
MATCH (c)-[:SUBJECT]->(auth:Entity)
OPTIONAL MATCH (auth)-[:PART_OF*0..4]->(st:State)
RETURN e.name AS entity, auth.name AS authority, collect(DISTINCT st.name) AS states, src.programs AS programs,
       c.validFrom AS listedOn, c.validTo AS delistedOn, src.firstSeen AS firstSeen, src.lastSeen AS lastSeen,
       src.title AS entry, src.url AS url
ORDER BY coalesce(listedOn, firstSeen), entry;
