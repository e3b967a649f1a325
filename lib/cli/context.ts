// What every command module is given (the global options as read when its action runs, where it
// writes, how a bond's state is printed) and the shape it exports: lib/cli/commands/<name>.ts.
import type { Command } from 'commander';
import type { BondState } from '../bond/state.js';
import type { CallOptions } from '../call/options.js';
import { formatBond } from './format-bond.js';
import type { Io } from './io.js';
import { jsonText } from './json.js';

export interface Cli {
  readonly io: Io;
  /** --netns and --backend, as the verbs take them. */
  call(): CallOptions;
  /** --netns alone, for what has no backend to choose (apply, watch, checkpoints). */
  netns(): { netns?: string };
  /** Whether --json was given. */
  json(): boolean;
  /** A bond's state: with --json the same data as getBond, else the /proc/net/bonding-like text. */
  showState(state: BondState): void;
}

/**
 * Adds one command (or its help line) to the program. It loads what the command does inside its
 * action (`await import`), so that defining every command costs next to nothing at start.
 */
export type CliCommand = (program: Command, cli: Cli) => void;

interface GlobalOptions {
  netns?: string;
  backend?: 'netlink' | 'sysfs';
  json?: boolean;
}

/** The Cli of a program whose global options are --netns, --backend and --json. */
export function cliOf(program: Command, io: Io): Cli {
  const opts = () => program.opts<GlobalOptions>();
  const cli: Cli = {
    io,
    call: () => {
      const { netns, backend } = opts();
      return { ...(netns ? { netns } : {}), ...(backend ? { backend } : {}) };
    },
    netns: () => {
      const { netns } = opts();
      return netns ? { netns } : {};
    },
    json: () => opts().json ?? false,
    showState: (state) => io.out(cli.json() ? jsonText(state) : formatBond(state)),
  };
  return cli;
}
