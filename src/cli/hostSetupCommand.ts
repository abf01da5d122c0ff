// `esdn host-setup`: prints (or with --run, runs) the ovs-vsctl lines that make a hypervisor an esdn host.
import { spawnSync } from 'node:child_process';
import { Command, Option } from 'commander';
import { hostSetupCommands, DEFAULT_BRIDGE, DEFAULT_TUNNEL_INTERFACE, type HostSetupOptions } from './hostSetup.ts';
import { DEFAULT_OPENFLOW_LANES } from '../config.ts';
import { EXIT_BAD_CONFIG, EXIT_FAILURE, EXIT_OK } from './exitCodes.ts';

/** One ovs-vsctl call never legitimately takes longer; it waits for ovs-vswitchd to apply the change. */
const OVS_VSCTL_TIMEOUT_MS = 60_000;

interface HostSetupFlags {
  datapathId: string;
  tunnelIp: string;
  controller: string;
  bridge?: string;
  tunnelInterface?: string;
  bridgeMapping: string[];
  datapathType?: 'system' | 'netdev';
  lanes?: string;
  run?: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function fail(code: number, message: string): never {
  process.stderr.write(`esdn host-setup: ${message}\n`);
  process.exit(code);
}

/** "public:ex-public" -> {public: "ex-public"}; a malformed mapping is a usage error. */
function parseMappings(pairs: string[]): Record<string, string> {
  const mappings: Record<string, string> = {};
  for (const pair of pairs) {
    const match = /^([^:\s]+):([^:\s]+)$/.exec(pair);
    if (!match) fail(EXIT_BAD_CONFIG, `--bridge-mapping: "${pair}" is not PHYSICAL_NETWORK:OVS_PORT`);
    if (match[1] in mappings) fail(EXIT_BAD_CONFIG, `--bridge-mapping: physical network "${match[1]}" is mapped twice`);
    mappings[match[1]] = match[2];
  }
  return mappings;
}

function parseLanes(raw: string): number {
  if (!/^\d{1,2}$/.test(raw)) fail(EXIT_BAD_CONFIG, `--lanes: "${raw}" is not a whole number`);
  return Number(raw);
}

function hostSetup(flags: HostSetupFlags): void {
  const options: HostSetupOptions = {
    datapathId: flags.datapathId,
    tunnelIp: flags.tunnelIp,
    controller: flags.controller,
    bridge: flags.bridge,
    tunnelInterface: flags.tunnelInterface,
    bridgeMappings: parseMappings(flags.bridgeMapping),
    datapathType: flags.datapathType,
    lanes: flags.lanes === undefined ? undefined : parseLanes(flags.lanes),
  };
  const result = hostSetupCommands(options);
  if (!result.ok) fail(EXIT_BAD_CONFIG, result.error.message);
  if (!flags.run) {
    process.stdout.write(`${result.lines.join('\n')}\n`);
    process.exit(EXIT_OK);
  }
  for (const [index, argv] of result.argv.entries()) {
    process.stdout.write(`${result.lines[index]}\n`);
    const ran = spawnSync(argv[0], argv.slice(1), { stdio: ['ignore', 'inherit', 'pipe'], timeout: OVS_VSCTL_TIMEOUT_MS, encoding: 'utf8' });
    if (ran.error || ran.status !== 0) {
      const why = ran.error ? ran.error.message : ran.stderr.trim() || `exit ${ran.status}`;
      fail(EXIT_FAILURE, `failed: ${result.lines[index]}\n${why}`);
    }
  }
  process.exit(EXIT_OK);
}

export function hostSetupCommand(): Command {
  return new Command('host-setup')
    .description('print (or --run) the ovs-vsctl lines that connect this hypervisor\'s br-int to esdn')
    .requiredOption('--datapath-id <HEX16>', 'the datapath id registered for this host (16 hex digits)')
    .requiredOption('--tunnel-ip <ADDR>', 'this host\'s VXLAN endpoint address (already configured on the host)')
    .requiredOption('--controller <TARGET>', 'where esdn\'s OpenFlow listener is: tcp:HOST:PORT, ssl:HOST:PORT or unix:/PATH')
    .option('--bridge <NAME>', `integration bridge (default ${DEFAULT_BRIDGE})`)
    .option('--tunnel-interface <NAME>', `flow-based VXLAN port (default ${DEFAULT_TUNNEL_INTERFACE})`)
    .option('--bridge-mapping <PHYSNET:PORT>', 'attach an existing OVS port for a physical network (repeatable)', collect, [])
    .option('--lanes <N>', `extra controller targets on the N ports after the controller's, for esdn --openflow-lanes (default ${DEFAULT_OPENFLOW_LANES} for tcp:/ssl:, none for unix:)`)
    .addOption(new Option('--datapath-type <TYPE>', 'OVS datapath (default: OVS\'s own)').choices(['system', 'netdev']))
    .option('--run', 'run the lines with ovs-vsctl instead of printing them')
    .action((flags: HostSetupFlags) => hostSetup(flags));
}
