// Title: Which states sanctioned X? (official lists and news, rolled up to the state)
// Description: Every live SANCTIONED claim about the entity, whichever body its source names (the state, its
//   treasury, OFAC), rolled up through PART_OF to the state; whether an imported official list or an article says so.
// :param entity => 'Wuhan Xiaoruizhi Science and Technology Company'
MATCH (e:Entity) WHERE e.id = $entity OR e.name = $entity
MATCH (e)<-[:OBJECT]-(c:Claim {predicate: 'SANCTIONED'}) WHERE c.live
MATCH (c)-[:SUBJECT]->(body:Entity)-[:PART_OF*0..4]->(st:State)
MATCH (c)-[:FROM]->(src:Source)
RETURN st.name AS state, collect(DISTINCT body.name) AS via,
       any(l IN collect(src:SanctionsList) WHERE l) AS listed, any(a IN collect(src:Article) WHERE a) AS inNews,
       collect(DISTINCT src.title) AS sources
ORDER BY state;
