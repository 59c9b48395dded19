// fcx invoke: call a deployed function through its HTTP trigger.
import type { Command } from 'commander';
import type { CommandSpec } from './command';

const collect = (v: string, prev: string[] = []) => [...prev, v];

export const invokeCommand: CommandSpec = {
  name: 'invoke',
  args: '[function]',
  summary: 'call a deployed function through its HTTP trigger; body on stdout, status and request id on stderr',
  help: `Examples:
  fcx invoke                              GET / on the app's only HTTP function
  fcx invoke web --path '/hello?name=x'   a path and query
  fcx invoke --method POST --data '{"a":1}' --header 'content-type: application/json'
  fcx invoke --data @body.json            the body from a file (@- reads stdin)
  fcx invoke --json                       {"status","headers","body","bodyEncoding","requestId"}

With --json, "body" is the response body as text when it is valid UTF-8 ("bodyEncoding": "utf8"), else
base64 ("bodyEncoding": "base64"), so binary bodies come through intact. Without --json the bytes go to
stdout as they are. --method takes one HTTP method word (GET, POST, PUT, DELETE, PATCH, ...).

Exit code 1 when the function answers outside 2xx (after printing the response).`,
  configure(cmd: Command) {
    cmd
      .option('--path <path>', 'path (and query) after the function URL', '/')
      .option('-X, --method <method>', 'HTTP method (default GET, or POST with --data)')
      .option('-d, --data <data>', 'request body: text, @file, or @- for stdin')
      .option('-H, --header <header>', 'request header "name: value" (repeatable)', collect);
  },
  async run(ctx, args, opts) {
    const { runInvoke } = await import('../deploy/invoke.js');
    return runInvoke(ctx, { fn: args[0], path: opts.path, method: opts.method, data: opts.data, headers: opts.header });
  },
};
