-- A MetricTier bucket's max used to skip NaN (NaN lost to any number), so a NaN spike vanished
-- from curves long enough to be read from tiers while short ones (read raw) showed it. The rule is
-- now Postgres' float8 order, where NaN is above every number: a bucket holding a NaN has its first
-- NaN point (by step) as its max. Recompute the max of every stored bucket that holds a NaN; the
-- min, the count and buckets without NaN are unchanged. Only existing tier rows are touched.
WITH "nan" AS (
  SELECT p."runSeq", p."keyId", l."level", p."step" >> l."level" AS "bucket", min(p."step") AS "step"
  FROM "MetricPoint" p CROSS JOIN generate_series(4, 30) AS l("level")
  WHERE p."value" = 'NaN'::float8
  GROUP BY 1, 2, 3, 4
)
UPDATE "MetricTier" t
SET "maxStep" = p."step", "maxValue" = p."value", "maxEpoch" = p."epoch", "maxTime" = p."time"
FROM "nan" n
JOIN "MetricPoint" p ON p."runSeq" = n."runSeq" AND p."keyId" = n."keyId" AND p."step" = n."step"
WHERE t."runSeq" = n."runSeq" AND t."keyId" = n."keyId" AND t."level" = n."level" AND t."bucket" = n."bucket"
  AND (t."maxValue" <> 'NaN'::float8 OR t."maxStep" <> n."step");
