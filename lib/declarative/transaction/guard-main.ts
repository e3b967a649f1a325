// Entry point of the checkpoint guard process (see guard.ts): node guard-main.js DIR ID.
// Started by netbond itself, never from a shell; it ignores the hangup and interrupt signals of
// the terminal it was started from.
import { runGuard } from './guard.js';
import { validateId } from './store.js';

process.on('SIGHUP', () => undefined);
process.on('SIGINT', () => undefined);
const [dir, id] = process.argv.slice(2);
if (!dir?.startsWith('/run/netbond/')) throw new Error('usage: guard-main.js /run/netbond/net-INODE-COOKIE ID');
runGuard(dir, validateId(id)).then(
  () => process.exit(0),
  () => process.exit(1),
);
