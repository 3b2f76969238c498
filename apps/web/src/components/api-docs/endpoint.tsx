import { fieldsOf, referencedComponents, refName, typeText, type Components, type Field, type Schema } from "./schema-text";
import { InlineText } from "./inline-text";

type Parameter = { name: string; in: string; required?: boolean; description?: string; schema?: Schema; style?: string; explode?: boolean };
type Response = { $ref?: string; description?: string; content?: Record<string, { schema?: Schema }> };
export type Operation = {
  operationId?: string;
  summary?: string;
  description?: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema?: Schema; example?: unknown }> };
  responses: Record<string, Response>;
  "x-finetrack-scope"?: string;
  "x-trpc-procedure"?: string;
  "x-codeSamples"?: { lang: string; source: string }[];
};

export function endpointId(method: string, path: string): string {
  return `${method}-${path}`.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/-+$/, "");
}

function FieldTable({ fields, label }: { fields: Field[]; label: string }) {
  if (fields.length === 0) return null;
  return (
    <table className="simple" aria-label={label}>
      <thead>
        <tr><th>field</th><th>type</th><th>description</th></tr>
      </thead>
      <tbody>
        {fields.map((f) => (
          <tr key={f.name}>
            <td><code>{f.name}</code>{f.required && <span className="muted"> (required)</span>}</td>
            <td><code>{f.type}</code></td>
            <td><InlineText text={f.description} /></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One endpoint of the OpenAPI document: what to send, what comes back, what can go wrong, and curl. */
export function Endpoint({ method, path, op, components, responses }: { method: string; path: string; op: Operation; components: Components; responses: Record<string, Response> }) {
  const params: Field[] = (op.parameters ?? []).map((p) => ({
    name: p.name,
    type: `${p.in}: ${typeText(p.schema)}${p.style === "form" && p.explode === false ? " (comma-separated)" : ""}`,
    required: Boolean(p.required),
    description: [p.description ?? p.schema?.description, p.schema?.default !== undefined && `Default ${JSON.stringify(p.schema.default)}.`].filter(Boolean).join(" "),
  }));
  const body = op.requestBody?.content["application/json"]?.schema;
  const ok = op.responses["200"]?.content?.["application/json"]?.schema;
  const errors = Object.entries(op.responses).filter(([status]) => status !== "200");
  const scope = op["x-finetrack-scope"];
  return (
    <section className="panel stack" id={endpointId(method, path)} data-testid="endpoint" aria-label={`${method} ${path}`}>
      <h3 className="row" style={{ margin: 0 }}>
        <span className="badge">{method}</span>
        <code>{path}</code>
        <span className="spacer" />
        <span className="badge" title="API key scope needed when auth is on">{scope === "public" ? "no key" : `key: ${scope}`}</span>
      </h3>
      <div>
        <strong>{op.summary}</strong>
        {op.description && <p className="muted" style={{ margin: "4px 0 0" }}><InlineText text={op.description} /></p>}
        <p className="muted" style={{ margin: "4px 0 0" }}>tRPC procedure <code>{op["x-trpc-procedure"]}</code></p>
      </div>
      <FieldTable fields={params} label="parameters" />
      {body && (
        <div>
          <div className="muted">Body (JSON){body.$ref ? <> — <code>{refName(body.$ref)}</code></> : null}</div>
          <FieldTable fields={fieldsOf(body, components)} label="body" />
          {referencedComponents(body, components).map((name) => (
            <div key={name} style={{ marginTop: 6 }}>
              <div className="muted"><code>{name}</code></div>
              <FieldTable fields={fieldsOf({ $ref: `#/components/schemas/${name}` }, components)} label={name} />
            </div>
          ))}
        </div>
      )}
      <div>
        <div className="muted">200 response: <code>{typeText(ok)}</code></div>
        <FieldTable fields={fieldsOf(ok?.type === "array" ? ok.items : ok, components)} label="response" />
      </div>
      <div className="muted">
        Errors:{" "}
        {errors.map(([status, r], i) => (
          <span key={status} title={(r.$ref ? responses[refName(r.$ref)] : r)?.description}>
            {i > 0 && ", "}
            <code>{status}</code> {r.$ref ? refName(r.$ref) : r.description}
          </span>
        ))}
      </div>
      {op["x-codeSamples"]?.map((sample) => (
        <pre key={sample.lang} className="panel" style={{ overflowX: "auto", margin: 0 }}>
          <code>{sample.source}</code>
        </pre>
      ))}
    </section>
  );
}
