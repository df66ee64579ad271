// The starter config `toezicht init` writes: the school's answers, with comments that explain each part.
import { stringify } from 'yaml';

export interface StarterAnswers {
  school: string;
  board?: string;
  timezone: string;
  storageRoot: string;
  layout: 'frigate' | 'synology' | 'pattern';
  pattern?: string;
  segmentSeconds?: number;
  cameras: { id: string; name?: string; location?: string; category: string; purpose?: string }[];
  /** OS users who may export footage (access.export). */
  exportUsers: string[];
  /** Folder for evidence packages, relative to the config (exports.root). */
  exportsRoot: string;
  /** Language of the CLI's messages, when chosen at init. */
  language?: 'nl' | 'en';
}

// One line per item: `{ id: entree, name: Hoofdingang, … }`, as in the documentation.
const q = (value: unknown): string => stringify(value, { lineWidth: 0, collectionStyle: 'flow' }).trimEnd();

export function starterConfig(a: StarterAnswers): string {
  const storage: Record<string, unknown> = { id: 'nas1', type: 'fs', root: a.storageRoot, layout: a.layout };
  if (a.pattern) storage.pattern = a.pattern;
  if (a.segmentSeconds) storage.segmentSeconds = a.segmentSeconds;
  const cameras = a.cameras.map((c) => ({ ...c, storage: 'nas1' }));
  return [
    '# toezicht configuration. Check it with `toezicht config validate`.',
    '# Reference: docs/configuration.md',
    '',
    `school: ${q({ name: a.school, ...(a.board ? { board: a.board } : {}), timezone: a.timezone })}`,
    ...(a.language ? ['', '# Language of messages and help: nl | en (--lang overrides it).', `language: ${a.language}`] : []),
    '',
    '# The register (holds, purge runs, audit chain). Keep it and back it up: without it the purge refuses to run.',
    'register: .toezicht/register.db',
    '',
    '# Where footage is kept. layout: frigate | synology | pattern',
    'storage:',
    `  - ${q(storage)}`,
    '',
    '# The camera inventory. category: surveillance | covert | coaching | online-lesson | livestream | media | unassigned',
    '# purpose: why the camera is needed (AVG art. 5(1)(b)); the regulation and the DPIA quote it.',
    cameras.length ? 'cameras:' : 'cameras: []',
    ...cameras.map((c) => `  - ${q(c)}`),
    '',
    '# Evidence packages (`toezicht footage export`): copies of personal data, removed by the purge after their lifetime.',
    `exports: ${q({ root: a.exportsRoot })}`,
    '',
    '# OS users whose function needs it (the beheerder and the school management, OVO-protocol §1.2) and who may export.',
    `access: ${q({ export: a.exportUsers })}`,
    '',
    '# Retention per category. The defaults follow the OVO-protocol and the brief;',
    '# going beyond them is a warning. Coaching has no default: set it to what the purpose needs.',
    'retention:',
    '  surveillance: P28D     # 4 weeks (OVO-protocol §1.4)',
    '  online-lesson: P10M    # 10 months (OVO-protocol §3)',
    '  livestream: P14D       # 2 weeks (OVO-protocol §4)',
    '  media: school-year     # until 31 July (beeldmateriaal, end of the school year)',
    '  # coaching: P30D',
    '',
    '# Who is responsible and what the regulation, the DPIA and the signs say: fg, consent, beheerder, signage …',
    '# `toezicht compliance check` says what is missing; docs/configuration.md (privacy, documents) has every key.',
    '# privacy:',
    '#   fg: { name: "…", email: "…" }',
    '#   consent: { body: MR, date: 2026-02-01 }',
    '#   signage: { confirmed: true }',
    '',
  ].join('\n');
}
