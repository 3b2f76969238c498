import { connectDb, type Db } from "@finetrack/db";
import { readEnv } from "../env";

// One pool per server process; globalThis survives module re-evaluation in dev.
const holder = globalThis as unknown as { finetrackDb?: Db };

export function getServerDb(): Db {
  holder.finetrackDb ??= connectDb(readEnv().DATABASE_URL);
  return holder.finetrackDb;
}
