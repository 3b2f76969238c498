// A finetrack API server in its own process (as in production: the training program and the server
// do not share a CPU thread). Started by the benchmarks with fork(); reports its URL over IPC.
import { createHttpServer } from "@finetrack/api";
import { connectDb } from "@finetrack/db";

const db = connectDb(process.env.BENCH_DATABASE_URL!, { poolSize: 10 });
const server = await createHttpServer({ db, authEnabled: true, crashTimeoutMs: 0 });
process.send!({ url: server.url });
process.on("message", async (m) => {
  if (m === "stop") {
    await server.close();
    await db.close();
    process.exit(0);
  }
});
