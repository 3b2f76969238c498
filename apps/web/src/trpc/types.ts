import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@finetrack/api";

export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RunRows = RouterOutputs["analysis"]["runRows"];
export type Scalar = string | number | boolean | null;
