import type { Db } from "@finetrack/db";
import PgBoss from "pg-boss";
import type { PoolClient } from "../shared/pg-types";
import { requeueStaleTrials } from "./requeue-stale-trials";

/** pg-boss on the app's own pool: no second connection pool, and no database credentials for agents. */
const started = new WeakMap<Db, Promise<PgBoss>>();

/** How often this process looks for trials whose agent stopped heartbeating. */
const SUPERVISE_MS = 1_000;

/** A pg-boss call inside our transaction, so a queue change and its Trial row commit together. */
export const onClient = (client: PoolClient): PgBoss.Db => ({ executeSql: (text, values) => client.query(text, values) });

/**
 * The server's pg-boss, started once per database on first use (installing its `pgboss` schema),
 * with a timer that re-queues trials of vanished agents. Stopped by `stopSweepQueue` (tests, shutdown).
 */
export function sweepQueue(db: Db): Promise<PgBoss> {
  let boss = started.get(db);
  if (!boss) {
    boss = start(db);
    started.set(db, boss);
    boss.catch(() => started.delete(db));
  }
  return boss;
}

async function start(db: Db): Promise<PgBoss> {
  const boss = new PgBoss({
    db: { executeSql: (text, values) => db.pool.query(text, values) },
    schema: "pgboss",
    // Our timer below re-queues on missed heartbeats; pg-boss's own expiry (at most 23 h) is the backstop.
    supervise: true,
    schedule: false,
    migrate: true,
  });
  boss.on("error", () => {});
  await boss.start();
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    requeueStaleTrials(db, boss)
      .catch(() => {})
      .finally(() => (busy = false));
  }, SUPERVISE_MS);
  timer.unref();
  boss.once("stopped", () => clearInterval(timer));
  stoppers.set(db, async () => {
    clearInterval(timer);
    await boss.stop({ graceful: false, wait: true, close: false });
  });
  return boss;
}

const stoppers = new WeakMap<Db, () => Promise<void>>();

export async function stopSweepQueue(db: Db): Promise<void> {
  const pending = started.get(db);
  if (!pending) return;
  await pending.catch(() => {});
  started.delete(db);
  await stoppers.get(db)?.();
}
