// Run inside a namespace by traffic.test.ts: sends UDP datagrams to each target from several
// sockets (so several source ports), i.e. many distinct flows for a layer3+4 transmit hash.
// argv: count-per-flow sockets-per-target target...
import dgram from 'node:dgram';

const [perFlow, socketsPerTarget, ...targets] = process.argv.slice(2);
const sends = [];
for (const target of targets) {
  for (let s = 0; s < Number(socketsPerTarget); s++) {
    const socket = dgram.createSocket('udp4');
    for (let i = 0; i < Number(perFlow); i++) {
      sends.push(new Promise((resolve, reject) => socket.send(Buffer.from('netbond'), 9, target, (error) => (error ? reject(error) : resolve()))));
    }
    sends.push(new Promise((resolve) => setTimeout(resolve, 50)).then(() => socket.close()));
  }
}
await Promise.all(sends);
