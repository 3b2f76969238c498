import { RunId } from "@finetrack/contracts";
import { z } from "zod";

export const MlflowRunId = RunId;
/** Milliseconds since the Unix epoch. */
export const MlflowTime = z.number({ error: "expected milliseconds since the Unix epoch" }).int().min(0).max(8.64e15);
