"""Helpers for the cyberkg notebooks: the connection (same environment variables as the service), pulling the
entity graph into pandas and networkx, GraphQL calls, and saving figures and key numbers to notebooks/output/.
"""
from __future__ import annotations

import json
import os
import pathlib
from typing import Any

import networkx as nx
import pandas as pd
import requests
from neo4j import Driver, GraphDatabase, Result

NOTEBOOKS = pathlib.Path(__file__).resolve().parent
REPO = NOTEBOOKS.parent
OUTPUT = pathlib.Path(os.environ.get("CYBERKG_NOTEBOOK_OUTPUT", NOTEBOOKS / "output"))

#: The typed edges between entities (src/model/vocabulary.ts).
PREDICATES = [
    "TARGETED", "COMPROMISED", "SANCTIONED", "CHARGED", "AFFILIATED_WITH",
    "MEMBER_OF", "FRONT_FOR", "PART_OF", "BASED_IN",
]
REGISTRY_SOURCE = "registry:cyberkg"


def settings() -> dict[str, str]:
    """Connection settings: NEO4J_URI/USER/PASSWORD/DATABASE, else the local runtime's (`npm start`)."""
    password = os.environ.get("NEO4J_PASSWORD")
    password_file = pathlib.Path(os.environ.get("NEO4J_HOME", REPO / ".neo4j")) / "password"
    if not password and password_file.exists():
        password = password_file.read_text().strip()
    return {
        "uri": os.environ.get("NEO4J_URI") or f"bolt://127.0.0.1:{os.environ.get('NEO4J_BOLT_PORT', '7687')}",
        "user": os.environ.get("NEO4J_USER", "neo4j"),
        "password": password or "",
        "database": os.environ.get("NEO4J_DATABASE", "neo4j"),
    }


def connect(uri: str, user: str, password: str) -> Driver:
    """A verified driver, or an error that says what to do."""
    if not password:
        raise RuntimeError("No Neo4j password: set NEO4J_PASSWORD, or start the local Neo4j with `npm start` (it keeps .neo4j/password)")
    driver = GraphDatabase.driver(uri, auth=(user, password))
    try:
        driver.verify_connectivity()
    except Exception as error:  # noqa: BLE001 - re-raised with a hint
        driver.close()
        raise RuntimeError(f"Neo4j unreachable at {uri} ({error}): run `npm start` or `npx cyberkg neo4j start`, or set NEO4J_URI") from error
    return driver


def query(driver: Driver, cypher: str, database: str = "neo4j", **params: Any) -> pd.DataFrame:
    """Runs a read query and returns its rows as a DataFrame."""
    return driver.execute_query(cypher, params, database_=database, routing_="r", result_transformer_=Result.to_df)


def counts(driver: Driver, database: str = "neo4j") -> pd.DataFrame:
    return query(driver, """
        CALL () { MATCH (e:Entity) RETURN count(e) AS entities }
        CALL () { MATCH (:Entity)-[r]->(:Entity) RETURN count(r) AS edges }
        CALL () { MATCH (c:Claim) WHERE c.live RETURN count(c) AS liveClaims }
        CALL () { MATCH (a:Article) RETURN count(a) AS articles }
        RETURN entities, edges, liveClaims, articles""", database)


def entities(driver: Driver, database: str = "neo4j") -> pd.DataFrame:
    """One row per entity: id, name, type, aliases."""
    return query(driver, """
        MATCH (e:Entity)
        RETURN e.id AS id, e.name AS name, e.type AS type, coalesce(e.aliases, []) AS aliases
        ORDER BY id""", database)


def edges(driver: Driver, database: str = "neo4j") -> pd.DataFrame:
    """One row per typed edge, with support, certainty, report dates and the ids of the sources behind it."""
    frame = query(driver, """
        MATCH (s:Entity)-[r]->(o:Entity)
        WHERE type(r) IN $predicates
        OPTIONAL MATCH (c:Claim {edgeKey: r.key}) WHERE c.live
        OPTIONAL MATCH (c)-[:FROM]->(src:Source)
        RETURN s.id AS source, o.id AS target, type(r) AS type, r.support AS support, r.certainty AS certainty,
               r.firstReported AS firstReported, r.lastReported AS lastReported, collect(DISTINCT src.id) AS sources
        ORDER BY source, type, target""", database, predicates=PREDICATES)
    if frame.empty:
        frame = pd.DataFrame(columns=["source", "target", "type", "support", "certainty", "firstReported", "lastReported", "sources"])
    frame["registryOnly"] = frame["sources"].apply(lambda s: list(s) == [REGISTRY_SOURCE])
    return frame


def starter_query(slug: str) -> str:
    """A starter query of cypher/queries/ as shipped (header comments and trailing semicolon dropped)."""
    text = (REPO / "cypher" / "queries" / f"{slug}.cypher").read_text()
    body = [line for line in text.splitlines() if not line.lstrip().startswith("//")]
    return "\n".join(body).strip().rstrip(";")


def edges_as_of(driver: Driver, as_of: str, reported_by: str | None = None, database: str = "neo4j") -> pd.DataFrame:
    """The typed edges as recorded at `as_of` (ISO instant; recorded time), optionally only what had been reported by
    `reported_by` (YYYY-MM-DD): the starter query `edges-as-of.cypher`, so Browser, notebooks and the API's
    `edgesAsOf` apply one rule (cypher/MODEL.md, "Time")."""
    return query(driver, starter_query("edges-as-of"), database, asOf=as_of, reportedBy=reported_by)


