// The sandboxed preload: exposes exactly the contract as window.loglens, nothing more.
import { contextBridge, ipcRenderer, webUtils } from 'electron'
import { createPreloadApi } from './api'

contextBridge.exposeInMainWorld(
  'loglens',
  createPreloadApi(ipcRenderer, (file) => webUtils.getPathForFile(file)),
)
