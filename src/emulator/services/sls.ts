// SLS service (stub while being built).
import type { EmulatorConfig, EmuRequest, EmuResponse, Identity, LogSink, Store } from '../types';

export function createSlsService(deps: { store: Store; config: EmulatorConfig }): { handle(req: EmuRequest, identity: Identity): Promise<EmuResponse>; logSink: LogSink } {
  void deps;
  return {
    async handle(req: EmuRequest, identity: Identity): Promise<EmuResponse> {
      void req; void identity;
      return { status: 501, body: '', action: 'Unknown', errorCode: 'NotImplemented' };
    },
    logSink: { writeFunctionLogs() {} },
  };
}

export function projectFromRequest(req: Pick<EmuRequest, 'host'>): string | undefined { void req; return undefined; }
export function markNextGetLogsIncomplete(times = 1): void { void times; }
