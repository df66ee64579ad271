import type { PostgresService } from './services.d.mts';
export function startPostgres(): Promise<PostgresService>;
