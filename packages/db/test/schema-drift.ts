import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type pg from "pg";
import { paths } from "../src/env";

type DmmfField = {
  name: string;
  dbName?: string | null;
  kind: "scalar" | "enum" | "object";
  type: string;
  isList: boolean;
  isRequired: boolean;
  hasDefaultValue: boolean;
  isUpdatedAt: boolean;
  nativeType?: [string, string[]] | null;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
};
type DmmfModel = { name: string; dbName: string | null; fields: DmmfField[] };
type DmmfIndex = {
  model: string;
  type: "id" | "unique" | "normal" | "fulltext";
  dbName?: string | null;
  algorithm?: string;
  fields: { name: string; sortOrder?: "asc" | "desc" }[];
};
type Dmmf = { datamodel: { models: DmmfModel[]; enums: { name: string; values: { name: string }[] }[]; indexes: DmmfIndex[] } };

/** Parses schema.prisma with Prisma's own schema engine (wasm), so the test checks Prisma's reading of it. */
export function readSchemaDmmf(schemaFile = paths.schemaFile): Dmmf {
  const require = createRequire(import.meta.url);
  const wasm = require("@prisma/prisma-schema-wasm") as { get_dmmf(params: string): string };
  const schema = readFileSync(schemaFile, "utf8");
  return JSON.parse(wasm.get_dmmf(JSON.stringify({ prismaSchema: [["schema.prisma", schema]] })));
}

function expectedColumnType(f: DmmfField): string {
  if (f.kind === "enum") return f.type;
  const native = f.nativeType;
  if (native) {
    const [name, args] = native;
    const n = args[0];
    switch (name) {
      case "VarChar": return `character varying(${n})`;
      case "Char": return `character(${n})`;
      case "Timestamptz": return `timestamp with time zone(${n ?? 6})`;
      case "Timestamp": return `timestamp without time zone(${n ?? 6})`;
      case "Real": return "real";
      case "DoublePrecision": return "double precision";
      case "Text": return "text";
      case "SmallInt": return "smallint";
      case "Integer": return "integer";
      case "BigInt": return "bigint";
      case "JsonB": return "jsonb";
      default: return name.toLowerCase();
    }
  }
  switch (f.type) {
    case "String": return "text";
    case "Int": return "integer";
    case "BigInt": return "bigint";
    case "Float": return "double precision";
    case "Boolean": return "boolean";
    case "DateTime": return "timestamp without time zone(3)";
    case "Json": return "jsonb";
    case "Decimal": return "numeric(65,30)";
    case "Bytes": return "bytea";
    default: throw new Error(`unsupported Prisma type ${f.type}`);
  }
}

const ON_DELETE: Record<string, string> = { a: "NoAction", r: "Restrict", c: "Cascade", n: "SetNull", d: "SetDefault" };

/**
 * Lists every difference between the live database and schema.prisma: tables, columns (type,
 * nullability, default), enums, primary keys, unique constraints, indexes and foreign keys.
 * An empty list means the migrations produce exactly what the schema describes.
 */
