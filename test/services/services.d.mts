export interface CephService {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  dir: string;
  stop(): Promise<void>;
}
export interface PostgresService {
  host: string;
  port: number;
  socketDir: string;
  admin: string;
  user: string;
  password: string;
  dir: string;
  stop(): Promise<void>;
}
