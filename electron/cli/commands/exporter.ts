import { InvalidArgumentError, type Command } from 'commander'
import { DEFAULT_EXPORTER_LISTEN, parseListen } from '../../../preload/contract'
import { action, cliCore, EXIT, globals, printJson } from '../host'

/**
 * `minerdesk exporter [--listen HOST:PORT]`: polls every site like the app does and serves the
 * latest state as Prometheus metrics until stopped (SIGINT, SIGTERM). Monitoring only: this
 * process changes nothing on any site.
 */

function listenArg(v: string): string {
  if (!parseListen(v)) throw new InvalidArgumentError('HOST:PORT, for example 127.0.0.1:9720, [::1]:9720 or 0.0.0.0:9720')
  return v
}

export function registerExporterCommand(program: Command): void {
  program
    .command('exporter')
    .description('serve every site\'s state as Prometheus metrics (minerdesk_*) on http://HOST:PORT/metrics until stopped')
    .option('--listen <host:port>', `where to listen (default ${DEFAULT_EXPORTER_LISTEN}; 0.0.0.0:PORT for a Prometheus on another machine)`, listenArg, DEFAULT_EXPORTER_LISTEN)
    .action(
      action(async (cmd) => {
        const o = globals(cmd)
        const { listen } = cmd.opts<{ listen: string }>()
        const core = cliCore(o, { poll: true, readOnly: true })
        const status = await core.exporter.serve(listen)
        core.sites.startPolling()
        const sites = core.sites.ids()
        if (o.json) printJson({ url: status.url, sites })
        else process.stderr.write(`minerdesk: serving ${sites.length} site(s) on ${status.url ?? listen} (stop with Ctrl-C)\n`)
        await new Promise<void>((resolve) => {
          const stop = (): void => {
            process.off('SIGINT', stop)
            process.off('SIGTERM', stop)
            resolve()
          }
          process.on('SIGINT', stop)
          process.on('SIGTERM', stop)
        })
        return EXIT.ok
      })
    )
}
