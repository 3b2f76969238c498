import type { RestRoute } from "./routes";

const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** A curl command for a route's example, with the server and key from $FINETRACK_URL / $FINETRACK_API_KEY. */
export function curlExample(route: RestRoute): string {
  const example = route.example ?? {};
  const path = route.path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(example.params?.[name] ?? `<${name}>`));
  const lines = [`curl -sS${route.method === "GET" ? "" : ` -X ${route.method}`} "$FINETRACK_URL${path}"`];
  if (route.scope !== "public") lines.push(`-H "Authorization: Bearer $FINETRACK_API_KEY"`);
  const query = Object.entries(example.query ?? {});
  if (query.length) lines.splice(0, 1, lines[0].replace("curl -sS", "curl -sS -G"), ...query.map(([k, v]) => `--data-urlencode ${shellQuote(`${k}=${v}`)}`));
  if (route.body) lines.push(`-H "Content-Type: application/json"`, `-d ${shellQuote(JSON.stringify(example.body ?? {}))}`);
  return lines.join(" \\\n  ");
}
