import { readFileSync } from 'node:fs';
import { OwlError, RpcClient } from '@owl/rpc';
import { DEFAULT_ANSWER_TIMEOUT_MS, describeNotAnswering } from '../connect/answer-deadline.ts';

const STOP_TIMEOUT_MS = 60_000;

/** Asks the daemon to shut down and waits until its socket stops answering. */
export async function stopDaemon(home: string, withApps: boolean, timeoutMs: number = DEFAULT_ANSWER_TIMEOUT_MS): Promise<{ pid: number }> {
  let client: RpcClient;
  try {
    client = await RpcClient.connect({ kind: 'local', home }, { connectTimeoutMs: timeoutMs, answerTimeoutMs: timeoutMs });
  } catch (error) {
    if (error instanceof OwlError && error.code === 'OWL_DAEMON_NOT_ANSWERING') throw describeNotAnswering(error, home);
    throw new OwlError('OWL_DAEMON_NOT_RUNNING', `no owl daemon is running for home ${home}`);
  }
  const { pid } = await client.call('daemon.ping', {}).catch((error: unknown) => {
    throw describeNotAnswering(error, home);
  });
  const closed = new Promise<void>((resolve) => client.closedPromise().then(resolve));
  await client.call('daemon.shutdown', { withApps }, { timeoutMs: STOP_TIMEOUT_MS }).catch((error: unknown) => {
    throw describeNotAnswering(error, home);
  });
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS).unref());
  if ((await Promise.race([closed, timeout])) === 'timeout') {
    await client.close();
    throw new OwlError('OWL_TIMEOUT', `owl daemon (pid ${pid}) did not stop within ${STOP_TIMEOUT_MS} ms`);
  }
  await waitForExit(pid);
  return { pid };
}

/** Gone, or exited and waiting to be reaped (a zombie holds no resources and runs no code). */
function hasExited(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  if (process.platform !== 'linux') return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.charAt(stat.lastIndexOf(')') + 2) === 'Z';
  } catch {
    return true;
  }
}

async function waitForExit(pid: number): Promise<void> {
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (Date.now() < deadline && !hasExited(pid)) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
