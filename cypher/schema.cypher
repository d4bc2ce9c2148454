// cyberkg graph schema: constraints and indexes, applied idempotently at every start
// (`npm start`, `npx cyberkg load`, tests). See MODEL.md for the labels and relationships.

// Every entity, whatever its type, has one canonical id.
CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (e:Entity) REQUIRE e.id IS UNIQUE;
CREATE CONSTRAINT threat_actor_id IF NOT EXISTS FOR (e:ThreatActor) REQUIRE e.id IS UNIQUE;
CREATE CONSTRAINT state_id IF NOT EXISTS FOR (e:State) REQUIRE e.id IS UNIQUE;
CREATE CONSTRAINT organization_id IF NOT EXISTS FOR (e:Organization) REQUIRE e.id IS UNIQUE;
CREATE CONSTRAINT person_id IF NOT EXISTS FOR (e:Person) REQUIRE e.id IS UNIQUE;
CREATE CONSTRAINT sector_id IF NOT EXISTS FOR (e:Sector) REQUIRE e.id IS UNIQUE;
CREATE CONSTRAINT merged_id IF NOT EXISTS FOR (e:Merged) REQUIRE e.id IS UNIQUE;
CREATE CONSTRAINT withdrawn_id IF NOT EXISTS FOR (e:Withdrawn) REQUIRE e.id IS UNIQUE;

// Sources of claims: articles, the registry, STIX bundles.
CREATE CONSTRAINT source_id IF NOT EXISTS FOR (s:Source) REQUIRE s.id IS UNIQUE;
// A reload's unchanged documents by the hash of their raw input (src/loader/input-hash.ts), without validating them.
CREATE INDEX source_input_hash IF NOT EXISTS FOR (s:Source) ON (s.inputHash);
CREATE CONSTRAINT article_id IF NOT EXISTS FOR (a:Article) REQUIRE a.id IS UNIQUE;

// One claim per (source, subject, predicate, object).
CREATE CONSTRAINT claim_id IF NOT EXISTS FOR (c:Claim) REQUIRE c.id IS UNIQUE;

// Lookups by name (Browser queries, GraphQL `where: {name: …}`).
CREATE INDEX entity_name IF NOT EXISTS FOR (e:Entity) ON (e.name);
CREATE INDEX threat_actor_name IF NOT EXISTS FOR (e:ThreatActor) ON (e.name);
CREATE INDEX state_name IF NOT EXISTS FOR (e:State) ON (e.name);
CREATE INDEX organization_name IF NOT EXISTS FOR (e:Organization) ON (e.name);
CREATE INDEX person_name IF NOT EXISTS FOR (e:Person) ON (e.name);
CREATE INDEX sector_name IF NOT EXISTS FOR (e:Sector) ON (e.name);
CREATE INDEX article_published IF NOT EXISTS FOR (a:Article) ON (a.publishedAt);
CREATE INDEX claim_predicate IF NOT EXISTS FOR (c:Claim) ON (c.predicate);
// The claims behind one edge: "<subject id>|<predicate>|<object id>" of the entities the claim currently points at.
CREATE INDEX claim_edge_key IF NOT EXISTS FOR (c:Claim) ON (c.edgeKey);
CREATE INDEX claim_loaded IF NOT EXISTS FOR (c:Claim) ON (c.loadedAt);

// Search over names and aliases, case- and accent-insensitive (the standard-folding analyzer folds é → e).
CREATE FULLTEXT INDEX entity_search IF NOT EXISTS
FOR (e:ThreatActor|State|Organization|Person|Sector) ON EACH [e.name, e.aliasText]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-folding'}};

// The article store (src/news/): identical bodies by the hash of the normalised text, near-identical ones by
// MinHash band tokens in a whitespace full-text index (an index lookup, never a scan of all bodies).
CREATE INDEX article_text_hash IF NOT EXISTS FOR (a:Article) ON (a.textHash);
CREATE FULLTEXT INDEX article_bands IF NOT EXISTS
FOR (a:Article) ON EACH [a.bandText]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace'}};

// Feeds that `cyberkg watch` polls.
CREATE CONSTRAINT feed_url IF NOT EXISTS FOR (f:Feed) REQUIRE f.url IS UNIQUE;

// Entity resolution by normalised name (src/loader/resolve-entities.ts): each element of normNames is one exact
// term (keyword analyzer), so a document's names are index seeks, not a scan of every entity.
CREATE FULLTEXT INDEX entity_norm_names IF NOT EXISTS
FOR (e:Entity|Merged|Withdrawn) ON EACH [e.normNames]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'keyword'}};
CREATE INDEX claim_live_from IF NOT EXISTS FOR (c:Claim) ON (c.liveFrom);
