// A tiny declarative schema language. ONE definition (./fcx-schema.ts) drives both the validator with
// positions (../validate.ts) and the JSON Schema shipped in schema/fcx.schema.json (./json-schema.ts),
// so the two can never disagree.

export interface Common {
  description?: string;
  /** How a person would say what is allowed ("a multiple of 64 between 128 and 32768"). */
  expected?: string;
  /** Shown in the JSON Schema as the default and applied by the loader. */
  default?: unknown;
  /** Extra text for the error when a value does not fit (what to do instead). */
  hint?: string;
}

export interface StringSchema extends Common {
  kind: 'string';
  enum?: readonly string[];
  /** JavaScript/ECMA regex source, anchored with ^…$; also valid in JSON Schema. */
  pattern?: string;
  minLength?: number;
  maxLength?: number;
}

export interface IntegerSchema extends Common {
  kind: 'integer';
  minimum?: number;
  maximum?: number;
  multipleOf?: number;
}

export interface BooleanSchema extends Common {
  kind: 'boolean';
}

/** Any scalar but null, taken as the exact text the user wrote (environment variable values). */
export interface TextSchema extends Common {
  kind: 'text';
}

/** An object with a fixed set of keys; any other key is an error ("did you mean …"). */
export interface ObjectSchema extends Common {
  kind: 'object';
  properties: Record<string, Schema>;
  required?: readonly string[];
  /**
   * Extra JSON Schema keywords (if/then/else) so editors also flag cross-field mistakes. The validator
   * does not read them: the same rules are checked, with better messages, in ../normalize.ts.
   */
  jsonSchemaExtra?: Record<string, unknown>;
  /** Keys starting with this prefix are free-form and ignored (`x-defaults: &defaults` for YAML anchors). */
  extensionPrefix?: string;
}

/** An object whose keys are names chosen by the user (functions, domains, env, routes). */
export interface MapSchema extends Common {
  kind: 'map';
  key: StringSchema;
  value: Schema;
  minProperties?: number;
}

export interface ArraySchema extends Common {
  kind: 'array';
  items: Schema;
  uniqueItems?: boolean;
  minItems?: number;
}

/**
 * One of several shapes. The validator picks the variant by the YAML node's kind (string, integer,
 * boolean, mapping, sequence), so each variant must have a different kind.
 */
export interface UnionSchema extends Common {
  kind: 'union';
  variants: Schema[];
}

export type Schema = StringSchema | IntegerSchema | BooleanSchema | TextSchema | ObjectSchema | MapSchema | ArraySchema | UnionSchema;

// Builders keep the definition short and typed.
export const str = (o: Omit<StringSchema, 'kind'> = {}): StringSchema => ({ kind: 'string', ...o });
export const int = (o: Omit<IntegerSchema, 'kind'> = {}): IntegerSchema => ({ kind: 'integer', ...o });
export const bool = (o: Omit<BooleanSchema, 'kind'> = {}): BooleanSchema => ({ kind: 'boolean', ...o });
export const text = (o: Omit<TextSchema, 'kind'> = {}): TextSchema => ({ kind: 'text', ...o });
export const obj = (properties: Record<string, Schema>, o: Omit<ObjectSchema, 'kind' | 'properties'> = {}): ObjectSchema => ({
  kind: 'object',
  properties,
  ...o,
});
export const map = (key: StringSchema, value: Schema, o: Omit<MapSchema, 'kind' | 'key' | 'value'> = {}): MapSchema => ({
  kind: 'map',
  key,
  value,
  ...o,
});
export const arr = (items: Schema, o: Omit<ArraySchema, 'kind' | 'items'> = {}): ArraySchema => ({ kind: 'array', items, ...o });
export const union = (variants: Schema[], o: Omit<UnionSchema, 'kind' | 'variants'> = {}): UnionSchema => ({
  kind: 'union',
  variants,
  ...o,
});

/** The words used in messages for each node kind. */
export function kindNoun(s: Schema): string {
  switch (s.kind) {
    case 'string':
      return s.enum ? `one of ${s.enum.join(', ')}` : 'a string';
    case 'integer':
      return 'an integer';
    case 'boolean':
      return 'true or false';
    case 'text':
      return 'a string, number or boolean';
    case 'object':
    case 'map':
      return 'a mapping (key: value lines)';
    case 'array':
      return 'a list';
    case 'union':
      return s.variants.map(kindNoun).join(' or ');
  }
}

/** What is allowed, for messages: the schema's own words, else derived from its constraints. */
export function describeExpected(s: Schema): string {
  if (s.expected) return s.expected;
  if (s.kind === 'integer') {
    const parts: string[] = ['an integer'];
    if (s.multipleOf) parts.push(`multiple of ${s.multipleOf}`);
    if (s.minimum !== undefined && s.maximum !== undefined) parts.push(`from ${s.minimum} to ${s.maximum}`);
    else if (s.minimum !== undefined) parts.push(`at least ${s.minimum}`);
    else if (s.maximum !== undefined) parts.push(`at most ${s.maximum}`);
    return parts.join(', ');
  }
  return kindNoun(s);
}
