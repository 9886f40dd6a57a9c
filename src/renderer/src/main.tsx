import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { createApiClient } from './api/client'
import { App } from './App'
import { createCore } from './core'
import './styles/base.css'
import './styles/layout.css'
import './styles/controls.css'
import './styles/feedback.css'
import './styles/home.css'
import './styles/progress.css'
import './styles/charts.css'
import './styles/tables.css'

const core = createCore(createApiClient())

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App core={core} />
  </StrictMode>,
)
