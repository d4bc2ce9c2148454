// The offline IDE: GraphiQL from npm, bundled by esbuild (src/api/graphiql/bundle.ts) and served by us at
// GET /graphql. No CDN: fonts are inlined in graphiql's CSS. The README's example queries arrive in
// window.CYBERKG_IDE (one tab each, named after the example's `# …` title, see page.ts), so the IDE opens with the
// queries the docs describe. Its schema (docs panel, autocomplete) comes from the standard introspection query (limits.ts lets it pass).
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { GraphiQL } from "graphiql";
import "graphiql/graphiql.css";
import React from "react";
import { createRoot } from "react-dom/client";

const settings = window.CYBERKG_IDE ?? { examples: [] };
const fetcher = createGraphiQLFetcher({ url: settings.endpoint ?? window.location.pathname });
const tabs = settings.examples.map((e) => ({ query: e.query, variables: e.variables, headers: e.headers }));

createRoot(document.getElementById("graphiql")).render(
    <GraphiQL
        fetcher={fetcher}
        defaultTabs={tabs.length > 0 ? tabs : undefined}
        defaultEditorToolsVisibility={tabs.some((t) => t.variables)}
    />,
);
