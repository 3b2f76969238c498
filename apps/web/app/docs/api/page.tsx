import type { Metadata } from "next";
import { OPENAPI_PATH, openApiDocument } from "@finetrack/api";
import { Endpoint, endpointId, type Operation } from "@/components/api-docs/endpoint";
import { InlineText } from "@/components/api-docs/inline-text";
import type { Components } from "@/components/api-docs/schema-text";

export const metadata: Metadata = { title: "REST API · finetrack" };

const METHODS = ["get", "post", "patch", "put", "delete"] as const;

/** The REST API for any language, rendered from the same OpenAPI document the server serves. */
export default function ApiDocsPage() {
  const doc = openApiDocument();
  const components = (doc.components?.schemas ?? {}) as Components;
  const responses = (doc.components?.responses ?? {}) as Record<string, { description?: string }>;
  const endpoints = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    METHODS.filter((m) => item?.[m]).map((m) => ({ method: m.toUpperCase(), path, op: item![m] as unknown as Operation, tag: (item![m]!.tags ?? [""])[0] })),
  );
  const tags = (doc.tags ?? []).map((t) => t.name);
  const [intro, ...rest] = (doc.info.description ?? "").split("\n");
  return (
    <div className="stack" data-testid="api-docs">
      <h1 style={{ margin: 0 }}>{doc.info.title}</h1>
      <p style={{ margin: 0 }}><InlineText text={intro} /></p>
      <ul style={{ margin: 0 }}>
        {rest.filter((l) => l.startsWith("- ")).map((l) => (
          <li key={l}><InlineText text={l.slice(2)} /></li>
        ))}
      </ul>
      <p style={{ margin: 0 }}>
        The machine-readable document (OpenAPI {doc.openapi}) is at <a href={OPENAPI_PATH}><code>{OPENAPI_PATH}</code></a>. The curl samples read the
        server from <code>$FINETRACK_URL</code> (e.g. <code>http://localhost:3000</code>) and the key from <code>$FINETRACK_API_KEY</code>.
      </p>
      <nav aria-label="Endpoints" className="panel">
        {tags.map((tag) => (
          <div key={tag} className="row">
            <strong style={{ minWidth: 90 }}>{tag}</strong>
            {endpoints.filter((e) => e.tag === tag).map((e) => (
              <a key={`${e.method} ${e.path}`} href={`#${endpointId(e.method, e.path)}`}><code>{e.method} {e.path.replace("/api/v1", "")}</code></a>
            ))}
          </div>
        ))}
      </nav>
      {tags.map((tag) => (
        <section key={tag} className="stack" aria-label={tag}>
          <h2 style={{ margin: "8px 0 0" }}>{tag}</h2>
          {endpoints.filter((e) => e.tag === tag).map((e) => (
            <Endpoint key={`${e.method} ${e.path}`} method={e.method} path={e.path} op={e.op} components={components} responses={responses} />
          ))}
        </section>
      ))}
    </div>
  );
}
