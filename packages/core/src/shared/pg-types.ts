export type { Pool, PoolClient } from "pg";
