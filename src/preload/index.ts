import { contextBridge } from 'electron'
contextBridge.exposeInMainWorld('loglens', {})
