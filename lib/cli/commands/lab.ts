// `netbond lab`: runLab from the command line. Ctrl-C (SIGINT) or SIGTERM aborts the run, which
// removes every namespace, link and qdisc it made before the command exits with 130.
// The lab's code is loaded when the command runs, not for every netbond command.
import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { ValidationError } from '../../errors.js';
import type { LabOptions, LabTest } from '../../lab/types.js';
import type { BondMode } from '../../option-table.js';
import type { Cli } from '../context.js';
import { LabInterrupted } from '../interrupt.js';
import { jsonText } from '../json.js';

interface LabFlags {
  modes: string;
  nics: string;
  rate: string;
  delay: string;
  skew: string;
  duration: string;
  streams: string;
  tests: string;
  miimon: string;
  markdown?: string;
  svg?: string;
  cleanup?: boolean;
  quiet?: boolean;
}

function numberFlag(option: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new ValidationError({ option, value: text, allowed: 'a number' });
  return value;
}

const list = (text: string): string[] =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');


export function labOptionsFromFlags(flags: LabFlags): LabOptions {
  return {
    modes: list(flags.modes) as BondMode[],
    nics: numberFlag('nics', flags.nics),
    rate: flags.rate,
    delay: numberFlag('delay', flags.delay),
    skew: numberFlag('skew', flags.skew),
    duration: numberFlag('duration', flags.duration),
    streams: list(flags.streams).map((s) => numberFlag('streams', s)),
    tests: list(flags.tests) as LabTest[],
    miimon: numberFlag('miimon', flags.miimon),
  };
}

export function labCommand(program: Command, cli: Cli): void {
  const { io } = cli;
  program
    .command('lab')
    .description('compare bonding modes on veth links in throwaway namespaces: throughput, failover, TCP reordering')
    .option('--modes <list>', 'modes to compare, comma-separated', 'balance-rr,active-backup,802.3ad')
    .option('--nics <n>', 'NICs per host (2-4)', '2')
    .option('--rate <rate>', "rate of each link, as tc writes it ('1gbit', '100mbit')", '1gbit')
    .option('--delay <ms>', 'one-way delay on every link, ms (netem)', '0')
    .option('--skew <ms>', 'extra delay per link, ms: link k gets delay + k*skew', '0')
    .option('--duration <s>', 'seconds of traffic per measurement', '5')
    .option('--streams <list>', 'TCP stream counts to measure, comma-separated', '1,4')
    .option('--tests <list>', 'throughput, failover, reordering (comma-separated)', 'throughput,failover,reordering')
    .option('--miimon <ms>', 'MII monitoring interval of the bonds', '100')
    .option('--markdown <file>', 'also write a Markdown report')
    .option('--svg <file>', 'also write an SVG bar chart of throughput and reordering')
    .option('--cleanup', 'only remove namespaces left by lab runs that were killed, and exit')
    .option('--quiet', 'no progress lines on stderr')
    .action(async (flags: LabFlags) => {
      if (flags.cleanup) {
        const { removeStaleLabNamespaces } = await import('../../lab/namespaces.js');
        const removed = await removeStaleLabNamespaces();
        io.out(removed.length > 0 ? `removed ${removed.join(', ')}` : 'nothing to remove');
        return;
      }
      const [{ runLab }, { formatLabMarkdown, formatLabText }, { formatLabSvg }] = await Promise.all([import('../../lab/run.js'), import('../../lab/report.js'), import('../../lab/svg.js')]);
      const controller = new AbortController();
      // Kept until cleanup is done: a second Ctrl-C must not kill the process halfway through it.
      const abort = () => controller.abort(new Error('interrupted'));
      process.on('SIGINT', abort);
      process.on('SIGTERM', abort);
      try {
        const report = await runLab({
          ...labOptionsFromFlags(flags),
          signal: controller.signal,
          onProgress: flags.quiet ? undefined : (line) => io.err(`lab: ${line}`),
        });
        if (flags.svg) await writeFile(flags.svg, formatLabSvg(report));
        if (flags.markdown) await writeFile(flags.markdown, formatLabMarkdown(report, flags.svg ? basename(flags.svg) : undefined));
        io.out(cli.json() ? jsonText(report) : formatLabText(report));
      } catch (error) {
        throw controller.signal.aborted ? new LabInterrupted() : error;
      } finally {
        // Once interrupted they stay until exit, so a late Ctrl-C cannot end it by signal instead
        // of 130 (as guardChange does).
        if (!controller.signal.aborted) {
          process.removeListener('SIGINT', abort);
          process.removeListener('SIGTERM', abort);
        }
      }
    });
}
