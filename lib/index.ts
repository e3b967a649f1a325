// netbond: Linux bonds through rtnetlink from a typed, promise-based API.
export { createBond, type CreateBondOptions, type CreatedBond } from './verbs/create.js';
export { deleteBond } from './verbs/delete.js';
export { enslave, release } from './verbs/enslave.js';
export { setActiveSlave } from './verbs/active-slave.js';
export { setSlaveOptions } from './verbs/slave-options.js';
export { setLinkUp, setLinkDown, setMtu, setMac } from './link/link.js';
export { addAddress, removeAddress, listAddresses, type InterfaceAddress } from './link/addresses.js';
export { addRoute, removeRoute, listRoutes, type Route, type RouteInfo } from './link/routes.js';
export { getLink, listLinks, deleteLink, type LinkInfo } from './link/info.js';
export { createVeth, createVlan, createBridge, createMacvlan, createIpvlan, type VethOptions, type VlanOptions, type BridgeOptions, type MacvlanOptions, type IpvlanOptions } from './link/create.js';
export { MACVLAN_MODES, IPVLAN_MODES, IPVLAN_FLAGS, type VlanProtocol, type MacvlanMode, type IpvlanMode, type IpvlanFlags, type VlanData, type BridgeData, type MacvlanData, type IpvlanData } from './link/kinds.js';
export { setMaster, moveLink } from './link/master.js';
export { createNamespace, deleteNamespace, listNamespaces } from './netns/named.js';
export { setBondOptions } from './verbs/set-options.js';
export { getBond, listBonds, type ReadOptions } from './verbs/read.js';
export { readProcBonding } from './proc/read.js';
export { importConfigs, exportConfig, detectFormat, type ConfigFile, type ConfigFormat, type ExportFormat, type ImportResult } from './formats/index.js';
export { planBond, applyBond, applyBonds, ApplyError, type ApplyOptions, type PlanOptions } from './declarative/apply.js';
export type { BondSpec, BondSlaveSpec, BondAddressSpec, BondRouteSpec, BondVlanSpec, Plan, PlanStep, PlanStepKind, Health } from './plan/types.js';
export type { ApplyResult, ApplyBondsResult, CheckpointInfo } from './declarative/results.js';
export type { ModuleLoadReport } from './bond/module-load.js';
export { listCheckpoints, confirmCheckpoint, rollbackCheckpoint, type CheckpointEntry, type CheckpointOptions } from './declarative/transaction/checkpoints.js';
export type { LockWait, LockHolder } from './declarative/transaction/lock.js';
export { ProbeError } from './probe/check.js';
export { parseProbeWord } from './probe/validate.js';
export type { Probe, GatewayProbe, PingProbe, ArpProbe, TcpProbe, ProbeResult, ProbeReport } from './probe/types.js';
export { watchBonds, BondWatcher, diffBond, type BondEvent, type BondEventType, type WatchOptions, type LacpPortView } from './watch/watcher.js';
export { parseProcBonding, type ProcBonding, type ProcSlave, type ProcAdInfo, type ProcAggregator, type ProcLacpPdu, type ProcChurnState } from './proc/parse.js';
export { BondError, ValidationError } from './errors.js';
export { createClient, type NetbondClient } from './verbs/client.js';
export type { BackendName } from './call/options.js';
export type { CallOptions } from './call/options.js';
export type { NetnsOption } from './call/netns.js';
export {
  BOND_MODES,
  XMIT_HASH_POLICIES,
  ARP_VALIDATE_VALUES,
  ARP_ALL_TARGETS_VALUES,
  PRIMARY_RESELECT_VALUES,
  FAIL_OVER_MAC_VALUES,
  LACP_RATES,
  AD_SELECT_VALUES,
  type BondMode,
  type BondOptions,
  type SlaveOptions,
  type XmitHashPolicy,
  type ArpValidate,
  type ArpAllTargets,
  type PrimaryReselect,
  type FailOverMac,
  type LacpRate,
  type AdSelect,
} from './option-table.js';
export type { BondState, BondOptionState, SlaveState, AdInfo, MiiStatus, ChurnState, SlaveRole, OperState, LinkCounters, LacpPortState, LacpStats } from './bond/state.js';
