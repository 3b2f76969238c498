import type { Project } from "@finetrack/contracts";
import { DEFAULT_PROJECT_SLUG } from "../auth/bootstrap-local";

/** MLflow's Default experiment (id "0") is the default project. */
export const DEFAULT_EXPERIMENT_ID = "0";
export const DEFAULT_EXPERIMENT_NAME = "Default";

/** Experiment ids are project slugs (stable: a slug never changes), the default project's is "0". */
export function experimentIdOf(slug: string): string {
  return slug === DEFAULT_PROJECT_SLUG ? DEFAULT_EXPERIMENT_ID : slug;
}

export function projectSlugOf(experimentId: string): string {
  return experimentId === DEFAULT_EXPERIMENT_ID ? DEFAULT_PROJECT_SLUG : experimentId;
}

export function experimentNameOf(project: Pick<Project, "slug" | "name">): string {
  return project.slug === DEFAULT_PROJECT_SLUG ? DEFAULT_EXPERIMENT_NAME : project.name;
}

export type MlflowExperiment = {
  experiment_id: string;
  name: string;
  artifact_location: string;
  lifecycle_stage: "active";
  last_update_time: number;
  creation_time: number;
  tags: { key: string; value: string }[];
};

export function toMlflowExperiment(project: Project): MlflowExperiment {
  const tags = project.description ? [{ key: "mlflow.note.content", value: project.description }] : [];
  return {
    experiment_id: experimentIdOf(project.slug),
    name: experimentNameOf(project),
    artifact_location: "",
    lifecycle_stage: "active",
    last_update_time: project.updatedAt.getTime(),
    creation_time: project.createdAt.getTime(),
    tags,
  };
}
