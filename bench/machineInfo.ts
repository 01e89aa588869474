import { cpus, loadavg, release, totalmem } from 'node:os'
import { chromiumVersion } from './chromiumOptions'

export interface MachineInfo {
  cpuModel: string
  cores: number
  ramGiB: number
  node: string
  chromium: string
  os: string
  /** 1-minute load average when the bench started: other work on the machine skews every figure. */
  loadAverage: number
}

export function machineInfo(): MachineInfo {
  const list = cpus()
  return {
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    ramGiB: totalmem() / 2 ** 30,
    node: process.version,
    chromium: chromiumVersion(),
    os: `${process.platform} ${release()}`,
    loadAverage: loadavg()[0] ?? NaN,
  }
}
