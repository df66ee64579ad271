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
  cameras: { id: string; name?: string; location?: string; category: string }[];
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
    '',
    '# The register (holds, purge runs, audit chain). Keep it and back it up: without it the purge refuses to run.',
    'register: .toezicht/register.db',
    '',
    '# Where footage is kept. layout: frigate | synology | pattern',
    'storage:',
    `  - ${q(storage)}`,
    '',
    '# The camera inventory. category: surveillance | covert | coaching | online-lesson | livestream | media | unassigned',
    cameras.length ? 'cameras:' : 'cameras: []',
    ...cameras.map((c) => `  - ${q(c)}`),
    '',
    '# Retention per category. The defaults follow the protocol (seed 001) and the brief;',
    '# going beyond them is a warning. Coaching has no default: set it to what the purpose needs.',
    'retention:',
    '  surveillance: P28D     # 4 weeks (seed 001 §1.4)',
    '  online-lesson: P10M    # 10 months (seed 001 §3)',
    '  livestream: P14D       # 2 weeks (seed 001 §4)',
    '  media: school-year     # until 31 July (seed 003)',
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
