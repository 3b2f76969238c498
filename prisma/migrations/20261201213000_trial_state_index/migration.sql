-- "Is any trial of this sweep still queued or running?" after every report, and the per-state
-- counts of the sweep page, read one sweep's trials by state instead of all of them.

-- CreateIndex
CREATE INDEX "Trial_sweepId_state_idx" ON "Trial"("sweepId", "state");
