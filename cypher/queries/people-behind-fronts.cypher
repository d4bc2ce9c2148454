// Title: People behind front companies
// Description: Companies said to be fronts for a threat actor, the people who are members of that actor or
//   affiliated with the company, and the states that sanctioned the company (whichever body a source names:
//   the state, its treasury, OFAC — rolled up through PART_OF).
MATCH (front:Organization)-[f:FRONT_FOR]->(actor:ThreatActor)
OPTIONAL MATCH (person:Person)-[:MEMBER_OF|AFFILIATED_WITH]->(x:Entity)
  WHERE x = actor OR x = front
OPTIONAL MATCH (front)<-[:SANCTIONED]-(:Entity)-[:PART_OF*0..4]->(state:State)
RETURN front.name AS company,
       actor.name AS actor,
       f.certainty AS certainty,
       collect(DISTINCT person.name) AS people,
       collect(DISTINCT state.name) AS sanctionedBy
ORDER BY company;
