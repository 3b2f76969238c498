import { handleMlflowRequest } from "@finetrack/api";
import { getServerDb } from "@/lib/server-db";

export const dynamic = "force-dynamic";

// The MLflow-compatible REST API 2.0 (packages/api/src/mlflow), the same handler the standalone server uses.
const handler = (req: Request) => handleMlflowRequest(req, { db: getServerDb() });

export { handler as GET, handler as POST };
