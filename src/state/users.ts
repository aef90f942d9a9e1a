import { readFileSync } from 'node:fs';
import { HOST } from './cgroup.js';
import type { GroupInfo, UserInfo } from './types.js';

/**
 * Users and groups by id, as seen by the host or inside a container (whose /etc/passwd is read
 * through /proc/<pid>/root of one of its processes). Each database is read once and re-read at
 * most every `refreshMs` when an id is missing from it (a user added since).
 */

export interface UserTableOptions {
  /** Root of the host's databases ('/' → /etc/passwd, /etc/group). */
  hostRoot?: string;
  /** The filesystem root of a container ('/proc/<pid>/root'), undefined when no process of it is known. */
  containerRoot?: (containerId: string) => string | undefined;
  refreshMs?: number;
  maxDatabases?: number;
}

interface Database {
  users: Map<number, UserInfo>;
  groups: Map<number, GroupInfo>;
  loadedAt: number;
}

export class UserTable {
  private readonly dbs = new Map<string, Database>();
  private readonly hostRoot: string;
  private readonly containerRoot: (containerId: string) => string | undefined;
  private readonly refreshMs: number;
  private readonly maxDatabases: number;

  constructor(options: UserTableOptions = {}) {
    this.hostRoot = options.hostRoot ?? '/';
    this.containerRoot = options.containerRoot ?? (() => undefined);
    this.refreshMs = options.refreshMs ?? 10_000;
    this.maxDatabases = options.maxDatabases ?? 1024;
  }

  get size(): number {
    return this.dbs.size;
  }

  user(uid: number, containerId: string): UserInfo | undefined {
    const db = this.database(containerId);
    if (!db) return undefined;
    return db.users.get(uid) ?? this.reloaded(containerId, db)?.users.get(uid);
  }

  group(gid: number, containerId: string): GroupInfo | undefined {
    const db = this.database(containerId);
    if (!db) return undefined;
    return db.groups.get(gid) ?? this.reloaded(containerId, db)?.groups.get(gid);
  }

  private database(containerId: string): Database | undefined {
    const key = containerId === '' ? HOST : containerId;
    const db = this.dbs.get(key);
    if (db) return db;
    return this.load(key);
  }

  private reloaded(key: string, db: Database): Database | undefined {
    if (Date.now() - db.loadedAt < this.refreshMs) return undefined;
    return this.load(key === '' ? HOST : key);
  }

  private load(key: string): Database | undefined {
    const root = key === HOST ? this.hostRoot : this.containerRoot(key);
    if (root === undefined) return undefined;
    const db: Database = {
      users: parsePasswd(readText(`${root.replace(/\/$/, '')}/etc/passwd`)),
      groups: parseGroup(readText(`${root.replace(/\/$/, '')}/etc/group`)),
      loadedAt: Date.now(),
    };
    if (this.dbs.size >= this.maxDatabases && !this.dbs.has(key)) this.dbs.delete(this.dbs.keys().next().value!);
    this.dbs.set(key, db);
    return db;
  }
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** passwd(5): name:password:uid:gid:gecos:home:shell. The first entry of a uid wins, as getpwuid does. */
export function parsePasswd(text: string): Map<number, UserInfo> {
  const users = new Map<number, UserInfo>();
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f.length < 7 || line.startsWith('#')) continue;
    const uid = Number(f[2]);
    const gid = Number(f[3]);
    if (f[2] === '' || !Number.isInteger(uid) || !Number.isInteger(gid) || users.has(uid)) continue;
    users.set(uid, { uid, gid, name: f[0]!, home: f[5]!, shell: f[6]! });
  }
  return users;
}

/** group(5): name:password:gid:members. */
export function parseGroup(text: string): Map<number, GroupInfo> {
  const groups = new Map<number, GroupInfo>();
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f.length < 3 || line.startsWith('#')) continue;
    const gid = Number(f[2]);
    if (!Number.isInteger(gid) || f[2] === '' || groups.has(gid)) continue;
    groups.set(gid, { gid, name: f[0]! });
  }
  return groups;
}
