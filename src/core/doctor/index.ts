// `toezicht doctor`: what a school's first week needs, each line ok / warn / fail with the facts its message names.
// It reads; it changes nothing, and a broken part never stops the checks of the others.
import { loadConfig, type Config } from '../config/index.js';
import { openRegister, type Register } from '../register/index.js';
import { exportChecks, holdChecks } from './lifetimes.js';
import { ffmpegChecks, keyCheck, registerChainCheck, registerFileCheck, storageChecks } from './setup-checks.js';
import { clockCheck, defaultSchedulePlaces, scheduleCheck, type SchedulePlaces } from './system.js';
import { check, type DoctorCheck, type DoctorReport, type MarkerCheck } from './types.js';

export type { CheckStatus, DoctorCheck, DoctorReport, MarkerCheck } from './types.js';
export { scheduleCheck, type SchedulePlaces } from './system.js';

export interface DoctorOptions {
  /** `--config FILE`; otherwise searched as every command does. */
  configFile?: string;
  now: number;
  places?: SchedulePlaces;
  markerCheck?: MarkerCheck;
  soonDays?: number;
  longHoldDays?: number;
}

export async function runDoctor(o: DoctorOptions): Promise<DoctorReport & { config?: Config }> {
  const checks: DoctorCheck[] = [];
  let config: Config | undefined;
  try {
    const loaded = await loadConfig(o.configFile ? { file: o.configFile } : {});
    config = loaded.config;
    checks.push(check('config', loaded.warnings.length ? 'warn' : 'ok', loaded.warnings.length ? 'config.warnings' : 'config.valid', { file: loaded.file, warnings: loaded.warnings.length }));
  } catch (error) {
    const e = error as { code?: string; message: string; details?: string[] };
    checks.push(check('config', 'fail', e.code === 'config.missing' ? 'config.missing' : 'config.invalid', { problem: e.details?.[0] ?? e.message, count: e.details?.length ?? 1 }));
  }
  if (config) {
    const fileProblem = registerFileCheck(config);
    if (fileProblem) checks.push(fileProblem);
    if (fileProblem?.key !== 'register.missing') await withRegister(config, checks, o);
    checks.push(keyCheck(config));
    checks.push(...(await storageChecks(config, o.markerCheck)));
  }
  checks.push(...(await ffmpegChecks(config)));
  checks.push(await clockCheck());
  checks.push(await scheduleCheck(o.places ?? defaultSchedulePlaces(), config?.file));
  return { checks, ok: !checks.some((c) => c.status === 'fail'), ...(config ? { config } : {}) };
}

async function withRegister(config: Config, checks: DoctorCheck[], o: DoctorOptions): Promise<void> {
  let register: Register | undefined;
  try {
    register = openRegister(config.register).register;
    checks.push(await registerChainCheck(config, register));
    const lifetimes = { now: o.now, soonDays: o.soonDays ?? 7, longHoldDays: o.longHoldDays ?? 90 };
    checks.push(...(await holdChecks(register, lifetimes)));
    checks.push(...(await exportChecks(register, lifetimes)));
  } catch (error) {
    checks.push(check('register', 'fail', 'register.unreachable', { register: config.register, problem: (error as Error).message }));
  } finally {
    await register?.close();
  }
}
