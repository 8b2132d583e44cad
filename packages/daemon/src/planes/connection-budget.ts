import type { Socket } from 'node:net';
import { OwlError } from '@owl/rpc';
import { addressKey, plainAddress } from './address-key.ts';

export interface ConnectionBudgetOptions {
  /** Sockets that have not completed an authenticated upgrade, in total and per address. */
  maxUnauthenticated: number;
  maxUnauthenticatedPerAddress: number;
  /** Upgraded (authenticated) WebSocket connections per address; the total is capped by listenRpc. */
  maxConnectionsPerAddress: number;
  /** A socket not upgraded by then is cut (plain HTTP requests, /healthz, are answered well before). */
  deadlineMs: number;
}

interface PendingSocket {
  socket: Socket;
  key: string;
  timer: NodeJS.Timeout;
}

/**
 * Admission of raw TCP sockets to the TCP plane. Every socket starts unauthenticated, under
 * a deadline and in a budget of its own, apart from authenticated connections: silent or
 * stalled sockets can never take an authenticated client's place. When an unauthenticated
 * budget is full, the oldest socket of the address holding the most is cut to make room,
 * so holding sockets open gains an address nothing, and another address (or /healthz) is
 * always served.
 */
export class ConnectionBudget {
  readonly #options: ConnectionBudgetOptions;
  // Per address key, oldest first.
  readonly #pending = new Map<string, PendingSocket[]>();
  readonly #pendingBySocket = new Map<Socket, PendingSocket>();
  readonly #authenticated = new Map<string, number>();
  // The TLS socket of an upgrade request wraps the raw one: both are found by the peer's address and port.
  readonly #byPeer = new Map<string, Socket>();

  constructor(options: ConnectionBudgetOptions) {
    this.#options = options;
  }

  get unauthenticated(): number {
    return this.#pendingBySocket.size;
  }

  /** A raw socket connected: admit it as unauthenticated, cutting the oldest over budget. */
  admit(socket: Socket): void {
    const key = addressKey(plainAddress(socket.remoteAddress));
    const peer = peerOf(socket);
    const ofAddress = this.#pending.get(key) ?? [];
    if (ofAddress.length >= this.#options.maxUnauthenticatedPerAddress) this.#cut(ofAddress[0]);
    if (this.#pendingBySocket.size >= this.#options.maxUnauthenticated) this.#cut(this.#oldestOfLargest());
    const entry: PendingSocket = { socket, key, timer: setTimeout(() => this.#cut(entry), this.#options.deadlineMs) };
    entry.timer.unref();
    this.#pending.set(key, [...(this.#pending.get(key) ?? []), entry]);
    this.#pendingBySocket.set(socket, entry);
    this.#byPeer.set(peer, socket);
    socket.once('close', () => {
      this.#forget(entry);
      this.#byPeer.delete(peer);
    });
  }

  /**
   * The upgrade request on `socket` authenticated: it leaves the unauthenticated budget and
   * takes an authenticated slot of its address, or is refused (OWL_LIMIT_EXCEEDED) when the
   * address holds all of its slots.
   */
  promote(requestSocket: Socket): void {
    const raw = this.#byPeer.get(peerOf(requestSocket)) ?? requestSocket;
    const entry = this.#pendingBySocket.get(raw);
    const key = entry?.key ?? addressKey(plainAddress(requestSocket.remoteAddress));
    const held = this.#authenticated.get(key) ?? 0;
    if (held >= this.#options.maxConnectionsPerAddress) {
      throw new OwlError('OWL_LIMIT_EXCEEDED', `more than ${this.#options.maxConnectionsPerAddress} connections from ${key}`);
    }
    if (entry) this.#forget(entry);
    this.#authenticated.set(key, held + 1);
    raw.once('close', () => {
      const left = (this.#authenticated.get(key) ?? 1) - 1;
      if (left > 0) this.#authenticated.set(key, left);
      else this.#authenticated.delete(key);
    });
  }

  #oldestOfLargest(): PendingSocket | undefined {
    let largest: PendingSocket[] = [];
    for (const sockets of this.#pending.values()) if (sockets.length > largest.length) largest = sockets;
    return largest[0];
  }

  #cut(entry: PendingSocket | undefined): void {
    if (!entry) return;
    this.#forget(entry);
    entry.socket.destroy();
  }

  #forget(entry: PendingSocket): void {
    if (this.#pendingBySocket.get(entry.socket) !== entry) return;
    clearTimeout(entry.timer);
    this.#pendingBySocket.delete(entry.socket);
    const rest = (this.#pending.get(entry.key) ?? []).filter((candidate) => candidate !== entry);
    if (rest.length > 0) this.#pending.set(entry.key, rest);
    else this.#pending.delete(entry.key);
  }
}

function peerOf(socket: Socket): string {
  return `${socket.remoteAddress ?? '?'}|${socket.remotePort ?? '?'}`;
}