def build_graph(nodes: pd.DataFrame, edge_rows: pd.DataFrame) -> nx.MultiDiGraph:
    """A directed multigraph: one node per entity (with name and type), one edge per typed edge."""
    graph = nx.MultiDiGraph()
    used = set(edge_rows["source"]) | set(edge_rows["target"])
    for row in nodes.itertuples(index=False):
        if row.id in used:
            graph.add_node(row.id, name=row.name, type=row.type)
    for row in edge_rows.itertuples(index=False):
        graph.add_edge(row.source, row.target, key=row.type, type=row.type, support=int(row.support or 1), certainty=row.certainty)
    return graph


def undirected(graph: nx.MultiDiGraph) -> nx.Graph:
    """Simple undirected graph; parallel edges merged, weight = summed support."""
    simple = nx.Graph()
    simple.add_nodes_from(graph.nodes(data=True))
    for u, v, data in graph.edges(data=True):
        if u == v:
            continue
        weight = data.get("support", 1)
        if simple.has_edge(u, v):
            simple[u][v]["weight"] += weight
        else:
            simple.add_edge(u, v, weight=weight)
    return simple


def names(graph: nx.Graph, ids) -> list[str]:
    return [graph.nodes[i].get("name", i) for i in ids]


def node_id(nodes: pd.DataFrame, name_or_id: str) -> str:
    """Entity id for an id, a name or an alias (case-insensitive)."""
    wanted = name_or_id.lower()
    for row in nodes.itertuples(index=False):
        if row.id == name_or_id or row.name.lower() == wanted or wanted in [a.lower() for a in row.aliases]:
            return row.id
    raise KeyError(f"No entity named {name_or_id!r}")


def save_figure(fig, name: str) -> pathlib.Path:
    """Saves the figure as notebooks/output/<name>.png and shows that PNG in the notebook (also under the Agg
    backend, so a headless run keeps it in its outputs, tagged {"figure": name} for the test that checks them)."""
    from IPython.display import Image, display
    import matplotlib.pyplot as plt

    OUTPUT.mkdir(parents=True, exist_ok=True)
    path = OUTPUT / f"{name}.png"
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)
    display(Image(filename=str(path)), metadata={"figure": name})
    return path


def community_legend_label(members: list[str], size: int) -> str:
    """'APT31, China +12': a community named by its best-connected members."""
    shown = members[:2]
    rest = size - len(shown)
    return ", ".join(shown) + (f" +{rest}" if rest > 0 else "")


def wrap(text: str, width: int = 110) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(" ".join(str(text).split()), width=width)) if text else ""


def write_results(name: str, results: dict[str, Any]) -> pathlib.Path:
    """Key numbers as JSON (notebooks/output/<name>.json), read by the CI test that runs the notebook."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    path = OUTPUT / f"{name}.json"
    path.write_text(json.dumps(results, indent=2, default=str, ensure_ascii=False) + "\n")
    return path


def graphql(url: str, document: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    """POSTs a GraphQL query to the cyberkg API and returns `data` (errors raise)."""
    response = requests.post(url, json={"query": document, "variables": variables or {}}, timeout=30)
    body = response.json()
    if body.get("errors"):
        raise RuntimeError(f"GraphQL errors: {body['errors']}")
    response.raise_for_status()
    return body["data"]


# ---- Official sanctions lists joined with the news (issue 15) -------------------------------------------------
# The notebook runs the Browser's starter queries as shipped (cypher/queries/*.cypher), so "which states sanctioned
# X" (rolled up through PART_OF), the gaps between lists and news and the listing → report lag are the same
# answers in Neo4j Browser, GraphQL (graphql/sanctions.graphql) and here.

def starter_query(slug: str) -> str:
    """The Cypher of cypher/queries/<slug>.cypher without its header comments and final semicolon."""
    text = (REPO / "cypher" / "queries" / f"{slug}.cypher").read_text()
    lines = text.splitlines()
    while lines and (lines[0].strip().startswith("//") or not lines[0].strip()):
        lines.pop(0)
    return "\n".join(lines).strip().rstrip(";")


def sanctioning_states(driver: Driver, entity: str, database: str = "neo4j") -> pd.DataFrame:
    """The states that sanctioned `entity` (id or name), through PART_OF from the bodies sources name; listed / in the news."""
    return query(driver, starter_query("sanctioning-states"), database, entity=entity)


def designations(driver: Driver, entity: str, database: str = "neo4j") -> pd.DataFrame:
    """Official listings of `entity`: authority, states, programs, listed/delisted days, list entry."""
    return query(driver, starter_query("designations"), database, entity=entity)


def designations_not_in_news(driver: Driver, since: str, database: str = "neo4j") -> pd.DataFrame:
    """Listings since `since` (YYYY-MM-DD) that no article reports for the same state."""
    return query(driver, starter_query("designations-not-in-news"), database, since=since)


def news_sanctions_not_listed(driver: Driver, database: str = "neo4j") -> pd.DataFrame:
    """Sanctions articles report, by a state with an imported list, that no list of that state has."""
    return query(driver, starter_query("news-sanctions-not-listed"), database)


def listing_report_lag(driver: Driver, database: str = "neo4j") -> pd.DataFrame:
    """Days from official listing to the first news report of the same state's sanction."""
    return query(driver, starter_query("listing-report-lag"), database)
