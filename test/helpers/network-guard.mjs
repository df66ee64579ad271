// THE NETWORK RULE, enforced in tests: UDP device traffic (WS-Discovery) may go to loopback only, and a multicast
// probe must name a loopback interface first. Loaded in the test workers (vitest setupFiles) and, through
// NODE_OPTIONS=--import, in every node process the tests start (the CLI). A violation throws before the datagram
// is handed to the kernel.
import dgram from 'node:dgram';

const IFACE = Symbol('toezicht.multicastInterface');
const PATCHED = Symbol.for('toezicht.networkGuard');

const isLoopback = (a) => typeof a === 'string' && (a.startsWith('127.') || a === '::1' || a === 'localhost');
const isMulticast = (a) => typeof a === 'string' && /^(22[4-9]|23\d)\./.test(a);

/** Whether a datagram to `address` may leave, given the socket's chosen multicast interface. */
export function datagramAllowed(address, multicastInterface) {
  if (address === undefined) return true; // a connected socket (checked at connect) or the default, localhost
  if (isMulticast(address)) return isLoopback(multicastInterface);
  return isLoopback(address);
}

const proto = dgram.Socket.prototype;
if (!proto[PATCHED]) {
  proto[PATCHED] = true;
  const setMulticastInterface = proto.setMulticastInterface;
  proto.setMulticastInterface = function (iface) {
    this[IFACE] = iface;
    return setMulticastInterface.call(this, iface);
  };
  const send = proto.send;
  proto.send = function (msg, ...args) {
    // send(msg[, offset, length], port[, address][, callback])
    const rest = args.filter((a) => typeof a !== 'function');
    const portIndex = rest.length >= 3 && typeof rest[1] === 'number' ? 2 : 0;
    const address = typeof rest[portIndex + 1] === 'string' ? rest[portIndex + 1] : undefined;
    if (!datagramAllowed(address, this[IFACE])) {
      throw new Error(
        `network guard: refusing a datagram to ${address}${isMulticast(address) ? ` without a loopback multicast interface (got ${this[IFACE] ?? 'none'})` : ''}; tests send device traffic to loopback only`,
      );
    }
    return send.call(this, msg, ...args);
  };
  const connect = proto.connect;
  proto.connect = function (port, address, ...rest) {
    if (typeof address === 'string' && !isLoopback(address)) throw new Error(`network guard: refusing to connect a UDP socket to ${address}`);
    return connect.call(this, port, address, ...rest);
  };
}
