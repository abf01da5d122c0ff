// The esdn command line: `esdn serve`, `esdn --help`, `esdn --version`.
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { serveCommand } from './serve.ts';
import { EXIT_BAD_CONFIG, EXIT_OK } from './exitCodes.ts';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

export function buildProgram(): Command {
  const program = new Command('esdn')
    .description('esdn: event-sourced SDN controller with a Neutron v2.0 API and its own OpenFlow 1.3 southbound')
    .version(pkg.version, '-V, --version')
    .showHelpAfterError()
    // Usage errors exit 2 like bad configuration; help and version exit 0.
    .exitOverride((error: CommanderError) => {
      process.exit(error.exitCode === EXIT_OK ? EXIT_OK : EXIT_BAD_CONFIG);
    });
  program.addCommand(serveCommand());
  return program;
}

await buildProgram().parseAsync(process.argv);
