import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base.js';
import { colour } from '../cli/format.js';
import { currentLanguage, messages } from '../cli/messages.js';
import { loadConfig, LAYOUTS, type StarterAnswers } from '../core/config/index.js';
import { UsageError } from '../core/errors.js';
import { CATEGORIES } from '../core/policy/retention.js';
import { createRegister, folderState, writeStarterConfig, type InitResult } from '../core/setup/index.js';

const text = messages('init');
type Camera = StarterAnswers['cameras'][number];

export default class Init extends BaseCommand<typeof Init> {
  static override summary = text.get('summary');

  static override description = text.get('description');

  static override examples = [
    { description: text.get('examples.ask'), command: '<%= config.bin %> <%= command.id %>' },
    {
      description: text.get('examples.flags'),
      command:
        '<%= config.bin %> <%= command.id %> --school "OSG De Linde" --board "Stichting OVO" --storage-root /srv/frigate/recordings --layout frigate --camera "entree:Hoofdingang:Hoofdingang, binnen" --purpose "Diefstal en vernieling voorkomen" --export-user beheerder',
    },
    { description: text.get('examples.existing'), command: '<%= config.bin %> <%= command.id %> --config /etc/toezicht/toezicht.config.yaml' },
  ];

  static override flags = {
    school: Flags.string({ summary: text.get('flags.school.summary') }),
    board: Flags.string({ summary: text.get('flags.board.summary') }),
    timezone: Flags.string({ summary: text.get('flags.timezone.summary'), default: 'Europe/Amsterdam' }),
    'storage-root': Flags.string({ summary: text.get('flags.storage-root.summary') }),
    'create-storage-root': Flags.boolean({ summary: text.get('flags.create-storage-root.summary') }),
    layout: Flags.string({ summary: text.get('flags.layout.summary'), options: [...LAYOUTS], default: 'frigate' }),
    pattern: Flags.string({ summary: text.get('flags.pattern.summary') }),
    'segment-seconds': Flags.integer({ summary: text.get('flags.segment-seconds.summary'), min: 1 }),
    camera: Flags.string({ summary: text.get('flags.camera.summary'), multiple: true }),
    purpose: Flags.string({ summary: text.get('flags.purpose.summary'), multiple: true }),
    'export-user': Flags.string({ summary: text.get('flags.export-user.summary'), multiple: true }),
    'exports-root': Flags.string({ summary: text.get('flags.exports-root.summary'), default: 'exports' }),
    'signing-key': Flags.boolean({ summary: text.get('flags.signing-key.summary'), allowNo: true, default: true }),
  };

