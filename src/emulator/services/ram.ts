// RAM service (stub while being built).
import type { EmulatorConfig, EmuRequest, EmuResponse, Identity, Store } from '../types';

export function createRamService(deps: { store: Store; config: EmulatorConfig }) {
  void deps;
  return {
    async handle(req: EmuRequest, identity: Identity): Promise<EmuResponse> {
      void req; void identity;
      return { status: 501, body: '{}', action: 'Unknown', errorCode: 'NotImplemented' };
    },
  };
}
