/**
 * The Neo4j Browser guide: one `<slide>` per starter query, each query in a `<pre class="code runnable">`
 * (a click puts it in the editor). Browser 5 splits remote HTML guides on `<slide>` elements and strips
 * scripts, so this is plain HTML.
 * @see https://github.com/neo4j-contrib/neo4j-guides/blob/master/docs/html-guides.adoc
 */
import { paramsCommand, type StarterQuery } from "./starter-queries.ts";

export interface GuideOptions {
    /** Where the service runs, for the `:style` command shown on the first slide. */
    serviceUrl: string;
}

export function renderGuide(queries: StarterQuery[], { serviceUrl }: GuideOptions): string {
    const base = serviceUrl.replace(/\/+$/, "");
    const intro = `<slide class="row-fluid">
  <div class="col-sm-12">
    <h3>cyberkg: state cyber operations and sanctions</h3>
    <p class="lead">Who targeted, compromised, sanctioned, charged or is affiliated with whom, every edge backed by
      the claims of the articles that report it.</p>
    <p>Nodes: <b>ThreatActor</b>, <b>State</b>, <b>Organization</b>, <b>Person</b>, <b>Sector</b> (all <b>:Entity</b>),
      <b>Claim</b> and <b>Source:Article</b>. Edges between entities carry <code>support</code> (independent sources),
      <code>certainty</code> (asserted, likely, alleged, denied), <code>firstReported</code> and <code>lastReported</code>.</p>
    <p>Click a block to put it in the editor, then run it. A block starting with <code>:params</code> sets the
      query's parameters: run it first, then change the values to explore something else.</p>
    <p>The cyberkg style (colours by label, captions by name, edge support in the caption):</p>
    <pre class="code runnable">:style ${escapeHtml(base)}/browser/style.grass</pre>
    <p>Starter queries: ${queries.map((q) => escapeHtml(q.title)).join(" · ")}.</p>
  </div>
</slide>`;
    const slides = queries.map((q) => {
        const params = paramsCommand(q);
        return `<slide class="row-fluid" data-query="${escapeHtml(q.slug)}">
  <div class="col-sm-12">
    <h3>${escapeHtml(q.title)}</h3>
    <p>${escapeHtml(q.description)}</p>
${params ? `    <p>Parameters:</p>\n    <pre class="code runnable">${escapeHtml(params)}</pre>\n    <p>Query (<code>cypher/queries/${escapeHtml(q.slug)}.cypher</code>):</p>\n` : `    <p>Query (<code>cypher/queries/${escapeHtml(q.slug)}.cypher</code>):</p>\n`}    <pre class="code runnable">${escapeHtml(q.cypher)}</pre>
  </div>
</slide>`;
    });
    return `<article class="guide">
<carousel class="deck container-fluid">
${[intro, ...slides].join("\n")}
</carousel>
</article>
`;
}

export function escapeHtml(text: string): string {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
