import { join } from 'node:path'

/** Where everything of a simulator directory lives: the one place that names its paths. */
export interface DirLayout {
  dir: string
  sshConfig: string
  clientKey: string
  knownHosts: string
  state: string
  simDir: string
  bundle: string
}

export function dirLayout(dir: string): DirLayout {
  return {
    dir,
    sshConfig: join(dir, 'ssh_config'),
    clientKey: join(dir, 'id_ed25519'),
    knownHosts: join(dir, 'known_hosts'),
    state: join(dir, 'sim-state.json'),
    simDir: join(dir, '.sim'),
    bundle: join(dir, '.sim', 'sim.cjs')
  }
}

export interface SiteLayout {
  name: string
  root: string
  simJson: string
  bin: string
  loginSh: string
  home: string
  lotusRepo: string
  minerRepo: string
  storeDir: string
  sshdDir: string
  hostKey: string
  authorizedKeys: string
}

export function siteName(index: number): string {
  return `site-${index}`
}

export function siteLayout(dir: string, index: number): SiteLayout {
  const name = siteName(index)
  const root = join(dir, name)
  const home = join(root, 'home')
  const sshdDir = join(root, 'sshd')
  return {
    name,
    root,
    simJson: join(root, 'sim.json'),
    bin: join(root, 'bin'),
    loginSh: join(root, 'login.sh'),
    home,
    lotusRepo: join(home, '.lotus'),
    minerRepo: join(home, '.lotusminer'),
    storeDir: join(root, 'storage', 'store-1'),
    sshdDir,
    hostKey: join(sshdDir, 'ssh_host_ed25519_key'),
    authorizedKeys: join(sshdDir, 'authorized_keys')
  }
}

/** The repo (LOTUS_WORKER_PATH) of a worker, which is also its sealing storage path. */
export function workerRepo(home: string, workerName: string): string {
  return join(home, `.lotusworker-${workerName}`)
}
