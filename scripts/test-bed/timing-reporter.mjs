// A vitest reporter that writes each test's wall time beside its budget (its own `timeout`, or its
// project's testTimeout), one JSON object per line, to the file named by NETBOND_TIMINGS_FILE. The
// test bed (run-all.mjs) reads these files to print the slowest tests and those that came close to
// their budget: a test that needs more than half its budget on a quiet run fails on a busy one.
import { appendFileSync } from 'node:fs';
import { relative } from 'node:path';

export default class TimingReporter {
  onInit(vitest) {
    this.root = vitest.config.root;
  }

  onTestRunEnd(testModules) {
    const file = process.env.NETBOND_TIMINGS_FILE;
    if (!file) return;
    const lines = [];
    for (const testModule of testModules) {
      for (const test of testModule.children.allTests()) {
        const diagnostic = test.diagnostic();
        if (!diagnostic) continue; // skipped or never ran
        lines.push(
          JSON.stringify({
            file: relative(this.root, testModule.moduleId),
            name: test.fullName,
            ms: Math.round(diagnostic.duration),
            budgetMs: test.options.timeout ?? test.project.config.testTimeout,
            state: test.result().state,
          }),
        );
      }
    }
    if (lines.length > 0) appendFileSync(file, `${lines.join('\n')}\n`);
  }
}
