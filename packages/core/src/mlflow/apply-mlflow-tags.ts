import { MAX_NAME_LENGTH, MAX_TAG_LENGTH, MAX_TAGS } from "@finetrack/contracts";
import { NOTE_TAG, PARENT_RUN_TAG, RUN_NAME_TAG, type MlflowKeyValue } from "./mlflow-types";

/** The parts of a run that MLflow tags map onto. */
export type MlflowTagState = {
  name: string;
  notes: string;
  parentRunId: string | null;
  /** Run.tags: finetrack's labels. */
  labels: string[];
  /** Run.system.mlflowTags: every MLflow tag without a first-class home, verbatim. */
  mlflowTags: Record<string, string>;
};

/**
 * The label a user tag shows as in the dashboard (`key`, or `key:value`); none for MLflow's own
 * `mlflow.*` tags or when it does not fit a label.
 */
export function labelOfTag(key: string, value: string): string | null {
  if (key.startsWith("mlflow.")) return null;
  const label = value === "" || value === "true" ? key : `${key}:${value}`;
  return label.trim() && label.length <= MAX_TAG_LENGTH ? label : null;
}

/**
 * Applies MLflow tag writes (in order; the last value of a key wins) and deletions:
 * `mlflow.runName` → name, `mlflow.note.content` → notes, `mlflow.parentRunId` → parent run
 * (when `parentExists` says so), the rest verbatim into `mlflowTags`, user tags also as labels.
 */
export function applyMlflowTags(
  state: MlflowTagState,
  changes: { set?: MlflowKeyValue[]; remove?: string[] },
  parentExists: (id: string) => boolean = () => false,
): MlflowTagState {
  // Keys are data ("__proto__" is a valid MLflow tag name): a prototype-free record.
  const next: MlflowTagState = { ...state, labels: [...state.labels], mlflowTags: Object.assign(Object.create(null), state.mlflowTags) };
  const dropLabel = (key: string) => {
    const old = next.mlflowTags[key];
    const label = old === undefined ? null : labelOfTag(key, old);
    if (label) next.labels = next.labels.filter((l) => l !== label);
  };
  for (const key of changes.remove ?? []) {
    if (key === NOTE_TAG) next.notes = "";
    else if (key === PARENT_RUN_TAG) next.parentRunId = null;
    dropLabel(key);
    delete next.mlflowTags[key];
  }
  for (const { key, value } of changes.set ?? []) {
    if (key === RUN_NAME_TAG) {
      const name = value.trim().slice(0, MAX_NAME_LENGTH);
      if (name) next.name = name;
      continue;
    }
    if (key === NOTE_TAG) {
      next.notes = value;
      continue;
    }
    if (key === PARENT_RUN_TAG && parentExists(value)) {
      next.parentRunId = value;
      delete next.mlflowTags[key];
      continue;
    }
    dropLabel(key);
    next.mlflowTags[key] = value;
    const label = labelOfTag(key, value);
    if (label && !next.labels.includes(label) && next.labels.length < MAX_TAGS) next.labels.push(label);
  }
  return next;
}
