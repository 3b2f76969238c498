import { handleRestRequest } from "@finetrack/api";
import { getServerDb } from "@/lib/server-db";

export const dynamic = "force-dynamic";

// The plain-JSON REST API (packages/api/src/rest), the same handler the standalone server uses.
const handler = (req: Request) => handleRestRequest(req, { db: getServerDb() });

export { handler as GET, handler as POST, handler as PATCH, handler as PUT, handler as DELETE };
