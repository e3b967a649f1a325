// The probes of a transaction: which ones run (those asked for, plus the gateway probe of a
// checkpoint when the default route goes through one of its bonds), a first run before the change
// that drops the probes already failing, and a run after the change whose first failure is the
// ProbeError that rolls it back.
import { constants } from 'node:os';
import { BondError } from '../errors.js';
import type { ResolvedNetns } from '../call/netns.js';
import { readRoutes } from '../link/routes.js';
import { defaultRoute, runProbe } from './run.js';
import type { Probe, ProbeReport } from './types.js';

/** A probe that answered before the change failed after it; the change was rolled back. */
export class ProbeError extends BondError {
  readonly report: ProbeReport;

  constructor(report: ProbeReport, bond: string) {
    const after = report.after ?? report.before;
    const errno = constants.errno as Record<string, number>;
    super({
      errnum: (after.code !== undefined ? errno[after.code] : undefined) ?? errno.EIO ?? 5,
      syscall: 'probe',
      action: `probe ${report.name}`,
      bond,
      hint: `probe ${report.name} failed after the change: ${after.seen} (${after.attempts} ${after.attempts === 1 ? 'try' : 'tries'}; before the change: ${report.before.seen})`,
    });
    this.name = 'ProbeError';
    this.report = report;
  }
}

export interface PlannedProbe {
  probe: Probe;
  implicit: boolean;
}

/**
 * The probes to run: `asked`, and with `withGateway` the gateway probe of each family whose
 * default route goes through one of `bonds` (unless a gateway probe of that family was asked).
 */
export async function plannedProbes(netns: ResolvedNetns, asked: readonly Probe[], bonds: readonly string[], withGateway: boolean): Promise<PlannedProbe[]> {
  const planned = asked.map((probe) => ({ probe, implicit: false }));
  if (!withGateway) return planned;
  const routes = await readRoutes(netns);
  for (const family of [4, 6] as const) {
    const route = defaultRoute(routes, family);
    const asks = asked.some((p) => p.kind === 'gateway' && (p.family ?? 4) === family);
    if (route && bonds.includes(route.dev) && !asks) planned.push({ probe: { kind: 'gateway', ...(family === 6 ? { family } : {}) }, implicit: true });
  }
  return planned;
}

/** Runs every probe before the change; those that fail are marked dropped. */
export async function probeBefore(netns: ResolvedNetns, planned: readonly PlannedProbe[], bonds: readonly string[]): Promise<ProbeReport[]> {
  return Promise.all(
    planned.map(async ({ probe, implicit }) => {
      const { name, result } = await runProbe(netns, probe, bonds);
      return { probe, name, implicit, before: result, dropped: !result.ok };
    }),
  );
}

/** Runs the probes kept after the change, filling in `after`; throws ProbeError for the first that fails. */
export async function probeAfter(netns: ResolvedNetns, reports: ProbeReport[], bonds: readonly string[]): Promise<void> {
  await Promise.all(
    reports
      .filter((report) => !report.dropped)
      .map(async (report) => {
        const { name, result } = await runProbe(netns, report.probe, bonds);
        report.name = name;
        report.after = result;
      }),
  );
  const failed = reports.find((report) => report.after && !report.after.ok);
  if (failed) throw new ProbeError(failed, bonds[0] ?? '');
}
