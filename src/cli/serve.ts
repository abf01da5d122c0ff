// `esdn serve`: parse the configuration, run the controller, and shut down cleanly on SIGTERM/SIGINT.
import { Command, Option } from 'commander';
import { loadConfig, SETTINGS, type RawSettings, type SettingName } from '../config.ts';
import { startEsdn, type Runtime } from '../main.ts';
import { createLogger, type Logger } from '../observability/logger.ts';
import type { AuthMode } from '../api/auth.ts';
import { loadTokenFile, TokenFileError } from './tokenFile.ts';
import { EXIT_BAD_CONFIG, EXIT_FAILURE, EXIT_OK } from './exitCodes.ts';

/** commander's camel-cased option keys are the setting names themselves. */
function settingOptions(): Option[] {
  return (Object.keys(SETTINGS) as SettingName[]).map((name) => {
    const s = SETTINGS[name];
    // No commander default: the environment variable must be able to win over the default.
    return new Option(`${s.flag} <${s.arg}>`, `${s.help} (env ${s.env}, default ${s.default})`);
  });
}

async function serve(flags: RawSettings): Promise<void> {
  const loaded = loadConfig(flags, process.env);
  if (!loaded.ok) {
    process.stderr.write(`esdn: bad configuration:\n${loaded.error.message.replace(/^/gm, '  ')}\n`);
    process.exit(EXIT_BAD_CONFIG);
  }
  const config = loaded.config;
  let auth: AuthMode = { kind: 'noauth' };
  try {
    if (config.auth.kind === 'tokens') auth = { kind: 'tokens', tokens: loadTokenFile(config.auth.file) };
  } catch (error) {
    if (!(error instanceof TokenFileError)) throw error;
    process.stderr.write(`esdn: bad configuration:\n  ${SETTINGS.auth.flag} (${SETTINGS.auth.env}): ${error.message}\n`);
    process.exit(EXIT_BAD_CONFIG);
  }
  const log = createLogger(config.logLevel);
  // Handlers go in before starting: a signal during start-up stops esdn as soon as it is up.
  let stopRequested: NodeJS.Signals | undefined;
  let runtime: Runtime | undefined;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopRequested) {
      // A second Ctrl-C means "now"; a repeated SIGTERM (orchestrators resend) changes nothing.
      if (signal === 'SIGINT') process.exit(EXIT_FAILURE);
      return;
    }
    log.info({ signal }, 'signal received');
    stopRequested = signal;
    if (runtime) stopAndExit(runtime, log);
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  try {
    runtime = await startEsdn(config, log, { auth });
  } catch (error) {
    log.fatal({ err: error }, 'esdn could not start');
    process.exit(EXIT_FAILURE);
  }
  if (stopRequested) stopAndExit(runtime, log);
}

function stopAndExit(runtime: Runtime, log: Logger): void {
  runtime.stop().then(
    () => process.exit(EXIT_OK),
    (error: unknown) => {
      log.error({ err: error }, 'unclean shutdown');
      process.exit(EXIT_FAILURE);
    },
  );
}

export function serveCommand(): Command {
  const command = new Command('serve').description('run the controller: Neutron v2.0 API, event log, OpenFlow controller');
  for (const option of settingOptions()) command.addOption(option);
  return command.action((options: RawSettings) => serve(options));
}
