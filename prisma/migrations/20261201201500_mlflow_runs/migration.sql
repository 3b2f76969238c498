-- The MLflow-compatible API (issue 9): runs can be deleted and restored (MLflow's lifecycle
-- stage), and the MLflow step of every point that the API stored under another step because its
-- (run, key, step) was taken (MLflow allows many values per step; our points are unique on it).

-- AlterTable
ALTER TABLE "Run" ADD COLUMN "deletedAt" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "MlflowStepRange" (
    "runSeq" INTEGER NOT NULL,
    "key" VARCHAR(256) NOT NULL,
    "fromStep" INTEGER NOT NULL,
    "toStep" INTEGER NOT NULL,
    "mlflowStep" BIGINT NOT NULL,

    CONSTRAINT "MlflowStepRange_pkey" PRIMARY KEY ("runSeq","key","fromStep")
);
