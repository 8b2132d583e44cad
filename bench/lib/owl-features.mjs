// Figures that depend on owl features still being built say so instead of inventing numbers:
// a scratch daemon is asked whether it serves the methods those features add.
import path from 'node:path';
import { METHOD_NOT_FOUND, openOwlRpc } from './owl-rpc.mjs';

const PROBES = [
  { method: 'metrics.get', params: { history: false }, row: 'idle.rss', missing: 'owl\'s daemon had no metrics collection (no `metrics.get`) when this ran: its figure is the idle daemon without a metrics tick, while PM2 collects by default' },
  { method: 'logs.read', params: { lines: 1 }, row: 'log.rate', missing: 'owl\'s daemon had no log service (no `logs.read`) when this ran: lines were counted in out.log, which the app writes to directly' },
];

export async function noteMissingFeatures(context, results) {
  const { owl } = context.newTools();
  await owl.startDaemon();
  const rpc = await openOwlRpc(path.join(owl.home, 'owl.sock'));
  try {
    for (const probe of PROBES) {
      const reply = await rpc.call(probe.method, probe.params);
      if (reply.error?.code === METHOD_NOT_FOUND) results.note(probe.row, probe.missing);
    }
  } finally {
    rpc.close();
    await context.retire(owl);
  }
}
