// Wiring: open the event log, start the service (catch-up), serve the Neutron API, and stop it all cleanly.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import { formatListen, type Config } from './config.ts';
import type { Logger } from './observability/logger.ts';
import { createMetrics, type Metrics } from './observability/metrics.ts';
import { startIdleCompactor, type IdleCompactorOptions } from './observability/idleCompactor.ts';
import { countAppends, countRequests, InFlight } from './observability/inFlight.ts';
import { releaseInternPools } from '../projections/pipeline/flow.ts';
import { httpMetrics, metricsHandler } from './observability/httpMetrics.ts';
import { instrumentEventStore } from './observability/instrumentedStore.ts';
import { slowBatchLogger } from './observability/slowBatchLog.ts';
import { requestLog } from './observability/requestLog.ts';
import { registerNeutronApi, type NeutronApiDeps } from './api/createApp.ts';
import type { AuthMode } from './api/auth.ts';
import type { ApiEnv } from './api/env.ts';
import { openEventStore } from './eventStore/open.ts';
import { createNeutronService } from './service/neutronService.ts';
import { AuditService } from './audit/auditService.ts';
import { dumpAllFlows } from './audit/switchDump.ts';
import { Controller } from './controller/controller.ts';
import { flowsRoute } from './controller/flowsRoute.ts';
import { gatewayHostRoute } from './controller/gatewayScheduler/route.ts';
import type { ListenAddress as OpenFlowAddress } from '../openflow/server.ts';

/** In-flight requests get this long to finish after SIGTERM before their connections are cut. */
const SHUTDOWN_GRACE_MS = 10_000;

export interface Runtime {
  /** Base URL of the API as actually bound (the port is real even when 0 was asked for). */
  readonly apiUrl: string;
  readonly metrics: Metrics;
  /** Where the OpenFlow controller listens (real ports): the main address, then the lanes'. */
  readonly openflow: OpenFlowAddress[];
  /** Stop accepting, finish in-flight requests, stop the service, close the log. Idempotent. */
  stop(): Promise<void>;
}

