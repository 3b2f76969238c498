import type { Project } from "@finetrack/contracts";
import { experimentIdOf, experimentNameOf, MLFLOW_LIMITS, NOTE_TAG, projectSlugOf, toMlflowExperiment, type MlflowExperiment } from "@finetrack/core";
import type { createCaller } from "../root";
import { MlflowError } from "./errors";
import { int, offsetToken, readOffsetToken, str, strings, type Params } from "./params";

type Caller = ReturnType<typeof createCaller>;

function slugify(name: string): string {
  const base = name.toLowerCase().replace(/[^a-z0-9_-]+/g, "-").replace(/^[-_]+|-+$/g, "").slice(0, 56);
  return base || "experiment";
}

/** The experiment of that name; failing that, the project of that slug (`MLFLOW_EXPERIMENT_NAME=nlp`). */
async function byName(caller: Caller, name: string): Promise<Project | undefined> {
  const projects = await caller.project.list();
  return projects.find((p) => experimentNameOf(p) === name) ?? projects.find((p) => p.slug === name);
}

export async function createExperiment(caller: Caller, params: Params) {
  const name = str(params, "name", { required: true })!;
  if (name.length > MLFLOW_LIMITS.experimentNameLength) throw new MlflowError("INVALID_PARAMETER_VALUE", `Experiment name exceeds the maximum length of ${MLFLOW_LIMITS.experimentNameLength} characters`);
  if (name.trim().length > 200) throw new MlflowError("INVALID_PARAMETER_VALUE", "name: expected an experiment name of at most 200 characters (a finetrack project name)");
  if (await byName(caller, name)) throw new MlflowError("RESOURCE_ALREADY_EXISTS", `Experiment '${name}' already exists.`);
  const tags = Array.isArray(params.tags) ? (params.tags as { key?: unknown; value?: unknown }[]) : [];
  const note = tags.find((t) => t?.key === NOTE_TAG)?.value;
  const taken = new Set((await caller.project.list()).map((p) => p.slug));
  const base = slugify(name);
  for (let n = 1; ; n++) {
    const slug = n === 1 ? base : `${base}-${n}`;
    if (taken.has(slug) || slug === "0") continue;
    try {
      const project = await caller.project.create({ slug, name: name.trim(), description: typeof note === "string" ? note.slice(0, 10_000) : undefined });
      return { experiment_id: experimentIdOf(project.slug) };
    } catch (error) {
      // A project this key cannot see holds the slug: take the next one.
      if (n < 20 && (error as { code?: string }).code === "CONFLICT") continue;
      throw error;
    }
  }
}

async function getProject(caller: Caller, experimentId: string): Promise<Project> {
  try {
    return await caller.project.get({ slug: projectSlugOf(experimentId) });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "NOT_FOUND" || code === "BAD_REQUEST") throw new MlflowError("RESOURCE_DOES_NOT_EXIST", `No Experiment with id=${experimentId} exists`);
    throw error;
  }
}

export async function getExperiment(caller: Caller, params: Params) {
  return { experiment: toMlflowExperiment(await getProject(caller, str(params, "experiment_id", { required: true })!)) };
}

export { getProject as getExperimentProject };

export async function getExperimentByName(caller: Caller, params: Params) {
  const name = str(params, "experiment_name", { required: true })!;
  const project = await byName(caller, name);
  if (!project) throw new MlflowError("RESOURCE_DOES_NOT_EXIST", `Could not find experiment with name '${name}'`);
  return { experiment: toMlflowExperiment(project) };
}

type Clause = { op: string; value: string };

/** The part of MLflow's experiment filter we serve: `name` (or `attribute.name`) with =, !=, LIKE, ILIKE. */
function nameFilter(filter: string | undefined): Clause[] {
  if (!filter?.trim()) return [];
  return filter.split(/\s+AND\s+/i).map((clause) => {
    const m = /^\s*(?:attributes?\.)?name\s*(=|!=|LIKE|ILIKE)\s*(?:'([^']*)'|"([^"]*)")\s*$/i.exec(clause);
    if (!m) throw new MlflowError("INVALID_PARAMETER_VALUE", `Invalid filter '${clause.trim()}': experiments can be filtered by name (=, !=, LIKE, ILIKE), e.g. name LIKE 'nlp%'`);
    return { op: m[1].toUpperCase(), value: m[2] ?? m[3] };
  });
}

function like(pattern: string, text: string, insensitive: boolean): boolean {
  const re = pattern.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/%/g, ".*").replace(/_/g, ".");
  return new RegExp(`^${re}$`, insensitive ? "is" : "s").test(text);
}

const ORDER_FIELDS = ["name", "creation_time", "last_update_time", "experiment_id"] as const;

function compareBy(orderBy: string[]): (a: MlflowExperiment, b: MlflowExperiment) => number {
  const keys = orderBy.map((o) => {
    const m = /^\s*(?:attributes?\.)?(\w+)\s*(ASC|DESC)?\s*$/i.exec(o);
    const field = m?.[1] as (typeof ORDER_FIELDS)[number];
    if (!m || !ORDER_FIELDS.includes(field)) throw new MlflowError("INVALID_PARAMETER_VALUE", `Invalid order_by clause '${o}': expected one of ${ORDER_FIELDS.join(", ")} with ASC or DESC`);
    return { field, sign: m[2]?.toUpperCase() === "DESC" ? -1 : 1 };
  });
  keys.push({ field: "creation_time", sign: -1 }, { field: "experiment_id", sign: 1 });
  return (a, b) => {
    for (const { field, sign } of keys) {
      if (a[field] < b[field]) return -sign;
      if (a[field] > b[field]) return sign;
    }
    return 0;
  };
}

function viewType(params: Params): string {
  const v = str(params, "view_type") ?? "ACTIVE_ONLY";
  if (!["ACTIVE_ONLY", "DELETED_ONLY", "ALL"].includes(v)) throw new MlflowError("INVALID_PARAMETER_VALUE", `Invalid value '${v}' for parameter 'view_type': expected ACTIVE_ONLY, DELETED_ONLY or ALL`);
  return v;
}

/** experiments/search: every experiment the caller may read, filtered by name, ordered, paged. */
export async function searchExperiments(caller: Caller, params: Params) {
  const maxResults = int(params, "max_results") ?? 1000;
  if (maxResults < 1 || maxResults > MLFLOW_LIMITS.maxResults) {
    throw new MlflowError("INVALID_PARAMETER_VALUE", `Invalid value ${maxResults} for parameter 'max_results' supplied: expected an integer from 1 to ${MLFLOW_LIMITS.maxResults}`);
  }
  const clauses = nameFilter(str(params, "filter"));
  const sort = compareBy(strings(params, "order_by") ?? []);
  if (viewType(params) === "DELETED_ONLY") return { experiments: [] };
  const all = (await caller.project.list()).map(toMlflowExperiment).filter((e) =>
    clauses.every((c) => (c.op === "=" ? e.name === c.value : c.op === "!=" ? e.name !== c.value : like(c.value, e.name, c.op === "ILIKE"))),
  );
  all.sort(sort);
  const offset = readOffsetToken(str(params, "page_token"));
  const page = all.slice(offset, offset + maxResults);
  return offset + maxResults < all.length ? { experiments: page, next_page_token: offsetToken(offset + maxResults) } : { experiments: page };
}

/** experiments/list (MLflow 1.x, still called by older clients). */
export async function listExperiments(caller: Caller, params: Params) {
  if (viewType(params) === "DELETED_ONLY") return { experiments: [] };
  return { experiments: (await caller.project.list()).map(toMlflowExperiment) };
}
