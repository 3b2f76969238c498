import { router } from "../../trpc";
import { upsert } from "./upsert";

export const datasetRouter = router({ upsert });
