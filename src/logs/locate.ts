// Where a service's logs are: the deployed service's logConfig (GetService), and which fields the logstore indexes.
import type { Context } from '../core/context';
import { CloudError, ExitCode, FcxError } from '../core/errors';
import type { FcApi } from '../cloud/fc';
import type { SlsApi } from '../cloud/sls';
import type { CloudTarget } from '../cloud/target';
import { hasFullText, indexedFieldsOf } from './query';

export interface LogLocation {
  service: string;
  project: string;
  logstore: string;
  indexedFields: Set<string>;
  fullText: boolean;
}

export async function locateLogs(ctx: Pick<Context, 'ui'>, fc: FcApi, sls: SlsApi, target: CloudTarget, service: string): Promise<LogLocation> {
  const where = target.endpoint ? `at ${target.endpoint}` : `in ${target.region}`;
  const svc = await fc.getService(service);
  // Exit 1, not 2: fcx had to ask the cloud to learn this; the command was well formed, the cloud lacks the service.
  if (!svc) throw new FcxError(`Service "${service}" is not deployed ${where}, so it has no logs to show.`, { hint: 'Deploy it first: fcx deploy (check --region / --local if you deployed elsewhere).' });
  const project = svc.logConfig?.project;
  const logstore = svc.logConfig?.logstore;
  if (!project || !logstore) {
    throw new FcxError(`Service "${service}" does not send its logs to SLS (its logConfig is empty), so there are no logs to show.`, {
      exitCode: ExitCode.usage,
      hint: 'Turn logging on: set `service: { logs: auto }` in fcx.yaml (or { project: P, logstore: L }), then run fcx deploy. Lines printed before that are not kept.',
    });
  }
  let index: unknown;
  try {
    index = await sls.getIndex(project, logstore);
  } catch (err) {
    if (err instanceof CloudError && (err.code === 'ProjectNotExist' || err.code === 'LogStoreNotExist')) {
      throw new FcxError(`Service "${service}" logs to SLS ${project}/${logstore}, but that ${err.code === 'ProjectNotExist' ? 'project' : 'logstore'} does not exist.`, {
        hint: 'Run fcx deploy: it creates the log project, logstore and index (or fix service.logs in fcx.yaml).',
        cause: err,
      });
    }
    throw err;
  }
  if (!index) {
    throw new FcxError(`The logstore ${project}/${logstore} has no index, so SLS cannot search it.`, {
      hint: 'Run fcx deploy (it creates the index fcx needs), or add a full-text index to the logstore in the SLS console. Only lines written after that are searchable.',
    });
  }
  return { service, project, logstore, indexedFields: indexedFieldsOf(index), fullText: hasFullText(index) };
}
