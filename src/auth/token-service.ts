import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { IsNull } from 'typeorm';
import type { Store } from '../db/store';
import { ApiToken } from './api-token.entity';
import { Role } from './role';

/** Who is calling: a stored token, or the ADMIN_TOKEN of the environment (tokenId null). */
export interface Principal {
  tokenId: number | null;
  name: string;
  role: Role;
}

const TOKEN_PREFIX = 'lmsi_';
/** lastUsedAt is written at most this often per token, not on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(hashSecret(a), 'hex');
  const y = Buffer.from(hashSecret(b), 'hex');
  return timingSafeEqual(x, y);
}

/** Bearer tokens: created with a random secret shown once, stored as its SHA-256. */
export class TokenService {
  private readonly lastUsed = new Map<number, number>();

  constructor(
    private readonly store: Store,
    private readonly adminToken?: string,
  ) {}

  async create(name: string, role: Role): Promise<{ token: ApiToken; secret: string }> {
    const secret = TOKEN_PREFIX + randomBytes(24).toString('base64url');
    const token = Object.assign(new ApiToken(), { name, role, secretHash: hashSecret(secret) });
    const saved = await this.store.transaction((m) => m.save(token));
    return { token: saved, secret };
  }

  /** Revokes a token; false when no such active token exists. */
  async revoke(id: number): Promise<boolean> {
    const result = await this.store.transaction((m) =>
      m.update(ApiToken, { id, revokedAt: IsNull() }, { revokedAt: new Date() }),
    );
    return (result.affected ?? 0) > 0;
  }

  /** Who a token id stands for, as audit trails show it (null: the ADMIN_TOKEN of the environment). */
  async nameOf(tokenId: number | null): Promise<string> {
    if (tokenId === null) return 'ADMIN_TOKEN';
    const token = await this.store.read((m) => m.findOneBy(ApiToken, { id: tokenId }));
    return token ? `${token.name} (token ${token.id})` : `token ${tokenId}`;
  }

  async list(): Promise<ApiToken[]> {
    return this.store.read((m) => m.find(ApiToken, { order: { id: 'ASC' } }));
  }

  /** The principal for an `Authorization` header value, or null for none, a bad or a revoked token. */
  async authenticate(authorization: string | undefined | null): Promise<Principal | null> {
    const match = /^\s*Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) return null;
    const secret = match[1];
    if (this.adminToken && sameSecret(secret, this.adminToken)) {
      return { tokenId: null, name: 'ADMIN_TOKEN', role: Role.ADMIN };
    }
    const token = await this.store.read((m) => m.findOneBy(ApiToken, { secretHash: hashSecret(secret) }));
    if (!token || token.revokedAt) return null;
    await this.touch(token.id);
    return { tokenId: token.id, name: token.name, role: token.role };
  }

  private async touch(id: number): Promise<void> {
    const now = Date.now();
    if (now - (this.lastUsed.get(id) ?? 0) < LAST_USED_RESOLUTION_MS) return;
    this.lastUsed.set(id, now);
    await this.store.transaction((m) => m.update(ApiToken, { id }, { lastUsedAt: new Date(now) }));
  }

  /**
   * First start: when no ADMIN_TOKEN is set and no token exists, creates an admin token,
   * stores it in the data directory (mode 600) and returns it so that it is printed once.
   */
  async bootstrap(dataDir: string): Promise<string | null> {
    if (this.adminToken) return null;
    const count = await this.store.read((m) => m.count(ApiToken));
    if (count > 0) return null;
    const { secret } = await this.create('admin (first start)', Role.ADMIN);
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'admin-token'), `${secret}\n`, { mode: 0o600 });
    return secret;
  }
}
