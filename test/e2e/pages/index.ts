// Page objects for the end-to-end specs: they address the app only through `data-testid`s and
// routes, so the same objects drive the fixture host today and `npm run web` (real host) later.
export { AppPage } from './AppPage'
export { AuditPage } from './AuditPage'
export { OverviewPage } from './OverviewPage'
export { PromptsPage } from './PromptsPage'
export { SettingsPage } from './SettingsPage'
export { SidebarPage } from './SidebarPage'
export { SitePage, type SiteTabName } from './SitePage'
export { RestartPage, type RestartStep } from './RestartPage'
export { SectorsPage } from './SectorsPage'
export { ChainPage, JobsPage, OpDialogPage, ProvingPage, WorkersPage } from './SiteOpsPages'
