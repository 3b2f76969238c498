import Link from "next/link";
import type { Scalar } from "@/trpc/types";
import { formatDurationMs, formatNumber } from "@finetrack/contracts";
import type { ColumnSpec } from "./run-columns";

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge status-${status}`}>{status}</span>;
}

/** Text form of a cell, shared by the table, group rows and CSV export. */
export function cellText(col: ColumnSpec, value: Scalar | string[]): string {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.join(", ");
  if (col.kind === "date") return new Date(value as number).toLocaleString();
  if (col.kind === "duration") return formatDurationMs((value as number) * 1000);
  if (typeof value === "number") return formatNumber(value);
  return String(value);
}

export function Cell({ col, value, href }: { col: ColumnSpec; value: Scalar | string[]; href?: string }) {
  if (col.kind === "status") return <StatusBadge status={String(value)} />;
  if (col.kind === "name" && href)
    return (
      <Link href={href} tabIndex={-1}>
        {String(value)}
      </Link>
    );
  if (col.kind === "tags" && Array.isArray(value))
    return (
      <>
        {value.map((t) => (
          <span key={t} className="badge">
            {t}
          </span>
        ))}
      </>
    );
  return <>{cellText(col, value)}</>;
}
