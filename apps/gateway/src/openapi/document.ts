import { TextBatchBody } from '@shortlist/contracts';
import { z } from 'zod';
import { API_ROUTES, type ApiRoute } from './spec';

type JsonObject = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonObject;
  delete out.$schema;
  return out;
}

const Problem = {
  type: 'object',
  description: 'RFC 9457 problem document',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string', description: 'What went wrong, in words for a person' },
    code: { type: 'string' },
    field: { type: 'string', description: 'The request field at fault' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: { field: { type: 'string' }, message: { type: 'string' } },
      },
    },
    instance: { type: 'string' },
  },
  required: ['type', 'title', 'status', 'detail', 'code'],
};

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

/** Express path `/v1/jobs/:jobId` as OpenAPI `/v1/jobs/{jobId}`. */
export function openApiPath(path: string): string {
  return path.replace(/:(\w+)/g, '{$1}');
}

function operation(route: ApiRoute): JsonObject {
  const parameters: JsonObject[] = [...route.path.matchAll(/:(\w+)/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  if (route.query) {
    for (const [name, field] of Object.entries(route.query.shape)) {
      parameters.push({
        name,
        in: 'query',
        required: !(field as z.ZodType).safeParse(undefined).success,
        schema: jsonSchema(field as z.ZodType, 'input'),
      });
    }
  }
  if (route.path.endsWith('/events'))
    parameters.push({
      name: 'Last-Event-ID',
      in: 'header',
      required: false,
      schema: { type: 'string' },
      description: 'Resume after this event id (sent by EventSource on reconnect)',
    });
  const responses: JsonObject = {};
  for (const [status, response] of Object.entries(route.responses)) {
    responses[status] = {
      description: response.description,
      ...(response.body
        ? {
            content: {
              [response.body.contentType ?? 'application/json']: {
                schema: jsonSchema(response.body.schema, 'output'),
              },
            },
          }
        : {}),
    };
  }
  if (route.auth !== 'none') {
    responses['400'] ??= problem('Invalid request: `field` names what to fix');
    responses['401'] = problem('Missing or invalid credential');
    if (route.auth === 'admin') responses['403'] = problem('Not an administrator');
    if (route.path.includes(':')) responses['404'] ??= problem('Not found (or another tenant’s)');
    responses['429'] ??= problem('Rate limited: see Retry-After and RateLimit-* headers');
    responses['503'] = problem('Redis or another backing service is down: see Retry-After');
  }
  let requestBody: JsonObject | undefined;
  if (route.body === 'multipart') {
    requestBody = {
      required: true,
      content: {
        'multipart/form-data': {
          schema: {
            type: 'object',
            properties: {
              files: {
                type: 'array',
                items: { type: 'string', contentMediaType: 'application/octet-stream' },
              },
            },
          },
        },
        'application/json': { schema: jsonSchema(TextBatchBody, 'input') },
      },
    };
  } else if (route.body) {
    requestBody = {
      required: !route.body.optional,
      content: {
        [route.body.contentType ?? 'application/json']: {
          schema: jsonSchema(route.body.schema, 'input'),
        },
      },
    };
  }
  return {
    summary: route.summary,
    tags: [route.tag],
    operationId: `${route.method}${openApiPath(route.path)
      .replace(/[{}]/g, '')
      .split(/[/.-]/)
      .filter(Boolean)
      .map((p) => p[0]!.toUpperCase() + p.slice(1))
      .join('')}`,
    ...(route.auth === 'none' ? { security: [] } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses,
  };
}

/** The OpenAPI 3.1 document of the API, generated from the routes' zod schemas. */
export function buildOpenApi(routes: ApiRoute[] = API_ROUTES): JsonObject {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = openApiPath(route.path);
    paths[path] ??= {};
    paths[path][route.method] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Shortlist API',
      version: '1.0.0',
      description:
        'Upload resumes for a job and get a live, ranked shortlist with evidence. Every /v1 route needs `Authorization: Bearer <API key or Firebase ID token>`; every record is scoped to the caller.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'API key (sl_...) or Firebase ID token',
        },
      },
      schemas: { Problem },
    },
  };
}
