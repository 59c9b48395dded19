// What the SDKs do not tell us about the HTTP response of a call — its status and headers. pop-core (RAM, STS)
// and @alicloud/log (SLS) drop the status of failed calls, and @alicloud/log returns only the body (`x-log-progress`
// is a header). We keep the official SDKs and read these off the real response: node's
// `http.client.request.start` diagnostics channel is published synchronously inside http.request(), i.e. in the
// async context of the SDK call, so an AsyncLocalStorage slot opened around that one call identifies it exactly —
// no extra request header, no patching of SDK internals, and concurrent calls cannot mix up their answers.
import type * as http from 'node:http';
import { AsyncLocalStorage } from 'node:async_hooks';

export interface CapturedResponse {
  /** Of the last response the call received (a call that follows a redirect sees more than one). */
  status?: number;
  headers?: http.IncomingHttpHeaders;
}

const slot = new AsyncLocalStorage<CapturedResponse>();
let hooked = false;

function hook(): void {
  if (hooked) return;
  hooked = true;
  const dc = require('node:diagnostics_channel') as typeof import('node:diagnostics_channel');
  dc.subscribe('http.client.request.start', (msg: any) => {
    const into = slot.getStore();
    if (into)
      msg.request.once('response', (res: http.IncomingMessage) => {
        into.status = res.statusCode;
        into.headers = res.headers;
      });
  });
}

/** Runs `fn` with a fresh capture slot; `into` receives the status and headers of the responses fn's requests get. */
export function withResponseCapture<T>(into: CapturedResponse, fn: () => Promise<T>): Promise<T> {
  hook();
  return slot.run(into, fn);
}

/** The capture slot of the call running now (inside withResponseCapture), if any. */
export function currentResponse(): CapturedResponse | undefined {
  return slot.getStore();
}
