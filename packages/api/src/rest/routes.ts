import {
  ArtifactLogInput,
  DatasetUpsertInput,
  LogBatchInput,
  PageInput,
  PointsInput,
  PointsOutput,
  ProjectCreateInput,
  ProjectSlug,
  RunCreateInput,
  RunFinishInput,
  RunId,
  RunListInput,
  RunProjectField,
  RunUpdateInput,
  SeriesInput,
  SeriesOutput,
} from "@finetrack/contracts";
import type { inferRouterInputs } from "@trpc/server";
import { z } from "zod";
import type { AppRouter } from "../root";
import { AnalysisDiagnoseInput } from "../routers/analysis/diagnose";
import { AnalysisFactorImpactInput } from "../routers/analysis/factor-impact";
import { FactorImpactOutput, RunDiagnosisOutput } from "./outputs";
import { decodePoints } from "./wire";

type Inputs = inferRouterInputs<AppRouter>;
/** "run.create", "metric.logBatch", …: every procedure of the router. */
export type ProcedurePath = { [R in keyof Inputs]: `${R & string}.${keyof Inputs[R] & string}` }[keyof Inputs];

export type RestRequest = { params: Record<string, string>; query: Record<string, unknown>; body: Record<string, unknown> };

export type RestRoute = {
  method: "GET" | "POST" | "PATCH";
  /** OpenAPI path template. */
  path: `/api/v1/${string}`;
  /** The tRPC procedure that serves it, called in-process: its validation and authorization apply. */
  procedure: ProcedurePath;
  /** API key scope it needs when auth is on ("public": none). */
  scope: "public" | "read" | "write" | "admin";
  tag: "Runs" | "Metrics" | "Artifacts" | "Analysis" | "Projects" | "Datasets" | "Server";
  summary: string;
  description?: string;
  params?: z.ZodObject;
  /** Fields read from the query string (see query.ts for how text becomes values). */
  query?: z.ZodObject;
  body?: z.ZodType;
  /** Response schema when the procedure declares no `.output()`. */
  output?: z.ZodType;
  /** Procedure input fields that the REST request names differently (for error `field`s). */
  fields?: Record<string, string>;
  /** The procedure input; default: path params, query and body merged. */
  input?: (req: RestRequest) => unknown;
  /** A working example for the docs and curl samples. */
  example?: { params?: Record<string, string>; query?: Record<string, string>; body?: unknown };
};

const RunParams = z.object({ id: RunId.meta({ description: "The run id (chosen by the client at create, or generated)." }) });
const ProjectParams = z.object({ slug: ProjectSlug.meta({ description: "The project slug." }) });
const run = { params: RunParams, example: { params: { id: "curl-demo-1" } } } as const;
/** Run ids are unique per project: `?project=` says whose run when the caller reads several projects. */
const RunProjectQuery = z.object(RunProjectField);
const runInProject = { ...run, query: RunProjectQuery } as const;
const Page = z.object(PageInput);

