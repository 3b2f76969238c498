import { analysisRouter } from "./routers/analysis";
import { artifactRouter } from "./routers/artifact";
import { datasetRouter } from "./routers/dataset";
import { healthRouter } from "./routers/health";
import { keyRouter } from "./routers/key";
import { mlflowRouter } from "./mlflow/router";
import { metricRouter } from "./routers/metric";
import { projectRouter } from "./routers/project";
import { runRouter } from "./routers/run";
import { sessionRouter } from "./routers/session";
import { sweepRouter } from "./routers/sweep";
import { userRouter } from "./routers/user";
import { createCallerFactory, router } from "./trpc";

/** Only assembles domain routers; add a domain with one line. */
export const appRouter = router({
  health: healthRouter,
  session: sessionRouter,
  user: userRouter,
  project: projectRouter,
  key: keyRouter,
  dataset: datasetRouter,
  run: runRouter,
  metric: metricRouter,
  artifact: artifactRouter,
  analysis: analysisRouter,
  mlflow: mlflowRouter,
  sweep: sweepRouter,
});

export type AppRouter = typeof appRouter;

/** In-process calls with a given context: `createCaller(createContextInner({ db, principal }))`. */
export const createCaller = createCallerFactory(appRouter);
