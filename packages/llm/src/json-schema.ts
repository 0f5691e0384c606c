import { z } from 'zod';

type Json = Record<string, unknown>;

/** Keywords OpenAI strict structured output rejects; zod still enforces them on the answer. */
const UNSUPPORTED = new Set(['$schema', 'maxLength', 'minLength']);

function strictify(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strictify);
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node as Json)) {
    if (!UNSUPPORTED.has(key)) out[key] = strictify(value);
  }
  if (out.type === 'object' && out.properties && typeof out.properties === 'object') {
    out.required = Object.keys(out.properties);
    out.additionalProperties = false;
  }
  return out;
}

/**
 * The model-facing JSON schema of a zod schema (zod v4 `z.toJSONSchema`), shaped for strict
 * structured output: every property required, no extra properties, no keywords strict mode
 * refuses. The answer is validated against the zod schema itself afterwards.
 */
export function strictJsonSchema(schema: z.ZodType): Json {
  let json = converted.get(schema);
  if (!json) {
    json = strictify(z.toJSONSchema(schema, { target: 'draft-7' })) as Json;
    converted.set(schema, json);
  }
  return json;
}

// Converting is a few hundred microseconds per call, for the same few schemas on every call; zod
// schemas are immutable, so each one's conversion is kept for as long as the schema lives.
const converted = new WeakMap<z.ZodType, Json>();
