import { router } from "../trpc";
import { deleteTag } from "./procedures/delete-tag";
import { history } from "./procedures/history";
import { logBatch } from "./procedures/log-batch";
import { logInputs } from "./procedures/log-inputs";
import { runs } from "./procedures/runs";
import { searchRuns } from "./procedures/search-runs";
import { setDeleted } from "./procedures/set-deleted";
import { update } from "./procedures/update";

/** What the MLflow-compatible REST API needs beyond the run, project and metric routers. */
export const mlflowRouter = router({ logBatch, deleteTag, setDeleted, update, logInputs, runs, history, searchRuns });
