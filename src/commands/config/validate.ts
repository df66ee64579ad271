import { BaseCommand } from '../../cli/base.js';
import { colour, plural } from '../../cli/format.js';
import { ConfigError, loadConfig, type LocatedProblem } from '../../core/config/index.js';
import { ExitCode } from '../../core/errors.js';
import { inspectSetup, type SetupNote } from '../../core/setup/index.js';

interface ValidateResult {
  valid: boolean;
  file?: string;
  problems: LocatedProblem[];
  warnings: { message: string; rule?: string; source?: string; line?: number }[];
  notes: SetupNote[];
}

export default class ConfigValidate extends BaseCommand<typeof ConfigValidate> {
  static override summary = 'Check the configuration: every problem with its file, line and key.';

  static override description = `Checks the config against its schema (unknown keys, wrong types, retention that is not a duration, cameras pointing at unknown storage …) and against the retention guidelines of the protocol (a warning names the rule and its source). Also says what is missing around it: the register, storage roots.

Exit codes: 0 valid (warnings allowed) · 2 problems found or no config.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    { description: 'A given file, for a CI check of the school\'s config repository', command: '<%= config.bin %> <%= command.id %> --config toezicht.config.yaml --json' },
  ];

  public async run(): Promise<ValidateResult> {
    let result: ValidateResult;
    try {
      const loaded = await loadConfig({ ...(this.flags.config ? { file: this.flags.config } : {}) });
      result = {
        valid: true,
        file: loaded.file,
        problems: [],
        warnings: loaded.warnings.map((w) => ({ message: w.message, rule: w.rule, ...(w.source ? { source: w.source } : {}), ...(w.line ? { line: w.line } : {}) })),
        notes: inspectSetup(loaded.config),
      };
      this.log(colour.green(`${loaded.file} is valid: ${plural(loaded.config.cameras.length, 'camera')}, ${plural(loaded.config.storage.length, 'storage')}.`));
      for (const w of result.warnings) this.log(colour.yellow(`warning${w.line ? ` (line ${w.line})` : ''}: ${w.message}${w.source ? ` [${w.source}]` : ''}`));
      for (const n of result.notes) this.log(colour.yellow(`${n.severity}: ${n.message}`));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      const file = error.problems.find((p) => p.file)?.file;
      result = { valid: false, ...(file ? { file } : {}), problems: error.problems, warnings: [], notes: [] };
      this.setExitCode(ExitCode.usage);
      if (!this.jsonEnabled()) {
        process.stderr.write(`${colour.red('error:')} ${error.message}\n`);
        for (const line of error.details) process.stderr.write(`  ${line}\n`);
      }
    }
    return result;
  }
}
