// The LogSource that talks to SLS (or the emulator) through src/cloud/sls.ts, counting calls for --debug and the bench.
import type { SlsApi } from '../cloud/sls';
import type { LogPage, LogQuery, LogSource } from './fetch';

export class SlsLogSource implements LogSource {
  calls = 0;
  constructor(private readonly sls: SlsApi, readonly project: string, readonly logstore: string) {}

  async getLogsPage(q: LogQuery & { line: number; offset: number; reverse?: boolean }): Promise<LogPage> {
    this.calls++;
    const page = await this.sls.getLogsPage(this.project, this.logstore, q);
    return { rows: page.rows, complete: page.progress === undefined || page.progress.toLowerCase() !== 'incomplete' };
  }
}
