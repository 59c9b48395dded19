// A deliberately small JSON Schema draft-07 checker covering only the keywords schema/fcx.schema.json
// uses, so the tests can check the shipped schema against real documents without adding a dependency.
// It throws on any keyword it does not know, so it can never silently pass a schema it cannot read.

type J = any;
const KNOWN = new Set([
  '$schema', '$id', 'title', 'description', 'default', 'type', 'enum', 'pattern', 'minLength', 'maxLength',
  'minimum', 'maximum', 'multipleOf', 'properties', 'additionalProperties', 'required', 'propertyNames',
  'minProperties', 'patternProperties', 'items', 'uniqueItems', 'minItems', 'anyOf', 'not', 'if', 'then', 'else', 'dependencies',
]);

function typeOf(v: J): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** Error paths (JSON pointer-ish) for every failed keyword; empty when the value is valid. */
export function validateDraft07(schema: J, value: J, path = ''): string[] {
  for (const k of Object.keys(schema)) if (!KNOWN.has(k)) throw new Error(`schema keyword ${k} is not supported by the test checker`);
  const errs: string[] = [];
  const fail = (kw: string) => errs.push(`${path || '/'}: ${kw}`);
  const t = typeOf(value);
  if (schema.type !== undefined) {
    const types: string[] = Array.isArray(schema.type) ? schema.type : [schema.type];
    const ok = types.some((ty) => ty === t || (ty === 'number' && t === 'integer'));
    if (!ok) return [`${path || '/'}: type ${types.join('|')} (got ${t})`];
  }
  if (schema.enum && !schema.enum.some((e: J) => JSON.stringify(e) === JSON.stringify(value))) fail('enum');
  if (t === 'string') {
    if (schema.pattern && !new RegExp(schema.pattern, 'u').test(value)) fail('pattern');
    if (schema.minLength !== undefined && [...value].length < schema.minLength) fail('minLength');
    if (schema.maxLength !== undefined && [...value].length > schema.maxLength) fail('maxLength');
  }
  if (t === 'integer' || t === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) fail('minimum');
    if (schema.maximum !== undefined && value > schema.maximum) fail('maximum');
    if (schema.multipleOf !== undefined && value % schema.multipleOf !== 0) fail('multipleOf');
  }
  if (t === 'object') {
    const keys = Object.keys(value);
    for (const r of schema.required ?? []) if (!(r in value)) fail(`required ${r}`);
    if (schema.minProperties !== undefined && keys.length < schema.minProperties) fail('minProperties');
    for (const k of keys) {
      if (schema.propertyNames) errs.push(...validateDraft07(schema.propertyNames, k, `${path}/${k}(name)`));
      const patterns = Object.entries(schema.patternProperties ?? {}).filter(([re]) => new RegExp(re, 'u').test(k));
      for (const [, sub] of patterns) errs.push(...validateDraft07(sub, value[k], `${path}/${k}`));
      if (schema.properties && k in schema.properties) errs.push(...validateDraft07(schema.properties[k], value[k], `${path}/${k}`));
      else if (patterns.length) continue;
      else if (schema.additionalProperties === false) fail(`additionalProperties ${k}`);
      else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
        errs.push(...validateDraft07(schema.additionalProperties, value[k], `${path}/${k}`));
      }
    }
    for (const [k, deps] of Object.entries(schema.dependencies ?? {})) {
      if (k in value) for (const d of deps as string[]) if (!(d in value)) fail(`dependencies ${k}→${d}`);
    }
  }
  if (t === 'array') {
    if (schema.minItems !== undefined && value.length < schema.minItems) fail('minItems');
    if (schema.uniqueItems && new Set(value.map((x: J) => JSON.stringify(x))).size !== value.length) fail('uniqueItems');
    if (schema.items) value.forEach((x: J, i: number) => errs.push(...validateDraft07(schema.items, x, `${path}/${i}`)));
  }
  if (schema.anyOf && !schema.anyOf.some((s: J) => validateDraft07(s, value, path).length === 0)) fail('anyOf');
  if (schema.not && validateDraft07(schema.not, value, path).length === 0) fail('not');
  if (schema.if) {
    const branch = validateDraft07(schema.if, value, path).length === 0 ? schema.then : schema.else;
    if (branch) errs.push(...validateDraft07(branch, value, path));
  }
  return errs;
}
