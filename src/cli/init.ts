// fcx init [dir] [--template NAME] [--name N] [--region R] [--force] [--list]
// Scaffolds an app from a bundled template. Prompts (inquirer) only when a value is missing and a person
// is at a terminal; otherwise flags and defaults. Never overwrites without --force, never deletes.
import type { Command } from 'commander';
import type { CommandSpec } from './command';
import type { Context } from '../core/context';
import { FcxError, UsageError } from '../core/errors';

const HELP = `Examples:
  fcx init hello                          python-web app in ./hello (the default template)
  fcx init api --template nodejs-web      Node.js app
  fcx init . --name shop-api --force      into the current folder, overwriting the template's files
  fcx init --list                         the templates (--json for an array)

Without a terminal (CI, pipes) fcx never prompts: the template defaults to python-web, the name to the
folder name, the region to --region or cn-hangzhou. At a terminal, \`fcx init\` without a folder asks
for the template and the app name, and creates a folder of that name.`;

export const initCommand: CommandSpec = {
  name: 'init',
  args: '[dir]',
  summary: 'create an app (fcx.yaml + code) from a bundled template',
  help: HELP,
  configure(cmd: Command) {
    cmd
      .option('-t, --template <name>', 'template to use (see --list)')
      .option('-n, --name <name>', 'app name (default: the folder name)')
      .option('-f, --force', "write into a non-empty folder, overwriting the template's files (others are kept)")
      .option('--list', 'list the bundled templates');
  },
  async run(ctx: Context, args: string[], opts: Record<string, any>) {
    const { listTemplates, scaffold, existingEntries, sanitizeAppName, isValidAppName } = await import('../manifest/scaffold.js');
    const { DEFAULT_REGION, APP_NAME_PATTERN, REGION_PATTERN } = await import('../manifest/defaults.js');
    const path = await import('node:path');
    const templates = listTemplates();

    if (opts.list) {
      if (ctx.global.json) ctx.ui.data(templates.map((t) => ({ name: t.name, description: t.description, runtime: t.runtime })));
      else {
        const w = Math.max(...templates.map((t) => t.name.length), 4);
        for (const t of templates) ctx.ui.data(`${t.name.padEnd(w)}  ${t.description}`);
      }
      return 0;
    }
    if (templates.length === 0) throw new UsageError('No templates were found in this fcx installation.', 'Reinstall fcx.');

    // Flags first: a mistake in them is reported before any question or file check.
    const templateByName = async (templateName: string) => {
      const template = templates.find((t) => t.name === templateName);
      if (template) return template;
      const { closest } = await import('../manifest/suggest.js');
      const guess = closest(templateName, templates.map((t) => t.name));
      throw new UsageError(
        `There is no template named '${templateName}'${guess ? ` (did you mean '${guess}'?)` : ''}. Available: ${templates.map((t) => t.name).join(', ')}.`,
        'Run `fcx init --list` to see what each template is.',
      );
    };
    let template = opts.template !== undefined ? await templateByName(String(opts.template)) : undefined;
    let name: string | undefined = opts.name;
    if (name !== undefined && !isValidAppName(name)) {
      throw new UsageError(
        `'${name}' is not a valid app name: use 2–40 lowercase letters, digits and -, starting with a letter (${APP_NAME_PATTERN}).`,
        `For example --name ${sanitizeAppName(name)}`,
      );
    }
    const region: string = ctx.global.region ?? DEFAULT_REGION;
    if (!new RegExp(REGION_PATTERN).test(region)) {
      throw new UsageError(`'${region}' is not a region id.`, 'Use an Alibaba Cloud region id such as cn-hangzhou, cn-shanghai or ap-southeast-1.');
    }

    const prompt = ctx.canPrompt() ? await loadPrompts(ctx) : undefined;
    const refuseNonEmpty = (dir: string) => {
      const existing = existingEntries(dir);
      if (existing.length && !opts.force) {
        throw new UsageError(
          `The folder ${path.relative(ctx.cwd, dir) || '.'} is not empty (${existing.slice(0, 5).join(', ')}${existing.length > 5 ? ', …' : ''}); fcx init does not overwrite files.`,
          `Pick a new folder (fcx init <dir>), or pass --force to write the template's files there (other files are kept).`,
        );
      }
    };
    // When the folder is already known, refuse before asking anything.
    let dirArg: string | undefined = args[0];
    if (dirArg !== undefined || name !== undefined || !prompt) refuseNonEmpty(path.resolve(ctx.cwd, dirArg ?? '.'));

    if (!template && prompt) {
      const chosen = await prompt.select(
        'Template',
        templates.map((t) => ({ value: t.name, name: `${t.name} — ${t.description}` })),
      );
      template = await templateByName(chosen);
    }
    template ??= await templateByName('python-web');

    // At a terminal without a folder or name: ask for the name, which is also the new folder.
    if (dirArg === undefined && name === undefined && prompt) {
      name = await prompt.input('App name (also the folder)', template.defaultName, (v) =>
        isValidAppName(v) ? true : 'Use 2–40 lowercase letters, digits and -, starting with a letter.',
      );
      dirArg = name;
    }
    const dir = path.resolve(ctx.cwd, dirArg ?? '.');
    name ??= sanitizeAppName(path.basename(dir));

    const shownDir = path.relative(ctx.cwd, dir) || '.';
    refuseNonEmpty(dir);

    const result = scaffold({ template, dir, name, region });

    if (ctx.global.json) ctx.ui.data({ dir, template: template.name, name, region, files: result.files, overwritten: result.overwritten });
    else for (const f of result.files) ctx.ui.data(path.join(shownDir, f));

    ctx.ui.success(`Created ${name} from the ${template.name} template in ${shownDir}${result.overwritten.length ? ` (overwrote ${result.overwritten.join(', ')})` : ''}.`);
    const steps = [
      ...(shownDir !== '.' ? [`cd ${shownDir.includes(' ') ? JSON.stringify(shownDir) : shownDir}`] : []),
      'fcx emulator                 # in another terminal: the local cloud',
      'fcx deploy --local --yes     # deploy to it',
      'fcx invoke --local --path /  # call it',
    ];
    ctx.ui.info(`Next steps:\n${steps.map((s) => `  ${s}`).join('\n')}\nThen \`fcx deploy\` with Alibaba Cloud credentials to go live.`);
    return 0;
  },
};

interface Prompts {
  select(message: string, choices: { value: string; name: string }[]): Promise<string>;
  input(message: string, def: string, validate: (v: string) => true | string): Promise<string>;
}

/** inquirer is ESM-only and slow to load: only imported when a prompt is really shown. */
async function loadPrompts(ctx: Context): Promise<Prompts> {
  const mod: any = await import('inquirer');
  const inquirer = mod.default ?? mod;
  // Questions go to stderr like all text for people: stdout stays data (the file list, or --json).
  const promptModule = inquirer.createPromptModule({ input: ctx.stdin, output: ctx.ui.err });
  const ask = async (question: Record<string, unknown>): Promise<string> => {
    try {
      const a = await promptModule([{ name: 'v', ...question }]);
      return String(a.v).trim();
    } catch (err) {
      // Ctrl-C or a closed terminal inside a prompt.
      if ((err as Error)?.name === 'ExitPromptError' || (err as Error)?.name === 'AbortPromptError') {
        throw new FcxError('fcx init was cancelled; nothing was written.', { hint: 'Run it again, or pass --template and --name to skip the questions.' });
      }
      throw err;
    }
  };
  return {
    select: (message, choices) => ask({ type: 'select', message, choices }),
    input: (message, def, validate) => ask({ type: 'input', message, default: def, validate }),
  };
}
