// Checks the positioned tree against the declarative schema and turns it into plain values.
// Every problem is collected (never stops at the first); each points at the offending node: the key
// for unknown or missing keys, the value for bad values.
import { describeExpected, type Schema, type StringSchema } from './schema/dsl';
import { didYouMean } from './suggest';
import { childPath, type Pos, type RawProblem, type TNode, type TScalar } from './tree';

/** Where each validated path sits in the file, for rules that look at several fields at once. */
export interface Located {
  keyPos?: Pos;
  valuePos: Pos;
}
export type PositionIndex = Map<string, Located>;

export interface ValidationResult {
  value: unknown;
  problems: RawProblem[];
  positions: PositionIndex;
}

export function validateTree(root: TNode, schema: Schema): ValidationResult {
  const problems: RawProblem[] = [];
  const positions: PositionIndex = new Map();
  const value = check(root, schema, '', undefined, problems, positions);
  return { value, problems, positions };
}

export function describeNode(n: TNode): string {
  if (n.kind === 'map') return 'a mapping';
  if (n.kind === 'seq') return 'a list';
  if (n.value === null) return 'nothing';
  if (typeof n.value === 'string') return JSON.stringify(n.text);
  if (!n.plain) return JSON.stringify(n.text);
  return n.text;
}

function check(n: TNode, s: Schema, path: string, keyPos: Pos | undefined, problems: RawProblem[], positions: PositionIndex): unknown {
  positions.set(path, { keyPos, valuePos: n.pos });
  if (n.kind === 'scalar' && n.broken) return undefined;
  const bad = (message: string, pos: Pos = n.pos) => {
    problems.push({ pos, path, message });
    return undefined;
  };
  const mismatch = () => {
    let msg = `expected ${describeExpected(s)}, got ${describeNode(n)}`;
    if (n.kind === 'scalar' && n.value === null) msg = `has no value; expected ${describeExpected(s)}`;
    if (s.kind === 'integer' && n.kind === 'scalar' && !n.plain && /^-?\d+$/.test(n.text)) msg += ' (write the number without quotes)';
    if (s.hint) msg += `. ${s.hint}`;
    return bad(msg);
  };

  switch (s.kind) {
    case 'union': {
      const variant = pickVariant(n, s.variants);
      if (!variant) {
        if (n.kind === 'scalar' && n.value === null) return bad(`has no value; expected ${describeExpected(s)}`);
        return bad(`expected ${describeExpected(s)}, got ${describeNode(n)}`);
      }
      return check(n, variant, path, keyPos, problems, positions);
    }
    case 'string': {
      if (n.kind !== 'scalar' || n.value === null) return mismatch();
      // YAML reads `2024` or `true` as a number or boolean; the JSON Schema (and so editors) would refuse it.
      if (n.plain && typeof n.value !== 'string') {
        return bad(`expected ${describeExpected(s)}, got ${describeNode(n)}; write "${n.text}" in quotes if you mean that text`);
      }
      return checkString(n, s, bad);
    }
    case 'integer': {
      if (n.kind !== 'scalar' || typeof n.value !== 'number' || !n.plain) return mismatch();
      const v = n.value;
      if (!Number.isInteger(v)) return mismatch();
      if ((s.minimum !== undefined && v < s.minimum) || (s.maximum !== undefined && v > s.maximum) || (s.multipleOf && v % s.multipleOf !== 0)) {
        let msg = `expected ${describeExpected(s)}, got ${n.text}`;
        const inRange = (x: number) => (s.minimum === undefined || x >= s.minimum) && (s.maximum === undefined || x <= s.maximum);
        if (s.multipleOf && v % s.multipleOf !== 0 && inRange(v)) {
          const lo = Math.floor(v / s.multipleOf) * s.multipleOf;
          const near = [lo, lo + s.multipleOf].filter(inRange);
          if (near.length) msg += ` (nearest allowed: ${near.join(' or ')})`;
        }
        return bad(msg);
      }
      return v;
    }
    case 'boolean': {
      if (n.kind !== 'scalar' || typeof n.value !== 'boolean') return mismatch();
      return n.value;
    }
    case 'text': {
      if (n.kind !== 'scalar') return mismatch();
      if (n.value === null && n.plain) return bad('has no value; write "" for an empty string');
      return n.text;
    }
    case 'array': {
      if (n.kind !== 'seq') {
        // `methods: GET` is a common slip: say how to write a list.
        if (n.kind === 'scalar' && n.value !== null) return bad(`expected ${describeExpected(s)}, got ${describeNode(n)}; write a list such as [${n.text}]`);
        return mismatch();
      }
      if (s.minItems !== undefined && n.items.length < s.minItems) return bad(`needs at least ${s.minItems} item${s.minItems === 1 ? '' : 's'}`);
      const out: unknown[] = [];
      const seen = new Map<string, number>();
      n.items.forEach((item, i) => {
        const v = check(item, s.items, childPath(path, i), undefined, problems, positions);
        if (s.uniqueItems && v !== undefined) {
          const k = JSON.stringify(v);
          if (seen.has(k)) problems.push({ pos: item.pos, path: childPath(path, i), message: `${describeNode(item)} is listed twice` });
          seen.set(k, i);
        }
        out.push(v);
      });
      return out;
    }
    case 'object': {
      if (n.kind !== 'map') return mismatch();
      const out: Record<string, unknown> = {};
      const allowed = Object.keys(s.properties);
      for (const e of n.entries) {
        const sub = s.properties[e.key];
        const p = childPath(path, e.key);
        if (!sub && s.extensionPrefix && e.key.startsWith(s.extensionPrefix)) continue;
        if (!sub) {
          problems.push({
            pos: e.keyPos,
            path: p,
            message: `unknown key '${e.key}'${didYouMean(e.key, allowed) || `; allowed here: ${allowed.join(', ')}`}`,
          });
          continue;
        }
        // An empty optional mapping (`env:` with every line commented out) means "none".
        if ((sub.kind === 'map' || sub.kind === 'object') && e.value.kind === 'scalar' && e.value.value === null && e.value.plain && !s.required?.includes(e.key)) {
          positions.set(p, { keyPos: e.keyPos, valuePos: e.value.pos });
          continue;
        }
        const v = check(e.value, sub, p, e.keyPos, problems, positions);
        if (v !== undefined) out[e.key] = v;
      }
      for (const r of s.required ?? []) {
        if (!n.entries.some((e) => e.key === r)) {
          problems.push({ pos: keyPos ?? n.pos, path: path || r, message: `missing required key '${r}' (${describeExpected(s.properties[r])})` });
        }
      }
      return out;
    }
    case 'map': {
      if (n.kind !== 'map') {
        if (n.kind === 'scalar' && n.value === null && s.minProperties) return bad(`has no entries; add at least ${s.minProperties}`);
        return mismatch();
      }
      if (s.minProperties !== undefined && n.entries.length < s.minProperties) return bad(`has no entries; add at least ${s.minProperties}`, keyPos ?? n.pos);
      const out: Record<string, unknown> = {};
      for (const e of n.entries) {
        const p = childPath(path, e.key);
        const keyNode: TScalar = { kind: 'scalar', pos: e.keyPos, text: e.key, plain: false, value: e.key };
        checkString(keyNode, s.key, (message) => {
          problems.push({ pos: e.keyPos, path: p, message: `bad name '${e.key}': ${message}` });
          return undefined;
        });
        const v = check(e.value, s.value, p, e.keyPos, problems, positions);
        if (v !== undefined) out[e.key] = v;
      }
      return out;
    }
  }
}

