"use client";
import type { RouterOutputs } from "@/trpc/types";
import { formatNumber } from "@finetrack/contracts";

type Diagnose = RouterOutputs["analysis"]["diagnose"];

type Verdict = NonNullable<Diagnose["diagnosis"]>["verdict"];

const VERDICT_TEXT: Record<Verdict, string> = {
  still_improving: "Still improving",
  good_fit: "Good fit",
  overfitting: "Overfitting",
  underfitting: "Underfitting",
  diverged: "Diverged",
  too_short: "Too short to tell",
  metric_still_improving: "Loss overfits, metric still improves",
  degrading: "Degrading",
  eval_broken: "Evaluation broken",
};

export function DiagnosisPanel({ result }: { result: Diagnose }) {
  const d = result.diagnosis;
  if (!d) {
    return (
      <section className="panel" aria-label="Overfitting diagnosis" data-testid="diagnosis">
        <h2 style={{ marginTop: 0 }}>Overfitting diagnosis</h2>
        <p className="muted">{result.reason}</p>
      </section>
    );
  }
  const es = d.earlyStopping;
  const lastGl = d.generalizationLoss.at(-1)?.value;
  return (
    <section className="panel stack" aria-label="Overfitting diagnosis" data-testid="diagnosis">
      <div className="row">
        <h2 style={{ margin: 0 }}>Overfitting diagnosis</h2>
        <span className={`badge verdict-${d.verdict}`} data-testid="verdict" data-verdict={d.verdict}>
          {VERDICT_TEXT[d.verdict] ?? d.verdict}
        </span>
        <span className="muted" data-testid="confidence">
          confidence {(d.confidence * 100).toFixed(0)}%{d.sparse ? ` (only ${d.evidence.valPoints} evaluations)` : ""}
        </span>
        <span className="muted mono">
          {result.trainKey} vs {result.valKey}
          {result.metricKey ? ` · ${result.metricKey}` : ""}
        </span>
      </div>
      <p style={{ margin: 0 }}>{d.summary}</p>
      <dl className="kv">
        <dt>Best validation</dt>
        <dd>{d.best ? `${formatNumber(d.best.value)} at step ${d.best.step}` : "—"}</dd>
        {d.metric && (
          <>
            <dt>Best {d.metric.name}</dt>
            <dd data-testid="metric-best">
              {d.metric.best ? `${formatNumber(d.metric.best.value)} at step ${d.metric.best.step}` : "—"} ({d.metric.greaterIsBetter ? "higher" : "lower"} is better
              {d.metric.selectsCheckpoint ? "; the run keeps its checkpoint by it" : ""})
            </dd>
          </>
        )}
        <dt>Onset of overfitting</dt>
        <dd>{d.onsetStep !== null ? `step ${d.onsetStep}` : "—"}</dd>
        <dt>Final gap (val − train)</dt>
        <dd>{formatNumber(d.finalGap)}</dd>
        <dt>Generalization loss GL</dt>
        <dd>
          {formatNumber(lastGl)} now, {formatNumber(d.evidence.maxGeneralizationLoss)} at most (Prechelt: 100·(E<sub>va</sub>/E<sub>opt</sub> − 1))
        </dd>
      </dl>
      {d.reasons.length > 0 && (
        <details>
          <summary>Why</summary>
          <ul>
            {d.reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </details>
      )}
      <h3>Early stopping, what if{es.monitor !== "loss" ? ` (on ${es.monitor})` : ""}</h3>
      <p style={{ margin: 0 }} data-testid="what-if">
        {es.stopped
          ? `With patience ${es.patience}${es.evaluationSpacingSteps !== null ? ` (evaluations ${es.evaluationSpacingSteps} steps apart)` : ""}, training would have stopped at step ${es.stopStep}, keeping the weights of step ${es.bestStepAtStop} (${es.monitor === "loss" ? "val" : es.monitor} ${formatNumber(es.bestValueAtStop)}), and saved ${es.stepsSaved} steps (${(es.fractionSaved * 100).toFixed(0)}% of the run${es.wallSecondsSaved !== null ? `, ${Math.round(es.wallSecondsSaved)} s` : ""}).`
          : `With patience ${es.patience}, early stopping would not have stopped this run.`}
      </p>
      <table className="simple">
        <thead>
          <tr>
            <th className="num">Patience</th>
            <th className="num">Stop step</th>
            <th className="num">Kept best</th>
            <th className="num">Loss vs overall best</th>
            <th className="num">Steps saved</th>
          </tr>
        </thead>
        <tbody>
          {d.earlyStoppingTable.map((w) => (
            <tr key={w.patience}>
              <td className="num">{w.patience}</td>
              <td className="num">{w.stopStep ?? "—"}</td>
              <td className="num">{formatNumber(w.bestValueAtStop)}</td>
              <td className="num">{formatNumber(w.lossVsOverallBest)}</td>
              <td className="num">{w.stepsSaved}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {d.advice.length > 0 && (
        <>
          <h3>Advice</h3>
          <ol data-testid="advice">
            {[...d.advice]
              .sort((a, b) => a.priority - b.priority)
              .map((a) => (
                <li key={a.id}>{a.message}</li>
              ))}
          </ol>
        </>
      )}
    </section>
  );
}
