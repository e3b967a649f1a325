#!/usr/bin/env node
// qemu-link.mjs: pull or restore a NIC's cable in a qemu-run.sh guest, from inside the guest
// (QMP set_link, done on the host by the relay half of this file).
//
// In the guest (a command run by scripts/test-bed/qemu-run.sh):
//   node scripts/test-bed/qemu-link.mjs set NAME up|down [NAME up|down ...]
//   import { setLink } from '../../scripts/test-bed/qemu-link.mjs'; await setLink('e1k0', false)
// NAME is a guest NIC name as qemu-run.sh made it (e1k0, p-e1k0, e100a, ...): QEMU's device id of
// that NIC. Down: the emulated NIC loses its link (the e1000 driver then reports carrier off on its
// own schedule; QEMU's e100 model never tells its driver) and neither sends nor receives frames. To
// pull a cable at both ends, set the NIC and its peer p-NAME down.
//
// How: qemu-run.sh gives the guest a virtio-serial port named "netbond.link"
// (/sys/class/virtio-ports/*/name) whose host end is a unix socket; the relay (this file with
// --serve, started by qemu-run.sh) reads one request per line, "ID set NAME up|down", runs QMP
// set_link and answers "ID ok" or "ID error MESSAGE". A port opens for one process at a time
// (EBUSY), so concurrent callers take turns; the ID skips an answer left by a caller that died.
//
// On the host (qemu-run.sh does this): node qemu-link.mjs --serve LINK_SOCKET QMP_SOCKET
import { promises as fsp, readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

const PORT_NAME = 'netbond.link';
const NAME_RE = /^[A-Za-z][A-Za-z0-9._-]{0,63}$/;

/** The guest's /dev path of the control port, or an Error saying why there is none. */
export function findPort() {
  let entries;
  try {
    entries = readdirSync('/sys/class/virtio-ports');
  } catch {
    throw new Error('no virtio ports: not inside a qemu-run.sh guest (or virtio_console not loaded)');
  }
  for (const e of entries) {
    try {
      if (readFileSync(`/sys/class/virtio-ports/${e}/name`, 'utf8').trim() === PORT_NAME) return `/dev/${e}`;
    } catch {
      // a port without a name
    }
  }
  throw new Error(`no virtio port named ${PORT_NAME}: not inside a qemu-run.sh guest`);
}

async function openPort(path, deadline) {
  for (;;) {
    try {
      return await fsp.open(path, 'r+');
    } catch (err) {
      if (err.code !== 'EBUSY' || Date.now() > deadline) throw err;
      await sleep(20);
    }
  }
}

/**
 * Set the link of guest NIC `name` up or down through QMP set_link. Resolves when QEMU has done it
 * (the guest driver notices later); rejects with QEMU's message.
 */
export async function setLink(name, up, { timeoutMs = 30000 } = {}) {
  if (!NAME_RE.test(name)) throw new TypeError(`Expected a NIC name for name but received ${JSON.stringify(name)}`);
  if (typeof up !== 'boolean') throw new TypeError(`Expected a boolean for up but received ${JSON.stringify(up)}`);
  const deadline = Date.now() + timeoutMs;
  const id = randomBytes(6).toString('hex');
  const fh = await openPort(findPort(), deadline);
  try {
    await fh.write(`${id} set ${name} ${up ? 'up' : 'down'}\n`);
    let buf = '';
    const chunk = Buffer.alloc(4096);
    for (;;) {
      // A read on the port blocks until the host writes (on a pool thread).
      const { bytesRead } = await fh.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) {
        if (Date.now() > deadline) throw new Error(`no answer from the host relay for set_link ${name}`);
        await sleep(10);
        continue;
      }
      buf += chunk.toString('utf8', 0, bytesRead);
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (!line.startsWith(`${id} `)) continue; // a dead caller's answer
        const answer = line.slice(id.length + 1);
        if (answer === 'ok') return;
        throw new Error(`set_link ${name} ${up ? 'up' : 'down'}: ${answer.replace(/^error /, '')}`);
      }
    }
  } finally {
    await fh.close();
  }
}

// --- host side: the relay between the guest's port and QEMU's QMP socket.
async function connectRetry(path) {
  for (let i = 0; ; i++) {
    try {
      return await new Promise((resolve, reject) => {
        const s = net.connect(path);
        s.once('connect', () => resolve(s));
        s.once('error', reject);
      });
    } catch (err) {
      if (i > 600) throw err; // QEMU creates both sockets at start; 60 s is plenty
      await sleep(100);
    }
  }
}

function lines(socket, onLine) {
  let buf = '';
  socket.setEncoding('utf8');
  socket.on('data', (d) => {
    buf += d;
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).replace(/\r$/, '');
      buf = buf.slice(nl + 1);
      if (line) onLine(line);
    }
  });
}

async function serve(linkPath, qmpPath) {
  const qmp = await connectRetry(qmpPath);
  const pending = new Map();
  let next = 0;
  lines(qmp, (line) => {
    let msg;
    try {
      msg = JSON.parse(line);
    } catch {
      return;
    }
    if (msg.id === undefined) return; // the greeting or an event
    const done = pending.get(msg.id);
    pending.delete(msg.id);
    done?.(msg);
  });
  const command = (execute, args) =>
    new Promise((resolve) => {
      const id = `r${next++}`;
      pending.set(id, resolve);
      qmp.write(`${JSON.stringify({ execute, arguments: args, id })}\n`);
    });
  const caps = await command('qmp_capabilities', {});
  if (caps.error) throw new Error(`qmp_capabilities: ${caps.error.desc}`);

  const link = await connectRetry(linkPath);
  lines(link, async (line) => {
    const m = /^(\S+) set (\S+) (up|down)$/.exec(line);
    if (!m) {
      const id = line.split(' ')[0];
      link.write(`${id} error bad request (expected "ID set NAME up|down")\n`);
      return;
    }
    const [, id, name, state] = m;
    const reply = await command('set_link', { name, up: state === 'up' });
    link.write(reply.error ? `${id} error ${reply.error.desc}\n` : `${id} ok\n`);
  });
  // QEMU exiting closes both; so does this process.
  const bye = () => process.exit(0);
  qmp.on('close', bye);
  link.on('close', bye);
  qmp.on('error', bye);
  link.on('error', bye);
}

async function main(argv) {
  if (argv[0] === '--serve' && argv.length === 3) return serve(argv[1], argv[2]);
  if (argv[0] === 'set' && argv.length >= 3 && argv.length % 2 === 1) {
    for (let i = 1; i < argv.length; i += 2) {
      if (argv[i + 1] !== 'up' && argv[i + 1] !== 'down') throw new Error(`expected up or down after ${argv[i]}`);
      await setLink(argv[i], argv[i + 1] === 'up');
    }
    return undefined;
  }
  process.stderr.write('usage: qemu-link.mjs set NAME up|down [NAME up|down ...]\n       qemu-link.mjs --serve LINK_SOCKET QMP_SOCKET\n');
  process.exit(2);
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('/qemu-link.mjs')) {
  main(process.argv.slice(2)).catch((err) => {
    process.stderr.write(`qemu-link.mjs: ${err.message}\n`);
    process.exit(1);
  });
}
