import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { getTransport } from './api'
import { App } from './App'
import { initI18n } from './i18n'
import { startClock } from './stores/clock'
import { startNavigation } from './stores/navigation'
import { startSync } from './sync'
import './styles.css'

// Start in the main side's language as soon as it is known; zh-CN until then.
initI18n('zh-CN')
startClock()
startNavigation()
startSync(getTransport())

const root = document.getElementById('root')
if (root)
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>
  )
