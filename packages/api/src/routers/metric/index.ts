import { router } from "../../trpc";
import { keys } from "./keys";
import { logBatch } from "./log-batch";
import { points } from "./points";
import { series } from "./series";

export const metricRouter = router({ logBatch, series, keys, points });
