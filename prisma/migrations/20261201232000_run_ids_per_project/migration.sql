-- Run ids are unique per project, not globally: two projects may each hold a run "r1", and a
-- run.create with an id taken in another project no longer reveals that it exists there.
-- Run.seq (already unique) becomes the primary key; artifacts point at it; a child points at its
-- parent by (projectId, parentRunId), which also says that the parent is of the same project.

-- Artifact.runId -> Artifact.runSeq, filled from the run it named.
ALTER TABLE "Artifact" DROP CONSTRAINT "Artifact_runId_fkey";
ALTER TABLE "Artifact" ADD COLUMN "runSeq" INTEGER;
UPDATE "Artifact" a SET "runSeq" = r."seq" FROM "Run" r WHERE r."id" = a."runId";
ALTER TABLE "Artifact" ALTER COLUMN "runSeq" SET NOT NULL;
DROP INDEX "Artifact_runId_name_key";
DROP INDEX "Artifact_runId_idx";
ALTER TABLE "Artifact" DROP COLUMN "runId";

-- The parent reference moves from Run(id) to Run(projectId, id).
ALTER TABLE "Run" DROP CONSTRAINT "Run_parentRunId_fkey";
DROP INDEX "Run_parentRunId_idx";
-- A parent of another project (never written by the API, which checks it) is cut, not kept.
UPDATE "Run" c SET "parentRunId" = NULL
  WHERE c."parentRunId" IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM "Run" p WHERE p."id" = c."parentRunId" AND p."projectId" = c."projectId");

-- The primary key: seq instead of id.
ALTER TABLE "Run" DROP CONSTRAINT "Run_pkey";
DROP INDEX "Run_seq_key";
ALTER TABLE "Run" ADD CONSTRAINT "Run_pkey" PRIMARY KEY ("seq");

-- CreateIndex
CREATE UNIQUE INDEX "Run_projectId_id_key" ON "Run"("projectId", "id");

-- CreateIndex
CREATE INDEX "Run_projectId_parentRunId_idx" ON "Run"("projectId", "parentRunId");

-- CreateIndex
CREATE UNIQUE INDEX "Artifact_runSeq_name_key" ON "Artifact"("runSeq", "name");

-- AddForeignKey
ALTER TABLE "Run" ADD CONSTRAINT "Run_projectId_parentRunId_fkey" FOREIGN KEY ("projectId", "parentRunId") REFERENCES "Run"("projectId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Artifact" ADD CONSTRAINT "Artifact_runSeq_fkey" FOREIGN KEY ("runSeq") REFERENCES "Run"("seq") ON DELETE CASCADE ON UPDATE CASCADE;
