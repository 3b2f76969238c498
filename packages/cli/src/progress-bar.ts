import { formatDurationMs } from "@finetrack/contracts";
/** A one-line progress bar (step, loss, ETA) on a TTY; on a pipe, one line per 10% so logs stay short. */
export function createProgressBar(stream: NodeJS.WriteStream = process.stderr) {
  const tty = Boolean(stream.isTTY);
  let startMs = 0;
  let startStep = 0;
  let lastDecile = -1;
  let drawn = false;
  const clear = () => {
    if (tty && drawn) stream.write("\r\x1b[2K");
    drawn = false;
  };
  return {
    update(p: { label?: string; step: number; total: number; loss?: number; unit?: string }) {
      const now = performance.now();
      if (startMs === 0 || p.step < startStep) {
        startMs = now;
        startStep = p.step;
        lastDecile = -1;
      }
      const done = p.step - startStep;
      const perStepMs = done > 0 ? (now - startMs) / done : NaN;
      const eta = formatDurationMs(perStepMs * (p.total - p.step)) || "?";
      const frac = p.total > 0 ? Math.min(1, p.step / p.total) : 0;
      const label = p.label ? `${p.label} ` : "";
      const what = `${p.unit ?? "step"} ${p.step}/${p.total}${p.loss === undefined ? "" : ` loss ${p.loss.toFixed(4)}`}`;
      if (tty) {
        const width = 24;
        const bar = "█".repeat(Math.round(frac * width)).padEnd(width, "░");
        stream.write(`\r\x1b[2K${label}${bar} ${what} ETA ${eta}`);
        drawn = true;
      } else {
        const decile = Math.floor(frac * 10);
        if (decile !== lastDecile) {
          lastDecile = decile;
          stream.write(`${label}${what} ETA ${eta}\n`);
        }
      }
    },
    /** Prints a message above the bar. */
    log(message: string) {
      clear();
      stream.write(message + "\n");
    },
    done() {
      clear();
    },
  };
}
