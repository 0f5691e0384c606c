import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import express from 'express';
import request from 'supertest';
import { tempDir } from '@shortlist/testkit';
import { webApp } from './static';

describe('web app static files', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let app: express.Express;

  beforeAll(async () => {
    dir = await tempDir('web-static');
    await mkdir(join(dir.path, 'assets'));
    await writeFile(join(dir.path, 'index.html'), '<!doctype html><title>Shortlist</title>');
    await writeFile(join(dir.path, 'assets', 'index-abc123.js'), 'console.log(1)');
    await writeFile(join(dir.path, 'favicon.svg'), '<svg/>');
    app = express();
    app.get('/v1/jobs', (_req, res) => {
      res.json({ items: [] });
    });
    app.use(webApp(dir.path)!);
    app.use((_req, res) => {
      res.status(404).type('application/problem+json').send('{"code":"not_found"}');
    });
  });
  afterAll(() => dir.remove());

  it('serves hashed assets with a one-year immutable cache', async () => {
    const res = await request(app).get('/assets/index-abc123.js').expect(200);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['content-type']).toMatch(/javascript/);
  });

  it('answers client-side routes with index.html that browsers revalidate', async () => {
    for (const path of ['/', '/jobs', '/jobs/job_1/candidates/res_2']) {
      const res = await request(app).get(path).set('accept', 'text/html').expect(200);
      expect(res.text).toContain('<title>Shortlist</title>');
      expect(res.headers['cache-control']).toBe('no-cache');
    }
  });

  it('leaves API routes, missing assets and non-HTML requests to the API', async () => {
    await request(app).get('/v1/jobs').expect(200, { items: [] });
    const api404 = await request(app).get('/v1/nope').set('accept', 'text/html').expect(404);
    expect(api404.headers['content-type']).toMatch(/problem\+json/);
    await request(app).get('/assets/missing.js').expect(404);
    await request(app).get('/jobs').set('accept', 'application/json').expect(404);
    await request(app).post('/jobs').set('accept', 'text/html').expect(404);
  });

  it('answers /config.json with an empty runtime config when the operator has none', async () => {
    const res = await request(app).get('/config.json').expect(200);
    expect(res.body).toEqual({ firebase: null });
  });

  it('is off when no build exists', () => {
    expect(webApp(join(dir.path, 'nothing-here'))).toBeNull();
  });
});
