import type { Db } from "@finetrack/db";
import { createContext } from "../context";
import { createCaller } from "../root";
import { mlflowErrorResponse, MlflowError, toMlflowErrorResponse } from "./errors";
import * as experiments from "./experiments";
import type { Params } from "./params";
import * as runs from "./runs";

type Caller = ReturnType<typeof createCaller>;
type Endpoint = { methods: ("GET" | "POST")[]; handle(caller: Caller, params: Params, bodyBytes: number): Promise<unknown> };

const GET: Endpoint["methods"] = ["GET"];
const POST: Endpoint["methods"] = ["POST"];

/** MLflow REST API 2.0 paths (mlflow/protos/service.proto) served by finetrack. */
const ENDPOINTS: Record<string, Endpoint> = {
  "experiments/create": { methods: POST, handle: experiments.createExperiment },
  "experiments/get": { methods: GET, handle: experiments.getExperiment },
  "experiments/get-by-name": { methods: GET, handle: experiments.getExperimentByName },
  "experiments/search": { methods: ["GET", "POST"], handle: experiments.searchExperiments },
  "experiments/list": { methods: GET, handle: experiments.listExperiments },
  "runs/create": { methods: POST, handle: runs.createRun },
  "runs/get": { methods: GET, handle: runs.getRun },
  "runs/update": { methods: POST, handle: runs.updateRun },
  "runs/delete": { methods: POST, handle: runs.deleteRun },
  "runs/restore": { methods: POST, handle: runs.restoreRun },
  "runs/search": { methods: POST, handle: runs.searchRuns },
  "runs/log-batch": { methods: POST, handle: runs.logBatch },
  "runs/log-metric": { methods: POST, handle: runs.logMetric },
  "runs/log-parameter": { methods: POST, handle: runs.logParam },
  "runs/set-tag": { methods: POST, handle: runs.setTag },
  "runs/delete-tag": { methods: POST, handle: runs.deleteTag },
  "runs/log-inputs": { methods: POST, handle: runs.logInputs },
  "metrics/get-history": { methods: GET, handle: runs.getMetricHistory },
};

export const MLFLOW_PREFIXES = ["/api/2.0/mlflow/", "/ajax-api/2.0/mlflow/"] as const;

/**
 * MLflow's credentials as ours: `Bearer <api key>` (MLFLOW_TRACKING_TOKEN) passes through; HTTP
 * Basic (MLFLOW_TRACKING_USERNAME/PASSWORD) carries the API key as its password.
 */
function asBearer(headers: Headers): Headers {
  const auth = headers.get("authorization");
  const basic = auth && /^Basic\s+(\S+)\s*$/i.exec(auth);
  if (!basic) return headers;
  const decoded = Buffer.from(basic[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  const secret = colon >= 0 ? decoded.slice(colon + 1) || decoded.slice(0, colon) : decoded;
  const out = new Headers(headers);
  out.set("authorization", `Bearer ${secret}`);
  return out;
}

async function readParams(req: Request, url: URL): Promise<{ params: Params; bytes: number }> {
  if (req.method === "GET") {
    const params: Params = {};
    for (const key of new Set(url.searchParams.keys())) {
      const all = url.searchParams.getAll(key);
      params[key] = all.length > 1 || key === "experiment_ids" || key === "order_by" ? all : all[0];
    }
    return { params, bytes: 0 };
  }
  const text = await req.text();
  const bytes = Buffer.byteLength(text);
  if (!text.trim()) return { params: {}, bytes };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new MlflowError("INVALID_PARAMETER_VALUE", `expected a JSON request body: ${(error as Error).message}`);
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new MlflowError("INVALID_PARAMETER_VALUE", "expected a JSON object as the request body");
  return { params: body as Params, bytes };
}

/** The MLflow-compatible REST API as one fetch handler, for the standalone server and Next. */
export async function handleMlflowRequest(req: Request, opts: { db: Db; authEnabled?: boolean }): Promise<Response> {
  const url = new URL(req.url);
  const prefix = MLFLOW_PREFIXES.find((p) => url.pathname.startsWith(p));
  const path = prefix ? url.pathname.slice(prefix.length).replace(/\/+$/, "") : "";
  const endpoint = ENDPOINTS[path];
  if (!endpoint) return mlflowErrorResponse("ENDPOINT_NOT_FOUND", `No MLflow API endpoint at ${req.method} ${url.pathname}; see mlflow/protos/service.proto for the REST API 2.0 paths`);
  if (!(endpoint.methods as string[]).includes(req.method)) {
    return Response.json({ error_code: "BAD_REQUEST", message: `${url.pathname} expects ${endpoint.methods.join(" or ")}, got ${req.method}` }, { status: 405, headers: { allow: endpoint.methods.join(", ") } });
  }
  try {
    const { params, bytes } = await readParams(req, url);
    const ctx = await createContext({ db: opts.db, headers: asBearer(req.headers), authEnabled: opts.authEnabled });
    return Response.json(await endpoint.handle(createCaller(ctx), params, bytes));
  } catch (error) {
    return toMlflowErrorResponse(error);
  }
}
