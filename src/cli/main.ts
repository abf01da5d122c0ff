// The esdn command line: `esdn serve`, `esdn host-setup`, `esdn audit`, `esdn --help`, `esdn --version`.
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { serveCommand } from './serve.ts';
import { flowsCommand } from './flowsCommand.ts';
import { hostSetupCommand } from './hostSetupCommand.ts';
import { auditCommand } from './audit.ts';
import { EXIT_BAD_CONFIG, EXIT_OK } from './exitCodes.ts';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/** Usage errors exit 2 like bad configuration; help and version exit 0. */
function usageErrorsExit2(error: CommanderError): never {
  process.exit(error.exitCode === EXIT_OK ? EXIT_OK : EXIT_BAD_CONFIG);
}

export function buildProgram(): Command {
  const program = new Command('esdn')
    .description('esdn: event-sourced SDN controller with a Neutron v2.0 API and its own OpenFlow 1.3 southbound')
    .version(pkg.version, '-V, --version');
  const subcommands = [serveCommand(), hostSetupCommand(), flowsCommand(), auditCommand()];
  // addCommand() does not pass settings down, so every command gets the same error handling.
  for (const command of [program, ...subcommands]) {
    command.showHelpAfterError().exitOverride(usageErrorsExit2);
  }
  for (const command of subcommands) program.addCommand(command);
  return program;
}

await buildProgram().parseAsync(process.argv);
