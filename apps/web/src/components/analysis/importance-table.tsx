import type { RouterOutputs } from "@/trpc/types";
import { formatNumber } from "@/lib/format";

type Result = NonNullable<RouterOutputs["analysis"]["factorImpact"]["result"]>;

const METHODS = [
  { key: "combined", label: "Combined" },
  { key: "maxAbsSpearman", label: "|Spearman|" },
  { key: "permutation", label: "Forest (permutation)" },
  { key: "fanova", label: "fANOVA" },
  { key: "pedAnova", label: "PED-ANOVA" },
] as const;

function Bar({ value, max }: { value: number | null; max: number }) {
  const v = value !== null && Number.isFinite(value) ? Math.max(0, value) : 0;
  return (
    <div style={{ display: "flex", alignItems: "center", gap: 6 }}>
      <div className="bar" style={{ width: `${max > 0 ? (v / max) * 90 : 0}px` }} />
      <span className="mono">{value === null ? "—" : formatNumber(Number(value.toFixed(3)))}</span>
    </div>
  );
}

/** Importance of every factor by each method, ordered by the combined share. */
export function ImportanceTable({ result }: { result: Result }) {
  const max = Object.fromEntries(
    METHODS.map((m) => [m.key, Math.max(0, ...result.factors.map((f) => (f[m.key] !== null && Number.isFinite(f[m.key]) ? (f[m.key] as number) : 0)))]),
  );
  return (
    <table className="simple" data-testid="importance">
      <thead>
        <tr>
          <th>Factor</th>
          <th>Family</th>
          {METHODS.map((m) => (
            <th key={m.key}>{m.label}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {result.factors.map((f) => (
          <tr key={f.name} data-factor={f.name} data-testid="importance-row">
            <td className="mono">{f.name}</td>
            <td>{f.family.replace("_", " ")}</td>
            {METHODS.map((m) => (
              <td key={m.key}>
                <Bar value={f[m.key]} max={max[m.key]} />
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function AnovaTable({ result }: { result: Result }) {
  const table = result.anova.multiWay;
  const rows = table ? table.rows : result.anova.oneWay;
  if (!rows.length) return <p className="muted">No categorical factor to run an ANOVA on.</p>;
  return (
    <>
      <p className="muted" style={{ margin: 0 }}>
        {table ? `Type II ANOVA, main effects and two-way interactions (N = ${table.n}).` : "One-way ANOVA per factor."}
        {result.anova.notes.map((n) => ` ${n}`)}
      </p>
      <table className="simple" data-testid="anova">
        <thead>
          <tr>
            <th>Term</th>
            <th className="num">df</th>
            <th className="num">Sum sq</th>
            <th className="num">F</th>
            <th className="num">p</th>
            <th className="num">η²</th>
            <th className="num">partial η²</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.term}>
              <td className="mono">{r.term}</td>
              <td className="num">{r.df}</td>
              <td className="num">{formatNumber(r.sumSq)}</td>
              <td className="num">{formatNumber(r.F)}</td>
              <td className="num">{r.pValue < 1e-4 ? "< 0.0001" : formatNumber(r.pValue)}</td>
              <td className="num">{formatNumber(r.etaSq)}</td>
              <td className="num">{formatNumber(r.partialEtaSq)}</td>
            </tr>
          ))}
          {table && (
            <tr>
              <td>Residual</td>
              <td className="num">{table.residual.df}</td>
              <td className="num">{formatNumber(table.residual.sumSq)}</td>
              <td colSpan={4} />
            </tr>
          )}
        </tbody>
      </table>
    </>
  );
}
