// The lab's traffic generator, run by the lab inside one of its namespaces (`nsenter --net=/run/netns/NS node
// traffic-agent.js ...`): Node's own net module, so the lab needs no iperf3.
//
//   server PORT BIN_MS   accept TCP connections, count received bytes in BIN_MS bins on the
//                        system's monotonic clock; print {"listening":true}, then on SIGTERM or
//                        stdin EOF one JSON line with the bins, and exit.
//   client HOST PORT STREAMS MILLISECONDS
//                        open STREAMS connections, write as fast as TCP takes it for that long, close;
//                        print one JSON line with the bytes written and the send window.
//
// Arguments come from the lab (never from a shell); they are still checked, as any entry point.
import { createConnection, createServer, type Socket } from 'node:net';

const now = (): bigint => process.hrtime.bigint();

export interface ServerReport {
  /** Monotonic time (ns, as process.hrtime.bigint()) of the start of bin 0. */
  startNs: string;
  binMs: number;
  /** Bytes received in each bin. */
  bins: number[];
  connections: number;
}

export interface ClientReport {
  startNs: string;
  /** When the client stopped writing (what was queued still drains after it). */
  stopNs: string;
  /** When the last connection closed. */
  endNs: string;
  bytes: number;
  streams: number;
  /** Connections that failed (reset, refused); a cut link should not cause any. */
  errors: string[];
}

function intArg(value: string | undefined, name: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`traffic-agent: ${name} must be an integer ${min}..${max}, got ${value}`);
  return n;
}

function server(port: number, binMs: number): void {
  const startNs = now();
  const binNs = BigInt(binMs) * 1_000_000n;
  const bins: number[] = [];
  let connections = 0;
  const sockets = new Set<Socket>();
  const srv = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('data', (chunk: Buffer) => {
      const bin = Number((now() - startNs) / binNs);
      while (bins.length <= bin) bins.push(0);
      bins[bin] = (bins[bin] ?? 0) + chunk.length;
    });
    socket.on('error', () => sockets.delete(socket));
    socket.on('close', () => sockets.delete(socket));
  });
  const finish = (): void => {
    const report: ServerReport = { startNs: startNs.toString(), binMs, bins, connections };
    process.stdout.write(`${JSON.stringify(report)}\n`, () => process.exit(0));
    for (const socket of sockets) socket.destroy();
    srv.close();
  };
  process.once('SIGTERM', finish);
  process.stdin.on('end', finish);
  process.stdin.resume();
  srv.listen(port, () => process.stdout.write(`${JSON.stringify({ listening: true })}\n`));
}

function client(host: string, port: number, streams: number, seconds: number): void {
  const chunk = Buffer.alloc(64 * 1024, 0x5a);
  const startNs = now();
  const stopAt = startNs + BigInt(Math.round(seconds * 1e9));
  let bytes = 0;
  let open = streams;
  const errors: string[] = [];
  const done = (): void => {
    if (--open > 0) return;
    const report: ClientReport = { startNs: startNs.toString(), stopNs: stopAt.toString(), endNs: now().toString(), bytes, streams, errors };
    process.stdout.write(`${JSON.stringify(report)}\n`, () => process.exit(0));
  };
  for (let i = 0; i < streams; i++) {
    const socket = createConnection({ host, port, noDelay: true });
    let finished = false;
    const end = (): void => {
      if (finished) return;
      finished = true;
      done();
    };
    const pump = (): void => {
      // Write until the socket buffer is full, then wait for 'drain': TCP sets the pace.
      while (now() < stopAt) {
        bytes += chunk.length;
        if (!socket.write(chunk)) return;
      }
      socket.end();
    };
    socket.on('connect', pump);
    socket.on('drain', pump);
    socket.on('close', end);
    socket.on('error', (error) => {
      errors.push(error.message);
      end();
    });
  }
}

const [role, ...args] = process.argv.slice(2);
if (role === 'server') {
  server(intArg(args[0], 'port', 1, 65535), intArg(args[1], 'bin', 1, 1000));
} else if (role === 'client') {
  const host = args[0] ?? '';
  if (!/^[0-9.]+$/u.test(host)) throw new Error(`traffic-agent: host must be an IPv4 address, got ${host}`);
  client(host, intArg(args[1], 'port', 1, 65535), intArg(args[2], 'streams', 1, 64), intArg(args[3], 'milliseconds', 1, 3_600_000) / 1000);
} else {
  process.stderr.write('usage: traffic-agent server PORT BIN_MS | client HOST PORT STREAMS MILLISECONDS\n');
  process.exit(2);
}
