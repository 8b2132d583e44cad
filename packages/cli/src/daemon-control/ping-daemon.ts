import { OwlError, RpcClient } from '@owl/rpc';
import { DEFAULT_ANSWER_TIMEOUT_MS, describeNotAnswering } from '../connect/answer-deadline.ts';

/**
 * The running daemon's answer; null when none runs (nothing listens). A daemon that accepts
 * but does not answer within `timeoutMs` is an error (exit 3 naming its pid), never a reason
 * to start a second one or to wait forever.
 */
export async function pingDaemon(home: string, timeoutMs: number = DEFAULT_ANSWER_TIMEOUT_MS): Promise<{ pid: number; version: string } | null> {
  let client: RpcClient;
  try {
    client = await RpcClient.connect({ kind: 'local', home }, { connectTimeoutMs: timeoutMs, answerTimeoutMs: timeoutMs });
  } catch (error) {
    if (error instanceof OwlError && error.code === 'OWL_DAEMON_NOT_ANSWERING') throw describeNotAnswering(error, home);
    return null;
  }
  try {
    return await client.call('daemon.ping', {}, { timeoutMs });
  } catch (error) {
    if (error instanceof OwlError && (error.code === 'OWL_DAEMON_NOT_ANSWERING' || error.code === 'OWL_TIMEOUT')) {
      throw describeNotAnswering(new OwlError('OWL_DAEMON_NOT_ANSWERING', error.message, { data: { timeoutMs } }), home);
    }
    return null;
  } finally {
    await client.close();
  }
}
