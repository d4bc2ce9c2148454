// Title: Shortest path between two entities
// Description: How two entities are connected through typed edges (any direction), e.g. from a sanctioned front
//   company to the people its actor targeted. Click an edge to see its support and certainty.
// :param from => 'Wuhan Xiaoruizhi Science and Technology Company'
// :param to => 'UK politicians'
MATCH (a:Entity)
WHERE a.name = $from OR a.id = $from OR $from IN a.aliases
MATCH (b:Entity)
WHERE b.name = $to OR b.id = $to OR $to IN b.aliases
MATCH p = shortestPath((a)-[:TARGETED|COMPROMISED|SANCTIONED|CHARGED|AFFILIATED_WITH|MEMBER_OF|FRONT_FOR|PART_OF|BASED_IN*..8]-(b))
RETURN p;
