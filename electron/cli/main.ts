/**
 * `npx minerdesk …`: the command-line client over the same core as the app. Readable tables by
 * default, `--json` for scripts, exit codes scripts can trust.
 */
import { Command, CommanderError } from 'commander'
import { APP_VERSION } from '../core/version'
import { registerAuditCommands } from './commands/audit'
import { registerReadCommands } from './commands/read'
import { registerRestartCommands } from './commands/restart'
import { registerSiteOpsCommands } from './commands/siteops'
import { registerSectorCommands } from './commands/sectors'
import { registerExporterCommand } from './commands/exporter'
import { registerHealthCommands } from './commands/health'
import { registerTeamCommands } from './commands/team'
import { EXIT, EXIT_HELP, guardSiteArguments } from './host'

export function buildProgram(): Command {
  const program = new Command('minerdesk')
    .description('MinerDesk: control panel for Filecoin Lotus mining sites (command line).')
    .version(APP_VERSION)
    .option('--ssh-config <file>', 'OpenSSH config with your sites (default: MinerDesk\'s setting, else ~/.ssh/config); with no sites configured, every alias in it is a site')
    .option('--json', 'print JSON for scripts')
    .addHelpText('after', `\nSettings and the audit log live in MINERDESK_HOME (default ~/.minerdesk).\n${EXIT_HELP}\n`)
    .showHelpAfterError()
    .exitOverride()
  guardSiteArguments(program)
  registerReadCommands(program)
  registerHealthCommands(program)
  registerRestartCommands(program)
  registerSiteOpsCommands(program)
  registerSectorCommands(program)
  registerAuditCommands(program)
  registerExporterCommand(program)
  registerTeamCommands(program)
  return program
}

async function main(): Promise<void> {
  const program = buildProgram()
  try {
    await program.parseAsync(process.argv)
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit 0; anything else commander rejects is a usage error.
      process.exitCode = err.exitCode === 0 ? EXIT.ok : EXIT.usage
      return
    }
    throw err
  }
}

void main()
