import { execFileSync } from 'node:child_process';
import { createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import request from 'supertest';
import { tempDir } from '@shortlist/testkit';
import { firebaseIdTokens } from '../src/firebase-auth';
import { gatewayHarness, type Harness } from './harness';

const PROJECT = 'shortlist-test';
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

function openssl(dir: string, name: string, cn: string) {
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-keyout',
      join(dir, `${name}.key`),
      '-out',
      join(dir, `${name}.crt`),
      '-subj',
      `/CN=${cn}`,
      '-addext',
      `subjectAltName=DNS:${cn}`,
    ],
    { stdio: 'ignore' },
  );
  return {
    key: readFileSync(join(dir, `${name}.key`), 'utf8'),
    cert: readFileSync(join(dir, `${name}.crt`), 'utf8'),
  };
}

/**
 * firebase-admin verifies ID tokens against certificates it fetches from Google over HTTPS. This
 * machine has no internet, so the test signs tokens with a key it generates, serves that key's
 * certificate from a local HTTPS server, and gives firebase-admin an HTTP agent that connects to
 * it (the documented `httpAgent` app option). Everything else is firebase-admin's own code path.
 */
describe('Firebase ID tokens (AUTH_MODE=firebase) with firebase-admin', () => {
  let h: Harness;
  let certServer: Server;
  let signer: { key: string; cert: string };
  let other: { key: string; cert: string };
  let dir: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(async () => {
    dir = await tempDir('firebase');
    signer = openssl(dir.path, 'signer', 'securetoken');
    other = openssl(dir.path, 'other', 'intruder');
    const tls = openssl(dir.path, 'tls', 'www.googleapis.com');
    certServer = createServer({ key: tls.key, cert: tls.cert }, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=3600' });
      res.end(JSON.stringify({ k1: signer.cert }));
    });
    await new Promise<void>((resolve) => certServer.listen(0, '127.0.0.1', resolve));
    const port = (certServer.address() as AddressInfo).port;
    class LoopbackAgent extends Agent {
      override createConnection(
        options: Record<string, unknown>,
        cb?: (e: Error | null, s: Duplex) => void,
      ) {
        return (
          Agent.prototype as unknown as { createConnection: (o: unknown, c: unknown) => Duplex }
        ).createConnection.call(
          this,
          { ...options, host: '127.0.0.1', port, servername: 'www.googleapis.com' },
          cb,
        );
      }
    }
    const httpAgent = new LoopbackAgent({ ca: tls.cert });
    h = await gatewayHarness({ extra: { idTokens: firebaseIdTokens(PROJECT, { httpAgent }) } });
  });
  afterAll(async () => {
    await h.close();
    await new Promise((resolve) => certServer.close(resolve));
    await dir.remove();
  });

  const token = (claims: Record<string, unknown> = {}, key = signer.key, kid = 'k1') => {
    const now = Math.floor(Date.now() / 1000);
    const header = b64({ alg: 'RS256', kid, typ: 'JWT' });
    const payload = b64({
      iss: `https://securetoken.google.com/${PROJECT}`,
      aud: PROJECT,
      auth_time: now - 10,
      iat: now - 10,
      exp: now + 3600,
      sub: 'uid-ann',
      user_id: 'uid-ann',
      name: 'Ann Recruiter',
      firebase: { sign_in_provider: 'password', identities: {} },
      ...claims,
    });
    const signature = sign(
      'RSA-SHA256',
      Buffer.from(`${header}.${payload}`),
      createPrivateKey(key),
    );
    return `${header}.${payload}.${signature.toString('base64url')}`;
  };

  it('signs in with a valid token, creating the user once', async () => {
    const first = await request(h.app)
      .get('/v1/me')
      .set('authorization', `Bearer ${token()}`)
      .expect(200);
    expect(first.body).toMatchObject({ role: 'member', via: 'firebase', keyId: null });
    const again = await request(h.app)
      .get('/v1/me')
      .set('authorization', `Bearer ${token()}`)
      .expect(200);
    expect(again.body.userId).toBe(first.body.userId);
    expect((await h.store.users.findByFirebaseUid('uid-ann'))?.name).toBe('Ann Recruiter');
  });

  it('makes an admin from the admin claim', async () => {
    const res = await request(h.app)
      .get('/v1/me')
      .set(
        'authorization',
        `Bearer ${token({ sub: 'uid-boss', user_id: 'uid-boss', admin: true })}`,
      )
      .expect(200);
    expect(res.body.role).toBe('admin');
  });

  it.each([
    ['signed with another key', () => token({}, other.key)],
    [
      'expired',
      () =>
        token({
          exp: Math.floor(Date.now() / 1000) - 60,
          iat: Math.floor(Date.now() / 1000) - 4000,
          auth_time: Math.floor(Date.now() / 1000) - 4000,
        }),
    ],
    ['for another project', () => token({ aud: 'someone-else' })],
  ])('refuses a token %s with 401', async (_label, make) => {
    const res = await request(h.app)
      .get('/v1/me')
      .set('authorization', `Bearer ${make()}`)
      .expect(401);
    expect(res.body.field).toBe('authorization');
  });

  it('still accepts API keys', async () => {
    await request(h.app).get('/v1/me').set('authorization', h.alice.auth).expect(200);
  });
});
