import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { tempDir } from '@shortlist/testkit';
import { buildOpenApi, openApiPath } from '../src/openapi/document';
import { gatewayHarness, type Harness } from './harness';
import { appRoutes } from './routes';

describe('OpenAPI document', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await gatewayHarness();
  });
  afterAll(() => h.close());

  it('lists every route the app serves, and nothing it does not', () => {
    const served = appRoutes(h.app).map((r) => {
      const [method, path] = r.split(' ') as [string, string];
      return `${method} ${openApiPath(path)}`;
    });
    expect(served.length).toBeGreaterThan(30);
    const doc = buildOpenApi() as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    expect(served.filter((r) => !documented.includes(r))).toEqual([]);
    expect(documented.filter((r) => !served.includes(r))).toEqual([]);
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const dir = await tempDir('openapi');
    try {
      const file = join(dir.path, 'openapi.json');
      await writeFile(file, JSON.stringify(buildOpenApi()));
      const pkg = require.resolve('@seriousme/openapi-schema-validator/package.json');
      const result = spawnSync(
        process.execPath,
        [join(dirname(pkg), 'bin', 'validate-api-cli.js'), file],
        { encoding: 'utf8', timeout: 60_000 },
      );
      expect(result.stdout + result.stderr).toMatch(/"valid": ?true/);
      expect(result.status).toBe(0);
    } finally {
      await dir.remove();
    }
  });

  it('describes query parameters and bodies from the zod schemas', () => {
    const doc = buildOpenApi() as {
      paths: Record<
        string,
        Record<
          string,
          {
            parameters?: { name: string }[];
            requestBody?: {
              content: Record<
                string,
                { schema: { properties?: Record<string, unknown>; required?: string[] } }
              >;
            };
          }
        >
      >;
    };
    const list = doc.paths['/v1/jobs/{jobId}/resumes']!.get!;
    expect(list.parameters!.map((p) => p.name)).toEqual(
      expect.arrayContaining([
        'jobId',
        'tier',
        'status',
        'minScore',
        'hasWarnings',
        'sort',
        'cursor',
        'limit',
      ]),
    );
    const create = doc.paths['/v1/jobs']!.post!.requestBody!.content['application/json']!.schema;
    expect(create.required).toEqual(expect.arrayContaining(['title', 'description']));
    expect(Object.keys(create.properties!)).toEqual(
      expect.arrayContaining(['title', 'description', 'criteria', 'thresholds', 'blind']),
    );
  });
});