  public async run(): Promise<InitResult> {
    const existing = await this.existingConfigFile();
    if (existing) {
      const { config } = await loadConfig({ file: existing });
      const created = await createRegister(config);
      this.log(created ? colour.green(text.get('done.register', { register: config.register })) : text.get('done.nothing', { config: existing, register: config.register }));
      return { configFile: existing, configWritten: false, registerFile: config.register, registerCreated: created };
    }
    const file = path.resolve(this.flags.config ?? 'toezicht.config.yaml');
    const asked = this.interactive && (!this.flags.school || !this.flags['storage-root']);
    const { answers, signingKey, createStorageRoot } = asked ? await this.ask(path.dirname(file)) : this.fromFlags();
    const result = await writeStarterConfig(file, answers, { signingKey, createStorageRoot });
    this.log(colour.green(text.get('done.written', { config: result.configFile, register: result.registerFile })));
    if (result.exportsRoot) this.log(text.get('done.exports', { exports: result.exportsRoot, users: answers.exportUsers.join(', ') }));
    this.log(result.signingKey ? text.get('done.key', { key: result.signingKey.privateKey, fingerprint: result.signingKey.fingerprint }) : text.get('done.no-key'));
    this.log(text.get('done.next'));
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

  /** The language to write into the config: only when the user chose one with --lang. */
  private get language(): StarterAnswers['language'] {
    return this.flags.lang ? currentLanguage() : undefined;
  }

  private fromFlags(): { answers: StarterAnswers; signingKey: boolean; createStorageRoot: boolean } {
    const missing = [!this.flags.school && '--school', !this.flags['storage-root'] && '--storage-root'].filter(Boolean);
    if (missing.length) {
      const list = missing.join(' and ');
      throw new UsageError('init.missing', `Without a terminal init asks nothing: give ${list} (see \`toezicht init --help\`).`, { params: { missing: list } });
    }
    const cameras = withPurposes((this.flags.camera ?? []).map(parseCameraFlag), this.flags.purpose ?? []);
    return {
      answers: {
        school: this.flags.school!,
        ...(this.flags.board ? { board: this.flags.board } : {}),
        timezone: this.flags.timezone,
        storageRoot: this.flags['storage-root']!,
        layout: this.flags.layout as StarterAnswers['layout'],
        ...(this.flags.pattern ? { pattern: this.flags.pattern } : {}),
        ...(this.flags['segment-seconds'] ? { segmentSeconds: this.flags['segment-seconds'] } : {}),
        cameras,
        exportUsers: this.flags['export-user'] ?? [userInfo().username],
        exportsRoot: this.flags['exports-root'],
        ...(this.language ? { language: this.language } : {}),
      },
      signingKey: this.flags['signing-key'],
      createStorageRoot: this.flags['create-storage-root'],
    };
  }

  private async ask(dir: string): Promise<{ answers: StarterAnswers; signingKey: boolean; createStorageRoot: boolean }> {
    const { input, select, confirm, number } = await import('@inquirer/prompts');
    const school = this.flags.school ?? (await input({ message: text.get('ask.school'), required: true }));
    const board = this.flags.board ?? (await input({ message: text.get('ask.board') }));
    const timezone = await input({ message: text.get('ask.timezone'), default: this.flags.timezone });
    // The footage folder is checked where it is asked: a missing one is offered to be made, or asked again.
    let storageRoot = this.flags['storage-root'];
    let createStorageRoot = this.flags['create-storage-root'];
    while (!storageRoot) {
      const answer = await input({
        message: text.get('ask.storage-root'),
        required: true,
        validate: (v) => {
          const state = folderState(path.resolve(dir, v));
          return state === 'ok' || state === 'missing' || text.get('ask.storage-problem', { path: v, problem: state });
        },
      });
      if (folderState(path.resolve(dir, answer)) === 'ok') storageRoot = answer;
      else if (await confirm({ message: text.get('ask.create-storage-root', { path: path.resolve(dir, answer) }), default: false })) {
        storageRoot = answer;
        createStorageRoot = true;
      }
    }
    const layout = (await select<string>({
      message: text.get('ask.layout'),
      default: this.flags.layout,
      choices: LAYOUTS.map((value) => ({ value, name: text.get(`ask.layout.${value}`) })),
    })) as StarterAnswers['layout'];
    const pattern = layout === 'pattern' ? (this.flags.pattern ?? (await input({ message: text.get('ask.pattern'), required: true }))) : undefined;
    const segmentSeconds =
      this.flags['segment-seconds'] ??
      (layout === 'synology' ? await number({ message: text.get('ask.segment-seconds'), default: 1800, min: 1, step: 1, required: true }) : undefined);
    const cameras = withPurposes((this.flags.camera ?? []).map(parseCameraFlag), this.flags.purpose ?? []);
    for (const camera of cameras) {
      if (!camera.purpose) camera.purpose = await input({ message: `${camera.id}: ${text.get('ask.camera-purpose')}`, required: true });
    }
    while (await confirm({ message: text.get(cameras.length ? 'ask.add-another-camera' : 'ask.add-camera'), default: cameras.length === 0 })) {
      const id = await input({ message: text.get('ask.camera-id'), required: true, validate: (v) => /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(v) || text.get('ask.camera-id.invalid') });
      const name = await input({ message: text.get('ask.camera-name') });
      const location = await input({ message: text.get('ask.camera-location') });
      const category = await select<string>({ message: text.get('ask.camera-category'), default: 'surveillance', choices: CATEGORIES.map((c) => ({ value: c })) });
      const purpose = await input({ message: text.get('ask.camera-purpose'), required: true });
      cameras.push({ id, ...(name ? { name } : {}), ...(location ? { location } : {}), category, purpose });
    }
    const users = this.flags['export-user'] ?? (await input({ message: text.get('ask.export-users'), default: userInfo().username, required: true })).split(',');
    const signingKey = this.flags['signing-key'] && (await confirm({ message: text.get('ask.signing-key'), default: true }));
    return {
      answers: {
        school,
        ...(board ? { board } : {}),
        timezone,
        storageRoot,
        layout,
        ...(pattern ? { pattern } : {}),
        ...(segmentSeconds ? { segmentSeconds } : {}),
        cameras,
        exportUsers: users.map((u) => u.trim()).filter(Boolean),
        exportsRoot: this.flags['exports-root'],
        ...(this.language ? { language: this.language } : {}),
      },
      signingKey,
      createStorageRoot,
    };
  }
}

function parseCameraFlag(value: string): Camera {
  const [id = '', name, location, category] = value.split(':');
  if (category !== undefined && !(CATEGORIES as readonly string[]).includes(category)) {
    const categories = CATEGORIES.join(', ');
    throw new UsageError('init.camera', text.get('error.camera-category', { value, category, categories }));
  }
  return { id, ...(name ? { name } : {}), ...(location ? { location } : {}), category: category ?? 'surveillance' };
}

/** `--purpose TEXT` applies to every camera without its own; `--purpose ID=TEXT` to that camera. */
function withPurposes(cameras: Camera[], purposes: string[]): Camera[] {
  let common: string | undefined;
  for (const value of purposes) {
    const own = /^([A-Za-z0-9][A-Za-z0-9_.-]*)=(.+)$/s.exec(value);
    if (own) {
      const camera = cameras.find((c) => c.id === own[1]);
      if (!camera) throw new UsageError('init.purpose-camera', text.get('error.purpose-camera', { value, camera: own[1]! }));
      camera.purpose = own[2]!.trim();
    } else common = value.trim();
  }
  return cameras.map((c) => (c.purpose || !common ? c : { ...c, purpose: common }));
}
