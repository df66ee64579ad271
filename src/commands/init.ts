import { existsSync } from 'node:fs';
import path from 'node:path';
import { Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base.js';
import { colour } from '../cli/format.js';
import { loadConfig, LAYOUTS, type StarterAnswers } from '../core/config/index.js';
import { UsageError } from '../core/errors.js';
import { CATEGORIES } from '../core/policy/retention.js';
import { createRegister, writeStarterConfig, type InitResult } from '../core/setup/index.js';

export default class Init extends BaseCommand<typeof Init> {
  static override summary = 'Set up toezicht: write a starter config (by asking, or from flags) and create the register.';

  static override description = `Only init creates a register; every other command stops when there is none. With an existing config (--config FILE, or one found from this folder) it creates only what is missing — the register — and asks nothing. Without a terminal (cron, scripts) it never asks: give the answers as flags, or it stops naming the missing ones (exit 2).`;

  static override examples = [
    { description: 'Answer a few questions', command: '<%= config.bin %> <%= command.id %>' },
    {
      description: 'Without questions, e.g. from a provisioning script',
      command:
        '<%= config.bin %> <%= command.id %> --school "OSG De Linde" --board "Stichting OVO" --storage-root /srv/frigate/recordings --layout frigate --camera "entree:Hoofdingang:Hoofdingang, binnen"',
    },
    { description: 'An existing config: create its register only', command: '<%= config.bin %> <%= command.id %> --config /etc/toezicht/toezicht.config.yaml' },
  ];

  static override flags = {
    school: Flags.string({ summary: 'Name of the school.' }),
    board: Flags.string({ summary: 'The school board (bevoegd gezag).' }),
    timezone: Flags.string({ summary: 'Time zone of the school.', default: 'Europe/Amsterdam' }),
    'storage-root': Flags.string({ summary: 'Folder that holds the footage.' }),
    layout: Flags.string({ summary: 'How the recorder names its files.', options: [...LAYOUTS], default: 'frigate' }),
    pattern: Flags.string({ summary: 'For --layout pattern: e.g. "{camera}/{YYYY}{MM}{DD}/{HH}{mm}{ss}.mp4".' }),
    'segment-seconds': Flags.integer({ summary: 'Longest length of one segment file in seconds.', min: 1 }),
    camera: Flags.string({ summary: 'A camera as ID[:NAME[:LOCATION[:CATEGORY]]] (repeatable; category defaults to surveillance).', multiple: true }),
  };

  public async run(): Promise<InitResult> {
    const existing = await this.existingConfigFile();
    if (existing) {
      const { config } = await loadConfig({ file: existing });
      const created = await createRegister(config);
      this.log(created ? colour.green(`Created the register ${config.register} (mode 0600).`) : `${existing} and its register ${config.register} already exist; nothing to do.`);
      return { configFile: existing, configWritten: false, registerFile: config.register, registerCreated: created };
    }
    const file = path.resolve(this.flags.config ?? 'toezicht.config.yaml');
    const answers = this.interactive && (!this.flags.school || !this.flags['storage-root']) ? await this.ask() : this.fromFlags();
    const result = await writeStarterConfig(file, answers);
    this.log(colour.green(`Wrote ${result.configFile} and created the register ${result.registerFile} (mode 0600).`));
    this.log('Next: `toezicht config validate`, then `toezicht footage purge --dry-run`.');
    return result;
  }

  private async existingConfigFile(): Promise<string | undefined> {
    if (this.flags.config) return existsSync(path.resolve(this.flags.config)) ? path.resolve(this.flags.config) : undefined;
    try {
      return (await loadConfig()).file;
    } catch (error) {
      // Nothing found here: init writes a new one. A config that is there but broken must be fixed, not replaced.
      if ((error as { code?: string }).code === 'config.missing') return undefined;
      throw error;
    }
  }

  private fromFlags(): StarterAnswers {
    const missing = [!this.flags.school && '--school', !this.flags['storage-root'] && '--storage-root'].filter(Boolean);
    if (missing.length) {
      throw new UsageError('init.missing', `Without a terminal init asks nothing: give ${missing.join(' and ')} (see \`toezicht init --help\`).`);
    }
    return {
      school: this.flags.school!,
      ...(this.flags.board ? { board: this.flags.board } : {}),
      timezone: this.flags.timezone,
      storageRoot: this.flags['storage-root']!,
      layout: this.flags.layout as StarterAnswers['layout'],
      ...(this.flags.pattern ? { pattern: this.flags.pattern } : {}),
      ...(this.flags['segment-seconds'] ? { segmentSeconds: this.flags['segment-seconds'] } : {}),
      cameras: (this.flags.camera ?? []).map(parseCameraFlag),
    };
  }

  private async ask(): Promise<StarterAnswers> {
    const { input, select, confirm } = await import('@inquirer/prompts');
    const school = this.flags.school ?? (await input({ message: 'Name of the school', required: true }));
    const board = this.flags.board ?? (await input({ message: 'School board (bevoegd gezag), optional' }));
    const timezone = await input({ message: 'Time zone', default: this.flags.timezone });
    const storageRoot = this.flags['storage-root'] ?? (await input({ message: 'Folder with the footage (recordings)', required: true }));
    const layout = (await select<string>({
      message: 'How does the recorder name its files?',
      default: this.flags.layout,
      choices: [
        { value: 'frigate', name: 'Frigate: YYYY-MM-DD/HH/<camera>/MM.SS.mp4 (UTC)' },
        { value: 'synology', name: 'Synology Surveillance Station: <camera>/<YYYYMMDD>AM/<camera>-<date>-<time>-<unix>.mp4' },
        { value: 'pattern', name: 'Another pattern, e.g. {camera}/{YYYY}{MM}{DD}/{HH}{mm}{ss}.mp4' },
      ],
    })) as StarterAnswers['layout'];
    const pattern = layout === 'pattern' ? (this.flags.pattern ?? (await input({ message: 'Pattern', required: true }))) : undefined;
    const cameras = (this.flags.camera ?? []).map(parseCameraFlag);
    while (await confirm({ message: cameras.length ? 'Add another camera?' : 'Add a camera?', default: cameras.length === 0 })) {
      const id = await input({ message: 'Camera id (as the recorder names it)', required: true, validate: (v) => /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(v) || 'letters, digits, - _ .' });
      const name = await input({ message: 'Name, e.g. Hoofdingang' });
      const location = await input({ message: 'Location and what it sees, e.g. "Hoofdingang, binnen"' });
      const category = await select<string>({ message: 'Category', default: 'surveillance', choices: CATEGORIES.map((c) => ({ value: c })) });
      cameras.push({ id, ...(name ? { name } : {}), ...(location ? { location } : {}), category });
    }
    return {
      school,
      ...(board ? { board } : {}),
      timezone,
      storageRoot,
      layout,
      ...(pattern ? { pattern } : {}),
      ...(this.flags['segment-seconds'] ? { segmentSeconds: this.flags['segment-seconds'] } : {}),
      cameras,
    };
  }
}

function parseCameraFlag(value: string): StarterAnswers['cameras'][number] {
  const [id = '', name, location, category] = value.split(':');
  if (category !== undefined && !(CATEGORIES as readonly string[]).includes(category)) {
    throw new UsageError('init.camera', `--camera "${value}": category "${category}" is not one of ${CATEGORIES.join(', ')}.`);
  }
  return { id, ...(name ? { name } : {}), ...(location ? { location } : {}), category: category ?? 'surveillance' };
}