/** The plain-JSON REST API. Paths and bodies are a public contract: add routes, never change one. */
export const REST_ROUTES: RestRoute[] = [
  { method: "GET", path: "/api/v1/health", procedure: "health.check", scope: "public", tag: "Server", summary: "Check that the server and its database answer", input: () => undefined },

  { method: "GET", path: "/api/v1/projects", procedure: "project.list", scope: "read", tag: "Projects", summary: "List projects", description: "Every project for an admin key (or with auth off); otherwise the key's own project. By slug, at most `limit`; pass the last id back as `cursor` for the next page.", query: Page, input: ({ query }) => query },
  {
    method: "POST", path: "/api/v1/projects", procedure: "project.create", scope: "admin", tag: "Projects", summary: "Create a project",
    body: ProjectCreateInput, example: { body: { slug: "nlp", name: "NLP experiments" } },
  },
  { method: "GET", path: "/api/v1/projects/{slug}", procedure: "project.get", scope: "read", tag: "Projects", summary: "Get a project", params: ProjectParams, example: { params: { slug: "default" } } },
  {
    method: "GET", path: "/api/v1/projects/{slug}/factor-impact", procedure: "analysis.factorImpact", scope: "read", tag: "Analysis",
    summary: "Which factor (dataset, base model, hyperparameters) moves a target most across runs",
    description: "Correlations, random-forest importances, fANOVA, PED-ANOVA and ANOVA over the runs matching `filter`, with the family answer.",
    params: ProjectParams, query: AnalysisFactorImpactInput.omit({ project: true }), output: FactorImpactOutput, fields: { project: "slug" },
    input: ({ params, query }) => ({ ...query, project: params.slug }),
    example: { params: { slug: "default" }, query: { target: "metrics.val/loss.min" } },
  },

  {
    method: "POST", path: "/api/v1/datasets", procedure: "dataset.upsert", scope: "write", tag: "Datasets", summary: "Create or update a dataset record",
    description: "Keyed by project, name and version; runs point at it with `datasetId` (or describe it inline in `dataset`).",
    body: DatasetUpsertInput, example: { body: { project: "default", name: "alpaca-mini", version: "v1", trainSize: 900, validationSize: 100 } },
  },

  {
    method: "POST", path: "/api/v1/runs", procedure: "run.create", scope: "write", tag: "Runs", summary: "Create a run (idempotent on its id)",
    description: "Choose the `id` yourself so a retried request cannot create a second run; the same body again returns the same run.",
    body: RunCreateInput,
    example: { body: { project: "default", id: "curl-demo-1", name: "lora-r8", baseModel: "gpt2", method: "lora", dataset: { name: "alpaca-mini", version: "v1" }, config: { learning_rate: 0.0003, lora_rank: 8 } } },
  },
  {
    method: "GET", path: "/api/v1/runs", procedure: "run.list", scope: "read", tag: "Runs", summary: "List a project's runs (filter, sort, paginate)",
    description: "`filter` and `sort` are JSON objects sent as URL-encoded JSON text; pass `nextCursor` back as `cursor` for the next page.",
    query: RunListInput, example: { query: { project: "default", limit: "10" } },
  },
  { method: "GET", path: "/api/v1/runs/{id}", procedure: "run.get", scope: "read", tag: "Runs", summary: "Get a run", ...runInProject },
  {
    method: "PATCH", path: "/api/v1/runs/{id}", procedure: "run.update", scope: "write", tag: "Runs", summary: "Update a run's name, tags, notes, config or summary",
    description: "`config` and `summary` are merged into the stored ones (top-level keys).",
    ...run, body: RunUpdateInput.omit({ id: true }), example: { ...run.example, body: { notes: "baseline", summary: { best_val_loss: 1.23 } } },
  },
  {
    method: "POST", path: "/api/v1/runs/{id}/finish", procedure: "run.finish", scope: "write", tag: "Runs", summary: "Finish a run",
    ...run, body: RunFinishInput.omit({ id: true }), example: { ...run.example, body: { status: "finished", summary: { train_runtime: 812.5 } } },
  },
  { method: "POST", path: "/api/v1/runs/{id}/heartbeat", procedure: "run.heartbeat", scope: "write", tag: "Runs", summary: "Tell the server a run is alive (silent runs are marked crashed)", ...runInProject },

  {
    method: "POST", path: "/api/v1/runs/{id}/points", procedure: "metric.logBatch", scope: "write", tag: "Metrics", summary: "Log a batch of metric points",
    description: "Append-only and idempotent on (run, key, step): a retried batch reports its points as `duplicates`; the same step with another value is a 409. " +
      "`value` may be \"NaN\", \"Infinity\" or \"-Infinity\"; `time` is an ISO 8601 string or epoch milliseconds (default: now). The batch is stored whole or not at all.",
    ...run, body: LogBatchInput.omit({ runId: true }), fields: { runId: "id" },
    input: ({ params, body }) => ({ ...body, points: decodePoints(body.points), runId: params.id }),
    example: { ...run.example, body: { points: [{ key: "train/loss", step: 1, value: 2.31 }, { key: "val/loss", step: 1, value: "NaN", epoch: 0.1 }] } },
  },
  {
    method: "GET", path: "/api/v1/runs/{id}/series", procedure: "metric.series", scope: "read", tag: "Metrics", summary: "Read curves, downsampled to at most maxPoints per key",
    description: "Column-wise; a downsampled curve keeps its first and last points and every bucket's min and max. `time` is epoch milliseconds.",
    ...run, query: SeriesInput.omit({ runIds: true }), output: SeriesOutput, fields: { runIds: "id" },
    input: ({ params, query }) => ({ ...query, runIds: [params.id] }),
    example: { ...run.example, query: { keys: "train/loss,val/loss", maxPoints: "500" } },
  },
  {
    method: "GET", path: "/api/v1/runs/{id}/points", procedure: "metric.points", scope: "read", tag: "Metrics", summary: "Read every stored point of one curve, a page at a time",
    description: "Full resolution, in step order; pass `nextAfterStep` back as `afterStep` for the next page.",
    ...run, query: PointsInput.omit({ runId: true }), output: PointsOutput, fields: { runId: "id" },
    input: ({ params, query }) => ({ ...query, runId: params.id }),
    example: { ...run.example, query: { key: "train/loss" } },
  },
  {
    method: "GET", path: "/api/v1/runs/{id}/keys", procedure: "metric.keys", scope: "read", tag: "Metrics", summary: "List a run's metric keys",
    ...runInProject, fields: { runIds: "id" }, input: ({ params, query }) => ({ ...query, runIds: [params.id] }),
  },

  {
    method: "POST", path: "/api/v1/runs/{id}/artifacts", procedure: "artifact.log", scope: "write", tag: "Artifacts", summary: "Record an artifact (checkpoint, adapter, file) of a run",
    ...run, body: ArtifactLogInput.omit({ runId: true }), fields: { runId: "id" }, input: ({ params, body }) => ({ ...body, runId: params.id }),
    example: { ...run.example, body: { name: "adapter", kind: "lora-adapter", uri: "s3://bucket/runs/curl-demo-1/adapter.safetensors", bytes: 1048576 } },
  },
  {
    method: "GET", path: "/api/v1/runs/{id}/artifacts", procedure: "artifact.list", scope: "read", tag: "Artifacts", summary: "List a run's artifacts",
    description: "Oldest first, at most `limit`; pass the last id back as `cursor` for the next page.",
    ...run, query: Page.extend(RunProjectField), fields: { runId: "id" }, input: ({ params, query }) => ({ ...query, runId: params.id }),
  },

  {
    method: "GET", path: "/api/v1/runs/{id}/diagnosis", procedure: "analysis.diagnose", scope: "read", tag: "Analysis", summary: "Is the run overfitting, and since when?",
    description: "The verdict, its onset, Prechelt's GL and P_k, what early stopping would have done, and advice, from the run's training and validation loss.",
    ...run, query: AnalysisDiagnoseInput.omit({ runId: true }), output: RunDiagnosisOutput, fields: { runId: "id" },
    input: ({ params, query }) => ({ ...query, runId: params.id }),
  },
];
