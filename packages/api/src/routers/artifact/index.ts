import { router } from "../../trpc";
import { list } from "./list";
import { log } from "./log";

export const artifactRouter = router({ log, list });
