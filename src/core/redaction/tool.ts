// Which toezicht made a plan or a redacted clip (dist/core/redaction → the package root).
import { readFileSync } from 'node:fs';

function version(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export const TOOL = { name: 'toezicht', version: version() };
