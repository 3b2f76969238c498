import { openApiDocument } from "@finetrack/api";

// The OpenAPI 3.1 document of /api/v1, generated from the zod contracts (packages/api/src/rest/openapi.ts).
export function GET() {
  return Response.json(openApiDocument(), { headers: { "cache-control": "public, max-age=60" } });
}
