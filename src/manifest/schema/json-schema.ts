// The declarative schema → JSON Schema (draft-07), for editors (yaml-language-server) and other tools.
// Written to schema/fcx.schema.json by ../schema-cli.ts; a unit test fails when that file is stale.
import type { Schema } from './dsl';
import { manifestSchema } from './fcx-schema';

export const SCHEMA_ID = 'https://unpkg.com/fcx/schema/fcx.schema.json';

type Json = Record<string, unknown>;

function common(s: Schema, out: Json): Json {
  if (s.description) out.description = s.description;
  if (s.default !== undefined) out.default = s.default;
  return out;
}

/** `nullable`: an optional mapping may be left empty (`env:` with every line commented out). */
export function toJsonSchema(s: Schema, nullable = false): Json {
  switch (s.kind) {
    case 'string': {
      const out: Json = { type: 'string' };
      if (s.enum) out.enum = [...s.enum];
      if (s.pattern) out.pattern = s.pattern;
      if (s.minLength !== undefined) out.minLength = s.minLength;
      if (s.maxLength !== undefined) out.maxLength = s.maxLength;
      return common(s, out);
    }
    case 'integer': {
      const out: Json = { type: 'integer' };
      if (s.minimum !== undefined) out.minimum = s.minimum;
      if (s.maximum !== undefined) out.maximum = s.maximum;
      if (s.multipleOf !== undefined) out.multipleOf = s.multipleOf;
      return common(s, out);
    }
    case 'boolean':
      return common(s, { type: 'boolean' });
    case 'text':
      return common(s, { type: ['string', 'number', 'boolean'] });
    case 'object': {
      const properties: Json = {};
      for (const [k, v] of Object.entries(s.properties)) {
        const optional = !(s.required ?? []).includes(k);
        properties[k] = toJsonSchema(v, optional && (v.kind === 'object' || v.kind === 'map'));
      }
      const out: Json = { type: nullable ? ['object', 'null'] : 'object', properties, additionalProperties: false };
      if (s.extensionPrefix) out.patternProperties = { [`^${s.extensionPrefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`]: {} };
      if (s.required?.length) out.required = [...s.required];
      if (s.jsonSchemaExtra) Object.assign(out, s.jsonSchemaExtra);
      return common(s, out);
    }
    case 'map': {
      const out: Json = {
        type: nullable ? ['object', 'null'] : 'object',
        propertyNames: toJsonSchema(s.key),
        additionalProperties: toJsonSchema(s.value),
      };
      if (s.minProperties !== undefined) out.minProperties = s.minProperties;
      return common(s, out);
    }
    case 'array': {
      const out: Json = { type: 'array', items: toJsonSchema(s.items) };
      if (s.uniqueItems) out.uniqueItems = true;
      if (s.minItems !== undefined) out.minItems = s.minItems;
      return common(s, out);
    }
    case 'union':
      return common(s, { anyOf: s.variants.map((v) => toJsonSchema(v)) });
  }
}

export function manifestJsonSchema(): Json {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: SCHEMA_ID,
    title: 'fcx.yaml',
    ...toJsonSchema(manifestSchema),
  };
}

/** The exact text of schema/fcx.schema.json. */
export function manifestJsonSchemaText(): string {
  return JSON.stringify(manifestJsonSchema(), null, 2) + '\n';
}
