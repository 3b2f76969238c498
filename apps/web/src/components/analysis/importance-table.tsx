import type { RouterOutputs } from "@/trpc/types";
import { formatNumber } from "@finetrack/contracts";

type Result = NonNullable<RouterOutputs["analysis"]["factorImpact"]["result"]>;

const METHODS = [
  { key: "combined", label: "Combined", weight: null },
  { key: "maxAbsSpearman", label: "|Spearman|", weight: null },
  { key: "permutation", label: "Forest (permutation)", weight: "permutation" },
  { key: "fanova", label: "fANOVA", weight: "fanova" },
  { key: "pedAnova", label: "PED-ANOVA", weight: "pedAnova" },
  { key: "anova", label: "ANOVA (type II)", weight: "anova" },
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

/** Importance of every factor by each method, ordered by the combined share (factors with evidence of an effect first). */
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
            <th key={m.key} title={m.weight ? `weight in Combined: ${result.methods[m.weight].toFixed(2)}` : undefined}>
              {m.label}
              {m.weight && result.methods[m.weight] < 1 && <span className="muted"> (×{result.methods[m.weight].toFixed(1)})</span>}
            </th>
          ))}
          <th>p</th>
        </tr>
      </thead>
      <tbody>
        {result.factors.map((f) => (
          <tr key={f.name} data-factor={f.name} data-effect={f.effect} data-testid="importance-row" style={f.effect ? undefined : { opacity: 0.65 }}>
            <td className="mono">
              {f.name} {!f.effect && <span className="badge">no clear effect</span>}
            </td>
            <td>{f.family.replace("_", " ")}</td>
            {METHODS.map((m) => (
              <td key={m.key}>
                <Bar value={f[m.key]} max={max[m.key]} />
              </td>
            ))}
            <td className="mono">{f.pValue === null ? "—" : f.pValue < 1e-4 ? "< 0.0001" : formatNumber(Number(f.pValue.toPrecision(2)))}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Weights and the reasons a method counts less, under the importance table. */
export function MethodNotes({ result }: { result: Result }) {
  if (!result.methods.notes.length) return null;
  return (
    <ul className="muted" style={{ margin: 0 }} data-testid="method-notes">
      {result.methods.notes.map((n) => (
        <li key={n}>{n}</li>
      ))}
    </ul>
  );
}

export function AnovaTable({ result }: { result: Result }) {
  const table = result.anova.multiWay;
  const rows = table ? table.rows : result.anova.oneWay.filter((r) => r.df > 0 && Number.isFinite(r.F));
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
            <tr key={r.term} data-testid="anova-row">
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
      {table && table.aliased.length > 0 && (
        <ul className="muted" style={{ margin: 0 }} data-testid="anova-aliased">
          {table.aliased.map((a) => (
            <li key={a.term}>{a.reason}</li>
          ))}
        </ul>
      )}
    </>
  );
}
