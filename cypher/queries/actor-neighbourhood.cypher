// Title: Everything around an actor (2 hops)
// Description: The actor, what it targeted and compromised, who it is affiliated with, its members and fronts, and
//   who sanctioned or charged them: every typed edge up to two hops away. The second hop does not go through
//   a State (a state is linked to every group it sponsors; use "Sanction networks" for states).
// :param actor => 'APT31'
MATCH (a:Entity)
WHERE a.name = $actor OR a.id = $actor OR $actor IN a.aliases
MATCH p = (a)-[:TARGETED|COMPROMISED|SANCTIONED|CHARGED|AFFILIATED_WITH|MEMBER_OF|FRONT_FOR|PART_OF|BASED_IN]-{1,2}(:Entity)
WHERE length(p) = 1 OR NOT nodes(p)[1]:State
RETURN p
LIMIT 300;
