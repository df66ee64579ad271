// A register on PostgreSQL, for a school board whose schools and hosts share one register. The password comes from
// the environment (TOEZICHT_REGISTER_PASSWORD, or PostgreSQL's own PGPASSWORD / ~/.pgpass), never from the URL, and
// the URL shown to people carries none.
import { UsageError } from '../../errors.js';
import { SqlRegister } from '../sql/register.js';
import type { Actor } from '../types.js';
import { PgDatabase } from './database.js';

export const PASSWORD_ENV = 'TOEZICHT_REGISTER_PASSWORD';

export function isRegisterUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** Whether the URL carries a password (it must not: it would be shown, logged and kept in files). */
export function urlHasPassword(location: string): boolean {
  try {
    return new URL(location).password !== '';
  } catch {
    return false;
  }
}

/** The URL as people may see it: without a password. */
export function displayUrl(location: string): string {
  try {
    const url = new URL(location);
    url.password = '';
    return url.toString();
  } catch {
    return location.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1@');
  }
}

export interface PgRegisterOptions {
  create?: boolean;
  actor: Actor;
}

export class PostgresRegister extends SqlRegister {
  private readonly pg: PgDatabase;

  private constructor(db: PgDatabase, location: string, actor: Actor) {
    super(db, location, actor);
    this.pg = db;
  }

  static open(url: string, options: PgRegisterOptions): PostgresRegister {
    if (urlHasPassword(url)) {
      throw new UsageError('register.password-in-url', `The register URL ${displayUrl(url)} must not hold the password; remove it from the URL and set ${PASSWORD_ENV} (or use ~/.pgpass).`);
    }
    const location = displayUrl(url);
    const password = process.env[PASSWORD_ENV];
    const db = new PgDatabase({ location, connectionString: url, ...(password ? { password } : {}), create: options.create ?? false });
    return new PostgresRegister(db, location, options.actor);
  }

  /** Connects and migrates now; resolves whether this made a new register in an empty database. */
  async prepare(): Promise<boolean> {
    await this.pg.ready();
    return this.pg.created;
  }
}