export async function diffDatabaseAgainstSchema(pool: pg.Pool | pg.Client, dmmf = readSchemaDmmf()): Promise<string[]> {
  const problems: string[] = [];
  const models = dmmf.datamodel.models;
  const table = (m: string) => models.find((x) => x.name === m)?.dbName ?? m;
  const column = (m: string, field: string) => {
    const f = models.find((x) => x.name === m)?.fields.find((x) => x.name === field);
    return f?.dbName ?? field;
  };

  const { rows: cols } = await pool.query<{ table_name: string; column_name: string; type: string; is_nullable: string; column_default: string | null }>(
    `SELECT c.table_name, c.column_name, c.is_nullable, c.column_default,
            format_type(a.atttypid, a.atttypmod) AS type
       FROM information_schema.columns c
       JOIN pg_class t ON t.relname = c.table_name AND t.relnamespace = 'public'::regnamespace
       JOIN pg_attribute a ON a.attrelid = t.oid AND a.attname = c.column_name
      WHERE c.table_schema = 'public' AND c.table_name <> '_prisma_migrations'`,
  );
  const live = new Map(cols.map((c) => [`${c.table_name}.${c.column_name}`, c]));
  const expectedTables = new Set(models.map((m) => table(m.name)));
  for (const t of new Set(cols.map((c) => c.table_name))) if (!expectedTables.has(t)) problems.push(`table ${t} is not in schema.prisma`);

  for (const m of models) {
    const t = table(m.name);
    const scalar = m.fields.filter((f) => f.kind !== "object");
    for (const f of scalar) {
      const name = f.dbName ?? f.name;
      const c = live.get(`${t}.${name}`);
      if (!c) { problems.push(`column ${t}.${name} is missing`); continue; }
      const base = expectedColumnType(f);
      const want = f.isList ? `${base.replace(/^([A-Z]\w*)$/, '"$1"')}[]` : base.replace(/^([A-Z]\w*)$/, '"$1"');
      const got = c.type.replace(/^timestamp\((\d)\) with time zone/, "timestamp with time zone($1)").replace(/^timestamp\((\d)\) without time zone/, "timestamp without time zone($1)");
      if (got.toLowerCase() !== want.toLowerCase()) problems.push(`column ${t}.${name}: type ${c.type}, schema wants ${want}`);
      const nullable = f.isList || !f.isRequired;
      if ((c.is_nullable === "YES") !== nullable) problems.push(`column ${t}.${name}: nullable=${c.is_nullable}, schema wants ${nullable ? "YES" : "NO"}`);
      const hasDefault = f.hasDefaultValue && !f.isUpdatedAt && !(f.type === "String" && /cuid|uuid/.test(JSON.stringify((f as { default?: unknown }).default ?? "")));
      if ((c.column_default !== null) !== hasDefault) problems.push(`column ${t}.${name}: default ${c.column_default ?? "none"}, schema ${hasDefault ? "has one" : "has none"}`);
    }
    for (const c of cols.filter((c) => c.table_name === t)) {
      if (!scalar.some((f) => (f.dbName ?? f.name) === c.column_name)) problems.push(`column ${t}.${c.column_name} is not in schema.prisma`);
    }
  }

  const { rows: enums } = await pool.query<{ name: string; values: string[] }>(
    `SELECT t.typname AS name, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS values
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`,
  );
  for (const e of dmmf.datamodel.enums) {
    const got = enums.find((x) => x.name === e.name);
    const want = e.values.map((v) => v.name);
    if (!got) problems.push(`enum ${e.name} is missing`);
    else if (got.values.join(",") !== want.join(",")) problems.push(`enum ${e.name}: ${got.values} vs schema ${want}`);
  }
  for (const e of enums) if (!dmmf.datamodel.enums.some((x) => x.name === e.name)) problems.push(`enum ${e.name} is not in schema.prisma`);

  const { rows: indexes } = await pool.query<{ table: string; name: string; unique: boolean; primary: boolean; method: string; cols: string[]; descs: boolean[] }>(
    `SELECT t.relname AS table, i.relname AS name, ix.indisunique AS unique, ix.indisprimary AS primary, am.amname AS method,
            array(SELECT a.attname::text FROM unnest(ix.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord) AS cols,
            array(SELECT (o & 1) = 1 FROM unnest(ix.indoption::int2[]) WITH ORDINALITY x(o, ord) ORDER BY x.ord) AS descs
       FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid
       JOIN pg_am am ON am.oid = i.relam
      WHERE t.relnamespace = 'public'::regnamespace AND t.relname <> '_prisma_migrations'`,
  );
  const seen = new Set<string>();
  for (const ix of dmmf.datamodel.indexes) {
    const t = table(ix.model);
    const colNames = ix.fields.map((f) => column(ix.model, f.name));
    const suffix = ix.type === "id" ? "pkey" : ix.type === "unique" ? "key" : "idx";
    const name = ix.dbName ?? (ix.type === "id" ? `${t}_pkey` : `${t}_${colNames.join("_")}_${suffix}`);
    seen.add(name);
    const got = indexes.find((x) => x.name === name);
    if (!got) { problems.push(`index ${name} on ${t}(${colNames}) is missing`); continue; }
    if (got.table !== t || got.cols.join(",") !== colNames.join(",")) problems.push(`index ${name}: on ${got.table}(${got.cols}), schema wants ${t}(${colNames})`);
    if (got.primary !== (ix.type === "id")) problems.push(`index ${name}: primary=${got.primary}`);
    if (got.unique !== (ix.type === "id" || ix.type === "unique")) problems.push(`index ${name}: unique=${got.unique}`);
    const method = (ix.algorithm ?? "BTree").toLowerCase();
    if (got.method !== method) problems.push(`index ${name}: method ${got.method}, schema wants ${method}`);
    const wantDesc = ix.fields.map((f) => f.sortOrder === "desc");
    if (got.descs.join(",") !== wantDesc.join(",")) problems.push(`index ${name}: sort order ${got.descs}, schema wants ${wantDesc}`);
  }
  for (const ix of indexes) if (!seen.has(ix.name)) problems.push(`index ${ix.name} on ${ix.table}(${ix.cols}) is not in schema.prisma`);

  const { rows: fks } = await pool.query<{ name: string; table: string; cols: string[]; ref: string; ref_cols: string[]; on_delete: string }>(
    `SELECT c.conname AS name, t.relname AS table, r.relname AS ref, c.confdeltype AS on_delete,
            array(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o) AS cols,
            array(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.o) AS ref_cols
       FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class r ON r.oid = c.confrelid
      WHERE c.contype = 'f' AND t.relnamespace = 'public'::regnamespace`,
  );
  const wantFks = new Set<string>();
  for (const m of models) {
    for (const f of m.fields.filter((f) => f.kind === "object" && f.relationFromFields?.length)) {
      const t = table(m.name);
      const from = f.relationFromFields!.map((x) => column(m.name, x));
      const name = `${t}_${from.join("_")}_fkey`;
      wantFks.add(name);
      const got = fks.find((x) => x.name === name);
      if (!got) { problems.push(`foreign key ${name} is missing`); continue; }
      const to = f.relationToFields!.map((x) => column(f.type, x));
      if (got.ref !== table(f.type) || got.ref_cols.join(",") !== to.join(",") || got.cols.join(",") !== from.join(","))
        problems.push(`foreign key ${name}: ${got.cols} -> ${got.ref}(${got.ref_cols}), schema wants ${from} -> ${table(f.type)}(${to})`);
      const onDelete = f.relationOnDelete ?? (f.isRequired ? "Restrict" : "SetNull");
      if (ON_DELETE[got.on_delete] !== onDelete) problems.push(`foreign key ${name}: on delete ${ON_DELETE[got.on_delete]}, schema wants ${onDelete}`);
    }
  }
  for (const fk of fks) if (!wantFks.has(fk.name)) problems.push(`foreign key ${fk.name} is not in schema.prisma`);
  return problems;
}
