// Where both commands start (bin/netbond.js, bin/ifenslave.js). `--version` alone is answered
// here, before the command-line parser and the commands are loaded: scripts ask it often and
// should not pay for the rest. Everything else goes to main.ts.
import { stdio } from './io.js';
import { packageVersion } from '../package-root.js';

const VERSION_FLAGS: readonly string[] = ['-V', '--version'];

/** Runs `netbond argv...`; returns the exit status. */
export async function run(argv: readonly string[]): Promise<number> {
  const words = argv[0] === 'ifenslave' ? argv.slice(1) : argv;
  if (words.length === 1 && VERSION_FLAGS.includes(words[0] as string)) {
    stdio.out(packageVersion());
    return 0;
  }
  const { main } = await import('./main.js');
  return main(argv);
}
