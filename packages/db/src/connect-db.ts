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

const ignore = () => {};

/**
 * A pool that survives its server going away. A connection the server drops (57P01 on shutdown, a
 * crash, a restart) emits 'error' on its client: on an idle client the pool's listener sees it, but
 * a checked-out client (inside a transaction, between two queries) has no listener of its own and
 * the event would crash the process. Every client gets one for its whole life; the query in flight
 * still fails, and the pool discards the broken client. Connecting gives up after 5 s, so a request
 * never waits on a server that does not answer.
 */
function resilientPool(url: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: 5_000 });
  pool.on("error", ignore);
  pool.on("connect", (client) => client.on("error", ignore));
  return pool;
}

export function connectDb(url: string, options: { poolSize?: number } = {}): Db {
  const max = options.poolSize ?? readDbEnv().FINETRACK_DB_POOL_SIZE;
  const pool = resilientPool(url, max);
  // Prisma gets its own pool (a transaction holding a raw client must never wait on Prisma for a
  // connection of the same pool), made the same way.
  const prismaPool = resilientPool(url, max);
  const prisma = new PrismaClient({ adapter: new PrismaPg(prismaPool) });
  let closed = false;
  return {
    prisma,
    pool,
    url,
    async close() {
      if (closed) return;
      closed = true;
      await Promise.allSettled([prisma.$disconnect().then(() => prismaPool.end()), pool.end()]);
    },
  };
}
