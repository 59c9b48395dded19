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

/** Builds the query; `indexedFields` are the field names with a field index (from GetIndex). */
export function buildQuery(p: QueryParts, indexedFields: ReadonlySet<string>): string {
  const clauses: string[] = [];
  if (p.functionName && indexedFields.has('functionName')) clauses.push(`functionName: ${quotePhrase(p.functionName)}`);
  if (p.requestId) clauses.push(quotePhrase(p.requestId));
  if (p.instanceId) clauses.push(indexedFields.has('instanceID') ? `instanceID: ${quotePhrase(p.instanceId)}` : quotePhrase(p.instanceId));
  if (p.search !== undefined && p.search !== '') clauses.push(quotePhrase(p.search));
  return clauses.length ? clauses.join(' and ') : '*';
}

/** Field names that have a field index, from a GetIndex answer (undefined = no index at all). */
export function indexedFieldsOf(index: unknown): Set<string> {
  const keys = (index as { keys?: Record<string, unknown> } | undefined)?.keys;
  return new Set(keys && typeof keys === 'object' ? Object.keys(keys) : []);
}
