// One line of progress on stderr: redrawn in place on a terminal, or (when asked for without one) a plain line
// every tenth of the way, so a log stays short.
import { paint } from './format.js';
import type { ExportProgress } from '../core/evidence/index.js';

function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

export class ProgressLine {
  private readonly live: boolean;
  private last = 0;
  private lastStep = -1;
  private shown = false;
  private phaseStart = Date.now();
  private phase = '';

  constructor(live: boolean) {
    this.live = live;
  }

  /** `fraction` of `label` done; the ETA comes from the time spent in this phase so far. */
  update(phase: string, label: string, fraction: number | undefined, force = false): void {
    if (phase !== this.phase) {
      this.phase = phase;
      this.phaseStart = Date.now();
      this.lastStep = -1;
    }
    const now = Date.now();
    let text = label;
    if (fraction !== undefined) {
      const f = Math.min(1, Math.max(0, fraction));
      const elapsed = (now - this.phaseStart) / 1000;
      const eta = f > 0.02 && elapsed > 1 ? ` · ETA ${clock((elapsed * (1 - f)) / f)}` : '';
      text = `${label} ${Math.floor(f * 100)}%${eta}`;
      if (!this.live) {
        const step = Math.floor(f * 10);
        if (step === this.lastStep && !force) return;
        this.lastStep = step;
      }
    }
    if (this.live) {
      if (!force && now - this.last < 100) return;
      this.last = now;
      const width = (process.stderr.columns ?? 80) - 1;
      process.stderr.write(`\r\u001b[K${paint.dim(text.slice(0, width))}`);
      this.shown = true;
    } else {
      process.stderr.write(`${text}\n`);
    }
  }

  done(): void {
    if (this.live && this.shown) process.stderr.write('\r\u001b[K');
    this.shown = false;
  }
}

export { clock as formatClock };

/** One line per phase of an export (footage export, rights fulfil): what is being done, with fps while redacting. */
export function showExportProgress(progress: ProgressLine, p: ExportProgress, lookingFor = 'faces'): void {
  const fraction = p.total > 0 ? p.done / p.total : undefined;
  switch (p.phase) {
    case 'inspect':
      progress.update(p.phase, `Reading ${p.total} segment${p.total === 1 ? '' : 's'}`, fraction);
      break;
    case 'copy':
      progress.update(p.phase, `Copying ${p.camera} (${clock(p.done)} of ${clock(p.total)})`, fraction);
      break;
    case 'detect':
      progress.update(`${p.phase}:${p.camera}`, `Finding ${lookingFor} in ${p.camera}: frame ${p.done} of ${p.total}, ${(p.fps ?? 0).toFixed(1)} fps`, fraction);
      break;
    case 'render':
      progress.update(`${p.phase}:${p.camera}`, `Redacting ${p.camera}: frame ${p.done} of ${p.total}, ${(p.fps ?? 0).toFixed(1)} fps`, fraction);
      break;
    case 'sheet':
      progress.update(`${p.phase}:${p.camera}`, `Contact sheet of ${p.camera}`, fraction);
      break;
    case 'encrypt':
      progress.update(p.phase, 'Encrypting', fraction);
      break;
    default:
      progress.update(p.phase, 'Writing the package', undefined, true);
  }
}
