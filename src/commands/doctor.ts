import { BaseCommand } from '../cli/base.js';
import { colour } from '../cli/format.js';
import { messages, useLanguage } from '../cli/messages.js';
import { runDoctor, type CheckStatus, type DoctorCheck } from '../core/doctor/index.js';
import { ExitCode } from '../core/errors.js';

const text = messages('doctor');

export interface DoctorLine extends DoctorCheck {
  message: string;
  /** What to do, for warn and fail. */
  fix?: string;
}

const PAINT: Record<CheckStatus, (s: string) => string> = { ok: colour.green, warn: colour.yellow, fail: colour.red, skip: colour.dim };

export default class Doctor extends BaseCommand<typeof Doctor> {
  static override summary = text.get('summary');

  static override description = text.get('description');

  static override examples = [
    { description: text.get('examples.all'), command: '<%= config.bin %> <%= command.id %>' },
    { description: text.get('examples.json'), command: '<%= config.bin %> <%= command.id %> --config /etc/toezicht/toezicht.config.yaml --json' },
  ];

  public async run(): Promise<{ ok: boolean; checks: DoctorLine[] }> {
    const report = await runDoctor({ ...(this.flags.config ? { configFile: this.flags.config } : {}), now: Date.now() });
    // The texts below follow the config's language, as every command's once it has read its config.
    useLanguage({ config: report.config?.language });
    const checks = report.checks.map((c): DoctorLine => {
      const fix = c.status === 'warn' || c.status === 'fail' || c.status === 'skip' ? text.find(`${c.key}.fix`, c.params) : undefined;
      return { ...c, message: text.get(c.key, c.params), ...(fix ? { fix } : {}) };
    });
    const width = Math.max(...checks.map((c) => text.get(`status.${c.status}`).length));
    for (const c of checks) {
      this.log(`${PAINT[c.status](text.get(`status.${c.status}`).padEnd(width))}  ${c.message}`);
      if (c.fix) this.log(`${' '.repeat(width)}  → ${c.fix}`);
    }
    const failures = checks.filter((c) => c.status === 'fail').length;
    const warnings = checks.filter((c) => c.status === 'warn').length;
    this.log('');
    this.log(failures ? colour.red(text.get('summary.fail', { failures, warnings })) : text.get('summary.ok', { warnings }));
    if (failures) this.setExitCode(ExitCode.failure);
    return { ok: report.ok, checks };
  }
}
