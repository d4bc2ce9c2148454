// Title: Sanction networks
// Description: Who sanctioned whom, and what the sanctioned companies, people and groups are linked to
//   (fronts, memberships, affiliations): the graph a sanctions analyst starts from.
MATCH p = (:Entity)-[:SANCTIONED]->(target:Entity)
OPTIONAL MATCH q = (target)-[:FRONT_FOR|MEMBER_OF|AFFILIATED_WITH]->(:Entity)
RETURN p, q
LIMIT 500;