export class ListenError extends Error {
  override readonly name = 'ListenError';
  constructor(readonly setting: string, readonly address: string, override readonly cause: unknown) {
    super(`cannot listen on ${address} (${setting}): ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/**
 * The Neutron API behind the metrics middleware and GET /metrics (registered on this app, not mounted:
 * createApp.ts), every request counted in `requests` while the app handles it.
 */
function buildApp(metrics: Metrics, log: Logger, requests: InFlight, api: NeutronApiDeps, extra: Hono<ApiEnv>[] = []): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.use(countRequests(requests));
  app.use(httpMetrics(metrics));
  app.use(requestLog(log.child({ component: 'http' })));
  app.get('/metrics', metricsHandler(metrics));
  for (const routes of extra) app.route('/', routes);
  return registerNeutronApi(app, api);
}

function listen(server: Server, config: Config): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: unknown) => reject(new ListenError('--api-listen', formatListen(config.apiListen), error));
    server.once('error', onError);
    server.listen(config.apiListen.port, config.apiListen.host, () => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
    force.unref();
    // close() stops accepting and waits for in-flight requests; idle keep-alive sockets are closed now.
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}

export interface StartOptions {
  /** How X-Auth-Token is checked; the CLI loads the token file of --auth tokens:FILE. Default noauth. */
  auth?: AuthMode;
  /** Tests shorten the idle compactor's checks and its growth threshold (src/observability/idleCompactor.ts). */
  idleCompactor?: Pick<IdleCompactorOptions, 'intervalMs' | 'minGrowthBytes'>;
}

export async function startEsdn(config: Config, log: Logger, options: StartOptions = {}): Promise<Runtime> {
  if (config.auth.kind === 'noauth') {
    log.warn('authentication is off (--auth noauth): every request acts as admin; use --auth tokens:FILE outside a lab');
  } else {
    log.info({ tokens: options.auth?.kind === 'tokens' ? options.auth.tokens.size : 0 }, 'token authentication on');
  }
  const metrics = createMetrics();
  log.info({ store: config.store.kind }, 'opening event log');
  // a batch of appends slow to become durable is logged with where its time went (write lock, fsync, a paused loop)
  const onSlowBatch = slowBatchLogger(log.child({ component: 'eventStore' }), metrics);
  // requests being handled and appends awaiting durability: the idle compactor does not pause them
  const inFlight = new InFlight();
  const store = countAppends(instrumentEventStore(await openEventStore(config.store.url, { onSlowBatch }), metrics), inFlight);
  const service = createNeutronService({
    store,
    vniRange: config.vniRange,
    onRebuild: (error) => log.warn({ err: error }, 'an append failed: rebuilding state from the log'),
  });
  const controller = new Controller({
    store, service, log, gatewayFailoverAfterMs: config.gatewayFailoverAfterMs,
    listen: [{ tcp: { host: config.openflowListen.host, port: config.openflowListen.port } }],
    lanes: config.openflowLanes.map((a) => ({ tcp: { host: a.host, port: a.port } })),
    // tests make every diff use the lanes (ESDN_LANE_MIN_MODS=1); unset: LANE_MIN_MODS
    laneMinMods: laneMinMods(process.env.ESDN_LANE_MIN_MODS),
  });
  const server = createAdaptorServer({ fetch: buildApp(metrics, log, inFlight, {
    service,
    auth: options.auth ?? { kind: 'noauth' },
    onInternalError: (error, requestId) => log.error({ err: error, requestId }, 'internal error'),
    // /v1/audit: indexed on the first question, then caught up per question; verify dumps the switch
    // over the controller's own connection to it
    audit: new AuditService(store, { dumpFlows: (host) => dumpConnected(controller, host) }),
  }, [flowsRoute(controller, options.auth ?? { kind: 'noauth' }), gatewayHostRoute(controller, options.auth ?? { kind: 'noauth' })]).fetch }) as Server;
  let address: AddressInfo;
  let openflow: OpenFlowAddress[];
  try {
    const caught = await service.start();
    log.info({ events: caught.eventCount, position: String(caught.position) }, 'caught up with the event log');
    // the controller folds the same log, then listens for switches
    openflow = await controller.start().catch((error: unknown) => {
      throw new ListenError(config.openflowLanes.length > 0 ? '--openflow-listen, --openflow-lanes' : '--openflow-listen', formatListen(config.openflowListen), error);
    });
    address = await listen(server, config);
  } catch (error) {
    await controller.stop();
    await service.stop();
    await store.close();
    throw error;
  }
  const apiUrl = `http://${formatListen({ host: address.address, port: address.port })}`;
  const text = (as: OpenFlowAddress[]) => as.map((a) => ('port' in a ? `${a.host}:${a.port}` : a.path)).join(',');
  // the controller's main address first, then its lanes'
  const lanes = openflow.slice(1);
  log.info({ api: apiUrl, openflow: text(openflow.slice(0, 1)), ...(lanes.length > 0 ? { openflowLanes: text(lanes) } : {}), store: config.store.kind }, 'esdn ready');
  // gives a burst's heap growth back once idle (src/observability/idleCompactor.ts), with the flow parts'
  // intern pools, which only matter while flows are built; never while a request, an append or a switch's
  // diff is in flight (one more port would wait out the pause); ESDN_IDLE_COMPACT=0 turns it off
  const compactor = process.env.ESDN_IDLE_COMPACT === '0' ? undefined : startIdleCompactor({
    log, beforeCompact: releaseInternPools, inFlight: () => inFlight.count > 0 || controller.syncing, ...options.idleCompactor,
  });
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= (async () => {
    compactor?.stop();
    log.info('shutting down: no new requests, finishing in-flight ones');
    await closeServer(server);
    await controller.stop();
    await service.stop();
    await store.close();
    log.info('stopped');
  })());
  return { apiUrl, metrics, openflow, stop };
}

function laneMinMods(raw: string | undefined): number | undefined {
  const n = raw === undefined ? NaN : Number(raw);
  return Number.isInteger(n) && n >= 1 ? n : undefined;
}

/** A host's installed flows over the controller's connection, or undefined when its switch is not connected. */
function dumpConnected(controller: Controller, host: string) {
  const sw = controller.connection(host);
  return sw === undefined ? undefined : dumpAllFlows(sw);
}
