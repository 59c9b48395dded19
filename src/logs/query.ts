// SLS query text. User text never reaches SLS unquoted: a quoted phrase cannot turn into `and`/`or`/`not`,
// a `field: value` clause or a wildcard. Field clauses are used only for fields that have a field index;
// otherwise SLS rejects them (or matches nothing), so we fall back to a full-text phrase and filter client-side.

/** `text` as one SLS phrase: "…", with backslashes and double quotes escaped. */
export function quotePhrase(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export interface QueryParts {
  /** Function name: a `functionName:` clause when indexed; otherwise filtered client-side only. */
  functionName?: string;
  /** Request id: always a full-text phrase (ids contain dashes; never an unindexed key: value). */
  requestId?: string;
  /** Instance id: a field clause when indexed, else a full-text phrase. */
  instanceId?: string;
  /** --search TEXT: one phrase. */
  search?: string;
}

export interface IndexShape {
  /** Field names with a field index. */
  fields: ReadonlySet<string>;
  /** Whether the logstore has a full-text index (`line`); default true. */
  fullText?: boolean;
}

/**
 * Builds the query for an index. Text that must be searched (request id, --search) goes to the full-text index as
 * a phrase; without one, to a `message:` field index; without that either it is left to the client-side filter.
 */
export function buildQuery(p: QueryParts, index: IndexShape | ReadonlySet<string>): string {
  const shape: IndexShape = index instanceof Set ? { fields: index } : (index as IndexShape);
  const fields = shape.fields;
  const fullText = shape.fullText !== false;
  const text = (t: string) => (fullText ? quotePhrase(t) : fields.has('message') ? `message: ${quotePhrase(t)}` : undefined);
  const clauses: Array<string | undefined> = [];
  if (p.functionName && fields.has('functionName')) clauses.push(`functionName: ${quotePhrase(p.functionName)}`);
  if (p.requestId) clauses.push(text(p.requestId));
  if (p.instanceId) clauses.push(fields.has('instanceID') ? `instanceID: ${quotePhrase(p.instanceId)}` : fullText ? quotePhrase(p.instanceId) : undefined);
  if (p.search !== undefined && p.search !== '') clauses.push(text(p.search));
  const kept = clauses.filter((c): c is string => Boolean(c));
  return kept.length ? kept.join(' and ') : '*';
}

/** Whether a GetIndex answer has a full-text (`line`) part. */
export function hasFullText(index: unknown): boolean {
  return Boolean((index as { line?: unknown } | undefined)?.line);
}

/** Field names that have a field index, from a GetIndex answer (undefined = no index at all). */
export function indexedFieldsOf(index: unknown): Set<string> {
  const keys = (index as { keys?: Record<string, unknown> } | undefined)?.keys;
  return new Set(keys && typeof keys === 'object' ? Object.keys(keys) : []);
}
