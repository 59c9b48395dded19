import type { CommandSpec } from './command';

export const logsCommand: CommandSpec = {
  name: 'logs',
  args: '[function]',
  summary: "show a service's log lines from SLS: history, one request, or follow live",
  help: `Examples:
  fcx logs                              the last 15 minutes of every function, oldest first
  fcx logs web --since 2h --search timeout
  fcx logs --request-id 1f6b2c3d-…       one request's whole story (default window: last 24 h)
  fcx logs --tail                       recent lines, then follow new ones (Ctrl-C to stop)
  fcx logs --tail --request-id ID       follow one request until its "FC Invoke End" line
  fcx logs --json | jq .message         JSON Lines: time, requestId, function, message, instanceId, service, attributed

Times (--since, --until): 30s, 15m, 2h, 1d; ISO-8601 with an offset (2024-05-01T09:30:00+08:00);
local "YYYY-MM-DD HH:mm[:ss]"; epoch seconds or milliseconds. The window is printed in UTC on stderr.
--limit N shows the newest N lines, still oldest first.
Lines printed without a request id are attributed to the request running on the same instance; "?" marks a line
whose instance was serving several requests at once (JSON: "attributed": "uncertain").
--request-id X also lists lines of other requests that print X's id, as related, marked "~" (JSON: "attributed":
"mentions", "requestId" is the request that printed it, absent when unknown): a line whose own logging prefix
names another request, one printed while another request ran alone on an instance serving one request at a time,
and (once X's Start is seen) one printed anywhere but on X's instance between its Start and End. When only such
lines are found, they are shown and the request counts as not found (exit 1).
Exit codes: 0 ok (also Ctrl-C while tailing, and an empty window); 1 request id not found, service not deployed,
or a cloud failure; 2 bad flags, or the service has no logging (set service.logs: auto, then fcx deploy).`,
  configure(cmd) {
    cmd
      .option('--request-id <id>', "show one request's lines (its id is printed by fcx invoke)")
      .option('--tail', 'after the history, follow new lines until Ctrl-C')
      .option('--since <time>', 'start of the window (default 15m; 24h with --request-id)')
      .option('--until <time>', 'end of the window (default now)')
      .option('--search <text>', 'only lines containing this text (an SLS phrase)')
      .option('--limit <n>', 'show only the newest N lines');
  },
  async run(ctx, args, opts) {
    const { runLogs } = await import('../logs/run.js');
    return runLogs(ctx, args[0], { requestId: opts.requestId, tail: opts.tail, since: opts.since, until: opts.until, search: opts.search, limit: opts.limit });
  },
};
