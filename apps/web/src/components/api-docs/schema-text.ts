/** Reading the OpenAPI document's JSON Schemas for the API page: refs, type names, fields. */
export type Schema = {
  $ref?: string;
  type?: string | string[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  description?: string;
  format?: string;
  contentMediaType?: string;
  contentSchema?: Schema;
  additionalProperties?: Schema | boolean;
  minimum?: number;
  maximum?: number;
  maxItems?: number;
  maxLength?: number;
};

export type Components = Record<string, Schema>;

export function refName(ref: string): string {
  return ref.slice(ref.lastIndexOf("/") + 1);
}

export function resolve(schema: Schema | undefined, components: Components): Schema | undefined {
  let s = schema;
  for (let i = 0; s?.$ref && i < 10; i++) s = components[refName(s.$ref)];
  return s;
}

/** A short type label: `string`, `integer ≤ 10000`, `MetricPoint[]`, `"NaN" | number`, `JSON RunFilter`. */
export function typeText(schema: Schema | undefined): string {
  if (!schema) return "any";
  if (schema.$ref) return refName(schema.$ref);
  if (schema.contentMediaType === "application/json") return `JSON ${typeText(schema.contentSchema)}`;
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return union.map(typeText).join(" | ");
  if (schema.type === "array") return `${typeText(schema.items)}[]${schema.maxItems !== undefined ? ` (≤ ${schema.maxItems})` : ""}`;
  if (schema.type === "object" && !schema.properties) return "object";
  const type = Array.isArray(schema.type) ? schema.type.join(" | ") : (schema.type ?? "any");
  const bounds = [schema.minimum !== undefined && `≥ ${schema.minimum}`, schema.maximum !== undefined && schema.maximum < 9e15 && `≤ ${schema.maximum}`].filter(Boolean);
  return `${schema.format === "date-time" ? "ISO date-time" : type}${bounds.length ? ` ${bounds.join(", ")}` : ""}`;
}

export type Field = { name: string; type: string; required: boolean; description: string };

/** The top-level fields of an object schema (refs resolved), for a body or response table. */
export function fieldsOf(schema: Schema | undefined, components: Components): Field[] {
  const s = resolve(schema, components);
  if (!s?.properties) return [];
  return Object.entries(s.properties).map(([name, p]) => {
    const described = resolve(p, components);
    const dflt = p.default ?? described?.default;
    return {
      name,
      type: typeText(p),
      required: s.required?.includes(name) ?? false,
      description: [p.description ?? described?.description, dflt !== undefined && `Default ${JSON.stringify(dflt)}.`].filter(Boolean).join(" "),
    };
  });
}

/** Components the top-level fields refer to (`points: MetricPoint[]` → MetricPoint), to show their fields too. */
export function referencedComponents(schema: Schema | undefined, components: Components): string[] {
  const s = resolve(schema, components);
  const names = new Set<string>();
  for (const p of Object.values(s?.properties ?? {})) {
    for (const candidate of [p, p.items, ...(p.anyOf ?? []), ...(p.oneOf ?? [])]) {
      if (candidate?.$ref && resolve(candidate, components)?.properties) names.add(refName(candidate.$ref));
    }
  }
  return [...names];
}
