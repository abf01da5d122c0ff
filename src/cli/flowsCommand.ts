// `esdn flows HOST`: a host's desired flows in ovs-ofctl syntax, each with the resource it came from (asks a running esdn's API).
import { Command, Option } from 'commander';
import { formatFlowsReport, type FlowReportLine } from '../controller/flowsReport.ts';
import { EXIT_FAILURE, EXIT_OK } from './exitCodes.ts';

const DEFAULT_URL = 'http://127.0.0.1:9696';

async function flows(host: string, opts: { url: string; token?: string; json?: boolean }): Promise<void> {
  const url = `${opts.url.replace(/\/+$/, '')}/v2.0/hosts/${encodeURIComponent(host)}/flows`;
  let res: Response;
  try {
    res = await fetch(url, { headers: opts.token ? { 'X-Auth-Token': opts.token } : {} });
  } catch (error) {
    process.stderr.write(`esdn flows: cannot reach ${opts.url}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(EXIT_FAILURE);
  }
  const text = await res.text();
  if (!res.ok) {
    process.stderr.write(`esdn flows: ${res.status} ${text}\n`);
    process.exit(EXIT_FAILURE);
  }
  if (opts.json) {
    process.stdout.write(`${text}\n`);
  } else {
    const body = JSON.parse(text) as { switch: string; flows: FlowReportLine[] };
    process.stdout.write(`# host ${host}: ${body.flows.length} desired flows, switch ${body.switch}\n`);
    if (body.flows.length > 0) process.stdout.write(`${formatFlowsReport(body.flows)}\n`);
  }
  process.exit(EXIT_OK);
}

export function flowsCommand(): Command {
  return new Command('flows')
    .description("print a host's desired flows in ovs-ofctl syntax with the resource each came from")
    .argument('<host>', 'registered host name (POST /v2.0/hosts)')
    .addOption(new Option('--url <URL>', 'API of a running esdn').env('ESDN_URL').default(DEFAULT_URL))
    .addOption(new Option('--token <TOKEN>', 'X-Auth-Token (admin)').env('OS_TOKEN'))
    .option('--json', 'the API answer as JSON')
    .action((host: string, opts: { url: string; token?: string; json?: boolean }) => flows(host, opts));
}
