import type { CephService } from './services.d.mts';
export function startCeph(options?: { memstoreBytes?: number }): Promise<CephService>;
