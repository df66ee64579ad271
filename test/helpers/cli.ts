// Runs the built `toezicht` binary as a user would, without a terminal (like cron).
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';

export const BIN = path.resolve(import.meta.dirname, '../../bin/run.js');

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export async function toezicht(args: string[], options: { cwd?: string; env?: Record<string, string>; input?: string } = {}): Promise<CliResult> {
  const result = await execa(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? process.cwd(),
    env: { NO_COLOR: '1', ...options.env },
    reject: false,
    ...(options.input !== undefined ? { input: options.input } : { stdin: 'ignore' }),
  });
  let json: unknown;
  if (args.includes('--json')) {
    try {
      json = JSON.parse(result.stdout);
    } catch {
      json = undefined;
    }
  }
  return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr, json };
}

export function spawnToezicht(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): ResultPromise {
  return execa(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? process.cwd(),
    env: { NO_COLOR: '1', ...options.env },
    reject: false,
    stdin: 'ignore',
  });
}
