// The lab's public surface: runLab and the views of its report.
export { runLab } from './run.js';
export { formatLabText, formatLabMarkdown } from './report.js';
export { formatLabSvg } from './svg.js';
export { removeStaleLabNamespaces } from './namespaces.js';
export { LAB_TESTS, type LabOptions, type LabReport, type LabSettings, type LabTest, type ModeResult, type ThroughputResult, type FailoverResult, type TcpCounters } from './types.js';