function checkString(n: TScalar, s: StringSchema, bad: (m: string) => undefined): string | undefined {
  const v = n.text;
  if (s.enum && !s.enum.includes(v)) {
    return bad(`expected one of ${s.enum.join(', ')}, got ${JSON.stringify(v)}${didYouMean(v, s.enum)}`);
  }
  if (s.minLength !== undefined && v.length < s.minLength) return bad(s.minLength === 1 ? 'is empty' : `must be at least ${s.minLength} characters`);
  if (s.maxLength !== undefined && v.length > s.maxLength) return bad(`is ${v.length} characters long; at most ${s.maxLength} are allowed`);
  if (s.pattern && !new RegExp(s.pattern).test(v)) {
    return bad(`expected ${describeExpected(s)}, got ${JSON.stringify(v)}${s.hint ? `. ${s.hint}` : ''}`);
  }
  return v;
}

function pickVariant(n: TNode, variants: Schema[]): Schema | undefined {
  const byKind = (k: Schema['kind']) => variants.find((v) => v.kind === k);
  if (n.kind === 'map') return byKind('object') ?? byKind('map');
  if (n.kind === 'seq') return byKind('array');
  if (n.value === null) return undefined;
  if (n.plain && typeof n.value === 'boolean' && byKind('boolean')) return byKind('boolean');
  if (n.plain && typeof n.value === 'number' && byKind('integer')) return byKind('integer');
  return byKind('string') ?? byKind('text');
}

