// Build: compile TypeScript to dist/ and regenerate oclif.manifest.json (fast command lookup at start-up).
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// The oclif dev tool would otherwise ask the registry for a newer version of itself on every build.
const run = (bin, args) => execFileSync(process.execPath, [bin, ...args], { stdio: 'inherit', env: { ...process.env, OCLIF_SKIP_NEW_VERSION_CHECK: 'true' } });

rmSync('dist', { recursive: true, force: true });
rmSync('oclif.manifest.json', { force: true });
run(require.resolve('typescript/bin/tsc'), ['-p', 'tsconfig.json']);
run(require.resolve('oclif/bin/run.js'), ['manifest']);
