// What runs where in the test bed: two lanes, one per CPU, each a list of jobs run one after the
// other; the lanes run at the same time. A User-Mode Linux guest runs on one CPU (every guest
// syscall is a ptrace round trip; pinned, it is ~8x faster), so two guests pinned to different
// CPUs run side by side without slowing each other, and a host job pinned to the other CPU does
// not touch a guest's. The split was chosen by measurement: docs/test-bed.md.
//
// Each job: { name, what, run({ cpu, tag, context }) -> [[suite name, counts | undefined], ...] };
// context is an object the jobs of one lane share (the 6.12 kernel's path).

// The cmake-js build of the same sources runs a documented subset of the kernel suite: every
// mode's lifecycle, the kernel's refusals, and the link helpers.
const CMAKE_SUBSET = ['test/kernel/kernel-info.test.ts', 'test/kernel/create-bond.test.ts', 'test/kernel/errors.test.ts', 'test/kernel/link.test.ts'];

// Two kernels, one suite. Every file runs on every kernel except these, whose tests exercise
// netbond's own logic (CLI processes, Ansible plays, checkpoints, the lab, transactions) over the
// same kernel calls that the files run on both kernels already cover: each runs once, on the kernel
// whose lane has room. On a single kernel (a bonding host, NETBOND_UML) every file runs there.
// The reasons and the measurements: docs/test-bed.md.
const ONCE_ON_UML_612 = ['test/kernel/ansible.test.ts', 'test/kernel/try.test.ts', 'test/kernel/mode-pairs.test.ts'];
const ONCE_ON_UML_61 = ['test/kernel/transaction.test.ts', 'test/kernel/lab.test.ts', 'test/kernel/cli.test.ts', 'test/kernel/interrupt.test.ts', 'test/kernel/vlan-configs.test.ts'];
const excluding = (files) => files.flatMap((file) => ['--exclude', file]);

// A fixed budget, so the run's length does not depend on what the fuzzer finds to explore.
const FUZZ_SECONDS = '30';

/**
 * The lanes for a bonding kernel reached `where`: 'host' (this kernel has bonding), 'named-uml'
 * (NETBOND_UML names one UML kernel) or 'uml' (Debian's UML 6.1 and a 6.12 built here).
 */
export function lanesFor(where, t) {
  const namedKernel = process.env.NETBOND_UML ?? process.env.NETBOND_UML_KERNEL;

  /** The kernel suite, then the cmake-js subset, on one kernel. */
  const kernelJobs = (label, runner, filters = []) => [
    {
      name: `kernel ${label}`,
      what: `the kernel suite (${label})`,
      run: async (lane) => [[`kernel (${label})`, await runner(`kernel-${label.replace(/\W+/gu, '')}`, { ...lane, files: filters })]],
    },
    {
      name: 'cmake-js',
      what: `the addon built by cmake-js, and the kernel subset on it (${label})`,
      run: async (lane) => {
        if (!(await t.cmakeBuild(lane))) return [['kernel (cmake-js build)', undefined]];
        return [['kernel (cmake-js build)', await runner('kernel-cmake', { ...lane, files: CMAKE_SUBSET, env: { NETBOND_ADDON: `${t.root}build-cmake/Release/netbond.node` } })]];
      },
    },
  ];

  const hostJobs = [
    {
      name: 'unit',
      what: 'unit tests (no kernel needed)',
      run: async (lane) => [['unit', await t.vitestSuite('unit', 'unit', lane)]],
    },
    {
      name: 'native',
      what: 'the C++ core under AddressSanitizer + UndefinedBehaviorSanitizer, no Node',
      run: async (lane) => [['native (ASan+UBSan)', await t.scriptCounts('scripts/test-bed/native-tests.sh', lane)]],
    },
    {
      name: 'fuzz',
      what: `fuzzing the reply path, decoders and builder (libFuzzer + ASan + UBSan, ${FUZZ_SECONDS} s)`,
      run: async (lane) => [['fuzz (libFuzzer)', await t.scriptCounts('scripts/fuzz/run-fuzz.sh', { ...lane, env: { NETBOND_FUZZ_SECONDS: FUZZ_SECONDS } })]],
    },
  ];

  const packageJobs = [
    {
      name: 'arm64',
      what: 'the linux-arm64 prebuilt binary: cross-compiled, then loaded and used on an arm64 Node (qemu-user)',
      run: async (lane) => [['prebuild linux-arm64 (qemu)', await t.scriptCounts('scripts/prebuild-arm64.sh', lane)]],
    },
    {
      name: 'pack',
      what: 'the npm tarball: installed with no compiler, imported from ESM and CJS, creating a bond',
      run: async (lane) => [['package (npm pack)', await t.scriptCounts('scripts/pack-test.sh', { ...lane, env: { NETBOND_UML_CPU: String(lane.cpu) } })]],
    },
  ];

  const inUml = (kernel) => (report, options) => t.kernelRunner.inUml(report, { ...options, kernel });

  /** The QEMU suite on Debian's own kernel image (bonding as a module, e1000/e100 NICs). */
  const qemuJob = (image) => ({
    name: `kernel Debian ${image} (QEMU)`,
    what: `the QEMU suite on Debian's linux-image ${image} (bonding as a module, e1000 and e100 NICs, cable pulls)`,
    run: async (lane) => [[`kernel (Debian ${image}, QEMU)`, await t.kernelRunner.inQemu(`qemu-${image.replace(/\W+/gu, '')}`, { ...lane, image })]],
  });

  if (where === 'host') {
    // One kernel: the kernel suite's global teardown deletes every test namespace it finds, so the
    // two kernel runs go one after the other in the same lane.
    return [
      { cpu: 0, jobs: kernelJobs('host', t.kernelRunner.onHost) },
      { cpu: 1, jobs: [...hostJobs, ...packageJobs] },
    ];
  }
  if (where === 'named-uml') {
    return [
      { cpu: 0, jobs: kernelJobs('NETBOND_UML', inUml(namedKernel)) },
      { cpu: 1, jobs: [...hostJobs, ...packageJobs] },
    ];
  }
  // CPU 1: the 6.12 kernel's build (14.5 min on one CPU the first time, then cached), its suite, then
  // the QEMU suite on Debian's 6.12 image; CPU 0 meanwhile: the host's suites, Debian's packaged UML 6.1
  // and its suite, the package's, then the QEMU suite on Debian's 6.1 image.
  const uml612 = [
    {
      name: 'build UML 6.12',
      what: 'the UML 6.12 kernel built from linux-source-6.12 (or taken from the cache)',
      run: async (lane) => {
        lane.context.kernel612 = await t.buildKernel(lane);
        return lane.context.kernel612 ? [] : [['kernel (UML 6.12)', undefined]];
      },
    },
    {
      name: 'kernel UML 6.12',
      what: 'the kernel suite (UML 6.12)',
      run: async (lane) => {
        const kernel = lane.context.kernel612;
        return kernel ? [['kernel (UML 6.12)', await t.kernelRunner.inUml('kernel-6.12', { ...lane, kernel, files: excluding(ONCE_ON_UML_61) })]] : [];
      },
    },
  ];
  return [
    { cpu: 0, jobs: [...hostJobs, ...kernelJobs('UML 6.1', inUml(undefined), excluding(ONCE_ON_UML_612)), ...packageJobs, qemuJob('6.1')] },
    { cpu: 1, jobs: [...uml612, qemuJob('6.12')] },
  ];
}
