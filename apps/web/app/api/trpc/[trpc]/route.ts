import { createFetchHandler } from "@finetrack/api";
import { getServerDb } from "@/lib/server-db";

export const dynamic = "force-dynamic";

const handler = createFetchHandler({ db: getServerDb });

export { handler as GET, handler as POST };
