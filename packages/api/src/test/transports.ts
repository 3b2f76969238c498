import type { Db } from "@finetrack/db";
import { createTRPCUntypedClient, httpLink, TRPCClientError } from "@trpc/client";
import { TRPCError } from "@trpc/server";
import superjson from "superjson";
import { createContext } from "../context";
import { appRouter, createCaller } from "../root";

export type Call = (path: string, input?: unknown) => Promise<any>;
export type Transport = "caller" | "http";

const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: "query" | "mutation" } }>;

/** One way to call any procedure, in-process (createCaller) or over real HTTP, with optional credentials. */
export function makeCall(transport: Transport, opts: { db: Db; url: string; authEnabled?: boolean; headers?: Record<string, string> }): Call {
  if (transport === "caller") {
    return async (path, input) => {
      const ctx = await createContext({ db: opts.db, headers: new Headers(opts.headers), authEnabled: opts.authEnabled ?? true });
      let fn: any = createCaller(ctx);
      for (const part of path.split(".")) fn = fn[part];
      return fn(input);
    };
  }
  const client = createTRPCUntypedClient({ links: [httpLink({ url: opts.url, transformer: superjson, headers: () => opts.headers ?? {} })] });
  return (path, input) => (procedures[path]._def.type === "query" ? client.query(path, input) : client.mutation(path, input));
}

/** The error a call failed with, as { code, message, field }, from either transport. */
export async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string; field: string | null }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCClientError) return { code: error.data?.code, message: error.message, field: error.data?.field ?? null };
    if (error instanceof TRPCError) {
      // In-process calls skip the error formatter; apply the same formatting the HTTP path sees.
      const { formatError } = await import("../errors");
      const f = formatError(error);
      return { code: error.code, message: f.message, field: f.field };
    }
    throw error;
  }
  throw new Error("expected the call to fail");
}
