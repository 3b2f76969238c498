import { router } from "../../trpc";
import { ablation } from "./ablation";
import { compareConfigs } from "./compare-configs";
import { diagnose } from "./diagnose";
import { factorImpact } from "./factor-impact";
import { projectActivity } from "./project-activity";
import { runRows } from "./run-rows";

export const analysisRouter = router({
  runRows,
  diagnose,
  projectActivity,
  ablation,
  factorImpact,
  compareConfigs,
});
