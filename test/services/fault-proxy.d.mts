export interface FaultProxy {
  endpoint: string;
  stats: { requests: number; faults: number; dropped: number };
  set(options: { failEvery?: number; status?: 503 | 500; delayMs?: number; only?: string; serial?: string }): void;
  idle(): Promise<void>;
  stop(): Promise<void>;
}
export function startFaultProxy(target: string, options?: { failEvery?: number; status?: 503 | 500; delayMs?: number; only?: string; serial?: string }): Promise<FaultProxy>;
