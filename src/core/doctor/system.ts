// What doctor reads from the machine itself: the clock's synchronisation and the nightly purge in cron or systemd.
// Only local tools and files: doctor never sends a packet of its own (no NTP query, no probe).
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { check, type DoctorCheck } from './types.js';

function run(cmd: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 3000, encoding: 'utf8' }, (error, stdout) => resolve(error ? undefined : stdout));
  });
}

/** The clock: chrony's measured offset, else systemd-timesyncd's "synchronised" flag, else unknown. */
export async function clockCheck(): Promise<DoctorCheck> {
  const tracking = await run('chronyc', ['-n', 'tracking']);
  const offset = tracking && /System time\s*:\s*([\d.]+) seconds (fast|slow)/.exec(tracking);
  if (offset) {
    const seconds = Number(offset[1]);
    const ms = Math.round(seconds * 1000);
    // Footage times come from paths the recorder writes; a purge or a hold a few seconds off is harmless, minutes not.
    return check('clock', seconds < 1 ? 'ok' : seconds < 60 ? 'warn' : 'fail', seconds < 1 ? 'clock.offset' : 'clock.off', { ms, tool: 'chronyc' });
  }
  const synced = (await run('timedatectl', ['show', '-p', 'NTPSynchronized', '--value']))?.trim();
  if (synced === 'yes') return check('clock', 'ok', 'clock.synchronised', { tool: 'timedatectl' });
  if (synced === 'no') return check('clock', 'warn', 'clock.not-synchronised', { tool: 'timedatectl' });
  return check('clock', 'warn', 'clock.unknown');
}

export interface SchedulePlaces {
  /** Cron tables to read (system crontab, /etc/cron.d). */
  cronFiles: string[];
  /** Folders with systemd unit files. */
  systemdDirs: string[];
  /** The user's own crontab (`crontab -l`), when there is a crontab tool. */
  userCrontab: () => Promise<string | undefined>;
}

export function defaultSchedulePlaces(): SchedulePlaces {
  const cronD = '/etc/cron.d';
  const home = process.env.HOME;
  return {
    cronFiles: ['/etc/crontab', ...(existsSync(cronD) ? readdirSync(cronD).map((n) => path.join(cronD, n)) : [])],
    systemdDirs: ['/etc/systemd/system', ...(home ? [path.join(home, '.config/systemd/user')] : [])],
    userCrontab: () => run('crontab', ['-l']),
  };
}

const PURGE = /\btoezicht\b.*\bfootage\s+purge\b/;

function readable(file: string): string | undefined {
  try {
    return statSync(file).isFile() ? readFileSync(file, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

/** Where the nightly `toezicht footage purge` is scheduled: a cron line, or a systemd service with its timer. */
export async function scheduleCheck(places: SchedulePlaces, configFile: string | undefined): Promise<DoctorCheck> {
  const found: { where: string; line: string }[] = [];
  const user = await places.userCrontab();
  for (const line of user?.split('\n') ?? []) if (PURGE.test(line) && !line.trimStart().startsWith('#')) found.push({ where: 'crontab -l', line: line.trim() });
  for (const file of places.cronFiles) {
    for (const line of readable(file)?.split('\n') ?? []) if (PURGE.test(line) && !line.trimStart().startsWith('#')) found.push({ where: file, line: line.trim() });
  }
  for (const dir of places.systemdDirs) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.service'))) {
      const exec = readable(path.join(dir, name))?.split('\n').find((l) => /^ExecStart=/.test(l) && PURGE.test(l));
      if (!exec) continue;
      const timer = path.join(dir, name.replace(/\.service$/, '.timer'));
      if (existsSync(timer)) found.push({ where: timer, line: exec.trim() });
      else return check('schedule', 'warn', 'schedule.service-without-timer', { service: path.join(dir, name) });
    }
  }
  if (!found.length) return check('schedule', 'warn', 'schedule.missing');
  const first = found[0]!;
  // A line with --config must name this config, or the nightly purge keeps to rules other than the ones checked here.
  const named = /--config[= ](\S+)/.exec(first.line)?.[1];
  if (named && configFile && path.resolve(named) !== path.resolve(configFile)) {
    return check('schedule', 'warn', 'schedule.other-config', { where: first.where, named, config: configFile });
  }
  return check('schedule', 'ok', 'schedule.found', { where: first.where, line: first.line });
}
