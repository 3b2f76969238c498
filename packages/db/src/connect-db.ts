import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/client";
import { readDbEnv } from "./env";

export type Db = {
  prisma: PrismaClient;
  /** Raw SQL for bulk ingest (unnest/COPY) and series reads; shares nothing with Prisma's pool. */
  pool: pg.Pool;
  url: string;
  close(): Promise<void>;
};

// NUMERIC and INT8 come back as strings by default; metric reads want numbers. BIGINT columns
// (bytes, parameter counts) stay strings in raw SQL and become bigint through Prisma.
pg.types.setTypeParser(pg.types.builtins.FLOAT8, (v) => parseFloat(v));
pg.types.setTypeParser(pg.types.builtins.FLOAT4, (v) => parseFloat(v));

export function connectDb(url: string, options: { poolSize?: number } = {}): Db {
  const max = options.poolSize ?? readDbEnv().FINETRACK_DB_POOL_SIZE;
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle client losing its server (restart, crash) must not take the process down.
  pool.on("error", () => {});
  const adapter = new PrismaPg({ connectionString: url, max });
  const prisma = new PrismaClient({ adapter });
  let closed = false;
  return {
    prisma,
    pool,
    url,
    async close() {
      if (closed) return;
      closed = true;
      await Promise.allSettled([prisma.$disconnect(), pool.end()]);
    },
  };
}
