// Bundled app templates (templates/<name>/) and writing one into a folder for `fcx init`.
// A template is a folder with template.json ({description, defaultName, runtime, rename}) and files in
// which {{name}}, {{region}} and {{schema}} are replaced. Files are never deleted; existing ones are
// overwritten only with --force.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { packageRoot } from '../core/paths';
import { UsageError } from '../core/errors';
import { pathToFileURL } from 'node:url';
import { APP_NAME_MAX, APP_NAME_PATTERN } from './defaults';

export interface TemplateInfo {
  name: string;
  description: string;
  defaultName: string;
  runtime: string;
  dir: string;
  /** Shipped name → written name (npm drops .gitignore files from packages, so they ship as `gitignore`). */
  rename: Record<string, string>;
}

export function templatesRoot(): string {
  return join(packageRoot(), 'templates');
}

export function listTemplates(root = templatesRoot()): TemplateInfo[] {
  if (!existsSync(root)) return [];
  const out: TemplateInfo[] = [];
  for (const name of readdirSync(root).sort()) {
    const dir = join(root, name);
    const metaFile = join(dir, 'template.json');
    if (!statSync(dir).isDirectory() || !existsSync(metaFile)) continue;
    const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as Partial<TemplateInfo>;
    out.push({
      name,
      description: meta.description ?? '',
      defaultName: meta.defaultName ?? 'hello-api',
      runtime: meta.runtime ?? '',
      dir,
      rename: meta.rename ?? {},
    });
  }
  // python-web first: it is the default.
  return out.sort((a, b) => (a.name === 'python-web' ? -1 : b.name === 'python-web' ? 1 : a.name.localeCompare(b.name)));
}

/** Relative paths (with / separators) of the files a template writes, after renames. */
function templateFiles(t: TemplateInfo): { from: string; to: string }[] {
  const files: { from: string; to: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      const p = join(dir, entry);
      if (statSync(p).isDirectory()) walk(p);
      else {
        const rel = relative(t.dir, p).split(sep).join('/');
        if (rel === 'template.json') continue;
        files.push({ from: p, to: t.rename[rel] ?? rel });
      }
    }
  };
  walk(t.dir);
  return files;
}

/** A valid app name from a folder name: lowercase, [a-z0-9-], starting with a letter. */
export function sanitizeAppName(raw: string): string {
  let s = raw
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, APP_NAME_MAX)
    .replace(/-+$/, '');
  if (s.length < 2) s = s ? `${s}-app` : 'hello-api';
  return s;
}

export function isValidAppName(s: string): boolean {
  return new RegExp(APP_NAME_PATTERN).test(s);
}

/**
 * What `$schema=` points at in a new fcx.yaml. When fcx is installed in the app's node_modules, a relative
 * path (works offline, survives moving the folder, works for teammates after `npm install`); otherwise
 * the schema of this exact fcx version on the npm CDN.
 */
export function schemaReference(targetDir: string): string {
  let dir = resolve(targetDir);
  for (;;) {
    const candidate = join(dir, 'node_modules', 'fcx', 'schema', 'fcx.schema.json');
    if (existsSync(candidate)) return relative(targetDir, candidate).split(sep).join('/');
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  // Not in the project's node_modules: point at the schema of the fcx that is running, which certainly exists
  // (fcx is not published to a registry, so a CDN URL would be a dead link).
  return pathToFileURL(join(packageRoot(), 'schema', 'fcx.schema.json')).href;
}

/** Entries that do not make a folder "non-empty" for init. */
const IGNORABLE = new Set(['.git', '.DS_Store', 'Thumbs.db', '.idea', '.vscode']);

export function existingEntries(dir: string): string[] {
  if (!existsSync(dir)) return [];
  if (!statSync(dir).isDirectory()) throw new UsageError(`${dir} is a file, not a folder.`, 'Pass a folder name to fcx init.');
  return readdirSync(dir).filter((e) => !IGNORABLE.has(e));
}

export interface ScaffoldInput {
  template: TemplateInfo;
  dir: string; // absolute target folder
  name: string;
  region: string;
}

export interface ScaffoldResult {
  files: string[]; // relative to dir, in write order
  overwritten: string[];
}

export function scaffold(input: ScaffoldInput): ScaffoldResult {
  const vars: Record<string, string> = { name: input.name, region: input.region, schema: schemaReference(input.dir) };
  const files: string[] = [];
  const overwritten: string[] = [];
  mkdirSync(input.dir, { recursive: true });
  for (const f of templateFiles(input.template)) {
    const target = join(input.dir, ...f.to.split('/'));
    if (existsSync(target)) overwritten.push(f.to);
    mkdirSync(dirname(target), { recursive: true });
    const buf = readFileSync(f.from);
    const mode = statSync(f.from).mode & 0o777;
    const isText = !buf.includes(0);
    const content = isText ? Buffer.from(render(buf.toString('utf8'), vars), 'utf8') : buf;
    writeFileSync(target, content);
    // Executables such as a custom runtime's bootstrap keep their mode; bootstrap is always executable.
    if (mode & 0o111 || basename(f.to) === 'bootstrap') chmodSync(target, mode | 0o755);
    files.push(f.to);
  }
  return { files, overwritten };
}

export function render(text: string, vars: Record<string, string>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (m, k: string) => (k in vars ? vars[k] : m));
}
