// Runs the built `toezicht` on a pseudo-terminal (util-linux `script`), answering each prompt when it appears, the
// way a person at the keyboard would.
import { spawn } from 'node:child_process';
import { BIN } from './cli.js';

export interface Answer {
  /** The prompt text to wait for (matched on the output without colour codes). */
  when: RegExp;
  /** What to type, e.g. "OSG De Linde\r" ("\r" is Enter). */
  send: string;
}

const strip = (s: string): string => s.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');

export function onTerminal(args: string[], answers: Answer[], options: { cwd: string; env?: Record<string, string>; timeoutMs?: number }): Promise<{ exitCode: number; output: string }> {
  const quoted = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = spawn('script', ['-qec', quoted, '/dev/null'], { cwd: options.cwd, env: { ...process.env, NO_COLOR: '1', CI: '', ...options.env } as NodeJS.ProcessEnv });
  let output = '';
  let next = 0;
  let searchFrom = 0;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`no prompt ${answers[next]?.when ?? '(end)'} within the time; output:\n${strip(output)}`));
    }, options.timeoutMs ?? 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const seen = strip(output);
      const a = answers[next];
      if (a) {
        const at = seen.slice(searchFrom).search(a.when);
        if (at >= 0) {
          searchFrom += at + 1;
          next++;
          child.stdin.write(a.send);
        }
      }
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (next < answers.length) reject(new Error(`ended before prompt ${answers[next]!.when}; output:\n${strip(output)}`));
      else resolve({ exitCode: code ?? -1, output: strip(output) });
    });
  });
}
