// Human view of `storage check`.
import type { StorageCheck } from '../../core/footage/index.js';
import { colour } from '../format.js';

export function renderStorageChecks(checks: StorageCheck[]): string {
  if (!checks.length) return 'No storage is configured.';
  const lines: string[] = [];
  for (const c of checks) {
    const head = `${colour.bold(c.id)}${c.school ? ` (${c.school})` : ''}  ${c.root}`;
    if (!c.ok) {
      lines.push(`${head}  ${colour.red('cannot be read')}: ${c.problem ?? 'unknown problem'}`);
      continue;
    }
    const p = c.protection!;
    const state = p.tamperProof ? colour.green('tamper-proof (Object Lock)') : colour.yellow('not tamper-proof');
    const versioning = p.kind === 's3' ? `, versioning ${p.versioning ?? 'off'}` : '';
    lines.push(`${head}  ${colour.green('ok')}${versioning}, ${state}`);
    for (const n of p.notes) lines.push(`  ${n}`);
  }
  return lines.join('\n');
}
